//! gongkai-domain: the pure rules of the platform (no I/O, no async).
//!
//! Everything here is deterministic and unit-testable; services never see unchecked strings.

pub mod agency;
pub mod annual_report;
pub mod application;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod evaluation;
pub mod guide;
pub mod ids;
pub mod interaction;
pub mod monitor;
pub mod new_media;
pub mod ooxml;
pub mod workplan;
