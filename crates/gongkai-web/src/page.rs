//! Response helpers every feature shares: caching headers, file downloads, the one `?notice=` mechanism, list
//! rows of entries, and the throttle of public and login POSTs.

use crate::error::page;
use crate::state::WebState;
use axum::Router;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::catalog::{beijing_date, date_zh};
use gongkai_app::letters::LetterFile;
use gongkai_app::model::Entry;
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;
use std::sync::Arc;
use time::Date;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

/// `Cache-Control` of public portal pages: any cache may keep them but must revalidate (`ETag`, a cheap 304 from
/// the page cache), so that nothing withdrawn is shown from a browser or proxy cache.
pub const PORTAL_CACHE: &str = "public, no-cache";

/// A response no cache may keep (forms, console pages, anything personal).
pub fn no_store(r: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], r).into_response()
}

/// A generated file (letter, report, export) as a download; the name is kept to its ASCII characters.
pub fn file_response(f: LetterFile) -> Response {
    let ascii: String = f.file_name.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        f.bytes,
    )
        .into_response()
}

/// An uploaded file as a download under its original (UTF-8) name, RFC 5987 encoded.
pub fn upload_response(content_type: String, file_name: &str, cache: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{}", pct(file_name))),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// RFC 5987 percent-encoding of a file name.
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// `?notice=code`: after a successful POST the handler redirects to the page with a code (post/redirect/get),
/// and the page says in Chinese what was done. The only "flash" mechanism of the web crate.
/// A count may come with it (`&n=3`), shown where the message says `{n}`.
#[derive(Deserialize, Default, Debug)]
pub struct Notice {
    notice: Option<String>,
    n: Option<u32>,
}

impl Notice {
    /// The message for the code from the page's table; a code the table does not know shows `fallback`.
    pub fn text(&self, table: &[(&str, &str)], fallback: Option<&str>) -> Option<String> {
        let code = self.notice.as_deref()?;
        let message = table.iter().find(|(c, _)| *c == code).map(|(_, m)| *m).or(fallback)?;
        Some(message.replace("{n}", &self.n.unwrap_or(0).to_string()))
    }
}

/// A JSON request body read into a form `T`: a body that is not a JSON object, or one with a field `T` does not
/// have, is refused with a Chinese message naming what is wrong (the JSON API's `invalid`), so that a typo in a
/// field name is not silently ignored.
pub fn json_form<T>(
    body: Result<axum::Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
    what: &str,
) -> Result<T, gongkai_app::AppError>
where
    T: serde::de::DeserializeOwned + serde::Serialize + Default,
{
    let invalid = |message: String| gongkai_app::AppError::Invalid { field: None, message };
    let Ok(axum::Json(serde_json::Value::Object(map))) = body else {
        return Err(invalid(format!("请求体应为 JSON 格式的{what}")));
    };
    let known = match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(k)) => k,
        _ => serde_json::Map::new(),
    };
    let unknown: Vec<&str> = map.keys().filter(|k| !known.contains_key(*k)).map(String::as_str).collect();
    if !unknown.is_empty() {
        let allowed: Vec<&str> = known.keys().map(String::as_str).collect();
        return Err(invalid(format!("未知的字段：{}（可用字段：{}）", unknown.join("、"), allowed.join("、"))));
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| invalid(format!("{what}的字段类型有误：{e}")))
}

/// `2026年1月5日`, or a dash when there is no date.
pub fn opt_date_zh(d: &Option<Date>) -> String {
    d.map(format_date_zh).unwrap_or_else(|| "—".into())
}

/// An entry in a list: link, title, date.
pub struct ItemRow {
    pub href: String,
    pub title: String,
    pub date: String,
}

impl ItemRow {
    /// The row of a published entry of `column` (slug) of `agency` (code).
    pub fn of(agency: &str, column: &str, e: &Entry) -> Self {
        ItemRow {
            href: format!("/{agency}/{column}/{}", e.id),
            title: e.fields.title.clone(),
            date: e.published_at.map(|t| date_zh(beijing_date(t))).unwrap_or_default(),
        }
    }
}

/// The routes of `router` with their POSTs limited per client address: `burst` at once, then one every
/// `replenish_secs`; a refused request gets a 429 page saying `heading` and `message`.
pub fn throttle(
    router: Router<WebState>,
    burst: u32,
    replenish_secs: u64,
    heading: &'static str,
    message: &'static str,
) -> Router<WebState> {
    throttle_methods(router, vec![Method::POST], burst, replenish_secs, heading, message)
}

/// Like [`throttle`], for the given methods (the password lookups are GETs that each cost an argon2 hash).
pub fn throttle_methods(
    router: Router<WebState>,
    methods: Vec<Method>,
    burst: u32,
    replenish_secs: u64,
    heading: &'static str,
    message: &'static str,
) -> Router<WebState> {
    let conf = GovernorConfigBuilder::default()
        .per_second(replenish_secs.max(1))
        .burst_size(burst.max(1))
        .methods(methods)
        .finish()
        .map(Arc::new);
    let retry_after = replenish_secs.max(1).to_string();
    match conf {
        Some(conf) => router.layer(GovernorLayer::new(conf).error_handler(move |_| {
            let mut r = page(StatusCode::TOO_MANY_REQUESTS, heading, message);
            if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        })),
        None => router,
    }
}

/// The Chinese reason of a locked query-password lookup.
fn locked_message(d: std::time::Duration) -> String {
    format!("查询密码输错次数过多，查询已暂停。请在{}后再试。", crate::lockout::wait_zh(d))
}

fn with_retry_after(mut r: Response, d: std::time::Duration) -> Response {
    let secs = (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1);
    if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

/// The page of a locked lookup: 429, `Retry-After`, how long to wait.
pub fn locked_page(d: std::time::Duration) -> Response {
    with_retry_after(page(StatusCode::TOO_MANY_REQUESTS, "查询已暂停", &locked_message(d)), d)
}

/// The JSON answer of a locked lookup: 429 `{code: "too_many_requests", message}` with `Retry-After`.
pub fn locked_json(d: std::time::Duration) -> Response {
    let body = serde_json::json!({"code": "too_many_requests", "message": locked_message(d)});
    with_retry_after((StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response(), d)
}
