//! Verdicts and exit codes 0/1/2 on fixtures of each kind (must-show 2), and batches with their summaries
//! (must-show 3, the library side; the CLI's progress bar is tested in the binary).

use std::path::{Path, PathBuf};

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, Rule, T3Row, T4Column, T4Group};
use gongkai_report::audit::{
    Verdict, audit_file, audit_paths, collect_files, exit_code, json_document, render_text, summary_html, write_summary,
};

use crate::support::{HtmlOpts, PipeOpts, Style, html, layout, pipe_text, rich_report};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verdicts").join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-verdicts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn each_kind_of_report_has_its_verdict_and_exit_code() {
    for (file, verdict, code) in [
        ("0-read.txt", Verdict::Read, 0),
        ("1-errors.txt", Verdict::Errors, 1),
        ("2-tables-unread.txt", Verdict::Unreadable, 2),
    ] {
        let result = audit_file(&fixture(file));
        let a = result.as_ref().unwrap();
        assert_eq!(a.verdict(), verdict, "{file}: {:#?}", a.findings);
        assert_eq!(exit_code(std::slice::from_ref(&result)), code, "{file}");
        let json = json_document(&fixture(file), &result);
        assert_eq!(json["verdict"], verdict.as_str(), "{file}");
        assert_eq!(json["exit_code"], code, "{file}");
        assert!(render_text(&fixture(file), &result).contains(&format!("结论：{}", verdict.text())));
    }
    let unread = audit_file(&fixture("2-tables-unread.txt")).unwrap();
    assert_eq!(unread.unread_tables(), ["二", "三", "四"]);
    assert!(render_text(&fixture("2-tables-unread.txt"), &Ok(unread)).contains("未能读取表二、表三、表四"));

    // one table missing is enough; a file that is not a report at all is 2 as well
    let text = std::fs::read_to_string(fixture("0-read.txt")).unwrap();
    let cut = text.find("四、政府信息公开行政复议、行政诉讼情况").unwrap();
    let end = text.find("五、存在的主要问题").unwrap();
    let dir = temp_dir("kinds");
    std::fs::write(dir.join("no-t4.txt"), format!("{}{}", &text[..cut], &text[end..])).unwrap();
    let no_t4 = audit_file(&dir.join("no-t4.txt"));
    assert_eq!(no_t4.as_ref().unwrap().unread_tables(), ["四"]);
    assert_eq!(exit_code(std::slice::from_ref(&no_t4)), 2);
    std::fs::write(dir.join("junk.pdf"), b"%PDF-1.4 junk").unwrap();
    let junk = audit_file(&dir.join("junk.pdf"));
    assert_eq!(Verdict::of(&junk), Verdict::Unreadable);
    assert_eq!(json_document(&dir.join("junk.pdf"), &junk)["verdict"], "unreadable");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rich report made to join up across years: every year receives what it handles (一 = （七）) and
/// carries the same count forward (二 = 四), so R6 holds from one year to the next.
fn yearly(agency: usize, year: i32) -> AnnualReport {
    let mut r = rich_report();
    r.agency = Some(format!("某县第{agency}局"));
    r.year = Some(year);
    *r.t3.row_mut(T3Row::New) = *r.t3.row(T3Row::Total);
    *r.t3.row_mut(T3Row::CarriedIn) = *r.t3.row(T3Row::CarriedOut);
    let new = r.t3.get(T3Row::New, ApplicantColumn::Total).unwrap();
    let disclosed = r.t3.get(T3Row::Disclosed, ApplicantColumn::Total).unwrap();
    let review = r.t4.get(T4Group::Review, T4Column::Total).unwrap();
    r.sections.one = Some(format!(
        "{year}年，某县第{agency}局认真贯彻落实《中华人民共和国政府信息公开条例》。\n（二）依申请公开：全年收到政府信息公开申请{new}件，其中予以公开{disclosed}件。因政府信息公开被申请行政复议{review}件。"
    ));
    r
}

