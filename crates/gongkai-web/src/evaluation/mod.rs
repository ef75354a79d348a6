//! Evaluation (考核评估) over HTTP: the console page of a supervising agency, its forms and the XLSX export.
//! Rules: docs/law/supervision.md §5.

mod page;

use crate::state::WebState;
use axum::Router;
use axum::routing::{get, post};

/// Console pages (supervisors and third-party evaluators).
pub fn console() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/evaluation", get(page::show))
        .route("/console/{agency}/evaluation/scheme", post(page::create_scheme))
        .route("/console/{agency}/evaluation/indicators", post(page::save_indicator))
        .route("/console/{agency}/evaluation/indicators/remove", post(page::remove_indicator))
        .route("/console/{agency}/evaluation/scores", post(page::score))
        .route("/console/{agency}/evaluation/export.xlsx", get(page::export))
}
