//! gongkai-store: the only crate that speaks SQL.
//!
//! [`Db`] is SQLite (embedded default) or PostgreSQL (regional deployments), chosen by URL. Queries are written
//! once in portable SQL with `$N` binds and run on either backend through the [`on_db!`]/[`on_tx!`] macros,
//! which expand the same code for each pool type (sqlx's `Any` driver lacks time/json types).
//! Tenant data is always scoped by agency here, never in handlers.

#[macro_use]
mod db;
pub mod agencies;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod bulletins;
pub mod calendar;
pub mod calls;
pub mod case_facts;
pub mod catalog;
mod error;
pub mod evaluation;
pub mod grants;
pub mod guide;
pub mod hotline;
pub mod jobs;
pub mod letters;
pub mod mailbox;
pub mod monitor;
pub mod new_media;
pub mod reports;
pub mod search_feed;
pub mod secrets;
pub mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
pub mod users;
pub mod workplan;

pub use audit::{Actor, AuditAction, AuditEvent, NewAuditEvent};
pub use db::{Backend, Db, Tx};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Current time, truncated to microseconds so that what is read back equals what was written on both backends.
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}
