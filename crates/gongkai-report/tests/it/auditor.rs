//! The auditor over files and folders: summaries by rule, cross-year R6, exit codes, JSON output.

use std::path::PathBuf;

use gongkai_domain::annual_report::{ApplicantColumn, Rule, T3Row, from_json, to_json};
use gongkai_report::audit::{
    add_cross_year, audit_file, audit_named, exit_code, json_document, render_summary, render_text, report_files,
    summarize,
};

use crate::support::{FIXTURE, HtmlOpts, Style, fixture_report, html, layout, rich_report};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_folder_is_audited_in_order_with_cross_year_checks_and_a_summary() {
    let dir = temp_dir("folder");
    // the agency's 2022 report carried 2 applications of 自然人 into 2023, but 2023 says it received none
    let mut prev = fixture_report();
    prev.year = Some(2022);
    prev.t3.set(T3Row::CarriedOut, ApplicantColumn::NaturalPerson, Some(2));
    prev.t3.set(T3Row::CarriedOut, ApplicantColumn::Total, Some(2));
    prev.t3.set(T3Row::New, ApplicantColumn::NaturalPerson, Some(3));
    prev.t3.set(T3Row::New, ApplicantColumn::Total, Some(3));
    prev.sections.one = Some("2022年工作正常开展。".into());
    std::fs::write(dir.join("a-2022.html"), html(&layout(&prev, &Style::default()), HtmlOpts::default())).unwrap();
    std::fs::write(dir.join("b-2023.txt"), FIXTURE).unwrap();
    std::fs::write(dir.join("c-notes.md"), "not audited").unwrap();

    let files = report_files(&dir).unwrap();
    assert_eq!(
        files.iter().map(|f| f.file_name().unwrap().to_str().unwrap()).collect::<Vec<_>>(),
        ["a-2022.html", "b-2023.txt"]
    );
    let mut results: Vec<_> = files.iter().map(|f| audit_file(f)).collect();
    assert!(results.iter().all(|r| r.as_ref().is_ok_and(|a| a.findings.is_empty())));
    add_cross_year(&mut results);
    let cur = results[1].as_ref().unwrap();
    let r6: Vec<&str> = cur.findings.iter().filter(|f| f.rule == Rule::R6).map(|f| f.location.as_str()).collect();
    assert_eq!(r6, ["t3/二/自然人", "t3/二/总计"]);
    assert!(results[0].as_ref().unwrap().findings.is_empty());
    assert_eq!(exit_code(&results), 1);

    let counts = summarize(cur.findings.iter());
    assert_eq!(counts[&Rule::R6].errors, 2);
    let text = render_text(&files[1], &results[1]);
    assert!(text.contains("机关：义马市人民政府办公室"), "{text}");
    assert!(text.contains("年度：2023"));
    assert!(text.contains("[R6]"));
    let summary = render_summary(&results);
    assert!(summary.contains("共2份，无法读取0份，有错误1份"), "{summary}");

    // an unreadable file makes the exit status 2 when no report has errors; errors (here R6) come first
    std::fs::write(dir.join("d-broken.pdf"), b"%PDF-1.4 broken").unwrap();
    results.push(audit_file(&dir.join("d-broken.pdf")));
    assert_eq!(exit_code(&results), 1);
    assert_eq!(exit_code(&results[2..]), 2);
    assert_eq!(exit_code(&[audit_file(&dir.join("a-2022.html")), audit_file(&dir.join("d-broken.pdf"))]), 2);
    assert!(render_text(&dir.join("d-broken.pdf"), &results[2]).contains("无法审核"));
    let doc = json_document(&dir.join("d-broken.pdf"), &results[2]);
    assert!(doc["error"].as_str().unwrap().contains("PDF"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clean_reports_exit_zero_and_json_submissions_are_checked_again() {
    let dir = temp_dir("json");
    let rich = rich_report();
    let mut doc = to_json(&rich, &[]);
    let (back, _) = from_json(&doc).unwrap();
    assert_eq!(back, rich, "to_json → from_json is lossless");
    std::fs::write(dir.join("ok.json"), doc.to_string()).unwrap();
    let ok = audit_file(&dir.join("ok.json"));
    assert!(ok.as_ref().unwrap().findings.is_empty());
    assert_eq!(exit_code(std::slice::from_ref(&ok)), 0);
    let json = json_document(&dir.join("ok.json"), &ok);
    assert_eq!(json["schema"], "gongkai.annual-report/v1");
    assert!(json["file"].as_str().unwrap().ends_with("ok.json"));

    // a submission whose 一 does not add up
    doc["tables"]["t3"]["一"]["自然人"] = 999.into();
    std::fs::write(dir.join("bad.json"), doc.to_string()).unwrap();
    let bad = audit_file(&dir.join("bad.json")).unwrap();
    let found: Vec<(Rule, &str)> = bad.findings.iter().map(|f| (f.rule, f.location.as_str())).collect();
    assert_eq!(found, [(Rule::R1, "t3/自然人"), (Rule::R2, "t3/一/总计")]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn findings_workbook_is_a_real_xlsx_with_the_findings() {
    use gongkai_report::audit::audit_named;
    use std::io::Read;
    let fixture =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/yima-2023-annual-report.txt")).unwrap();
    // The same report with 一、本年新收 (自然人) changed from 1 to 2.
    let text = String::from_utf8(fixture.clone()).unwrap();
    let at = text.find("一、本年新收政府信息公开申请数量").unwrap();
    let cell = at + text[at..].find("\t1\n").unwrap();
    let changed = format!("{}\t2\n{}", &text[..cell], &text[cell + 3..]);
    let results = vec![
        ("yima-2023.txt".to_owned(), audit_named("yima-2023.txt", &fixture)),
        ("changed.txt".to_owned(), audit_named("changed.txt", changed.as_bytes())),
        ("junk.pdf".to_owned(), audit_named("junk.pdf", b"%PDF-1.4 garbage")),
    ];
    let bytes = gongkai_report::xlsx::findings_workbook(&results).unwrap();
    // An OOXML package: the workbook part and both sheets, with the strings the supervisor needs.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert!(names.contains(&"xl/workbook.xml".to_owned()), "{names:?}");
    assert!(names.contains(&"xl/worksheets/sheet2.xml".to_owned()), "{names:?}");
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
    assert!(workbook.contains("汇总") && workbook.contains("问题清单"));
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    for expected in ["义马市人民政府办公室", "changed.txt", "R1", "R2", "有错误", "未发现错误", "无法读取"]
    {
        assert!(strings.contains(expected), "{expected} missing from the workbook");
    }
}

#[test]
fn cross_year_checks_take_any_year_of_a_json_submission() {
    // The extremes of i32 are neither compared with a year before nor after them (nor overflow).
    let results = [i32::MIN, i32::MIN + 1, i32::MAX].map(|year| {
        let mut r = fixture_report();
        r.year = Some(year);
        let bytes = serde_json::to_vec(&to_json(&r, &[])).unwrap();
        audit_named("r.json", &bytes)
    });
    let mut results = Vec::from(results);
    assert!(results.iter().all(|r| r.as_ref().is_ok_and(|a| a.findings.is_empty())));
    add_cross_year(&mut results);
    let r6 = |i: usize| results[i].as_ref().unwrap().findings.iter().filter(|f| f.rule == Rule::R6).count();
    assert_eq!([r6(0), r6(2)], [0, 0]);
}
