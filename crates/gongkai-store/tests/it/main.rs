//! Store tests: each runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too.

mod agencies;
mod applications;
mod audit;
mod calendar;
mod case_facts;
mod catalog;
mod faults;
mod hotline;
mod jobs;
mod letters;
mod migrations;
mod reports;
mod search_feed;
mod sessions;
mod support;
