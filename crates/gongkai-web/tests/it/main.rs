//! Web tests: the real application served on 127.0.0.1:0, driven over HTTP like a browser would,
//! on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL.

mod api_errors;
mod applications;
mod audit_labels;
mod auditor;
mod calendar;
mod catalog;
mod console;
mod csrf;
mod guide;
mod hotline;
mod interaction;
mod mailbox;
mod monitor;
mod new_media;
mod portal;
mod reports;
mod revalidate;
mod staff;
mod support;
