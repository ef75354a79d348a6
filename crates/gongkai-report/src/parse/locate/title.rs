//! The report's title: agency and year.

use std::sync::LazyLock;

use gongkai_domain::annual_report::text::normalize_label;
use regex::Regex;

use super::NBlock;
use crate::parse::doc::Block;

/// Page prefixes before a title (`标题:某县发展和改革局2023年…`).
const TITLE_PREFIXES: &[&str] = &["文章标题：", "信息名称：", "标题：", "题名：", "名称："];

/// Where the title was found: its text, and the index of its (last) block.
pub(super) struct Title {
    pub text: Option<String>,
    pub at: Option<usize>,
}

/// Blocks searched for the title.
const TITLE_BLOCKS: usize = 80;

/// A sentence of the preamble, a breadcrumb or page chrome: not a title even if it names the report.
fn is_sentence(norm: &str) -> bool {
    norm.contains('。')
        || norm.contains("当前位置")
        || norm.contains('>')
        || norm.contains('＞')
        || ["根据", "现将", "现公布", "按照", "依据", "本报告", "本年度报告", "为", "特编制"]
            .iter()
            .any(|p| norm.starts_with(p))
}

/// The text of a title-like block: a line, a row with one cell, or a `标题 | …` row of a page's metadata.
fn title_text(nb: &NBlock<'_>) -> Option<String> {
    if nb.is_line_like() {
        return Some(nb.raw_text());
    }
    match nb.block {
        Block::Row(cells) if cells.len() == 2 => {
            let key = normalize_label(&cells[0]);
            TITLE_PREFIXES.iter().any(|p| p.trim_end_matches('：') == key).then(|| cells[1].clone())
        }
        _ => None,
    }
}

/// An agency's name on the line before a title that has none (`高平市人民政府办公室` / `2023年政府信息…`).
fn is_agency_line(norm: &str) -> bool {
    let n = norm.chars().count();
    (2..=40).contains(&n) && !is_sentence(norm) && !norm.chars().any(|c| c.is_ascii_digit() || "，；：".contains(c))
}

/// Finds the title: a line naming the report (one naming a year preferred), a title wrapped over two or three lines,
/// or a title whose agency stands on the line before; else the page's `<title>`.
pub(super) fn find_title(blocks: &[NBlock<'_>], page_title: Option<&str>) -> Title {
    let limit = blocks.len().min(TITLE_BLOCKS);
    let text = |i: usize| title_text(&blocks[i]).filter(|_| !is_sentence(&blocks[i].norm));
    let mut found: Vec<(usize, String)> = Vec::new();
    for i in 0..limit {
        let Some(t) = text(i) else { continue };
        let norm = normalize_label(&t);
        if is_title(&norm) {
            let agency_before = (parse_title(&t).0.is_none() && i > 0)
                .then(|| text(i - 1))
                .flatten()
                .filter(|p| is_agency_line(&normalize_label(p)));
            found.push((i, agency_before.map_or(t.clone(), |p| format!("{p}{t}"))));
        } else if i + 1 < limit
            && let Some(next) = text(i + 1)
        {
            let next_norm = normalize_label(&next);
            let joined = format!("{norm}{next_norm}");
            let short = norm.chars().count() <= 60 && next_norm.chars().count() <= 40;
            if short && !is_title(&next_norm) && is_title(&joined) {
                found.push((i + 1, format!("{t}{next}")));
            } else if short
                && i + 2 < limit
                && let Some(third) = text(i + 2)
            {
                // wrapped twice (a narrow PDF column)
                let third_norm = normalize_label(&third);
                if third_norm.chars().count() <= 40
                    && !is_title(&third_norm)
                    && is_title(&format!("{joined}{third_norm}"))
                {
                    found.push((i + 2, format!("{t}{next}{third}")));
                }
            }
        }
        if found.len() >= 20 {
            break;
        }
    }
    let best = found.iter().find(|(_, t)| title_year(&normalize_label(t)).is_some()).or(found.first());
    match best {
        Some((at, t)) => Title { text: Some(t.clone()), at: Some(*at) },
        None => Title { text: page_title.filter(|t| is_title(&normalize_label(t))).map(str::to_string), at: None },
    }
}

static PREAMBLE_AGENCY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:现将|现公布|现予公布|现向社会公布|特编制|现发布|编制了?|发布)([^，。；：]{2,40}?)(\d{4})年度?(?:政府信息公开|政务公开)")
        .expect("valid regex")
});
static PREAMBLE_YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:现将|现公布|现予公布|现向社会公布|特编制|现发布|编制了?|发布)(\d{4})年度?([^，。；：]{2,40}?)(?:政府信息公开|政务公开)")
        .expect("valid regex")
});

