//! Evaluation and 考核 (incl. 第三方评估): a supervising agency's yearly scheme of indicators, the points its
//! agencies earn on each, totals, grades and ranks. docs/law/supervision.md §5, the project's choices in §10.7–§10.12.
//!
//! Points are kept in tenths (`i64`, 115 = 11.5 points) so that sums and caps are exact; weights and caps are whole
//! points.

use crate::agency::Invalid;
use serde::Serialize;

/// How an indicator is scored (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 权重赋分: the evaluator gives 0 … weight points.
    Weight,
    /// 扣分: the indicator starts at its weight; deductions are capped at `cap` (never above the weight).
    Deduct,
    /// 加分: bonus points on top, up to `cap`; no weight in the 100.
    Bonus,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Weight, Method::Deduct, Method::Bonus];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Weight => "weight",
            Method::Deduct => "deduct",
            Method::Bonus => "bonus",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Method::Weight => "权重赋分",
            Method::Deduct => "扣分",
            Method::Bonus => "加分",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s || m.label_zh() == s)
            .ok_or_else(|| Invalid::new(format!("未知的计分方式“{s}”")))
    }
}

/// Where the platform finds an indicator's points itself (§10.9). Each source has its own method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoSource {
    /// 目录建设: the share of the year's published items whose metadata is complete; nothing under a site-check
    /// veto (单项否决).
    Catalog,
    /// 年度报告: the report due in the year, published by its deadline and passing its checks.
    Report,
    /// 依申请公开及争议处理: late answers (−6 each) and answers corrected in 复议/诉讼 (−3 each).
    Applications,
}

impl AutoSource {
    pub const ALL: [AutoSource; 3] = [AutoSource::Catalog, AutoSource::Report, AutoSource::Applications];

    pub fn as_str(self) -> &'static str {
        match self {
            AutoSource::Catalog => "catalog",
            AutoSource::Report => "report",
            AutoSource::Applications => "applications",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AutoSource::Catalog => "平台计分：目录要素完整率（网站单项否决记零分）",
            AutoSource::Report => "平台计分：年度报告按时发布、校验通过",
            AutoSource::Applications => "平台计分：依申请按时答复、复议诉讼纠正",
        }
    }

    /// The method the source's rule scores by.
    pub fn method(self) -> Method {
        match self {
            AutoSource::Catalog => Method::Weight,
            AutoSource::Report | AutoSource::Applications => Method::Deduct,
        }
    }

    pub fn parse(s: &str) -> Result<Option<Self>, Invalid> {
        match s.trim() {
            "" | "manual" => Ok(None),
            s => Self::ALL
                .into_iter()
                .find(|a| a.as_str() == s)
                .map(Some)
                .ok_or_else(|| Invalid::new(format!("未知的平台计分来源“{s}”"))),
        }
    }
}

/// One indicator of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Short code, unique in the scheme (`A01` …).
    pub code: String,
    pub name: String,
    pub method: Method,
    /// Whole points of the 100 (0 for 加分).
    pub weight: i64,
    /// 扣分: the most that may be deducted (≤ weight); 加分: the most that may be added; 权重赋分: the weight.
    pub cap: i64,
    /// `None`: scored by hand with evidence.
    pub auto: Option<AutoSource>,
}

/// The default sheet (佳木斯 2018, third party, departments, 100 points; §5.4), with the three indicators the
/// platform can score itself wired to their sources (§10.9).
pub fn default_sheet() -> Vec<Indicator> {
    const ROWS: [(&str, &str, i64, Option<AutoSource>); 11] = [
        ("A01", "目录建设", 12, Some(AutoSource::Catalog)),
        ("A02", "规范性文件", 10, None),
        ("A03", "年度报告", 15, Some(AutoSource::Report)),
        ("A04", "财政预决算", 5, None),
        ("A05", "权责清单", 5, None),
        ("A06", "重点领域", 5, None),
        ("A07", "依申请公开及争议处理", 20, Some(AutoSource::Applications)),
        ("A08", "政策解读", 10, None),
        ("A09", "舆情回应", 8, None),
        ("A10", "两微一端", 6, None),
        ("A11", "工作要点", 4, None),
    ];
    ROWS.iter()
        .map(|(code, name, weight, auto)| Indicator {
            code: (*code).into(),
            name: (*name).into(),
            method: auto.map(AutoSource::method).unwrap_or(Method::Weight),
            weight: *weight,
            cap: *weight,
            auto: *auto,
        })
        .collect()
}

