//! Integration tests of gongkai-domain (one test binary).

mod calendar;
mod clock;
