//! The staff console: signing in, the dashboard, and per-agency pages (staff and roles, audit trail, publishing,
//! the guide and units, annual reports), plus the platform's calendar and the report auditor. Every page needs a
//! signed-in user ([`crate::console_page`]); every permission is checked in the app.

mod account;
mod agency;
mod auditor;
mod calendar;
mod catalog;
mod guide;
mod login;
mod monitor;
mod reports;
mod staff;

use crate::state::WebState;
use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};

/// The sign-in form (throttled per client address by the caller).
pub fn login() -> Router<WebState> {
    Router::new().route("/console/login", get(login::login_form).post(login::login_submit))
}

/// Every other console route.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/console/logout", post(login::logout))
        .route("/console", get(|| async { Redirect::permanent("/console/") }))
        .route("/console/", get(login::dashboard))
        .route("/console/{agency}/", get(agency::agency_page))
        .route("/console/{agency}/grants", post(agency::grant))
        .route("/console/{agency}/grants/revoke", post(agency::revoke))
        .route("/console/{agency}/audit", get(agency::audit_page))
        .route(crate::auth::PASSWORD_PATH, get(account::show).post(account::save))
        .route("/console/{agency}/staff", get(staff::list).post(staff::create))
        .route("/console/{agency}/staff/{id}", get(staff::member))
        .route("/console/{agency}/staff/{id}/name", post(staff::rename))
        .route("/console/{agency}/staff/{id}/roles", post(staff::grant))
        .route("/console/{agency}/staff/{id}/roles/revoke", post(staff::revoke))
        .route("/console/{agency}/staff/{id}/status", post(staff::set_status))
        .route("/console/{agency}/staff/{id}/password", post(staff::reset_password))
        .route("/console/{agency}/guide", get(guide::guide_form).post(guide::guide_save))
        .route("/console/{agency}/units", get(guide::units_list))
        .route("/console/{agency}/units/new", get(guide::unit_new).post(guide::unit_create))
        .route("/console/{agency}/units/{id}", get(guide::unit_edit).post(guide::unit_save))
        .route("/console/{agency}/monitor", get(monitor::show))
        .route("/console/{agency}/monitor/classes", post(monitor::set_class))
        .route("/console/{agency}/monitor/probes", post(monitor::set_probes))
        .route("/console/{agency}/monitor/{file}", get(monitor::bulletin))
        .merge(catalog::router())
        .merge(reports::router())
        .merge(calendar::router())
        .merge(auditor::router())
}
