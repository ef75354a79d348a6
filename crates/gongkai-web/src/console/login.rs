//! Signing in and out of the console, and the dashboard of the user's agencies.

use super::agency::roles_text;
use crate::auth::USER_KEY;
use crate::console_page::Staff;
use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template, WebTemplate)]
#[template(path = "console/login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local console paths are followed after signing in (no open redirect).
/// A same-site console path only: no scheme or host, no backslash, no control character or space (a newline in a
/// `Location` header cannot be sent).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/console/")
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/console/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::console::login::safe_next;

    #[test]
    fn only_same_site_console_paths_without_control_characters() {
        assert_eq!(safe_next(Some("/console/yima/")), "/console/yima/");
        for bad in [
            "/console/\n",
            "/console/\r\nSet-Cookie: x",
            "//evil/console/",
            "/console/\\x",
            "https://evil/",
            "/console/ a",
        ] {
            assert_eq!(safe_next(Some(bad)), "/console/", "{bad:?}");
        }
    }
}

pub async fn login_form(
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
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
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
        Err(e @ (AppError::BadCredentials | AppError::Invalid { .. })) => {
            let (status, error) = match e {
                AppError::Invalid { message, .. } => (StatusCode::FORBIDDEN, message),
                _ => (StatusCode::UNAUTHORIZED, "用户名或密码不正确，请重新输入。".to_owned()),
            };
            let mut l = Layout::new(&s.app.config.site_name, "工作人员登录").crumb("/", "首页");
            l.csrf = csrf::token(&session).await?;
            let p = LoginPage { layout: l, username: f.username, next: safe_next(Some(&f.next)), error: Some(error) };
            Ok(no_store((status, p)))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(session: Session) -> Result<Response, WebError> {
    session.flush().await?;
    Ok(Redirect::to("/console/login").into_response())
}

struct AgencyRow {
    code: String,
    name: String,
    depth: usize,
    roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    agencies: Vec<AgencyRow>,
    platform_admin: bool,
    supervisor: bool,
    /// A missing holiday notice (platform administrators only).
    calendar_warning: Option<String>,
    /// Annual reports due within 30 days or overdue (agencies where the user edits reports).
    report_warnings: Vec<String>,
    /// (code, name) of the agencies the user evaluates as a third party.
    evaluations: Vec<(String, String)>,
}

/// The user's agencies (with roles), warnings of due reports and, for platform administrators, of a missing
/// holiday notice.
pub async fn dashboard(State(s): State<WebState>, staff: Staff) -> Result<Response, WebError> {
    let p = &staff.p;
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
    let mut l = staff.layout("工作台");
    l.crumbs.clear();
    l.crumbs.push(("/".into(), "门户首页".into()));
    let calendar_warning = s.app.calendar_warning_of(p).await?;
    Ok(no_store(DashboardPage {
        layout: l,
        agencies,
        platform_admin: p.is_platform_admin(),
        supervisor: p.supervises_any(),
        calendar_warning,
        report_warnings: s.app.report_warnings(p).await?,
        evaluations: s.app.evaluated_agencies(p).await?.into_iter().map(|a| (a.code.to_string(), a.name)).collect(),
    }))
}
