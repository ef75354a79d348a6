//! The annual report computed from the platform's records: table 二(一) from the library's validity lifecycle,
//! 二(五)(六)(八) and the narrative's figures from entered figures, 三 and 四 from the case logs, 六's fee statement
//! from the fees recorded, and the publication deadlines. Pure: the app loads the records and calls [`compute`].
//! See docs/law/annual-report.md.
//!
//! Counting rules (see docs/law/annual-report.md, tables 三 and 四):
//! - An application is *received* on its date of receipt (Art. 31: the confirmation date, or the submission day
//!   for channels received on submission). One never received and still open is not counted; one closed without
//!   a receipt (withdrawn before confirmation) counts as received on its submission day.
//! - It is *answered* by its first closing event: 答复决定 (its outcome), 撤回 (（六）3), 逾期未补正 (（六）1) or
//!   逾期未缴费 (（六）2). Each application is counted once in table 三, under that first answer. A 结果纠正 by a
//!   复议/诉讼 reopens the case and a new answer follows, but the application is not counted again: the
//!   correction shows in table 四 (结果纠正).
//! - Table 四 counts, for year Y, every 复议/诉讼 filed by 31 Dec Y and not decided before 1 Jan Y (cases carried
//!   from the previous year included): its result if decided in Y, otherwise 尚未审结.

use super::{
    AnnualReport, ApplicantColumn, ReportFormat, Sections, T2Doc, T3Row, T4Column, T4Group, Table2, Table3, Table4,
};
use crate::agency::AgencyKind;
use crate::application::{ApplicantType, CaseEvent, CaseEventKind, Outcome, ReviewKind, ReviewResult};
use crate::catalog::{DocClass, Validity};
use std::collections::BTreeMap;
use time::{Date, Month};

