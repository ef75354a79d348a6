//! The signed-in staff user of a console request.

use crate::error::WebError;
use crate::state::WebState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::Principal;
use tower_sessions::Session;

/// The session key of the signed-in user (the store ends a user's sessions by it after a password reset).
pub const USER_KEY: &str = gongkai_app::model::SESSION_USER_KEY;

/// The page where users change their own password: the only console page open while a change is due.
pub const PASSWORD_PATH: &str = "/console/account/password";

/// Extracts the signed-in user; a request without one is sent to the login page (and back afterwards).
pub struct CurrentUser(pub Principal);

impl FromRequestParts<WebState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let uid: Option<i64> = session.get(USER_KEY).await.map_err(|e| WebError::from(e).into_response())?;
        if let Some(uid) = uid
            && let Some(p) = state.app.principal(uid).await.map_err(|e| WebError::from(e).into_response())?
        {
            crate::trace::record(&parts.extensions, "user", uid);
            // A password set by someone else is changed before anything else (signing out stays possible).
            let path = parts.uri.path();
            if p.user.must_change_password && path != PASSWORD_PATH && path != "/console/logout" {
                return Err(Redirect::to(PASSWORD_PATH).into_response());
            }
            return Ok(CurrentUser(p));
        }
        let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/console/");
        let target =
            format!("/console/login?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
        Err(Redirect::to(&target).into_response())
    }
}
