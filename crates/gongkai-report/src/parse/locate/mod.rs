//! Finding the report's parts by their labels in a [`Doc`]: title (agency, year), section headings, format,
//! and the cells of tables 二, 三 and 四.

use gongkai_domain::annual_report::text::normalize_label;
use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, Sections, T3Row, T4Column, T4Group,
};

use super::ParseError;
use super::doc::{Block, Doc};

mod cell;
mod rows;
mod title;

pub(crate) use cell::Cell;
use cell::{decimal_cell, int_cell};
use rows::{RowRead, T2_SPECS, read_t4, read_table, t3_specs};

/// The key under which （六）其他处理 printed as one row is reported (`t3/（六）/…`).
pub(crate) const OTHER_HANDLING_KEY: &str = "（六）";
use title::{find_title, parse_title, preamble_title, statistics_year};

/// Blocks searched for the preamble's `现公布…年度报告`.
const TITLE_BLOCKS_PREAMBLE: usize = 80;

/// Label text kept while looking for a row's key (labels wrap over a few lines at most).
pub(super) const MAX_LABEL_BUF: usize = 600;

/// A block with its normalised text.
pub(super) struct NBlock<'a> {
    pub block: &'a Block,
    /// Normalised cells (one for a line).
    pub cells: Vec<String>,
    /// Normalised text of the whole block.
    pub norm: String,
}

impl NBlock<'_> {
    pub fn raw_text(&self) -> String {
        match self.block {
            Block::Line(s) => s.clone(),
            Block::Row(cells) => cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" "),
        }
    }

    /// A line, or a table row with a single non-empty cell (headings sometimes sit in tables).
    fn is_line_like(&self) -> bool {
        match self.block {
            Block::Line(_) => true,
            Block::Row(cells) => cells.iter().filter(|c| !c.trim().is_empty()).count() == 1,
        }
    }
}

/// What [`locate`] read.
pub(crate) struct Located {
    pub report: AnnualReport,
    pub findings: Vec<Finding>,
    /// （六）其他处理 printed as one row (the 2019 layout): its cells, the total of （六）1–3 per column.
    pub other_handling: Option<[Option<u32>; 7]>,
}

