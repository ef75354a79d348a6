//! CSRF protection for every state-changing request: a token that forms carry in a hidden field `csrf` (or
//! `?csrf=` / `X-CSRF-Token` where a body cannot carry it), plus a same-origin check of `Sec-Fetch-Site` /
//! `Origin`. JSON API calls are exempt from the token (a cross-site page cannot send `application/json` without
//! a CORS preflight, which we never grant) but not from the origin check.
//!
//! Where the token lives:
//! - a signed-in user's session holds it (rotated at sign-in);
//! - an anonymous visitor has no stored session at all: the token is a signed double-submit cookie
//!   `gongkai_csrf` (`nonce.HMAC-SHA256(server secret, nonce)`), set only by a response whose page carries a
//!   form, so that public pages (`/track`, `/{agency}/apply`, `/console/login`, the mailbox) write no session row.
//!   The server secret is stored once in the database and shared by every node.

use crate::error::WebError;
use crate::state::WebState;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::extract::State;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongkai_app::App;
use std::sync::Mutex;
use tower_sessions::Session;

const KEY: &str = "csrf";
const COOKIE: &str = "gongkai_csrf";
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The anonymous token of the request being served: the cookie as received, and a token issued for it.
struct Anonymous {
    app: App,
    cookie: Option<String>,
    issued: Mutex<Option<String>>,
}

tokio::task_local! {
    static ANONYMOUS: Anonymous;
}

/// The form token of the request: the session's for a signed-in user (or whoever already has one), else the
/// signed anonymous cookie's (issued now if missing or forged; it stores nothing).
pub async fn token(session: &Session) -> Result<String, WebError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let Ok((app, cookie, issued)) =
        ANONYMOUS.try_with(|a| (a.app.clone(), a.cookie.clone(), a.issued.lock().ok().and_then(|i| i.clone())))
    else {
        return Err(gongkai_app::AppError::Internal("the anonymous CSRF layer is missing".into()).into());
    };
    if let Some(t) = issued {
        return Ok(t);
    }
    let secret = app.csrf_secret().await?;
    if let Some(c) = cookie.filter(|c| verify(&secret, c)) {
        return Ok(c);
    }
    let t = sign(&secret, &gongkai_app::random_token(32));
    let _ = ANONYMOUS.try_with(|a| {
        if let Ok(mut i) = a.issued.lock() {
            *i = Some(t.clone());
        }
    });
    Ok(t)
}

/// Serves the request with its anonymous token at hand, and sets the cookie when a token was issued.
pub async fn anonymous(State(s): State<WebState>, req: Request, next: Next) -> Response {
    let cookie = cookie_value(req.headers());
    let anon = Anonymous { app: s.app.clone(), cookie, issued: Mutex::new(None) };
    let (issued, mut response) = ANONYMOUS
        .scope(anon, async move {
            let response = next.run(req).await;
            let issued = ANONYMOUS.with(|a| a.issued.lock().ok().and_then(|i| i.clone()));
            (issued, response)
        })
        .await;
    if let Some(t) = issued {
        let secure = if s.secure_cookies { "; Secure" } else { "" };
        let set = format!("{COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict{secure}");
        if let Ok(v) = axum::http::HeaderValue::from_str(&set) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn cookie_value(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')).map(str::to_owned))
}

/// `nonce.hex(HMAC-SHA256(secret, nonce))`.
fn sign(secret: &str, nonce: &str) -> String {
    let mac: String =
        gongkai_app::hmac_sha256(secret.as_bytes(), nonce.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("{nonce}.{mac}")
}

fn verify(secret: &str, token: &str) -> bool {
    match token.split_once('.') {
        Some((nonce, _)) if !nonce.is_empty() && nonce.len() <= 64 => same(&sign(secret, nonce), token),
        _ => false,
    }
}

/// Replaces the token (after signing in or out).
pub async fn rotate(session: &Session) -> Result<(), WebError> {
    session.insert(KEY, gongkai_app::random_token(32)).await?;
    Ok(())
}

fn same(a: &str, b: &str) -> bool {
    gongkai_app::same_bytes(a.as_bytes(), b.as_bytes())
}

fn refused(why: &str) -> Response {
    tracing::info!(why, "CSRF check refused a request");
    WebError::Csrf.into_response()
}

pub async fn guard(State(s): State<WebState>, req: Request, next: Next) -> Response {
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
        Ok(None) => match (cookie_value(headers), s.app.csrf_secret().await) {
            (Some(c), Ok(secret)) if verify(&secret, &c) => c,
            _ => return refused("no token in session or signed cookie"),
        },
        Err(_) => return refused("session unreadable"),
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

#[cfg(test)]
mod tests {
    use super::{sign, verify};

    #[test]
    fn a_signed_token_verifies_only_with_its_secret_and_unchanged() {
        let t = sign("secret-a", "nonce123");
        assert!(verify("secret-a", &t));
        assert!(!verify("secret-b", &t));
        assert!(!verify("secret-a", &t.replace("nonce123", "nonce124")));
        assert!(!verify("secret-a", "nonce123"));
        assert!(!verify("secret-a", ".abc"));
    }
}
