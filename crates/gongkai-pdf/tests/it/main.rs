//! The PDF export: text extraction (pdftotext, Debian poppler-utils) shows the title, the section headings and
//! the table labels; a first-page PNG is written for a human to look at.

use std::path::PathBuf;
use std::process::Command;

use gongkai_domain::annual_report::{AnnualReport, T3Row};
use gongkai_report::render::layout::{HEADINGS, T3_CORNER};

const FIXTURE: &str = include_str!("../../../gongkai-report/tests/fixtures/yima-2023-annual-report.txt");

fn fixture() -> AnnualReport {
    gongkai_report::parse(FIXTURE.as_bytes(), None).unwrap().report
}

/// Under the target directory, overwritten by every run: the PDF and page images stay there for review.
fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gongkai-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Text in reading order (cells of a table row one after another, a wrapped cell's lines together).
fn pdftotext(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Whitespace removed: pdftotext breaks lines inside table cells.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_text_shows_title_headings_and_table_labels() {
    let r = fixture();
    let pdf = gongkai_pdf::render(&r).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = out_dir();
    let path = dir.join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdftotext(&path);
    let flat = squash(&text);
    assert!(flat.contains("义马市人民政府办公室2023年政府信息公开工作年度报告"), "{text}");
    let mut at = 0;
    for h in HEADINGS {
        let pos = flat[at..].find(h).unwrap_or_else(|| panic!("{h} in order\n{text}"));
        at += pos;
    }
    for label in [
        "第二十条第（一）项",
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
        "行政规范性文件",
        "申请人情况",
        "法人或其他组织",
        "社会公益组织",
        "法律服务机构",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "尚未审结",
    ] {
        assert!(flat.contains(label), "{label}\n{text}");
    }
    assert!(text.lines().any(|l| l.trim() == "行政复议"), "{text}");
    for row in [T3Row::New, T3Row::CarriedIn, T3Row::Disclosed, T3Row::Total, T3Row::CarriedOut] {
        assert!(flat.contains(row.label()), "{}\n{text}", row.label());
    }
    assert!(flat.contains(&squash(T3_CORNER)), "{text}");
    // the narrative is there
    assert!(flat.contains("12345热线办理工单3100件"), "{text}");

    // a first-page PNG for review (pdftoppm, also poppler-utils)
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "3"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    eprintln!("PDF and page images in {}", dir.display());
}

#[test]
fn text_that_looks_like_typst_code_is_printed_not_run() {
    let mut r = fixture();
    r.sections.five = Some("#let x = 1 [*粗体*] $x$ \\ \"引号\" #{panic()} // 注释".into());
    r.agency = Some("某局#".into());
    let pdf = gongkai_pdf::render(&r).unwrap();
    let path = out_dir().join("code.pdf");
    std::fs::write(&path, pdf).unwrap();
    let flat = squash(&pdftotext(&path));
    assert!(flat.contains("某局#2023年"), "{flat}");
    assert!(flat.contains(&squash("#let x = 1 [*粗体*] $x$ \\ \"引号\" #{panic()} // 注释")), "{flat}");
}

#[test]
fn the_typst_source_has_the_official_merges() {
    let src = gongkai_pdf::source(&fixture());
    assert!(
        src.contains(&format!(
            "table.cell(colspan: 3, rowspan: 3)[#text(font: \"Noto Sans CJK SC\", \"{T3_CORNER}\")]"
        ))
    );
    assert!(src.contains("table.cell(rowspan: 22)[#\"三、本年度办理结果\"]"));
    assert!(src.contains("table.cell(colspan: 10)[#text(font: \"Noto Sans CJK SC\", \"行政诉讼\")]"));
}

#[test]
fn the_auditor_reads_the_pdf_back() {
    let want = fixture();
    let pdf = gongkai_pdf::render(&want).unwrap();
    let parsed = gongkai_report::parse(&pdf, Some(gongkai_report::SourceKind::Pdf)).unwrap();
    assert_eq!(parsed.report.t2, want.t2);
    assert_eq!(parsed.report.t3, want.t3);
    assert_eq!(parsed.report.t4, want.t4);
    assert!(parsed.findings.is_empty(), "{:#?}", parsed.findings);
    assert_eq!(parsed.report.agency, want.agency);
    assert_eq!(parsed.report.year, want.year);
}

/// A letter: its title, 文号, paragraphs and date are extractable text; typed text cannot become markup.
#[test]
fn letter_pdf_text_has_number_paragraphs_and_date() {
    let l = gongkai_report::letters::Letter {
        title: "政府信息公开申请答复告知书".into(),
        doc_no: "义政办公开〔2026〕7号".into(),
        body: "张三：\n经审查，现答复如下：部分公开。\n#strong[不是标记] \"引号\"\n依法申请行政复议或者6个月内提起行政诉讼。"
            .into(),
        agency_name: "义马市人民政府办公室".into(),
        dated: "2026年4月28日".into(),
    };
    let pdf = gongkai_pdf::render_letter(&l).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = out_dir().join("letter.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let flat = squash(&pdftotext(&path));
    for s in [
        "政府信息公开申请答复告知书",
        "义政办公开〔2026〕7号",
        "张三：",
        "现答复如下：部分公开。",
        "#strong[不是标记]\"引号\"",
        "6个月内",
        "义马市人民政府办公室",
        "2026年4月28日",
    ] {
        assert!(flat.contains(s), "{s} in {flat}");
    }
}
