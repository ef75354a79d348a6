use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// How long after a storage fault [`Db::write_check`] still says not ready.
pub const READY_AFTER_FAULT: Duration = Duration::from_secs(10);

/// The database: embedded SQLite or a PostgreSQL server.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open transaction on either backend. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$e` bound to the pool of whichever backend `$db` is; the body is compiled once per backend.
macro_rules! on_db {
    ($db:expr, $e:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($e) => $body,
            $crate::db::Db::Postgres($e) => $body,
        }
    };
}

/// Like [`on_db!`] for a transaction: `$c` is a `&mut` connection inside it.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`) without migrating.
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_sized(url, None).await
    }

    /// Like [`Db::connect`] with at most `max_connections` pooled connections (default: 16 PostgreSQL, 8 SQLite).
    ///
    /// Every connection is checked when it goes back to the pool and before it is handed out again: one that is
    /// still inside a transaction (for SQLite, by the library's own count or `sqlite3_get_autocommit`), that last
    /// failed with a disk-full/I/O error, or that was opened before the last storage fault is closed, never
    /// reused. Otherwise a transaction the database ended by itself (SQLite rolls back on `SQLITE_FULL`/`IOERR`)
    /// leaves sqlx believing it is still open, and every later "transaction" on that connection becomes a
    /// savepoint that never commits — acknowledged writes lost, the write lock held for good.
    pub(crate) async fn connect_sized(url: &str, max_connections: Option<u32>) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.unwrap_or(16))
                .acquire_timeout(Duration::from_secs(10))
                .after_release(|c, meta| Box::pin(async move { Ok(pg_reusable(c, meta.age)) }))
                .before_acquire(|c, meta| Box::pin(async move { Ok(pg_reusable(c, meta.age)) }))
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(e.to_string()))?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.unwrap_or(8))
                .acquire_timeout(Duration::from_secs(15))
                .after_release(|c, meta| Box::pin(sqlite_reusable(c, meta.age)))
                .before_acquire(|c, meta| Box::pin(sqlite_reusable(c, meta.age)))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Err(StoreError::BadUrl(format!("{url}（应以 sqlite: 或 postgres:// 开头）")))
        }
    }

    /// Connects and applies every pending migration of the backend.
    pub async fn open(url: &str) -> Result<Db> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies every pending migration, then brings derived data up to date (the annual report's case
    /// summaries: [`crate::case_facts::catch_up`]).
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        crate::case_facts::catch_up(self).await
    }

    /// Applies the migrations up to and including `version` only (to test a migration against data written
    /// before it).
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run_to(version, p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run_to(version, p).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A trivial round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, p => sqlx::query("SELECT 1").execute(p).await?.rows_affected());
        Ok(())
    }

    /// Whether the database takes a write: one row of `readiness` is rewritten in a transaction that commits, and
    /// no request met a storage fault in the last [`READY_AFTER_FAULT`] (a write this small may still fit where a
    /// submission does not, e.g. in the room left in SQLite's WAL file on a full disk).
    pub async fn write_check(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO readiness (id, checked_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET checked_at = $1",
        )
        .bind(crate::now())
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        match crate::error::storage_fault_within(READY_AFTER_FAULT) {
            Some(ago) => Err(StoreError::Unavailable(format!("a storage fault {} ms ago", ago.as_millis()))),
            None => Ok(()),
        }
    }

    /// The version numbers of the migrations shipped for each backend (they must be equal).
    pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
        let v = |m: &sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
        (v(&SQLITE_MIGRATIONS), v(&POSTGRES_MIGRATIONS))
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

/// Whether a PostgreSQL connection may be reused: not inside a transaction, not older than the last storage
/// fault (a broken connection is already dropped by sqlx's ping on release).
fn pg_reusable(c: &mut sqlx::PgConnection, age: Duration) -> bool {
    use sqlx::Connection;
    if c.is_in_transaction() {
        tracing::warn!("a pooled PostgreSQL connection was still inside a transaction: closed");
        return false;
    }
    !crate::error::opened_before_last_fault(age)
}

/// Whether a SQLite connection may be reused: neither sqlx nor SQLite itself sees a transaction open on it, its
/// last error is not a storage fault, and it is not older than the last storage fault.
async fn sqlite_reusable(c: &mut sqlx::SqliteConnection, age: Duration) -> std::result::Result<bool, sqlx::Error> {
    use sqlx::Connection;
    // Locking the handle waits for the commands queued before it (the rollback of a dropped transaction).
    let mut handle = c.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: `raw` is the connection's open handle; while `handle` (the lock) lives, the connection's worker
    // thread does not use it, and both functions only read the connection's state.
    let (autocommit, last_error) =
        unsafe { (libsqlite3_sys::sqlite3_get_autocommit(raw), libsqlite3_sys::sqlite3_extended_errcode(raw)) };
    drop(handle);
    if c.is_in_transaction() {
        tracing::warn!("a pooled SQLite connection was still inside a transaction (by sqlx's count): closed");
        return Ok(false);
    }
    if autocommit == 0 {
        tracing::warn!("a pooled SQLite connection was still inside a transaction (by SQLite): closed");
        return Ok(false);
    }
    if crate::error::sqlite_code_is_storage_fault(last_error) {
        tracing::warn!(code = last_error, "a pooled SQLite connection last failed with a storage error: closed");
        return Ok(false);
    }
    Ok(!crate::error::opened_before_last_fault(age))
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
