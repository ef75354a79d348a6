//! The rendered-page cache of the public portal (issue 14, P1).
//!
//! Portal pages change only when something is published, edited or withdrawn, and never show anything
//! session-specific (see `portal`). So a page is rendered once and its bytes (and a gzip copy) are served again
//! until one of these happens:
//! - the node's **content generation** moves ([`gongkai_app::App::content_generation`]): after every staff write
//!   through this node ([`note_writes`], after the response, so after the commit) and whenever the search index
//!   applies a change of the feed written by any node (the follower polls it every second);
//! - the entry is older than [`MAX_AGE`]: a backstop for what the feed does not carry (a column renamed on
//!   another node, a command-line import), so no page is ever more than a few seconds behind the database.
//!
//! An entry is stored under the generation read *before* rendering, so a page rendered from data read before a
//! change can never be kept as current after it. Every cached answer has a strong `ETag`; `If-None-Match`
//! answers 304. Clients that accept gzip get the pre-compressed copy (`Vary: Accept-Encoding`). Browsers and
//! proxies must revalidate (`Cache-Control: public, no-cache`), which costs them a 304.
//!
//! Only `GET` answers 200 with a known length up to [`MAX_BODY`], of a text or XML type, without `Set-Cookie`,
//! are kept; attachments (`…/files/…`) stream from the file store and are not. The cache holds at most
//! [`MAX_ENTRIES`] pages and is emptied when full (searches with ever new words must not grow it without bound).
//! It is per node, in memory.
//!
//! Renders of a page the cache has held are single-flight: requests that find its copy unusable take the page's
//! render lock one after the other, and each first looks again whether the one before it left a fresh copy. So a
//! burst that meets an expired or invalidated page renders it once, not once per connection (which, with 64
//! connections and a page of several queries, had put the agency home's p99 at 67 ms). A key never kept (an
//! unknown path, a page not keepable) is not locked: such requests render side by side as before.

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use gongkai_app::App;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page may be served without rendering it again, whatever the generation says.
pub const MAX_AGE: Duration = Duration::from_secs(3);
/// After [`MAX_AGE`], while one request renders the page again, the others are still answered from the old copy
/// for at most this long (no herd of renders every few seconds under load); then they wait for that render.
pub const REFRESH_GRACE: Duration = Duration::from_secs(2);
/// Pages kept at most (then the cache is emptied).
pub const MAX_ENTRIES: usize = 4096;
/// Larger answers are not kept.
pub const MAX_BODY: u64 = 2 * 1024 * 1024;
/// Bodies shorter than this are not compressed.
const MIN_GZIP: usize = 512;

/// The headers of the rendered answer that a cached answer repeats.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::CACHE_CONTROL, header::CONTENT_LANGUAGE];

struct Page {
    generation: u64,
    at: Instant,
    /// The matched route (for the metrics of answers from [`fast`]).
    route: Option<String>,
    /// Whether a request has taken on rendering the page again after [`MAX_AGE`].
    refreshing: std::sync::atomic::AtomicBool,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The body's validator, as compared with `If-None-Match` and as sent (made once, not per answer).
    etag: String,
    etag_value: HeaderValue,
    body: Bytes,
    /// The headers of a 200 with `body` (made once: a hit clones them).
    sent: HeaderMap,
    /// The gzip copy, its own validator (other bytes, so another tag) and the headers of a 200 with it.
    gzip: Option<Gzip>,
}

struct Gzip {
    body: Bytes,
    etag: String,
    etag_value: HeaderValue,
    sent: HeaderMap,
}

/// The pages of this node, by path and query, and the app whose content generation they follow.
pub struct PageCache {
    app: App,
    pages: Mutex<HashMap<String, Arc<Page>>>,
    /// One render at a time per page the cache has held (see the module documentation).
    renders: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Counts the renders (`gongkai_page_renders` in the metrics).
    rendered: prometheus_client::metrics::counter::Counter,
}

impl Page {
    /// Whether this copy may answer now: rendered under the current generation, and young enough — or a little
    /// older while another request renders it again (the first request to find it old does that).
    fn usable(&self, generation: u64) -> bool {
        if self.generation != generation {
            return false;
        }
        let age = self.at.elapsed();
        age < MAX_AGE
            || (age < MAX_AGE + REFRESH_GRACE && self.refreshing.swap(true, std::sync::atomic::Ordering::AcqRel))
    }
}

