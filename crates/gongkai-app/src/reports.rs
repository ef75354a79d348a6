//! 年度报告 generated from live data (`annual-report.md`): table 二(一) from the library's validity lifecycle,
//! 二(五)(六)(八) and the narrative's yearly figures from entered figures, 三 and 四 from the case logs, 六's fee
//! statement from the fees recorded; the narrative per (agency, year) and the workflow draft → submitted to the
//! 主管部门 → returned / approved → published (frozen) under the agency's 公开年报 column.
//!
//! Counting rules (decided here, documented in `docs/ARCHITECTURE.md`):
//! - An application is *received* on its date of receipt (Art. 31: the confirmation date, or the submission day
//!   for channels received on submission). One never received and still open is not counted; one closed without
//!   a receipt (withdrawn before confirmation) counts as received on its submission day.
//! - It is *answered* by its first closing event: 答复决定 (its outcome), 撤回 (（六）3), 逾期未补正 (（六）1) or
//!   逾期未缴费 (（六）2). Each application is counted once in table 三, under that first answer. A 结果纠正 by a
//!   复议/诉讼 reopens the case and a new answer follows, but the application is not counted again: the
//!   correction shows in table 四 (结果纠正).
//! - Table 四 counts, for year Y, every 复议/诉讼 filed by 31 Dec Y and not decided before 1 Jan Y (cases carried
//!   from the previous year included): its result if decided in Y, otherwise 尚未审结.

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::{AgencyKind, Role};
use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Sections, T2Doc, T3Row, T4Column, T4Group, Table2, Table3,
    Table4, check, check_cross_year,
};
use gongkai_domain::application::{ApplicantType, CaseEventKind, Outcome, ReviewKind, ReviewResult};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::FixedColumn;
use gongkai_domain::catalog::{DocClass, EntryStatus, Validity};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::applications as cases;
use gongkai_store::catalog::{self, Entry, EntryFields};
use gongkai_store::reports::{self as store, Figure, ReportRecord, ReportStatus, Step};
use gongkai_store::{Actor, NewAuditEvent, StoreError, audit, jobs};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Month};

/// The report as a portal `<article>` (classes only, every text escaped): the body of a published 公开年报.
pub use gongkai_report::render::html_article;

/// A yearly figure that comes from outside the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureDef {
    /// Stable key (forms, CSV, storage).
    pub key: &'static str,
    /// Chinese label (also accepted as the key in CSV files).
    pub label: &'static str,
    pub unit: &'static str,
    /// Decimals allowed (万元); otherwise a whole number.
    pub decimal: bool,
    /// The narrative placeholder it fills, if any (`{热线工单}`).
    pub placeholder: Option<&'static str>,
}

const fn fig(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    placeholder: Option<&'static str>,
) -> FigureDef {
    FigureDef { key, label, unit, decimal: false, placeholder }
}

/// Every figure staff enter per (agency, year): table 二(五)(六)(八), and what the narrative quotes.
pub const FIGURES: [FigureDef; 8] = [
    fig("licensing", "行政许可 本年处理决定数量", "件", None),
    fig("penalty", "行政处罚 本年处理决定数量", "件", None),
    fig("coercion", "行政强制 本年处理决定数量", "件", None),
    FigureDef {
        key: "admin_fees",
        label: "行政事业性收费 本年收费金额",
        unit: "万元",
        decimal: true,
        placeholder: None,
    },
    fig("items_published", "主动公开政府信息条数", "条", Some("主动公开条数")),
    fig("hotline_orders", "12345热线办理工单", "件", Some("热线工单")),
    fig("mailbox_letters", "市长信箱来信", "件", Some("信箱来信")),
    fig("calls", "接听来电", "通", Some("来电")),
];

pub fn figure_def(key_or_label: &str) -> Option<&'static FigureDef> {
    let k = key_or_label.trim();
    FIGURES.iter().find(|f| f.key == k || f.label == k || f.label.split(' ').next() == Some(k))
}

