//! The auditor: parse + check, for one file or a folder, with summaries by rule. The CLI (`gongkai audit`)
//! is a thin shell over this module.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gongkai_domain::annual_report::text::normalize_label;
use gongkai_domain::annual_report::{
    AnnualReport, Finding, JsonError, Rule, Severity, check, check_cross_year, from_json, to_json,
};
use serde_json::Value;

use crate::{MAX_INPUT, ParseError, SourceKind, parse};

/// A report with all its findings: the parser's (`unread`, `format`, R5 for non-numbers) and the checks'.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    pub report: AnnualReport,
    pub findings: Vec<Finding>,
    /// `None` for a `gongkai.annual-report/v1` JSON submission.
    pub kind: Option<SourceKind>,
}

impl Audited {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The `gongkai.annual-report/v1` document.
    pub fn to_json(&self) -> Value {
        to_json(&self.report, &self.findings)
    }
}

/// Why a file could not be audited at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("无法读取文件：{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("JSON 格式错误：{0}")]
    Json(String),
    #[error("{0}")]
    Schema(#[from] JsonError),
}

/// Adds the checks to a parsed report. A blank-cell R5 from the checks is dropped where the parser already
/// said why the cell is empty (unreadable, a dash, a missing row).
pub fn merge(report: AnnualReport, parser_findings: Vec<Finding>, kind: Option<SourceKind>) -> Audited {
    let covered = |f: &Finding| {
        f.rule == Rule::R5
            && parser_findings
                .iter()
                .any(|p| f.location == p.location || f.location.starts_with(&format!("{}/", p.location)))
    };
    let checked: Vec<Finding> = check(&report).into_iter().filter(|f| !covered(f)).collect();
    let mut findings = parser_findings;
    findings.extend(checked);
    Audited { report, findings, kind }
}

/// Parses and checks one document held in memory.
pub fn audit_bytes(bytes: &[u8], kind: Option<SourceKind>) -> Result<Audited, ParseError> {
    let parsed = parse(bytes, kind)?;
    Ok(merge(parsed.report, parsed.findings, Some(parsed.kind)))
}

/// File extensions audited in a folder.
pub const REPORT_EXTENSIONS: &[&str] = &["html", "htm", "shtml", "xhtml", "txt", "pdf", "docx", "json"];

fn kind_for(path: &Path) -> Option<SourceKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "shtml" | "xhtml" => Some(SourceKind::Html),
        "txt" => Some(SourceKind::Text),
        "pdf" => Some(SourceKind::Pdf),
        "docx" => Some(SourceKind::Docx),
        _ => None,
    }
}

/// Audits one file: a published report (kind from the extension, else sniffed), or a
/// `gongkai.annual-report/v1` JSON submission (`.json`; its own findings are replaced by a fresh check).
pub fn audit_file(path: &Path) -> Result<Audited, AuditError> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_INPUT as u64 {
        return Err(ParseError::TooLarge { size: usize::try_from(len).unwrap_or(usize::MAX) }.into());
    }
    let bytes = std::fs::read(path)?;
    audit_named(&path.to_string_lossy(), &bytes)
}

/// Audits a document held in memory under a file name (an upload): the name's extension chooses the kind the
/// same way as for [`audit_file`].
pub fn audit_named(name: &str, bytes: &[u8]) -> Result<Audited, AuditError> {
    let path = Path::new(name);
    let is_json = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| AuditError::Json(e.to_string()))?;
        let (report, _declared) = from_json(&value)?;
        return Ok(merge(report, Vec::new(), None));
    }
    Ok(audit_bytes(bytes, kind_for(path))?)
}