/// A batch of 25 files in nested folders: six agencies × four years in three published forms (HTML, pipe
/// text, pipe text without header rows), one report with errors, one scanned report whose tables are unread.
fn batch_folder() -> PathBuf {
    let dir = temp_dir("batch");
    for agency in 0..6 {
        let sub = dir.join(format!("agency-{agency}"));
        std::fs::create_dir_all(&sub).unwrap();
        for (i, year) in (2021..2025).enumerate() {
            let mut r = yearly(agency, year);
            if agency == 1 && year == 2023 {
                r.t3.set(T3Row::New, ApplicantColumn::NaturalPerson, Some(999));
            }
            let parts = layout(&r, &Style::default());
            let name = sub.join(format!("{year}"));
            let (ext, body) = match (agency + i) % 3 {
                0 => ("html", html(&parts, HtmlOpts::default())),
                1 => ("txt", pipe_text(&parts, PipeOpts::default())),
                _ => ("txt", pipe_text(&parts, PipeOpts { headers: false, stray: true, ..PipeOpts::default() })),
            };
            std::fs::write(name.with_extension(ext), body).unwrap();
        }
    }
    std::fs::copy(fixture("2-tables-unread.txt"), dir.join("agency-5/scan.txt")).unwrap();
    std::fs::write(dir.join("agency-5/notes.md"), "not a report").unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::write(dir.join(".hidden/x.txt"), "skipped").unwrap();
    dir
}

#[test]
fn a_batch_of_reports_runs_in_parallel_and_writes_both_summaries() {
    let dir = batch_folder();
    let (files, folders) = collect_files(std::slice::from_ref(&dir)).unwrap();
    assert!(folders);
    assert_eq!(files.len(), 25, "{files:#?}");
    assert!(files.windows(2).all(|w| w[0] < w[1]), "sorted");
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let results = audit_paths(&files, 4, &|_| {
        seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(seen.into_inner(), 25);
    // in the order of the files, whatever order the threads finished in
    for (f, r) in files.iter().zip(&results) {
        let year = r.as_ref().unwrap().report.year.unwrap().to_string();
        let stem = f.file_stem().unwrap().to_str().unwrap();
        assert!(stem == year || stem == "scan", "{f:?} read as {year}");
    }
    let verdicts: Vec<Verdict> = results.iter().map(Verdict::of).collect();
    let count = |v: Verdict| verdicts.iter().filter(|x| **x == v).count();
    assert_eq!([count(Verdict::Read), count(Verdict::Errors), count(Verdict::Unreadable)], [23, 1, 1]);
    assert_eq!(exit_code(&results), 1);
    // cross-year R6 ran for each agency's consecutive years: only the 现行有效件数 drift warnings (规章 and
    // 行政规范性文件) of 2022–2024, since 上年结转 joins up
    for (f, r) in files.iter().zip(&results) {
        let r6: Vec<_> = r.as_ref().unwrap().findings.iter().filter(|x| x.rule == Rule::R6).collect();
        let later = ["2022", "2023", "2024"].iter().any(|y| f.file_stem().unwrap() == *y);
        assert_eq!(r6.len(), if later { 2 } else { 0 }, "{f:?}: {r6:#?}");
        assert!(r6.iter().all(|x| !x.is_error()));
    }

    let named: Vec<(String, _)> = files.iter().map(|f| f.display().to_string()).zip(results).collect();
    let html_path = dir.join("summary.html");
    write_summary(&html_path, &named).unwrap();
    let page = std::fs::read_to_string(&html_path).unwrap();
    assert_eq!(page.matches("<tr class=").count(), 25);
    assert!(page.contains("某县第3局") && page.contains("2024") && page.contains("有错误"));
    assert!(page.contains("未能读取完整表格，无法核对"));
    assert!(page.contains("共25份：已读取且未发现错误23份，有错误1份，未能读取完整表格或无法读取1份"), "{page}");
    assert_eq!(page, summary_html(&named));

    let xlsx_path = dir.join("summary.xlsx");
    write_summary(&xlsx_path, &named).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_path).unwrap()).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    for want in ["某县第0局", "某县第5局", "有错误", "未能读取完整表格", "未读", "[R1] 错误"] {
        assert!(strings.contains(want), "{want} missing from the workbook");
    }
    assert!(write_summary(&dir.join("summary.csv"), &named).unwrap_err().contains(".xlsx"));
    let _ = std::fs::remove_dir_all(&dir);
}
