use std::sync::atomic::{AtomicU64, Ordering};
use thiserror::Error;

/// Errors of the store layer. Constraint violations are told apart so services can explain them.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("记录不存在")]
    NotFound,
    /// A unique constraint was violated (e.g. an agency code or username already taken).
    #[error("重复的记录：{0}")]
    Conflict(String),
    /// A foreign key or check constraint was violated.
    #[error("数据约束不满足：{0}")]
    Constraint(String),
    /// The storage cannot take the request now: disk full, I/O error, database locked or read-only, the
    /// PostgreSQL server unreachable, shutting down or out of resources. Nothing of the request was committed;
    /// retrying later may succeed (the web answers 503).
    #[error("数据库暂时不可用：{0}")]
    Unavailable(String),
    #[error("数据库错误：{0}")]
    Database(#[source] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("不支持的数据库地址：{0}")]
    BadUrl(String),
    #[error("数据编码错误：{0}")]
    Encoding(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_storage_fault(&e) {
            // A pool closed on purpose (shutdown) says nothing about the storage.
            if !matches!(e, sqlx::Error::PoolClosed) {
                record_storage_fault();
            }
            return StoreError::Unavailable(e.to_string());
        }
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_owned()),
                sqlx::error::ErrorKind::ForeignKeyViolation
                | sqlx::error::ErrorKind::NotNullViolation
                | sqlx::error::ErrorKind::CheckViolation => StoreError::Constraint(db.message().to_owned()),
                _ => StoreError::Database(e),
            },
            _ => StoreError::Database(e),
        }
    }
}

/// Whether `e` says the storage itself cannot serve now (as opposed to a bad query or bad data).
pub(crate) fn is_storage_fault(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let code = sqlx::error::DatabaseError::code(sqlite).and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                sqlite_code_is_storage_fault(code)
            } else {
                db.code().is_some_and(|c| pg_code_is_storage_fault(&c))
            }
        }
        _ => false,
    }
}

/// SQLite result codes (primary code = low byte of the extended code) that are about the storage: busy or
/// locked (after the busy timeout), out of memory, read-only, I/O error, corrupt, disk full, cannot open,
/// locking protocol.
pub(crate) fn sqlite_code_is_storage_fault(extended: i32) -> bool {
    use libsqlite3_sys as f;
    matches!(
        extended & 0xff,
        f::SQLITE_BUSY
            | f::SQLITE_LOCKED
            | f::SQLITE_NOMEM
            | f::SQLITE_READONLY
            | f::SQLITE_IOERR
            | f::SQLITE_CORRUPT
            | f::SQLITE_FULL
            | f::SQLITE_CANTOPEN
            | f::SQLITE_PROTOCOL
    )
}

/// PostgreSQL SQLSTATEs about the server rather than the query: class 08 (connection exception), 53
/// (insufficient resources: 53100 disk_full, 53200 out_of_memory, 53300 too_many_connections), 57P01–57P05
/// (admin/crash shutdown, cannot connect now, …), 58 (system/I/O error), 25006 (read-only transaction: a
/// standby).
fn pg_code_is_storage_fault(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57P")
        || code.starts_with("58")
        || code == "25006"
}

/// When the last storage fault was seen, in milliseconds since the Unix epoch (0: never). Process-wide: a
/// fault is rare, and recycling the connections of every pool once is harmless.
static LAST_STORAGE_FAULT_MS: AtomicU64 = AtomicU64::new(0);

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

pub(crate) fn record_storage_fault() {
    LAST_STORAGE_FAULT_MS.fetch_max(now_ms(), Ordering::AcqRel);
}

/// How long ago the last storage fault was seen, if within `window`.
pub(crate) fn storage_fault_within(window: std::time::Duration) -> Option<std::time::Duration> {
    let last = LAST_STORAGE_FAULT_MS.load(Ordering::Acquire);
    let ago = std::time::Duration::from_millis(now_ms().saturating_sub(last));
    (last != 0 && ago <= window).then_some(ago)
}

/// Whether a connection opened `age` ago predates the last storage fault (so it is discarded, not reused: its
/// state after a disk-full or I/O error is not trusted).
pub(crate) fn opened_before_last_fault(age: std::time::Duration) -> bool {
    let last = LAST_STORAGE_FAULT_MS.load(Ordering::Acquire);
    last != 0 && now_ms().saturating_sub(age.as_millis() as u64) <= last
}
