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
use gongkai_store::applications as cases;
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::reports::{self as store, Figure, ReportRecord, ReportStatus, Step};
use gongkai_store::{Actor, NewAuditEvent, StoreError, audit, jobs};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The report as a portal `<article>` (classes only, every text escaped): the body of a published 公开年报.
pub use gongkai_report::render::html_article;

use gongkai_domain::annual_report::compute::{self as compute, CaseFacts, LibraryDoc, ReportInput, add_tables};
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

    async fn case_facts(&self, agency: &Agency) -> Result<Vec<CaseFacts>> {
        let apps = cases::list(&self.db, agency.id, &Default::default()).await?;
        let events = cases::events_of_agency(&self.db, agency.id).await?;
        let mut by_app: BTreeMap<i64, Vec<cases::EventRecord>> = BTreeMap::new();
        for e in events {
            by_app.entry(e.application_id).or_default().push(e);
        }
        Ok(apps
            .iter()
            .map(|a| {
                let events = by_app.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
                compute::case_facts(&a.applicant_type, a.submitted_on, events.iter().map(|e| &e.event))
            })
            .collect())
    }

    async fn compute_with(&self, agency: &Agency, year: i32, record: Option<&ReportRecord>) -> Result<AnnualReport> {
        let facts = self.case_facts(agency).await?;
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
        let figures: BTreeMap<String, String> = figures.into_iter().map(|f| (f.key, f.value)).collect();
        Ok(compute::compute(&ReportInput {
            agency_name: &agency.name,
            year,
            cases: &facts,
            library: &docs,
            figures: &figures,
            narrative: record.map(|r| (r.section_one.as_str(), r.section_five.as_str(), r.section_six.as_str())),
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
        let mut years: BTreeSet<i32> = BTreeSet::new();
        for f in self.case_facts(agency).await? {
            let Some(r) = f.received else { continue };
            let last = f.answered.map(|(d, _)| d.year()).unwrap_or(today).max(r.year());
            years.extend(r.year()..=last);
            for (_, filed, decided) in &f.reviews {
                years.extend(filed.year()..=decided.map(|(d, _)| d.year()).unwrap_or(today).max(filed.year()));
            }
        }
        years.extend(store::figure_years(&self.db, agency.id).await?);
        years.extend(store::of_agency(&self.db, agency.id).await?.into_iter().map(|r| r.year));
        Ok(years)
    }

    fn require_editor(p: &Principal, agency: &Agency) -> Result<()> {
        p.require(agency.id, &[Role::Admin, Role::Editor])
    }

    /// The 主管部门's supervisor: a 监督人 of the parent agency (of the agency itself for a top-level government).
    fn require_supervisor_of(p: &Principal, agency: &Agency) -> Result<()> {
        p.require(agency.parent_id.unwrap_or(agency.id), &[Role::Supervisor])
    }

    /// The report list of an agency: every year with data, its status and check result.
    pub async fn report_list(&self, p: &Principal, agency: &Agency) -> Result<Vec<ReportSummary>> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        let mut years = self.report_years(agency).await?;
        years.insert(self.today().year() - 1);
        let mut out = Vec::new();
        for year in years.into_iter().rev() {
            let status = store::get(&self.db, agency.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            let (_, findings) = self.annual_report(agency, year).await?;
            let errors = findings.iter().filter(|f| f.is_error()).count();
            out.push(ReportSummary {
                year,
                status,
                errors,
                warnings: findings.len() - errors,
                deadline: self.config.report_deadlines.for_report(agency.kind, year),
            });
        }
        Ok(out)
    }

    /// The report page of (agency, year).
    pub async fn report_view(&self, p: &Principal, agency: &Agency, year: i32) -> Result<ReportView> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        check_year(year)?;
        let record = store::get(&self.db, agency.id, year).await?;
        let status = record.as_ref().map(|r| r.status).unwrap_or(ReportStatus::Draft);
        let (report, findings) = self.annual_report(agency, year).await?;
        let stored = store::figures(&self.db, agency.id, year).await?;
        let figures = FIGURES.iter().map(|d| (*d, stored.iter().find(|f| f.key == d.key).cloned())).collect();
        let draft = Sections {
            one: Some(record.as_ref().map(|r| r.section_one.clone()).unwrap_or_else(|| TEMPLATE_ONE.into())),
            five: Some(record.as_ref().map(|r| r.section_five.clone()).unwrap_or_else(|| TEMPLATE_FIVE.into())),
            six: Some(record.as_ref().map(|r| r.section_six.clone()).unwrap_or_else(|| TEMPLATE_SIX.into())),
        };
        let published_path = match record.as_ref().and_then(|r| r.entry_id) {
            Some(id) => self.published_link(id).await?.map(|(e, a, c)| format!("/{a}/{c}/{}", e.id)),
            None => None,
        };
        Ok(ReportView {
            agency: agency.clone(),
            year,
            status,
            can_edit: status.editable() && Self::require_editor(p, agency).is_ok(),
            can_review: status == ReportStatus::Submitted && Self::require_supervisor_of(p, agency).is_ok(),
            can_publish: status == ReportStatus::Approved && p.require(agency.id, &[Role::Admin]).is_ok(),
            record,
            report,
            findings,
            figures,
            draft,
            deadline: self.config.report_deadlines.for_report(agency.kind, year),
            published_path,
        })
    }

    /// Creates the draft of (agency, year) from the templates if there is none; returns the stored record.
    async fn report_record(&self, agency: &Agency, year: i32) -> Result<ReportRecord> {
        if let Some(r) = store::get(&self.db, agency.id, year).await? {
            return Ok(r);
        }
        let mut tx = self.db.begin().await?;
        match store::create(&mut tx, agency.id, year, TEMPLATE_ONE, TEMPLATE_FIVE, TEMPLATE_SIX).await {
            Ok(_) => tx.commit().await?,
            // Created meanwhile by someone else: use theirs.
            Err(StoreError::Conflict(_)) => drop(tx),
            Err(e) => return Err(e.into()),
        }
        store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))
    }

    /// Enters yearly figures (key → value as typed). Every value is checked first; nothing is stored unless all
    /// are valid. Empty values are skipped. Refused once the report was submitted.
    pub async fn set_report_figures(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        values: &[(String, String)],
    ) -> Result<usize> {
        Self::require_editor(p, agency)?;
        self.store_figures(&p.actor(), agency, year, values, AuditAction::ReportFigures).await
    }

    /// Imports figures from CSV (`项目,数值` per line; the item is a key or the Chinese label; a header line is
    /// skipped). Staff need the editor role; the system (the command line: the operator holds the database) may.
    pub async fn import_report_figures(&self, by: Caller<'_>, agency: &Agency, year: i32, csv: &[u8]) -> Result<usize> {
        by.require(agency.id, &[Role::Admin, Role::Editor])?;
        let values = parse_figures_csv(csv)?;
        let actor = by.actor();
        self.store_figures(&actor, agency, year, &values, AuditAction::ReportFiguresImport).await
    }

    pub(crate) async fn store_figures(
        &self,
        actor: &Actor,
        agency: &Agency,
        year: i32,
        values: &[(String, String)],
        action: AuditAction,
    ) -> Result<usize> {
        check_year(year)?;
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let mut checked = Vec::new();
        let mut errors = Vec::new();
        for (key, raw) in values {
            let Some(def) = figure_def(key) else {
                errors.push(format!("未知的填报项目“{}”", key.trim()));
                continue;
            };
            if raw.trim().is_empty() {
                continue;
            }
            match parse_figure(def, raw) {
                Ok(v) => checked.push((def, v)),
                Err(m) => errors.push(m),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid { field: Some("figures"), message: errors.join("；") });
        }
        let mut tx = self.db.begin().await?;
        let mut changes = Vec::new();
        for (def, v) in &checked {
            let before = store::set_figure(&mut tx, agency.id, year, def.key, v, actor).await?;
            if before.as_deref() != Some(v.as_str()) {
                changes.push(json!({"key": def.key, "from": before, "to": v}));
            }
        }
        // The guard: the report must still be editable when the figures are written.
        store::save_sections(
            &mut tx,
            record.id,
            record.status,
            &record.section_one,
            &record.section_five,
            &record.section_six,
        )
        .await
        .map_err(conflict)?;
        audit::record(&mut tx, &event(actor, agency, action, year, json!({"changes": changes}))).await?;
        tx.commit().await?;
        Ok(checked.len())
    }

    /// Saves the narrative 一, 五, 六 (placeholders allowed; figures typed by hand are checked by R7).
    pub async fn save_report_sections(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        one: &str,
        five: &str,
        six: &str,
    ) -> Result<()> {
        Self::require_editor(p, agency)?;
        self.store_sections(&p.actor(), agency, year, one, five, six).await
    }

    pub(crate) async fn store_sections(
        &self,
        actor: &Actor,
        agency: &Agency,
        year: i32,
        one: &str,
        five: &str,
        six: &str,
    ) -> Result<()> {
        check_year(year)?;
        for (name, text) in [("一", one), ("五", five), ("六", six)] {
            if text.chars().count() > MAX_SECTION {
                return Err(AppError::Invalid {
                    field: Some("sections"),
                    message: format!("第{name}部分不能超过{MAX_SECTION}个字"),
                });
            }
        }
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let norm = |s: &str| s.replace("\r\n", "\n").trim().to_owned();
        let mut tx = self.db.begin().await?;
        store::save_sections(&mut tx, record.id, record.status, &norm(one), &norm(five), &norm(six))
            .await
            .map_err(conflict)?;
        audit::record(&mut tx, &event(actor, agency, AuditAction::ReportEdit, year, json!({}))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency hands its report to the 主管部门; refused while the checker finds errors. The report is frozen
    /// as it is now.
    pub async fn submit_report(&self, p: &Principal, agency: &Agency, year: i32) -> Result<()> {
        Self::require_editor(p, agency)?;
        check_year(year)?;
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let report = self.compute_with(agency, year, Some(&record)).await?;
        let errors: Vec<String> = check(&report).into_iter().filter(|f| f.is_error()).map(|f| f.message).collect();
        if !errors.is_empty() {
            return Err(AppError::Invalid {
                field: None,
                message: format!("报告未通过核对，不能报送：{}", errors.join("；")),
            });
        }
        let mut tx = self.db.begin().await?;
        let step = Step { snapshot: Some(&report), submitted: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, ReportStatus::Submitted, &step).await.map_err(conflict)?;
        audit::record(
            &mut tx,
            &event(&p.actor(), agency, AuditAction::ReportSubmit, year, json!({"from": record.status.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 主管部门 returns a submitted report with comments (required), or approves it.
    pub async fn review_report(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        approve: bool,
        comments: &str,
    ) -> Result<()> {
        Self::require_supervisor_of(p, agency)?;
        let comments = comments.trim();
        if !approve && comments.is_empty() {
            return Err(AppError::Invalid {
                field: Some("comments"), message: "退回时请填写修改意见".into()
            });
        }
        if comments.chars().count() > 2000 {
            return Err(AppError::Invalid { field: Some("comments"), message: "意见不能超过2000个字".into() });
        }
        let record = store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))?;
        if record.status != ReportStatus::Submitted {
            return Err(AppError::Invalid {
                field: None,
                message: format!("年度报告当前为“{}”，只有已报送的报告可以退回或审核通过。", record.status.label_zh()),
            });
        }
        let (to, action) = if approve {
            (ReportStatus::Approved, AuditAction::ReportApprove)
        } else {
            (ReportStatus::Returned, AuditAction::ReportReturn)
        };
        let mut tx = self.db.begin().await?;
        let step = Step { comments: Some(comments), decided: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, to, &step).await.map_err(conflict)?;
        audit::record(&mut tx, &event(&p.actor(), agency, action, year, json!({"comments": comments}))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency's administrator publishes an approved report under its 公开年报 column: a published catalog
    /// entry whose body is the report as approved. From then on it is frozen.
    pub async fn publish_report(&self, p: &Principal, agency: &Agency, year: i32) -> Result<i64> {
        p.require(agency.id, &[Role::Admin])?;
        let record = store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))?;
        if record.status != ReportStatus::Approved {
            return Err(AppError::Invalid {
                field: None,
                message: format!("年度报告当前为“{}”，须经主管部门审核通过后才能发布。", record.status.label_zh()),
            });
        }
        let report = record.snapshot.clone().ok_or(AppError::NotFound("年度报告"))?;
        self.ensure_columns(agency).await?;
        let column = self.column(agency, FixedColumn::AnnualReports.as_str()).await?;
        let today = self.today();
        let fields = EntryFields {
            column_id: column.id,
            title: gongkai_report::render::layout::title(&report),
            doc_no: String::new(),
            publisher: agency.name.clone(),
            joint_publishers: String::new(),
            doc_class: DocClass::Ordinary,
            validity: None,
            written_on: Some(today),
            effective_on: None,
            expires_on: None,
            formed_on: Some(today),
            topic: String::new(),
            genre: "报告".into(),
            keywords: "政府信息公开,年度报告".into(),
            summary: format!("{}{year}年政府信息公开工作年度报告", agency.name),
            disclosure: "主动公开".into(),
            body_html: gongkai_report::render::html_article_untitled(&report),
        };
        let mut tx = self.db.begin().await?;
        let e = catalog::create(&mut tx, agency.id, &fields, Some(p.user.id)).await?;
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.map_err(conflict)?;
        let now = gongkai_store::now();
        let index_no = self.next_index_no(&mut tx, agency, crate::catalog::beijing_date(now)).await?;
        catalog::mark_published(&mut tx, e.id, Some(&index_no), now).await.map_err(conflict)?;
        jobs::enqueue(&mut tx, crate::catalog::INDEX_ENTRY, &json!({"entry_id": e.id}), None).await?;
        let step = Step { entry_id: Some(e.id), published: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, ReportStatus::Published, &step).await.map_err(conflict)?;
        audit::record(
            &mut tx,
            &event(
                &p.actor(),
                agency,
                AuditAction::ReportPublish,
                year,
                json!({"entry_id": e.id, "index_no": index_no}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(e.id)
    }

    /// The roll-up of a 主管部门 (a supervisor of `agency`): every descendant's report of `year` with its status
    /// and check result, and the sum of their tables 二, 三, 四 (blank cells stay blank in the sum).
    pub async fn report_rollup(&self, p: &Principal, agency: &Agency, year: i32) -> Result<Rollup> {
        p.require(agency.id, &[Role::Supervisor])?;
        check_year(year)?;
        let mut rows = Vec::new();
        let mut sum = AnnualReport {
            agency: Some(format!("{}及所属单位（汇总）", agency.name)),
            year: Some(year),
            t2: Table2 {
                rules: T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) },
                normative: T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) },
                licensing: Some(0),
                penalty: Some(0),
                coercion: Some(0),
                fees: Some(0.0),
            },
            t3: Table3::zeros(),
            t4: Table4::zeros(),
            ..Default::default()
        };
        for id in agencies::subtree_ids(&self.db, agency.id).await? {
            if id == agency.id {
                continue;
            }
            let Some(a) = agencies::by_id(&self.db, id).await? else { continue };
            let status = store::get(&self.db, a.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            let (r, findings) = self.annual_report(&a, year).await?;
            let errors = findings.iter().filter(|f| f.is_error()).count();
            add_tables(&mut sum, &r);
            rows.push((a, status, errors, findings.len() - errors));
        }
        // The sum has tables only; say so where a report has its narrative, rather than leave headings empty.
        let see = "见所属各单位的年度报告。".to_owned();
        sum.sections = Sections {
            one: Some(format!(
                "本报告为所属{}个单位{year}年度报告表格的逐项合计，不含正文。各单位的总体情况{see}",
                rows.len()
            )),
            five: Some(see.clone()),
            six: Some(see),
        };
        Ok(Rollup { rows, sum })
    }

    /// Years a 主管部门 can roll up: those of any subordinate unit's report, newest first (empty without units or
    /// without the supervisor role).
    pub async fn rollup_years(&self, p: &Principal, agency: &Agency) -> Result<Vec<i32>> {
        if p.require(agency.id, &[Role::Supervisor]).is_err() {
            return Ok(vec![]);
        }
        let mut years = BTreeSet::new();
        for id in agencies::subtree_ids(&self.db, agency.id).await? {
            if id == agency.id {
                continue;
            }
            if let Some(a) = agencies::by_id(&self.db, id).await? {
                years.extend(self.report_years(&a).await?);
            }
        }
        Ok(years.into_iter().rev().collect())
    }

    /// The roll-up's summed tables as an XLSX workbook (a sheet per table, laid out as a report's own XLSX):
    /// (file name, content type, bytes). Same permission as the roll-up.
    pub async fn export_rollup_xlsx(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
    ) -> Result<(String, &'static str, Vec<u8>)> {
        let r = self.report_rollup(p, agency, year).await?;
        let bytes = gongkai_report::render::render(&r.sum, &[], gongkai_report::render::Format::Xlsx)
            .map_err(|e| AppError::Internal(format!("汇总表导出失败：{e}")))?;
        Ok((format!("{}-{year}-rollup.xlsx", agency.code), ExportFormat::Xlsx.content_type(), bytes))
    }

    /// Console warnings for last year's reports due within 30 days or overdue (by up to 90 days) and not yet
    /// published, for agencies where the principal edits reports.
    pub async fn report_warnings(&self, p: &Principal) -> Result<Vec<String>> {
        let today = self.today();
        let year = today.year() - 1;
        let mut out = Vec::new();
        for (a, roles) in self.console_agencies(p).await? {
            if !roles.contains(&Role::Admin) && !roles.contains(&Role::Editor) {
                continue;
            }
            let deadline = self.config.report_deadlines.for_report(a.kind, year);
            let left = (deadline - today).whole_days();
            // Approaching (30 days) or overdue by up to 90 days; older years are no longer nagged about.
            if !(-90..=30).contains(&left) {
                continue;
            }
            let status = store::get(&self.db, a.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            if status == ReportStatus::Published {
                continue;
            }
            let due = crate::catalog::date_zh(deadline);
            out.push(if left >= 0 {
                format!(
                    "{}{year}年政府信息公开工作年度报告应于{due}前发布，还有{left}天（当前：{}）。",
                    a.name,
                    status.label_zh()
                )
            } else {
                format!(
                    "{}{year}年政府信息公开工作年度报告已超过发布期限（{due}），当前：{}。",
                    a.name,
                    status.label_zh()
                )
            });
        }
        Ok(out)
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
