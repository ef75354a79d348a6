//! HTML as published: Word-pasted markup, nested spans, rowspan/colspan tables, page chrome around the article.

use std::collections::HashSet;

use scraper::{ElementRef, Html, Node};

use super::doc::{Block, Doc, collapse_ws};

/// Bounds on table geometry (HTML itself allows colspan ≤ 1000, rowspan ≤ 65534).
const MAX_COLSPAN: usize = 100;
const MAX_ROWSPAN: usize = 1000;
const MAX_COLS: usize = 200;
const MAX_GRID_SLOTS: usize = 500_000;

/// Elements whose content is never part of the report.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "iframe"
            | "select"
            | "button"
            | "svg"
            | "object"
            | "head"
            | "textarea"
            | "map"
    )
}

/// Elements that start a new line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "dl"
            | "center"
            | "figure"
            | "figcaption"
            | "hr"
            | "address"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
            | "body"
            | "form"
            | "fieldset"
            | "legend"
    )
}

/// Identity of an element within one parsed document.
fn key(e: ElementRef<'_>) -> usize {
    std::ptr::from_ref(e.value()) as usize
}

enum Item<'a> {
    Enter(ElementRef<'a>),
    Leave(ElementRef<'a>),
    Text(&'a str),
}

fn push_children<'a>(e: ElementRef<'a>, stack: &mut Vec<Item<'a>>) {
    let start = stack.len();
    for c in e.children() {
        if let Some(el) = ElementRef::wrap(c) {
            stack.push(Item::Enter(el));
        } else if let Node::Text(t) = c.value() {
            stack.push(Item::Text(t));
        }
    }
    stack[start..].reverse();
}

/// Tables that contain another table are layout containers, not data tables (one pass, no re-scans).
fn layout_tables(root: ElementRef<'_>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut stack = vec![(root, None::<usize>)];
    while let Some((e, outer)) = stack.pop() {
        let is_table = e.value().name() == "table";
        if is_table && let Some(o) = outer {
            out.insert(o);
        }
        let inner = if is_table { Some(key(e)) } else { outer };
        for c in e.children() {
            if let Some(el) = ElementRef::wrap(c) {
                stack.push((el, inner));
            }
        }
    }
    out
}

/// Deepest nesting of container elements, counted on the raw markup (no tree is built). html5ever's scope
/// checks walk the stack of open elements, so very deep nesting makes parsing quadratic; a real report page
/// nests a few dozen levels at most.
pub(crate) fn nesting_depth(src: &str) -> usize {
    const CONTAINERS: &[&[u8]] = &[
        b"div",
        b"span",
        b"table",
        b"ul",
        b"ol",
        b"dl",
        b"blockquote",
        b"section",
        b"article",
        b"center",
        b"font",
        b"form",
        b"main",
        b"aside",
        b"header",
        b"footer",
        b"nav",
        b"fieldset",
        b"figure",
        b"object",
    ];
    let b = src.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let len = b[start.min(b.len())..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let name = &b[start.min(b.len())..(start + len).min(b.len())];
        if len > 0 && CONTAINERS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = start + len.max(1);
    }
    max
}

/// Deeper than this is refused (see [`nesting_depth`]).
pub(crate) const MAX_NESTING: usize = 256;

pub(crate) fn to_doc(src: &str) -> Doc {
    let html = Html::parse_document(src);
    let root = html.root_element();
    let mut doc = Doc {
        title: root
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "title")
            .map(|e| collapse_ws(&inline_text(e))),
        ..Doc::default()
    };
    let layout = layout_tables(root);
    let mut line = String::new();
    // Iterative walk: deeply nested markup must not overflow the stack.
    let mut stack = vec![Item::Enter(root)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Text(t) => line.push_str(t),
            Item::Leave(e) => {
                if is_block(e.value().name()) {
                    doc.line(&line);
                    line.clear();
                }
            }
            Item::Enter(e) => {
                let name = e.value().name();
                if skipped(name) {
                    continue;
                }
                if is_block(name) {
                    doc.line(&line);
                    line.clear();
                }
                if name == "table" && !layout.contains(&key(e)) {
                    table_rows(e, &mut doc.blocks);
                    continue;
                }
                stack.push(Item::Leave(e));
                push_children(e, &mut stack);
            }
        }
    }
    doc.line(&line);
    doc
}

