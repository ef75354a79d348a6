//! Supervision over HTTP: the 政务新媒体 register (console: requests, approvals and quarterly checks; portal: the
//! accounts in operation) and the 工作要点分工方案 (console). Rules: docs/law/supervision.md §3.

mod new_media;
mod workplan;

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
        .route("/console/{agency}/new-media/{id}/check", post(new_media::check))
        .route("/console/{agency}/new-media/checks", post(new_media::check_all))
        .route("/console/{agency}/workplan", get(workplan::show))
        .route("/console/{agency}/workplan/meta", post(workplan::save_meta))
        .route("/console/{agency}/workplan/upload", post(workplan::upload))
        .route("/console/{agency}/workplan/tasks", post(workplan::add_task))
        .route("/console/{agency}/workplan/tasks/{id}/progress", post(workplan::report))
        .route("/console/{agency}/workplan/export.xlsx", get(workplan::export))
        .route("/console/{agency}/workplan/entry/{id}", get(workplan::entry))
        .route("/console/{agency}/workplan/{plan}/evidence/{id}", get(workplan::evidence))
}
