//! The 市长信箱 in the console: the inbox with due dates (all, open, due soon, overdue) and a letter's page with
//! its steps (答复, 延期, 转办, 不予受理, 转信访, 公开, 撤销公开). The app checks every permission.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::applications::parse_date;
use gongkai_app::interaction::mailbox::{InboxFilter, MailboxStep, StaffLetter};
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::interaction::mailbox::{Satisfaction, Status};
use serde::Deserialize;

const FILTERS: &[(&str, &str)] = &[("all", "全部"), ("open", "办理中"), ("soon", "即将到期"), ("overdue", "已超期")];
const PER_PAGE: usize = 30;

pub struct Row {
    id: i64,
    query_code: String,
    title: String,
    kind: &'static str,
    writer: String,
    received: String,
    due: String,
    status: &'static str,
    overdue: bool,
    due_soon: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/mailbox_inbox.html")]
struct InboxPage {
    layout: Layout,
    code: String,
    agency_name: String,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    show: String,
    filters: &'static [(&'static str, &'static str)],
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    show: String,
    page: Option<usize>,
}

pub async fn inbox(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<InboxQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let filter = match q.show.as_str() {
        "open" => InboxFilter::Open,
        "soon" => InboxFilter::DueSoon,
        "overdue" => InboxFilter::Overdue,
        _ => InboxFilter::All,
    };
    let letters = s.app.mailbox_inbox(&cp.p, &cp.agency, filter).await?;
    let total = letters.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let rows = letters
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|l| Row {
            id: l.letter.id,
            query_code: l.letter.query_code.clone(),
            title: l.letter.title.clone(),
            kind: l.kind.label_zh(),
            writer: l.writer(),
            received: format_date_zh(l.letter.received_on),
            due: format_date_zh(l.letter.due_on),
            status: l.status.label_zh(),
            overdue: l.overdue,
            due_soon: l.due_soon,
        })
        .collect();
    let show = if FILTERS.iter().any(|(v, _)| *v == q.show) { q.show.clone() } else { "all".into() };
    Ok(no_store(InboxPage {
        layout: cp.layout(format!("{}：市长信箱", cp.agency.name)),
        code: cp.code().to_owned(),
        agency_name: cp.agency.name.clone(),
        rows,
        total,
        page,
        pages,
        show,
        filters: FILTERS,
        notice: n.text(&[("transfer", "已转办，来信由接收机构办理，答复期限不变。")], None),
    }))
}

