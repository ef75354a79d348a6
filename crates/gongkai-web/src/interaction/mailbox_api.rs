//! The JSON API of the 市长信箱: `POST /api/v1/{agency}/mailbox` and `GET /api/v1/mailbox/{query_code}`.

use crate::error::api_error;
use crate::lockout::{ClientAddr, Kind, guarded};
use crate::page::json_form;
use crate::page::locked_json;
use crate::state::WebState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_domain::interaction::mailbox::LetterForm;
use serde::Deserialize;
use serde_json::json;

/// A letter as JSON → 201 `{query_code, password, agency, due_on}`; field errors as `{code, message, fields}`.
pub async fn submit(
    State(s): State<WebState>,
    Path(code): Path<String>,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let form: LetterForm =
        match json_form(body, "来信（type、title、content、name、phone、email、publish_consent、confidential）")
        {
            Ok(f) => f,
            Err(e) => return api_error(e),
        };
    match s.app.submit_mailbox_letter(&code, &form).await {
        Ok(r) => (
            StatusCode::CREATED,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "query_code": r.query_code,
                "password": r.password,
                "agency": r.agency_name,
                "due_on": r.due_on.to_string(),
            })),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}

#[derive(Deserialize)]
pub struct PasswordQuery {
    password: Option<String>,
}

/// The writer's lookup with the password in `X-Query-Password` (or `?password=`): status, due date, the reply
/// when answered.
pub async fn track(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    Path(code): Path<String>,
    Query(q): Query<PasswordQuery>,
    headers: HeaderMap,
) -> Response {
    let password = headers
        .get("x-query-password")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(q.password)
        .unwrap_or_default();
    if password.trim().is_empty() {
        return api_error(AppError::Invalid { field: Some("password"), message: "请提供查询密码".into() });
    }
    let outcome =
        match guarded(&s.lockout, addr, Kind::Mailbox, &code, s.app.track_mailbox_letter(&code, &password)).await {
            Ok(outcome) => outcome,
            Err(wait) => return locked_json(wait),
        };
    match outcome {
        Ok(v) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "query_code": v.query_code,
                "agency": v.agency_name,
                "type": v.kind.as_str(),
                "title": v.title,
                "received_on": v.received_on.to_string(),
                "due_on": v.due_on.to_string(),
                "status": v.status.as_str(),
                "status_zh": v.status.label_zh(),
                "reply": v.reply,
                "replied_on": v.replied_on.map(|d| d.to_string()),
                "reject_reason": v.reject_reason,
                "satisfaction": v.satisfaction.map(|s| s.as_str()),
            })),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}
