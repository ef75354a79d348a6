//! Static assets, embedded in the binary and served with long-lived cache headers; URLs carry a content hash.

use crate::state::WebState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const APP_CSS: &str = include_str!("../static/app.css");

/// Short content hash of the assets, appended as `?v=` so a new release is fetched at once.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let d = Sha256::digest(APP_CSS.as_bytes());
        d.iter().take(6).map(|b| format!("{b:02x}")).collect()
    })
}

pub fn router() -> Router<WebState> {
    Router::new().route("/static/{file}", get(asset))
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (body, content_type) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        // An empty 404: `error::localize_rejections` turns it into the Chinese page.
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let etag = format!("\"{}\"", version());
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}
