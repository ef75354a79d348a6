//! Web tests: the real application served on 127.0.0.1:0, driven over HTTP like a browser would,
//! on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL.

mod api_doc;
mod api_errors;
mod applications;
mod audit_labels;
mod auditor;
mod calendar;
mod catalog;
mod console;
mod csrf;
mod evaluation;
mod guide;
mod hotline;
mod interaction;
mod mailbox;
mod metrics;
mod monitor;
mod monitor_rounds;
mod new_media;
mod nodes;
mod page_cache;
mod portal;
mod reports;
mod revalidate;
mod staff;
mod support;
mod workplan;
