//! gongkai-web: HTTP for gongkai. The public portal and the staff console are server-rendered HTML (askama);
//! the JSON API lives under `/api/v1`. Only this crate knows HTTP; every rule and permission is the app's.
//!
//! Layout: `state` (what handlers share), `page` (response helpers, the one `?notice=` mechanism, throttles),
//! `console_page` (the console extractors), `error` (the one mapping of errors to responses), `trace` (request
//! spans), `metrics` (`/metrics`), `api_schema` + `api_doc` (the API's OpenAPI description and its page), and one
//! folder per feature: `portal/`, `applications/`, `interaction/`, `console/`. Every route is in the table below.

mod api_doc;
mod api_schema;
mod applications;
mod assets;
mod auth;
mod console;
mod console_page;
mod csrf;
mod error;
mod evaluation;
mod health;
mod interaction;
mod layout;
mod listen;
mod lockout;
mod metrics;
mod page;
mod page_cache;
mod portal;
mod state;
mod supervision;
mod trace;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use gongkai_app::App;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

pub use error::WebError;
pub use state::WebConfig;
use state::WebState;

/// The whole HTTP application: every route, then the layers every request passes (outermost last).
pub fn router(app: App, cfg: &WebConfig) -> Router {
    build(app, cfg).0
}

/// The router, with the page cache and the metrics it uses (for [`serve`]'s path before routing).
fn build(app: App, cfg: &WebConfig) -> (Router, Arc<page_cache::PageCache>, Arc<metrics::Metrics>) {
    let public_posts = page::throttle(
        applications::public_posts().merge(interaction::public_posts()),
        cfg.public_post_burst,
        cfg.public_post_replenish_secs,
        "提交过于频繁",
        "您提交得太频繁了，请稍候一分钟再试。",
    );
    let login = page::throttle(
        console::login(),
        cfg.login_burst,
        cfg.login_replenish_secs,
        "尝试过于频繁",
        "登录尝试次数过多，请稍候一分钟再试。",
    );
    // The lookups by tracking code and password are GETs, each an argon2 check: throttled like the posts.
    let lookups = page::throttle_methods(
        applications::api().merge(interaction::lookups()),
        vec![axum::http::Method::GET],
        cfg.public_post_burst,
        cfg.public_post_replenish_secs,
        "查询过于频繁",
        "您查询得太频繁了，请稍候一分钟再试。",
    );
    let requests = Arc::new(metrics::Metrics::default());
    let state = WebState {
        app: app.clone(),
        secure_cookies: cfg.secure_cookies,
        lockout: Arc::new(lockout::Lockout::new(cfg.lockout_failures, cfg.lockout_secs)),
    };
    let pages = Arc::new(page_cache::PageCache::new(app.clone(), requests.page_renders.clone()));
    let routes = Router::new()
        .merge(portal::router().route_layer(axum::middleware::from_fn_with_state(pages.clone(), page_cache::serve)))
        .merge(public_posts)
        .merge(lookups)
        .merge(interaction::public())
        .merge(login)
        .merge(console::router())
        .merge(applications::console())
        .merge(interaction::console())
        .merge(supervision::public())
        .merge(supervision::console())
        .merge(evaluation::console())
        .merge(health::router())
        .merge(assets::router())
        .merge(api_doc::router())
        .merge(metrics::router(app.clone(), requests.clone(), cfg.metrics_token.clone()))
        .fallback(error::not_found);
    let sessions = SessionManagerLayer::new(app.session_store())
        .with_name("gongkai_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8)));
    let router = trace::traced(routes)
        .layer(axum::middleware::from_fn_with_state(state.app.clone(), page_cache::note_writes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::anonymous))
        .layer(sessions)
        .layer(header_layer(SECURITY_HEADERS[0].0.clone(), SECURITY_HEADERS[0].1))
        .layer(header_layer(SECURITY_HEADERS[1].0.clone(), SECURITY_HEADERS[1].1))
        .layer(header_layer(SECURITY_HEADERS[2].0.clone(), SECURITY_HEADERS[2].1))
        .layer(header_layer(SECURITY_HEADERS[3].0.clone(), SECURITY_HEADERS[3].1))
        .layer(header_layer(SECURITY_HEADERS[4].0.clone(), SECURITY_HEADERS[4].1))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panic_response))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(8 * 1024 * 1024))
        // So that rejections of every layer above (body limit included) are in Chinese too.
        .layer(axum::middleware::from_fn(error::localize_rejections))
        .layer(axum::middleware::from_fn(trace::remember_span))
        // One span per request, whatever answers it.
        .layer(trace::layer())
        // Portal pages already rendered are answered here, before the layers above (see `page_cache::fast`).
        .layer(axum::middleware::from_fn_with_state(pages.clone(), page_cache::fast))
        // Outermost: every request counted, by matched route and status.
        .layer(axum::middleware::from_fn_with_state(requests.clone(), metrics::track))
        .with_state(state);
    (router, pages, requests)
}

