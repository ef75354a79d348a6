//! Text whose tables are drawn with `|` (also `丨` and `｜`), as PDF/OCR converters and web-page dumps write
//! them. Three shapes are met:
//!
//! - a row per line, Markdown-like (`| 规章 | 0 | 0 | 0 |` or `规章 | 0 | 0 | 0 |`), with stray empty cells
//!   (`| 行政许可 | 0 | ||`) and rows wrapped over two lines;
//! - a cell per line ending with `|` (`规章 |`, `0 |`): a lone `|` is a blank cell and a run of pipes (`||`)
//!   the padding of merged cells at the end of a row;
//! - a cell per line between lone `|` lines (`规章`, `|`, `0`, `|`).
//!
//! In the cell-per-line shapes a row starts where a label follows a value. Nothing else is inferred: which
//! cell is which is decided by [`super::locate`] from the labels, as for every other source.

use super::doc::{Block, Doc, collapse_ws};
use super::locate::{Cell, heading_level};
use gongkai_domain::annual_report::text::normalize_label;

/// Lines with a separator needed before text is read as pipe tables.
const MIN_PIPE_LINES: usize = 4;

fn is_sep(c: char) -> bool {
    matches!(c, '|' | '｜' | '丨')
}

/// Folds the separators of a line that has any (`丨` is also a CJK character, so only then) to `|`.
fn fold_line(line: &str) -> String {
    let t = line.trim();
    if t.chars().any(is_sep) { t.chars().map(|c| if is_sep(c) { '|' } else { c }).collect() } else { t.to_string() }
}

/// Whether the text draws its tables with pipes.
pub(crate) fn is_pipe_text(s: &str) -> bool {
    s.lines().filter(|l| l.chars().any(is_sep)).take(MIN_PIPE_LINES).count() >= MIN_PIPE_LINES
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// No separator.
    Text(String),
    /// Only separators: how many.
    Lone(usize),
    /// Content and separators: the cells, and whether the line starts / ends with a separator.
    Cells { cells: Vec<String>, open: bool, close: bool },
}

fn classify(line: &str) -> Kind {
    if !line.contains('|') {
        return Kind::Text(line.to_string());
    }
    if line.chars().all(|c| c == '|' || c.is_whitespace()) {
        return Kind::Lone(line.matches('|').count());
    }
    let open = line.starts_with('|');
    let close = line.ends_with('|');
    let mut cells: Vec<String> = line.split('|').map(cell_text).collect();
    if open {
        cells.remove(0);
    }
    if close {
        cells.pop();
    }
    Kind::Cells { cells, open, close }
}

/// A cell's text: whitespace collapsed, and OCR spaces inside a number closed up (`1 2` → `12`, `１ ２` too).
fn cell_text(raw: &str) -> String {
    let t = collapse_ws(raw);
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if t.contains(' ') && digits(&squeezed) && t.split(' ').all(digits) { squeezed } else { t }
}

pub(crate) fn to_doc(s: &str) -> Doc {
    let lines: Vec<String> = s
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split(['\n', '\u{c}'])
        .map(fold_line)
        .filter(|l| !l.is_empty() && !super::text::is_page_number(l))
        .collect();
    let kinds: Vec<Kind> = lines.iter().map(|l| classify(l)).collect();
    let (mut multi, mut single, mut lone) = (0, 0, 0);
    for k in &kinds {
        match k {
            Kind::Cells { cells, .. } if cells.len() >= 2 => multi += 1,
            Kind::Cells { open: false, close: true, .. } => single += 1,
            Kind::Lone(_) => lone += 1,
            _ => {}
        }
    }
    if multi >= single && multi >= lone {
        rows_doc(&kinds)
    } else if single >= lone / 2 && single > 0 {
        stream_doc(trailing_stream(&kinds))
    } else {
        stream_doc(between_stream(&kinds))
    }
}

/// A row per line; a row whose closing separator is on a later line (a wrapped label) is joined up.
fn rows_doc(kinds: &[Kind]) -> Doc {
    let mut doc = Doc::default();
    let mut i = 0;
    while i < kinds.len() {
        match &kinds[i] {
            Kind::Text(t) => doc.line(t),
            Kind::Lone(_) => {}
            Kind::Cells { cells, open, close } => {
                let mut cells = cells.clone();
                // `| 一、本年新收政府信息` / `公开申请数量 | 12 | … |`: the row goes on until a line closes it
                if *open && !*close {
                    let mut j = i + 1;
                    while j < kinds.len() && j <= i + 3 {
                        match &kinds[j] {
                            Kind::Text(t) => {
                                if let Some(last) = cells.last_mut() {
                                    last.push_str(t);
                                }
                            }
                            Kind::Cells { cells: more, open: false, close } => {
                                let mut more = more.clone();
                                if let (Some(last), false) = (cells.last_mut(), more.is_empty()) {
                                    last.push_str(&more.remove(0));
                                }
                                cells.extend(more);
                                if *close {
                                    i = j;
                                    break;
                                }
                            }
                            _ => break,
                        }
                        j += 1;
                    }
                }
                doc.blocks.push(Block::Row(cells));
            }
        }
        i += 1;
    }
    doc
}

/// An item of a cell-per-line stream.
enum Item {
    Cell(String),
    RowEnd,
    Line(String),
}

