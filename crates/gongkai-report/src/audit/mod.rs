//! The auditor: parse + check, for one file or a folder, with summaries by rule. The CLI (`gongkai audit`)
//! is a thin shell over this module.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gongkai_domain::annual_report::text::normalize_label;
use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn, Finding, JsonError, Rule, Severity, T3Row, check, check_cross_year, from_json,
    to_json,
};
use serde_json::Value;

use crate::{MAX_INPUT, ParseError, Parsed, SourceKind, parse};

mod batch;
mod summary;

pub use batch::{audit_paths, collect_files};
pub use summary::{finding_lines as summary_lines, summary_html, write_summary};

/// The JSON key (under `tables.t3`) and finding location of （六）其他处理 printed as one row.
pub const OTHER_HANDLING_KEY: &str = "（六）";

/// The outcome of auditing one report, and the process exit status it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Every table was read (at least in part) and no error was found: exit status 0.
    Read,
    /// Errors were found: exit status 1.
    Errors,
    /// No error found, but a whole table (or the whole file) could not be read, so the report was not really
    /// checked: exit status 2.
    Unreadable,
}

impl Verdict {
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Read => 0,
            Self::Errors => 1,
            Self::Unreadable => 2,
        }
    }

    /// The id in JSON: `read`, `errors`, `unreadable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Errors => "errors",
            Self::Unreadable => "unreadable",
        }
    }

    /// For people.
    pub fn text(self) -> &'static str {
        match self {
            Self::Read => "已读取，未发现错误",
            Self::Errors => "有错误",
            Self::Unreadable => "未能读取完整表格，无法核对",
        }
    }

    /// The verdict of a file: one that could not be read at all is [`Verdict::Unreadable`].
    pub fn of(result: &Result<Audited, AuditError>) -> Verdict {
        result.as_ref().map_or(Verdict::Unreadable, Audited::verdict)
    }
}

/// A report with all its findings: the parser's (`unread`, `format`, R5 for non-numbers) and the checks'.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    pub report: AnnualReport,
    pub findings: Vec<Finding>,
    /// `None` for a `gongkai.annual-report/v1` JSON submission.
    pub kind: Option<SourceKind>,
    /// （六）其他处理 printed as one row: its cells, each the total of （六）1–3 (see [`Parsed::other_handling`]).
    pub other_handling: Option<[Option<u32>; 7]>,
}

impl Audited {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The `gongkai.annual-report/v1` document, with the verdict (`verdict`, `exit_code`) and a one-row
    /// （六）其他处理 under `tables.t3."（六）"` (extra fields the schema allows).
    pub fn to_json(&self) -> Value {
        let mut v = to_json(&self.report, &self.findings);
        if let Some(row) = &self.other_handling
            && let Some(t3) = v.pointer_mut("/tables/t3").and_then(Value::as_object_mut)
        {
            let cells: serde_json::Map<String, Value> =
                ApplicantColumn::ALL.iter().zip(row).map(|(c, v)| (c.key().to_string(), (*v).into())).collect();
            t3.insert(OTHER_HANDLING_KEY.into(), Value::Object(cells));
        }
        if let Value::Object(m) = &mut v {
            let verdict = self.verdict();
            m.insert("verdict".into(), verdict.as_str().into());
            m.insert("exit_code".into(), verdict.exit_code().into());
        }
        v
    }

    /// The tables (`二`, `三`, `四`) of which not a single cell could be read.
    pub fn unread_tables(&self) -> Vec<&'static str> {
        let r = &self.report;
        let mut out = Vec::new();
        let t2 = &r.t2;
        let t2_cells =
            (0..3).flat_map(|i| [t2.rules.get(i), t2.normative.get(i)]).chain([t2.licensing, t2.penalty, t2.coercion]);
        if t2_cells.flatten().next().is_none() && t2.fees.is_none() {
            out.push("二");
        }
        if r.t3.cells.iter().flatten().flatten().next().is_none()
            && self.other_handling.is_none_or(|row| row.iter().flatten().next().is_none())
        {
            out.push("三");
        }
        if r.t4.cells.iter().flatten().flatten().next().is_none() {
            out.push("四");
        }
        out
    }

    /// Errors first; else whether every table could be read at least in part. A report in the 2019 trial
    /// format has a `format` error.
    pub fn verdict(&self) -> Verdict {
        if self.has_errors() {
            Verdict::Errors
        } else if !self.unread_tables().is_empty() {
            Verdict::Unreadable
        } else {
            Verdict::Read
        }
    }

    /// Findings of the parser that say a cell or part could not be read.
    pub fn unread_count(&self) -> usize {
        self.findings.iter().filter(|f| f.rule == Rule::Unread).count()
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
    Audited { report, findings, kind, other_handling: None }
}

