//! gongkai-report: annual report <-> documents.
//!
//! The auditor side: [`parse`] reads a published 政府信息公开工作年度报告 (HTML as published, text copied from a
//! browser, pipe-table text from PDF/OCR converters, PDF, DOCX) into the domain's
//! [`AnnualReport`](gongkai_domain::annual_report::AnnualReport) plus what it could not read; [`audit`] adds the checks R1–R8, gives each report its verdict (read / errors / not
//! readable: exit status 0/1/2) and audits folders in parallel with XLSX/HTML summaries. The other side:
//! [`render`] writes a report as HTML, DOCX or XLSX, and [`letters`] writes the letters (文书) of 依申请公开.
//! [`sheet`] reads a table (CSV or XLSX) for imports.

pub mod audit;
pub mod letters;
mod parse;
pub mod pdf_check;
pub mod render;
pub mod sheet;
pub mod xlsx;

pub use parse::{MAX_INPUT, ParseError, Parsed, SourceKind, parse};
