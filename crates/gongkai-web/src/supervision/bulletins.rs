//! 通报 pages (docs/law/supervision.md §2.7, §2.8.8–§2.8.10): the agency's list with the form for a new draft,
//! and one 通报 with its text, steps (submit, return, approve and number, publish to a column), files and 整改
//! items. The app checks every permission; the page hides what the user may not do.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::page::{Notice, file_response, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::letters::LetterFormat;
use gongkai_app::supervision::bulletins::{ISSUERS, findings_of, is_overdue, status_of};
use gongkai_app::{AppError, Caller};
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::monitor::rounds::{BulletinStatus, RectStatus, Round};
use serde::Deserialize;

const NOTICES: &[(&str, &str)] = &[
    ("drafted", "通报草稿已生成，可修改后报送审核。"),
    ("saved", "通报草稿已保存。"),
    ("submit", "通报已报送审核。"),
    ("return", "通报已退回修改。"),
    ("approve", "通报已审核通过并编号，整改事项已生成。"),
    ("publish", "通报已发布到门户网站。"),
];

/// A 通报 in the list: (id, title, round, period, check day, status, 文号).
type ListRow = (i64, String, &'static str, String, String, &'static str, String);

#[derive(Template, WebTemplate)]
#[template(path = "console/monitor_bulletins.html")]
struct ListPage {
    layout: crate::layout::Layout,
    code: String,
    rows: Vec<ListRow>,
    may_draft: bool,
    rounds: Vec<(&'static str, &'static str)>,
    round: String,
    period: String,
    date: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DraftForm {
    round: String,
    period: String,
    date: String,
}

fn message(e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Invalid { message, .. } | AppError::Conflict(message) => Ok(message),
        AppError::InvalidFields(v) => Ok(v.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("；")),
        e => Err(e.into()),
    }
}

async fn render_list(
    s: &WebState,
    cp: &ConsolePage,
    f: DraftForm,
    error: Option<String>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&cp.p);
    let rows = s
        .app
        .bulletins(by, &cp.agency)
        .await?
        .into_iter()
        .map(|b| {
            let round = Round::parse(&b.round).map(Round::label_zh).unwrap_or("");
            let status = BulletinStatus::parse(&b.status).map(BulletinStatus::label_zh).unwrap_or("");
            (b.id, b.title, round, b.period, format_date_zh(b.check_date), status, b.doc_no.unwrap_or_default())
        })
        .collect();
    let today = s.app.today();
    let page = ListPage {
        layout: cp.layout("检查通报").crumb(cp.href("monitor"), "网站自查"),
        code: cp.code().to_owned(),
        rows,
        may_draft: cp.may(ISSUERS),
        rounds: Round::ALL.iter().map(|r| (r.as_str(), r.label_zh())).collect(),
        round: if f.round.is_empty() { "monthly".into() } else { f.round },
        period: if f.period.is_empty() { Round::Monthly.period_of(today) } else { f.period },
        date: if f.date.is_empty() { today.to_string() } else { f.date },
        error,
    };
    let status = if page.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

pub async fn list(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    render_list(&s, &cp, DraftForm::default(), None).await
}

pub async fn draft(State(s): State<WebState>, cp: ConsolePage, Form(f): Form<DraftForm>) -> Result<Response, WebError> {
    let ymd = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(day) = time::Date::parse(f.date.trim(), &ymd) else {
        return render_list(&s, &cp, f, Some("请填写检查日期".into())).await;
    };
    match s.app.draft_bulletin(Caller::Staff(&cp.p), &cp.agency, &f.round, &f.period, day).await {
        Ok(id) => Ok(Redirect::to(&cp.href(&format!("monitor/bulletins/{id}?notice=drafted"))).into_response()),
        Err(e) => {
            let m = message(e)?;
            render_list(&s, &cp, f, Some(m)).await
        }
    }
}

/// A 整改 item of the 通报: (agency, indicator, message, due, status, overdue).
type RectRow = (String, String, String, String, String, bool);