/// Checks a typed figure: a non-negative number (whole for counts; up to 4 decimals for 万元). Thousands
/// separators (`3,100`) are accepted and dropped.
pub fn parse_figure(def: &FigureDef, raw: &str) -> std::result::Result<String, String> {
    let v: String = raw.trim().chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    let bad = || {
        if def.decimal {
            format!("“{}”须填写不小于0的数字（单位：{}，最多4位小数），“{}”不是", def.label, def.unit, raw.trim())
        } else {
            format!("“{}”须填写不小于0的整数（单位：{}），“{}”不是", def.label, def.unit, raw.trim())
        }
    };
    if v.is_empty() || v.len() > 15 {
        return Err(bad());
    }
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) if def.decimal => (i, Some(f)),
        Some(_) => return Err(bad()),
        None => (v.as_str(), None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f) || f.len() > 4) {
        return Err(bad());
    }
    // Counts fill the `u32` cells of table 二: a larger one would silently become a blank cell.
    if !def.decimal && int.parse::<u32>().is_err() {
        return Err(bad());
    }
    // Canonical form: no leading zeros, no trailing fractional zeros.
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Ok(match frac.map(|f| f.trim_end_matches('0')).filter(|f| !f.is_empty()) {
        Some(f) => format!("{int}.{f}"),
        None => int.to_owned(),
    })
}

/// Placeholders of the narrative, filled from the tables and figures when the report is generated.
pub const PLACEHOLDERS: [(&str, &str); 16] = [
    ("年份", "报告年度"),
    ("机关", "本机关名称"),
    ("收到申请", "表三 一、本年新收申请 总计"),
    ("上年结转", "表三 二、上年结转 总计"),
    ("办结", "表三 （七）总计"),
    ("予以公开", "表三 （一）予以公开 总计"),
    ("部分公开", "表三 （二）部分公开 总计"),
    ("结转下年度", "表三 四、结转下年度继续办理 总计"),
    ("复议", "表四 行政复议 总计"),
    ("诉讼", "表四 行政诉讼 总计"),
    ("收费说明", "信息处理费的收取情况（按收费记录）"),
    ("主动公开条数", "填报数据：主动公开政府信息条数"),
    ("热线工单", "填报数据：12345热线办理工单"),
    ("信箱来信", "填报数据：市长信箱来信"),
    ("来电", "填报数据：接听来电"),
    ("制发规范性文件", "表二 行政规范性文件 本年制发件数"),
];

pub const TEMPLATE_ONE: &str = "{年份}年，{机关}认真贯彻落实《中华人民共和国政府信息公开条例》（国务院令第711号），坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。数据统计时限为{年份}年1月1日至{年份}年12月31日。
（一）主动公开：{年份}年，通过政府门户网站主动公开政府信息{主动公开条数}条，本年制发行政规范性文件{制发规范性文件}件；12345热线办理工单{热线工单}件；“市长信箱”来信{信箱来信}件，接听来电{来电}通。
（二）依申请公开：{年份}年，新收政府信息公开申请{收到申请}件，上年结转政府信息公开申请{上年结转}件；本年度办结{办结}件，其中予以公开{予以公开}件、部分公开{部分公开}件；结转下年度继续办理{结转下年度}件。
（三）政府信息管理：（请填写政府信息管理方面的工作情况。）
（四）平台建设：（请填写政府信息公开平台建设情况。）
（五）监督保障：（请填写监督保障及教育培训情况。）本年度涉及政府信息公开的行政复议{复议}件、行政诉讼{诉讼}件。";

pub const TEMPLATE_FIVE: &str =
    "{年份}年，本机关政府信息公开工作仍存在一些不足：（请填写存在的主要问题）。下一步，将（请填写改进措施）。";

pub const TEMPLATE_SIX: &str = "收取信息处理费的情况：{收费说明}";

/// When the report of year Y must be published, as a day of Y+1: the law's 31 January (departments, 乡镇/街道)
/// and 31 March (a 人民政府's own report), or earlier internal deadlines set by local rules (*configurable*,
/// `[reports]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDeadlines {
    /// (month, day) for every agency that is not a 人民政府.
    pub department: (Month, u8),
    /// (month, day) for a 人民政府's own report.
    pub government: (Month, u8),
}

impl Default for ReportDeadlines {
    fn default() -> Self {
        Self { department: (Month::January, 31), government: (Month::March, 31) }
    }
}

