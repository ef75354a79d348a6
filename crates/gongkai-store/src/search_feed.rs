//! The search change feed (`search_changes`): what the full-text index must re-read, in commit order.
//!
//! Writers record a change in the transaction of the change itself; every node's follower reads the rows after
//! the last id its own index applied. On PostgreSQL ids are handed out at insert time but become visible at
//! commit, so a follower could read id 11 before a slower transaction commits id 10 and then skip it for good.
//! Writers therefore take one transaction-level advisory lock before inserting: the next writer gets its id only
//! after the previous one committed, so visible ids only ever grow. SQLite has a single writer already.

use crate::{Db, Result, Tx};
use time::OffsetDateTime;

/// The advisory lock key of the feed ("search_changes" as a constant; any fixed number works).
const FEED_LOCK: i64 = 0x5EA2_C4C4;

/// One row of the feed: an entry to re-read (index when published, drop otherwise), or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Change {
    pub id: i64,
    /// `None`: rebuild the whole index.
    pub entry_id: Option<i64>,
}

async fn insert(tx: &mut Tx, entry_id: Option<i64>) -> Result<i64> {
    let now = crate::now();
    let id: i64 = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_scalar("INSERT INTO search_changes (entry_id, created_at) VALUES ($1, $2) RETURNING id")
                .bind(entry_id)
                .bind(now)
                .fetch_one(&mut **t)
                .await?
        }
        Tx::Postgres(t) => {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(FEED_LOCK).execute(&mut **t).await?;
            sqlx::query_scalar("INSERT INTO search_changes (entry_id, created_at) VALUES ($1, $2) RETURNING id")
                .bind(entry_id)
                .bind(now)
                .fetch_one(&mut **t)
                .await?
        }
    };
    Ok(id)
}

/// Records that `entry_id` changed (published, edited, unpublished, or its validity changed).
pub async fn record(tx: &mut Tx, entry_id: i64) -> Result<i64> {
    insert(tx, Some(entry_id)).await
}

/// Records that the whole index must be rebuilt (bulk loads such as the demo data).
pub async fn record_all(tx: &mut Tx) -> Result<i64> {
    insert(tx, None).await
}

/// The changes after `after`, oldest first, at most `limit`.
pub async fn since(db: &Db, after: i64, limit: i64) -> Result<Vec<Change>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, entry_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(p)
    .await?))
}

/// The newest id (0 when the feed is empty): the content version every node converges to.
pub async fn latest(db: &Db) -> Result<i64> {
    let id: Option<i64> = on_db!(db, p => sqlx::query_scalar("SELECT MAX(id) FROM search_changes").fetch_one(p).await?);
    Ok(id.unwrap_or(0))
}

/// The oldest id still kept (`None` when the feed is empty). A node whose position is older than this minus one
/// has missed pruned rows and must rebuild.
pub async fn oldest(db: &Db) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT MIN(id) FROM search_changes").fetch_one(p).await?))
}

/// When the change with this id was recorded (for the index lag in seconds).
pub async fn created_at(db: &Db, id: i64) -> Result<Option<OffsetDateTime>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT created_at FROM search_changes WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?))
}

/// Deletes rows recorded before `before`, always keeping the newest row (it carries the current version).
pub async fn prune(db: &Db, before: OffsetDateTime) -> Result<u64> {
    Ok(on_db!(db, p => sqlx::query(
        "DELETE FROM search_changes WHERE created_at < $1 AND id < (SELECT MAX(id) FROM search_changes)",
    )
    .bind(before)
    .execute(p)
    .await?
    .rows_affected()))
}
