//! R7 (figures in the narrative vs the tables) and R8 (section 六's fee statement).
//!
//! Conservative by design: a phrase is only checked when its wording maps to one table cell without doubt
//! (`予以公开5件` → （一）总计). Anything else (approximate figures, hotline and petition statistics, general
//! 行政复议 work of the agency) is left alone, so a narrative without recognisable figures yields nothing.

use super::model::{AnnualReport, ApplicantColumn, Finding, Rule, T3Row, T4Column, T4Group};
use super::text::fold_digits;

/// A figure found in the narrative: the value and the quoted phrase.
struct Figure {
    value: f64,
    quote: String,
}

/// What a phrase talks about.
#[derive(Clone, Copy)]
enum Target {
    /// The 总计 of one row of 三, or of a group of rows.
    T3(&'static [T3Row], &'static str),
    /// 收到申请: 一 or 一+二 (wording does not tell whether carried-over applications are included).
    Received,
    Review,
    Suit,
    Fees,
}

const WITHHELD: &[T3Row] = &[
    T3Row::StateSecret,
    T3Row::ProhibitedByLaw,
    T3Row::EndangersSecurity,
    T3Row::ThirdPartyRights,
    T3Row::InternalAffairs,
    T3Row::ProcessInformation,
    T3Row::EnforcementFile,
    T3Row::QueryMatter,
];
const UNAVAILABLE: &[T3Row] = &[T3Row::NotHeld, T3Row::NeedsCreation, T3Row::StillUnclear];
const NOT_PROCESSED: &[T3Row] =
    &[T3Row::Petition, T3Row::Repeated, T3Row::Publication, T3Row::MassRepeated, T3Row::Confirmation];

/// Words that put a figure outside the application statistics (hotline, mailbox, petitions, proposals).
const OFF_TOPIC: &[&str] = &[
    "热线",
    "工单",
    "信箱",
    "信访",
    "来信",
    "来电",
    "咨询",
    "建议",
    "提案",
    "留言",
    "诉求",
    "政务服务",
    "约",
    "余件",
    "余条",
    "多件",
];

/// Units that may follow a count.
const COUNT_UNITS: &[char] = &['件', '条', '起', '宗', '个', '次', '份'];

/// Words allowed between a keyword and its figure.
const FILLERS: &[&str] = &[
    "政府信息公开申请",
    "信息公开申请",
    "申请",
    "案件",
    "数量",
    "总数",
    "共计",
    "合计",
    "总计",
    "共",
    "计",
    "为",
    "了",
    "的",
    "是",
    "均",
    "各",
    "达",
    "：",
    ":",
];

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn starts_with(hay: &[char], at: usize, needle: &str) -> bool {
    (at..).zip(needle.chars()).all(|(i, c)| hay.get(i) == Some(&c))
}

/// Occurrences of `needle` (at most [`MAX_HITS`]: a real sentence repeats a keyword a few times at most).
fn find_all(hay: &[char], needle: &str) -> Vec<usize> {
    (0..hay.len()).filter(|&i| starts_with(hay, i, needle)).take(MAX_HITS).collect()
}

/// Work bounds: narratives are a few thousand characters; anything beyond is not read for figures.
const MAX_HITS: usize = 32;
const MAX_SENTENCE: usize = 1000;
const MAX_SECTION: usize = 100_000;

fn contains(hay: &[char], needle: &str) -> bool {
    !find_all(hay, needle).is_empty()
}

/// Reads `[fillers] number unit` from `at`; returns the value and the index after the unit.
fn figure_after(s: &[char], mut at: usize, units: &[&str]) -> Option<(f64, usize)> {
    let mut skipped = 0;
    'fill: while skipped < 4 {
        while s.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        for f in FILLERS {
            if starts_with(s, at, f) {
                at += f.chars().count();
                skipped += 1;
                continue 'fill;
            }
        }
        break;
    }
    let start = at;
    let mut digits = String::new();
    while let Some(&c) = s.get(at) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == ',' && s.get(at + 1).is_some_and(|d| d.is_ascii_digit()) && !digits.is_empty() {
        } else if c == '.' && s.get(at + 1).is_some_and(|d| d.is_ascii_digit()) && !digits.is_empty() {
            digits.push('.');
        } else {
            break;
        }
        at += 1;
        if at - start > 18 {
            return None;
        }
    }
    if digits.is_empty() {
        return None;
    }
    while s.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    let unit = units.iter().find(|u| starts_with(s, at, u))?;
    let value: f64 = digits.parse().ok()?;
    Some((value, at + unit.chars().count()))
}