#[derive(Template, WebTemplate)]
#[template(path = "console/monitor_bulletin.html")]
struct BulletinPage {
    layout: crate::layout::Layout,
    code: String,
    id: i64,
    title: String,
    body: String,
    status: &'static str,
    is_draft: bool,
    is_submitted: bool,
    is_approved: bool,
    doc_no: String,
    period: String,
    check_day: String,
    issued: String,
    return_note: String,
    entry_href: Option<String>,
    /// (agency, indicator, kind, message)
    findings: Vec<(String, String, &'static str, String)>,
    rects: Vec<RectRow>,
    may_issue: bool,
    columns: Vec<(String, String)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn render_one(
    s: &WebState,
    cp: &ConsolePage,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&cp.p);
    let b = s.app.bulletin(by, &cp.agency, id).await?;
    let status = status_of(&b)?;
    let names = s.app.agency_names().await?;
    let today = s.app.today();
    let rects = gongkai_app::supervision::bulletins::rectifications_of_bulletin(&s.app, by, &cp.agency, b.id)
        .await?
        .into_iter()
        .map(|r| {
            let overdue = is_overdue(&r, today);
            let state = RectStatus::parse(&r.status).map(RectStatus::label_zh).unwrap_or("");
            let state = if r.rejections > 0 && r.status == "pending" {
                format!("{state}（复核未通过{}次）", r.rejections)
            } else {
                state.to_owned()
            };
            let indicator = gongkai_domain::monitor::Indicator::parse(&r.indicator).map(|i| i.label_zh()).unwrap_or("");
            (
                names.get(&r.agency_id).cloned().unwrap_or_default(),
                indicator.to_owned(),
                r.message,
                format_date_zh(r.due_on),
                state,
                overdue,
            )
        })
        .collect();
    let entry_href = match b.entry_id {
        Some(eid) => s.app.published_link(eid).await?.map(|(e, code, slug)| format!("/{code}/{slug}/{}", e.id)),
        None => None,
    };
    let columns = s.app.columns(&cp.agency).await?.into_iter().map(|c| (c.slug, c.name)).collect();
    let findings = findings_of(&b)
        .into_iter()
        .map(|f| (f.agency_name, f.indicator_zh, if f.kind == "veto" { "单项否决" } else { "扣分" }, f.message))
        .collect();
    let page = BulletinPage {
        layout: cp
            .layout(b.title.clone())
            .crumb(cp.href("monitor"), "网站自查")
            .crumb(cp.href("monitor/bulletins"), "检查通报"),
        code: cp.code().to_owned(),
        id: b.id,
        title: b.title.clone(),
        body: b.body.clone(),
        status: status.label_zh(),
        is_draft: status == BulletinStatus::Draft,
        is_submitted: status == BulletinStatus::Submitted,
        is_approved: status == BulletinStatus::Approved,
        doc_no: b.doc_no.clone().unwrap_or_default(),
        period: format!("{}（{}）", b.period, Round::parse(&b.round).map(Round::label_zh).unwrap_or("")),
        check_day: format_date_zh(b.check_date),
        issued: b.issued_on.map(format_date_zh).unwrap_or_default(),
        return_note: b.return_note.clone(),
        entry_href,
        findings,
        rects,
        may_issue: cp.may(ISSUERS),
        columns,
        notice,
        error,
    };
    let status = if page.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

pub async fn show(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render_one(&s, &cp, id, n.text(NOTICES, None), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    title: String,
    body: String,
}

pub async fn edit(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    match s.app.edit_bulletin(Caller::Staff(&cp.p), &cp.agency, id, &f.title, &f.body).await {
        Ok(()) => Ok(Redirect::to(&cp.href(&format!("monitor/bulletins/{id}?notice=saved"))).into_response()),
        Err(e) => {
            let m = message(e)?;
            render_one(&s, &cp, id, None, Some(m)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
    note: String,
    column: String,
}

pub async fn step(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&cp.p);
    let a = &cp.agency;
    let done = match f.step.as_str() {
        "submit" => s.app.submit_bulletin(by, a, id).await,
        "return" => s.app.return_bulletin(by, a, id, &f.note).await,
        "approve" => s.app.approve_bulletin(by, a, id).await.map(|_| ()),
        "publish" => s.app.publish_bulletin(by, a, id, &f.column).await.map(|_| ()),
        _ => Err(AppError::Invalid { field: None, message: "未知的操作".into() }),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&cp.href(&format!("monitor/bulletins/{id}?notice={}", f.step))).into_response()),
        Err(e) => {
            let m = message(e)?;
            render_one(&s, &cp, id, None, Some(m)).await
        }
    }
}

/// The 通报 as DOCX or PDF (with its 文号 once approved).
pub async fn file(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, name)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let format = match name.as_str() {
        "bulletin.docx" => LetterFormat::Docx,
        "bulletin.pdf" => LetterFormat::Pdf,
        _ => return Err(AppError::NotFound("文件").into()),
    };
    let f = s.app.bulletin_file(Caller::Staff(&cp.p), &cp.agency, id, format).await?;
    Ok(file_response(f))
}
