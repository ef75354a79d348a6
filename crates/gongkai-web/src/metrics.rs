//! `GET /metrics`: Prometheus text. Requests by matched route (the template, `/{agency}/apply`, never the raw
//! path) and status with a latency histogram, counted by an outer layer; read at each scrape from the
//! application: jobs per status, the search index's backlog, open and overdue applications per agency.
//!
//! Access: a public government site must not show its internals. With `[metrics] token` set, only a request with
//! `Authorization: Bearer <token>` sees them (from anywhere); without one, only a direct request from the
//! machine itself (loopback, with no proxy header such as `X-Forwarded-For`, since a local reverse proxy would
//! otherwise make every visitor look local). Anyone else gets the ordinary 404.

use crate::error;
use crate::trace::RouteLabel;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_app::App;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The counters kept in memory by this process (since it started).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    /// Portal pages rendered by the page cache (each miss, expiry or invalidation that rendered).
    pub page_renders: Counter,
}

fn latency_histogram() -> Histogram {
    // 5 ms … about 10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        registry.register("gongkai_http_requests", "HTTP requests by matched route and status", requests.clone());
        registry.register(
            "gongkai_http_request_duration_seconds",
            "Time to answer an HTTP request, by matched route",
            latency.clone(),
        );
        let page_renders = Counter::default();
        registry.register(
            "gongkai_page_renders",
            "Portal pages rendered for the page cache: misses, expired and invalidated copies (a burst renders once)",
            page_renders.clone(),
        );
        Self { registry, requests, latency, page_renders }
    }
}

/// The route label of a request that no route matched (the fallback's 404, say).
pub const UNMATCHED: &str = "unmatched";

/// Counts every request and its latency; the outermost layer, so refusals of every other layer count too.
pub async fn track(State(m): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let resp = next.run(req).await;
    m.record(&method, &resp, started);
    resp
}

impl Metrics {
    /// Counts one answer (by method, the route it carries in [`RouteLabel`], status) and its latency.
    pub fn record(&self, method: &axum::http::Method, resp: &Response, started: Instant) {
        let route = resp.extensions().get::<RouteLabel>().map(|r| r.0.clone()).unwrap_or_else(|| UNMATCHED.into());
        let method = method.as_str().to_owned();
        let status = resp.status().as_u16();
        self.requests.get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status }).inc();
        self.latency.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
    }
}

/// Whether this request may read the metrics (see the module's description).
fn allowed(token: Option<&str>, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    match token {
        Some(t) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            given.len() == t.len() && given.bytes().zip(t.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
        }
        None => {
            let proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
            peer.is_some_and(|p| p.ip().is_loopback()) && !proxied
        }
    }
}

fn gauge(registry: &mut Registry, name: &str, help: &str, value: i64) {
    let g = Gauge::<i64>::default();
    g.set(value);
    registry.register(name, help, g);
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AgencyLabel {
    agency: String,
}

/// What the scrape handler needs.
#[derive(Clone)]
struct Scrape {
    app: App,
    metrics: Arc<Metrics>,
    token: Option<Arc<str>>,
}

/// `GET /metrics`, reading `metrics` (the one [`track`] counts into) and the application's figures.
pub fn router<S: Clone + Send + Sync + 'static>(app: App, metrics: Arc<Metrics>, token: Option<String>) -> Router<S> {
    let state = Scrape { app, metrics, token: token.filter(|t| !t.is_empty()).map(Arc::from) };
    Router::new().route("/metrics", get(scrape).with_state(state))
}

/// The figures read from the database at this scrape.
async fn current(s: &Scrape) -> Result<Registry, gongkai_app::AppError> {
    let f = s.app.ops_figures().await?;
    let mut r = Registry::default();
    let jobs = Family::<StatusLabel, Gauge>::default();
    // Every status, zeros included, so that a series does not vanish when its last job moves on.
    for status in ["queued", "running", "done", "failed"] {
        jobs.get_or_create(&StatusLabel { status: status.into() }).set(0);
    }
    for (status, n) in &f.jobs {
        jobs.get_or_create(&StatusLabel { status: status.clone() }).set(*n);
    }
    r.register("gongkai_jobs", "Jobs in the queue by status (queued, running, done, failed)", jobs);
    gauge(
        &mut r,
        "gongkai_search_index_lag_changes",
        "Changes of the search change feed this node's index has not applied yet",
        f.index_pending,
    );
    gauge(
        &mut r,
        "gongkai_search_index_lag_seconds",
        "Age of the oldest change this node's index has not applied (0 when none)",
        f.index_oldest_secs,
    );
    let open = Family::<AgencyLabel, Gauge>::default();
    let overdue = Family::<AgencyLabel, Gauge>::default();
    for c in &f.cases {
        let label = AgencyLabel { agency: c.agency.clone() };
        open.get_or_create(&label).set(i64::try_from(c.open).unwrap_or(i64::MAX));
        overdue.get_or_create(&label).set(i64::try_from(c.overdue).unwrap_or(i64::MAX));
    }
    r.register("gongkai_applications_open", "Applications not yet closed, per agency", open);
    r.register("gongkai_applications_overdue", "Open applications past their deadline today, per agency", overdue);
    Ok(r)
}

/// `GET /metrics`.
async fn scrape(State(s): State<Scrape>, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|p| p.0);
    if !allowed(s.token.as_deref(), peer, req.headers()) {
        return error::not_found().await;
    }
    let mut out = String::new();
    let encoded = match current(&s).await {
        Ok(now) => encode_registry(&mut out, &s.metrics.registry)
            .and_then(|()| encode_registry(&mut out, &now))
            .and_then(|()| encode_eof(&mut out)),
        Err(e) => {
            tracing::error!(error = ?e, "metrics unavailable");
            return (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n").into_response();
        }
    };
    if encoded.is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "metrics could not be encoded\n").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40000))
    }

    #[test]
    fn only_the_machine_itself_or_the_token_holder_reads_the_metrics() {
        let none = HeaderMap::new();
        assert!(allowed(None, peer("127.0.0.1"), &none));
        assert!(allowed(None, peer("::1"), &none));
        assert!(!allowed(None, peer("203.0.113.9"), &none));
        assert!(!allowed(None, None, &none));
        // A local reverse proxy passing a visitor on.
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert!(!allowed(None, peer("127.0.0.1"), &proxied));
        // With a token: the token decides, wherever the request comes from.
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, "Bearer s3cret-token".parse().unwrap());
        assert!(allowed(Some("s3cret-token"), peer("203.0.113.9"), &bearer));
        assert!(!allowed(Some("s3cret-token"), peer("127.0.0.1"), &none));
        assert!(!allowed(Some("other-token!"), peer("127.0.0.1"), &bearer));
    }
}
