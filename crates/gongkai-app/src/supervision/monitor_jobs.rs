//! The jobs of website self-monitoring (docs/law/supervision.md §2.6.1, §2.8.12): a daily job records every
//! agency's check result of the day (idempotent: a second run replaces the day's row), and the probe job opens
//! each configured URL with a 15-second timeout, one probe per URL per run, run hourly (24 a day, §2.2.1 asks for
//! at least 20). The dashboard reads since when an agency fails an indicator from the daily results.

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::monitor::Kind;
use gongkai_domain::monitor::rounds::{PROBE_TIMEOUT_SECS, failing_since};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::monitor::{self as store, DailyResult, ProbeRow};
use gongkai_store::{NewAuditEvent, audit};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Date, Duration};

/// Records each agency's check result of the day (payload `{"day": "YYYY-MM-DD"}`, default today).
pub const DAILY_CHECK: &str = "monitor.daily";
/// Probes every configured URL once.
pub const PROBE: &str = "monitor.probe";

/// URLs an agency may have probed.
const MAX_PROBE_URLS: usize = 10;
/// Days of daily results the dashboard reads for "since when".
const HISTORY_DAYS: i64 = 366;

/// The indicator codes that failed (veto or deduction) in a stored day.
fn failing_codes(r: &DailyResult) -> Vec<String> {
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.findings).unwrap_or_default();
    v.iter()
        .filter(|f| f.get("kind").and_then(|k| k.as_str()) != Some(Kind::Warn.as_str()))
        .filter_map(|f| f.get("indicator").and_then(|i| i.as_str()).map(str::to_owned))
        .collect()
}

/// The HTTP client of the probe job: HTTP/1 over rustls (ring, the webpki roots); redirects are not followed
/// (a redirect is an answer: the site is open).
type ProbeClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Empty<bytes::Bytes>,
>;

fn probe_client() -> Result<ProbeClient> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| AppError::Internal(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let https = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls).https_or_http().enable_http1().build();
    Ok(hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https))
}

/// Opens `url` once: whether it answered with a success or redirect status within the timeout, and how long it
/// took (none when it did not answer).
async fn probe(client: &ProbeClient, url: &str) -> (bool, Option<i64>) {
    let started = std::time::Instant::now();
    let Ok(req) = hyper::Request::get(url)
        .header("user-agent", "gongkai-monitor/1")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
    else {
        return (false, None);
    };
    let timeout = std::time::Duration::from_secs(PROBE_TIMEOUT_SECS);
    match tokio::time::timeout(timeout, client.request(req)).await {
        Ok(Ok(resp)) => {
            let s = resp.status();
            (s.is_success() || s.is_redirection(), Some(started.elapsed().as_millis() as i64))
        }
        _ => (false, None),
    }
}

/// Whether a line is a URL the probe job can open: `http://` or `https://` with a host.
fn probe_url_ok(line: &str) -> bool {
    (line.starts_with("http://") || line.starts_with("https://"))
        && line.len() <= 500
        && line.parse::<hyper::Uri>().is_ok_and(|u| u.host().is_some_and(|h| !h.is_empty()))
}

impl App {
    /// Records the check result of `day` for every agency; returns how many were recorded.
    pub async fn record_daily_checks(&self, day: Date) -> Result<usize> {
        let all = agencies::list_all(&self.db).await?;
        for a in &all {
            let c = self.site_check(Caller::System("job"), a, day).await?;
            let findings: Vec<serde_json::Value> = c
                .findings
                .iter()
                .map(|f| {
                    json!({"indicator": f.indicator.as_str(), "kind": f.kind.as_str(), "points": f.points,
                        "message": f.message})
                })
                .collect();
            let findings = serde_json::Value::Array(findings).to_string();
            let score = c.score.map(|s| s as i32);
            let mut tx = self.db.begin().await?;
            store::save_daily(&mut tx, a.id, day, c.verdict.as_str(), score, &findings).await?;
            tx.commit().await?;
        }
        Ok(all.len())
    }

    /// The agency's daily results of the year up to `day`, oldest first (any staff of it, or a supervisor).
    pub async fn daily_results(&self, by: Caller<'_>, a: &Agency, day: Date) -> Result<Vec<DailyResult>> {
        by.require(a.id, &Role::ALL)?;
        Ok(store::daily_results(&self.db, a.id, day.saturating_sub(Duration::days(HISTORY_DAYS)), day).await?)
    }

    /// Since when the agency fails each indicator it failed on the last recorded day up to `day` (indicator code →
    /// first day of the unbroken run), from the daily results.
    pub async fn failing_since(&self, by: Caller<'_>, a: &Agency, day: Date) -> Result<BTreeMap<String, Date>> {
        let days: Vec<(Date, Vec<String>)> =
            self.daily_results(by, a, day).await?.iter().map(|r| (r.day, failing_codes(r))).collect();
        Ok(failing_since(&days).into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// The URLs probed for the agency (any staff of it).
    pub async fn probe_urls(&self, by: Caller<'_>, a: &Agency) -> Result<Vec<String>> {
        by.require(a.id, &Role::ALL)?;
        Ok(store::probe_urls(&self.db, a.id).await?)
    }

    /// The agency's administrator sets the URLs to probe, one a line (`http://` or `https://`, at most 10; none
    /// stops probing). Audited.
    pub async fn set_probe_urls(&self, by: &Principal, a: &Agency, lines: &str) -> Result<Vec<String>> {
        by.require(a.id, &[Role::Admin])?;
        let mut urls: Vec<String> = Vec::new();
        for (i, line) in lines.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
            if !probe_url_ok(line) {
                return Err(AppError::Invalid {
                    field: Some("urls"),
                    message: format!("第{}行“{line}”不是有效的网址（须以http://或https://开头）", i + 1),
                });
            }
            if !urls.iter().any(|u| u == line) {
                urls.push(line.to_owned());
            }
        }
        if urls.len() > MAX_PROBE_URLS {
            return Err(AppError::Invalid {
                field: Some("urls"),
                message: format!("探测地址不能超过{MAX_PROBE_URLS}个"),
            });
        }
        let mut tx = self.db.begin().await?;
        store::set_probe_urls(&mut tx, a.id, &urls).await?;
        let e = NewAuditEvent {
            actor: &by.actor(),
            agency_id: Some(a.id),
            action: AuditAction::MonitorProbeUrls,
            object_type: "agency",
            object_id: a.id.to_string(),
            details: json!({"urls": urls}),
        };
        audit::record(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(urls)
    }

    /// Probes every configured URL once, all at the same time, and stores each result: ok when the site answered
    /// with a success or redirect status within 15 seconds. Returns how many probes were stored.
    pub async fn run_probes(&self) -> Result<usize> {
        let urls = store::all_probe_urls(&self.db).await?;
        if urls.is_empty() {
            return Ok(0);
        }
        let client = probe_client()?;
        let mut set = tokio::task::JoinSet::new();
        for (agency_id, url) in urls {
            let client = client.clone();
            set.spawn(async move {
                let probed_at = gongkai_store::now();
                let (ok, ms) = probe(&client, &url).await;
                (agency_id, ProbeRow { url, probed_at, ms, ok })
            });
        }
        let mut n = 0;
        while let Some(done) = set.join_next().await {
            let (agency_id, row) = done.map_err(|e| AppError::Internal(e.to_string()))?;
            let mut tx = self.db.begin().await?;
            store::record_probe(&mut tx, agency_id, &row).await?;
            tx.commit().await?;
            n += 1;
        }
        Ok(n)
    }
}