pub(crate) fn locate(doc: &Doc) -> Result<Located, ParseError> {
    let blocks: Vec<NBlock<'_>> = doc
        .blocks
        .iter()
        .map(|b| {
            let cells: Vec<String> = match b {
                Block::Line(s) => vec![normalize_label(s)],
                Block::Row(cells) => cells.iter().map(|c| normalize_label(c)).collect(),
            };
            let norm = cells.concat();
            NBlock { block: b, cells, norm }
        })
        .collect();
    let mut findings = Vec::new();
    let mut report = AnnualReport::default();

    // Title: prefer a title line naming a year (a breadcrumb also says 政府信息公开年度报告); else the preamble.
    let title = find_title(&blocks, doc.title.as_deref());
    let (title_text, title_at) = (title.text, title.at);
    if let Some(t) = &title_text {
        let (agency, year) = parse_title(t);
        report.agency = agency;
        report.year = year;
    }
    if report.agency.is_none() || report.year.is_none() {
        let (agency, year) = blocks
            .iter()
            .take(TITLE_BLOCKS_PREAMBLE)
            .map(|b| preamble_title(&b.norm))
            .find(|(a, y)| a.is_some() || y.is_some())
            .unwrap_or_default();
        report.agency = report.agency.take().or(agency);
        report.year = report.year.or(year);
    }
    if report.year.is_none() {
        report.year = blocks.iter().take(200).find_map(|b| statistics_year(&b.norm));
    }
    if report.agency.is_none() {
        findings.push(Finding::warning(Rule::Unread, "agency", "未能从标题或前言读出报告机关"));
    }
    if report.year.is_none() {
        findings.push(Finding::warning(Rule::Unread, "year", "未能从标题、前言或统计期限读出报告年度"));
    }

    let heads = headings(&blocks, title_at.map_or(0, |i| i + 1));
    let region = |level: usize| -> Option<(usize, usize)> {
        let start = heads[level - 1]? + 1;
        let end = heads[level..].iter().flatten().copied().find(|&h| h >= start).unwrap_or(blocks.len());
        Some((start, end))
    };
    // Tables whose heading is missing are looked for between their neighbours' headings, or everywhere.
    let table_region = |level: usize| -> (usize, usize) {
        region(level).unwrap_or_else(|| {
            let start = heads[..level - 1].iter().flatten().copied().max().map_or(0, |h| h + 1);
            let end = heads[level..].iter().flatten().copied().find(|&h| h >= start).unwrap_or(blocks.len());
            (start, end)
        })
    };

    let loose_doc = doc.is_loose();
    let section = |level: usize| -> Option<String> {
        let (a, b) = region(level)?;
        let mut lines = Vec::new();
        for nb in &blocks[a..b] {
            if is_chrome(&nb.norm) {
                break;
            }
            let t = nb.raw_text();
            lines.push(if loose_doc { squeeze_cjk_spaces(&t) } else { t });
        }
        let text = lines.join("\n").trim().to_string();
        (!text.is_empty()).then_some(text)
    };
    report.sections = Sections { one: section(1), five: section(5), six: section(6) };
    for (level, key, name) in
        [(1, "一", "一、总体情况"), (5, "五", "五、存在的主要问题及改进情况"), (6, "六", "六、其他需要报告的事项")]
    {
        let present = match level {
            1 => &report.sections.one,
            5 => &report.sections.five,
            _ => &report.sections.six,
        };
        if present.is_none() {
            findings.push(Finding::warning(Rule::Unread, format!("sections/{key}"), format!("未找到“{name}”部分")));
        }
    }

    // Format: the column headers of table 二 tell 2021 from the 2019 trial format.
    let (a2, b2) = table_region(2);
    let t2_text: String = blocks[a2..b2].iter().map(|b| b.norm.as_str()).collect();
    let m2019 = MARKERS_2019.iter().filter(|m| t2_text.contains(**m)).count();
    let m2021 = MARKERS_2021.iter().filter(|m| t2_text.contains(**m)).count();
    report.format = match (m2019, m2021) {
        (0, 0) => ReportFormat::Unknown,
        (_, 0) => ReportFormat::V2019,
        (0, _) => ReportFormat::V2021,
        _ => {
            findings.push(Finding::error(
                Rule::Format,
                "format",
                "表二同时出现2019年试行格式和2021年格式的列名，无法确定格式",
            ));
            ReportFormat::Unknown
        }
    };
    if report.format == ReportFormat::V2019 {
        findings.push(Finding::error(
            Rule::Format,
            "format",
            "本报告使用2019年试行格式（国办公开办函〔2019〕60号），不是现行的2021年格式（国办公开办函〔2021〕30号）；表格未按2021年格式读取",
        ));
        if title_text.is_none() && heads.iter().all(Option::is_none) && m2019 < 2 {
            return Err(ParseError::NotAReport);
        }
        return Ok(Located { report, findings, other_handling: None });
    }

    let t2 = read_table(&blocks[a2..b2], T2_SPECS);
    let (a3, b3) = table_region(3);
    let t3 = read_table(&blocks[a3..b3], &t3_specs());
    let (a4, b4) = table_region(4);
    let t4 = read_t4(&blocks[a4..b4], heads[3].is_some());

    let t2_found = t2.iter().filter(|r| !matches!(r, RowRead::NotFound)).count();
    let t3_found = t3.iter().filter(|r| !matches!(r, RowRead::NotFound)).count();
    if title_text.is_none() && heads.iter().all(Option::is_none) && t2_found == 0 && t3_found == 0 {
        return Err(ParseError::NotAReport);
    }
    if report.format == ReportFormat::Unknown && m2019 == 0 && m2021 == 0 {
        // No table 二 headers; the sub-rows of （六） exist only in the 2021 format.
        if matches!(t3[T3Row::NoCorrection.index()], RowRead::Cells(_)) {
            report.format = ReportFormat::V2021;
        } else {
            findings.push(Finding::warning(Rule::Format, "format", "未找到表二的列名，无法确认是2021年格式"));
        }
    }

    // 二
    if t2_found == 0 {
        findings.push(Finding::warning(Rule::Unread, "t2", "未找到表二（主动公开政府信息情况）"));
    } else {
        for (spec, read) in T2_SPECS.iter().zip(&t2) {
            let name = spec.name;
            match read {
                RowRead::Cells(cells) if spec.n == 3 => {
                    let doc = if name == "规章" { &mut report.t2.rules } else { &mut report.t2.normative };
                    for (i, cell) in cells.iter().enumerate() {
                        let col = gongkai_domain::annual_report::T2Doc::COLUMNS[i];
                        let loc = format!("t2/{name}/{col}");
                        doc.set(i, int_cell(cell, &loc, &format!("表二 {name} {col}"), &mut findings));
                    }
                }
                RowRead::Cells(cells) if name == "行政事业性收费" => {
                    report.t2.fees = decimal_cell(&cells[0], "t2/行政事业性收费", &mut findings);
                }
                RowRead::Cells(cells) => {
                    let v = int_cell(&cells[0], &format!("t2/{name}"), &format!("表二 {name}"), &mut findings);
                    report.t2.set_count(name, v);
                }
                RowRead::Unread(why) => {
                    findings.push(Finding::warning(Rule::Unread, format!("t2/{name}"), why.clone()))
                }
                RowRead::NotFound => findings.push(Finding::warning(
                    Rule::Unread,
                    format!("t2/{name}"),
                    format!("表二未找到“{name}”这一行"),
                )),
            }
        }
    }

    // 三
    let combined = combined_other(&t3, &mut findings);
    if t3_found == 0 {
        findings.push(Finding::warning(Rule::Unread, "t3", "未找到表三（收到和处理政府信息公开申请情况）"));
    } else {
        for (row, read) in T3Row::ALL.into_iter().zip(&t3) {
            match read {
                RowRead::Cells(cells) => {
                    for (col, cell) in ApplicantColumn::ALL.into_iter().zip(cells) {
                        let loc = format!("t3/{}/{}", row.key(), col.key());
                        let what = format!("表三 {} {}", row.full_label(), col.key());
                        report.t3.set(row, col, int_cell(cell, &loc, &what, &mut findings));
                    }
                }
                RowRead::Unread(why) => findings.push(Finding::warning(
                    Rule::Unread,
                    format!("t3/{}", row.key()),
                    format!("表三“{}”：{why}", row.full_label()),
                )),
                // the three rows of （六） printed as one (said once, by `combined_other`)
                RowRead::NotFound if combined.is_some() && row.group_label() == Some("（六）其他处理") => {}
                RowRead::NotFound => findings.push(Finding::warning(
                    Rule::Unread,
                    format!("t3/{}", row.key()),
                    format!("表三未找到“{}”这一行", row.full_label()),
                )),
            }
        }
    }

    // 四
    match t4 {
        RowRead::Cells(cells) => {
            for (i, cell) in cells.iter().enumerate() {
                let (g, c) = (T4Group::ALL[i / 5], T4Column::ALL[i % 5]);
                let loc = format!("t4/{}/{}", g.key(), c.key());
                let what = format!("表四 {} {}", g.key(), c.key());
                report.t4.set(g, c, int_cell(cell, &loc, &what, &mut findings));
            }
        }
        RowRead::Unread(why) => findings.push(Finding::warning(Rule::Unread, "t4", why)),
        RowRead::NotFound => findings.push(Finding::warning(
            Rule::Unread,
            "t4",
            "未找到表四（政府信息公开行政复议、行政诉讼情况）的数值",
        )),
    }
    Ok(Located { report, findings, other_handling: combined })
}

