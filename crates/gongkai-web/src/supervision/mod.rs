//! Supervision over HTTP: the 政务新媒体 register (console: requests and approvals; portal: the accounts in
//! operation). Rules: docs/law/supervision.md §3.

mod new_media;

use crate::state::WebState;
use axum::Router;
use axum::routing::{get, post};

/// Public pages.
pub fn public() -> Router<WebState> {
    Router::new().route("/{agency}/new-media", get(new_media::public_list))
}

/// Console pages.
pub fn console() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/new-media", get(new_media::show).post(new_media::request_open))
        .route("/console/{agency}/new-media/{id}/steps", post(new_media::step))
        .route("/console/{agency}/new-media/{id}/change", post(new_media::request_change))
}
