//! The report as the portal shows it: semantic HTML with the official tables (rowspan/colspan).

use std::fmt::Write as _;

use gongkai_domain::annual_report::AnnualReport;

use super::layout::{Part, Table, parts, title};

/// Escapes text for element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Styles of the standalone page; the portal has the same rules in its stylesheet (its CSP forbids inline
/// styles, so [`article`] carries classes only).
const STYLE: &str = "body{font-family:\"FangSong\",\"仿宋_GB2312\",\"仿宋\",serif;max-width:60em;margin:2em auto;\
line-height:1.6}h1{text-align:center;font-family:\"SimHei\",\"黑体\",sans-serif}h2{font-family:\"SimHei\",\"黑体\",\
sans-serif;font-size:1.1em}table.report-table{border-collapse:collapse;width:100%;margin:1em 0}\
.report-table th,.report-table td{border:1px solid #000;padding:.2em .4em;text-align:center}\
.report-table td.label{text-align:left}p{text-indent:2em}";

/// A standalone HTML page (the `--format html` download).
pub fn html(r: &AnnualReport) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape(&title(r)),
        article(r)
    )
}

/// The report as an `<article>` for a page: title, sections 一–六 and the tables, classes only.
pub fn article(r: &AnnualReport) -> String {
    article_with(r, true)
}

/// The report as an `<article>` without its title: the body of a published catalog entry, whose page shows the
/// entry's title (the same text) as its heading.
pub fn article_untitled(r: &AnnualReport) -> String {
    article_with(r, false)
}

fn article_with(r: &AnnualReport, titled: bool) -> String {
    let mut out = String::from("<article class=\"annual-report\">\n");
    if titled {
        let _ = writeln!(out, "<h1>{}</h1>", escape(&title(r)));
    }
    for part in parts(r) {
        match part {
            Part::Heading(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape(h));
            }
            Part::Paragraph(p) => {
                let _ = writeln!(out, "<p>{}</p>", escape(&p));
            }
            Part::Table(t) => table(&t, &mut out),
        }
    }
    out.push_str("</article>\n");
    out
}

fn table(t: &Table, out: &mut String) {
    let _ = writeln!(out, "<table class=\"report-table\" data-table=\"{}\">", t.name);
    let body_start = t.header_rows;
    if body_start > 0 {
        out.push_str("<thead>\n");
    } else {
        out.push_str("<tbody>\n");
    }
    for (i, row) in t.rows.iter().enumerate() {
        if i == body_start && body_start > 0 {
            out.push_str("</thead>\n<tbody>\n");
        }
        out.push_str("<tr>");
        for cell in row {
            let tag = if cell.header { "th" } else { "td" };
            out.push('<');
            out.push_str(tag);
            if cell.colspan > 1 {
                let _ = write!(out, " colspan=\"{}\"", cell.colspan);
            }
            if cell.rowspan > 1 {
                let _ = write!(out, " rowspan=\"{}\"", cell.rowspan);
            }
            if cell.header && cell.colspan > 1 {
                out.push_str(" scope=\"colgroup\"");
            } else if cell.header {
                out.push_str(" scope=\"col\"");
            } else if cell.content.is_label() {
                out.push_str(" class=\"label\"");
            }
            let _ = write!(out, ">{}</{tag}>", escape(&cell.content.text()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
