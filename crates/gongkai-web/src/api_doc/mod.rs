//! The JSON API's description: an OpenAPI 3.1 document at `GET /api/v1/openapi.json`, built by `utoipa` from the
//! handlers' `#[utoipa::path]` annotations and the request/response types beside them (the coded fields' enums
//! come from the domain's lists, `crate::api_schema`), and a page at `/api/docs` that renders it on the server
//! (no script, no CDN). Every `/api/v1` route is in the document; a test reads the route table to check it.

mod page;

use crate::api_schema::{ApiError, FieldError};
use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "政府信息公开平台 API",
        description = "依申请公开、市长信箱与政民互动统计的 JSON 接口。请求体与响应均为 JSON（文书为 PDF）。\
                       出错时返回 `{code, message, fields?}`：`code` 供程序判断，`message` 为中文说明，表单校验错误在 \
                       `fields` 中逐项列出。查询类接口需要查询密码，请放在请求头 `X-Query-Password` 中（也可用 \
                       `?password=`，但网址可能被记录）。提交与查询按客户端地址限制频率，超出时返回 429 和 `Retry-After`。",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        crate::applications::api::api_submit,
        crate::applications::api::api_track,
        crate::applications::api::api_letter,
        crate::interaction::mailbox_api::submit,
        crate::interaction::mailbox_api::track,
        crate::interaction::stats::api,
        openapi_json,
    ),
    components(schemas(ApiError, FieldError)),
    tags(
        (name = "依申请公开", description = "政府信息公开申请：提交、查询办理情况、下载文书"),
        (name = "市长信箱", description = "写信与查询答复"),
        (name = "政民互动", description = "市长信箱、12345热线与来电的年度统计"),
        (name = "接口说明", description = "本文档"),
    )
)]
struct ApiDoc;

/// The document as JSON (built once).
pub fn document() -> &'static serde_json::Value {
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        fix_links(&mut doc);
        doc
    })
}

/// utoipa 5.5 writes a link's target as `operation_id`; OpenAPI (and every client) reads `operationId`.
fn fix_links(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else { return };
    for op in paths.values_mut().filter_map(|i| i.as_object_mut()).flat_map(|i| i.values_mut()) {
        let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else { continue };
        for links in responses.values_mut().filter_map(|r| r.get_mut("links")).filter_map(|l| l.as_object_mut()) {
            for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
                if let Some(id) = link.remove("operation_id") {
                    link.insert("operationId".into(), id);
                }
            }
        }
    }
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/api/v1/openapi.json", get(openapi_json)).route("/api/docs", get(docs_page))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi_document",
    tag = "接口说明",
    summary = "本接口的 OpenAPI 3.1 描述",
    responses((status = 200, description = "OpenAPI 文档", content_type = "application/json", body = Object))
)]
async fn openapi_json() -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(document())).into_response()
}

/// `/api/docs`: the document as a page.
async fn docs_page() -> Response {
    page::render(document())
}
