//! 年度报告 in the console: the list per agency by year with check status, the report page (tables, findings,
//! figures form and CSV import, narrative editor, workflow, downloads) and the roll-up of a 主管部门.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, file_response, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_app::AppError;
use gongkai_app::letters::LetterFile;
use gongkai_app::model::ReportStatus;
use gongkai_app::reports::{ExportFormat, FIGURES, PLACEHOLDERS, REPORT_YEARS, ReportView, html_article};
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn router() -> Router<WebState> {
    const REPORT: &str = "/console/{agency}/reports/{year}";
    Router::new()
        .route("/console/{agency}/reports", get(list))
        .route(REPORT, get(show))
        .route(&format!("{REPORT}/figures"), post(save_figures))
        .route(&format!("{REPORT}/figures-csv"), post(import_figures))
        .route(&format!("{REPORT}/sections"), post(save_sections))
        .route(&format!("{REPORT}/workflow"), post(workflow))
        .route(&format!("{REPORT}/download/{{format}}"), get(download))
        .route(&format!("{REPORT}/rollup"), get(rollup))
        .route(&format!("{REPORT}/rollup/xlsx"), get(rollup_xlsx))
}

/// The notices of the report page after a redirect (`?notice=…&n=…`).
const NOTICES: &[(&str, &str)] = &[
    ("figures", "已保存填报数据 {n} 项。"),
    ("csv", "已从CSV导入填报数据 {n} 项。"),
    ("sections", "正文已保存。"),
    ("submit", "年度报告已报送主管部门。"),
    ("return", "年度报告已退回修改。"),
    ("approve", "年度报告已审核通过。"),
    ("publish", "年度报告已在“公开年报”栏目发布。"),
];

fn parse_year(raw: &str) -> Result<i32, WebError> {
    raw.parse::<i32>().ok().filter(|y| REPORT_YEARS.contains(y)).ok_or(WebError::App(AppError::NotFound("年度报告")))
}

// ---- list ----

