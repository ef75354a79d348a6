//! `gongkai audit FILE|FOLDER…`: audit published annual reports (政府信息公开工作年度报告).
//!
//! The work is done by `gongkai_report::audit`; this is only input expansion, progress and printing.

use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_report::audit;
use indicatif::{ProgressBar, ProgressStyle};

/// Audits each file (a folder: every report file in it, sorted). Prints a Chinese summary per file, or with
/// `json` one `gongkai.annual-report/v1` document (an array when there are several). Exit status: 0 no error
/// findings, 1 some error finding, 2 a file could not be read at all.
pub fn run(paths: &[PathBuf], json: bool) -> ExitCode {
    let mut files = Vec::new();
    let mut folders = false;
    for path in paths {
        if path.is_dir() {
            folders = true;
            match audit::report_files(path) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    eprintln!("无法读取文件夹 {}：{e}", path.display());
                    return ExitCode::from(2);
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        eprintln!("没有找到要审核的报告文件（支持 {}）", audit::REPORT_EXTENSIONS.join("、"));
        return ExitCode::from(2);
    }

    let bar = if folders {
        let bar = ProgressBar::new(files.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("审核 {bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut results = Vec::with_capacity(files.len());
    for file in &files {
        bar.set_message(file.display().to_string());
        results.push(audit::audit_file(file));
        bar.inc(1);
    }
    bar.finish_and_clear();
    audit::add_cross_year(&mut results);

    if json {
        let docs: Vec<serde_json::Value> =
            files.iter().zip(&results).map(|(f, r)| audit::json_document(f, r)).collect();
        let out = if docs.len() == 1 { docs[0].clone() } else { serde_json::Value::Array(docs) };
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        for (f, r) in files.iter().zip(&results) {
            if let Err(e) = r {
                eprintln!("{}：{e}", f.display());
            }
        }
    } else {
        for (f, r) in files.iter().zip(&results) {
            println!("{}", audit::render_text(f, r));
        }
        if folders || files.len() > 1 {
            println!("{}", audit::render_summary(&results));
        }
    }
    ExitCode::from(audit::exit_code(&results))
}