const MARKERS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "采购总金额",
    "第二十条第（九）项",
    "政府集中采购",
];
const MARKERS_2021: &[&str] = &["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量"];

/// Page chrome after the article: the narrative of 六 stops there.
const CHROME: &[&str] = &[
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "扫一扫",
    "网站标识码",
    "版权所有",
    "主办单位",
    "ICP备",
    "公网安备",
    "相关链接",
    "分享到",
    "上一篇",
    "下一篇",
    "返回顶部",
    "技术支持",
    "网站地图",
    "【字体",
    "字号：",
];

fn is_chrome(norm: &str) -> bool {
    CHROME.iter().any(|c| norm.contains(c))
}

/// Removes spaces between two CJK characters (PDF extraction spaces out labels: `三 、本 年 度`).
fn squeeze_cjk_spaces(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let wide = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii());
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && wide(chars.get(i.wrapping_sub(1))) && wide(chars.get(i + 1)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Section heading level (1–6) of a normalised line, e.g. `三、收到和处理政府信息公开申请情况` → 3.
pub(crate) fn heading_level(norm: &str) -> Option<usize> {
    let mut it = norm.chars();
    let level = match it.next()? {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        _ => return None,
    };
    if !matches!(it.next()?, '、' | '.' | '，' | '：') {
        return None;
    }
    let rest: String = it.take(30).collect();
    let ok = match level {
        1 => rest.starts_with("总体情况") || rest.starts_with("概述") || rest.starts_with("总体"),
        2 => rest.contains("主动公开"),
        3 => rest.contains("收到和处理") || (rest.contains("申请") && rest.contains("情况")),
        4 => rest.contains("复议") || rest.contains("诉讼"),
        5 => rest.contains("问题") || rest.contains("改进"),
        _ => rest.contains("其他") || rest.contains("其它"),
    };
    ok.then_some(level)
}

/// Block index of each heading 一…六, searched in order after the title.
fn headings(blocks: &[NBlock<'_>], from: usize) -> [Option<usize>; 6] {
    let mut out = [None; 6];
    let mut pos = from.min(blocks.len());
    for level in 1..=6 {
        if let Some(i) =
            (pos..blocks.len()).find(|&i| blocks[i].is_line_like() && heading_level(&blocks[i].norm) == Some(level))
        {
            out[level - 1] = Some(i);
            pos = i + 1;
        }
    }
    out
}

/// （六）其他处理 printed as one row, as in the 2019 layout, while its three rows of the 2021 format are all
/// missing: the row's cells are the total of （六）1–3 (a warning names the layout). Found next to any of the
/// three rows, it cannot be placed and is left out.
fn combined_other(t3: &[RowRead], findings: &mut Vec<Finding>) -> Option<[Option<u32>; 7]> {
    let RowRead::Cells(cells) = t3.get(T3Row::ALL.len())? else {
        return None;
    };
    let subrows = [T3Row::NoCorrection, T3Row::FeeUnpaid, T3Row::OtherHandling];
    if subrows.iter().any(|r| !matches!(t3[r.index()], RowRead::NotFound)) {
        findings.push(Finding::warning(
            Rule::Unread,
            format!("t3/{OTHER_HANDLING_KEY}"),
            "表三“（六）其他处理”既有合并的一行又有分项，无法确定以哪一个为准，合并行未读取",
        ));
        return None;
    }
    findings.push(Finding::warning(
        Rule::Format,
        format!("t3/{OTHER_HANDLING_KEY}"),
        "表三“（六）其他处理”只有一行（2019年试行格式的排法），没有按2021年格式分为1.逾期不补正、2.逾期未缴费、3.其他三行；该行按三行的合计读取，并用于勾稽关系核对",
    ));
    let mut out = [None; 7];
    for (i, (col, cell)) in ApplicantColumn::ALL.into_iter().zip(cells).enumerate() {
        let loc = format!("t3/{OTHER_HANDLING_KEY}/{}", col.key());
        out[i] = int_cell(cell, &loc, &format!("表三 （六）其他处理（合计） {}", col.key()), findings);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(heading_level("三、收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading_level("三、本年度办理结果"), None);
        assert_eq!(heading_level("四、结转下年度继续办理"), None);
    }
}
