//! CSRF protection for every state-changing request: a per-session token that forms carry in a hidden field
//! `csrf` (or `?csrf=` / `X-CSRF-Token` where a body cannot carry it), plus a same-origin check of
//! `Sec-Fetch-Site` / `Origin`. JSON API calls are exempt from the token (a cross-site page cannot send
//! `application/json` without a CORS preflight, which we never grant) but not from the origin check.

use crate::error::WebError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

const KEY: &str = "csrf";
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The session's token, created on first use (which also starts the session).
pub async fn token(session: &Session) -> Result<String, WebError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let t = gongkai_app::random_token(32);
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Replaces the token (after signing in or out).
pub async fn rotate(session: &Session) -> Result<(), WebError> {
    session.insert(KEY, gongkai_app::random_token(32)).await?;
    Ok(())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused(why: &str) -> Response {
    tracing::info!(why, "CSRF check refused a request");
    WebError::Csrf.into_response()
}

pub async fn guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return refused("sec-fetch-site");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
            return refused("origin");
        }
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if req.uri().path().starts_with("/api/") && content_type.starts_with("application/json") {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return refused("no session layer");
    };
    let expected = match session.get::<String>(KEY).await {
        Ok(Some(t)) => t,
        _ => return refused("no token in session"),
    };
    // Token from a header, the query string, or the url-encoded body (which is then put back).
    let mut supplied = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if supplied.is_none() {
        supplied = req.uri().query().and_then(|q| field(q.as_bytes(), KEY));
    }
    let req = if supplied.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
            return WebError::TooLarge.into_response();
        };
        supplied = field(&bytes, KEY);
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    match supplied {
        Some(t) if same(&t, &expected) => next.run(req).await,
        _ => refused("token mismatch"),
    }
}

fn field(urlencoded: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(urlencoded).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}
