//! 年度报告 generated from live data (docs/law/annual-report.md): table 二(一) from the library's validity lifecycle,
//! 二(五)(六)(八) and the narrative's yearly figures from entered figures, 三 and 四 from the case logs, 六's fee
//! statement from the fees recorded; the narrative per (agency, year) and the workflow draft → submitted to the
//! 主管部门 → returned / approved → published (frozen) under the agency's 公开年报 column.
//!
//! The counting rules are pure and live in `gongkai_domain::annual_report::compute` (see
//! docs/law/annual-report.md); this module loads the records, checks permissions and runs the workflow.

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::annual_report::{
    AnnualReport, Finding, Sections, T2Doc, Table2, Table3, Table4, check, check_cross_year,
};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::FixedColumn;
use gongkai_domain::catalog::{DocClass, EntryStatus, Validity};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::case_facts;
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::reports::{self as store, Figure, ReportRecord, ReportStatus, Step};
use gongkai_store::{Actor, NewAuditEvent, StoreError, audit};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

mod edit;
mod rollup;
mod view;
mod workflow;

/// The report as a portal `<article>` (classes only, every text escaped): the body of a published 公开年报.
pub use gongkai_report::render::html_article;

use gongkai_domain::annual_report::compute::{self as compute, LibraryDoc, ReportInput, add_tables};
pub use gongkai_domain::annual_report::compute::{
    FIGURES, FigureDef, PLACEHOLDERS, ReportDeadlines, TEMPLATE_FIVE, TEMPLATE_ONE, TEMPLATE_SIX, figure_def,
    fill_placeholders, parse_figure,
};

/// One row of the report list of an agency.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub year: i32,
    pub status: ReportStatus,
    pub errors: usize,
    pub warnings: usize,
    pub deadline: Date,
}

/// The report page: the report as it stands, its findings, figures and what the viewer may do.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub agency: Agency,
    pub year: i32,
    pub record: Option<ReportRecord>,
    pub status: ReportStatus,
    pub report: AnnualReport,
    pub findings: Vec<Finding>,
    /// (definition, stored figure) for every figure.
    pub figures: Vec<(FigureDef, Option<Figure>)>,
    /// Narrative as stored (with placeholders), for the editor.
    pub draft: Sections,
    pub deadline: Date,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_publish: bool,
    /// Where the published report is on the portal.
    pub published_path: Option<String>,
}

/// The roll-up of a 主管部门: each descendant's report with its check status, and the summed tables.
#[derive(Debug, Clone)]
pub struct Rollup {
    pub rows: Vec<(Agency, ReportStatus, usize, usize)>,
    pub sum: AnnualReport,
}

/// Export formats of a report (HTML, DOCX, XLSX, JSON by `gongkai-report`; PDF by `gongkai-pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Html,
    Docx,
    Xlsx,
    Pdf,
    Json,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [Self::Html, Self::Docx, Self::Xlsx, Self::Pdf, Self::Json];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            other => other.report_format().map(|f| f.extension()).unwrap_or("bin"),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.extension().eq_ignore_ascii_case(s.trim()))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            other => other.report_format().map(|f| f.content_type()).unwrap_or("application/octet-stream"),
        }
    }

    /// Whether the bytes are text (safe to write to a terminal).
    pub fn is_text(self) -> bool {
        matches!(self, Self::Html | Self::Json)
    }

    fn report_format(self) -> Option<gongkai_report::render::Format> {
        use gongkai_report::render::Format;
        Some(match self {
            Self::Html => Format::Html,
            Self::Docx => Format::Docx,
            Self::Xlsx => Format::Xlsx,
            Self::Json => Format::Json,
            Self::Pdf => return None,
        })
    }
}

fn closed(status: ReportStatus) -> AppError {
    let message = match status {
        ReportStatus::Published => "年度报告已发布，不能再修改。",
        ReportStatus::Approved => "年度报告已经主管部门审核通过，不能再修改。",
        ReportStatus::Submitted => "年度报告已报送主管部门，审核期间不能修改；如需修改，请主管部门退回。",
        _ => "年度报告当前状态下不能修改。",
    };
    AppError::Invalid { field: None, message: message.into() }
}

