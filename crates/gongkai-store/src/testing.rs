//! Test databases: a fresh SQLite file always, and a fresh PostgreSQL database when `TEST_DATABASE_URL`
//! points at a server (CI sets it). Each is dropped when the test ends, pass or fail.

use crate::Db;
use std::future::Future;

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    PgDatabase { admin_url: String, name: String },
}

fn unique_name() -> String {
    use rand::Rng;
    let n: u64 = rand::rng().random();
    format!("gk_test_{}_{n:016x}", std::process::id())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        Self::sqlite_with(true).await
    }

    /// A SQLite database on which no migration has run yet (see [`Db::migrate_to`]).
    pub async fn sqlite_unmigrated() -> TestDb {
        Self::sqlite_with(false).await
    }

    /// A PostgreSQL database on which no migration has run yet; `None` as for [`TestDb::postgres`].
    pub async fn postgres_unmigrated() -> Option<TestDb> {
        Self::postgres_with(false).await
    }

    /// A second pool on this test's database with at most `max_connections` connections (one makes the reuse
    /// of a connection certain, to test what a connection carries from one use to the next).
    pub async fn pool_of(&self, max_connections: u32) -> Db {
        Db::connect_sized(&self.url, Some(max_connections)).await.expect("open a second pool")
    }

    async fn sqlite_with(migrate: bool) -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = if migrate { Db::open(&url).await } else { Db::connect(&url).await };
        let db = db.expect("open test SQLite database");
        TestDb { db, url, cleanup: Cleanup::File(path) }
    }

    /// `None` when `TEST_DATABASE_URL` is not set. Panics when it is set but unusable, or when
    /// `GONGKAI_REQUIRE_POSTGRES=1` and it is not set (CI), so PostgreSQL coverage cannot silently vanish.
    pub async fn postgres() -> Option<TestDb> {
        Self::postgres_with(true).await
    }

    async fn postgres_with(migrate: bool) -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            if std::env::var("GONGKAI_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("GONGKAI_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
            }
            return None;
        };
        let name = unique_name();
        let admin = Db::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
        on_db!(&admin, p => sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(p)
            .await
            .expect("create test database")
            .rows_affected());
        admin.close().await;
        let url = with_database(&admin_url, &name);
        let db = if migrate { Db::open(&url).await } else { Db::connect(&url).await };
        let db = db.expect("open test PostgreSQL database");
        Some(TestDb { db, url, cleanup: Cleanup::PgDatabase { admin_url, name } })
    }

    /// One database per available backend: SQLite, then PostgreSQL if configured.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        v.extend(TestDb::postgres().await);
        v
    }
}

/// Replaces the database name (path) of a PostgreSQL URL, keeping user, host and query.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop may run inside the test's runtime, which is blocked until this returns: clean up on a
                // thread with a runtime of its own, and never wait on the test's pool (its connections can only
                // be driven by the blocked runtime). WITH (FORCE) ends them server-side.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            if let Ok(admin) = Db::connect(&admin_url).await {
                                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ =
                                    on_db!(&admin, p => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.is_ok());
                                admin.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// Like [`each_backend`], with databases on which no migration has run yet (to test a migration against data
/// written before it: [`Db::migrate_to`]).
pub async fn each_unmigrated_backend<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut all = vec![TestDb::sqlite_with(false).await];
    all.extend(TestDb::postgres_with(false).await);
    for t in all {
        eprintln!("-- backend: {:?}", t.db.backend());
        test(t.db.clone()).await;
    }
}

/// Runs `test` once per available backend, naming the backend if it panics.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    for t in TestDb::all().await {
        eprintln!("-- backend: {:?}", t.db.backend());
        test(t.db.clone()).await;
    }
}

/// Declares a test that runs once per backend, as two tests named after it: `name::sqlite` and
/// `name::postgres`, so a failure names its backend. The argument is either the database (`db: Db`) or the
/// whole test database (`t: TestDb`, for tests that need its URL or hand it on). Without `TEST_DATABASE_URL`,
/// `name::postgres` says so and returns; with `GONGKAI_REQUIRE_POSTGRES=1` (CI) it fails instead.
///
/// With `unmigrated` before `async fn`, the databases have no migration applied yet (to test a migration
/// against data written before it: [`Db::migrate_to`]).
///
/// ```ignore
/// gongkai_store::db_test! {
///     async fn claims_a_job_once(db: Db) {
///         assert!(jobs::claim(&db, Duration::minutes(5)).await.unwrap().is_none());
///     }
/// }
/// ```
#[macro_export]
macro_rules! db_test {
    ($(#[$m:meta])* unmigrated async fn $name:ident($db:ident : Db) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[tokio::test]
            async fn sqlite() {
                let test_db = $crate::testing::TestDb::sqlite_unmigrated().await;
                let $db = test_db.db.clone();
                $body
            }

            $(#[$m])*
            #[tokio::test]
            async fn postgres() {
                let Some(test_db) = $crate::testing::TestDb::postgres_unmigrated().await else {
                    eprintln!("PostgreSQL is not configured (TEST_DATABASE_URL): this backend was NOT tested");
                    return;
                };
                let $db = test_db.db.clone();
                $body
            }
        }
    };
    ($(#[$m:meta])* async fn $name:ident($db:ident : TestDb) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[tokio::test]
            async fn sqlite() {
                let $db = $crate::testing::TestDb::sqlite().await;
                $body
            }

            $(#[$m])*
            #[tokio::test]
            async fn postgres() {
                let Some($db) = $crate::testing::TestDb::postgres().await else {
                    eprintln!("PostgreSQL is not configured (TEST_DATABASE_URL): this backend was NOT tested");
                    return;
                };
                $body
            }
        }
    };
    ($(#[$m:meta])* async fn $name:ident($db:ident : Db) $body:block) => {
        $crate::db_test! {
            $(#[$m])*
            async fn $name(test_db: TestDb) {
                let $db = test_db.db.clone();
                $body
            }
        }
    };
}
