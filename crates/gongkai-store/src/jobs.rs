//! A small database-backed job queue (search indexing, mail, recomputation …).
//!
//! A job is claimed with a lease; a worker that dies leaves it to be claimed again once the lease runs out.
//! Failed jobs are retried with back-off up to `max_attempts`, then kept as `failed` for an operator to see.

use crate::{Backend, Db, Result, Tx};
use serde_json::Value;
use sqlx::types::Json;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: Json<Value>,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: OffsetDateTime,
    pub last_error: Option<String>,
}

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// Enqueues a job in `tx`, so it exists exactly when the change that asked for it is committed.
pub async fn enqueue(tx: &mut Tx, kind: &str, payload: &Value, run_at: Option<OffsetDateTime>) -> Result<i64> {
    let now = crate::now();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at) \
         VALUES ($1, $2, 'queued', 0, 5, $3, $4) RETURNING id",
    )
    .bind(kind)
    .bind(Json(payload))
    .bind(run_at.unwrap_or(now))
    .bind(now)
    .fetch_one(c)
    .await?);
    Ok(id)
}

const COLUMNS: &str = "id, kind, payload, status, attempts, max_attempts, run_at, last_error";

/// Claims the oldest job that is due (or whose lease ran out), marking it running until `now + lease`.
pub async fn claim(db: &Db, lease: Duration) -> Result<Option<Job>> {
    let now = crate::now();
    // PostgreSQL: SKIP LOCKED lets several workers claim concurrently. SQLite has a single writer, so the
    // UPDATE … WHERE id = (SELECT …) is atomic as it stands.
    let lock = match db.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2 \
         WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= $1) \
                        OR (status = 'running' AND locked_until < $1) ORDER BY run_at, id LIMIT 1 {lock}) \
         RETURNING {COLUMNS}"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(now).bind(now + lease).fetch_optional(p).await?))
}

pub async fn complete(db: &Db, id: i64) -> Result<()> {
    on_db!(db, p => sqlx::query(
        "UPDATE jobs SET status = 'done', locked_until = NULL, finished_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(crate::now())
    .execute(p)
    .await?.rows_affected());
    Ok(())
}

/// Records a failure: the job is retried after a back-off growing with its attempts, or marked failed.
pub async fn fail(db: &Db, job: &Job, error: &str) -> Result<()> {
    let now = crate::now();
    let give_up = job.attempts >= job.max_attempts;
    let retry_at = now + Duration::seconds(5 * (1 << job.attempts.clamp(0, 10)));
    on_db!(db, p => sqlx::query(
        "UPDATE jobs SET status = $2, locked_until = NULL, last_error = $3, run_at = $4, finished_at = $5 \
         WHERE id = $1",
    )
    .bind(job.id)
    .bind(if give_up { FAILED } else { QUEUED })
    .bind(error)
    .bind(retry_at)
    .bind(give_up.then_some(now))
    .execute(p)
    .await?.rows_affected());
    Ok(())
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Job>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?))
}

/// Number of jobs in each status, for the dashboard.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(on_db!(db, p => sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
        .fetch_all(p)
        .await?))
}