struct ListRow {
    year: i32,
    status: &'static str,
    errors: usize,
    warnings: usize,
    deadline: String,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/reports.html")]
struct ListPage {
    layout: Layout,
    code: String,
    name: String,
    rows: Vec<ListRow>,
    warnings: Vec<String>,
    rollup_years: Vec<i32>,
}

async fn list(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let summaries = s.app.report_list(p, a).await?;
    let rows = summaries
        .iter()
        .map(|r| ListRow {
            year: r.year,
            status: r.status.label_zh(),
            errors: r.errors,
            warnings: r.warnings,
            deadline: format_date_zh(r.deadline),
            overdue: r.status != ReportStatus::Published && s.app.today() > r.deadline,
        })
        .collect();
    let last_year = s.app.today().year() - 1;
    let warnings =
        s.app.report_warnings(p).await?.into_iter().filter(|w| is_warning_of(w, &a.name, last_year)).collect();
    let page = ListPage {
        layout: cp.layout(format!("{}：年度报告", a.name)),
        code: a.code.to_string(),
        name: a.name.clone(),
        rows,
        warnings,
        // The roll-up is for a 主管部门's supervisors, for the years its subordinate units have reports.
        rollup_years: s.app.rollup_years(p, a).await?,
    };
    Ok(no_store(page))
}

/// Whether a console warning of [`gongkai_app::App::report_warnings`] is about this agency's report, not about a
/// unit whose name starts with this one's (义马市人民政府 and 义马市人民政府办公室).
fn is_warning_of(warning: &str, agency_name: &str, year: i32) -> bool {
    warning.strip_prefix(agency_name).is_some_and(|rest| rest.starts_with(&format!("{year}年政府信息公开")))
}

// ---- report page ----

struct FigureRow {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    value: String,
    entered: String,
}

struct FindingRow {
    rule: &'static str,
    severity: &'static str,
    location: String,
    message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/report.html")]
struct ReportPage {
    layout: Layout,
    code: String,
    year: i32,
    status: &'static str,
    comments: String,
    deadline: String,
    article: String,
    findings: Vec<FindingRow>,
    errors: usize,
    figures: Vec<FigureRow>,
    one: String,
    five: String,
    six: String,
    placeholders: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    can_review: bool,
    can_publish: bool,
    published_path: Option<String>,
    formats: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    figures_error: Option<String>,
    sections_error: Option<String>,
    workflow_error: Option<String>,
    history: Vec<(String, String)>,
    review_comments: String,
    /// Why the figures and the narrative cannot be changed now, when they cannot.
    locked: Option<&'static str>,
    /// The deadline has passed and the report is not published.
    overdue: bool,
}

/// Why the figures and the narrative are read-only on the report page.
fn locked_reason(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted => "报告已报送主管部门，审核期间填报数据和正文不能修改；如需修改，请主管部门退回。",
        ReportStatus::Approved => "报告已经主管部门审核通过，填报数据和正文不能再修改，请由本机关管理员发布。",
        ReportStatus::Published => "报告已发布，填报数据和正文已冻结；门户页面和下载文件均为发布时的版本。",
        ReportStatus::Draft | ReportStatus::Returned => {
            "您没有编辑本机关年度报告的权限（需编辑或管理员角色），仅可查看。"
        }
    }
}

/// What was typed, to show again with the error.
#[derive(Default)]
struct Typed {
    figures: Option<BTreeMap<String, String>>,
    sections: Option<(String, String, String)>,
    figures_error: Option<String>,
    sections_error: Option<String>,
    workflow_error: Option<String>,
    /// The 主管部门's comments as typed, when returning or approving was refused.
    review_comments: String,
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    year: i32,
    status: StatusCode,
    notice: Option<String>,
    typed: Typed,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let v: ReportView = s.app.report_view(p, a, year).await?;
    let figures = v
        .figures
        .iter()
        .map(|(d, f)| FigureRow {
            key: d.key,
            label: d.label,
            unit: d.unit,
            value: typed
                .figures
                .as_ref()
                .and_then(|t| t.get(d.key).cloned())
                .or_else(|| f.as_ref().map(|f| f.value.clone()))
                .unwrap_or_default(),
            entered: f
                .as_ref()
                .map(|f| format!("{} {}", f.entered_by_label, datetime_zh(f.entered_at)))
                .unwrap_or_else(|| "未填写".into()),
        })
        .collect();
    let (one, five, six) = typed.sections.unwrap_or_else(|| {
        (
            v.draft.one.clone().unwrap_or_default(),
            v.draft.five.clone().unwrap_or_default(),
            v.draft.six.clone().unwrap_or_default(),
        )
    });
    let findings: Vec<FindingRow> = v
        .findings
        .iter()
        .map(|f| FindingRow {
            rule: f.rule.id(),
            severity: if f.is_error() { "错误" } else { "提示" },
            location: f.location.clone(),
            message: f.message.clone(),
        })
        .collect();
    let errors = v.findings.iter().filter(|f| f.is_error()).count();
    let mut history = Vec::new();
    if let Some(r) = &v.record {
        for (label, t) in [("报送", r.submitted_at), ("审核", r.decided_at), ("发布", r.published_at)] {
            if let Some(t) = t {
                history.push((label.to_owned(), datetime_zh(t)));
            }
        }
    }
    let page = ReportPage {
        layout: cp.layout(format!("{}{year}年度报告", a.name)).crumb(cp.href("reports"), "年度报告"),
        code: a.code.to_string(),
        year,
        status: v.status.label_zh(),
        comments: v.record.as_ref().map(|r| r.comments.clone()).unwrap_or_default(),
        deadline: format_date_zh(v.deadline),
        article: html_article(&v.report),
        findings,
        errors,
        figures,
        one,
        five,
        six,
        placeholders: PLACEHOLDERS.to_vec(),
        can_edit: v.can_edit,
        can_review: v.can_review,
        can_publish: v.can_publish,
        published_path: v.published_path.clone(),
        formats: ExportFormat::ALL.iter().map(|f| (f.extension(), label(*f))).collect(),
        notice,
        figures_error: typed.figures_error,
        sections_error: typed.sections_error,
        workflow_error: typed.workflow_error,
        review_comments: typed.review_comments,
        history,
        locked: (!v.can_edit).then(|| locked_reason(v.status)),
        overdue: v.status != ReportStatus::Published && s.app.today() > v.deadline,
    };
    Ok(no_store((status, page)))
}

fn label(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::Html => "网页（HTML）",
        ExportFormat::Docx => "Word（DOCX）",
        ExportFormat::Xlsx => "Excel（XLSX）",
        ExportFormat::Pdf => "PDF",
        ExportFormat::Json => "数据（JSON）",
    }
}

async fn show(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let year = parse_year(&year)?;
    render(&s, &cp, year, StatusCode::OK, n.text(NOTICES, None), Typed::default()).await
}

/// Back to the report page, saying what was done (and how many, for figures).
fn back(cp: &ConsolePage, year: i32, notice: &str, n: Option<usize>) -> Response {
    let n = n.map(|n| format!("&n={n}")).unwrap_or_default();
    Redirect::to(&cp.href(&format!("reports/{year}?notice={notice}{n}"))).into_response()
}

/// A user-facing refusal becomes a message on the page (with the input kept); anything else is an error page.
fn user_message(e: AppError) -> Result<String, WebError> {
    match e {
        e @ (AppError::Invalid { .. } | AppError::InvalidFields(_) | AppError::Conflict(_)) => Ok(e.to_string()),
        e => Err(e.into()),
    }
}

async fn save_figures(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    let typed: BTreeMap<String, String> = FIGURES
        .iter()
        .map(|d| (d.key.to_owned(), form.get(&format!("f_{}", d.key)).cloned().unwrap_or_default()))
        .collect();
    let values: Vec<(String, String)> = typed.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    match s.app.set_report_figures(p, a, year, &values).await {
        Ok(n) => Ok(back(&cp, year, "figures", Some(n))),
        Err(e) => {
            let message = user_message(e)?;
            let typed = Typed { figures: Some(typed), figures_error: Some(message), ..Default::default() };
            render(&s, &cp, year, StatusCode::BAD_REQUEST, None, typed).await
        }
    }
}

