//! Errors mapped to responses once: a Chinese HTML page for people, with the cause of 5xx logged, never shown.

use crate::layout::Layout;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongkai_app::AppError;

/// How the store's "unavailable" error begins (`gongkai_store::StoreError::Unavailable`); the session store passes
/// it on as text only.
const STORE_UNAVAILABLE: &str = "数据库暂时不可用";

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("csrf")]
    Csrf,
    #[error("too large")]
    TooLarge,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

/// Renders the error page (falls back to plain text should the template itself fail).
pub fn page(status: StatusCode, heading: &str, message: &str) -> Response {
    let p = ErrorPage {
        layout: Layout::new("政府信息公开平台", heading).crumb("/", "首页"),
        heading: heading.to_owned(),
        message: message.to_owned(),
    };
    match p.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, format!("{heading}：{message}")).into_response(),
    }
}

/// How an application error answers over HTTP, the one mapping of both the pages and the JSON API:
/// (status, API code, page heading).
pub fn status(e: &AppError) -> (StatusCode, &'static str, &'static str) {
    match e {
        AppError::Invalid { .. } | AppError::InvalidFields(_) => (StatusCode::BAD_REQUEST, "invalid", "提交的内容有误"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录"),
        AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials", "登录失败"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "无权访问"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "页面不存在"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "操作未完成"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "服务暂时不可用"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误"),
    }
}

/// An application error as the JSON API answers it: `{code, message, fields?}`, never cached; the cause of an
/// internal error is logged, not shown.
pub fn api_error(e: AppError) -> Response {
    let (status, code, _) = status(&e);
    log_unavailable(&e);
    let message = if e.is_user_facing() {
        e.to_string()
    } else {
        tracing::error!(error = ?e, "internal error");
        "服务暂时出现问题，请稍后再试".into()
    };
    let mut body = serde_json::json!({"code": code, "message": message});
    if let AppError::InvalidFields(errors) = &e {
        body["fields"] = errors.iter().map(|(f, m)| serde_json::json!({"field": f, "message": m})).collect();
    }
    let mut r = (status, [(axum::http::header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response();
    retry_later(&mut r);
    r
}

/// The storage is unavailable (disk full, database down): the cause is logged, the user told to retry later.
fn log_unavailable(e: &AppError) {
    if let AppError::Unavailable(cause) = e {
        tracing::error!(cause = %cause, "storage unavailable: the request was refused, nothing saved");
    }
}

/// A 503 says when to retry.
fn retry_later(r: &mut Response) {
    if r.status() == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("30"));
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::App(AppError::Unauthenticated) => Redirect::to("/console/login").into_response(),
            WebError::App(e) => {
                let (status, _, heading) = status(&e);
                log_unavailable(&e);
                if e.is_user_facing() {
                    let mut r = page(status, heading, &e.to_string());
                    retry_later(&mut r);
                    r
                } else {
                    tracing::error!(error = ?e, "internal error");
                    page(status, heading, "服务暂时出现问题，请稍后再试。如问题持续，请联系平台管理员。")
                }
            }
            WebError::Csrf => page(
                StatusCode::FORBIDDEN,
                "请求未通过安全校验",
                "表单已过期或来源不可信。请返回上一页，刷新后重新提交。",
            ),
            WebError::TooLarge => page(StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大", "请减少内容后重新提交。"),
            // The session store is the database: when it is unavailable, say so (503), as for any other request.
            WebError::Session(tower_sessions::session::Error::Store(
                tower_sessions::session_store::Error::Backend(cause),
            )) if cause.starts_with(STORE_UNAVAILABLE) => WebError::App(AppError::Unavailable(cause)).into_response(),
            e @ (WebError::Session(_) | WebError::Template(_)) => {
                tracing::error!(error = %e, "internal error");
                page(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "服务暂时出现问题，请稍后再试。")
            }
        }
    }
}

pub async fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, "页面不存在", "您访问的页面不存在或已被移除。请检查网址，或从首页重新进入。")
}

/// The answer to a request the application could not take any more (the server is stopping).
pub fn unavailable() -> Response {
    let mut r = page(StatusCode::SERVICE_UNAVAILABLE, "服务暂时不可用", "服务器正在停止或重启，请稍后再试。");
    retry_later(&mut r);
    r
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    page(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "服务暂时出现问题，请稍后再试。")
}

/// axum's own rejections (a query string or form that does not parse, a wrong method, a body too large) answer
/// in English plain text. Our handlers always answer HTML or JSON, so a plain-text or empty 4xx is one of those:
/// it is replaced by the Chinese error page (JSON `{code, message}` under `/api/`), keeping status and headers.
pub async fn localize_rejections(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::header;
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let status = resp.status();
    let content_type = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // Under /api/ every error is JSON (a 404 of the fallback, a refused CSRF check, a 429 answer HTML pages).
    let api_error = api && (status.is_client_error() || status.is_server_error()) && !content_type.contains("json");
    if !api_error && (!status.is_client_error() || !(content_type.is_empty() || content_type.starts_with("text/plain")))
    {
        return resp;
    }
    let (heading, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ("请求方式不被允许", "此页面不接受这种请求方式。请从页面上的链接或表单进入。")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("提交的内容过大", "请减少内容后重新提交。"),
        StatusCode::NOT_FOUND => ("页面不存在", "您访问的页面不存在或已被移除。请检查网址，或从首页重新进入。"),
        StatusCode::FORBIDDEN => ("请求未通过安全校验", "请求来源不可信或无权访问。"),
        StatusCode::TOO_MANY_REQUESTS => ("提交过于频繁", "请求过于频繁，请稍后再试。"),
        s if s.is_server_error() => ("服务器内部错误", "服务暂时出现问题，请稍后再试。"),
        _ => ("请求参数有误", "网址或提交内容中的参数格式不正确。请返回上一页，检查后重试。"),
    };
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        s if s.is_server_error() => "internal",
        _ => "invalid",
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if api {
        parts.headers.insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
        axum::body::Body::from(serde_json::json!({"code": code, "message": message}).to_string())
    } else {
        let html = page(status, heading, message);
        parts.headers.insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("text/html; charset=utf-8"));
        html.into_body()
    };
    Response::from_parts(parts, body)
}
