//! gongkai-domain: the pure rules of the platform (no I/O, no async).
//!
//! Everything here is deterministic and unit-testable; services never see unchecked strings.

pub mod agency;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod ids;
