//! The same report in the forms it is published in, generated in-test: every value must come back exactly,
//! and a changed number must trigger exactly the rules its arithmetic breaks.

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, Finding, Rule, T3Row, T4Column, T4Group};
use gongkai_report::audit::{Audited, audit_bytes};
use gongkai_report::{SourceKind, parse};

use crate::support::{FIXTURE, HtmlOpts, Style, chrome_text, firefox_text, fixture_report, html, layout, rich_report};

fn tables_eq(got: &AnnualReport, want: &AnnualReport, what: &str) {
    assert_eq!(got.t2, want.t2, "{what}: t2");
    for row in T3Row::ALL {
        assert_eq!(got.t3.row(row), want.t3.row(row), "{what}: t3/{}", row.key());
    }
    assert_eq!(got.t4, want.t4, "{what}: t4");
    assert_eq!(got.agency, want.agency, "{what}: agency");
    assert_eq!(got.year, want.year, "{what}: year");
    assert_eq!(got.format, want.format, "{what}: format");
}

fn rules(findings: &[Finding]) -> Vec<(Rule, String)> {
    let mut v: Vec<(Rule, String)> = findings.iter().map(|f| (f.rule, f.location.clone())).collect();
    v.sort();
    v
}

fn audit_html(r: &AnnualReport, style: &Style, opts: HtmlOpts) -> Audited {
    audit_bytes(html(&layout(r, style), opts).as_bytes(), None).expect("readable")
}

const ALL_HTML: [HtmlOpts; 4] = [
    HtmlOpts { word: false, chrome: false },
    HtmlOpts { word: true, chrome: false },
    HtmlOpts { word: false, chrome: true },
    HtmlOpts { word: true, chrome: true },
];

#[test]
fn html_with_rowspans_colspans_word_markup_and_page_chrome_reads_back_exactly() {
    for want in [fixture_report(), rich_report()] {
        for opts in ALL_HTML {
            let a = audit_html(&want, &Style::default(), opts);
            let what = format!("{:?} word={} chrome={}", want.agency, opts.word, opts.chrome);
            assert_eq!(a.kind, Some(SourceKind::Html));
            tables_eq(&a.report, &want, &what);
            assert_eq!(a.report.sections, want.sections, "{what}: sections (page chrome must stay out)");
            assert!(a.findings.is_empty(), "{what}: {:#?}", a.findings);
        }
    }
}

#[test]
fn browser_copied_text_reads_back_exactly() {
    let want = rich_report();
    for (name, text) in [
        ("chrome", chrome_text(&layout(&want, &Style::default()))),
        ("firefox", firefox_text(&layout(&want, &Style::default()))),
    ] {
        let a = audit_bytes(text.as_bytes(), None).unwrap();
        assert_eq!(a.kind, Some(SourceKind::Text));
        tables_eq(&a.report, &want, name);
        assert!(a.findings.is_empty(), "{name}: {:#?}", a.findings);
    }
}

#[test]
fn blank_cells_are_null_with_an_r5_warning_and_nothing_else() {
    let mut want = rich_report();
    want.t3.set(T3Row::ProhibitedByLaw, ApplicantColumn::Research, None);
    want.t4.set(T4Group::SuitAfterReview, T4Column::Pending, None);
    want.t2.penalty = None;
    want.t2.normative.repealed = None;
    let expected = vec![
        (Rule::R5, "t2/行政处罚".to_string()),
        (Rule::R5, "t2/行政规范性文件/本年废止件数".to_string()),
        (Rule::R5, "t3/（三）2/科研机构".to_string()),
        (Rule::R5, "t4/复议后起诉/尚未审结".to_string()),
    ];
    let parts = layout(&want, &Style::default());
    let forms = [
        ("html", html(&parts, HtmlOpts { word: true, chrome: true })),
        ("chrome", chrome_text(&parts)),
        ("firefox", firefox_text(&parts)),
    ];
    for (name, doc) in forms {
        let a = audit_bytes(doc.as_bytes(), None).unwrap();
        tables_eq(&a.report, &want, name);
        assert_eq!(rules(&a.findings), expected, "{name}: {:#?}", a.findings);
        assert!(a.findings.iter().all(|f| !f.is_error()), "blank cells are warnings");
    }
}

fn full_width(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xfee0).unwrap() } else { c }).collect()
}

#[test]
fn label_variants_stray_spaces_and_full_width_digits_read_back_exactly() {
    let want = rich_report();
    let styles = [
        // 规范性文件 for 行政规范性文件, half-width brackets, spaces inside labels
        Style {
            label: |s| {
                let s = s.replace("行政规范性文件", "规范性文件").replace('（', "(").replace('）', ")");
                s.chars().enumerate().map(|(i, c)| if i == 2 { format!(" {c}") } else { c.to_string() }).collect()
            },
            number: |n| format!(" {n} "),
        },
        // full-width digits in labels and numbers, ideographic spaces, 1． for 1.
        Style {
            label: |s| full_width(&s.replace('.', "．")).replace("不予", "不予\u{3000}"),
            number: |n| full_width(&n.to_string()),
        },
    ];
    for (i, style) in styles.iter().enumerate() {
        for opts in [HtmlOpts::default(), HtmlOpts { word: true, chrome: true }] {
            let a = audit_html(&want, style, opts);
            tables_eq(&a.report, &want, &format!("style {i}"));
            assert!(a.findings.is_empty(), "style {i}: {:#?}", a.findings);
        }
        let text = chrome_text(&layout(&want, style));
        let a = audit_bytes(text.as_bytes(), None).unwrap();
        tables_eq(&a.report, &want, &format!("text style {i}"));
        assert!(a.findings.is_empty(), "text style {i}: {:#?}", a.findings);
    }
}