/// The report files of a folder (not recursive), sorted by name.
pub fn report_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if known && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// R6 across the audited reports: for every agency with reports of consecutive years, the later report gets
/// the findings of [`check_cross_year`].
pub fn add_cross_year(results: &mut [Result<Audited, AuditError>]) {
    let mut by_key: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Ok(a) = r
            && let (Some(agency), Some(year)) = (&a.report.agency, a.report.year)
        {
            by_key.entry((normalize_label(agency), year)).or_insert(i);
        }
    }
    let mut extra: Vec<(usize, Vec<Finding>)> = Vec::new();
    for ((agency, year), &cur) in &by_key {
        // The year of a JSON submission is any i32.
        if let Some(before) = year.checked_sub(1)
            && let Some(&prev) = by_key.get(&(agency.clone(), before))
            && let (Ok(p), Ok(c)) = (&results[prev], &results[cur])
        {
            extra.push((cur, check_cross_year(&p.report, &c.report)));
        }
    }
    for (i, findings) in extra {
        if let Ok(a) = &mut results[i] {
            a.findings.extend(findings);
        }
    }
}

/// Errors and warnings per rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleCount {
    pub errors: usize,
    pub warnings: usize,
}

pub fn summarize<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> BTreeMap<Rule, RuleCount> {
    let mut out: BTreeMap<Rule, RuleCount> = BTreeMap::new();
    for f in findings {
        let c = out.entry(f.rule).or_default();
        match f.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
        }
    }
    out
}

/// Process exit status: 2 when a file could not be read at all, 1 when any error finding, else 0.
pub fn exit_code(results: &[Result<Audited, AuditError>]) -> u8 {
    if results.iter().any(Result::is_err) {
        2
    } else if results.iter().flatten().any(Audited::has_errors) {
        1
    } else {
        0
    }
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "提示",
    }
}

/// A readable Chinese summary of one file: agency, year, format, findings grouped by rule.
pub fn render_text(path: &Path, result: &Result<Audited, AuditError>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "== {}", path.display());
    let a = match result {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(s, "无法审核：{e}");
            return s;
        }
    };
    let r = &a.report;
    let _ = writeln!(s, "机关：{}", r.agency.as_deref().unwrap_or("（未读出）"));
    let _ = writeln!(s, "年度：{}", r.year.map_or("（未读出）".to_string(), |y| y.to_string()));
    let _ = writeln!(
        s,
        "格式：{}{}",
        r.format.as_str(),
        a.kind.map(|k| format!("（来源：{}）", k.name())).unwrap_or_default()
    );
    if a.findings.is_empty() {
        let _ = writeln!(s, "未发现问题。");
        return s;
    }
    let counts = summarize(&a.findings);
    for (rule, count) in &counts {
        let _ = writeln!(s, "[{}] {}：{}个错误，{}个提示", rule.id(), rule.description(), count.errors, count.warnings);
        for f in a.findings.iter().filter(|f| f.rule == *rule) {
            let _ = writeln!(s, "  - {}｜{}｜{}", severity_zh(f.severity), f.location, f.message);
        }
    }
    s
}

/// The closing summary for several files: files, unreadable files, and findings by rule.
pub fn render_summary(results: &[Result<Audited, AuditError>]) -> String {
    let ok: Vec<&Audited> = results.iter().flatten().collect();
    let with_errors = ok.iter().filter(|a| a.has_errors()).count();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "== 汇总：共{}份，无法读取{}份，有错误{}份，无错误{}份",
        results.len(),
        results.len() - ok.len(),
        with_errors,
        ok.len() - with_errors
    );
    for (rule, count) in summarize(ok.iter().flat_map(|a| &a.findings)) {
        let _ = writeln!(s, "[{}] {}：{}个错误，{}个提示", rule.id(), rule.description(), count.errors, count.warnings);
    }
    s
}

/// The JSON output: one document per file (`file` added; a file that could not be read has `error`).
pub fn json_document(path: &Path, result: &Result<Audited, AuditError>) -> Value {
    let mut v = match result {
        Ok(a) => a.to_json(),
        Err(e) => {
            serde_json::json!({ "schema": gongkai_domain::annual_report::SCHEMA, "error": e.to_string() })
        }
    };
    if let Value::Object(m) = &mut v {
        m.insert("file".into(), path.display().to_string().into());
    }
    v
}
