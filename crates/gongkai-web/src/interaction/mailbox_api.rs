//! The JSON API of the 市长信箱: `POST /api/v1/{agency}/mailbox` and `GET /api/v1/mailbox/{query_code}`.

use crate::api_schema;
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
use gongkai_domain::interaction::mailbox::{MAX_CONTENT, MAX_NAME, MAX_TITLE};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A letter to the 市长信箱 as the API takes it (the fields of `LetterForm`).
#[derive(ToSchema)]
#[schema(title = "来信", description = "写给市长信箱的信", example = json!({
    "type": "consult", "title": "老旧小区改造何时开工", "content": "请问千秋路小区的改造何时开工？",
    "name": "李四", "phone": "13800000000", "publish_consent": true, "confidential": false,
}))]
#[allow(dead_code)] // describes the JSON; the handler reads it as `LetterForm`
pub struct LetterBody {
    #[serde(rename = "type")]
    #[schema(schema_with = api_schema::mailbox_kind)]
    kind: String,
    #[schema(max_length = 100)]
    title: String,
    #[schema(max_length = 5000)]
    content: String,
    /// 来信人姓名。
    #[schema(max_length = 50)]
    name: String,
    /// 联系电话（电话与电子邮箱至少填写一项）。
    #[schema(required = false)]
    phone: String,
    #[schema(required = false)]
    email: String,
    /// 是否同意公开来信及答复。
    #[schema(required = false)]
    publish_consent: bool,
    /// 是否要求对姓名和电话保密。
    #[schema(required = false)]
    confidential: bool,
}

// The documented limits are the rules' (a change of a rule shows here as a failed build).
const _: () = assert!(MAX_TITLE == 100 && MAX_CONTENT == 5000 && MAX_NAME == 50);

/// A letter received.
#[derive(Serialize, ToSchema)]
#[schema(description = "已收到的来信")]
pub struct LetterReceived {
    /// 查询码。
    query_code: String,
    /// 查询密码：只显示这一次。
    password: String,
    agency: String,
    /// 答复期限。
    #[schema(schema_with = api_schema::date)]
    due_on: String,
}

/// A letter as its writer sees it.
#[derive(Serialize, ToSchema)]
#[schema(description = "来信的办理情况（来信人所见）")]
pub struct LetterStatus {
    query_code: String,
    agency: String,
    #[serde(rename = "type")]
    #[schema(schema_with = api_schema::mailbox_kind)]
    kind: String,
    title: String,
    #[schema(schema_with = api_schema::date)]
    received_on: String,
    #[schema(schema_with = api_schema::date)]
    due_on: String,
    #[schema(schema_with = api_schema::mailbox_status)]
    status: String,
    status_zh: String,
    reply: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    replied_on: Option<String>,
    /// 不予受理的理由。
    reject_reason: Option<String>,
    #[schema(schema_with = api_schema::satisfaction)]
    satisfaction: Option<String>,
}

/// A letter as JSON → 201 `{query_code, password, agency, due_on}`; field errors as `{code, message, fields}`.
#[utoipa::path(
    post,
    path = "/api/v1/{agency}/mailbox",
    operation_id = "submit_letter",
    tag = "市长信箱",
    summary = "写信",
    params(("agency" = String, Path, description = "机构代码", example = "yima-office")),
    request_body(content = LetterBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已收到来信；查询密码只返回这一次", body = LetterReceived, links(
            ("查询办理情况" = (
                operation_id = "track_letter",
                parameters(("code" = "$response.body#/query_code"), ("password" = "$response.body#/password"))
            ))
        )),
        (status = 400, description = "内容有误（`fields` 逐项说明）", body = api_schema::ApiError),
        (status = 403, description = "跨站请求被拒绝", body = api_schema::ApiError),
        (status = 404, description = "机构不存在或未开设信箱", body = api_schema::ApiError),
        (status = 413, description = "请求体过大", body = api_schema::ApiError),
        (status = 429, description = "提交过于频繁（见 `Retry-After`）", body = api_schema::ApiError),
    )
)]
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
            Json(LetterReceived {
                query_code: r.query_code,
                password: r.password,
                agency: r.agency_name,
                due_on: r.due_on.to_string(),
            }),
        )
            .into_response(),
        Err(e) => api_error(api_schema::with_allowed_values(e, &[("type", api_schema::mailbox_kind_codes())])),
    }
}

/// The query password in the query string (prefer the `X-Query-Password` header).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PasswordQuery {
    /// 查询密码（也可用请求头 `X-Query-Password`）。
    password: Option<String>,
}

/// The writer's lookup with the password in `X-Query-Password` (or `?password=`): status, due date, the reply
/// when answered.
#[utoipa::path(
    get,
    path = "/api/v1/mailbox/{code}",
    operation_id = "track_letter",
    tag = "市长信箱",
    summary = "查询来信的办理情况",
    params(
        ("code" = String, Path, description = "查询码"),
        ("X-Query-Password" = Option<String>, Header, nullable = false, description = "查询密码"),
        PasswordQuery,
    ),
    responses(
        (status = 200, description = "办理情况与答复", body = LetterStatus),
        (status = 400, description = "未提供查询密码", body = api_schema::ApiError),
        (status = 404, description = "查询码或查询密码不正确", body = api_schema::ApiError),
        (status = 429, description = "查询过于频繁（见 `Retry-After`）", body = api_schema::ApiError),
    )
)]
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
            Json(LetterStatus {
                query_code: v.query_code,
                agency: v.agency_name,
                kind: v.kind.as_str().to_owned(),
                title: v.title,
                received_on: v.received_on.to_string(),
                due_on: v.due_on.to_string(),
                status: v.status.as_str().to_owned(),
                status_zh: v.status.label_zh().to_owned(),
                reply: v.reply,
                replied_on: v.replied_on.map(|d| d.to_string()),
                reject_reason: v.reject_reason,
                satisfaction: v.satisfaction.map(|s| s.as_str().to_owned()),
            }),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}
