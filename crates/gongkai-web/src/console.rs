//! The staff console: sign in and out, the dashboard of the user's agencies, and per-agency pages
//! (staff and roles, audit trail). Every page needs a signed-in user; every agency page checks access in the app.

use crate::auth::{CurrentUser, USER_KEY};
use crate::error::{WebError, page};
use crate::layout::{Layout, datetime_zh};
use crate::{WebConfig, WebState, csrf};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_app::{AppError, Principal};
use gongkai_domain::agency::Role;
use gongkai_store::agencies::Agency;
use serde::Deserialize;
use std::sync::Arc;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_sessions::Session;

pub fn router(cfg: &WebConfig) -> Router<WebState> {
    let throttle = GovernorConfigBuilder::default()
        .per_second(cfg.login_replenish_secs.max(1))
        .burst_size(cfg.login_burst.max(1))
        .methods(vec![Method::POST])
        .finish()
        .map(Arc::new);
    let login = Router::new().route("/console/login", get(login_form).post(login_submit));
    let login = match throttle {
        Some(conf) => login.layer(GovernorLayer::new(conf).error_handler(|_| {
            page(StatusCode::TOO_MANY_REQUESTS, "尝试过于频繁", "登录尝试次数过多，请稍候一分钟再试。")
        })),
        None => login,
    };
    Router::new()
        .merge(login)
        .route("/console/logout", post(logout))
        .route("/console", get(|| async { Redirect::permanent("/console/") }))
        .route("/console/", get(dashboard))
        .route("/console/{agency}/", get(agency_page))
        .route("/console/{agency}/grants", post(grant))
        .route("/console/{agency}/grants/revoke", post(revoke))
        .route("/console/{agency}/audit", get(audit_page))
        .merge(crate::catalog_console::router())
}

pub(crate) fn no_store(r: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], r).into_response()
}

pub(crate) fn layout(s: &WebState, p: Option<&Principal>, title: impl Into<String>, csrf: String) -> Layout {
    let mut l = Layout::new(&s.app.config.site_name, title).crumb("/console/", "工作台");
    l.user = p.map(|p| p.user.display_name.clone());
    l.csrf = csrf;
    l
}

// ---- sign in / out ----

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local console paths are followed after signing in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/console/") && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/console/".to_owned(),
    }
}

