//! 整改 pages (docs/law/supervision.md §2.6.3, §2.8.11): the items the agency must rectify (it reports what it
//! did, with evidence) and the items of the 通报 it issued (it reviews them: 复核通过, or 未通过 back to 待整改
//! with a new due date). `?overdue=1` lists only the overdue items.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::model::Rectification;
use gongkai_app::supervision::bulletins::{ISSUERS, RECTIFIERS, is_overdue};
use gongkai_app::{AppError, Caller};
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::monitor::Indicator;
use gongkai_domain::monitor::rounds::RectStatus;
use serde::Deserialize;
use std::collections::BTreeMap;

const NOTICES: &[(&str, &str)] = &[
    ("reported", "整改情况已报送，等待复核。"),
    ("passed", "已复核通过。"),
    ("failed", "已复核未通过，事项退回待整改。"),
];

/// One item as the page shows it.
pub struct Item {
    id: i64,
    agency: String,
    bulletin: String,
    indicator: &'static str,
    message: String,
    due: String,
    state: String,
    overdue: bool,
    pending: bool,
    reported: bool,
    report: String,
    evidence: String,
    review_note: String,
}

fn item(r: Rectification, names: &BTreeMap<i64, String>, today: time::Date) -> Item {
    let status = RectStatus::parse(&r.status).unwrap_or(RectStatus::Pending);
    let state = match (status, r.rejections) {
        (RectStatus::Pending, n) if n > 0 => format!("待整改（复核未通过{n}次）"),
        (s, _) => s.label_zh().to_owned(),
    };
    Item {
        id: r.id,
        agency: names.get(&r.agency_id).cloned().unwrap_or_default(),
        bulletin: r.doc_no.clone().unwrap_or_else(|| r.bulletin_title.clone()),
        indicator: Indicator::parse(&r.indicator).map(|i| i.label_zh()).unwrap_or(""),
        overdue: is_overdue(&r, today),
        pending: status == RectStatus::Pending,
        reported: status == RectStatus::Reported,
        message: r.message,
        due: format_date_zh(r.due_on),
        state,
        report: r.report,
        evidence: r.evidence,
        review_note: r.review_note,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/monitor_rectifications.html")]
struct Page {
    layout: crate::layout::Layout,
    code: String,
    own: Vec<Item>,
    issued: Vec<Item>,
    may_report: bool,
    may_review: bool,
    only_overdue: bool,
    overdue_count: usize,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    overdue: String,
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    only_overdue: bool,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&cp.p);
    let names = s.app.agency_names().await?;
    let today = s.app.today();
    let own: Vec<Item> =
        s.app.rectifications_of(by, &cp.agency).await?.into_iter().map(|r| item(r, &names, today)).collect();
    let issued: Vec<Item> = if cp.may(&[
        gongkai_domain::agency::Role::Supervisor,
        gongkai_domain::agency::Role::Admin,
        gongkai_domain::agency::Role::Reviewer,
    ]) {
        s.app.rectifications_issued(by, &cp.agency).await?.into_iter().map(|r| item(r, &names, today)).collect()
    } else {
        Vec::new()
    };
    let overdue_count = own.iter().chain(issued.iter()).filter(|i| i.overdue).count();
    let keep = |v: Vec<Item>| if only_overdue { v.into_iter().filter(|i| i.overdue).collect() } else { v };
    let page = Page {
        layout: cp.layout("整改事项").crumb(cp.href("monitor"), "网站自查"),
        code: cp.code().to_owned(),
        own: keep(own),
        issued: keep(issued),
        may_report: cp.may(RECTIFIERS),
        may_review: cp.may(ISSUERS),
        only_overdue,
        overdue_count,
        notice,
        error,
    };
    let status = if page.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

pub async fn show(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(f): Query<Filter>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render(&s, &cp, f.overdue == "1", n.text(NOTICES, None), None).await
}

fn message(e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Invalid { message, .. } | AppError::Conflict(message) => Ok(message),
        e => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    report: String,
    evidence: String,
}

pub async fn report(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    match s.app.report_rectification(Caller::Staff(&cp.p), &cp.agency, id, &f.report, &f.evidence).await {
        Ok(()) => Ok(Redirect::to(&cp.href("monitor/rectifications?notice=reported")).into_response()),
        Err(e) => {
            let m = message(e)?;
            render(&s, &cp, false, None, Some(m)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewForm {
    /// `pass` or `fail`.
    decision: String,
    note: String,
    due_on: String,
}

pub async fn review(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    let passed = match f.decision.as_str() {
        "pass" => true,
        "fail" => false,
        _ => return render(&s, &cp, false, None, Some("请选择复核结论".into())).await,
    };
    match s.app.review_rectification(Caller::Staff(&cp.p), &cp.agency, id, passed, &f.note, &f.due_on).await {
        Ok(()) => {
            let n = if passed { "passed" } else { "failed" };
            Ok(Redirect::to(&cp.href(&format!("monitor/rectifications?notice={n}"))).into_response())
        }
        Err(e) => {
            let m = message(e)?;
            render(&s, &cp, false, None, Some(m)).await
        }
    }
}
