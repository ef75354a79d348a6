//! gongkai-report: annual report <-> documents (parsers arrive with the auditor).

pub mod letters;
