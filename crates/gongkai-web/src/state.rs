//! What every handler shares: the application and the web settings.

use gongkai_app::App;

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
    /// `GET /metrics` with `Authorization: Bearer <token>` from anywhere; without a token only from the machine
    /// itself (see `metrics`).
    pub metrics_token: Option<String>,
    /// Wrong query passwords (per client address, and per tracking code) before the lookups are locked.
    pub lockout_failures: u32,
    /// Seconds in which those failures count, and how long the lock lasts.
    pub lockout_secs: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            login_burst: 10,
            login_replenish_secs: 6,
            public_post_burst: 10,
            public_post_replenish_secs: 6,
            metrics_token: None,
            lockout_failures: 5,
            lockout_secs: 900,
        }
    }
}

/// The state of every handler (axum `State`).
#[derive(Clone)]
pub struct WebState {
    pub app: App,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// The lockout of query-password checks (in memory, per node).
    pub lockout: std::sync::Arc<crate::lockout::Lockout>,
}
