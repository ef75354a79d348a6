//! gongkai-app: the use cases of the platform. Services combine the store (and later search, report, mail);
//! every permission check lives here, so handlers only translate HTTP to these calls.

mod access;
mod agencies;
pub mod applications;
pub mod auditor;
mod auth;
pub mod calendar;
pub mod demo;
mod error;
pub mod jobs;
mod users;

pub use access::Principal;
pub use agencies::AgencyForm;
pub use calendar::{ImportSummary, YearChange, beijing_today, calendar_warning_for};
pub use error::AppError;
pub use gongkai_store::calendar::{CalendarSource, StoredYear};
pub use gongkai_store::{Actor, Db};
pub use users::UserForm;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Settings the services need (the binary fills them from configuration).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Platform title shown on every page.
    pub site_name: String,
    /// Where uploaded attachments are kept (content-addressed); `None` refuses uploads.
    pub attachments_dir: Option<std::path::PathBuf>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self { site_name: "政府信息公开平台".into(), attachments_dir: None }
    }
}

/// The application: cheap to clone, shared by every request and job.
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
    pub config: std::sync::Arc<AppConfig>,
    /// A fixed "today" for tests and demos (see [`App::set_today`]); `None` means the Beijing date of the clock.
    today_override: std::sync::Arc<std::sync::Mutex<Option<time::Date>>>,
}

impl App {
    pub fn new(db: Db, config: AppConfig) -> Self {
        Self { db, config: std::sync::Arc::new(config), today_override: Default::default() }
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
}

/// A random string of `len` URL-safe characters (passwords shown once, tokens).
pub fn random_token(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}
