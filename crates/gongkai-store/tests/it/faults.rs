//! Storage faults: what a connection carries from one use to the next after the database ended a transaction
//! by itself (SQLite does on SQLITE_FULL / SQLITE_IOERR), and how a full database answers and recovers.

use crate::support::add_agency;
use gongkai_store::testing::TestDb;
use gongkai_store::{Db, StoreError, Tx, agencies, db_test};

/// Ends the transaction behind sqlx's back, as SQLite does by itself after a disk-full or I/O error.
async fn end_behind_sqlx(tx: &mut Tx) {
    match tx {
        Tx::Sqlite(t) => sqlx::query("ROLLBACK").execute(&mut **t).await.unwrap().rows_affected(),
        Tx::Postgres(t) => sqlx::query("ROLLBACK").execute(&mut **t).await.unwrap().rows_affected(),
    };
}

db_test! {
    async fn a_transaction_the_database_ended_itself_does_not_swallow_later_commits(test_db: TestDb) {
        // One connection, so that every step below runs on the same one.
        let db = test_db.pool_of(1).await;
        let mut tx = db.begin().await.unwrap();
        end_behind_sqlx(&mut tx).await;
        drop(tx);
        // A request that fails and rolls back (the disk still full, say).
        drop(db.begin().await.unwrap());
        // A request that commits: it is acknowledged, so it must be stored and visible to everyone.
        let a = add_agency(&db, "after-fault", None).await;
        let seen = agencies::by_code(&test_db.db, "after-fault").await.unwrap();
        assert_eq!(seen.map(|s| s.id), Some(a.id), "a committed write is visible from another pool");
        // And nothing holds the write lock for good (it used to: "database is locked" after the 10 s timeout).
        let started = std::time::Instant::now();
        add_agency(&test_db.db, "other-pool", None).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        db.close().await;
    }
}

#[tokio::test]
async fn a_full_sqlite_database_is_unavailable_and_the_pool_recovers() {
    let test_db = TestDb::sqlite().await;
    let db = test_db.pool_of(1).await;
    let Db::Sqlite(pool) = &db else { unreachable!() };
    // Cap this connection's database at its current size: the next page it needs is refused (SQLITE_FULL), as
    // on a full disk.
    sqlx::query("PRAGMA max_page_count = 1").execute(pool).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let mut error = None;
    for i in 0..1000 {
        let a = crate::support::new_agency(&format!("filler-{i}"), None);
        if let Err(e) = agencies::create(&mut tx, &a).await {
            error = Some(e);
            break;
        }
    }
    let error = error.expect("a database capped at its size refuses to grow");
    assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
    drop(tx);
    // Readiness says not ready for a while after the fault, even though its own one-row write may still fit.
    let ready = test_db.db.write_check().await;
    assert!(matches!(ready, Err(StoreError::Unavailable(_))), "{ready:?}");
    let first = agencies::by_code(&test_db.db, "filler-0").await.unwrap();
    assert!(first.is_none(), "nothing of the failed transaction is stored");
    // The connection that saw the fault is not reused: the next one has no cap, and what needs more pages than
    // the capped file had is stored.
    let mut tx = db.begin().await.unwrap();
    for i in 0..2000 {
        agencies::create(&mut tx, &crate::support::new_agency(&format!("more-{i}"), None)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let a = add_agency(&db, "after-full", None).await;
    let seen = agencies::by_code(&test_db.db, "after-full").await.unwrap();
    assert_eq!(seen.map(|s| s.id), Some(a.id));
    db.close().await;
}
