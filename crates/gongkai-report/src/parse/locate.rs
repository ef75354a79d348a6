//! Finding the report's parts by their labels in a [`Doc`]: title (agency, year), section headings, format,
//! and the cells of tables 二, 三 and 四.

use gongkai_domain::annual_report::text::normalize_label;
use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, Sections, T3Row, T4Column, T4Group,
};

use super::ParseError;
use super::doc::{Block, Doc};

/// Label text kept while looking for a row's key (labels wrap over a few lines at most).
const MAX_LABEL_BUF: usize = 600;

/// A block with its normalised text.
struct NBlock<'a> {
    block: &'a Block,
    /// Normalised cells (one for a line).
    cells: Vec<String>,
    /// Normalised text of the whole block.
    norm: String,
}

impl NBlock<'_> {
    fn raw_text(&self) -> String {
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

pub(crate) fn locate(doc: &Doc) -> Result<(AnnualReport, Vec<Finding>), ParseError> {
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

    // Title: prefer a title line naming a year (a breadcrumb also says 政府信息公开年度报告).
    let titles: Vec<usize> =
        (0..blocks.len()).filter(|&i| blocks[i].is_line_like() && is_title(&blocks[i].norm)).take(20).collect();
    let title_at = titles.iter().copied().find(|&i| title_year(&blocks[i].norm).is_some()).or(titles.first().copied());
    // a title wrapped over two lines (PDF)
    let wrapped_title = || {
        (0..blocks.len().min(40).saturating_sub(1)).find_map(|i| {
            let (a, b) = (&blocks[i], &blocks[i + 1]);
            let joined = format!("{}{}", a.norm, b.norm);
            (a.is_line_like() && b.is_line_like() && a.norm.contains("政府信息公开") && is_title(&joined))
                .then(|| format!("{}{}", a.raw_text(), b.raw_text()))
        })
    };
    let title_text = title_at
        .map(|i| blocks[i].raw_text())
        .or_else(wrapped_title)
        .or_else(|| doc.title.clone().filter(|t| is_title(&normalize_label(t))));
    if let Some(t) = &title_text {
        let (agency, year) = parse_title(t);
        report.agency = agency;
        report.year = year;
    }
    if report.year.is_none() {
        report.year = blocks.iter().take(200).find_map(|b| statistics_year(&b.norm));
    }
    if report.agency.is_none() {
        findings.push(Finding::warning(Rule::Unread, "agency", "未能从标题读出报告机关"));
    }
    if report.year.is_none() {
        findings.push(Finding::warning(Rule::Unread, "year", "未能从标题或统计时限读出报告年度"));
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
        return Ok((report, findings));
    }

    let t2 = read_table(&blocks[a2..b2], T2_SPECS);
    let (a3, b3) = table_region(3);
    let t3 = read_table(&blocks[a3..b3], &t3_specs());
    let (a4, b4) = table_region(4);
    let t4 = read_t4(&blocks[a4..b4]);

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
    Ok((report, findings))
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

fn is_title(norm: &str) -> bool {
    norm.chars().count() <= 120
        && norm.contains("政府信息公开")
        && (norm.contains("年度报告") || norm.contains("工作报告"))
}

/// The first `YYYY年` (1990–2100) and its char offset.
fn title_year(norm: &str) -> Option<(i32, usize)> {
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
fn parse_title(raw: &str) -> (Option<String>, Option<i32>) {
    let mut norm = normalize_label(raw);
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

fn clean_agency(s: &str) -> String {
    let s = s.trim_matches(|c: char| matches!(c, '《' | '》' | '【' | '】' | '：' | '-' | '、' | '，'));
    s.strip_prefix("关于").unwrap_or(s).to_string()
}

/// `数据统计时限为2023年1月1日至2023年12月31日` → 2023.
fn statistics_year(norm: &str) -> Option<i32> {
    let i = norm.find("年1月1日至")?;
    let head = &norm[..i];
    let digits: String = head.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let y: i32 = digits.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
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
fn heading_level(norm: &str) -> Option<usize> {
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

/// A table cell as written.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Int(u32),
    Dec(f64),
    Blank,
    /// `—`, `/`, `无`: not a number (R5).
    Dash(String),
    Negative(String),
    /// Anything else: unreadable.
    Garbage(String),
}

impl Cell {
    fn parse(raw: &str) -> Cell {
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.is_empty() {
            return Cell::Blank;
        }
        if words.len() > 1 {
            return Cell::Garbage(raw.trim().to_string());
        }
        let s = normalize_label(words[0]);
        // thousands separators
        let chars: Vec<char> = s.chars().collect();
        let s: String = chars
            .iter()
            .enumerate()
            .filter(|&(i, c)| {
                !(*c == '，'
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            })
            .map(|(_, c)| *c)
            .collect();
        let is_int = |t: &str| !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit());
        let is_dec = |t: &str| t.split_once('.').is_some_and(|(a, b)| is_int(a) && is_int(b));
        if is_int(&s) {
            return s.parse().map(Cell::Int).unwrap_or_else(|_| Cell::Garbage(s));
        }
        if is_dec(&s) {
            return s.parse().map(Cell::Dec).unwrap_or_else(|_| Cell::Garbage(s));
        }
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('—'))
            && (is_int(rest) || is_dec(rest))
        {
            return Cell::Negative(s);
        }
        if s.chars().all(|c| matches!(c, '-' | '—' | '–' | '/' | '／' | '\\' | '一' | '―'))
            && s.chars().count() <= 4
            && s != "一"
            || matches!(s.as_str(), "无" | "空" | "/" | "×")
        {
            return Cell::Dash(s);
        }
        Cell::Garbage(s)
    }

    /// Whether a loose text piece can be a table value.
    fn is_loose_value(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Dec(_) | Cell::Negative(_))
            || matches!(self, Cell::Dash(s) if s.chars().all(|c| matches!(c, '-' | '—' | '–' | '/' | '／')))
    }

    fn is_value(&self) -> bool {
        !matches!(self, Cell::Blank | Cell::Garbage(_))
    }
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        t.push('…');
    }
    t
}

/// An integer cell: the value, or `None` with a finding saying why (a blank gets its R5 from `check`).
fn int_cell(cell: &Cell, loc: &str, what: &str, findings: &mut Vec<Finding>) -> Option<u32> {
    match cell {
        Cell::Int(v) => return Some(*v),
        Cell::Blank => {}
        Cell::Dash(s) => {
            findings.push(Finding::warning(Rule::R5, loc, format!("{what} 填写为“{s}”，不是数字（为0时应填写0）")))
        }
        Cell::Negative(s) => findings.push(Finding::error(Rule::R5, loc, format!("{what} 为负数“{s}”"))),
        Cell::Dec(v) => findings.push(Finding::error(Rule::R5, loc, format!("{what} 为“{v}”，不是整数"))),
        Cell::Garbage(s) => {
            findings.push(Finding::warning(Rule::Unread, loc, format!("{what} 无法识别：“{}”", short(s))))
        }
    }
    None
}

fn decimal_cell(cell: &Cell, loc: &str, findings: &mut Vec<Finding>) -> Option<f64> {
    match cell {
        Cell::Int(v) => Some(f64::from(*v)),
        Cell::Dec(v) => Some(*v),
        other => {
            int_cell(other, loc, "表二 行政事业性收费", findings);
            None
        }
    }
}

/// How a row of a table was read.
#[derive(Debug, Clone, PartialEq)]
enum RowRead {
    NotFound,
    Unread(String),
    Cells(Vec<Cell>),
}

/// A row to look for: the keys that identify its label (after normalisation), how many value cells it has,
/// and its item number within a group (`（三）` item 2), used when a label is broken before its key.
struct Spec {
    name: &'static str,
    keys: &'static [&'static str],
    n: usize,
    item: Option<u8>,
}

const T2_SPECS: &[Spec] = &[
    Spec { name: "规章", keys: &["规章"], n: 3, item: None },
    Spec { name: "行政规范性文件", keys: &["规范性文件"], n: 3, item: None },
    Spec { name: "行政许可", keys: &["行政许可"], n: 1, item: None },
    Spec { name: "行政处罚", keys: &["行政处罚"], n: 1, item: None },
    Spec { name: "行政强制", keys: &["行政强制"], n: 1, item: None },
    Spec { name: "行政事业性收费", keys: &["事业性收费"], n: 1, item: None },
];

/// Keys of the rows of 三, in [`T3Row::ALL`] order.
fn t3_specs() -> Vec<Spec> {
    const KEYS: [(&[&str], Option<u8>); 25] = [
        (&["本年新收", "新收政府信息公开申请"], None),
        (&["上年结转"], None),
        (&["予以公开"], None),
        (&["部分公开"], None),
        (&["国家秘密"], Some(1)),
        (&["禁止公开", "法律行政法规"], Some(2)),
        (&["三安全一稳定", "三安全"], Some(3)),
        (&["第三方合法权益", "第三方"], Some(4)),
        (&["内部事务"], Some(5)),
        (&["过程性信息"], Some(6)),
        (&["执法案卷"], Some(7)),
        (&["查询事项"], Some(8)),
        (&["不掌握"], Some(1)),
        (&["另行制作", "没有现成信息"], Some(2)),
        (&["仍不明确", "补正后申请"], Some(3)),
        (&["信访举报投诉", "信访"], Some(1)),
        (&["重复申请"], Some(2)),
        (&["公开出版物", "出版物"], Some(3)),
        (&["大量反复"], Some(4)),
        (&["重新出具", "确认或重新"], Some(5)),
        (&["逾期不补正"], Some(1)),
        (&["收费通知", "缴纳费用"], Some(2)),
        (&["3.其他", "3、其他", "（3）其他"], Some(3)),
        (&["（七）总计", "七）总计"], None),
        (&["结转下年度", "结转下年", "继续办理"], None),
    ];
    T3Row::ALL.iter().zip(KEYS).map(|(row, (keys, item))| Spec { name: row.key(), keys, n: 7, item }).collect()
}

/// The row whose key ends latest in `label` (labels accumulate, so the newest one is the row's own).
/// Falls back to the item number (`2.其他法律行政法规禁` broken before its key) when it continues the
/// previous row's group.
fn find_spec(label: &str, specs: &[Spec], last: Option<usize>, n: Option<usize>) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None; // (end, key len, spec)
    for (i, spec) in specs.iter().enumerate() {
        if n.is_some_and(|n| n != spec.n) {
            continue;
        }
        for key in spec.keys {
            if let Some(at) = label.rfind(key) {
                let cand = (at + key.len(), key.len(), i);
                if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                    best = Some(cand);
                }
            }
        }
    }
    if let Some((_, _, i)) = best {
        return Some(i);
    }
    let next = last.map_or(0, |l| l + 1);
    let spec = specs.get(next)?;
    let item = spec.item?;
    if n.is_some_and(|n| n != spec.n) {
        return None;
    }
    let chars: Vec<char> = label.chars().collect();
    let numbered = chars.windows(2).any(|w| w[0].to_digit(10) == Some(u32::from(item)) && matches!(w[1], '.' | '、'));
    numbered.then_some(next)
}

