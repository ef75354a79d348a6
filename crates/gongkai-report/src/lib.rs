//! gongkai-report: annual report <-> documents.
//!
//! The auditor side: [`parse`] reads a published 政府信息公开工作年度报告 (HTML as published, text copied from a
//! browser, PDF, DOCX) into the domain's [`AnnualReport`](gongkai_domain::annual_report::AnnualReport) plus what
//! it could not read; [`audit`] adds the checks R1–R8 and summarises folders of reports.

pub mod audit;
mod parse;
pub mod render;
pub mod xlsx;

pub use parse::{MAX_INPUT, ParseError, Parsed, SourceKind, parse};
