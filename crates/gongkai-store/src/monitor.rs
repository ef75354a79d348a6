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

/// The agency's published items, oldest first.
pub async fn published_items(db: &Db, agency_id: i64) -> Result<Vec<PublishedItem>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, column_id, title, body_html, published_at FROM catalog_entries \
         WHERE agency_id = $1 AND status = 'published' AND published_at IS NOT NULL ORDER BY published_at, id",
    )
    .bind(agency_id)
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
