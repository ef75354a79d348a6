//! 接访电话: the call log of an agency, and the agency's interaction time limits.

use crate::{Db, Result, StoreError, Tx};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub agency_id: i64,
    pub called_on: Date,
    pub called_time: String,
    pub caller: String,
    pub number_masked: String,
    pub kind: String,
    pub summary: String,
    pub handling: String,
    pub result: String,
    pub due_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub recorded_by: String,
    pub created_at: OffsetDateTime,
}

const COLS: &str = "id, agency_id, called_on, called_time, caller, number_masked, kind, summary, handling, result, \
     due_on, closed_on, recorded_by, created_at";

/// A call to record (`id`, `created_at` are set by the store).
pub async fn create(tx: &mut Tx, c: &Call) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO interaction_calls (agency_id, called_on, called_time, caller, number_masked, kind, summary, \
         handling, result, due_on, closed_on, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(c.agency_id)
    .bind(c.called_on)
    .bind(&c.called_time)
    .bind(&c.caller)
    .bind(&c.number_masked)
    .bind(&c.kind)
    .bind(&c.summary)
    .bind(&c.handling)
    .bind(&c.result)
    .bind(c.due_on)
    .bind(c.closed_on)
    .bind(&c.recorded_by)
    .bind(crate::now())
    .fetch_one(x)
    .await?))
}

/// Closes a follow-up (办结) on `day`.
pub async fn close(tx: &mut Tx, agency_id: i64, id: i64, day: Date, result: &str) -> Result<()> {
    let n = on_tx!(tx, x => sqlx::query(
        "UPDATE interaction_calls SET closed_on = $3, result = $4 WHERE agency_id = $1 AND id = $2 AND closed_on IS NULL",
    )
    .bind(agency_id)
    .bind(id)
    .bind(day)
    .bind(result)
    .execute(x)
    .await?
    .rows_affected());
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// The agency's calls, newest first.
pub async fn of_agency(db: &Db, agency_id: i64) -> Result<Vec<Call>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM interaction_calls WHERE agency_id = $1 ORDER BY called_on DESC, called_time DESC, id DESC"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

/// The agency's interaction limits (docs/law/public-interaction.md), `None` when never set (the defaults apply).
pub async fn limits(db: &Db, agency_id: i64) -> Result<Option<gongkai_domain::interaction::limits::Limits>> {
    let row: Option<(sqlx::types::Json<gongkai_domain::interaction::limits::Limits>,)> = on_db!(db, p => sqlx::query_as(
        "SELECT limits FROM interaction_limits WHERE agency_id = $1",
    )
    .bind(agency_id)
    .fetch_optional(p)
    .await?);
    Ok(row.map(|(l,)| l.0))
}

pub async fn save_limits(
    tx: &mut Tx,
    agency_id: i64,
    limits: &gongkai_domain::interaction::limits::Limits,
    by: &str,
) -> Result<()> {
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO interaction_limits (agency_id, limits, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (agency_id) DO UPDATE SET limits = $2, updated_at = $3, updated_by = $4",
    )
    .bind(agency_id)
    .bind(sqlx::types::Json(limits))
    .bind(crate::now())
    .bind(by)
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}
