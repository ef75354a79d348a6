//! `gongkai audit DIR… --summary`: a batch of published reports (must-show 2 and 3 at the command line).

use std::path::Path;
use std::process::Command;

use crate::cli::{gongkai, temp_dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../gongkai-report/tests/fixtures");

fn code(dir: &Path, args: &[&str]) -> Option<i32> {
    gongkai(dir, None, args).status.code()
}

#[test]
fn exit_codes_zero_one_two_on_fixtures_of_each_kind() {
    let dir = temp_dir();
    let f = |name: &str| format!("{FIXTURES}/verdicts/{name}");
    assert_eq!(code(&dir, &["audit", &f("0-read.txt")]), Some(0));
    assert_eq!(code(&dir, &["audit", &f("1-errors.txt")]), Some(1));
    let out = gongkai(&dir, None, &["audit", "--json", &f("2-tables-unread.txt")]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "unreadable");
    assert_eq!(v["exit_code"], 2);
    // errors come first: with an unreadable report in the run, errors still make it 1
    assert_eq!(code(&dir, &["audit", &f("1-errors.txt"), &f("2-tables-unread.txt")]), Some(1));
    assert_eq!(code(&dir, &["audit", &f("0-read.txt"), &f("2-tables-unread.txt")]), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

/// 22 reports of 11 agencies in two folders (the fixture under other names and years), one with errors.
fn batch(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(format!("{FIXTURES}/yima-2023-annual-report.txt")).unwrap();
    let root = dir.join("reports");
    for i in 0..11 {
        let sub = root.join(if i % 2 == 0 { "east" } else { "west/county" });
        std::fs::create_dir_all(&sub).unwrap();
        for year in [2022, 2023] {
            let mut t =
                text.replace("义马市人民政府办公室", &format!("某市第{i}局")).replace("2023年", &format!("{year}年"));
            if i == 4 && year == 2023 {
                let at = t.find("一、本年新收政府信息公开申请数量").unwrap();
                let cell = at + t[at..].find("\t1\n").unwrap();
                t = format!("{}\t2\n{}", &t[..cell], &t[cell + 3..]);
            }
            std::fs::write(sub.join(format!("{i}-{year}.txt")), t).unwrap();
        }
    }
    root
}

#[test]
fn a_batch_writes_both_summaries_and_draws_no_progress_when_piped() {
    let dir = temp_dir();
    let root = batch(&dir);
    let (xlsx, html) = (dir.join("sum.xlsx"), dir.join("sum.html"));
    let out = gongkai(&dir, None, &["audit", root.to_str().unwrap(), "--summary", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // piped: not a byte of progress on standard error
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("共22份，无法读取0份，有错误1份，无错误21份"), "{stdout}");
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX package");

    let out = gongkai(&dir, None, &["audit", root.to_str().unwrap(), "--summary", html.to_str().unwrap(), "--json"]);
    assert!(out.stderr.is_empty());
    let docs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(docs.as_array().unwrap().len(), 22);
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<tr class=").count(), 22);
    assert!(page.contains("某市第10局") && page.contains("有错误"), "{page}");

    // a summary that is neither .xlsx nor .html is refused before any work
    let out = gongkai(&dir, None, &["audit", root.to_str().unwrap(), "--summary", "x.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".xlsx"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_batch_on_a_terminal_draws_a_progress_bar() {
    // `script` runs the command on a pseudo-terminal (util-linux); without it this cannot be shown here
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script(1) not available: progress bar on a terminal not tested");
        return;
    }
    let dir = temp_dir();
    let root = batch(&dir);
    let cmd = format!(
        "{} --data-dir {} audit {} --summary {} >/dev/null",
        env!("CARGO_BIN_EXE_gongkai"),
        dir.display(),
        root.display(),
        dir.join("s.html").display()
    );
    let out = Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("审核") && shown.contains("/22"), "no progress bar on the terminal: {shown:?}");
    let _ = std::fs::remove_dir_all(dir);
}
