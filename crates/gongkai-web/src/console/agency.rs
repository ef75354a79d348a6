//! One agency in the console: its page (the user's roles, its staff for administrators), granting and revoking
//! roles, and its audit trail with every action in Chinese.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::model::AuditEvent;
use gongkai_domain::agency::Role;
use serde::Deserialize;

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
#[template(path = "console/agency.html")]
struct AgencyConsolePage {
    layout: Layout,
    code: String,
    name: String,
    kind: &'static str,
    my_roles: String,
    is_admin: bool,
    is_supervisor: bool,
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

fn event_rows(events: Vec<AuditEvent>) -> Vec<EventRow> {
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

const NOTICES: &[(&str, &str)] =
    &[("granted", "已授予角色。"), ("revoked", "已撤销角色。"), ("unchanged", "该用户已拥有此角色，未作改动。")];

/// The agency's page: the user's roles and, for its administrators and supervisors, its staff and latest audit
/// events.
pub async fn agency_page(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render_agency(&s, &cp, GrantInput::default(), None, n.text(NOTICES, None)).await
}

/// What was typed into the grant form: username and role.
#[derive(Default)]
struct GrantInput {
    username: String,
    role: String,
}

async fn render_agency(
    s: &WebState,
    cp: &ConsolePage,
    input: GrantInput,
    form_error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let roles = p.roles_in(a.id);
    let may_see_staff = roles.contains(&Role::Admin) || roles.contains(&Role::Supervisor);
    let (members, events) = if may_see_staff {
        let members = s
            .app
            .agency_members(p, a)
            .await?
            .into_iter()
            .map(|m| MemberRow {
                user_id: m.user_id,
                username: m.username,
                display_name: m.display_name,
                roles: m.roles.into_iter().map(|r| (r.as_str().to_owned(), r.label_zh())).collect(),
            })
            .collect();
        let events = event_rows(s.app.agency_audit(p, a, None, 20).await?);
        (Some(members), Some(events))
    } else {
        (None, None)
    };
    let status = if form_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = AgencyConsolePage {
        layout: cp.top_layout(a.name.clone()),
        code: a.code.to_string(),
        name: a.name.clone(),
        kind: a.kind.label_zh(),
        my_roles: roles_text(roles.iter().copied()),
        is_admin: roles.contains(&Role::Admin),
        is_supervisor: roles.contains(&Role::Supervisor),
        members,
        events,
        all_roles: Role::GRANTABLE.iter().map(|r| (r.as_str(), r.label_zh())).collect(),
        form_username: input.username,
        form_role: input.role,
        form_error,
        notice,
    };
    Ok(no_store((status, page)))
}

#[derive(Deserialize)]
pub struct GrantForm {
    username: String,
    role: String,
}

pub async fn grant(State(s): State<WebState>, cp: ConsolePage, Form(f): Form<GrantForm>) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let outcome = match Role::parse(&f.role) {
        Ok(role) => s.app.grant_role(p.into(), a, &f.username, role).await,
        Err(_) => Err(AppError::Invalid { field: Some("role"), message: "请选择角色".into() }),
    };
    match outcome {
        Ok(added) => {
            let notice = if added { "granted" } else { "unchanged" };
            Ok(Redirect::to(&format!("/console/{code}/?notice={notice}")).into_response())
        }
        Err(AppError::Invalid { message, .. }) => {
            render_agency(&s, &cp, GrantInput { username: f.username, role: f.role }, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    user_id: i64,
    role: String,
}

pub async fn revoke(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<RevokeForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let role = Role::parse(&f.role).map_err(|e| AppError::invalid("role", e))?;
    s.app.revoke_role(p, a, f.user_id, role).await?;
    Ok(Redirect::to(&format!("/console/{code}/?notice=revoked")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "console/audit.html")]
struct AuditPage {
    layout: Layout,
    code: String,
    events: Vec<EventRow>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

const AUDIT_PAGE: i64 = 50;

pub async fn audit_page(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let events = s.app.agency_audit(p, a, q.before, AUDIT_PAGE).await?;
    let next_before = (events.len() as i64 == AUDIT_PAGE).then(|| events.last().map(|e| e.id)).flatten();
    let l = cp.layout(format!("{}：操作记录", a.name));
    Ok(no_store(AuditPage { layout: l, code: code.to_owned(), events: event_rows(events), next_before }))
}

/// Roles as one Chinese phrase: `管理员、编辑`.
pub fn roles_text(roles: impl IntoIterator<Item = Role>) -> String {
    roles.into_iter().map(Role::label_zh).collect::<Vec<_>>().join("、")
}