/// What was typed into a refused form, shown again.
#[derive(Default)]
pub struct Typed {
    reply: String,
    approver: String,
    reason: String,
    question: String,
    publish_reply: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/mailbox_letter.html")]
struct LetterPage {
    layout: Layout,
    code: String,
    id: i64,
    title: String,
    query_code: String,
    kind: &'static str,
    writer: String,
    phone: String,
    email: String,
    received: String,
    due: String,
    overdue: bool,
    status: &'static str,
    petition: bool,
    published: bool,
    consent: bool,
    satisfaction: Option<&'static str>,
    content: String,
    reply: String,
    reject_reason: String,
    open: bool,
    answered: bool,
    agencies: Vec<(String, String)>,
    log: Vec<(String, String, &'static str, String)>,
    typed: Typed,
    error: Option<String>,
    notice: Option<String>,
}

const NOTICES: &[(&str, &str)] = &[
    ("reply", "已答复，来信人可凭查询码查看。"),
    ("extend", "已延期，答复期限已更新。"),
    ("reject", "已不予受理，理由将告知来信人。"),
    ("petition", "已标记为信访事项。"),
    ("publish", "已在门户“来信选登”公开。"),
    ("unpublish", "已撤销公开。"),
];

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    id: i64,
    typed: Typed,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (l, events): (StaffLetter, _) = s.app.mailbox_letter(&cp.p, &cp.agency, id).await?;
    let agencies = s
        .app
        .agency_tree()
        .await?
        .into_iter()
        .filter(|(a, _)| a.id != cp.agency.id)
        .map(|(a, depth)| (a.code.to_string(), format!("{}{}", "　".repeat(depth), a.name)))
        .collect();
    let log = events
        .into_iter()
        .map(|e| {
            let d = &e.details.0;
            let text = |k: &str| d.get(k).and_then(|v| v.as_str()).filter(|v| !v.is_empty());
            let zh = |k: &str| text(k).and_then(|v| parse_date(v).ok()).map(format_date_zh);
            let mut parts: Vec<String> =
                ["reason", "approver", "to_name", "from"].iter().filter_map(|k| text(k).map(str::to_owned)).collect();
            if let Some(due) = zh("due_on") {
                parts.push(format!("答复期限{due}"));
            }
            if let Some(s) = text("satisfaction").and_then(Satisfaction::parse) {
                parts.push(s.label_zh().to_owned());
            }
            // The day the step took effect (a demo or back-dated step), else when it was recorded.
            let when = zh("day").unwrap_or_else(|| datetime_zh(e.at));
            (when, e.actor_label, MailboxStep::label_zh(&e.kind), parts.join("；"))
        })
        .collect();
    let typed = Typed {
        question: if typed.question.is_empty() { l.letter.content.clone() } else { typed.question },
        publish_reply: if typed.publish_reply.is_empty() { l.letter.reply.clone() } else { typed.publish_reply },
        ..typed
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = LetterPage {
        layout: cp.layout(l.letter.title.clone()).crumb(cp.href("mailbox"), "市长信箱"),
        code: cp.code().to_owned(),
        id,
        query_code: l.letter.query_code.clone(),
        kind: l.kind.label_zh(),
        writer: l.writer(),
        phone: l.phone(),
        email: l.letter.email.clone(),
        received: format_date_zh(l.letter.received_on),
        due: format_date_zh(l.letter.due_on),
        overdue: l.overdue,
        status: l.status.label_zh(),
        petition: l.letter.petition,
        published: l.letter.published,
        consent: l.letter.publish_consent,
        satisfaction: l.letter.satisfaction.as_deref().and_then(Satisfaction::parse).map(Satisfaction::label_zh),
        content: l.letter.content.clone(),
        reply: l.letter.reply.clone(),
        reject_reason: l.letter.reject_reason.clone(),
        open: l.status.is_open(),
        answered: l.status == Status::Answered,
        title: l.letter.title.clone(),
        agencies,
        log,
        typed,
        error,
        notice,
    };
    Ok(no_store((status, page)))
}

pub async fn letter(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render(&s, &cp, id, Typed::default(), None, n.text(NOTICES, None)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
    text: String,
    approver: String,
    reason: String,
    to_agency: String,
    question: String,
}

pub async fn step(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let step = match f.step.as_str() {
        "reply" => MailboxStep::Reply { text: f.text.clone() },
        "extend" => MailboxStep::Extend { approver: f.approver.clone() },
        "transfer" => MailboxStep::Transfer { to_agency: f.to_agency.clone() },
        "reject" => MailboxStep::Reject { reason: f.reason.clone() },
        "petition" => MailboxStep::Petition,
        "publish" => MailboxStep::Publish { question: f.question.clone(), reply: f.text.clone() },
        "unpublish" => MailboxStep::Unpublish { reason: f.reason.clone() },
        _ => return Err(AppError::NotFound("操作").into()),
    };
    match s.app.mailbox_step(&cp.p, &cp.agency, id, step).await {
        // A transferred letter belongs to the other agency now: back to the inbox.
        Ok(()) if f.step == "transfer" => Ok(Redirect::to(&cp.href("mailbox?notice=transfer")).into_response()),
        Ok(()) => Ok(Redirect::to(&cp.href(&format!("mailbox/{id}?notice={}", f.step))).into_response()),
        Err(AppError::Invalid { message, .. } | AppError::Conflict(message)) => {
            let typed = match f.step.as_str() {
                "reply" => Typed { reply: f.text, ..Default::default() },
                "extend" => Typed { approver: f.approver, ..Default::default() },
                "reject" => Typed { reason: f.reason, ..Default::default() },
                "publish" => Typed { question: f.question, publish_reply: f.text, ..Default::default() },
                _ => Typed::default(),
            };
            render(&s, &cp, id, typed, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}
