//! The lockout of query-password checks (`/track`, `/track/letter`, the mailbox lookup and rating, and their
//! JSON API): after `failures` wrong passwords within `secs` seconds, the client address is locked for `secs`
//! seconds, and so is the tracking code whatever address asks next (a code guessed from many addresses). A
//! locked check answers 429 with `Retry-After` and says in Chinese how long to wait, before any password is
//! hashed. The state is in memory, per node (as the throttles of `tower_governor`).

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use gongkai_app::AppError;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept before the stale ones are dropped (bounds the memory an attacker can make us use).
const MAX_ENTRIES: usize = 100_000;

/// What a query password unlocks: codes of different kinds are counted apart.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Application,
    Mailbox,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Addr(IpAddr),
    Code(&'static str, String),
}

#[derive(Debug)]
struct Entry {
    failures: u32,
    since: Instant,
    locked_until: Option<Instant>,
}

/// Failure counts and locks per client address and per code.
#[derive(Debug)]
pub struct Lockout {
    failures: u32,
    window: Duration,
    entries: Mutex<HashMap<Key, Entry>>,
}

fn code_key(kind: Kind, code: &str) -> Key {
    let tag = match kind {
        Kind::Application => "application",
        Kind::Mailbox => "mailbox",
    };
    let code: String = code.trim().chars().filter(|c| !c.is_whitespace() && *c != '-').take(64).collect();
    Key::Code(tag, code.to_uppercase())
}

impl Lockout {
    pub fn new(failures: u32, secs: u64) -> Self {
        Self { failures: failures.max(1), window: Duration::from_secs(secs.max(1)), entries: Mutex::default() }
    }

    fn keys(addr: IpAddr, kind: Kind, code: &str) -> [Key; 2] {
        [Key::Addr(addr), code_key(kind, code)]
    }

    /// How long the address or the code stays locked, if either is.
    pub fn locked(&self, addr: IpAddr, kind: Kind, code: &str) -> Option<Duration> {
        self.locked_at(Instant::now(), addr, kind, code)
    }

    fn locked_at(&self, now: Instant, addr: IpAddr, kind: Kind, code: &str) -> Option<Duration> {
        let entries = self.entries.lock().ok()?;
        Self::keys(addr, kind, code)
            .iter()
            .filter_map(|k| entries.get(k)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Counts a wrong password for the address and the code; returns the lock if this failure starts one.
    pub fn failed(&self, addr: IpAddr, kind: Kind, code: &str) -> Option<Duration> {
        self.failed_at(Instant::now(), addr, kind, code)
    }

    fn failed_at(&self, now: Instant, addr: IpAddr, kind: Kind, code: &str) -> Option<Duration> {
        let mut entries = self.entries.lock().ok()?;
        if entries.len() >= MAX_ENTRIES {
            let window = self.window;
            entries.retain(|_, e| e.locked_until.is_some_and(|u| u > now) || now - e.since < window);
        }
        let mut lock = None;
        for key in Self::keys(addr, kind, code) {
            let e = entries.entry(key).or_insert(Entry { failures: 0, since: now, locked_until: None });
            if e.locked_until.is_some_and(|u| u <= now) || now - e.since >= self.window {
                *e = Entry { failures: 0, since: now, locked_until: None };
            }
            e.failures += 1;
            if e.failures >= self.failures && e.locked_until.is_none() {
                e.locked_until = Some(now + self.window);
                lock = Some(self.window);
            }
        }
        lock
    }

    /// A right password clears the code's count (not the address's: one right code among many guesses does not
    /// excuse the others).
    pub fn succeeded(&self, kind: Kind, code: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            let key = code_key(kind, code);
            if entries.get(&key).is_some_and(|e| e.locked_until.is_none()) {
                entries.remove(&key);
            }
        }
    }
}

/// Whether an answer of the app is a refused query password (unknown code or wrong password alike).
fn is_wrong_password<T>(r: &Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::Invalid { field: Some("password"), .. }))
}

