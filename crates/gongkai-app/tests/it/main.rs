//! Service tests: each runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too.

mod calendar;
mod evaluation;
mod hotline;
mod monitor;
mod monitor_rounds;
mod reports;
mod staff;
mod supervision;
mod workplan;
