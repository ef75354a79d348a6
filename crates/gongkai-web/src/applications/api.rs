//! The JSON API of applications under `/api/v1`: submit, look up the status, download a sent letter. Errors are
//! JSON `{code, message, fields?}` ([`crate::error::api_error`]).

use crate::api_schema;
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
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An application as the API takes it (the fields of `ApplicationForm`; the rules are the public form's).
#[derive(ToSchema)]
#[schema(title = "政府信息公开申请", description = "政府信息公开申请（条例第二十九条）", example = json!({
    "applicant_type": "natural_person", "name": "张三", "id_type": "id_card", "id_number": "11010519491231002X",
    "phone": "0398-1234567", "description": "2023年义马市老旧小区改造项目的资金拨付文件", "delivery": "online",
}))]
#[allow(dead_code)] // describes the JSON; the handler reads it as `ApplicationForm`
pub struct ApplicationBody {
    #[schema(schema_with = api_schema::applicant_type)]
    applicant_type: String,
    /// 申请人姓名或名称（最多60字）。
    #[schema(max_length = 60)]
    name: String,
    /// 自然人用居民身份证等个人证件，法人或其他组织用统一社会信用代码等。
    #[schema(schema_with = api_schema::id_type)]
    id_type: String,
    /// 证件号码（居民身份证、统一社会信用代码校验位）。
    id_number: String,
    /// 联系电话（电话、电子邮箱、通信地址至少填写一项）。
    #[schema(required = false)]
    phone: String,
    #[schema(required = false)]
    email: String,
    #[schema(required = false)]
    address: String,
    /// 所需信息的名称、文号或便于查询的其他特征性描述。
    description: String,
    #[schema(schema_with = api_schema::delivery)]
    delivery: String,
}

/// An application received.
#[derive(Serialize, ToSchema)]
#[schema(description = "已收到的申请")]
pub struct Submitted {
    /// 申请编号。
    tracking_code: String,
    /// 查询密码：只显示这一次。
    query_password: String,
    /// 受理机关。
    agency: String,
}

#[derive(Serialize, ToSchema)]
#[schema(description = "期限")]
pub struct Deadline {
    label: String,
    #[schema(schema_with = api_schema::date)]
    date: String,
    /// 期限的计算过程。
    explanation: String,
}

#[derive(Serialize, ToSchema)]
#[schema(description = "答复结果")]
pub struct OutcomeView {
    /// 年度报告表三的情形（如 `（三）1`）。
    t3_key: String,
    label: String,
}

#[derive(Serialize, ToSchema)]
#[schema(description = "办理过程中的一项")]
pub struct TimelineEntry {
    #[schema(schema_with = api_schema::date)]
    date: String,
    event: String,
}

#[derive(Serialize, ToSchema)]
#[schema(description = "已送达的文书")]
pub struct LetterView {
    id: i64,
    #[schema(schema_with = api_schema::letter_kind)]
    kind: String,
    kind_zh: String,
    /// 文号。
    doc_no: String,
    #[schema(schema_with = api_schema::date)]
    sent_on: String,
    /// 更正本文书的文书文号（已更正）。
    corrected_by: Option<String>,
    /// 本文书所更正的文书文号。
    corrects: Option<String>,
    /// 下载地址（同样需要查询密码）。
    pdf: String,
}

/// The status of an application as its applicant sees it.
#[derive(Serialize, ToSchema)]
#[schema(description = "申请的办理情况（申请人所见）")]
pub struct ApplicationStatus {
    tracking_code: String,
    agency: String,
    #[schema(schema_with = api_schema::date)]
    submitted_on: String,
    #[schema(schema_with = api_schema::channel)]
    channel: String,
    #[schema(schema_with = api_schema::stage)]
    stage: String,
    stage_zh: String,
    status_zh: String,
    /// 收到申请之日（条例第三十一条）。
    #[schema(value_type = Option<String>, format = Date)]
    receipt_date: Option<String>,
    deadlines: Vec<Deadline>,
    outcome: Option<OutcomeView>,
    timeline: Vec<TimelineEntry>,
    letters: Vec<LetterView>,
}