/// Runs a query-password check under the lockout: `Err(wait)` without checking when the address or the code is
/// locked, or when this wrong password starts a lock; otherwise the app's answer, counted.
pub async fn guarded<T>(
    lockout: &Lockout,
    addr: IpAddr,
    kind: Kind,
    code: &str,
    check: impl Future<Output = Result<T, AppError>>,
) -> Result<Result<T, AppError>, Duration> {
    if let Some(d) = lockout.locked(addr, kind, code) {
        return Err(d);
    }
    let r = check.await;
    if is_wrong_password(&r) {
        if let Some(d) = lockout.failed(addr, kind, code) {
            tracing::info!(%addr, "query-password lookups locked");
            return Err(d);
        }
    } else if r.is_ok() {
        lockout.succeeded(kind, code);
    }
    Ok(r)
}

/// `3分钟` / `45秒`: how long to wait, rounded up.
pub fn wait_zh(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    if secs < 60 { format!("{}秒", secs.max(1)) } else { format!("{}分钟", secs.div_ceil(60)) }
}

/// The client's address (the peer of the connection; unspecified when the server runs without peer addresses).
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddr(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, Lockout, wait_zh};
    use std::net::IpAddr;
    use std::time::{Duration, Instant};

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_code_is_locked_after_failures_from_different_addresses() {
        let l = Lockout::new(3, 600);
        let t0 = Instant::now();
        assert_eq!(l.failed_at(t0, ip("10.0.0.1"), Kind::Application, "GK-ABC"), None);
        assert_eq!(l.failed_at(t0, ip("10.0.0.2"), Kind::Application, "gkabc"), None);
        assert_eq!(l.failed_at(t0, ip("10.0.0.3"), Kind::Application, "GKABC"), Some(Duration::from_secs(600)));
        // A fourth address is refused for that code, but not for another code or the mailbox's.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(l.locked_at(later, ip("10.0.0.4"), Kind::Application, "GKABC"), Some(Duration::from_secs(540)));
        assert_eq!(l.locked_at(later, ip("10.0.0.4"), Kind::Application, "GKXYZ"), None);
        assert_eq!(l.locked_at(later, ip("10.0.0.4"), Kind::Mailbox, "GKABC"), None);
        // After the lock, the code is free again.
        assert_eq!(l.locked_at(t0 + Duration::from_secs(601), ip("10.0.0.4"), Kind::Application, "GKABC"), None);
    }

    #[test]
    fn an_address_is_locked_after_failures_on_different_codes() {
        let l = Lockout::new(2, 300);
        let t0 = Instant::now();
        assert_eq!(l.failed_at(t0, ip("10.0.0.9"), Kind::Application, "A1"), None);
        assert!(l.failed_at(t0, ip("10.0.0.9"), Kind::Mailbox, "B2").is_some());
        assert!(l.locked_at(t0, ip("10.0.0.9"), Kind::Application, "C3").is_some());
        assert_eq!(l.locked_at(t0, ip("10.0.0.8"), Kind::Application, "C3"), None);
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten_and_success_clears_the_code() {
        let l = Lockout::new(2, 60);
        let t0 = Instant::now();
        l.failed_at(t0, ip("10.0.0.1"), Kind::Application, "A1");
        assert_eq!(l.failed_at(t0 + Duration::from_secs(61), ip("10.0.0.2"), Kind::Application, "A1"), None);
        l.succeeded(Kind::Application, "A1");
        assert_eq!(l.failed_at(t0 + Duration::from_secs(62), ip("10.0.0.3"), Kind::Application, "A1"), None);
    }

    #[test]
    fn waits_are_said_in_chinese_rounded_up() {
        assert_eq!(wait_zh(Duration::from_secs(45)), "45秒");
        assert_eq!(wait_zh(Duration::from_millis(59_500)), "1分钟");
        assert_eq!(wait_zh(Duration::from_secs(61)), "2分钟");
        assert_eq!(wait_zh(Duration::from_secs(900)), "15分钟");
    }
}
