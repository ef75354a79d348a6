//! 依申请公开 over HTTP: the public form and status lookup (portal), the JSON API under `/api/v1`, and the case
//! list, staff intake, case page and letters (console). The routes are grouped so that `lib.rs` can throttle the
//! public POSTs as one.

pub(crate) mod api;
mod apply;
mod case;
mod cases;
mod intake;
mod letters;
mod steps;
mod track;
mod view;

use crate::state::WebState;
use axum::Router;
use axum::routing::{get, post};

/// The public POSTs (throttled per client address by the caller): the form, the lookup, the letter download,
/// the JSON submission.
pub fn public_posts() -> Router<WebState> {
    Router::new()
        .route(
            "/{agency}/apply",
            get(apply::apply_form)
                .post(apply::apply_submit)
                // Files are checked one by one (5 MB each) by the app; the whole body stays under the global limit.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/track", get(track::track_form).post(track::track_submit))
        .route("/track/letter", post(track::track_letter))
        .route("/api/v1/{agency}/applications", post(api::api_submit))
}

/// The JSON lookups (a password check each: throttled per client address by the caller).
pub fn api() -> Router<WebState> {
    Router::new()
        .route("/api/v1/applications/{code}", get(api::api_track))
        .route("/api/v1/applications/{code}/letters/{lid}", get(api::api_letter))
}

/// The console: cases, intake, one case, its letters, the letter templates.
pub fn console() -> Router<WebState> {
    const CASE: &str = "/console/{agency}/applications/{id}";
    Router::new()
        .route("/console/{agency}/applications", get(cases::case_list))
        .route("/console/{agency}/applications/export.xlsx", get(cases::case_export))
        .route("/console/{agency}/applications/new", get(intake::intake_form).post(intake::intake_submit))
        .route(CASE, get(case::case_page))
        .route(&format!("{CASE}/steps"), post(steps::case_step))
        .route(&format!("{CASE}/reveal-id"), post(case::reveal_id))
        .route(&format!("{CASE}/assign"), post(case::assign))
        .route(&format!("{CASE}/attachments/{{sha256}}"), get(case::attachment))
        .route(&format!("{CASE}/letters/{{lid}}"), post(letters::edit))
        .route(&format!("{CASE}/letters/{{lid}}/send"), post(letters::send))
        .route(&format!("{CASE}/letters/{{lid}}/correct"), post(letters::correct))
        .route(&format!("{CASE}/letters/third-party-notice"), post(letters::third_party_notice))
        .route(&format!("{CASE}/letters/{{lid}}/docx"), get(letters::docx))
        .route(&format!("{CASE}/letters/{{lid}}/pdf"), get(letters::pdf))
        .route(&format!("{CASE}/reply.docx"), get(letters::reply_docx))
        .route(&format!("{CASE}/reply.pdf"), get(letters::reply_pdf))
        .route("/console/{agency}/letter-templates", get(letters::templates_page).post(letters::save_template))
        .route("/console/{agency}/letter-templates/doc-no", post(letters::save_doc_no))
}
