//! The audit trail (条例 Art. 45: 登记、审核、办理、答复、归档 kept with who and when).
//!
//! Events are append-only (database triggers refuse updates and deletes) and are written with
//! [`record`] inside the same transaction as the change they describe, so a change that fails leaves none.

use crate::{Db, Result, Tx};
pub use gongkai_domain::audit::AuditAction;
use serde_json::Value;
use sqlx::types::Json;
use time::OffsetDateTime;

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in staff user.
    User { id: i64, username: String },
    /// The platform itself or an operator at the command line (e.g. `cli`, `demo`, `system`).
    System(String),
}

impl Actor {
    pub(crate) fn id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::System(_) => None,
        }
    }

    /// The name shown for the actor (username, or the system label).
    pub fn label(&self) -> &str {
        match self {
            Actor::User { username, .. } => username,
            Actor::System(label) => label,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a Actor,
    pub agency_id: Option<i64>,
    /// What happened (stored as its dotted code: `agency.create`, `role.grant`, `user.login` …).
    pub action: AuditAction,
    pub object_type: &'a str,
    pub object_id: String,
    pub details: Value,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEvent {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub agency_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub details: Json<Value>,
}

impl AuditEvent {
    /// The stored action, `None` for a code this version does not know.
    pub fn action(&self) -> Option<AuditAction> {
        AuditAction::parse(&self.action)
    }
}

/// Appends an event inside `tx`.
pub async fn record(tx: &mut Tx, e: &NewAuditEvent<'_>) -> Result<i64> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO audit_events (at, actor_id, actor_label, agency_id, action, object_type, object_id, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(crate::now())
    .bind(e.actor.id())
    .bind(e.actor.label())
    .bind(e.agency_id)
    .bind(e.action.as_str())
    .bind(e.object_type)
    .bind(&e.object_id)
    .bind(Json(&e.details))
    .fetch_one(c)
    .await?);
    Ok(id)
}

const COLUMNS: &str = "id, at, actor_id, actor_label, agency_id, action, object_type, object_id, details";

/// The newest events of one agency, newest first, `limit` at most, older than `before` when given (paging).
pub async fn for_agency(db: &Db, agency_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<AuditEvent>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_events WHERE agency_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql)
        .bind(agency_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(p)
        .await?))
}

/// Every event with the given action, oldest first (used by tests and exports).
pub async fn by_action(db: &Db, action: AuditAction) -> Result<Vec<AuditEvent>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM audit_events WHERE action = $1 ORDER BY id"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(action.as_str()).fetch_all(p).await?))
}

/// Every event, oldest first (tests check that each stored action is known).
pub async fn all(db: &Db) -> Result<Vec<AuditEvent>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM audit_events ORDER BY id"));
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(p).await?))
}