/// `POST /api/v1/{agency}/applications`: an application as JSON → 201 with the tracking code and password.
#[utoipa::path(
    post,
    path = "/api/v1/{agency}/applications",
    operation_id = "submit_application",
    tag = "依申请公开",
    summary = "提交政府信息公开申请",
    params(("agency" = String, Path, description = "机构代码", example = "yima-office")),
    request_body(content = ApplicationBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已收到申请；查询密码只返回这一次", body = Submitted, links(
            ("查询办理情况" = (
                operation_id = "track_application",
                parameters(("code" = "$response.body#/tracking_code"), ("password" = "$response.body#/query_password"))
            ))
        )),
        (status = 400, description = "内容有误（`fields` 逐项说明）", body = api_schema::ApiError),
        (status = 403, description = "跨站请求被拒绝", body = api_schema::ApiError),
        (status = 404, description = "机构不存在", body = api_schema::ApiError),
        (status = 413, description = "请求体过大", body = api_schema::ApiError),
        (status = 429, description = "提交过于频繁（见 `Retry-After`）", body = api_schema::ApiError),
    )
)]
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
            Json(Submitted {
                tracking_code: done.tracking_code.as_str().to_owned(),
                query_password: done.query_password.as_str().to_owned(),
                agency: done.agency_name,
            }),
        )
            .into_response(),
        Err(e) => api_error(api_schema::with_allowed_values(
            e,
            &[
                ("applicant_type", api_schema::applicant_type_codes()),
                ("id_type", api_schema::id_type_codes()),
                ("delivery", api_schema::delivery_codes()),
            ],
        )),
    }
}

/// The query password in the query string (prefer the `X-Query-Password` header: URLs end up in logs).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PasswordQuery {
    /// 查询密码（也可用请求头 `X-Query-Password`）。
    password: Option<String>,
}

/// The query password of an API call: the `X-Query-Password` header, else `?password=`, else empty.
fn api_password(headers: &HeaderMap, q: PasswordQuery) -> String {
    headers.get("x-query-password").and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.password).unwrap_or_default()
}

/// `GET /api/v1/applications/{code}` with the password in `X-Query-Password` (or `?password=`).
#[utoipa::path(
    get,
    path = "/api/v1/applications/{code}",
    operation_id = "track_application",
    tag = "依申请公开",
    summary = "查询申请的办理情况",
    params(
        ("code" = String, Path, description = "申请编号"),
        ("X-Query-Password" = Option<String>, Header, nullable = false, description = "查询密码"),
        PasswordQuery,
    ),
    responses(
        (status = 200, description = "办理情况", body = ApplicationStatus),
        (status = 400, description = "未提供查询密码", body = api_schema::ApiError),
        (status = 404, description = "申请编号或查询密码不正确", body = api_schema::ApiError),
        (status = 429, description = "查询过于频繁（见 `Retry-After`）", body = api_schema::ApiError),
    )
)]
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
            let body = ApplicationStatus {
                tracking_code: p.tracking_code.clone(),
                agency: p.agency_name,
                submitted_on: p.submitted_on.to_string(),
                channel: gongkai_domain::application::form::channel_code(p.channel).to_owned(),
                stage: p.stage.as_str().to_owned(),
                stage_zh: p.stage.label_zh().to_owned(),
                status_zh: p.status_zh,
                receipt_date: p.receipt_date.map(|d| d.to_string()),
                deadlines: p
                    .deadlines
                    .into_iter()
                    .map(|d| Deadline {
                        label: d.label.to_owned(),
                        date: d.date.to_string(),
                        explanation: d.explanation,
                    })
                    .collect(),
                outcome: p
                    .outcome
                    .map(|o| OutcomeView { t3_key: o.t3_key().to_owned(), label: o.label_zh().to_owned() }),
                timeline: p
                    .timeline
                    .iter()
                    .map(|(d, n)| TimelineEntry { date: d.to_string(), event: (*n).to_owned() })
                    .collect(),
                letters: p
                    .letters
                    .into_iter()
                    .map(|l| LetterView {
                        pdf: format!("/api/v1/applications/{}/letters/{}", p.tracking_code, l.id),
                        id: l.id,
                        kind: l.kind.as_str().to_owned(),
                        kind_zh: l.kind.label_zh().to_owned(),
                        doc_no: l.doc_no,
                        sent_on: l.sent_on.to_string(),
                        corrected_by: l.corrected_by,
                        corrects: l.corrects,
                    })
                    .collect(),
            };
            ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(e) => api_error(e),
    }
}

/// `GET /api/v1/applications/{code}/letters/{id}` with the password in `X-Query-Password`: the sent letter as
/// PDF (JSON errors like the rest of the API).
#[utoipa::path(
    get,
    path = "/api/v1/applications/{code}/letters/{lid}",
    operation_id = "application_letter_pdf",
    tag = "依申请公开",
    summary = "下载已送达的文书（PDF）",
    params(
        ("code" = String, Path, description = "申请编号"),
        ("lid" = i64, Path, description = "文书编号（见办理情况的 `letters`）"),
        ("X-Query-Password" = Option<String>, Header, nullable = false, description = "查询密码"),
        PasswordQuery,
    ),
    responses(
        (status = 200, description = "文书 PDF", content_type = "application/pdf", body = api_schema::Pdf),
        (status = 400, description = "未提供查询密码或文书编号有误", body = api_schema::ApiError),
        (status = 404, description = "申请、查询密码或文书不正确", body = api_schema::ApiError),
        (status = 429, description = "查询过于频繁（见 `Retry-After`）", body = api_schema::ApiError),
    )
)]
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
