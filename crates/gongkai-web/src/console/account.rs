//! `/console/account/password`: the signed-in user changes their own password. A user whose password was set by
//! someone else is sent here after signing in and can reach nothing else until it is changed
//! ([`crate::auth::CurrentUser`]).

use crate::console_page::Staff;
use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, no_store};
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

use crate::auth::PASSWORD_PATH as PATH;

#[derive(Template, WebTemplate)]
#[template(path = "console/account_password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    min_chars: usize,
    error: Option<String>,
    notice: Option<String>,
}

const NOTICES: &[(&str, &str)] = &[("changed", "密码已修改。其他设备上的登录状态已退出。")];

fn render(staff: &Staff, error: Option<String>, notice: Option<String>) -> Response {
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    no_store((
        status,
        PasswordPage {
            layout: staff.layout("修改密码"),
            forced: staff.p.user.must_change_password,
            min_chars: gongkai_app::MIN_PASSWORD_CHARS,
            error,
            notice,
        },
    ))
}

pub async fn show(staff: Staff, Query(n): Query<Notice>) -> Response {
    render(&staff, None, n.text(NOTICES, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

pub async fn save(
    State(s): State<WebState>,
    staff: Staff,
    session: Session,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match s.app.change_own_password(&staff.p, &f.current, &f.password, &f.confirm).await {
        Ok(()) => {
            // Every session of the user ended in the change; this one goes on under a new id and token.
            session.cycle_id().await?;
            csrf::rotate(&session).await?;
            Ok(Redirect::to(&format!("{PATH}?notice=changed")).into_response())
        }
        Err(AppError::Invalid { message, .. }) => Ok(render(&staff, Some(message), None)),
        Err(e) => Err(e.into()),
    }
}
