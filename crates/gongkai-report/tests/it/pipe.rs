//! Pipe-table text as PDF/OCR converters write it (must-show 1): read cell by cell in every form.

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, Rule, T3Row};
use gongkai_report::audit::{Verdict, audit_bytes};
use gongkai_report::{SourceKind, parse};

use crate::support::{PipeOpts, Style, cell_diff, layout, pipe_text, rich_report};

fn read(text: &str) -> gongkai_report::Parsed {
    parse(text.as_bytes(), Some(SourceKind::Text)).unwrap()
}

/// Reads `opts`' form of the rich report and compares every cell.
fn reads_back(opts: PipeOpts) -> String {
    let want = rich_report();
    let text = pipe_text(&layout(&want, &Style::default()), opts);
    let p = read(&text);
    let diff = cell_diff(&p.report, &want);
    assert!(diff.is_empty(), "cells read wrong (where, got, want): {diff:#?}\n{text}");
    assert_eq!(p.report.agency, want.agency, "{text}");
    assert_eq!(p.report.year, want.year);
    let unread: Vec<_> = p.findings.iter().filter(|f| f.rule == Rule::Unread).collect();
    assert!(unread.is_empty(), "{unread:#?}\n{text}");
    let a = audit_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
    assert_eq!(a.verdict(), Verdict::Read, "{:#?}", a.findings);
    text
}

#[test]
fn markdown_rows_with_header_rows() {
    let text = reads_back(PipeOpts::default());
    assert!(text.contains("| 一、本年新收政府信息公开申请数量 | "), "{text}");
}

#[test]
fn rows_without_header_rows_with_a_stray_empty_cell_and_full_width_digits() {
    let text = reads_back(PipeOpts { headers: false, stray: true, full_width: true, ..PipeOpts::default() });
    assert!(!text.contains("自然人") && !text.contains("本年制发件数"), "no header row left: {text}");
    assert!(text.contains("| １ |  |") || text.contains("１ |  |"), "{text}");
}

#[test]
fn label_cells_split_across_rows_with_cjk_separators() {
    let text = reads_back(PipeOpts { split_labels: true, sep: '丨', ..PipeOpts::default() });
    // `（三）不予公开` spans eight rows: a piece in each (`）` beside 4.保护第三方合法权益)
    assert!(text.contains("丨 ） 丨 4.保护第三方合法权益 丨"), "{text}");
}

#[test]
fn merged_label_cells_ocr_spaces_in_numbers_and_wrapped_labels() {
    let text = reads_back(PipeOpts { merge_labels: true, ocr_spaces: true, wrap: true, ..PipeOpts::default() });
    assert!(text.contains("| （三）不予公开 1.\n属于国家秘密 | 3 |"), "{text}");
    assert!(text.contains("| 1 2 0 7 |"), "{text}");
    assert!(text.contains("| 一、本年新收政府信息\n"), "{text}");
}

#[test]
fn rows_without_leading_separators() {
    reads_back(PipeOpts { leading: false, headers: false, ..PipeOpts::default() });
}

#[test]
fn a_cell_that_cannot_be_placed_is_null_with_an_unread_finding() {
    let want = rich_report();
    let text = pipe_text(&layout(&want, &Style::default()), PipeOpts::default());
    // 2.重复申请 lost one of its seven cells: which one cannot be told
    let shorter: String = text
        .lines()
        .map(|l| {
            if l.contains("| 2.重复申请 |") {
                let mut parts: Vec<&str> = l.trim_end_matches(" |").split(" | ").collect();
                parts.pop();
                format!("{} |\n", parts.join(" | "))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let p = read(&shorter);
    for col in ApplicantColumn::ALL {
        assert_eq!(p.report.t3.get(T3Row::Repeated, col), None);
    }
    let f = p.findings.iter().find(|f| f.location == "t3/（五）2").expect("an unread finding for the row");
    assert_eq!(f.rule, Rule::Unread);
    assert!(f.message.contains("2.重复申请"), "{}", f.message);
    // every other cell is still read
    let diff = cell_diff(&p.report, &want);
    assert!(diff.iter().all(|(at, _, _)| at.starts_with("t3/（五）2/")), "{diff:#?}");
}

/// The report as pipe text with （六） printed as one row, as in the 2019 layout.
fn one_row_other(r: &AnnualReport) -> String {
    let text = pipe_text(&layout(r, &Style::default()), PipeOpts::default());
    let mut out = String::new();
    let mut replaced = false;
    for line in text.lines() {
        let sub = ["逾期不补正", "收费通知", "| 3.其他 |"].iter().any(|k| line.contains(k));
        if sub && !replaced {
            let total = |c: ApplicantColumn| {
                [T3Row::NoCorrection, T3Row::FeeUnpaid, T3Row::OtherHandling]
                    .iter()
                    .map(|&row| r.t3.get(row, c).unwrap())
                    .sum::<u32>()
            };
            let cells: Vec<String> = ApplicantColumn::ALL.iter().map(|&c| total(c).to_string()).collect();
            out.push_str(&format!("| （六）其他处理 | {} |\n", cells.join(" | ")));
            replaced = true;
        } else if !sub {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(replaced);
    out
}

#[test]
fn a_one_row_other_handling_is_read_as_its_total_and_checked() {
    let want = rich_report();
    let text = one_row_other(&want);
    let a = audit_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
    let row = a.other_handling.expect("the one row is read");
    assert_eq!(
        row[0],
        Some(
            [T3Row::NoCorrection, T3Row::FeeUnpaid, T3Row::OtherHandling]
                .iter()
                .map(|&r| want.t3.get(r, ApplicantColumn::NaturalPerson).unwrap())
                .sum()
        )
    );
    for r in [T3Row::NoCorrection, T3Row::FeeUnpaid, T3Row::OtherHandling] {
        assert_eq!(a.report.t3.get(r, ApplicantColumn::Total), None, "not guessed");
    }
    let layout_warning = a.findings.iter().find(|f| f.rule == Rule::Format).expect("a layout warning");
    assert!(!layout_warning.is_error());
    assert!(layout_warning.message.contains("2019年试行格式"), "{}", layout_warning.message);
    assert_eq!(layout_warning.location, "t3/（六）");
    assert_eq!(a.findings.len(), 1, "R1–R4 add up with the row, nothing else: {:#?}", a.findings);
    assert_eq!(a.verdict(), Verdict::Read);
    let json = a.to_json();
    assert_eq!(json["tables"]["t3"]["（六）"]["自然人"], row[0].unwrap());
    assert!(json["tables"]["t3"]["（六）1"]["自然人"].is_null());

    // one more 自然人 in the row: its own total (R2) and （七）总计 (R3) no longer add up
    let broken = text.replacen(
        &format!("| （六）其他处理 | {} |", row[0].unwrap()),
        &format!("| （六）其他处理 | {} |", row[0].unwrap() + 1),
        1,
    );
    let a = audit_bytes(broken.as_bytes(), Some(SourceKind::Text)).unwrap();
    let errors: Vec<(Rule, &str)> =
        a.findings.iter().filter(|f| f.is_error()).map(|f| (f.rule, f.location.as_str())).collect();
    assert_eq!(errors, [(Rule::R2, "t3/（六）/总计"), (Rule::R3, "t3/（七）/自然人")], "{:#?}", a.findings);
    assert_eq!(a.verdict(), Verdict::Errors);
}
