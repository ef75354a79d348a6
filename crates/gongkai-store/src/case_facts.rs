//! The projection `case_facts`: one row per application with what the annual report counts (see
//! `gongkai_domain::annual_report::compute::CaseSummary`), refreshed in the transaction of every event, so that a
//! report aggregates with `GROUP BY` instead of reading every case log of the agency.
//!
//! `applicant_column` and `answer_row` hold the table-order index of the column and of the table 三 row (the
//! official format fixes both orders). Rows written before the projection existed, or under an older
//! [`CASE_FACTS_VERSION`], are recomputed by [`catch_up`] when the database is migrated.

use crate::{Db, Result, Tx};
use gongkai_domain::annual_report::compute::{
    CASE_FACTS_VERSION, CaseFacts, CaseGroup, CaseSummary, CaseTally, case_facts,
};
use gongkai_domain::annual_report::{ApplicantColumn, T3Row};
use gongkai_domain::application::{CaseEvent, CaseEventKind};
use sqlx::types::Json;
use time::Date;

/// Applications recomputed per transaction by [`refresh_range`].
const BATCH: i64 = 500;

/// Recomputes the summary of one application from its case log, in the caller's transaction.
pub async fn refresh(tx: &mut Tx, application_id: i64) -> Result<()> {
    refresh_range(tx, application_id, application_id).await.map(|_| ())
}

/// Recomputes the summaries of the applications with ids in `lo..=hi`, in the caller's transaction; returns
/// how many there were. On PostgreSQL the application rows are locked first, as an event's append does, so a
/// summary is never computed from a log another transaction is extending.
pub async fn refresh_range(tx: &mut Tx, lo: i64, hi: i64) -> Result<usize> {
    let lock = if matches!(tx, Tx::Postgres(_)) { " FOR UPDATE" } else { "" };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, agency_id, applicant_type, submitted_on FROM applications WHERE id BETWEEN $1 AND $2 \
         ORDER BY id{lock}"
    ));
    let apps: Vec<(i64, i64, String, Date)> =
        on_tx!(tx, c => sqlx::query_as(sql).bind(lo).bind(hi).fetch_all(c).await?);
    if apps.is_empty() {
        return Ok(0);
    }
    let events: Vec<(i64, Date, Json<CaseEventKind>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT application_id, on_date, data FROM application_events WHERE application_id BETWEEN $1 AND $2 \
         ORDER BY application_id, id",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(c)
    .await?);
    let mut rows = Vec::with_capacity(apps.len());
    let mut events = events.into_iter().peekable();
    for (id, agency_id, applicant_type, submitted_on) in &apps {
        let mut log = Vec::new();
        while let Some((_, date, kind)) = events.next_if(|e| e.0 <= *id) {
            log.push(CaseEvent { date, kind: kind.0 });
        }
        rows.push((*id, *agency_id, case_facts(applicant_type, *submitted_on, &log).summary()));
    }
    write(tx, &rows).await?;
    Ok(apps.len())
}

/// Writes (inserts or replaces) summaries: (application id, agency id, summary).
pub async fn write(tx: &mut Tx, rows: &[(i64, i64, CaseSummary)]) -> Result<()> {
    // 9 parameters a row: well under SQLite's 32,766 and PostgreSQL's 65,535 per statement.
    for chunk in rows.chunks(1000) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO case_facts (application_id, agency_id, version, applicant_column, received_year, \
                 answered_year, answer_row, detail) ",
            );
            q.push_values(chunk, |mut b, (id, agency_id, s)| {
                b.push_bind(*id)
                    .push_bind(*agency_id)
                    .push_bind(CASE_FACTS_VERSION)
                    .push_bind(s.column.index() as i32)
                    .push_bind(s.received_year)
                    .push_bind(s.answered.map(|a| a.0))
                    .push_bind(s.answered.map(|a| a.1.index() as i32))
                    .push_bind(s.detail.as_ref().and_then(|d| serde_json::to_string(d).ok()));
            });
            q.push(
                " ON CONFLICT (application_id) DO UPDATE SET agency_id = excluded.agency_id, \
                 version = excluded.version, applicant_column = excluded.applicant_column, \
                 received_year = excluded.received_year, answered_year = excluded.answered_year, \
                 answer_row = excluded.answer_row, detail = excluded.detail",
            );
            q.build().execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// The cases of an agency as the report of `year` reads them: groups of the cases received by the end of
