//! The summary of a batch (`gongkai audit DIR… --summary FILE.xlsx|.html`): one row per report with agency,
//! year, format, verdict, error and unread counts, and the findings.

use std::fmt::Write as _;
use std::path::Path;

use gongkai_domain::annual_report::Severity;

use super::{AuditError, Audited, Verdict};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One line per finding: `[R1] 错误 t3/自然人：…`.
pub fn finding_lines(a: &Audited) -> Vec<String> {
    a.findings
        .iter()
        .map(|f| {
            let level = if f.severity == Severity::Error { "错误" } else { "提示" };
            format!("[{}] {level} {}：{}", f.rule.id(), f.location, f.message)
        })
        .collect()
}

/// A standalone HTML page (UTF-8, no scripts): the verdict counts, then a table of the reports.
pub fn summary_html(results: &[(String, Result<Audited, AuditError>)]) -> String {
    let count = |v: Verdict| results.iter().filter(|(_, r)| Verdict::of(r) == v).count();
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>年度报告审核汇总</title>\
         <style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}\
         th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}\
         th{background:#eee}.errors{color:#b00}.unreadable{color:#a60}ul{margin:0;padding-left:1.2em}</style>\
         </head><body>\n<h1>年度报告审核汇总</h1>\n",
    );
    let _ = writeln!(
        s,
        "<p>共{}份：已读取且未发现错误{}份，有错误{}份，未能读取完整表格或无法读取{}份。</p>",
        results.len(),
        count(Verdict::Read),
        count(Verdict::Errors),
        count(Verdict::Unreadable)
    );
    s.push_str(
        "<table>\n<thead><tr><th>文件</th><th>机关</th><th>年度</th><th>格式</th><th>结论</th><th>错误</th>\
         <th>未读</th><th>问题</th></tr></thead>\n<tbody>\n",
    );
    for (name, result) in results {
        let verdict = Verdict::of(result);
        let _ = write!(s, "<tr class=\"{}\"><td>{}</td>", verdict.as_str(), escape(name));
        match result {
            Ok(a) => {
                let r = &a.report;
                let errors = a.findings.iter().filter(|f| f.is_error()).count();
                let items: String =
                    finding_lines(a).iter().map(|l| format!("<li>{}</li>", escape(l))).collect::<Vec<_>>().concat();
                let _ = write!(
                    s,
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{errors}</td><td>{}</td><td><ul>{items}</ul></td>",
                    escape(r.agency.as_deref().unwrap_or("（未读出）")),
                    r.year.map_or("（未读出）".to_string(), |y| y.to_string()),
                    r.format.as_str(),
                    verdict.text(),
                    a.unread_count(),
                );
            }
            Err(e) => {
                let _ = write!(
                    s,
                    "<td></td><td></td><td></td><td>无法读取</td><td></td><td></td><td>{}</td>",
                    escape(&e.to_string())
                );
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n</body></html>\n");
    s
}

/// Writes the summary as `.xlsx` or `.html`/`.htm`, chosen by the file's extension.
pub fn write_summary(path: &Path, results: &[(String, Result<Audited, AuditError>)]) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let bytes = match ext.as_str() {
        "xlsx" => crate::xlsx::findings_workbook(results).map_err(|e| format!("无法生成 Excel 汇总：{e}"))?,
        "html" | "htm" => summary_html(results).into_bytes(),
        _ => return Err(format!("汇总文件应以 .xlsx 或 .html 结尾：{}", path.display())),
    };
    std::fs::write(path, bytes).map_err(|e| format!("无法写入汇总文件 {}：{e}", path.display()))
}