/// The headers every response carries (unless it set its own): set by layers, and by the page cache's fast path.
pub(crate) const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
];

/// A response header set on every response that has not set it itself.
fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves until `shutdown` resolves (or the returned future is dropped). Peer addresses are kept for rate
/// limiting.
///
/// Connections are served by one thread per core, each with its own single-threaded runtime, all accepting from
/// the one listening socket (as nginx's workers do): a connection stays on the thread that accepted it, so a
/// portal page from the page cache is answered without a wake-up of another thread. Every other request is
/// handed to the caller's runtime (`tokio::spawn` there), where the application, its database pools and its
/// background tasks live, exactly as before; its answer comes back to the connection's thread. A request whose
/// client goes away still runs to its end there (an accepted submission is never cut off half way).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    cfg: Arc<WebConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (router, pages, metrics) = build(app, &cfg);
    let runtime = tokio::runtime::Handle::current();
    let listener = listener.into_std()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Dropped (shutdown, or this future dropped): every connection thread stops accepting and finishes.
    let (stop, stopped) = tokio::sync::watch::channel(());
    let open = listen::counters(threads);
    let mut joins = Vec::with_capacity(threads);
    for i in 0..threads {
        let open = open.clone();
        let listener = listener.try_clone()?;
        let (router, pages, metrics, runtime) = (router.clone(), pages.clone(), metrics.clone(), runtime.clone());
        let mut stopped = stopped.clone();
        let join = std::thread::Builder::new().name(format!("gongkai-http-{i}")).spawn(move || {
            let local = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            local.block_on(async move {
                use axum::ServiceExt as _;
                use axum::serve::ListenerExt as _;
                let listener = listen::Balanced::new(tokio::net::TcpListener::from_std(listener)?, i, open)
                    // (`tap_io` only for the peer address: axum gives `ConnectInfo` to its own listener types.)
                    .tap_io(|_| {});
                let service = connection_service(router, pages, metrics, runtime);
                axum::serve(listener, service.into_make_service_with_connect_info::<SocketAddr>())
                    .with_graceful_shutdown(async move { while stopped.changed().await.is_ok() {} })
                    .await
            })
        })?;
        joins.push(join);
    }
    drop(stopped);
    shutdown.await;
    drop(stop);
    // The threads finish their requests in flight (answered from this runtime, which must keep running).
    let mut result = Ok(());
    for join in joins {
        let finished = tokio::task::spawn_blocking(move || join.join()).await;
        match finished {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => result = Err(e),
            Ok(Err(_)) | Err(_) => result = Err(std::io::Error::other("a connection thread panicked")),
        }
    }
    result
}

/// What a connection thread calls per request: a portal page in the page cache is answered at once (counted in
/// the metrics all the same); everything else goes through the router on `runtime`.
fn connection_service(
    router: Router,
    pages: Arc<page_cache::PageCache>,
    metrics: Arc<metrics::Metrics>,
    runtime: tokio::runtime::Handle,
) -> impl tower::Service<
    axum::extract::Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl std::future::Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone
+ Send
+ 'static {
    use tower::ServiceExt as _;
    tower::service_fn(move |req: axum::extract::Request| {
        let started = std::time::Instant::now();
        let hit = pages.answer_hit(&req);
        if let Some(r) = &hit {
            metrics.record(req.method(), r, started);
        }
        let routed = hit.is_none().then(|| runtime.spawn(router.clone().oneshot(req)));
        async move {
            match (hit, routed) {
                (Some(r), _) => Ok(r),
                (None, Some(task)) => Ok(match task.await {
                    Ok(Ok(r)) => r,
                    Ok(Err(never)) => match never {},
                    // The application's runtime is shutting down (the router itself catches panics).
                    Err(_) => error::unavailable(),
                }),
                (None, None) => Ok(error::unavailable()),
            }
        }
    })
}