impl PageCache {
    /// The cache of `app`'s pages, counting its renders in `rendered`.
    pub fn new(app: App, rendered: prometheus_client::metrics::counter::Counter) -> Self {
        Self { app, pages: Mutex::default(), renders: Mutex::default(), rendered }
    }

    /// The render lock of a page the cache holds (`None` for one it does not: nothing to wait for).
    fn render_lock(&self, key: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        self.get(key)?;
        let mut renders = self.renders.lock().ok()?;
        if renders.len() >= MAX_ENTRIES && !renders.contains_key(key) {
            renders.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Some(renders.entry(key.to_owned()).or_default().clone())
    }

    /// The copy of `key` if it is strictly fresh: rendered under `generation` and younger than [`MAX_AGE`].
    fn fresh(&self, key: &str, generation: u64) -> Option<Arc<Page>> {
        self.get(key).filter(|page| page.generation == generation && page.at.elapsed() < MAX_AGE)
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.pages.lock().ok()?.get(key).cloned()
    }

    fn remove(&self, key: &str) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.remove(key);
        }
    }

    fn put(&self, key: String, page: Arc<Page>) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_ENTRIES && !pages.contains_key(&key) {
                pages.clear();
            }
            pages.insert(key, page);
        }
    }
}

/// Serves portal pages from the cache, rendering (and keeping) them when missing or stale.
pub async fn serve(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || req.uri().path().contains("/files/") {
        return next.run(req).await;
    }
    let key = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let gzip_ok = accepts_gzip(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    // Strictly fresh here: a request that reached this point after the fast path found the copy old is the one
    // that renders it again.
    if let Some(page) = cache.fresh(&key, cache.app.content_generation()) {
        return answer(&page, gzip_ok, if_none_match.as_deref());
    }
    // One render at a time: whoever waited here answers from the copy the render before it left, if fresh.
    let lock = cache.render_lock(&key);
    let _render = match &lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    let generation = cache.app.content_generation();
    if lock.is_some()
        && let Some(page) = cache.fresh(&key, generation)
    {
        return answer(&page, gzip_ok, if_none_match.as_deref());
    }
    let route = req.extensions().get::<axum::extract::MatchedPath>().map(|m| m.as_str().to_owned());
    let at = Instant::now();
    cache.rendered.inc();
    let response = next.run(req).await;
    if !keepable(&response) {
        // Gone, moved or failing now: an older copy must not answer for it any more.
        cache.remove(&key);
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY as usize).await {
        Ok(b) => b,
        // The length was checked against the limit, so this is a body that failed while being read.
        Err(e) => {
            tracing::warn!(error = %e, "page cache: the rendered body could not be read");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let etag = etag_of(&body);
    let headers: Vec<(HeaderName, HeaderValue)> =
        KEPT_HEADERS.iter().filter_map(|name| parts.headers.get(name).map(|v| (name.clone(), v.clone()))).collect();
    let etag_value = header_value(&etag);
    let page = Arc::new(Page {
        generation,
        at,
        route,
        refreshing: Default::default(),
        sent: headers_of(&headers, &etag_value, false, false),
        gzip: gzip(&body).map(|body| {
            let etag = format!("{}-gzip\"", etag.trim_end_matches('"'));
            let etag_value = header_value(&etag);
            let sent = headers_of(&headers, &etag_value, true, false);
            Gzip { body, etag, etag_value, sent }
        }),
        headers,
        etag_value,
        etag,
        body,
    });
    cache.put(key, page.clone());
    answer(&page, gzip_ok, if_none_match.as_deref())
}

/// The fast path, outside every layer but the metrics: a GET whose page is in the cache and usable is answered
/// at once ([`PageCache::answer_hit`]); everything else goes through the whole stack (where [`serve`] renders
/// and keeps portal pages). Cached pages never depend on the session, the CSRF token or the body, so nothing
/// those layers do is skipped. The server ([`crate::serve`]) asks the cache even before routing; this layer
/// does the same for the router alone (tests, embedding).
pub async fn fast(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    match cache.answer_hit(&req) {
        Some(r) => r,
        None => next.run(req).await,
    }
}

impl PageCache {
    /// The answer to a GET whose page is in the cache and usable, with the headers the other layers would have
    /// added ([`crate::SECURITY_HEADERS`], which every cached answer carries) and its route for the metrics;
    /// `None` for everything else.
    pub fn answer_hit(&self, req: &Request) -> Option<Response> {
        if req.method() != Method::GET {
            return None;
        }
        let page = self.get(req.uri().path_and_query()?.as_str())?;
        if !page.usable(self.app.content_generation()) {
            return None;
        }
        let gzip_ok = accepts_gzip(req.headers());
        let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
        let mut r = answer(&page, gzip_ok, if_none_match);
        if let Some(route) = &page.route {
            r.extensions_mut().insert(crate::trace::RouteLabel(route.clone()));
        }
        Some(r)
    }
}

/// After a staff write through this node (any non-GET request to the console, answered), the pages cached
/// before it are stale.
pub async fn note_writes(State(app): State<App>, req: Request, next: Next) -> Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && req.uri().path().starts_with("/console/");
    let response = next.run(req).await;
    if write {
        app.content_changed();
    }
    response
}

fn keepable(r: &Response) -> bool {
    let text = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/") || t.contains("xml"));
    r.status() == StatusCode::OK
        && text
        && !r.headers().contains_key(header::SET_COOKIE)
        && !r.headers().contains_key(header::CONTENT_ENCODING)
        && r.body().size_hint().exact().is_some_and(|n| n <= MAX_BODY)
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused =
                parts.any(|p| matches!(p.trim().replace(' ', "").as_str(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        },
    )
}

/// A strong validator: the first 16 bytes of the body's SHA-256, in quotes.
fn etag_of(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    if body.len() < MIN_GZIP {
        return None;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::default());
    enc.write_all(body).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < body.len()).then(|| Bytes::from(out))
}

/// Whether an `If-None-Match` list names `etag` (or is `*`). Weak comparison, as RFC 9110 asks for it here.
fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// A validator as a header value (it is hex digits and quotes, so always valid).
fn header_value(etag: &str) -> HeaderValue {
    HeaderValue::from_str(etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

fn answer(page: &Page, gzip_ok: bool, if_none_match: Option<&str>) -> Response {
    let compressed = page.gzip.as_ref().filter(|_| gzip_ok);
    // The gzip copy is other bytes: its own validator.
    let (etag, etag_value) = match compressed {
        Some(z) => (&z.etag, &z.etag_value),
        None => (&page.etag, &page.etag_value),
    };
    if if_none_match.is_some_and(|inm| matches(inm, etag)) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        *r.headers_mut() = headers_of(&page.headers, etag_value, compressed.is_some(), true);
        return r;
    }
    let (body, sent) = match compressed {
        Some(z) => (z.body.clone(), &z.sent),
        None => (page.body.clone(), &page.sent),
    };
    let mut r = Response::new(Body::from(body));
    *r.headers_mut() = sent.clone();
    r
}

/// The headers of an answer from the cache: the kept headers of the render (without `Content-Type` on a 304),
/// the validator, `Vary`, `Content-Encoding` for the gzip copy, and the [`crate::SECURITY_HEADERS`] (which the
/// layers would add to a routed answer, and which a hit answered before routing must carry itself).
fn headers_of(kept: &[(HeaderName, HeaderValue)], etag: &HeaderValue, gzip: bool, not_modified: bool) -> HeaderMap {
    let mut h = HeaderMap::with_capacity(kept.len() + 4 + crate::SECURITY_HEADERS.len());
    for (name, value) in kept {
        if !(not_modified && *name == header::CONTENT_TYPE) {
            h.insert(name.clone(), value.clone());
        }
    }
    h.insert(header::ETAG, etag.clone());
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if gzip && !not_modified {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    for (name, value) in crate::SECURITY_HEADERS {
        h.insert(name, HeaderValue::from_static(value));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::{accepts_gzip, matches};
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(matches("\"abc\"", "\"abc\""));
        assert!(matches("\"x\", W/\"abc\"", "\"abc\""));
        assert!(matches("*", "\"abc\""));
        assert!(!matches("\"abd\"", "\"abc\""));
        assert!(!matches("", "\"abc\""));
    }

    #[test]
    fn gzip_only_when_accepted_with_a_non_zero_quality() {
        let of = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            accepts_gzip(&h)
        };
        assert!(of("gzip, deflate, br"));
        assert!(of("br;q=1.0, GZIP;q=0.5"));
        assert!(!of("gzip;q=0"));
        assert!(!of("br, deflate"));
        assert!(!of("x-gzip-not"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
