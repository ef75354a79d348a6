//! The JSON API of applications under `/api/v1`: submit, look up the status, download a sent letter. Errors are
//! JSON `{code, message, fields?}` ([`crate::error::api_error`]).

use crate::error::api_error;
use crate::lockout::{ClientAddr, Kind, guarded};
use crate::page::locked_json;
use crate::page::{file_response, json_form};
use crate::state::WebState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::applications::ApplicationForm;
use gongkai_domain::application::QueryPassword;
use serde::Deserialize;
use serde_json::json;

/// `POST /api/v1/{agency}/applications`: an application as JSON → 201 with the tracking code and password.
pub async fn api_submit(
    State(s): State<WebState>,
    Path(code): Path<String>,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let form: ApplicationForm = match json_form(body, "申请内容") {
        Ok(f) => f,
        Err(e) => return api_error(e),
    };
    match s.app.submit_application(&code, &form).await {
        Ok(done) => (
            StatusCode::CREATED,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "tracking_code": done.tracking_code.as_str(),
                "query_password": done.query_password.as_str(),
                "agency": done.agency_name,
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

/// The query password of an API call: the `X-Query-Password` header, else `?password=`, else empty.
fn api_password(headers: &HeaderMap, q: PasswordQuery) -> String {
    headers.get("x-query-password").and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.password).unwrap_or_default()
}

/// `GET /api/v1/applications/{code}` with the password in `X-Query-Password` (or `?password=`).
pub async fn api_track(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    Path(code): Path<String>,
    Query(q): Query<PasswordQuery>,
    headers: HeaderMap,
) -> Response {
    let password = api_password(&headers, q);
    if QueryPassword::normalise(&password).is_empty() {
        return api_error(AppError::Invalid { field: Some("password"), message: "请提供查询密码".into() });
    }
    let outcome =
        match guarded(&s.lockout, addr, Kind::Application, &code, s.app.track_application(&code, &password)).await {
            Ok(outcome) => outcome,
            Err(wait) => return locked_json(wait),
        };
    match outcome {
        Ok(p) => {
            let body = json!({
                "tracking_code": p.tracking_code,
                "agency": p.agency_name,
                "submitted_on": p.submitted_on.to_string(),
                "channel": p.channel,
                "stage": p.stage.as_str(),
                "stage_zh": p.stage.label_zh(),
                "status_zh": p.status_zh,
                "receipt_date": p.receipt_date.map(|d| d.to_string()),
                "deadlines": p.deadlines.iter().map(|d| json!({
                    "label": d.label, "date": d.date.to_string(), "explanation": d.explanation,
                })).collect::<Vec<_>>(),
                "outcome": p.outcome.map(|o| json!({"t3_key": o.t3_key(), "label": o.label_zh()})),
                "timeline": p.timeline.iter().map(|(d, n)| json!({"date": d.to_string(), "event": n}))
                    .collect::<Vec<_>>(),
                "letters": p.letters.iter().map(|l| json!({
                    "id": l.id, "kind": l.kind.as_str(), "kind_zh": l.kind.label_zh(), "doc_no": l.doc_no,
                    "sent_on": l.sent_on.to_string(), "corrected_by": l.corrected_by, "corrects": l.corrects,
                    "pdf": format!("/api/v1/applications/{}/letters/{}", p.tracking_code, l.id),
                })).collect::<Vec<_>>(),
            });
            ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(e) => api_error(e),
    }
}

/// `GET /api/v1/applications/{code}/letters/{id}` with the password in `X-Query-Password`: the sent letter as
/// PDF (JSON errors like the rest of the API).
pub async fn api_letter(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    Path((code, lid)): Path<(String, i64)>,
    Query(q): Query<PasswordQuery>,
    headers: HeaderMap,
) -> Response {
    let password = api_password(&headers, q);
    match guarded(&s.lockout, addr, Kind::Application, &code, s.app.public_letter_pdf(&code, &password, lid)).await {
        Ok(Ok(f)) => file_response(f),
        Ok(Err(e)) => api_error(e),
        Err(wait) => locked_json(wait),
    }
}
