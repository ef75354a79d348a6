//! 政府信息公开工作年度报告: the model of the annual report (2021 format, 国办公开办函〔2021〕30号) and the
//! checks R1–R8 of docs/law/annual-report.md, shared by the generator and the auditor.
//!
//! Cells are `Option`: `None` means blank in the source (or unreadable), never 0.

mod check;
pub mod compute;
mod json;
mod model;
mod narrative;
pub mod text;

pub use check::{check, check_cross_year};
pub use json::{JsonError, SCHEMA, finding_to_json, from_json, to_json};
pub use model::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, Sections, Severity, T2Doc, T3Row, T4Column, T4Group,
    Table2, Table3, Table4,
};