/// Checks one indicator as typed (code, name, numbers, cap within the weight); the method of an auto indicator is
/// its source's.
pub fn check_indicator(i: &Indicator) -> Result<Indicator, Invalid> {
    let code = i.code.trim();
    if code.is_empty() || code.chars().count() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Invalid::new("指标编号须为1至10位字母、数字或连字符，例如 A12"));
    }
    let name = crate::agency::parse_name(&i.name, "指标名称", 40)?;
    let method = i.auto.map(AutoSource::method).unwrap_or(i.method);
    if !(0..=100).contains(&i.weight) || !(0..=100).contains(&i.cap) {
        return Err(Invalid::new("分值和上限须在0至100分之间"));
    }
    let (weight, cap) = match method {
        Method::Weight => {
            if i.weight == 0 {
                return Err(Invalid::new("权重赋分指标的分值须大于0"));
            }
            (i.weight, i.weight)
        }
        Method::Deduct => {
            if i.weight == 0 {
                return Err(Invalid::new("扣分指标的分值须大于0"));
            }
            // §5.1: a deduction is capped at the indicator's own weight.
            if i.cap > i.weight {
                return Err(Invalid::new("扣分上限不能超过该指标的分值"));
            }
            (i.weight, if i.cap == 0 { i.weight } else { i.cap })
        }
        Method::Bonus => {
            if i.cap == 0 {
                return Err(Invalid::new("加分指标须填写加分上限"));
            }
            (0, i.cap)
        }
    };
    Ok(Indicator { code: code.to_owned(), name, method, weight, cap, auto: i.auto })
}

/// What is wrong with a scheme as a whole: the weights of 权重赋分 and 扣分 indicators must sum to 100 (§5.1), codes
/// must be unique. Shown as warnings; scoring is not blocked.
pub fn scheme_warnings(indicators: &[Indicator]) -> Vec<String> {
    let mut out = Vec::new();
    let sum: i64 = indicators.iter().map(|i| i.weight).sum();
    if sum != 100 {
        out.push(format!("各指标分值合计为{sum}分，应为100分（加分项不计入）。"));
    }
    let mut codes: Vec<&str> = indicators.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    for w in codes.windows(2) {
        if w[0] == w[1] {
            out.push(format!("指标编号“{}”重复。", w[0]));
        }
    }
    out
}

