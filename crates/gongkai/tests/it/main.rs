//! Tests of the `gongkai` binary itself, run as a user would run it.

mod audit_batch;
mod backup;
mod calendar;
mod cli;
mod deploy;
mod evaluation;
mod faults;
mod faults_env;
mod hotline;
mod layout;
mod logs;
mod monitor;
mod report;
mod users;
mod workplan;
