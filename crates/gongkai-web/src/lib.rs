//! gongkai-web: HTTP for gongkai. The public portal and the staff console are server-rendered HTML (askama);
//! the JSON API lives under `/api/v1`. Only this crate knows HTTP.

mod applications;
mod assets;
mod auditor;
mod auth;
mod calendar;
mod catalog_console;
mod console;
mod csrf;
mod error;
mod guide;
mod health;
mod layout;
mod letters;
mod portal;
mod reports;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use gongkai_app::App;
use gongkai_store::sessions::DbSessionStore;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

pub use error::WebError;

/// Web settings (from the binary's configuration).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Login attempts allowed in a burst per client address before throttling.
    pub login_burst: u32,
    /// Seconds to regain one login attempt.
    pub login_replenish_secs: u64,
    /// Public submissions (application form, JSON API, status lookup) allowed in a burst per client address.
    pub public_post_burst: u32,
    /// Seconds to regain one public submission.
    pub public_post_replenish_secs: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            login_burst: 10,
            login_replenish_secs: 6,
            public_post_burst: 10,
            public_post_replenish_secs: 6,
        }
    }
}

#[derive(Clone)]
pub(crate) struct WebState {
    pub app: App,
}

/// The whole HTTP application.
pub fn router(app: App, cfg: &WebConfig) -> Router {
    let state = WebState { app: app.clone() };
    let sessions = SessionManagerLayer::new(DbSessionStore::new(app.db.clone()))
        .with_name("gongkai_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8)));

    Router::new()
        .merge(guide::router())
        .merge(portal::router())
        .merge(console::router(cfg))
        .merge(auditor::router())
        .merge(calendar::router())
        .merge(applications::router(cfg))
        .merge(reports::router())
        .merge(health::router())
        .merge(assets::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(sessions)
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(header_layer(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panic_response))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(8 * 1024 * 1024))
        // Outermost, so that rejections of every layer above (body limit included) are in Chinese too.
        .layer(axum::middleware::from_fn(error::localize_rejections))
        .with_state(state)
}

/// A response header set on every response that has not set it itself.
fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves until `shutdown` resolves. Peer addresses are kept for rate limiting.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    cfg: Arc<WebConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app, &cfg);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
