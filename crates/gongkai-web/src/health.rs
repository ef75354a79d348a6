//! `/healthz`: is this node alive (database reachable)? Used by `gongkai healthcheck`. `/readyz`: should it take
//! traffic (the database takes a write — a full disk or a read-only replica answer 503)? For load balancers.

use crate::state::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<WebState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
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

async fn readyz(State(s): State<WebState>) -> impl IntoResponse {
    let ready = s.app.ready().await;
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "status": if ready { "ready" } else { "unavailable" },
            "message": if ready { "数据库可写入" } else { "数据库暂时无法写入，请检查磁盘空间或数据库状态" },
        })),
    )
}