#[test]
fn one_changed_number_in_table_three_triggers_exactly_what_the_arithmetic_breaks() {
    use ApplicantColumn::*;
    /// (row, column, new value, the findings it must give)
    type Case = (T3Row, ApplicantColumn, u32, &'static [(Rule, &'static str)]);
    let cases: [Case; 6] = [
        // row total and column （七） break; 一+二 = （七）+四 still holds for 自然人 (both sides unchanged)
        (T3Row::Disclosed, NaturalPerson, 2, &[(Rule::R2, "t3/（一）/总计"), (Rule::R3, "t3/（七）/自然人")]),
        (T3Row::EndangersSecurity, Business, 4, &[(Rule::R2, "t3/（三）3/总计"), (Rule::R3, "t3/（七）/商业企业")]),
        // a leaf's 总计 only: its row and the 总计 column of （七）
        (T3Row::Repeated, Total, 1, &[(Rule::R2, "t3/（五）2/总计"), (Rule::R3, "t3/（七）/总计")]),
        (T3Row::CarriedOut, Total, 2, &[(Rule::R1, "t3/总计"), (Rule::R2, "t3/四/总计")]),
        (T3Row::New, Research, 5, &[(Rule::R1, "t3/科研机构"), (Rule::R2, "t3/一/总计")]),
        // （七） itself: R1 and R3 for the column, R2 for its row
        (T3Row::Total, Other, 3, &[(Rule::R1, "t3/其他"), (Rule::R2, "t3/（七）/总计"), (Rule::R3, "t3/（七）/其他")]),
    ];
    for (row, col, value, expected) in cases {
        let mut r = fixture_report();
        r.t3.set(row, col, Some(value));
        let expected: Vec<(Rule, String)> = expected.iter().map(|(rule, loc)| (*rule, loc.to_string())).collect();
        for opts in [HtmlOpts::default(), HtmlOpts { word: true, chrome: true }] {
            let a = audit_html(&r, &Style::default(), opts);
            assert_eq!(a.report.t3.get(row, col), Some(value));
            assert_eq!(rules(&a.findings), expected, "{}/{}: {:#?}", row.key(), col.key(), a.findings);
        }
    }
}

#[test]
fn a_changed_number_the_narrative_quotes_also_fails_r7_with_the_phrase() {
    let mut r = fixture_report();
    r.t3.set(T3Row::New, ApplicantColumn::Total, Some(3));
    let a = audit_html(&r, &Style::default(), HtmlOpts::default());
    assert_eq!(
        rules(&a.findings),
        vec![
            (Rule::R1, "t3/总计".to_string()),
            (Rule::R2, "t3/一/总计".to_string()),
            (Rule::R7, "t3/一/总计".to_string()),
        ]
    );
    let r7 = a.findings.iter().find(|f| f.rule == Rule::R7).unwrap();
    assert_eq!(r7.quote.as_deref(), Some("收到并办理政府信息公开申请1件"));
    assert!(r7.message.contains("3"), "{}", r7.message);

    // text says 258 disclosed where the table gives 1 (the real-world case of annual-report.md, R7)
    let mut r = fixture_report();
    r.sections.one = Some(r.sections.one.unwrap().replace("并按要求及时公开", "其中予以公开258件"));
    let a = audit_html(&r, &Style::default(), HtmlOpts::default());
    assert_eq!(rules(&a.findings), vec![(Rule::R7, "t3/（一）/总计".to_string())]);
    assert_eq!(a.findings[0].quote.as_deref(), Some("予以公开258件"));
}

#[test]
fn fixture_text_edited_in_place() {
    // （一）予以公开 / 自然人 is the first value after its label (line 102 of the fixture)
    let lines: Vec<&str> = FIXTURE.split('\n').collect();
    let at = lines.iter().position(|l| l.trim() == "（一）予以公开").unwrap() + 1;
    assert_eq!(lines[at], "\t1");
    let mut changed = lines.clone();
    changed[at] = "\t2";
    let a = audit_bytes(changed.join("\n").as_bytes(), None).unwrap();
    assert_eq!(rules(&a.findings), vec![(Rule::R2, "t3/（一）/总计".into()), (Rule::R3, "t3/（七）/自然人".into())]);

    let mut blank = lines.clone();
    blank[at] = "\t";
    let a = audit_bytes(blank.join("\n").as_bytes(), None).unwrap();
    assert_eq!(a.report.t3.get(T3Row::Disclosed, ApplicantColumn::NaturalPerson), None);
    assert_eq!(rules(&a.findings), vec![(Rule::R5, "t3/（一）/自然人".into())]);

    let mut dash = lines.clone();
    dash[at] = "\t—";
    let a = audit_bytes(dash.join("\n").as_bytes(), None).unwrap();
    assert_eq!(rules(&a.findings), vec![(Rule::R5, "t3/（一）/自然人".into())]);
    assert!(a.findings[0].message.contains("—"));

    let mut garbage = lines;
    garbage[at] = "\t1O";
    let p = parse(garbage.join("\n").as_bytes(), None).unwrap();
    assert_eq!(p.report.t3.get(T3Row::Disclosed, ApplicantColumn::NaturalPerson), None);
    assert_eq!(rules(&p.findings), vec![(Rule::Unread, "t3/（一）/自然人".into())]);
}