impl ReportDeadlines {
    /// Reads `MM-DD` deadlines; each must be a real day no later than the statutory one (local rules may only
    /// bring a deadline forward).
    pub fn parse(department: &str, government: &str) -> std::result::Result<Self, String> {
        let law = Self::default();
        let one = |s: &str, law: (Month, u8), what: &str| -> std::result::Result<(Month, u8), String> {
            let bad = || format!("{what}的发布期限“{s}”有误，应为“月-日”，例如 01-31，且不晚于法定期限");
            let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
            let m: u8 = m.parse().map_err(|_| bad())?;
            let d: u8 = d.parse().map_err(|_| bad())?;
            let month = Month::try_from(m).map_err(|_| bad())?;
            // A leap year accepts 29 February; the check against the law keeps it in January–March anyway.
            Date::from_calendar_date(2024, month, d).map_err(|_| bad())?;
            if (m, d) > (u8::from(law.0), law.1) {
                return Err(bad());
            }
            Ok((month, d))
        };
        Ok(Self {
            department: one(department, law.department, "部门年度报告")?,
            government: one(government, law.government, "人民政府年度报告")?,
        })
    }

    /// The deadline of the report of `year` of an agency of `kind`.
    pub fn for_report(&self, kind: AgencyKind, year: i32) -> Date {
        let (m, d) = if kind == AgencyKind::Government { self.government } else { self.department };
        Date::from_calendar_date(year + 1, m, d)
            .or_else(|_| Date::from_calendar_date(year + 1, m, d.saturating_sub(1)))
            .unwrap_or(Date::MAX)
    }
}

/// A 复议/诉讼: kind, filed on, and (when decided) the day and result.
type Review = (ReviewKind, Date, Option<(Date, ReviewResult)>);

/// What one application contributes to table 三 (and 四), read from its case log.
#[derive(Debug, Clone)]
struct CaseFacts {
    column: ApplicantColumn,
    received: Option<Date>,
    /// First answer: date and outcome.
    answered: Option<(Date, Outcome)>,
    /// 复议/诉讼: kind, filed on, decided (date, result).
    reviews: Vec<Review>,
    /// 收费通知 delivered (date, amount in yuan) and payments (date).
    fee_notices: Vec<(Date, u64)>,
    fees_paid: Vec<(Date, u64)>,
}

fn column_of(t: ApplicantType) -> ApplicantColumn {
    match t {
        ApplicantType::NaturalPerson => ApplicantColumn::NaturalPerson,
        ApplicantType::Business => ApplicantColumn::Business,
        ApplicantType::Research => ApplicantColumn::Research,
        ApplicantType::PublicWelfare => ApplicantColumn::PublicInterest,
        ApplicantType::LegalService => ApplicantColumn::LegalService,
        ApplicantType::OtherOrganisation => ApplicantColumn::Other,
    }
}

fn t3_row(o: Outcome) -> T3Row {
    T3Row::from_key(o.t3_key()).unwrap_or(T3Row::OtherHandling)
}

fn case_facts(app: &cases::Application, events: &[cases::EventRecord]) -> CaseFacts {
    let column = ApplicantType::parse(&app.applicant_type).map(column_of).unwrap_or(ApplicantColumn::Other);
    let mut f = CaseFacts {
        column,
        received: None,
        answered: None,
        reviews: Vec::new(),
        fee_notices: Vec::new(),
        fees_paid: Vec::new(),
    };
    let mut submitted = app.submitted_on;
    let mut last_amount = 0;
    for e in events {
        let d = e.event.date;
        let answer = match &e.event.kind {
            CaseEventKind::Submitted { channel, .. } => {
                submitted = d;
                if channel.receipt_on_submission() && f.received.is_none() {
                    f.received = Some(d);
                }
                None
            }
            CaseEventKind::ReceiptConfirmed => {
                f.received.get_or_insert(d);
                None
            }
            CaseEventKind::Decided { outcome, .. } => Some(*outcome),
            CaseEventKind::Withdrawn => Some(Outcome::Other),
            CaseEventKind::CorrectionExpired => Some(Outcome::NoCorrection),
            CaseEventKind::FeeExpired => Some(Outcome::FeeUnpaid),
            CaseEventKind::FeeNoticeDelivered { amount, .. } => {
                last_amount = *amount;
                f.fee_notices.push((d, *amount));
                None
            }
            CaseEventKind::FeePaid => {
                f.fees_paid.push((d, last_amount));
                None
            }
            CaseEventKind::ReviewFiled { kind, .. } => {
                f.reviews.push((*kind, d, None));
                None
            }
            CaseEventKind::ReviewDecided { kind, result } => {
                if let Some(r) = f.reviews.iter_mut().rev().find(|r| r.0 == *kind && r.2.is_none()) {
                    r.2 = Some((d, *result));
                }
                None
            }
            _ => None,
        };
        if let Some(o) = answer
            && f.answered.is_none()
        {
            f.answered = Some((d, o));
        }
    }
    if f.received.is_none() && f.answered.is_some() {
        f.received = Some(submitted);
    }
    // An answer cannot precede receipt (the clock refuses it); clamp so that a case is never counted out of order.
    if let (Some(r), Some((a, o))) = (f.received, f.answered)
        && a < r
    {
        f.answered = Some((r, o));
    }
    f
}