/// A key that starts in `before` and ends in `after`.
fn straddling_spec(before: &str, after: &str, specs: &[Spec]) -> Option<usize> {
    if before.is_empty() || after.is_empty() {
        return None;
    }
    let joined = format!("{before}{after}");
    specs.iter().position(|spec| {
        spec.keys
            .iter()
            .any(|key| joined.match_indices(key).any(|(at, k)| at < before.len() && at + k.len() > before.len()))
    })
}

fn push_label(buf: &mut String, s: &str) {
    buf.push_str(s);
    if buf.len() > MAX_LABEL_BUF {
        let mut cut = buf.len() - MAX_LABEL_BUF;
        while !buf.is_char_boundary(cut) {
            cut += 1;
        }
        buf.drain(..cut);
    }
}

fn record(reads: &mut [RowRead], i: usize, read: RowRead) {
    reads[i] = match &reads[i] {
        RowRead::NotFound => read,
        // the same row twice: which one is right cannot be told
        _ => RowRead::Unread("该行在表中出现了不止一次".into()),
    };
}

/// Reads the rows of one table from its region: rows with real cells where there are any, else loose text.
fn read_table(blocks: &[NBlock<'_>], specs: &[Spec]) -> Vec<RowRead> {
    let mut reads = vec![RowRead::NotFound; specs.len()];
    if blocks.iter().any(|b| matches!(b.block, Block::Row(_))) {
        read_rows(blocks, specs, &mut reads);
    } else {
        read_loose(&loose_tokens(blocks), specs, &mut reads);
    }
    reads
}

fn read_rows(blocks: &[NBlock<'_>], specs: &[Spec], reads: &mut [RowRead]) {
    let mut sizes: Vec<usize> = specs.iter().map(|s| s.n).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    let mut buf = String::new();
    let mut last = None;
    for nb in blocks {
        let Block::Row(raw) = nb.block else {
            push_label(&mut buf, &nb.norm);
            continue;
        };
        let mut done = false;
        for &n in &sizes {
            if raw.len() <= n {
                continue;
            }
            let mut label = buf.clone();
            label.push_str(&nb.cells[..raw.len() - n].concat());
            if let Some(i) = find_spec(&label, specs, last, Some(n)) {
                let cells = raw[raw.len() - n..].iter().map(|c| Cell::parse(c)).collect();
                record(reads, i, RowRead::Cells(cells));
                last = Some(i);
                done = true;
                break;
            }
        }
        if done {
            buf.clear();
            continue;
        }
        let has_values = raw.iter().any(|c| Cell::parse(c).is_value());
        if has_values {
            let mut label = buf.clone();
            label.push_str(&nb.norm);
            if let Some(i) = find_spec(&label, specs, last, None) {
                record(reads, i, RowRead::Unread(format!("该行有{}个单元格，无法确定各数值所在的列", raw.len())));
                last = Some(i);
            }
            buf.clear();
        } else {
            push_label(&mut buf, &nb.norm);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Val(Cell),
}

/// Splits `数量1` into `数量` and `1` (PDF extraction glues a first value to its label).
fn split_glued(piece: &str) -> (String, Option<String>) {
    let folded: String = piece.chars().filter_map(gongkai_domain::annual_report::text::fold_char).collect();
    let digits = folded.chars().rev().take_while(char::is_ascii_digit).count();
    let total = folded.chars().count();
    if digits == 0 || digits == total {
        return (folded, None);
    }
    let head: String = folded.chars().take(total - digits).collect();
    let glue_ok = head.chars().last().is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '）' || c == '”');
    if glue_ok { (head, Some(folded.chars().skip(total - digits).collect())) } else { (folded, None) }
}

/// Loose text → label and value tokens. Per line, the trailing run of numbers are values; the rest is label.
fn loose_tokens(blocks: &[NBlock<'_>]) -> Vec<Tok> {
    let mut toks = Vec::new();
    for nb in blocks {
        let raw = nb.raw_text();
        let mut pieces: Vec<String> = Vec::new();
        for w in raw.split_whitespace() {
            let (head, tail) = split_glued(w);
            pieces.push(head);
            pieces.extend(tail);
        }
        let cells: Vec<Cell> = pieces.iter().map(|p| Cell::parse(p)).collect();
        let values = cells.iter().rev().take_while(|c| c.is_loose_value()).count();
        let label = normalize_label(&pieces[..pieces.len() - values].concat());
        if !label.is_empty() {
            toks.push(Tok::Text(label));
        }
        toks.extend(cells.into_iter().skip(pieces.len() - values).map(Tok::Val));
    }
    toks
}

fn read_loose(toks: &[Tok], specs: &[Spec], reads: &mut [RowRead]) {
    let mut buf = String::new();
    let mut last = None;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Text(t) => {
                push_label(&mut buf, t);
                i += 1;
            }
            Tok::Val(_) => {
                let start = i;
                while i < toks.len() && matches!(toks[i], Tok::Val(_)) {
                    i += 1;
                }
                // a label wrapped in the middle of its key (`（一）予以 1 0 … / 公开`): the key straddles the values
                let next_text = match toks.get(i) {
                    Some(Tok::Text(t)) => t.as_str(),
                    _ => "",
                };
                let found = find_spec(&buf, specs, last, None).or_else(|| straddling_spec(&buf, next_text, specs));
                if let Some(s) = found {
                    let run: Vec<Cell> = toks[start..i]
                        .iter()
                        .filter_map(|t| match t {
                            Tok::Val(c) => Some(c.clone()),
                            Tok::Text(_) => None,
                        })
                        .collect();
                    let read = if run.len() == specs[s].n {
                        RowRead::Cells(run)
                    } else {
                        RowRead::Unread(format!(
                            "找到{}个数值，应为{}个（空白单元格无法从文本中定位）",
                            run.len(),
                            specs[s].n
                        ))
                    };
                    record(reads, s, read);
                    last = Some(s);
                }
                buf.clear();
            }
        }
    }
}

/// Words of the header of table 四.
const T4_HEADER: &[&str] = &["结果", "维持", "纠正", "审结", "总计", "复议", "诉讼", "起诉"];

/// Table 四 has one data row of 15 cells (复议, 未经复议直接起诉, 复议后起诉 × 5).
fn read_t4(blocks: &[NBlock<'_>]) -> RowRead {
    let text: String = blocks.iter().map(|b| b.norm.as_str()).collect();
    let order_ok = match (text.find("行政复议"), text.find("行政诉讼"), text.find("未经复议"), text.find("复议后起诉"))
    {
        (Some(a), Some(b), c, d) => a < b && c.zip(d).is_none_or(|(c, d)| c < d),
        _ => return RowRead::NotFound,
    };
    if !order_ok {
        return RowRead::Unread("表四的表头顺序与官方格式不同，未读取".into());
    }
    if blocks.iter().any(|b| matches!(b.block, Block::Row(_))) {
        let row = blocks.iter().rev().find_map(|b| match b.block {
            Block::Row(cells) if cells.len() >= 15 => {
                let tail: Vec<Cell> = cells[cells.len() - 15..].iter().map(|c| Cell::parse(c)).collect();
                let header = cells[cells.len() - 15..].iter().any(|c| T4_HEADER.iter().any(|h| c.contains(h)));
                (!header && tail.iter().any(Cell::is_value)).then_some(tail)
            }
            _ => None,
        });
        return row.map_or(RowRead::NotFound, RowRead::Cells);
    }
    let toks = loose_tokens(blocks);
    let Some(h) = toks.iter().rposition(|t| matches!(t, Tok::Text(s) if T4_HEADER.iter().any(|w| s.contains(w))))
    else {
        return RowRead::NotFound;
    };
    let run: Vec<Cell> = toks[h + 1..]
        .iter()
        .map_while(|t| match t {
            Tok::Val(c) => Some(c.clone()),
            Tok::Text(_) => None,
        })
        .collect();
    match run.len() {
        0 => RowRead::NotFound,
        15 => RowRead::Cells(run),
        n => RowRead::Unread(format!("表四找到{n}个数值，应为15个（空白单元格无法从文本中定位）")),
    }
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
        assert_eq!(heading_level("三、收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading_level("三、本年度办理结果"), None);
        assert_eq!(heading_level("四、结转下年度继续办理"), None);
        assert_eq!(statistics_year("数据统计时限为2023年1月1日至2023年12月31日。"), Some(2023));
    }

    #[test]
    fn cells() {
        assert_eq!(Cell::parse(" １２ "), Cell::Int(12));
        assert_eq!(Cell::parse("1,234"), Cell::Int(1234));
        assert_eq!(Cell::parse("0.35"), Cell::Dec(0.35));
        assert_eq!(Cell::parse("—"), Cell::Dash("—".into()));
        assert_eq!(Cell::parse("-2"), Cell::Negative("-2".into()));
        assert_eq!(Cell::parse("1O"), Cell::Garbage("1O".into()));
        assert_eq!(Cell::parse(""), Cell::Blank);
        assert_eq!(split_glued("数量1"), ("数量".into(), Some("1".into())));
        assert_eq!(split_glued("2023"), ("2023".into(), None));
    }
}