async fn login_form(
    State(s): State<WebState>,
    session: Session,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    if session.get::<i64>(USER_KEY).await?.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let mut l = Layout::new(&s.app.config.site_name, "工作人员登录").crumb("/", "首页");
    l.csrf = csrf::token(&session).await?;
    Ok(no_store(LoginPage { layout: l, username: String::new(), next: safe_next(q.next.as_deref()), error: None }))
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login_submit(
    State(s): State<WebState>,
    session: Session,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    match s.app.login(&f.username, &f.password).await {
        Ok(user) => {
            // A new session id at privilege change (no session fixation), and a new CSRF token.
            session.cycle_id().await?;
            session.insert(USER_KEY, user.id).await?;
            csrf::rotate(&session).await?;
            Ok(Redirect::to(&safe_next(Some(&f.next))).into_response())
        }
        Err(AppError::BadCredentials) => {
            let mut l = Layout::new(&s.app.config.site_name, "工作人员登录").crumb("/", "首页");
            l.csrf = csrf::token(&session).await?;
            let p = LoginPage {
                layout: l,
                username: f.username,
                next: safe_next(Some(&f.next)),
                error: Some("用户名或密码不正确，请重新输入。".into()),
            };
            Ok(no_store((StatusCode::UNAUTHORIZED, p)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(session: Session) -> Result<Response, WebError> {
    session.flush().await?;
    Ok(Redirect::to("/console/login").into_response())
}

// ---- dashboard ----

struct AgencyRow {
    code: String,
    name: String,
    depth: usize,
    roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    agencies: Vec<AgencyRow>,
    platform_admin: bool,
    supervisor: bool,
    /// A missing holiday notice (platform administrators only).
    calendar_warning: Option<String>,
    /// Annual reports due within 30 days or overdue (agencies where the user edits reports).
    report_warnings: Vec<String>,
}

fn roles_text(roles: impl IntoIterator<Item = Role>) -> String {
    roles.into_iter().map(Role::label_zh).collect::<Vec<_>>().join("、")
}

async fn dashboard(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
) -> Result<Response, WebError> {
    let tree = s.app.agency_tree().await?;
    let agencies = tree
        .into_iter()
        .filter(|(a, _)| p.can_view(a.id))
        .map(|(a, depth)| AgencyRow {
            code: a.code.to_string(),
            name: a.name,
            depth,
            roles: roles_text(p.roles_in(a.id)),
        })
        .collect();
    let mut l = layout(&s, Some(&p), "工作台", csrf::token(&session).await?);
    l.crumbs.clear();
    l.crumbs.push(("/".into(), "门户首页".into()));
    let calendar_warning =
        if p.is_platform_admin() { s.app.calendar_warning(gongkai_app::beijing_today()).await? } else { None };
    Ok(no_store(DashboardPage {
        layout: l,
        agencies,
        platform_admin: p.is_platform_admin(),
        supervisor: p.supervises_any(),
        calendar_warning,
        report_warnings: s.app.report_warnings(&p).await?,
    }))
}

// ---- one agency ----

struct MemberRow {
    user_id: i64,
    username: String,
    display_name: String,
    roles: Vec<(String, &'static str)>,
}

struct EventRow {
    at: String,
    actor: String,
    action: String,
    object: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console_agency.html")]
struct AgencyConsolePage {
    layout: Layout,
    code: String,
    name: String,
    kind: &'static str,
    my_roles: String,
    is_admin: bool,
    members: Option<Vec<MemberRow>>,
    events: Option<Vec<EventRow>>,
    all_roles: Vec<(&'static str, &'static str)>,
    form_username: String,
    form_role: String,
    form_error: Option<String>,
    notice: Option<String>,
}

fn action_zh(action: &str) -> String {
    match gongkai_domain::audit::AuditAction::parse(action) {
        Some(a) => a.label_zh().to_owned(),
        None => format!("未知操作（{action}）"),
    }
}

fn event_rows(events: Vec<gongkai_store::AuditEvent>) -> Vec<EventRow> {
    events
        .into_iter()
        .map(|e| {
            let detail = match (e.details.0.get("username"), e.details.0.get("role")) {
                (Some(u), Some(r)) => format!(
                    "{}（{}）",
                    u.as_str().unwrap_or(""),
                    r.as_str().and_then(|r| Role::parse(r).ok()).map(Role::label_zh).unwrap_or("")
                ),
                _ => e.details.0.get("name").and_then(|n| n.as_str()).unwrap_or("").to_owned(),
            };
            EventRow {
                at: datetime_zh(e.at),
                actor: e.actor_label,
                action: action_zh(&e.action),
                object: if detail.is_empty() { format!("{} #{}", e.object_type, e.object_id) } else { detail },
            }
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn agency_page(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let notice = match q.notice.as_deref() {
        Some("granted") => Some("已授予角色。".to_owned()),
        Some("revoked") => Some("已撤销角色。".to_owned()),
        Some("unchanged") => Some("该用户已拥有此角色，未作改动。".to_owned()),
        _ => None,
    };
    render_agency(&s, &session, &p, a, String::new(), String::new(), None, notice).await
}

#[allow(clippy::too_many_arguments)]
async fn render_agency(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: Agency,
    form_username: String,
    form_role: String,
    form_error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let roles = p.roles_in(a.id);
    let may_see_staff = roles.contains(&Role::Admin) || roles.contains(&Role::Supervisor);
    let (members, events) = if may_see_staff {
        let members = s
            .app
            .agency_members(p, &a)
            .await?
            .into_iter()
            .map(|m| MemberRow {
                user_id: m.user_id,
                username: m.username,
                display_name: m.display_name,
                roles: m.roles.into_iter().map(|r| (r.as_str().to_owned(), r.label_zh())).collect(),
            })
            .collect();
        let events = event_rows(s.app.agency_audit(p, &a, None, 20).await?);
        (Some(members), Some(events))
    } else {
        (None, None)
    };
    let status = if form_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = AgencyConsolePage {
        layout: layout(s, Some(p), a.name.clone(), csrf::token(session).await?),
        code: a.code.to_string(),
        name: a.name,
        kind: a.kind.label_zh(),
        my_roles: roles_text(roles.iter().copied()),
        is_admin: roles.contains(&Role::Admin),
        members,
        events,
        all_roles: Role::ALL.iter().map(|r| (r.as_str(), r.label_zh())).collect(),
        form_username,
        form_role,
        form_error,
        notice,
    };
    Ok(no_store((status, page)))
}

#[derive(Deserialize)]
struct GrantForm {
    username: String,
    role: String,
}

async fn grant(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(f): Form<GrantForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let outcome = match Role::parse(&f.role) {
        Ok(role) => s.app.grant_role((&p).into(), &a, &f.username, role).await,
        Err(_) => Err(AppError::Invalid { field: Some("role"), message: "请选择角色".into() }),
    };
    match outcome {
        Ok(added) => {
            let notice = if added { "granted" } else { "unchanged" };
            Ok(Redirect::to(&format!("/console/{code}/?notice={notice}")).into_response())
        }
        Err(AppError::Invalid { message, .. }) => {
            render_agency(&s, &session, &p, a, f.username, f.role, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    user_id: i64,
    role: String,
}

async fn revoke(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let role = Role::parse(&f.role).map_err(|e| AppError::invalid("role", e))?;
    s.app.revoke_role(&p, &a, f.user_id, role).await?;
    Ok(Redirect::to(&format!("/console/{code}/?notice=revoked")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    code: String,
    events: Vec<EventRow>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
struct AuditQuery {
    before: Option<i64>,
}

const AUDIT_PAGE: i64 = 50;

async fn audit_page(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let events = s.app.agency_audit(&p, &a, q.before, AUDIT_PAGE).await?;
    let next_before = (events.len() as i64 == AUDIT_PAGE).then(|| events.last().map(|e| e.id)).flatten();
    let l = layout(&s, Some(&p), format!("{}：操作记录", a.name), csrf::token(&session).await?)
        .crumb(format!("/console/{code}/"), a.name.clone());
    Ok(no_store(AuditPage { layout: l, code, events: event_rows(events), next_before }))
}
