//! 政务新媒体 pages: the agency's register in the console (staff ask, the supervising agency approves) and the
//! public list of the accounts in operation (docs/law/supervision.md §3).

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, PORTAL_CACHE, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::model::{MediaAccount as Account, MediaDetails as Details};
use gongkai_app::supervision::new_media::{AccountForm, pending_of, status_of};
use gongkai_app::supervision::new_media_checks::CheckForm;
use gongkai_app::{App, AppError};
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::new_media::{NOTICE_WD, PLATFORMS, Party, STALE_DAYS, Status, Step, Veto, steps_at};
use gongkai_domain::workplan::quarter_zh;
use serde::Deserialize;

const NOTICES: &[(&str, &str)] = &[
    ("requested", "开设申请已提交，等待主管单位审核。"),
    ("change", "变更申请已提交，等待主管单位审核。"),
    ("request_close", "关停注销申请已提交，等待主管单位审核。"),
    ("approve", "已审核通过。"),
    ("reject", "已审核不通过。"),
    ("deregister", "账号已注销。"),
    ("check_pass", "季度检查已记录：合格。"),
    ("check_fail", "季度检查已记录：不合格（见检查记录）。"),
    ("checked", "已按登记信息检查全部运行中的账号，结果见检查记录。"),
];

/// A quarterly check as the register shows it.
pub struct CheckRow {
    quarter: String,
    account: String,
    day: String,
    last_post: String,
    passed: bool,
    vetoes: String,
    actor: String,
    note: String,
}

fn check_row(c: gongkai_app::model::MediaCheck, names: &std::collections::HashMap<i64, String>) -> CheckRow {
    let vetoes = c
        .vetoes
        .split(',')
        .filter(|v| !v.is_empty())
        .map(|v| match v {
            "stale" => Veto::Stale { days: c.last_post_on.map(|d| (c.checked_on - d).whole_days()).unwrap_or(0) },
            "never_posted" => Veto::NeverPosted,
            "no_interaction" => Veto::NoInteraction,
            _ => Veto::SevereError,
        })
        .map(|v| v.label_zh())
        .collect::<Vec<_>>()
        .join("；");
    CheckRow {
        quarter: quarter_zh(&c.quarter),
        account: names.get(&c.account_id).cloned().unwrap_or_default(),
        day: format_date_zh(c.checked_on),
        last_post: c.last_post_on.map(format_date_zh).unwrap_or_else(|| "—".into()),
        passed: c.passed,
        vetoes,
        actor: c.actor,
        note: c.note,
    }
}

/// An account as both pages show it.
pub struct Row {
    id: i64,
    platform: String,
    name: String,
    url: String,
    sponsor: String,
    operator: String,
    verified_subject: String,
    filing_no: String,
    status: &'static str,
    last_post: String,
    interaction: &'static str,
    /// "公告期至…，…起可注销" during the notice; the 注销 day once closed.
    notice: String,
    /// The proposed details of a change waiting for approval.
    pending: Option<String>,
    /// The steps this user may take, as (code, label).
    steps: Vec<(&'static str, &'static str)>,
    /// Whether the user may ask for a change (the form is shown).
    may_change: bool,
    form: AccountForm,
}

fn describe(d: &Details) -> String {
    format!(
        "{}：{}；主办单位 {}；运营单位 {}；认证主体 {}；备案号 {}；地址 {}",
        d.platform, d.name, d.sponsor, d.operator, d.verified_subject, d.filing_no, d.url
    )
}

fn row(a: Account, requester: bool, approver: bool) -> Row {
    let status = status_of(&a);
    let steps = steps_at(status)
        .into_iter()
        .filter(|s| *s != Step::RequestChange)
        .filter(|s| match s.party() {
            Party::Agency => requester,
            Party::Supervisor => approver,
        })
        .map(|s| (s.as_str(), s.label_zh()))
        .collect();
    let notice = match (status, a.notice_until, a.closed_on) {
        (Status::Notice, Some(end), _) => format!(
            "{NOTICE_WD}个工作日公告期至{}，{}起可注销",
            format_date_zh(end),
            end.next_day().map(format_date_zh).unwrap_or_default()
        ),
        (Status::Closed, _, Some(d)) => format!("{}注销", format_date_zh(d)),
        _ => String::new(),
    };
    let form = AccountForm {
        platform: a.platform.clone(),
        name: a.name.clone(),
        url: a.url.clone(),
        sponsor: a.sponsor.clone(),
        operator: a.operator.clone(),
        verified_subject: a.verified_subject.clone(),
        filing_no: a.filing_no.clone(),
        last_post_on: a.last_post_on.map(|d| d.to_string()).unwrap_or_default(),
        interaction_on: a.interaction_on.then(|| "on".to_owned()),
        note: String::new(),
    };
    Row {
        id: a.id,
        pending: pending_of(&a).map(|d| describe(&d)),
        platform: a.platform,
        name: a.name,
        url: a.url,
        sponsor: a.sponsor,
        operator: a.operator,
        verified_subject: a.verified_subject,
        filing_no: a.filing_no,
        status: status.label_zh(),
        last_post: a.last_post_on.map(format_date_zh).unwrap_or_else(|| "—".into()),
        interaction: if a.interaction_on { "有" } else { "无" },
        notice,
        steps,
        may_change: requester && status == Status::Running,
        form,
    }
}