/// Parses points typed by hand (“11.5”, “8”) into tenths; at most one decimal, not negative.
pub fn parse_points(s: &str) -> Result<i64, Invalid> {
    let s = s.trim();
    let bad = || Invalid::new(format!("“{s}”不是有效的分数：请填写不小于0的数字，最多一位小数，例如 8 或 7.5"));
    if s.is_empty() {
        return Err(Invalid::new("请填写分数"));
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 4 || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 1 {
        return Err(bad());
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
    Ok(whole * 10 + frac)
}

/// Tenths as shown: `115` → `11.5`, `80` → `8`.
pub fn fmt_points(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.abs();
    if t % 10 == 0 { format!("{sign}{}", t / 10) } else { format!("{sign}{}.{}", t / 10, t % 10) }
}

/// Checks a hand-entered raw value against the indicator: points earned (权重赋分, ≤ weight), points deducted (扣分,
/// ≤ cap) or bonus points (加分, ≤ cap).
pub fn check_manual(i: &Indicator, raw: i64) -> Result<i64, Invalid> {
    let (limit, what) = match i.method {
        Method::Weight => (i.weight, "得分"),
        Method::Deduct => (i.cap, "扣分"),
        Method::Bonus => (i.cap, "加分"),
    };
    if raw < 0 || raw > limit * 10 {
        return Err(Invalid::new(format!("“{}”的{what}应在0至{limit}分之间", i.name)));
    }
    Ok(raw)
}

/// The points an indicator contributes for a raw value (see [`check_manual`]); `None` (not scored yet) earns
/// nothing on 权重赋分 and 加分 and deducts nothing on 扣分. Caps apply (§5.1).
pub fn points(i: &Indicator, raw: Option<i64>) -> i64 {
    let raw = raw.unwrap_or(0).max(0);
    match i.method {
        Method::Weight => raw.min(i.weight * 10),
        Method::Deduct => (i.weight * 10 - raw.min(i.cap.min(i.weight) * 10)).max(0),
        Method::Bonus => raw.min(i.cap * 10),
    }
}

/// The facts the auto indicators read, for one agency and the scheme's year (gathered by the app).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AutoFacts {
    /// Catalog items published in the year, and those with complete metadata.
    pub published: u32,
    pub complete: u32,
    /// The day the facts are as of (the end of the year, or today while the year runs).
    pub evaluated_on: Option<time::Date>,
    /// Whether the site check as of the evaluation day has a veto (单项否决).
    pub site_veto: bool,
    /// The report due in the year (on the year before): its deadline, publication day, and errors of its checks.
    pub report_year: i32,
    pub report_due: Option<time::Date>,
    pub report_published: Option<time::Date>,
    pub report_errors: u32,
    /// Applications answered in the year (on time and late) and open past their deadline on the evaluation day.
    pub answered_on_time: u32,
    pub answered_late: u32,
    pub open_overdue: u32,
    /// 复议/诉讼 decided in the year with the result 纠正.
    pub corrected: u32,
}

/// The metadata an item of the 公开目录 must carry (§10.11, after proactive-disclosure.md §3.2 and §4): 索引号, 发布机构,
/// 公开属性, 内容概述, a 成文 or 形成 date, and a 文号 for 规章 and 规范性文件. Returns the names of what is missing.
pub fn missing_metadata(
    index_no: &str,
    doc_no: &str,
    numbered_class: bool,
    publisher: &str,
    disclosure: &str,
    summary: &str,
    dated: bool,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (value, name) in
        [(index_no, "索引号"), (publisher, "发布机构"), (disclosure, "公开属性"), (summary, "内容概述")]
    {
        if value.trim().is_empty() {
            out.push(name);
        }
    }
    if numbered_class && doc_no.trim().is_empty() {
        out.push("文号");
    }
    if !dated {
        out.push("成文日期");
    }
    out
}

/// Deductions of §5.2 (鲤城) the project uses, in points.
pub const LATE_REPLY: i64 = 6;
pub const CORRECTED: i64 = 3;
pub const REPORT_LATE: i64 = 5;
pub const REPORT_CHECKS: i64 = 5;

/// The raw value of an auto indicator (points earned for 权重赋分, deducted for 扣分, in tenths) and why.
pub fn auto_raw(source: AutoSource, i: &Indicator, f: &AutoFacts) -> (i64, String) {
    match source {
        AutoSource::Catalog => {
            if f.site_veto {
                return (0, "网站自查存在单项否决，本项记0分".into());
            }
            if f.published == 0 {
                return (0, "年内没有发布信息，本项记0分".into());
            }
            // weight × complete / published, rounded half up to tenths.
            let raw =
                (i.weight * 10 * i64::from(f.complete) * 2 + i64::from(f.published)) / (2 * i64::from(f.published));
            (raw, format!("年内发布{}条，要素齐全{}条（{}）", f.published, f.complete, share(f.complete, f.published)))
        }
        AutoSource::Report => {
            let year = f.report_year;
            let Some(due) = f.report_due else {
                return (i.weight * 10, format!("{year}年度报告无期限可查"));
            };
            let due_zh = crate::calendar::format_date_zh(due);
            let Some(published) = f.report_published else {
                if f.evaluated_on.is_some_and(|d| d <= due) {
                    return (0, format!("{year}年度报告尚未发布，发布期限{due_zh}未到，暂不扣分"));
                }
                return (i.weight * 10, format!("{year}年度报告未发布（应于{due_zh}前发布），扣{}分", i.weight));
            };
            let mut d = 0;
            let mut why = vec![format!("{year}年度报告于{}发布", crate::calendar::format_date_zh(published))];
            if published > due {
                d += REPORT_LATE;
                why.push(format!("晚于{due_zh}，扣{REPORT_LATE}分"));
            } else {
                why.push("按时".into());
            }
            if f.report_errors > 0 {
                d += REPORT_CHECKS;
                why.push(format!("校验有{}处错误，扣{REPORT_CHECKS}分", f.report_errors));
            } else {
                why.push("校验通过".into());
            }
            (d * 10, why.join("，"))
        }
        AutoSource::Applications => {
            let late = f.answered_late + f.open_overdue;
            let total = f.answered_on_time + late;
            let d = LATE_REPLY * i64::from(late) + CORRECTED * i64::from(f.corrected);
            let why = format!(
                "按时答复{}件，逾期答复{}件，超期未答复{}件（按时率{}）；复议诉讼纠正{}件；扣{}分",
                f.answered_on_time,
                f.answered_late,
                f.open_overdue,
                share(f.answered_on_time, total),
                f.corrected,
                d
            );
            (d * 10, why)
        }
    }
}

/// `a / b` as a percentage with one decimal (“—” when b is 0).
pub fn share(a: u32, b: u32) -> String {
    if b == 0 {
        return "—".into();
    }
    let tenths = (u64::from(a) * 2000 + u64::from(b)) / (2 * u64::from(b));
    format!("{}%", fmt_points(i64::try_from(tenths).unwrap_or(0)))
}

/// Grade bands (§10.10): 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below; on the total in tenths.
pub fn grade(total: i64) -> &'static str {
    match total {
        t if t >= 900 => "优秀",
        t if t >= 800 => "良好",
        t if t >= 600 => "合格",
        _ => "不合格",
    }
}