/// Splits text into sentences (by 。！？ and line breaks), keeping char offsets.
fn sentences(text: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.iter().enumerate() {
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '\n') {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if text.len() > start {
        out.push((start, text.len()));
    }
    out
}

/// The clauses of a sentence (delimited by ，；, and ;), each with whether it is off topic.
struct Clauses {
    bounds: Vec<(usize, usize)>,
    off: Vec<bool>,
}

impl Clauses {
    fn new(s: &[char]) -> Self {
        let mut bounds = Vec::new();
        let mut start = 0;
        for (i, c) in s.iter().enumerate() {
            if matches!(c, '，' | '；' | ',' | ';') {
                bounds.push((start, i));
                start = i + 1;
            }
        }
        bounds.push((start, s.len()));
        let off = bounds.iter().map(|&(a, b)| OFF_TOPIC.iter().any(|w| contains(&s[a..b], w))).collect();
        Self { bounds, off }
    }

    /// The clause containing `at`, and whether it is off topic.
    fn at(&self, at: usize) -> ((usize, usize), bool) {
        let i = self.bounds.partition_point(|&(_, end)| end < at).min(self.bounds.len() - 1);
        (self.bounds[i], self.off[i])
    }
}

/// All figures of one sentence, with what they describe.
fn scan_sentence(s: &[char], original: &[char], out: &mut Vec<(Target, Figure)>) {
    let quote = |a: usize, b: usize| original[a..b].iter().collect::<String>();
    let count_units: Vec<String> = COUNT_UNITS.iter().map(|c| c.to_string()).collect();
    let units: Vec<&str> = count_units.iter().map(String::as_str).collect();
    let about_disclosure = contains(s, "信息公开") || contains(s, "依申请");
    let clauses = Clauses::new(s);
    let push = |target: Target, kw: usize, kw_len: usize, units: &[&str], out: &mut Vec<(Target, Figure)>| {
        let (cl, off) = clauses.at(kw);
        if off {
            return;
        }
        if let Some((value, end)) = figure_after(s, kw + kw_len, units)
            && end <= cl.1
        {
            out.push((target, Figure { value, quote: quote(kw, end) }));
        }
    };

    // 一: 收到/新收/受理 … 申请 N件 (within one clause, no figure in between).
    for trig in ["新收", "收到", "接收", "受理"] {
        for at in find_all(s, trig) {
            let (cl, off) = clauses.at(at);
            if off || contains(&s[cl.0..cl.1], "复议") || contains(&s[cl.0..cl.1], "诉讼") {
                continue;
            }
            let window_end = (at + 16).min(cl.1);
            let Some(app) = (at..window_end).find(|&i| starts_with(s, i, "申请")) else {
                continue;
            };
            if s[at..app].iter().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if let Some((value, end)) = figure_after(s, app + 2, &units)
                && end <= cl.1
            {
                out.push((Target::Received, Figure { value, quote: quote(at, end) }));
            }
        }
    }

    let rows: [(&str, Target); 8] = [
        ("予以公开", Target::T3(&[T3Row::Disclosed], "（一）予以公开")),
        ("部分公开", Target::T3(&[T3Row::PartlyDisclosed], "（二）部分公开")),
        ("不予公开", Target::T3(WITHHELD, "（三）不予公开")),
        ("无法提供", Target::T3(UNAVAILABLE, "（四）无法提供")),
        ("不予处理", Target::T3(NOT_PROCESSED, "（五）不予处理")),
        ("上年结转", Target::T3(&[T3Row::CarriedIn], "二、上年结转")),
        ("上年度结转", Target::T3(&[T3Row::CarriedIn], "二、上年结转")),
        ("办结", Target::T3(&[T3Row::Total], "（七）总计")),
    ];
    for (kw, target) in rows {
        for at in find_all(s, kw) {
            if kw == "予以公开" && at > 0 && s[at - 1] == '不' {
                continue;
            }
            if kw == "办结" && !contains(s, "申请") {
                continue;
            }
            push(target, at, kw.chars().count(), &units, out);
        }
    }
    let mut carried_out_at = Vec::new();
    for kw in ["结转下年度继续办理", "结转至下一年度", "结转到下一年度", "结转下一年度", "结转至下年度", "结转下年度"]
    {
        for at in find_all(s, kw) {
            // longest form first; a shorter keyword at the same place is the same phrase
            if carried_out_at.contains(&at) {
                continue;
            }
            carried_out_at.push(at);
            push(Target::T3(&[T3Row::CarriedOut], "四、结转下年度继续办理"), at, kw.chars().count(), &units, out);
        }
    }

    // 复议 / 诉讼: only in sentences about 政府信息公开 (the agency's general 行政复议 work is not table 四).
    if about_disclosure {
        let mut joint_ends = Vec::new();
        for joint in ["行政复议、行政诉讼", "行政复议和行政诉讼", "行政复议及行政诉讼", "行政复议与行政诉讼"]
        {
            for at in find_all(s, joint) {
                let len = joint.chars().count();
                joint_ends.push(at + len);
                let (cl, _) = clauses.at(at);
                let each = contains(&s[at..cl.1], "均") || contains(&s[at..cl.1], "各");
                if let Some((value, end)) = figure_after(s, at + len, &units)
                    && end <= cl.1
                    && (value == 0.0 || each)
                {
                    out.push((Target::Review, Figure { value, quote: quote(at, end) }));
                    out.push((Target::Suit, Figure { value, quote: quote(at, end) }));
                }
            }
        }
        for at in find_all(s, "行政复议") {
            if joint_ends.iter().any(|&e| e > at && e <= at + 9) {
                continue;
            }
            push(Target::Review, at, 4, &units, out);
        }
        for at in find_all(s, "行政诉讼") {
            if joint_ends.contains(&(at + 4)) {
                continue;
            }
            push(Target::Suit, at, 4, &units, out);
        }
    }

    for at in find_all(s, "行政事业性收费") {
        push(Target::Fees, at, 7, &["万元"], out);
    }
}

fn t3_total(report: &AnnualReport, rows: &[T3Row]) -> Option<f64> {
    rows.iter()
        .try_fold(0u64, |acc, &r| report.t3.get(r, ApplicantColumn::Total).map(|v| acc + u64::from(v)))
        .map(|v| v as f64)
}

fn t4_total(report: &AnnualReport, groups: &[T4Group]) -> Option<f64> {
    groups
        .iter()
        .try_fold(0u64, |acc, &g| report.t4.get(g, T4Column::Total).map(|v| acc + u64::from(v)))
        .map(|v| v as f64)
}

fn narrative(report: &AnnualReport) -> impl Iterator<Item = (&'static str, &String)> {
    [("一", &report.sections.one), ("五", &report.sections.five), ("六", &report.sections.six)]
        .into_iter()
        .filter_map(|(k, s)| s.as_ref().map(|s| (k, s)))
}

/// R7: figures in the narrative must equal the table cells they describe.
pub(super) fn check_text_vs_tables(report: &AnnualReport) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for (_, text) in narrative(report) {
        let original: Vec<char> = text.chars().take(MAX_SECTION).collect();
        let folded = chars(&fold_digits(&original.iter().collect::<String>()));
        let mut figures = Vec::new();
        for (a, b) in sentences(&folded).into_iter().filter(|(a, b)| b - a <= MAX_SENTENCE) {
            scan_sentence(&folded[a..b], &original[a..b], &mut figures);
        }
        for (target, fig) in figures {
            let finding = match target {
                Target::Received => {
                    let new = t3_total(report, &[T3Row::New]);
                    let with_carried = t3_total(report, &[T3Row::New, T3Row::CarriedIn]);
                    match (new, with_carried) {
                        (Some(n), w) if n != fig.value && w.is_none_or(|w| w != fig.value) => Some(Finding::error(
                            Rule::R7,
                            "t3/一/总计",
                            format!("正文称“{}”，但表三“一、本年新收政府信息公开申请数量”总计为{n}", fig.quote),
                        )),
                        _ => None,
                    }
                }
                Target::T3(rows, label) => match t3_total(report, rows) {
                    Some(v) if v != fig.value => Some(Finding::error(
                        Rule::R7,
                        format!("t3/{}/总计", if rows.len() == 1 { rows[0].key() } else { label_key(label) }),
                        format!("正文称“{}”，但表三“{label}”总计为{v}", fig.quote),
                    )),
                    _ => None,
                },
                Target::Review => match t4_total(report, &[T4Group::Review]) {
                    Some(v) if v != fig.value => Some(Finding::error(
                        Rule::R7,
                        "t4/行政复议/总计",
                        format!("正文称“{}”，但表四 行政复议 总计为{v}", fig.quote),
                    )),
                    _ => None,
                },
                Target::Suit => match t4_total(report, &[T4Group::DirectSuit, T4Group::SuitAfterReview]) {
                    Some(v) if v != fig.value => Some(Finding::error(
                        Rule::R7,
                        "t4/行政诉讼/总计",
                        format!("正文称“{}”，但表四 行政诉讼（未经复议直接起诉与复议后起诉）总计为{v}", fig.quote),
                    )),
                    _ => None,
                },
                Target::Fees => match report.t2.fees {
                    Some(v) if (v - fig.value).abs() > 0.005 => Some(Finding::error(
                        Rule::R7,
                        "t2/行政事业性收费",
                        format!("正文称“{}”，但表二 行政事业性收费 为{v}万元", fig.quote),
                    )),
                    _ => None,
                },
            };
            if let Some(f) = finding.map(|f| f.with_quote(fig.quote.clone()))
                && !out.iter().any(|o| o.location == f.location && o.quote == f.quote)
            {
                out.push(f);
            }
        }
    }
    out
}