pub struct LogRow {
    day: String,
    account: String,
    step: String,
    to: &'static str,
    actor: String,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/new_media.html")]
struct ConsoleList {
    layout: Layout,
    code: String,
    rows: Vec<Row>,
    log: Vec<LogRow>,
    may_request: bool,
    may_approve: bool,
    form: AccountForm,
    platforms: &'static [&'static str],
    notice_wd: u32,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
    may_check: bool,
    checks: Vec<CheckRow>,
    stale_days: i64,
    today: String,
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    form: AccountForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let requester = App::may_request_media(&cp.p, &cp.agency);
    let approver = App::may_approve_media(&cp.p, &cp.agency);
    let accounts = s.app.media_accounts(&cp.p, &cp.agency).await?;
    let names: std::collections::HashMap<i64, String> =
        accounts.iter().map(|a| (a.id, format!("{}：{}", a.platform, a.name))).collect();
    let log = s
        .app
        .media_events(&cp.p, &cp.agency)
        .await?
        .into_iter()
        .rev()
        .map(|e| LogRow {
            day: format_date_zh(e.day),
            account: names.get(&e.account_id).cloned().unwrap_or_default(),
            step: Step::parse(&e.step).map(|s| s.label_zh().to_owned()).unwrap_or_else(|| "申请开设".into()),
            to: Status::parse(&e.to_status).map(Status::label_zh).unwrap_or(""),
            actor: e.actor,
            note: e.note,
        })
        .collect();
    let checks = s.app.media_checks(&cp.p, &cp.agency).await?.into_iter().map(|c| check_row(c, &names)).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok(no_store((
        status,
        ConsoleList {
            may_check: App::may_check_media(&cp.p, &cp.agency),
            checks,
            stale_days: STALE_DAYS,
            today: s.app.today().to_string(),
            layout: cp.layout(format!("{}：政务新媒体", cp.agency.name)),
            code: cp.code().to_owned(),
            rows: accounts.into_iter().map(|a| row(a, requester, approver)).collect(),
            log,
            may_request: requester,
            may_approve: approver,
            form,
            platforms: &PLATFORMS,
            notice_wd: NOTICE_WD,
            errors,
            notice,
        },
    )))
}

pub async fn show(State(s): State<WebState>, cp: ConsolePage, Query(n): Query<Notice>) -> Result<Response, WebError> {
    render(&s, &cp, AccountForm::default(), Vec::new(), n.text(NOTICES, None)).await
}

fn refused(e: AppError) -> Result<Vec<(&'static str, String)>, WebError> {
    match e {
        AppError::InvalidFields(errors) => Ok(errors),
        AppError::Invalid { field, message } => Ok(vec![(field.unwrap_or("step"), message)]),
        AppError::Conflict(message) => Ok(vec![("step", message)]),
        e => Err(e.into()),
    }
}

pub async fn request_open(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<AccountForm>,
) -> Result<Response, WebError> {
    match s.app.request_media_account(&cp.p, &cp.agency, &f).await {
        Ok(_) => Ok(Redirect::to(&cp.href("new-media?notice=requested")).into_response()),
        Err(e) => render(&s, &cp, f, refused(e)?, None).await,
    }
}

pub async fn request_change(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<AccountForm>,
) -> Result<Response, WebError> {
    match s.app.media_step(&cp.p, &cp.agency, id, Step::RequestChange, Some(&f), &f.note).await {
        Ok(_) => Ok(Redirect::to(&cp.href("new-media?notice=change")).into_response()),
        Err(e) => render(&s, &cp, AccountForm::default(), refused(e)?, None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
    note: String,
}

pub async fn step(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let Some(step) = Step::parse(&f.step).filter(|s| *s != Step::RequestChange) else {
        return render(&s, &cp, AccountForm::default(), vec![("step", "未知的操作".into())], None).await;
    };
    match s.app.media_step(&cp.p, &cp.agency, id, step, None, &f.note).await {
        Ok(_) => Ok(Redirect::to(&cp.href(&format!("new-media?notice={}", step.as_str()))).into_response()),
        Err(e) => render(&s, &cp, AccountForm::default(), refused(e)?, None).await,
    }
}

/// A quarterly check of one account as entered (§3.4).
pub async fn check(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CheckForm>,
) -> Result<Response, WebError> {
    match s.app.check_media_account(&cp.p, &cp.agency, id, &f).await {
        Ok(true) => Ok(Redirect::to(&cp.href("new-media?notice=check_pass")).into_response()),
        Ok(false) => Ok(Redirect::to(&cp.href("new-media?notice=check_fail")).into_response()),
        Err(e) => render(&s, &cp, AccountForm::default(), refused(e)?, None).await,
    }
}

/// The quarterly check of every account in operation from the register's last post dates.
pub async fn check_all(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    s.app.check_media_from_register(&cp.p, &cp.agency).await?;
    Ok(Redirect::to(&cp.href("new-media?notice=checked")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/new_media.html")]
struct PublicList {
    layout: Layout,
    agency_name: String,
    rows: Vec<Row>,
}

/// The agency's accounts in operation (and those in their closing notice, with the notice's end).
pub async fn public_list(State(s): State<WebState>, Path(code): Path<String>) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let rows = s.app.public_media_accounts(&a).await?.into_iter().map(|x| row(x, false, false)).collect();
    let layout = Layout::new(&s.app.config.site_name, "政务新媒体")
        .crumb("/", "首页")
        .crumb(format!("/{}/", a.code), a.name.clone());
    let page = PublicList { layout, agency_name: a.name.clone(), rows };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}