/// Ranks by total, highest first; equal totals share a rank and the next rank skips (1, 2, 2, 4).
pub fn rank(totals: &[i64]) -> Vec<usize> {
    totals.iter().map(|t| 1 + totals.iter().filter(|o| *o > t).count()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ind(method: Method, weight: i64, cap: i64) -> Indicator {
        Indicator { code: "X".into(), name: "测试".into(), method, weight, cap, auto: None }
    }

    #[test]
    fn the_default_sheet_is_the_spec_s_100_points() {
        let s = default_sheet();
        assert_eq!(s.len(), 11);
        assert_eq!(s.iter().map(|i| i.weight).sum::<i64>(), 100);
        assert!(scheme_warnings(&s).is_empty());
        let a07 = s.iter().find(|i| i.name == "依申请公开及争议处理").unwrap();
        assert_eq!((a07.weight, a07.method, a07.auto), (20, Method::Deduct, Some(AutoSource::Applications)));
        assert_eq!(s[0].name, "目录建设");
        assert_eq!(s[0].weight, 12);
    }

    #[test]
    fn warnings_name_the_sum_and_duplicates() {
        let mut s = default_sheet();
        s[1].weight = 9;
        s[2].code = "A01".into();
        let w = scheme_warnings(&s);
        assert_eq!(
            w,
            vec!["各指标分值合计为99分，应为100分（加分项不计入）。".to_owned(), "指标编号“A01”重复。".into()]
        );
    }

    #[test]
    fn points_parse_and_show_in_tenths() {
        assert_eq!(parse_points("11.5").unwrap(), 115);
        assert_eq!(parse_points(" 8 ").unwrap(), 80);
        assert_eq!(parse_points("0").unwrap(), 0);
        for bad in ["", "-1", "1.25", "abc", "1.", ".5", "１"] {
            assert!(parse_points(bad).is_err(), "{bad}");
        }
        assert_eq!(fmt_points(115), "11.5");
        assert_eq!(fmt_points(80), "8");
        assert_eq!(fmt_points(-5), "-0.5");
    }

    #[test]
    fn caps_apply_per_method() {
        let w = ind(Method::Weight, 10, 10);
        assert_eq!(points(&w, Some(75)), 75);
        assert_eq!(points(&w, Some(120)), 100);
        assert_eq!(points(&w, None), 0);
        assert!(check_manual(&w, 101).is_err());
        // 扣分 starts at the weight; deductions stop at the cap.
        let d = ind(Method::Deduct, 20, 20);
        assert_eq!(points(&d, None), 200);
        assert_eq!(points(&d, Some(150)), 50);
        assert_eq!(points(&d, Some(300)), 0);
        let d8 = ind(Method::Deduct, 20, 8);
        assert_eq!(points(&d8, Some(150)), 120);
        let b = ind(Method::Bonus, 0, 3);
        assert_eq!(points(&b, Some(50)), 30);
        assert!(check_manual(&b, 31).is_err());
        assert!(check_manual(&b, 30).is_ok());
    }

    #[test]
    fn indicators_are_checked() {
        assert!(check_indicator(&ind(Method::Deduct, 10, 12)).is_err());
        let d = check_indicator(&ind(Method::Deduct, 10, 0)).unwrap();
        assert_eq!(d.cap, 10);
        let b = check_indicator(&ind(Method::Bonus, 5, 3)).unwrap();
        assert_eq!((b.weight, b.cap), (0, 3));
        assert!(check_indicator(&ind(Method::Bonus, 0, 0)).is_err());
        let mut auto = ind(Method::Weight, 20, 20);
        auto.auto = Some(AutoSource::Applications);
        assert_eq!(check_indicator(&auto).unwrap().method, Method::Deduct);
        let mut bad = ind(Method::Weight, 5, 5);
        bad.code = "A 1".into();
        assert!(check_indicator(&bad).is_err());
    }

    #[test]
    fn catalog_share_rounds_and_a_veto_zeroes_it() {
        let i = &default_sheet()[0]; // 12 points
        let f = AutoFacts { published: 7, complete: 5, ..Default::default() };
        // 12 × 5/7 = 8.571… → 8.6
        let (raw, why) = auto_raw(AutoSource::Catalog, i, &f);
        assert_eq!(raw, 86);
        assert_eq!(why, "年内发布7条，要素齐全5条（71.4%）");
        let veto = AutoFacts { site_veto: true, ..f };
        assert_eq!(auto_raw(AutoSource::Catalog, i, &veto).0, 0);
        assert_eq!(auto_raw(AutoSource::Catalog, i, &AutoFacts::default()).0, 0);
    }

    #[test]
    fn metadata_completeness() {
        assert!(missing_metadata("001/2026-00001", "", false, "义马市教育局", "主动公开", "概述", true).is_empty());
        assert_eq!(
            missing_metadata("", "", true, "义马市教育局", "主动公开", " ", false),
            vec!["索引号", "内容概述", "文号", "成文日期"]
        );
    }

    #[test]
    fn report_deductions() {
        let i = &default_sheet()[2]; // 15 points, 扣分
        let base = AutoFacts { report_year: 2025, report_due: Some(date!(2026 - 01 - 31)), ..Default::default() };
        let missing = auto_raw(AutoSource::Report, i, &base);
        assert_eq!(points(i, Some(missing.0)), 0);
        let not_due = AutoFacts { evaluated_on: Some(date!(2026 - 01 - 31)), ..base.clone() };
        assert_eq!(points(i, Some(auto_raw(AutoSource::Report, i, &not_due).0)), 150);
        let on_time = AutoFacts { report_published: Some(date!(2026 - 01 - 30)), ..base.clone() };
        assert_eq!(points(i, Some(auto_raw(AutoSource::Report, i, &on_time).0)), 150);
        let late_bad = AutoFacts { report_published: Some(date!(2026 - 02 - 02)), report_errors: 2, ..base };
        let (raw, why) = auto_raw(AutoSource::Report, i, &late_bad);
        assert_eq!(points(i, Some(raw)), 50);
        assert_eq!(why, "2025年度报告于2026年2月2日发布，晚于2026年1月31日，扣5分，校验有2处错误，扣5分");
    }

    #[test]
    fn application_deductions_cap_at_the_weight() {
        let i = &default_sheet()[6]; // 20 points
        let f =
            AutoFacts { answered_on_time: 3, answered_late: 1, open_overdue: 1, corrected: 1, ..Default::default() };
        // 6 × 2 + 3 × 1 = 15 → 5 left.
        let (raw, why) = auto_raw(AutoSource::Applications, i, &f);
        assert_eq!(raw, 150);
        assert_eq!(points(i, Some(raw)), 50);
        assert!(why.contains("按时率60%"), "{why}");
        let worse = AutoFacts { answered_late: 4, ..f };
        assert_eq!(points(i, Some(auto_raw(AutoSource::Applications, i, &worse).0)), 0);
    }

    #[test]
    fn grades_and_ranks_with_ties() {
        assert_eq!(grade(900), "优秀");
        assert_eq!(grade(899), "良好");
        assert_eq!(grade(800), "良好");
        assert_eq!(grade(600), "合格");
        assert_eq!(grade(599), "不合格");
        assert_eq!(rank(&[850, 920, 850, 700]), vec![2, 1, 2, 4]);
        assert_eq!(rank(&[]), Vec::<usize>::new());
    }

    #[test]
    fn methods_and_sources_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()).unwrap(), m);
        }
        for a in AutoSource::ALL {
            assert_eq!(AutoSource::parse(a.as_str()).unwrap(), Some(a));
        }
        assert_eq!(AutoSource::parse("").unwrap(), None);
        assert!(AutoSource::parse("x").is_err());
    }
}
