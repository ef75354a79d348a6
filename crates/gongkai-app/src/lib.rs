//! gongkai-app: the use cases of the platform. Services combine the store (and later search, report, mail);
//! every permission check lives here, so handlers only translate HTTP to these calls.

mod access;
mod agencies;
pub mod applications;
pub mod auditor;
mod auth;
pub mod backup;
pub mod calendar;
pub mod catalog;
pub mod demo;
mod demo_cases;
mod demo_content;
mod demo_reports;
mod error;
pub mod evaluation;
pub mod files;
pub mod guide;
pub mod interaction;
pub mod jobs;
pub mod letters;
pub mod monitor;
pub mod ops;
mod pdf_upload;
pub mod progress;
pub mod reports;
pub mod staff;
pub mod supervision;
mod users;

pub use access::{Caller, Principal};
pub use agencies::AgencyForm;
pub use auth::{MIN_PASSWORD_CHARS, hmac_sha256, same_bytes};
pub use calendar::{ImportSummary, YearChange, beijing_today, calendar_warning_for};
pub use catalog::EntryForm;
pub use error::AppError;
pub use gongkai_store::calendar::{CalendarSource, StoredYear};
pub use gongkai_store::{Actor, Db};
pub use users::{StaffEntry, UserForm};

/// The stored rows the web crate shows, re-exported so that it needs no dependency on the store.
pub mod model {
    pub use gongkai_store::agencies::Agency;
    pub use gongkai_store::bulletins::{Bulletin as MonitorBulletin, Rectification};
    pub use gongkai_store::catalog::{Column, Entry};
    pub use gongkai_store::evaluation::Scheme as EvaluationScheme;
    pub use gongkai_store::guide::Unit;
    pub use gongkai_store::new_media::{
        Account as MediaAccount, Check as MediaCheck, Details as MediaDetails, Event as MediaEvent,
    };
    pub use gongkai_store::reports::ReportStatus;
    /// Sessions of the console and the public forms, kept in the database (shared by every node).
    pub use gongkai_store::sessions::DbSessionStore as SessionStore;
    /// The session key of the signed-in user's id.
    pub use gongkai_store::sessions::USER_KEY as SESSION_USER_KEY;
    pub use gongkai_store::{AuditEvent, Backend};
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Settings the services need (the binary fills them from configuration).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Platform title shown on every page.
    pub site_name: String,
    /// How 索引号 are made (default `{org_code}/{year}-{seq:05}`).
    pub index_template: gongkai_domain::catalog::IndexTemplate,
    /// Pre-publication checks: sensitive words and known serious misstatements.
    pub lint: gongkai_domain::catalog::LintRules,
    /// Review levels before publication (*configurable* 三审: 3); each level by a different reviewer than the
    /// level before.
    pub review_levels: u8,
    /// Publication deadlines of the annual report (default: the law's 31 January / 31 March).
    pub report_deadlines: reports::ReportDeadlines,
    /// The platform's public address (`[site] base_url`, e.g. `https://gk.example.cn`, no trailing slash) for the
    /// sitemap, feeds and letters; `None`: the sitemap uses the request's `Host`, feeds link by path, letters
    /// leave `{查询网址}` empty.
    pub base_url: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            site_name: "政府信息公开平台".into(),
            index_template: Default::default(),
            lint: Default::default(),
            review_levels: 1,
            report_deadlines: Default::default(),
            base_url: None,
        }
    }
}

/// The application: cheap to clone, shared by every request and job.
#[derive(Clone, Debug)]
pub struct App {
    /// The database; only the app's use cases reach it (the web crate goes through the methods below).
    pub(crate) db: Db,
    pub config: std::sync::Arc<AppConfig>,
    /// A fixed "today" for tests and demos (see [`App::set_today`]); `None` means the Beijing date of the clock.
    today_override: std::sync::Arc<std::sync::Mutex<Option<time::Date>>>,
    /// The full-text index of published entries; `None` runs without search (set by the binary).
    pub search: Option<std::sync::Arc<gongkai_search::SearchIndex>>,
    /// Where attachments are kept (`<data-dir>/files`); `None` refuses uploads.
    pub files: Option<files::FileStore>,
    /// One change-feed sync of the search index at a time on this node (the follower, `reindex`, tests).
    search_sync: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The CSRF cookie key, read from the database once ([`App::csrf_secret`]).
    csrf_secret: std::sync::Arc<tokio::sync::OnceCell<String>>,
    /// The key of the 查询密码 hashes, read from the database once ([`App::query_password_key`]).
    query_key: std::sync::Arc<tokio::sync::OnceCell<String>>,
    /// This node's content generation ([`App::content_generation`]).
    content_generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl App {
    pub fn new(db: Db, config: AppConfig) -> Self {
        Self {
            db,
            config: std::sync::Arc::new(config),
            today_override: Default::default(),
            search: None,
            files: None,
            search_sync: Default::default(),
            csrf_secret: Default::default(),
            query_key: Default::default(),
            content_generation: Default::default(),
        }
    }

    /// Today's date in Beijing (UTC+8, no daylight saving): the day statutory periods are counted on.
    pub fn today(&self) -> time::Date {
        if let Some(d) = *self.today_override.lock().unwrap_or_else(|e| e.into_inner()) {
            return d;
        }
        let beijing = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
        time::OffsetDateTime::now_utc().to_offset(beijing).date()
    }

    /// Fixes "today" for every clone of this app (tests walk a case through months; demos show a fixed day).
    pub fn set_today(&self, day: Option<time::Date>) {
        *self.today_override.lock().unwrap_or_else(|e| e.into_inner()) = day;
    }

    /// Whether the database answers (the health check of `/healthz`).
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    /// Whether this node is ready for traffic: the database takes a write (`/readyz`; `/healthz` only reads).
    pub async fn ready(&self) -> bool {
        match self.db.write_check().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "readiness: the database refused a write");
                false
            }
        }
    }

    /// Which database this node runs on.
    pub fn backend(&self) -> model::Backend {
        self.db.backend()
    }

    /// The session store of the web layer, on this app's database.
    pub fn session_store(&self) -> model::SessionStore {
        model::SessionStore::new(self.db.clone())
    }

    /// The same app with a file store for attachments.
    /// `path` (starting with `/`) as an absolute URL on the configured `base_url`, if there is one.
    pub fn absolute_url(&self, path: &str) -> Option<String> {
        self.config.base_url.as_ref().map(|b| format!("{b}{path}"))
    }

    pub fn with_files(mut self, store: files::FileStore) -> Self {
        self.files = Some(store);
        self
    }

    /// The same app with a search index (the binary opens it in `<data-dir>/search`; tests use one in memory).
    pub fn with_search(mut self, index: gongkai_search::SearchIndex) -> Self {
        self.search = Some(std::sync::Arc::new(index));
        self
    }
}

/// A random string of `len` URL-safe characters (passwords shown once, tokens).
pub fn random_token(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// `N` random bytes (tracking codes, query codes, query passwords).
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::Rng;
    let mut b = [0u8; N];
    rand::rng().fill(&mut b[..]);
    b
}
