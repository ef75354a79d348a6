//! `/healthz`: is this node able to serve (database reachable)? Used by load balancers and `gongkai healthcheck`.

use crate::state::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<WebState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(s): State<WebState>) -> impl IntoResponse {
    let db_ok = s.app.ping().await;
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let backend = match s.app.backend() {
        gongkai_app::model::Backend::Sqlite => "sqlite",
        gongkai_app::model::Backend::Postgres => "postgres",
    };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "status": if db_ok { "ok" } else { "unavailable" },
            "database": backend,
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}
