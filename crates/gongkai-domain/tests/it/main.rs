//! Integration tests of gongkai-domain (one test binary).

mod annual_report;
mod calendar;
mod clock;
