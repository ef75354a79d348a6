//! Request tracing: one span per request with method, matched route, agency and user (recorded by the console
//! extractors when they know them), status and latency; one log line per response, at `error` for a 5xx. Every
//! event logged while handling the request (an internal error, say) carries the span's fields.

use axum::Router;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tower_http::trace::TraceLayer;
use tracing::Span;
use tracing::field::Empty;

fn make_span<B>(req: &Request<B>) -> Span {
    tracing::info_span!(
        "request",
        method = %req.method(),
        route = Empty,
        agency = Empty,
        user = Empty,
        status = Empty,
        latency_ms = Empty,
    )
}

fn on_response(res: &Response, latency: Duration, span: &Span) {
    let status = res.status().as_u16();
    let latency_ms = latency.as_millis() as u64;
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    if res.status().is_server_error() {
        tracing::error!(status, latency_ms, "request failed");
    } else {
        tracing::info!(status, latency_ms, "request");
    }
}

/// The request's span, kept in the request's extensions: layers between it and the handler (sessions) open
/// spans of their own, so `Span::current()` in a handler is not the request span.
#[derive(Clone)]
pub struct RequestSpan(Span);

/// Puts the current span (the request span: this runs just inside the trace layer) into the extensions.
pub async fn remember_span(mut req: Request<Body>, next: Next) -> Response {
    req.extensions_mut().insert(RequestSpan(Span::current()));
    next.run(req).await
}

/// Records a field (`agency`, `user`) of the request's span, from an extractor.
pub fn record(extensions: &axum::http::Extensions, field: &'static str, value: impl std::fmt::Display) {
    if let Some(RequestSpan(span)) = extensions.get::<RequestSpan>() {
        span.record(field, tracing::field::display(value));
    }
}

/// The matched route of a request, put into its response's extensions for the layers outside routing (the
/// metrics).
#[derive(Clone, Debug)]
pub struct RouteLabel(pub String);

/// Records the matched route (`/console/{agency}/audit`, not the path) in the request's span and the response's
/// extensions. Applied to the routes with `Router::layer`, so it runs after routing; a request no route matched
/// has no `route` field.
async fn record_route(req: Request<Body>, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|r| r.as_str().to_owned());
    if let Some(route) = &route {
        record(req.extensions(), "route", route);
    }
    let mut resp = next.run(req).await;
    if let Some(route) = route {
        resp.extensions_mut().insert(RouteLabel(route));
    }
    resp
}

/// `routes` with every request traced: the span is opened outside every other layer (so a request refused by
/// the CSRF check or the body limit is logged too), the route recorded once routing has matched.
pub fn traced<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes.layer(axum::middleware::from_fn(record_route))
}

/// The trace layer as configured here: our span and response log, tower-http's own events off.
type Layer = TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request<Body>) -> Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    (),
>;

/// The span-per-request layer, for the outside of the stack.
pub fn layer() -> Layer {
    TraceLayer::new_for_http()
        .make_span_with(make_span as fn(&Request<Body>) -> Span)
        .on_request(())
        .on_response(on_response as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}
