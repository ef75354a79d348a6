//! The report as typst markup. Every text goes in as a typst string literal, so nothing the agency typed can
//! be read as markup or code.

use std::fmt::Write as _;

use gongkai_domain::annual_report::AnnualReport;
use gongkai_report::render::layout::{Cell, Part, Table, parts, title};

const SERIF: &str = "Noto Serif CJK SC";
const SANS: &str = "Noto Sans CJK SC";

/// A typst string literal.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Column widths per table: label columns flexible, number columns equal.
fn columns(t: &Table) -> &'static str {
    match t.columns {
        4 => "(1.4fr, 1fr, 1fr, 1fr)",
        10 => "(1.7em, 4.6em, 1fr, 3.5em, 3.5em, 3.5em, 3.5em, 3.5em, 3.5em, 3.5em)",
        _ => "(1fr,) * 15",
    }
}

fn cell(c: &Cell) -> String {
    let mut args = Vec::new();
    if c.colspan > 1 {
        args.push(format!("colspan: {}", c.colspan));
    }
    if c.rowspan > 1 {
        args.push(format!("rowspan: {}", c.rowspan));
    }
    if c.content.is_label() && !c.header && c.rowspan == 1 {
        args.push("align: left + horizon".into());
    }
    let body = if c.header {
        format!("text(font: {}, {})", string(SANS), string(&c.content.text()))
    } else {
        string(&c.content.text())
    };
    if args.is_empty() { format!("[#{body}]") } else { format!("table.cell({})[#{body}]", args.join(", ")) }
}

/// Tables 二 and 四 are kept on one page; 三 may break, repeating its three header rows.
fn table(t: &Table, out: &mut String) {
    let breakable = t.header_rows > 0 && t.rows.len() > 10;
    let _ = writeln!(out, "#block(breakable: {breakable}, table(\n  columns: {},", columns(t));
    for (i, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(cell).collect();
        if i == 0 && t.header_rows > 0 {
            out.push_str("  table.header(\n");
        }
        let _ = writeln!(out, "  {},", cells.join(", "));
        if t.header_rows > 0 && i + 1 == t.header_rows {
            out.push_str("  ),\n");
        }
    }
    out.push_str("))\n");
}

/// Title size: 18 pt, smaller (down to 14 pt) so that the title stays on one line of the 15.6 cm text width.
/// One line also lets the auditor read the agency back from the PDF.
fn title_size(title: &str) -> String {
    let chars = title.chars().count().max(1) as f64;
    format!("{:.1}pt", (430.0 / chars).clamp(14.0, 18.0))
}

pub(crate) fn document(r: &AnnualReport) -> String {
    let title = title(r);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"#set document(title: {title_str})
#set page(paper: "a4", margin: (top: 3.7cm, bottom: 3.5cm, left: 2.8cm, right: 2.6cm), numbering: "— 1 —")
#set text(font: {serif}, size: 12pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 0.9em, spacing: 0.9em, first-line-indent: (amount: 2em, all: true))
#show heading: set text(font: {sans}, size: 12pt, weight: "regular")
#show heading: set block(above: 1.2em, below: 0.8em)
#show heading: it => pad(left: 2em, it.body)
#set table(stroke: 0.5pt, inset: (x: 3pt, y: 4pt), align: center + horizon)
#show table: set text(size: 9pt)
#show table: set par(justify: false, first-line-indent: 0em, leading: 0.5em)

#align(center, text(font: {sans}, size: {title_size}, {title_str}))
#v(0.8em)
"#,
        title_str = string(&title),
        title_size = title_size(&title),
        serif = string(SERIF),
        sans = string(SANS),
    );
    for part in parts(r) {
        match part {
            Part::Heading(h) => {
                let _ = writeln!(out, "#heading(level: 1, {})", string(h));
            }
            Part::Paragraph(p) => {
                let _ = writeln!(out, "#par({})", string(&p));
            }
            Part::Table(t) => table(&t, &mut out),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_break_out_into_markup() {
        assert_eq!(string("a\"b\\c\n#x"), "\"a\\\"b\\\\c\\n#x\"");
    }
}