async fn import_figures(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    let bytes = match read_file(multipart).await {
        Ok(b) => b,
        Err(message) => {
            let typed = Typed { figures_error: Some(message), ..Default::default() };
            return render(&s, &cp, year, StatusCode::BAD_REQUEST, None, typed).await;
        }
    };
    match s.app.import_report_figures(p.into(), a, year, &bytes).await {
        Ok(n) => Ok(back(&cp, year, "csv", Some(n))),
        Err(e) => {
            let message = format!("文件未导入：{}", user_message(e)?);
            let typed = Typed { figures_error: Some(message), ..Default::default() };
            render(&s, &cp, year, StatusCode::BAD_REQUEST, None, typed).await
        }
    }
}

const MAX_CSV: usize = 64 * 1024;

async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, String> {
    let broken = || "上传未完成或格式有误，请重新选择文件上传。".to_owned();
    let mut multipart = multipart.map_err(|_| broken())?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| broken())? {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_CSV {
                return Err("文件过大（不能超过64KB）。".into());
            }
        }
        if !bytes.is_empty() {
            return Ok(bytes);
        }
    }
    Err("请选择要导入的CSV文件。".into())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SectionsForm {
    one: String,
    five: String,
    six: String,
}

async fn save_sections(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
    Form(f): Form<SectionsForm>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    match s.app.save_report_sections(p, a, year, &f.one, &f.five, &f.six).await {
        Ok(()) => Ok(back(&cp, year, "sections", None)),
        Err(e) => {
            let message = user_message(e)?;
            let typed =
                Typed { sections: Some((f.one, f.five, f.six)), sections_error: Some(message), ..Default::default() };
            render(&s, &cp, year, StatusCode::BAD_REQUEST, None, typed).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WorkflowForm {
    action: String,
    comments: String,
}

async fn workflow(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
    Form(f): Form<WorkflowForm>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    let result = match f.action.as_str() {
        "submit" => s.app.submit_report(p, a, year).await.map(|_| "submit"),
        "return" => s.app.review_report(p, a, year, false, &f.comments).await.map(|_| "return"),
        "approve" => s.app.review_report(p, a, year, true, &f.comments).await.map(|_| "approve"),
        "publish" => s.app.publish_report(p, a, year).await.map(|_| "publish"),
        _ => Err(AppError::Invalid { field: None, message: "未知的操作".into() }),
    };
    match result {
        Ok(m) => Ok(back(&cp, year, m, None)),
        Err(e) => {
            let typed =
                Typed { workflow_error: Some(user_message(e)?), review_comments: f.comments, ..Default::default() };
            render(&s, &cp, year, StatusCode::BAD_REQUEST, None, typed).await
        }
    }
}

async fn download(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year, format)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&year)?;
    let format = ExportFormat::parse(&format).ok_or(WebError::App(AppError::NotFound("导出格式")))?;
    let (file_name, content_type, bytes) = s.app.export_report(&cp.agency, year, format).await?;
    Ok(file_response(LetterFile { file_name, content_type, bytes }))
}

// ---- roll-up ----

async fn rollup_xlsx(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    let (file_name, content_type, bytes) = s.app.export_rollup_xlsx(p, a, year).await?;
    Ok(file_response(LetterFile { file_name, content_type, bytes }))
}

struct RollupRow {
    code: String,
    name: String,
    status: &'static str,
    errors: usize,
    warnings: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/report_rollup.html")]
struct RollupPage {
    layout: Layout,
    code: String,
    year: i32,
    rows: Vec<RollupRow>,
    article: String,
}

async fn rollup(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let year = parse_year(&year)?;
    let r = s.app.report_rollup(p, a, year).await?;
    let rows = r
        .rows
        .iter()
        .map(|(a, status, errors, warnings)| RollupRow {
            code: a.code.to_string(),
            name: a.name.clone(),
            status: status.label_zh(),
            errors: *errors,
            warnings: *warnings,
        })
        .collect();
    let page = RollupPage {
        layout: cp.layout(format!("{}{year}年度所属单位报告汇总", a.name)).crumb(cp.href("reports"), "年度报告"),
        code: a.code.to_string(),
        year,
        rows,
        article: html_article(&r.sum),
    };
    Ok(no_store(page))
}

#[cfg(test)]
mod tests {
    use crate::console::reports::is_warning_of;

    #[test]
    fn a_warning_belongs_to_the_agency_named_not_to_a_longer_name() {
        let office =
            "义马市人民政府办公室2023年政府信息公开工作年度报告应于2024年1月31日前发布，还有16天（当前：草稿）。";
        assert!(is_warning_of(office, "义马市人民政府办公室", 2023));
        assert!(!is_warning_of(office, "义马市人民政府", 2023));
        assert!(!is_warning_of(office, "义马市人民政府办公室", 2022));
    }
}
