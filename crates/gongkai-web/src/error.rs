//! Errors mapped to responses once: a Chinese HTML page for people, with the cause of 5xx logged, never shown.

use crate::layout::Layout;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongkai_app::AppError;

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

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::App(AppError::Unauthenticated) => Redirect::to("/console/login").into_response(),
            WebError::App(e) => {
                let (status, heading) = match &e {
                    AppError::Invalid { .. } | AppError::InvalidFields(_) => {
                        (StatusCode::BAD_REQUEST, "提交的内容有误")
                    }
                    AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "登录失败"),
                    AppError::Forbidden => (StatusCode::FORBIDDEN, "无权访问"),
                    AppError::NotFound(_) => (StatusCode::NOT_FOUND, "页面不存在"),
                    AppError::Conflict(_) => (StatusCode::CONFLICT, "操作未完成"),
                    _ => (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误"),
                };
                if e.is_user_facing() {
                    page(status, heading, &e.to_string())
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

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    page(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "服务暂时出现问题，请稍后再试。")
}