fn conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(format!("操作未完成：{m}，请刷新后重试")),
        e => e.into(),
    }
}

fn event<'a>(
    actor: &'a Actor,
    agency: &Agency,
    action: AuditAction,
    year: i32,
    details: serde_json::Value,
) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor,
        agency_id: Some(agency.id),
        action,
        object_type: "annual_report",
        object_id: format!("{}/{year}", agency.code),
        details,
    }
}

/// The most a narrative section may hold (characters).
const MAX_SECTION: usize = 20_000;

impl App {
    /// The report of `agency` for `year` computed from the live data now (no permission check: callers check).
    pub async fn compute_report(&self, agency: &Agency, year: i32) -> Result<AnnualReport> {
        let record = store::get(&self.db, agency.id, year).await?;
        self.compute_with(agency, year, record.as_ref()).await
    }

    pub(super) async fn compute_with(
        &self,
        agency: &Agency,
        year: i32,
        record: Option<&ReportRecord>,
    ) -> Result<AnnualReport> {
        // Counted by the database from the case summaries (gongkai-store case_facts.rs).
        let cases = case_facts::tally(&self.db, agency.id, year).await?;
        let figures = store::figures(&self.db, agency.id, year).await?;
        // The library: published 规章 and 规范性文件 of the agency, with the day each repealed/amended one ended.
        let library = catalog::published_normative(&self.db, Some(agency.id), None, "").await?;
        let mut docs = Vec::with_capacity(library.len());
        for e in &library {
            let ended = match (e.fields.validity, e.repealed_by) {
                (Some(Validity::Repealed | Validity::Amended), Some(act)) => {
                    catalog::by_id_any_agency(&self.db, act).await?.and_then(|a| {
                        a.fields
                            .effective_on
                            .or(a.fields.written_on)
                            .or(a.published_at.map(crate::catalog::beijing_date))
                    })
                }
                (Some(Validity::Repealed | Validity::Amended), None) => {
                    Some(crate::catalog::beijing_date(e.updated_at))
                }
                _ => None,
            };
            docs.push(LibraryDoc {
                class: e.fields.doc_class,
                written_on: e.fields.written_on,
                effective_on: e.fields.effective_on,
                expires_on: e.fields.expires_on,
                validity: e.fields.validity,
                ended_on: ended,
            });
        }
        let mut figures: BTreeMap<String, String> = figures.into_iter().map(|f| (f.key, f.value)).collect();
        // The narrative's 12345, mailbox and call figures come from the records of the year where there are any;
        // a typed figure wins (an office that kept its records elsewhere). docs/law/public-interaction.md §8.
        let interaction = self.interaction_stats(agency, year, None).await?;
        for (key, c) in [
            ("hotline_orders", &interaction.hotline),
            ("mailbox_letters", &interaction.mailbox),
            ("calls", &interaction.calls),
        ] {
            if c.received > 0 {
                figures.entry(key.to_owned()).or_insert_with(|| c.received.to_string());
            }
        }
        // 一（五）监督保障 from the 分工方案, site checks and 政务新媒体 register; typed figures win.
        let supervision = self.supervision_figures(agency, year).await?;
        for (key, value) in supervision.figures {
            figures.entry(key).or_insert(value);
        }
        Ok(compute::compute(&ReportInput {
            agency_name: &agency.name,
            year,
            cases: &cases,
            library: &docs,
            figures: &figures,
            narrative: record.map(|r| (r.section_one.as_str(), r.section_five.as_str(), r.section_six.as_str())),
            texts: &supervision.texts,
        }))
    }

    /// The report as it stands: the frozen one once submitted (submitted, approved, published), otherwise
    /// computed now; with the checker's findings (R1–R5, R7, R8, and R6 against the previous year's report).
    pub async fn annual_report(&self, agency: &Agency, year: i32) -> Result<(AnnualReport, Vec<Finding>)> {
        let record = store::get(&self.db, agency.id, year).await?;
        let report = match record.as_ref().and_then(|r| r.snapshot.clone().filter(|_| !r.status.editable())) {
            Some(frozen) => frozen,
            None => self.compute_with(agency, year, record.as_ref()).await?,
        };
        let mut findings = check(&report);
        let prev_record = store::get(&self.db, agency.id, year - 1).await?;
        let prev = match prev_record.as_ref().and_then(|r| r.snapshot.clone().filter(|_| !r.status.editable())) {
            Some(p) => p,
            None => self.compute_with(agency, year - 1, prev_record.as_ref()).await?,
        };
        findings.extend(check_cross_year(&prev, &report));
        Ok((report, findings))
    }