/// `规章 |`, `0 |`, a lone `|` for a blank cell, `||` ending a row with merged cells; lines without a
/// separator are text.
fn trailing_stream(kinds: &[Kind]) -> Vec<Item> {
    let mut out = Vec::new();
    for k in kinds {
        match k {
            Kind::Text(t) => out.push(Item::Line(t.clone())),
            Kind::Lone(1) => out.push(Item::Cell(String::new())),
            Kind::Lone(_) => out.push(Item::RowEnd),
            Kind::Cells { cells, .. } => out.extend(cells.iter().cloned().map(Item::Cell)),
        }
    }
    out
}

/// Cells between lone `|` lines. A line next to a separator line is a cell (two lines before one separator are
/// one wrapped cell); section headings and other lines are text.
fn between_stream(kinds: &[Kind]) -> Vec<Item> {
    let is_lone = |i: usize| matches!(kinds.get(i), Some(Kind::Lone(_)));
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for (i, k) in kinds.iter().enumerate() {
        match k {
            Kind::Text(t) => {
                let heading = heading_level(&normalize_label(t)).is_some();
                let next_lone = is_lone(i + 1);
                let in_cell = !heading && (next_lone || (i > 0 && is_lone(i - 1)) || cur.is_some());
                if in_cell && (next_lone || matches!(kinds.get(i + 1), Some(Kind::Text(_)))) {
                    match &mut cur {
                        Some(c) => {
                            c.push(' ');
                            c.push_str(t);
                        }
                        None => cur = Some(t.clone()),
                    }
                } else {
                    if let Some(c) = cur.take() {
                        out.push(Item::Cell(c));
                    }
                    out.push(Item::Line(t.clone()));
                }
            }
            Kind::Lone(n) => {
                out.push(Item::Cell(cur.take().unwrap_or_default()));
                out.extend((1..*n).map(|_| Item::Cell(String::new())));
            }
            Kind::Cells { cells, .. } => {
                if let Some(c) = cur.take() {
                    out.push(Item::Cell(c));
                }
                out.extend(cells.iter().cloned().map(Item::Cell));
            }
        }
    }
    if let Some(c) = cur {
        out.push(Item::Cell(c));
    }
    out
}

/// Groups a stream of cells into rows: a row ends where a label follows a value or a blank, at a run of
/// pipes, and at text outside the table.
fn stream_doc(items: Vec<Item>) -> Doc {
    let mut doc = Doc::default();
    let mut row: Vec<String> = Vec::new();
    let flush = |row: &mut Vec<String>, doc: &mut Doc| {
        if !row.is_empty() {
            doc.blocks.push(Block::Row(std::mem::take(row)));
        }
    };
    for item in items {
        match item {
            Item::Cell(c) => {
                let label = matches!(Cell::parse(&c), Cell::Garbage(_));
                if label && row.iter().any(|r| !matches!(Cell::parse(r), Cell::Garbage(_))) {
                    flush(&mut row, &mut doc);
                }
                row.push(c);
            }
            Item::RowEnd => flush(&mut row, &mut doc),
            Item::Line(t) => {
                flush(&mut row, &mut doc);
                doc.line(&t);
            }
        }
    }
    flush(&mut row, &mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(doc: &Doc) -> Vec<Vec<String>> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Row(r) => Some(r.clone()),
                Block::Line(_) => None,
            })
            .collect()
    }

    #[test]
    fn markdown_rows_with_stray_cells_and_a_wrapped_row() {
        let doc = to_doc(
            "标题\n| 行政许可 | 0 | ||\n- 3 -\n丨 规章 丨 1 2 丨 ０ 丨 3 丨\n| 一、本年新收政府信息\n公开申请数量 | 12 | 1 |\n| a | b |\n",
        );
        assert_eq!(doc.blocks[0], Block::Line("标题".into()));
        assert_eq!(doc.blocks.len(), 5, "the page number is dropped: {:?}", doc.blocks);
        assert_eq!(
            rows(&doc),
            vec![
                vec!["行政许可", "0", "", ""],
                vec!["规章", "12", "０", "3"],
                vec!["一、本年新收政府信息公开申请数量", "12", "1"],
                vec!["a", "b"],
            ]
        );
    }

    #[test]
    fn a_cell_per_line_with_trailing_pipes() {
        let doc = to_doc("规章 |\n/ |\n0 |\n0 |\n行政许可 |\n0 |\n||\n一、本年新收 |\n|\n|\n3 |\n正文\n");
        assert_eq!(
            rows(&doc),
            vec![vec!["规章", "/", "0", "0"], vec!["行政许可", "0"], vec!["一、本年新收", "", "", "3"]]
        );
        assert_eq!(doc.blocks.last(), Some(&Block::Line("正文".into())));
    }

    #[test]
    fn cells_between_pipe_lines() {
        let doc = to_doc(
            "三、收到和处理政府信息公开申请情况\n说明。\n总计\n|\n商业\n企业\n|\n规章\n|\n0\n|\n|\n行政许可\n|\n0\n|\n",
        );
        assert_eq!(
            doc.blocks[..2],
            [Block::Line("三、收到和处理政府信息公开申请情况".into()), Block::Line("说明。".into())]
        );
        assert_eq!(rows(&doc), vec![vec!["总计", "商业 企业", "规章", "0", ""], vec!["行政许可", "0"]]);
    }
}
