//! Website self-monitoring (docs/law/supervision.md §2): column update classes chosen by an administrator, stored
//! probe results, and the published items the site check reads. Scoped by agency.

use crate::{Db, Result, Tx};
use time::OffsetDateTime;

/// The update classes an administrator chose for the agency's columns: (column id, class code).
pub async fn column_classes(db: &Db, agency_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT column_id, class FROM monitor_column_classes WHERE agency_id = $1 ORDER BY column_id",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// Sets a column's class (`None` returns it to the default of its slug and name).
pub async fn set_column_class(
    tx: &mut Tx,
    agency_id: i64,
    column_id: i64,
    class: Option<&str>,
    by: Option<i64>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM monitor_column_classes WHERE agency_id = $1 AND column_id = $2")
        .bind(agency_id)
        .bind(column_id)
        .execute(c)
        .await?
        .rows_affected());
    if let Some(class) = class {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO monitor_column_classes (column_id, agency_id, class, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(column_id)
        .bind(agency_id)
        .bind(class)
        .bind(crate::now())
        .bind(by)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

/// A published item as the site check reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedItem {
    pub id: i64,
    pub column_id: i64,
    pub title: String,
    pub body_html: String,
    pub published_at: OffsetDateTime,
}

/// The agency's published items with an id above `after_id`, by id, at most `limit` (the site check reads an
/// agency's items a page at a time: an agency may hold a million).
pub async fn published_items(db: &Db, agency_id: i64, after_id: i64, limit: i64) -> Result<Vec<PublishedItem>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, column_id, title, body_html, published_at FROM catalog_entries \
         WHERE agency_id = $1 AND status = 'published' AND published_at IS NOT NULL AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(agency_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(p)
    .await?))
}

/// One probe of a site: when, how long it took (none when it timed out), whether it opened in time.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProbeRow {
    pub url: String,
    pub probed_at: OffsetDateTime,
    pub ms: Option<i64>,
    pub ok: bool,
}

pub async fn record_probe(tx: &mut Tx, agency_id: i64, p: &ProbeRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO monitor_probes (agency_id, url, probed_at, ms, ok) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(agency_id)
    .bind(&p.url)
    .bind(p.probed_at)
    .bind(p.ms)
    .bind(p.ok)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The agency's probes in `[from, to)`.
pub async fn probes_between(
    db: &Db,
    agency_id: i64,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<ProbeRow>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT url, probed_at, ms, ok FROM monitor_probes \
         WHERE agency_id = $1 AND probed_at >= $2 AND probed_at < $3 ORDER BY probed_at",
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?))
}

/// One agency's check result of one day, as the daily job recorded it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DailyResult {
    pub agency_id: i64,
    pub day: time::Date,
    /// `pass` or `fail`.
    pub verdict: String,
    pub score: Option<i32>,
    /// The findings as JSON (`[{indicator, kind, points, message}]`).
    pub findings: String,
    pub checked_at: OffsetDateTime,
}

/// Records (or replaces) the agency's result of `day`: running the job twice a day keeps one row.
pub async fn save_daily(
    tx: &mut Tx,
    agency_id: i64,
    day: time::Date,
    verdict: &str,
    score: Option<i32>,
    findings: &str,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO monitor_daily_results (agency_id, day, verdict, score, findings, checked_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, day) DO UPDATE SET verdict = excluded.verdict, \
         score = excluded.score, findings = excluded.findings, checked_at = excluded.checked_at",
    )
    .bind(agency_id)
    .bind(day)
    .bind(verdict)
    .bind(score)
    .bind(findings)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The agency's daily results of `[from, to]`, oldest first.
pub async fn daily_results(db: &Db, agency_id: i64, from: time::Date, to: time::Date) -> Result<Vec<DailyResult>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT agency_id, day, verdict, score, findings, checked_at FROM monitor_daily_results \
         WHERE agency_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?))
}

/// The URLs the probe job opens for the agency, in the order they were set.
pub async fn probe_urls(db: &Db, agency_id: i64) -> Result<Vec<String>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT url FROM monitor_probe_urls WHERE agency_id = $1 ORDER BY id")
        .bind(agency_id)
        .fetch_all(p)
        .await?))
}

/// Every configured URL: (agency id, url).
pub async fn all_probe_urls(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as("SELECT agency_id, url FROM monitor_probe_urls ORDER BY agency_id, id")
        .fetch_all(p)
        .await?))
}

/// Replaces the agency's probe URLs.
pub async fn set_probe_urls(tx: &mut Tx, agency_id: i64, urls: &[String]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM monitor_probe_urls WHERE agency_id = $1")
        .bind(agency_id)
        .execute(c)
        .await?
        .rows_affected());
    let now = crate::now();
    for url in urls {
        on_tx!(tx, c => sqlx::query("INSERT INTO monitor_probe_urls (agency_id, url, created_at) VALUES ($1, $2, $3)")
            .bind(agency_id)
            .bind(url)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}