fn add(t: &mut Table3, row: T3Row, col: ApplicantColumn) {
    let cell = &mut t.cells[row.index()][col.index()];
    *cell = Some(cell.unwrap_or(0) + 1);
}

/// Table 三 of `year` from the cases (totals computed, so R1–R3 hold by construction).
fn table3(facts: &[CaseFacts], year: i32) -> Table3 {
    let mut t = Table3::zeros();
    for f in facts {
        let Some(received) = f.received else { continue };
        let ry = received.year();
        if ry > year {
            continue;
        }
        let ay = f.answered.map(|(d, _)| d.year());
        if ry == year {
            add(&mut t, T3Row::New, f.column);
        } else if ay.is_none_or(|a| a >= year) {
            add(&mut t, T3Row::CarriedIn, f.column);
        }
        match f.answered {
            Some((d, o)) if d.year() == year => add(&mut t, t3_row(o), f.column),
            Some((d, _)) if d.year() < year => {}
            _ => add(&mut t, T3Row::CarriedOut, f.column),
        }
    }
    for col in ApplicantColumn::PARTS {
        let total: u32 = T3Row::LEAVES.iter().map(|&r| t.get(r, col).unwrap_or(0)).sum();
        t.set(T3Row::Total, col, Some(total));
    }
    for row in T3Row::ALL {
        let total: u32 = ApplicantColumn::PARTS.iter().map(|&c| t.get(row, c).unwrap_or(0)).sum();
        t.set(row, ApplicantColumn::Total, Some(total));
    }
    t
}

fn t4_group(k: ReviewKind) -> T4Group {
    match k {
        ReviewKind::AdministrativeReview => T4Group::Review,
        ReviewKind::DirectSuit => T4Group::DirectSuit,
        ReviewKind::SuitAfterReview => T4Group::SuitAfterReview,
    }
}

/// Table 四 of `year`: reviews open at some point of the year, by their result in the year.
fn table4(facts: &[CaseFacts], year: i32) -> Table4 {
    let mut t = Table4::zeros();
    for (kind, filed, decided) in facts.iter().flat_map(|f| f.reviews.iter()) {
        if filed.year() > year || decided.is_some_and(|(d, _)| d.year() < year) {
            continue;
        }
        let col = match decided {
            Some((d, r)) if d.year() == year => match r {
                ReviewResult::Upheld => T4Column::Upheld,
                ReviewResult::Corrected => T4Column::Corrected,
                ReviewResult::Other => T4Column::OtherResult,
                ReviewResult::Pending => T4Column::Pending,
            },
            _ => T4Column::Pending,
        };
        let g = t4_group(*kind);
        for c in [col, T4Column::Total] {
            let v = t.get(g, c).unwrap_or(0) + 1;
            t.set(g, c, Some(v));
        }
    }
    t
}

/// The fee statement of section 六 (R8 reads it back): 收费通知 delivered in the year and fees paid in it.
fn fee_statement(facts: &[CaseFacts], year: i32) -> String {
    let notices = facts.iter().flat_map(|f| &f.fee_notices).filter(|(d, _)| d.year() == year).count();
    let paid: u64 = facts.iter().flat_map(|f| &f.fees_paid).filter(|(d, _)| d.year() == year).map(|p| p.1).sum();
    match (notices, paid) {
        (0, 0) => "本年度无发出收费通知，无收取信息处理费用。".into(),
        (n, 0) => format!("本年度发出收费通知{n}件，未收取信息处理费用。"),
        (n, yuan) => format!("本年度发出收费通知{n}件，收取信息处理费{yuan}元。"),
    }
}