/// Agency and year from the preamble: `现公布子长市人民政府2023年度政府信息公开工作报告`,
/// `现将2023年度XX局政府信息公开工作年度报告公布如下`. Words such as 我局, 本机关 are not names.
pub(super) fn preamble_title(norm: &str) -> (Option<String>, Option<i32>) {
    let not_name = |a: &str| a.is_empty() || ["我", "本", "以下", "如下"].iter().any(|w| a.starts_with(w));
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
    if let Some(c) = PREAMBLE_YEAR_FIRST.captures(norm) {
        let agency = clean_agency(&c[2]);
        return ((!not_name(&agency)).then_some(agency), year(&c[1]));
    }
    if let Some(c) = PREAMBLE_AGENCY_FIRST.captures(norm) {
        let agency = clean_agency(&c[1]);
        return ((!not_name(&agency)).then_some(agency), year(&c[2]));
    }
    (None, None)
}

pub(super) fn is_title(norm: &str) -> bool {
    norm.chars().count() <= 120
        && norm.contains("政府信息公开")
        && (norm.contains("年度报告") || norm.contains("工作报告"))
}

/// The first `YYYY年` (1990–2100) and its char offset.
pub(super) fn title_year(norm: &str) -> Option<(i32, usize)> {
    let chars: Vec<char> = norm.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok && chars[i + 4] == '年' && digits.chars().all(|c| c.is_ascii_digit()) {
            let y: i32 = digits.parse().ok()?;
            (1990..=2100).contains(&y).then_some((y, i))
        } else {
            None
        }
    })
}

/// `义马市人民政府办公室2023年政府信息公开工作年度报告` → agency and year; also `2023年XX局政府信息公开…`.
pub(super) fn parse_title(raw: &str) -> (Option<String>, Option<i32>) {
    let mut norm = normalize_label(raw);
    for p in TITLE_PREFIXES {
        if let Some(i) = norm.find(p) {
            norm = norm[i + p.len()..].to_string();
            break;
        }
    }
    // `<title>` carries the site name after a separator
    if let Some(i) = norm.find(['_', '|']) {
        norm.truncate(i);
    }
    let norm = norm.trim_matches(|c| matches!(c, '《' | '》' | '【' | '】' | '-'));
    let chars: Vec<char> = norm.chars().collect();
    let Some((year, at)) = title_year(norm) else {
        let agency = norm.find("政府信息公开").map(|i| clean_agency(&norm[..i]));
        return (agency.filter(|a| !a.is_empty()), None);
    };
    let prefix: String = chars[..at].iter().collect();
    let prefix = clean_agency(&prefix);
    let agency = if prefix.is_empty() {
        let mut rest: String = chars[at + 5..].iter().collect();
        if let Some(r) = rest.strip_prefix('度') {
            rest = r.to_string();
        }
        rest.find("政府信息公开").map(|i| clean_agency(&rest[..i]))
    } else {
        Some(prefix)
    };
    (agency.filter(|a| !a.is_empty()), Some(year))
}

pub(super) fn clean_agency(s: &str) -> String {
    let s = s.trim_matches(|c: char| matches!(c, '《' | '》' | '【' | '】' | '：' | '-' | '、' | '，'));
    s.strip_prefix("关于").unwrap_or(s).to_string()
}

/// `数据统计时限为2023年1月1日至2023年12月31日`, `统计期限自2023年1月1日起` → 2023.
pub(super) fn statistics_year(norm: &str) -> Option<i32> {
    let i = norm.find("年1月1日至").or_else(|| norm.contains("统计").then(|| norm.find("年1月1日")).flatten())?;
    let head = &norm[..i];
    let digits: String = head.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let y: i32 = digits.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            parse_title("义马市人民政府办公室2023年政府信息公开工作年度报告"),
            (Some("义马市人民政府办公室".into()), Some(2023))
        );
        assert_eq!(
            parse_title("2022年度 XX县 教育局 政府信息公开工作年度报告_XX县人民政府"),
            (Some("XX县教育局".into()), Some(2022))
        );
        assert_eq!(statistics_year("数据统计时限为2023年1月1日至2023年12月31日。"), Some(2023));
    }
}