mod tally;
pub use tally::{CASE_FACTS_VERSION, CaseGroup, CaseSummary, CaseTally};

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
/// See docs/law/annual-report.md, table 二.
pub const FIGURES: [FigureDef; 17] = [
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
    // 一（五）监督保障 (docs/law/supervision.md §6): counted from the 分工方案, the site checks and the 政务新媒体
    // register when not typed.
    fig("workplan_tasks", "工作要点分工方案任务", "项", Some("要点任务")),
    fig("workplan_done", "工作要点任务年底前完成", "项", Some("完成任务")),
    fig("sites_checked", "检查政府网站", "个", Some("检查网站")),
    fig("sites_failing", "检查不合格政府网站", "个", Some("不合格网站")),
    fig("bulletins", "发布检查通报", "期", Some("通报")),
    fig("media_opened", "新开设政务新媒体账号", "个", Some("新开账号")),
    fig("media_closed", "关停注销政务新媒体账号", "个", Some("注销账号")),
    fig("media_checks", "政务新媒体季度检查", "个次", Some("新媒体检查")),
    fig("media_failing", "政务新媒体检查不合格", "个次", Some("不合格账号")),
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
pub const PLACEHOLDERS: [(&str, &str); 26] = [
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
    ("工作要点", "本年度工作要点分工方案的名称（书名号内）"),
    ("要点任务", "填报数据或分工方案：任务项数"),
    ("完成任务", "填报数据或分工方案：12月31日前报告完成的任务"),
    ("检查网站", "填报数据或网站监测：年底检查的本机关及下级网站"),
    ("不合格网站", "填报数据或网站监测：其中不合格的网站"),
    ("通报", "填报数据：发布检查通报期数"),
    ("新开账号", "填报数据或政务新媒体登记：本年开设账号"),
    ("注销账号", "填报数据或政务新媒体登记：本年注销账号"),
    ("新媒体检查", "填报数据或政务新媒体登记：本年季度检查个次"),
    ("不合格账号", "填报数据或政务新媒体登记：其中不合格个次"),
];

pub const TEMPLATE_ONE: &str = "{年份}年，{机关}认真贯彻落实《中华人民共和国政府信息公开条例》（国务院令第711号），坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。数据统计时限为{年份}年1月1日至{年份}年12月31日。
（一）主动公开：{年份}年，通过政府门户网站主动公开政府信息{主动公开条数}条，本年制发行政规范性文件{制发规范性文件}件；12345热线办理工单{热线工单}件；“市长信箱”来信{信箱来信}件，接听来电{来电}通。
（二）依申请公开：{年份}年，新收政府信息公开申请{收到申请}件，上年结转政府信息公开申请{上年结转}件；本年度办结{办结}件，其中予以公开{予以公开}件、部分公开{部分公开}件；结转下年度继续办理{结转下年度}件。
（三）政府信息管理：（请填写政府信息管理方面的工作情况。）
（四）平台建设：（请填写政府信息公开平台建设情况。）
（五）监督保障：{年份}年，印发{工作要点}，明确工作任务{要点任务}项，截至年底已完成{完成任务}项；对{检查网站}个政府网站开展监测检查，不合格{不合格网站}个，发布检查通报{通报}期；新开设政务新媒体账号{新开账号}个、关停注销{注销账号}个，开展季度检查{新媒体检查}个次，不合格{不合格账号}个次。（请填写教育培训情况。）本年度涉及政府信息公开的行政复议{复议}件、行政诉讼{诉讼}件。";

pub const TEMPLATE_FIVE: &str =
    "{年份}年，本机关政府信息公开工作仍存在一些不足：（请填写存在的主要问题）。下一步，将（请填写改进措施）。";

pub const TEMPLATE_SIX: &str = "收取信息处理费的情况：{收费说明}";

/// See docs/law/annual-report.md (publication deadlines, 条例 Art. 49–50).
///
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
pub type Review = (ReviewKind, Date, Option<(Date, ReviewResult)>);

/// What one application contributes to table 三 (and 四), read from its case log.
/// See docs/law/annual-report.md, tables 三 and 四.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseFacts {
    pub column: ApplicantColumn,
    pub received: Option<Date>,
    /// First answer: date and outcome.
    pub answered: Option<(Date, Outcome)>,
    /// 复议/诉讼: kind, filed on, decided (date, result).
    pub reviews: Vec<Review>,
    /// 收费通知 delivered (date, amount in yuan) and payments (date).
    pub fee_notices: Vec<(Date, u64)>,
    pub fees_paid: Vec<(Date, u64)>,
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

/// The facts of one application from its stored applicant type, submission day and case log (in order).
///
/// - It is *received* on its date of receipt (条例 Art. 31: the confirmation date, or the submission day for
///   channels received on submission). One never received and still open is not counted; one closed without a
///   receipt (withdrawn before confirmation) counts as received on its submission day.
/// - It is *answered* by its first closing event: 答复决定 (its outcome), 撤回, 逾期未补正 or 逾期未缴费.
pub fn case_facts<'a>(
    applicant_type: &str,
    submitted_on: Date,
    events: impl IntoIterator<Item = &'a CaseEvent>,
) -> CaseFacts {
    let column = ApplicantType::parse(applicant_type).map(column_of).unwrap_or(ApplicantColumn::Other);
    let mut f = CaseFacts {
        column,
        received: None,
        answered: None,
        reviews: Vec::new(),
        fee_notices: Vec::new(),
        fees_paid: Vec::new(),
    };
    let mut submitted = submitted_on;
    let mut last_amount = 0;
    for e in events {
        let d = e.date;
        let answer = match &e.kind {
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

/// Table 三 of `year` from the cases (totals computed, so R1–R3 hold by construction).
/// See docs/law/annual-report.md, table 三.
pub fn table3(facts: &[CaseFacts], year: i32) -> Table3 {
    table3_of_groups(&CaseTally::of(facts).groups, year)
}

/// Table 三 of `year` from groups of cases (see [`CaseTally`]).
pub fn table3_of_groups(groups: &[CaseGroup], year: i32) -> Table3 {
    let mut counts = [[0u64; 7]; 25];
    let mut add = |row: T3Row, col: ApplicantColumn, n: u64| counts[row.index()][col.index()] += n;
    for g in groups {
        let (ry, col, n) = (g.received_year, g.column, g.count);
        if ry > year {
            continue;
        }
        if ry == year {
            add(T3Row::New, col, n);
        } else if g.answered.is_none_or(|(a, _)| a >= year) {
            add(T3Row::CarriedIn, col, n);
        }
        match g.answered {
            Some((a, row)) if a == year => add(row, col, n),
            Some((a, _)) if a < year => {}
            _ => add(T3Row::CarriedOut, col, n),
        }
    }
    let mut t = Table3::zeros();
    for row in T3Row::ALL {
        for col in ApplicantColumn::PARTS {
            // A count too large for a cell is left blank rather than wrapped.
            t.set(row, col, u32::try_from(counts[row.index()][col.index()]).ok());
        }
    }
    for col in ApplicantColumn::PARTS {
        let total: Option<u32> =
            T3Row::LEAVES.iter().try_fold(0u32, |s, &r| t.get(r, col).and_then(|v| s.checked_add(v)));
        t.set(T3Row::Total, col, total);
    }
    for row in T3Row::ALL {
        let total: Option<u32> =
            ApplicantColumn::PARTS.iter().try_fold(0u32, |s, &c| t.get(row, c).and_then(|v| s.checked_add(v)));
        t.set(row, ApplicantColumn::Total, total);
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

/// Table 四 of `year`: reviews open at some point of the year, by their result in the year: every 复议/诉讼
/// filed by 31 Dec Y and not decided before 1 Jan Y. See docs/law/annual-report.md, table 四.
pub fn table4(facts: &[CaseFacts], year: i32) -> Table4 {
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
/// See docs/law/annual-report.md, section 六 and check R8.
pub fn fee_statement(facts: &[CaseFacts], year: i32) -> String {
    let notices = facts.iter().flat_map(|f| &f.fee_notices).filter(|(d, _)| d.year() == year).count();
    let paid: u64 = facts.iter().flat_map(|f| &f.fees_paid).filter(|(d, _)| d.year() == year).map(|p| p.1).sum();
    match (notices, paid) {
        (0, 0) => "本年度无发出收费通知，无收取信息处理费用。".into(),
        (n, 0) => format!("本年度发出收费通知{n}件，未收取信息处理费用。"),
        (n, yuan) => format!("本年度发出收费通知{n}件，收取信息处理费{yuan}元。"),
    }
}

/// Table 二(一) from the library: 本年制发 (written in Y), 本年废止 (repealed or lapsed in Y), 现行有效 (in force on
/// 31 Dec Y). See docs/law/annual-report.md, table 二(一).
pub fn library_row(docs: &[LibraryDoc], class: DocClass, year: i32) -> T2Doc {
    let end = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX);
    let mut row = T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) };
    let inc = |v: &mut Option<u32>| *v = Some(v.unwrap_or(0) + 1);
    for e in docs.iter().filter(|e| e.class == class) {
        let ended_on = &e.ended_on;
        let issued = e.written_on.or(e.effective_on);
        if issued.is_some_and(|d| d.year() == year) {
            inc(&mut row.issued);
        }
        // The day it stopped being in force: the repealing/amending act's date, or the day after 失效日期.
        let recorded = e.validity;
        let stop = match recorded {
            Some(Validity::Repealed | Validity::Amended) => *ended_on,
            _ => e.expires_on.and_then(|x| x.next_day()),
        };
        if stop.is_some_and(|d| d.year() == year) && recorded != Some(Validity::Amended) {
            inc(&mut row.repealed);
        }
        let stopped = stop.is_some_and(|d| d <= end);
        let started = issued.is_some_and(|d| d <= end) && e.effective_on.is_none_or(|d| d <= end);
        if started && !stopped && Validity::on(end, e.effective_on, e.expires_on, None) == Validity::InForce {
            inc(&mut row.in_force);
        }
    }
    row
}

/// One published 规章 or 规范性文件 of the library, as table 二(一) reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibraryDoc {
    pub class: DocClass,
    pub written_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub expires_on: Option<Date>,
    /// The validity as recorded (repealed, amended …); `None` when nothing was recorded.
    pub validity: Option<Validity>,
    /// The day a repealed or amended document stopped being in force (the repealing act's date).
    pub ended_on: Option<Date>,
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

/// What [`compute`] needs, loaded by the app.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub agency_name: &'a str,
    pub year: i32,
    /// The agency's applications (see [`case_facts`] and [`CaseTally`]).
    pub cases: &'a CaseTally,
    /// The agency's published 规章 and 规范性文件.
    pub library: &'a [LibraryDoc],
    /// Entered figures of the year: key (see [`FIGURES`]) → value as stored.
    pub figures: &'a BTreeMap<String, String>,
    /// The narrative as edited (sections 一, 五, 六), `None` for the templates.
    pub narrative: Option<(&'a str, &'a str, &'a str)>,
    /// Text placeholders gathered from other records (`工作要点`: the plan's title); a missing one reads
    /// "（未填写）".
    pub texts: &'a BTreeMap<&'static str, String>,
}

/// The report of one agency and year from its records (totals computed; placeholders filled).
/// See docs/law/annual-report.md.
pub fn compute(input: &ReportInput<'_>) -> AnnualReport {
    let ReportInput { agency_name, year, cases, library, figures, narrative, texts } = *input;
    let figure = |key: &str| figures.get(key).cloned();
    let count = |key: &str| figure(key).and_then(|v| v.parse::<u32>().ok());
    let t2 = Table2 {
        rules: library_row(library, DocClass::Rule, year),
        normative: library_row(library, DocClass::Normative, year),
        licensing: count("licensing"),
        penalty: count("penalty"),
        coercion: count("coercion"),
        fees: figure("admin_fees").and_then(|v| v.parse::<f64>().ok()),
    };
    let t3 = table3_of_groups(&cases.groups, year);
    let t4 = table4(&cases.detailed, year);
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    values.insert("年份", year.to_string());
    values.insert("机关", agency_name.to_owned());
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
    values.insert("收费说明", fee_statement(&cases.detailed, year));
    values.insert("制发规范性文件", t2.normative.issued.unwrap_or(0).to_string());
    for f in FIGURES {
        if let Some(p) = f.placeholder {
            values.insert(p, figure(f.key).unwrap_or_else(|| "（未填写）".into()));
        }
    }
    values.insert("工作要点", texts.get("工作要点").cloned().unwrap_or_else(|| "（未填写）".into()));
    let (one, five, six) = narrative.unwrap_or((TEMPLATE_ONE, TEMPLATE_FIVE, TEMPLATE_SIX));
    let sections = Sections {
        one: Some(fill_placeholders(one, &values)),
        five: Some(fill_placeholders(five, &values)),
        six: Some(fill_placeholders(six, &values)),
    };
    AnnualReport {
        agency: Some(agency_name.to_owned()),
        year: Some(year),
        format: ReportFormat::V2021,
        t2,
        t3,
        t4,
        sections,
    }
}

/// Adds the tables of `r` to `sum` (the 主管部门's roll-up); a sum too large for a cell is left blank.
pub fn add_tables(sum: &mut AnnualReport, r: &AnnualReport) {
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

#[cfg(test)]
mod tests;
