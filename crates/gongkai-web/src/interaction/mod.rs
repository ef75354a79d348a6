//! Public interaction (政民互动) over HTTP: the 市长信箱's public form, lookup, rating and published letters
//! (portal) and JSON API; in the console the mailbox, the 12345 orders (upload and local steps), the call log and
//! the statistics of the three channels. Rules: docs/law/public-interaction.md.

mod calls;
mod hotline;
pub(crate) mod mailbox_api;
mod mailbox_console;
mod mailbox_public;
pub(crate) mod stats;

use crate::state::WebState;
use axum::Router;
use axum::routing::{get, post};

/// The public POSTs (throttled per client address by the caller).
pub fn public_posts() -> Router<WebState> {
    Router::new()
        .route("/{agency}/mailbox", get(mailbox_public::form).post(mailbox_public::submit))
        .route("/mailbox/track", get(mailbox_public::track_form).post(mailbox_public::track_submit))
        .route("/mailbox/track/rate", post(mailbox_public::rate))
        .route("/api/v1/{agency}/mailbox", post(mailbox_api::submit))
}

/// The writer's JSON lookup (a password check each: throttled per client address by the caller).
pub fn lookups() -> Router<WebState> {
    Router::new().route("/api/v1/mailbox/{code}", get(mailbox_api::track))
}

/// Public pages and statistics.
pub fn public() -> Router<WebState> {
    Router::new()
        .route("/{agency}/mailbox/letters", get(mailbox_public::letters))
        .route("/api/v1/{agency}/interaction/stats", get(stats::api))
        .route("/{agency}/mailbox/stats", get(stats::public_page))
}

/// The console: the mailbox, 12345 orders, calls and the statistics.
pub fn console() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/mailbox", get(mailbox_console::inbox))
        .route("/console/{agency}/mailbox/{id}", get(mailbox_console::letter))
        .route("/console/{agency}/mailbox/{id}/steps", post(mailbox_console::step))
        .route("/console/{agency}/hotline", get(hotline::list))
        .route("/console/{agency}/hotline/import", post(hotline::upload))
        .route("/console/{agency}/hotline/{order_no}", get(hotline::order))
        .route("/console/{agency}/hotline/{order_no}/steps", post(hotline::step))
        .route("/console/{agency}/calls", get(calls::list).post(calls::create))
        .route("/console/{agency}/calls/{id}/close", post(calls::close))
        .route("/console/{agency}/interaction/settings", get(calls::settings).post(calls::save_settings))
        .route("/console/{agency}/interaction/stats", get(stats::console_page))
        .route("/console/{agency}/interaction/stats.xlsx", get(stats::console_xlsx))
}