/// Text of a subtree, with line breaks at block elements and `<br>`.
fn inline_text(e: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut stack = vec![Item::Enter(e)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Text(t) => out.push_str(t),
            Item::Leave(_) => out.push('\n'),
            Item::Enter(el) => {
                let name = el.value().name();
                if skipped(name) {
                    continue;
                }
                if is_block(name) {
                    out.push('\n');
                    stack.push(Item::Leave(el));
                }
                push_children(el, &mut stack);
            }
        }
    }
    out
}

fn span(value: Option<&str>, max: usize) -> usize {
    let digits: String = value.unwrap_or("").trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse::<usize>().unwrap_or(1).min(max)
}

/// Lays a table out on a real grid (rowspan/colspan), then emits one [`Block::Row`] per `<tr>`: the cells that
/// start in that row, in column order, plus a blank cell for every slot no cell covers.
fn table_rows(table: ElementRef<'_>, out: &mut Vec<Block>) {
    let mut trs = Vec::new();
    for c in table.children().filter_map(ElementRef::wrap) {
        match c.value().name() {
            "tr" => trs.push(c),
            "thead" | "tbody" | "tfoot" => {
                trs.extend(c.children().filter_map(ElementRef::wrap).filter(|r| r.value().name() == "tr"))
            }
            _ => {}
        }
    }
    let n_rows = trs.len();

    #[derive(Clone)]
    enum Slot {
        Empty,
        Origin(String),
        Covered,
    }
    let mut grid: Vec<Vec<Slot>> = Vec::new();
    // remaining rows covered by a rowspan, per column
    let mut pending: Vec<usize> = Vec::new();
    let mut slots = 0usize;
    for (r, tr) in trs.into_iter().enumerate() {
        let mut row: Vec<Slot> = pending.iter().map(|&p| if p > 0 { Slot::Covered } else { Slot::Empty }).collect();
        let mut col = 0usize;
        for c in tr.children().filter_map(ElementRef::wrap) {
            let e = c.value();
            if !matches!(e.name(), "td" | "th") {
                continue;
            }
            while col < row.len() && !matches!(row[col], Slot::Empty) {
                col += 1;
            }
            if col >= MAX_COLS {
                break;
            }
            let colspan = span(e.attr("colspan"), MAX_COLSPAN).max(1);
            let rowspan = match span(e.attr("rowspan"), MAX_ROWSPAN) {
                0 => n_rows - r,
                n => n.min(n_rows - r),
            };
            let end = (col + colspan).min(MAX_COLS);
            if row.len() < end {
                row.resize(end, Slot::Empty);
            }
            if pending.len() < end {
                pending.resize(end, 0);
            }
            row[col] = Slot::Origin(collapse_ws(&inline_text(c)));
            for slot in &mut row[col + 1..end] {
                // a colspan running into a rowspan from above keeps the covering cell
                if matches!(slot, Slot::Empty) {
                    *slot = Slot::Covered;
                }
            }
            for p in &mut pending[col..end] {
                *p = (*p).max(rowspan);
            }
            col = end;
        }
        for p in &mut pending {
            *p = p.saturating_sub(1);
        }
        slots += row.len();
        if slots > MAX_GRID_SLOTS {
            break;
        }
        grid.push(row);
    }
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    for mut row in grid {
        row.resize(width, Slot::Empty);
        let cells: Vec<String> = row
            .into_iter()
            .filter_map(|s| match s {
                Slot::Origin(t) => Some(t),
                Slot::Empty => Some(String::new()),
                Slot::Covered => None,
            })
            .collect();
        if !cells.is_empty() {
            out.push(Block::Row(cells));
        }
    }
}
