//! `gongkai audit FILE|FOLDER… [--json] [--summary FILE.xlsx|.html]`: audit published annual reports
//! (政府信息公开工作年度报告).
//!
//! The work is done by `gongkai_report::audit`; this is only input expansion, progress and printing.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai_report::audit;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Audits each file (a folder: every report file under it, sorted), in parallel. Prints a Chinese summary per
/// file, or with `json` one `gongkai.annual-report/v1` document (an array when there are several), each with
/// its verdict; `summary` also writes one row per report to an XLSX or HTML file. A progress bar is drawn on
/// standard error for folders, only when it is a terminal. Exit status: 1 when any report has errors; else 2
/// when any file or whole table could not be read; else 0.
pub fn run(paths: &[PathBuf], json: bool, summary: Option<&Path>) -> ExitCode {
    let (files, folders) = match audit::collect_files(paths) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("无法读取文件夹：{e}");
            return ExitCode::from(2);
        }
    };
    if files.is_empty() {
        eprintln!("没有找到要审核的报告文件（支持 {}）", audit::REPORT_EXTENSIONS.join("、"));
        return ExitCode::from(2);
    }
    if let Some(path) = summary {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if !matches!(ext.as_str(), "xlsx" | "html" | "htm") {
            eprintln!("汇总文件应以 .xlsx 或 .html 结尾：{}", path.display());
            return ExitCode::from(2);
        }
    }

    let bar = if (folders || files.len() > 1) && std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("审核 {bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let done = |file: &Path| {
        bar.set_message(file.display().to_string());
        bar.inc(1);
    };
    let results = audit::audit_paths(&files, threads, &done);
    bar.finish_and_clear();

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
    let code = audit::exit_code(&results);
    if let Some(path) = summary {
        let named: Vec<(String, _)> = files.iter().map(|f| f.display().to_string()).zip(results).collect();
        if let Err(e) = audit::write_summary(path, &named) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::from(code)
}