/// Table 二(一) from the library: 本年制发 (written in Y), 本年废止 (repealed or lapsed in Y), 现行有效 (in force on
/// 31 Dec Y). `repeal_dates` gives the day each repealed or amended document stopped being in force.
fn library_row(docs: &[(&Entry, Option<Date>)], class: DocClass, year: i32) -> T2Doc {
    let end = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX);
    let mut row = T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) };
    let inc = |v: &mut Option<u32>| *v = Some(v.unwrap_or(0) + 1);
    for (e, ended_on) in docs.iter().filter(|(e, _)| e.fields.doc_class == class) {
        let issued = e.fields.written_on.or(e.fields.effective_on);
        if issued.is_some_and(|d| d.year() == year) {
            inc(&mut row.issued);
        }
        // The day it stopped being in force: the repealing/amending act's date, or the day after 失效日期.
        let recorded = e.fields.validity;
        let stop = match recorded {
            Some(Validity::Repealed | Validity::Amended) => *ended_on,
            _ => e.fields.expires_on.and_then(|x| x.next_day()),
        };
        if stop.is_some_and(|d| d.year() == year) && recorded != Some(Validity::Amended) {
            inc(&mut row.repealed);
        }
        let stopped = stop.is_some_and(|d| d <= end);
        let started = issued.is_some_and(|d| d <= end) && e.fields.effective_on.is_none_or(|d| d <= end);
        if started
            && !stopped
            && Validity::on(end, e.fields.effective_on, e.fields.expires_on, None) == Validity::InForce
        {
            inc(&mut row.in_force);
        }
    }
    row
}

fn figure_value(figures: &[Figure], key: &str) -> Option<String> {
    figures.iter().find(|f| f.key == key).map(|f| f.value.clone())
}