/// `（三）不予公开` → `（三）` (group locations).
fn label_key(label: &'static str) -> &'static str {
    match label.find('）') {
        Some(i) => &label[..i + '）'.len_utf8()],
        None => label,
    }
}

/// R8: section 六 must state the 信息处理费, consistently with （六）2 (applications dropped because a fee
/// notice went unpaid imply that fee notices were sent).
pub(super) fn check_fee_statement(report: &AnnualReport) -> Vec<Finding> {
    let Some(six) = &report.sections.six else {
        return Vec::new();
    };
    let original: Vec<char> = six.chars().take(MAX_SECTION).collect();
    let s = chars(&fold_digits(&original.iter().collect::<String>()));
    let clauses = Clauses::new(&s);
    if !contains(&s, "费") {
        return vec![Finding::warning(Rule::R8, "sections/六", "第六部分未说明信息处理费的收取情况")];
    }
    let fee_unpaid = report.t3.get(T3Row::FeeUnpaid, ApplicantColumn::Total);
    let mut out = Vec::new();
    for at in find_all(&s, "收费通知") {
        let ((a, b), _) = clauses.at(at);
        let before: String = s[a.max(at.saturating_sub(8))..at].iter().collect();
        let denied = ["无", "未", "没有", "不存在", "均未"].iter().any(|w| before.contains(w));
        let units = ["件", "份", "次", "个"];
        let stated = figure_after(&s, at + 4, &units).filter(|&(_, end)| end <= b);
        let notices = match (denied, stated) {
            (_, Some((v, _))) => Some(v),
            (true, None) => Some(0.0),
            (false, None) => None,
        };
        if let (Some(notices), Some(unpaid)) = (notices, fee_unpaid)
            && f64::from(unpaid) > notices
        {
            let quote: String = original[a..b].iter().collect();
            out.push(
                Finding::error(
                    Rule::R8,
                    "t3/（六）2/总计",
                    format!("第六部分称“{quote}”，但表三（六）2（逾期未按收费通知缴纳费用、不再处理）为{unpaid}件"),
                )
                .with_quote(quote),
            );
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(text: &str) -> Vec<(f64, String)> {
        let c = chars(text);
        let mut out = Vec::new();
        for (a, b) in sentences(&c) {
            scan_sentence(&c[a..b], &c[a..b], &mut out);
        }
        out.into_iter().map(|(_, f)| (f.value, f.quote)).collect()
    }

    #[test]
    fn recognises_common_phrases() {
        assert_eq!(
            figures("2023年，收到并办理政府信息公开申请1件，并按要求及时公开。"),
            vec![(1.0, "收到并办理政府信息公开申请1件".to_string())]
        );
        assert_eq!(figures("其中予以公开258件，部分公开3件。")[0], (258.0, "予以公开258件".to_string()));
        assert!(
            figures("12345热线办理工单3100件，均按时办结；“市长信箱”76件，接访电话130余通，办结率为100%").is_empty()
        );
        assert!(figures("全年办理行政复议案件56件。").is_empty(), "general 复议 work is not table 四");
        assert_eq!(figures("政府信息公开行政复议、行政诉讼为0条").len(), 2);
        assert!(figures("约收到申请30件").is_empty());
    }
}
