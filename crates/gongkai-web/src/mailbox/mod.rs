//! The 市长信箱 over HTTP: the public form, lookup, rating and list of published letters (portal), the JSON API,
//! the inbox and letter page, the call log and the statistics of all three channels (console). Rules: docs/law/public-interaction.md §4.

mod api;
mod calls;
mod console;
mod public;
mod stats;

use crate::state::WebState;
use axum::Router;
use axum::routing::{get, post};

/// The public POSTs (throttled per client address by the caller).
pub fn public_posts() -> Router<WebState> {
    Router::new()
        .route("/{agency}/mailbox", get(public::form).post(public::submit))
        .route("/mailbox/track", get(public::track_form).post(public::track_submit))
        .route("/mailbox/track/rate", post(public::rate))
        .route("/api/v1/{agency}/mailbox", post(api::submit))
}

/// Public pages and JSON lookups.
pub fn public() -> Router<WebState> {
    Router::new()
        .route("/{agency}/mailbox/letters", get(public::letters))
        .route("/api/v1/mailbox/{code}", get(api::track))
        .route("/api/v1/{agency}/interaction/stats", get(stats::api))
        .route("/{agency}/mailbox/stats", get(stats::public_page))
}

/// The console: inbox and one letter.
pub fn console() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/mailbox", get(console::inbox))
        .route("/console/{agency}/mailbox/{id}", get(console::letter))
        .route("/console/{agency}/mailbox/{id}/steps", post(console::step))
        .route("/console/{agency}/calls", get(calls::list).post(calls::create))
        .route("/console/{agency}/calls/{id}/close", post(calls::close))
        .route("/console/{agency}/interaction/stats", get(stats::console_page))
        .route("/console/{agency}/interaction/stats.xlsx", get(stats::console_xlsx))
}
