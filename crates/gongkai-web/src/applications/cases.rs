//! The console's case list of an agency (filters, paging) and its XLSX export.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{no_store, opt_date_zh};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_app::applications::{CaseFilter, CaseView, DueFilter, HandlerChoice};
use gongkai_domain::agency::Role;
use gongkai_domain::application::{ApplicantType, Outcome, Stage};
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;

struct CaseRow {
    id: i64,
    tracking_code: String,
    applicant: String,
    applicant_type: &'static str,
    id_masked: String,
    submitted_on: String,
    stage: &'static str,
    deadline: String,
    status: String,
    overdue: bool,
    handler: String,
}

fn case_row(v: &CaseView) -> CaseRow {
    CaseRow {
        id: v.application.id,
        tracking_code: v.application.tracking_code.clone(),
        applicant: v.application.applicant_name.clone(),
        applicant_type: v.applicant_type().map(ApplicantType::column_zh).unwrap_or(""),
        id_masked: v.id_masked(),
        submitted_on: format_date_zh(v.application.submitted_on),
        stage: v.stage.label_zh(),
        deadline: opt_date_zh(&v.effective_deadline),
        status: v.status_zh.clone(),
        overdue: v.overdue,
        handler: v.application.handler_name.clone().unwrap_or_else(|| "未分配".into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/cases.html")]
struct CaseListPage {
    layout: Layout,
    code: String,
    rows: Vec<CaseRow>,
    total: usize,
    page: usize,
    pages: usize,
    q: ListQuery,
    stages: Vec<(&'static str, &'static str)>,
    applicant_types: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    handlers: Vec<(String, String)>,
    query_base: String,
    /// Agency administrators see the link to the letter templates.
    is_admin: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    outcome: String,
    /// `mine`, `unassigned` or a user id.
    #[serde(default)]
    handler: String,
    #[serde(default)]
    page: Option<usize>,
}

fn case_filter(q: &ListQuery) -> CaseFilter {
    CaseFilter {
        stage: Stage::parse(&q.stage),
        applicant_type: ApplicantType::parse(&q.applicant_type).ok(),
        year: q.year.trim().parse().ok(),
        outcome: Outcome::parse(&q.outcome).ok(),
        due: match q.due.as_str() {
            "soon" => Some(DueFilter::Soon),
            "overdue" => Some(DueFilter::Overdue),
            _ => None,
        },
        handler: match q.handler.as_str() {
            "mine" => HandlerChoice::Mine,
            "unassigned" => HandlerChoice::Unassigned,
            h => h.parse().map(HandlerChoice::User).unwrap_or_default(),
        },
        page: q.page.unwrap_or(1),
    }
}

/// The filtered list (every page) as XLSX, identity numbers masked.
pub async fn case_export(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let bytes = s.app.cases_xlsx(p, a, &case_filter(&q)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"applications-{code}.xlsx\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn case_list(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let result = s.app.cases(p, a, &case_filter(&q)).await?;
    let handlers = s.app.case_handlers(p, a).await?.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let query_base = format!(
        "stage={}&due={}&applicant_type={}&year={}&outcome={}&handler={}",
        enc(&q.stage),
        enc(&q.due),
        enc(&q.applicant_type),
        enc(&q.year),
        enc(&q.outcome),
        enc(&q.handler)
    );
    let layout = cp.layout(format!("{}：依申请公开", a.name));
    Ok(no_store(CaseListPage {
        layout,
        code: code.to_owned(),
        rows: result.cases.iter().map(case_row).collect(),
        total: result.total,
        page: result.page,
        pages: result.pages,
        q,
        stages: Stage::ALL.iter().map(|s| (s.as_str(), s.label_zh())).collect(),
        applicant_types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.column_zh())).collect(),
        outcomes: Outcome::ALL.iter().map(|o| (o.as_str(), o.t3_key())).collect(),
        handlers,
        query_base,
        is_admin: p.roles_in(a.id).contains(&Role::Admin),
    }))
}
