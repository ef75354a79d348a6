//! Console: the report auditor (年报审核) for supervisors. Upload published reports, see the findings per file,
//! or download them as an Excel workbook. Nothing is stored.

use crate::console_page::Staff;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_app::AppError;
use gongkai_app::auditor::{FileAudit, MAX_FILES};
use gongkai_domain::annual_report::Severity;

pub fn router() -> Router<WebState> {
    Router::new().route("/console/audit", get(form).post(submit))
}

struct FindingRow {
    rule: &'static str,
    rule_text: &'static str,
    error: bool,
    location: String,
    message: String,
    quote: String,
}

struct FileRow {
    name: String,
    /// Why the file could not be read at all.
    failure: Option<String>,
    agency: String,
    year: String,
    format: &'static str,
    /// 结论: read without errors / errors / a whole table unread (the CLI's exit status 0/1/2).
    verdict: &'static str,
    /// `read`, `errors`, `unreadable` (a CSS class).
    verdict_id: &'static str,
    errors: usize,
    warnings: usize,
    findings: Vec<FindingRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/auditor.html")]
struct AuditorPage {
    layout: Layout,
    max_files: usize,
    error: Option<String>,
    files: Vec<FileRow>,
}

fn page(staff: &Staff, error: Option<String>, files: Vec<FileRow>) -> Result<Response, WebError> {
    let layout = staff.layout("年报审核");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = AuditorPage { layout, max_files: MAX_FILES, error, files };
    Ok(no_store((status, page)))
}

async fn form(State(s): State<WebState>, staff: Staff) -> Result<Response, WebError> {
    s.app.require_auditor(&staff.p)?;
    page(&staff, None, Vec::new())
}

/// Keeps only the last path component of an uploaded file name, at most 120 characters.
fn clean_name(raw: Option<&str>, index: usize) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if base.is_empty() { format!("文件{}", index + 1) } else { base }
}

async fn submit(State(s): State<WebState>, staff: Staff, mut multipart: Multipart) -> Result<Response, WebError> {
    // Refused before the upload is read.
    s.app.require_auditor(&staff.p)?;
    let mut files = Vec::new();
    let mut want_xlsx = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let msg = "上传未完成或文件过大（单次合计不超过8MB），请重新选择文件后提交。".to_owned();
                return page(&staff, Some(msg), Vec::new());
            }
        };
        match field.name() {
            Some("files") => {
                let name = clean_name(field.file_name(), files.len());
                match field.bytes().await {
                    // A file input left empty still sends one nameless, empty part.
                    Ok(b) if b.is_empty() && name.starts_with("文件") => {}
                    Ok(b) => files.push((name, b.to_vec())),
                    Err(_) => {
                        let msg = format!("读取上传的文件“{name}”失败，请重新提交。");
                        return page(&staff, Some(msg), Vec::new());
                    }
                }
            }
            Some("action") => want_xlsx = field.text().await.is_ok_and(|t| t == "xlsx"),
            _ => {}
        }
    }
    let results = match s.app.audit_reports(&staff.p, files).await {
        Ok(r) => r,
        Err(AppError::Invalid { message, .. }) => return page(&staff, Some(message), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    if want_xlsx {
        let bytes = s.app.audit_workbook(&results)?;
        return Ok((
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    // RFC 6266 / 5987: an ASCII fallback name and the Chinese one.
                    "attachment; filename=\"audit-findings.xlsx\"; filename*=UTF-8''%E5%B9%B4%E6%8A%A5%E5%AE%A1%E6%A0%B8%E7%BB%93%E6%9E%9C.xlsx".to_owned(),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response());
    }
    page(&staff, None, rows(results))
}

fn rows(results: Vec<FileAudit>) -> Vec<FileRow> {
    results
        .into_iter()
        .map(|(name, r)| match r {
            Err(e) => FileRow {
                name,
                failure: Some(e.to_string()),
                agency: String::new(),
                year: String::new(),
                format: "",
                // as `Verdict::of` says of a file that cannot be read (gongkai-web does not depend on gongkai-report)
                verdict: "无法读取，未能核对",
                verdict_id: "unreadable",
                errors: 0,
                warnings: 0,
                findings: Vec::new(),
            },
            Ok(a) => {
                let errors = a.findings.iter().filter(|f| f.severity == Severity::Error).count();
                let verdict = a.verdict();
                FileRow {
                    verdict: verdict.text(),
                    verdict_id: verdict.as_str(),
                    name,
                    failure: None,
                    agency: a.report.agency.clone().unwrap_or_else(|| "（未识别）".into()),
                    year: a.report.year.map(|y| format!("{y}年")).unwrap_or_else(|| "（未识别）".into()),
                    format: match a.report.format.as_str() {
                        "2021" => "2021年格式",
                        "2019" => "2019年试行格式",
                        _ => "未知格式",
                    },
                    errors,
                    warnings: a.findings.len() - errors,
                    findings: a
                        .findings
                        .into_iter()
                        .map(|f| FindingRow {
                            rule: f.rule.id(),
                            rule_text: f.rule.description(),
                            error: f.severity == Severity::Error,
                            location: f.location,
                            message: f.message,
                            quote: f.quote.unwrap_or_default(),
                        })
                        .collect(),
                }
            }
        })
        .collect()
}