/// Fills `{placeholders}`; unknown braces are left as typed.
pub fn fill_placeholders(text: &str, values: &BTreeMap<&'static str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.contains_key(name) => {
                out.push_str(&values[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

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
        Ok(apps.iter().map(|a| case_facts(a, by_app.get(&a.id).map(Vec::as_slice).unwrap_or(&[]))).collect())
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
            docs.push((e, ended));
        }
        let count = |key: &str| figure_value(&figures, key).and_then(|v| v.parse::<u32>().ok());
        let t2 = Table2 {
            rules: library_row(&docs, DocClass::Rule, year),
            normative: library_row(&docs, DocClass::Normative, year),
            licensing: count("licensing"),
            penalty: count("penalty"),
            coercion: count("coercion"),
            fees: figure_value(&figures, "admin_fees").and_then(|v| v.parse::<f64>().ok()),
        };
        let t3 = table3(&facts, year);
        let t4 = table4(&facts, year);
        let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
        values.insert("年份", year.to_string());
        values.insert("机关", agency.name.clone());
        let total = |r: T3Row| t3.get(r, ApplicantColumn::Total).unwrap_or(0).to_string();
        values.insert("收到申请", total(T3Row::New));
        values.insert("上年结转", total(T3Row::CarriedIn));
        values.insert("办结", total(T3Row::Total));
        values.insert("予以公开", total(T3Row::Disclosed));
        values.insert("部分公开", total(T3Row::PartlyDisclosed));
        values.insert("结转下年度", total(T3Row::CarriedOut));
        values.insert("复议", t4.get(T4Group::Review, T4Column::Total).unwrap_or(0).to_string());
        let suits = t4.get(T4Group::DirectSuit, T4Column::Total).unwrap_or(0)
            + t4.get(T4Group::SuitAfterReview, T4Column::Total).unwrap_or(0);
        values.insert("诉讼", suits.to_string());
        values.insert("收费说明", fee_statement(&facts, year));
        values.insert("制发规范性文件", t2.normative.issued.unwrap_or(0).to_string());
        for f in FIGURES {
            if let Some(p) = f.placeholder {
                values.insert(p, figure_value(&figures, f.key).unwrap_or_else(|| "（未填写）".into()));
            }
        }
        let (one, five, six) = match record {
            Some(r) => (r.section_one.as_str(), r.section_five.as_str(), r.section_six.as_str()),
            None => (TEMPLATE_ONE, TEMPLATE_FIVE, TEMPLATE_SIX),
        };
        let sections = Sections {
            one: Some(fill_placeholders(one, &values)),
            five: Some(fill_placeholders(five, &values)),
            six: Some(fill_placeholders(six, &values)),
        };
        Ok(AnnualReport {
            agency: Some(agency.name.clone()),
            year: Some(year),
            format: ReportFormat::V2021,
            t2,
            t3,
            t4,
            sections,
        })
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

fn add_tables(sum: &mut AnnualReport, r: &AnnualReport) {
    fn add(a: &mut Option<u32>, b: Option<u32>) {
        // A sum too large for a cell is left blank rather than wrapped (or a panic in debug builds).
        *a = match (*a, b) {
            (Some(x), Some(y)) => x.checked_add(y),
            _ => None,
        };
    }
    for (s, x) in [(&mut sum.t2.rules, &r.t2.rules), (&mut sum.t2.normative, &r.t2.normative)] {
        add(&mut s.issued, x.issued);
        add(&mut s.repealed, x.repealed);
        add(&mut s.in_force, x.in_force);
    }
    add(&mut sum.t2.licensing, r.t2.licensing);
    add(&mut sum.t2.penalty, r.t2.penalty);
    add(&mut sum.t2.coercion, r.t2.coercion);
    sum.t2.fees = match (sum.t2.fees, r.t2.fees) {
        (Some(x), Some(y)) => Some(((x + y) * 10_000.0).round() / 10_000.0),
        _ => None,
    };
    for (srow, rrow) in sum.t3.cells.iter_mut().zip(r.t3.cells.iter()) {
        for (s, x) in srow.iter_mut().zip(rrow.iter()) {
            add(s, *x);
        }
    }
    for (srow, rrow) in sum.t4.cells.iter_mut().zip(r.t4.cells.iter()) {
        for (s, x) in srow.iter_mut().zip(rrow.iter()) {
            add(s, *x);
        }
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
    fn figures_are_checked_and_kept_in_canonical_form() {
        let count = figure_def("hotline_orders").unwrap();
        let amount = figure_def("行政事业性收费").unwrap();
        assert_eq!(count.key, "hotline_orders");
        assert_eq!(amount.key, "admin_fees");
        assert_eq!(parse_figure(count, " 3,100 ").as_deref(), Ok("3100"));
        assert_eq!(parse_figure(count, "007").as_deref(), Ok("7"));
        assert_eq!(parse_figure(count, "0").as_deref(), Ok("0"));
        assert_eq!(parse_figure(amount, "1.2500").as_deref(), Ok("1.25"));
        assert_eq!(parse_figure(amount, "12.0").as_deref(), Ok("12"));
        assert_eq!(parse_figure(count, "4294967295").as_deref(), Ok("4294967295"));
        for bad in ["", "-1", "1.5", "一百", "1e3", "4294967296", "99999999999999999"] {
            assert!(parse_figure(count, bad).is_err(), "{bad}");
        }
        for bad in ["-0.5", "1.23456", ".5", "1.", "abc"] {
            assert!(parse_figure(amount, bad).is_err(), "{bad}");
        }
        assert!(figure_def("unknown").is_none());
    }

    #[test]
    fn rollup_sum_of_too_large_counts_is_blank_not_wrapped() {
        let mut sum = AnnualReport::default();
        sum.t2.licensing = Some(u32::MAX);
        sum.t2.penalty = Some(2);
        let mut r = AnnualReport::default();
        r.t2.licensing = Some(1);
        r.t2.penalty = Some(3);
        add_tables(&mut sum, &r);
        assert_eq!(sum.t2.licensing, None);
        assert_eq!(sum.t2.penalty, Some(5));
    }

    #[test]
    fn placeholders_are_filled_and_unknown_braces_left_alone() {
        let mut v = BTreeMap::new();
        v.insert("收到申请", "12".to_string());
        v.insert("年份", "2025".to_string());
        assert_eq!(
            fill_placeholders("{年份}年收到申请{收到申请}件，{未知}与{不完整", &v),
            "2025年收到申请12件，{未知}与{不完整"
        );
        assert_eq!(fill_placeholders("{{收到申请}}", &v), "{12}");
    }

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