/// `year` and not answered before it (the others count nowhere in that year's table 三), and every case with a
/// 复议/诉讼 or a fee.
pub async fn tally(db: &Db, agency_id: i64, year: i32) -> Result<CaseTally> {
    // Three range scans of the covering indexes: received in the year; received before it and answered in or
    // after it; received before it and still open.
    const COLS: &str = "applicant_column, received_year, answered_year, answer_row, COUNT(*)";
    const GROUP: &str = "GROUP BY applicant_column, received_year, answered_year, answer_row";
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM case_facts WHERE agency_id = $1 AND received_year = $2 {GROUP} \
         UNION ALL SELECT {COLS} FROM case_facts WHERE agency_id = $1 AND answered_year >= $2 \
         AND received_year < $2 {GROUP} \
         UNION ALL SELECT {COLS} FROM case_facts WHERE agency_id = $1 AND answered_year IS NULL \
         AND received_year < $2 {GROUP}"
    ));
    let rows: Vec<GroupRow> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(year).fetch_all(p).await?);
    Ok(CaseTally { groups: rows.into_iter().filter_map(group).collect(), detailed: detailed(db, agency_id).await? })
}

/// Every group of received cases of the agency, whatever the year (the years a report can be of).
pub async fn tally_all(db: &Db, agency_id: i64) -> Result<CaseTally> {
    let rows: Vec<GroupRow> = on_db!(db, p => sqlx::query_as(
        "SELECT applicant_column, received_year, answered_year, answer_row, COUNT(*) FROM case_facts \
         WHERE agency_id = $1 AND received_year IS NOT NULL \
         GROUP BY applicant_column, received_year, answered_year, answer_row",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?);
    Ok(CaseTally { groups: rows.into_iter().filter_map(group).collect(), detailed: detailed(db, agency_id).await? })
}

type GroupRow = (i32, Option<i32>, Option<i32>, Option<i32>, i64);

fn group((column, received, answered, row, count): GroupRow) -> Option<CaseGroup> {
    let column = ApplicantColumn::ALL.get(usize::try_from(column).ok()?).copied()?;
    let answered = match (answered, row) {
        (Some(y), Some(r)) => Some((y, T3Row::ALL.get(usize::try_from(r).ok()?).copied()?)),
        _ => None,
    };
    Some(CaseGroup { column, received_year: received?, answered, count: u64::try_from(count).ok()? })
}

async fn detailed(db: &Db, agency_id: i64) -> Result<Vec<CaseFacts>> {
    let rows: Vec<(String,)> = on_db!(db, p => sqlx::query_as(
        "SELECT detail FROM case_facts WHERE agency_id = $1 AND detail IS NOT NULL ORDER BY application_id",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?);
    rows.into_iter()
        .map(|(d,)| serde_json::from_str(&d).map_err(|e| crate::StoreError::Encoding(format!("case_facts: {e}"))))
        .collect()
}

/// Recomputes every summary when the stored ones were computed under another [`CASE_FACTS_VERSION`] (or
/// before the projection existed), in batches; a no-op otherwise. Called by [`Db::migrate`].
pub async fn catch_up(db: &Db) -> Result<()> {
    let stored: Option<i32> = on_db!(db, p => sqlx::query_scalar("SELECT version FROM case_facts_state WHERE id = 1").fetch_optional(p).await?);
    if stored == Some(CASE_FACTS_VERSION) {
        return Ok(());
    }
    let (min, max): (Option<i64>, Option<i64>) =
        on_db!(db, p => sqlx::query_as("SELECT MIN(id), MAX(id) FROM applications").fetch_one(p).await?);
    let mut done = 0;
    if let (Some(min), Some(max)) = (min, max) {
        tracing::info!(from = min, to = max, "recomputing the annual report's case summaries");
        let mut lo = min;
        while lo <= max {
            let mut tx = db.begin().await?;
            done += refresh_range(&mut tx, lo, lo.saturating_add(BATCH - 1)).await?;
            tx.commit().await?;
            lo = lo.saturating_add(BATCH);
        }
    }
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO case_facts_state (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = $1",
    )
    .bind(CASE_FACTS_VERSION)
    .execute(c)
    .await?
    .rows_affected());
    tx.commit().await?;
    if done > 0 {
        tracing::info!(applications = done, "case summaries recomputed");
    }
    Ok(())
}
