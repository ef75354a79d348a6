//! Supervision over HTTP: the 政务新媒体 register (console: requests, approvals and quarterly checks; portal: the
//! accounts in operation), the 工作要点分工方案 (console), and the rounds of website self-monitoring (通报 and
//! 整改). Rules: docs/law/supervision.md §2, §3, §4.

mod bulletins;
mod new_media;
mod rectify;
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
        .route("/console/{agency}/monitor/bulletins", get(bulletins::list).post(bulletins::draft))
        .route("/console/{agency}/monitor/bulletins/{id}", get(bulletins::show))
        .route("/console/{agency}/monitor/bulletins/{id}/edit", post(bulletins::edit))
        .route("/console/{agency}/monitor/bulletins/{id}/steps", post(bulletins::step))
        .route("/console/{agency}/monitor/bulletins/{id}/{file}", get(bulletins::file))
        .route("/console/{agency}/monitor/rectifications", get(rectify::show))
        .route("/console/{agency}/monitor/rectifications/{id}/report", post(rectify::report))
        .route("/console/{agency}/monitor/rectifications/{id}/review", post(rectify::review))
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
