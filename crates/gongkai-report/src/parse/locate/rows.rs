//! Rows of tables 二, 三 and 四, found by their labels in table rows or in loose text.

use gongkai_domain::annual_report::text::normalize_label;

use gongkai_domain::annual_report::T3Row;

use super::cell::Cell;
use super::{MAX_LABEL_BUF, NBlock};
use crate::parse::doc::Block;

/// How a row of a table was read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum RowRead {
    NotFound,
    Unread(String),
    Cells(Vec<Cell>),
}

/// A row to look for: the keys that identify its label (after normalisation), how many value cells it has,
/// and its item number within a group (`（三）` item 2), used when a label is broken before its key.
pub(super) struct Spec {
    pub name: &'static str,
    keys: &'static [&'static str],
    pub n: usize,
    item: Option<u8>,
}

pub(super) const T2_SPECS: &[Spec] = &[
    Spec { name: "规章", keys: &["规章"], n: 3, item: None },
    Spec { name: "行政规范性文件", keys: &["规范性文件"], n: 3, item: None },
    Spec { name: "行政许可", keys: &["行政许可"], n: 1, item: None },
    Spec { name: "行政处罚", keys: &["行政处罚"], n: 1, item: None },
    Spec { name: "行政强制", keys: &["行政强制"], n: 1, item: None },
    Spec { name: "行政事业性收费", keys: &["事业性收费"], n: 1, item: None },
];

/// Keys of the rows of 三, in [`T3Row::ALL`] order.
pub(super) fn t3_specs() -> Vec<Spec> {
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
    let mut specs: Vec<Spec> =
        T3Row::ALL.iter().zip(KEYS).map(|(row, (keys, item))| Spec { name: row.key(), keys, n: 7, item }).collect();
    // （六）其他处理 as one row (2019 layout); only a label ending with it, else it is the group of （六）1
    specs.push(Spec {
        name: super::OTHER_HANDLING_KEY, keys: &["（六）其他处理", "六）其他处理"], n: 7, item: None
    });
    specs
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
            if spec.name == super::OTHER_HANDLING_KEY && !label.ends_with(key) {
                continue;
            }
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
pub(super) fn read_table(blocks: &[NBlock<'_>], specs: &[Spec]) -> Vec<RowRead> {
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
    for (at, nb) in blocks.iter().enumerate() {
        let Block::Row(raw) = nb.block else {
            push_label(&mut buf, &nb.norm);
            continue;
        };
        let mut done = false;
        for &n in &sizes {
            let raw = fit(raw, n);
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
            // a label wrapped inside its key, the rest on the next line (`（一）予` … / `以公开`)
            let next_text = blocks.get(at + 1).filter(|b| !has_value_cells(b)).map_or("", |b| b.norm.as_str());
            let own: String = nb
                .cells
                .iter()
                .zip(raw)
                .take_while(|(_, r)| !Cell::parse(r).is_value())
                .map(|(c, _)| c.as_str())
                .collect();
            let straddling = || {
                let i = straddling_spec(&format!("{buf}{own}"), next_text, specs)?;
                let n = specs[i].n;
                let raw = fit(raw, n);
                (raw.len() > n).then(|| (i, raw[raw.len() - n..].iter().map(|c| Cell::parse(c)).collect()))
            };
            if let Some((i, cells)) = straddling() {
                record(reads, i, RowRead::Cells(cells));
                last = Some(i);
            } else if let Some(i) = find_spec(&label, specs, last, None) {
                record(reads, i, RowRead::Unread(format!("该行有{}个单元格，无法确定各数值所在的列", raw.len())));
                last = Some(i);
            }
            buf.clear();
        } else {
            push_label(&mut buf, &nb.norm);
        }
    }
}

fn has_value_cells(nb: &NBlock<'_>) -> bool {
    match nb.block {
        Block::Row(raw) => raw.iter().any(|c| Cell::parse(c).is_value()),
        Block::Line(_) => false,
    }
}

/// The row without the stray empty cells after its last value (`| 行政许可 | 0 | ||`): trailing blank cells
/// are dropped only while more than `n` cells follow the last label cell, so a blank value cell stays.
fn fit(raw: &[String], n: usize) -> &[String] {
    let start = raw.iter().rposition(|c| matches!(Cell::parse(c), Cell::Garbage(_))).map_or(0, |i| i + 1);
    let mut end = raw.len();
    while end > start + n && raw[end - 1].trim().is_empty() {
        end -= 1;
    }
    &raw[..end]
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
/// `headed`: the region follows the heading 四, so a lone row of 15 values is the data row even without the
/// header rows.
pub(super) fn read_t4(blocks: &[NBlock<'_>], headed: bool) -> RowRead {
    let text: String = blocks.iter().map(|b| b.norm.as_str()).collect();
    let order_ok = match (text.find("行政复议"), text.find("行政诉讼"), text.find("未经复议"), text.find("复议后起诉"))
    {
        (Some(a), Some(b), c, d) => a < b && c.zip(d).is_none_or(|(c, d)| c < d),
        (None, None, None, None) if headed && blocks.iter().any(|b| matches!(b.block, Block::Row(_))) => true,
        _ => return RowRead::NotFound,
    };
    if !order_ok {
        return RowRead::Unread("表四的表头顺序与官方格式不同，未读取".into());
    }
    if blocks.iter().any(|b| matches!(b.block, Block::Row(_))) {
        let row = blocks.iter().rev().find_map(|b| match b.block {
            Block::Row(cells) if fit(cells, 15).len() >= 15 => {
                let cells = fit(cells, 15);
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
    fn glued() {
        assert_eq!(split_glued("数量1"), ("数量".into(), Some("1".into())));
        assert_eq!(split_glued("2023"), ("2023".into(), None));
    }
}