    /// The report in one export format: (file name, content type, bytes).
    pub async fn export_report(
        &self,
        agency: &Agency,
        year: i32,
        format: ExportFormat,
    ) -> Result<(String, &'static str, Vec<u8>)> {
        // The command line passes any year it is given (year − 1 is computed for R6).
        check_year(year)?;
        let (report, findings) = self.annual_report(agency, year).await?;
        let bytes = match format.report_format() {
            Some(f) => gongkai_report::render::render(&report, &findings, f)
                .map_err(|e| AppError::Internal(format!("年度报告导出失败：{e}")))?,
            None => tokio::task::spawn_blocking(move || gongkai_pdf::render(&report))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(e.to_string()))?,
        };
        let name = format!("{}-{year}-annual-report.{}", agency.code, format.extension());
        Ok((name, format.content_type(), bytes))
    }

    /// Years the agency has something to report on: cases (from receipt to answer), figures, stored reports.
    pub async fn report_years(&self, agency: &Agency) -> Result<BTreeSet<i32>> {
        let today = self.today().year();
        let mut years = case_facts::tally_all(&self.db, agency.id).await?.years(today);
        years.extend(store::figure_years(&self.db, agency.id).await?);
        years.extend(store::of_agency(&self.db, agency.id).await?.into_iter().map(|r| r.year));
        Ok(years)
    }

    pub(super) fn require_editor(p: &Principal, agency: &Agency) -> Result<()> {
        p.require(agency.id, &[Role::Admin, Role::Editor])
    }

    /// The 主管部门's supervisor: a 监督人 of the parent agency (of the agency itself for a top-level government).
    pub(super) fn require_supervisor_of(p: &Principal, agency: &Agency) -> Result<()> {
        p.require(agency.parent_id.unwrap_or(agency.id), &[Role::Supervisor])
    }
}

/// The years a report may be of (the 条例 applies from 2008), for the console's URLs and the command line.
pub const REPORT_YEARS: std::ops::RangeInclusive<i32> = 2008..=9998;

fn check_year(year: i32) -> Result<()> {
    if REPORT_YEARS.contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: Some("year"), message: format!("年度“{year}”不在有效范围内") })
    }
}

/// Reads `项目,数值` lines (UTF-8, optional BOM; comma, tab or full-width comma; quotes stripped).
pub fn parse_figures_csv(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    if bytes.len() > 64 * 1024 {
        return Err(AppError::Invalid { field: Some("file"), message: "文件过大（不能超过64KB）".into() });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| AppError::Invalid { field: Some("file"), message: "文件须为UTF-8编码的CSV".into() })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once([',', '\t', '，'])
            .map(|(k, v)| (k.trim().trim_matches('"').trim().to_owned(), v.trim().trim_matches('"').trim().to_owned()))
            .ok_or_else(|| AppError::Invalid {
                field: Some("file"),
                message: format!("第{}行应为“项目,数值”", i + 1),
            })?;
        if i == 0 && figure_def(&key).is_none() && matches!(key.as_str(), "项目" | "key" | "指标") {
            continue;
        }
        out.push((key, value));
    }
    if out.is_empty() {
        return Err(AppError::Invalid { field: Some("file"), message: "文件中没有填报数据".into() });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_with_header_quotes_and_full_width_commas() {
        let rows = parse_figures_csv(
            "\u{feff}项目,数值\r\nlicensing,5\n\"12345热线办理工单\",\"3,100\"\n# 注释\n行政处罚，2\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ("licensing".to_owned(), "5".to_owned()),
                ("12345热线办理工单".to_owned(), "3,100".to_owned()),
                ("行政处罚".to_owned(), "2".to_owned()),
            ]
        );
        assert!(parse_figures_csv(b"licensing 5\n").is_err());
        assert!(parse_figures_csv(&[0xff, 0xfe]).is_err());
        assert!(parse_figures_csv(b"\n\n").is_err());
    }
}