/// [`merge`] for a parsed report. With （六）其他处理 printed as one row, R1–R4 are checked with that row in
/// place of （六）1–3 (their findings then point at `t3/（六）`), and the blanks of （六）1–3 are not R5 findings
/// (the parser's `format` warning says why they are empty).
pub fn merge_parsed(parsed: Parsed) -> Audited {
    let Some(row) = parsed.other_handling else {
        return merge(parsed.report, parsed.findings, Some(parsed.kind));
    };
    let mut a = merge(parsed.report, parsed.findings, Some(parsed.kind));
    let sub = [T3Row::NoCorrection, T3Row::FeeUnpaid, T3Row::OtherHandling];
    let in_sub = |f: &Finding| sub.iter().any(|r| f.location.starts_with(&format!("t3/{}/", r.key())));
    let sums = [Rule::R1, Rule::R2, Rule::R3, Rule::R4];
    a.findings.retain(|f| !(sums.contains(&f.rule) || (f.rule == Rule::R5 && in_sub(f))));
    let mut with_row = a.report.clone();
    *with_row.t3.row_mut(T3Row::NoCorrection) = [Some(0); 7];
    *with_row.t3.row_mut(T3Row::FeeUnpaid) = [Some(0); 7];
    *with_row.t3.row_mut(T3Row::OtherHandling) = row;
    let label = T3Row::OtherHandling.full_label();
    let own = format!("t3/{}", T3Row::OtherHandling.key());
    a.findings.extend(check(&with_row).into_iter().filter(|f| sums.contains(&f.rule)).map(|mut f| {
        f.location = f.location.replacen(&own, &format!("t3/{OTHER_HANDLING_KEY}"), 1);
        f.message = f.message.replace(&label, "（六）其他处理（合计）");
        f
    }));
    a.other_handling = Some(row);
    a
}

/// Parses and checks one document held in memory.
pub fn audit_bytes(bytes: &[u8], kind: Option<SourceKind>) -> Result<Audited, ParseError> {
    Ok(merge_parsed(parse(bytes, kind)?))
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
        if batch::is_report_file(&path) {
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

/// Process exit status of a run: 1 when any report has errors; else 2 when any file or whole table could not
/// be read (so not everything was checked); else 0.
pub fn exit_code(results: &[Result<Audited, AuditError>]) -> u8 {
    let verdicts: Vec<Verdict> = results.iter().map(Verdict::of).collect();
    if verdicts.contains(&Verdict::Errors) {
        1
    } else if verdicts.contains(&Verdict::Unreadable) {
        2
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
    let verdict = a.verdict();
    let _ = write!(s, "结论：{}", verdict.text());
    if verdict == Verdict::Unreadable {
        let _ = write!(s, "（未能读取表{}）", a.unread_tables().join("、表"));
    }
    s.push('\n');
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
    let count = |v: Verdict| ok.iter().filter(|a| a.verdict() == v).count();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "== 汇总：共{}份，无法读取{}份，有错误{}份，无错误{}份，表格未能完整读取{}份",
        results.len(),
        results.len() - ok.len(),
        count(Verdict::Errors),
        count(Verdict::Read),
        count(Verdict::Unreadable)
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
            serde_json::json!({
                "schema": gongkai_domain::annual_report::SCHEMA,
                "error": e.to_string(),
                "verdict": Verdict::Unreadable.as_str(),
                "exit_code": Verdict::Unreadable.exit_code(),
            })
        }
    };
    if let Value::Object(m) = &mut v {
        m.insert("file".into(), path.display().to_string().into());
    }
    v
}
