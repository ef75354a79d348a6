//! Evaluation (考核): schemes per (supervising agency, year), their indicators, and manual scores per agency.

use crate::{Db, Result, Tx};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Scheme {
    pub id: i64,
    pub agency_id: i64,
    pub year: i32,
    /// `internal` or `third_party`.
    pub evaluator: String,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub scheme_id: i64,
    pub seq: i32,
    pub code: String,
    pub name: String,
    pub method: String,
    pub weight: i32,
    pub cap: i32,
    pub auto_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScoreRow {
    pub id: i64,
    pub indicator_id: i64,
    pub unit_id: i64,
    /// Tenths of a point: earned (权重赋分), deducted (扣分) or added (加分).
    pub raw_tenths: i32,
    pub evidence: String,
    /// The username (or system) who scored.
    pub scored_by: String,
    pub scored_at: OffsetDateTime,
}

pub async fn scheme(db: &Db, agency_id: i64, year: i32) -> Result<Option<Scheme>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, agency_id, year, evaluator, created_at FROM evaluation_schemes WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_optional(p)
    .await?))
}

/// The years an agency has schemes for, newest first.
pub async fn years(db: &Db, agency_id: i64) -> Result<Vec<i32>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT year FROM evaluation_schemes WHERE agency_id = $1 ORDER BY year DESC",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// Creates a scheme; `None` when the agency already has one for the year.
pub async fn create_scheme(tx: &mut Tx, agency_id: i64, year: i32, evaluator: &str) -> Result<Option<i64>> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO evaluation_schemes (agency_id, year, evaluator, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (agency_id, year) DO NOTHING RETURNING id",
    )
    .bind(agency_id)
    .bind(year)
    .bind(evaluator)
    .bind(crate::now())
    .fetch_optional(x)
    .await?))
}

pub async fn indicators(db: &Db, scheme_id: i64) -> Result<Vec<IndicatorRow>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, scheme_id, seq, code, name, method, weight, cap, auto_source FROM evaluation_indicators \
         WHERE scheme_id = $1 ORDER BY seq, id",
    )
    .bind(scheme_id)
    .fetch_all(p)
    .await?))
}

/// Adds an indicator (`id` ignored) or, when the scheme has one with the same code, changes it; returns its id.
pub async fn save_indicator(tx: &mut Tx, i: &IndicatorRow) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO evaluation_indicators (scheme_id, seq, code, name, method, weight, cap, auto_source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (scheme_id, code) DO UPDATE SET name = excluded.name, method = excluded.method, \
         weight = excluded.weight, cap = excluded.cap, auto_source = excluded.auto_source RETURNING id",
    )
    .bind(i.scheme_id)
    .bind(i.seq)
    .bind(&i.code)
    .bind(&i.name)
    .bind(&i.method)
    .bind(i.weight)
    .bind(i.cap)
    .bind(&i.auto_source)
    .fetch_one(x)
    .await?))
}

/// Removes an indicator of the scheme by code; whether one was removed.
pub async fn remove_indicator(tx: &mut Tx, scheme_id: i64, code: &str) -> Result<bool> {
    let n = on_tx!(tx, x => sqlx::query("DELETE FROM evaluation_indicators WHERE scheme_id = $1 AND code = $2")
        .bind(scheme_id)
        .bind(code)
        .execute(x)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Every manual score of the scheme.
pub async fn scores(db: &Db, scheme_id: i64) -> Result<Vec<ScoreRow>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT s.id, s.indicator_id, s.unit_id, s.raw_tenths, s.evidence, s.scored_by, s.scored_at \
         FROM evaluation_scores s JOIN evaluation_indicators i ON i.id = s.indicator_id \
         WHERE i.scheme_id = $1 ORDER BY s.id",
    )
    .bind(scheme_id)
    .fetch_all(p)
    .await?))
}

/// Whether scoring has started (any manual score in the scheme).
pub async fn has_scores(tx: &mut Tx, scheme_id: i64) -> Result<bool> {
    let n: i64 = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT COUNT(*) FROM evaluation_scores s JOIN evaluation_indicators i ON i.id = s.indicator_id \
         WHERE i.scheme_id = $1",
    )
    .bind(scheme_id)
    .fetch_one(x)
    .await?);
    Ok(n > 0)
}

/// Sets (or replaces) the manual score of an indicator for a unit; returns the raw value it replaced.
pub async fn set_score(
    tx: &mut Tx,
    indicator_id: i64,
    unit_id: i64,
    raw_tenths: i32,
    evidence: &str,
    scored_by: &str,
) -> Result<Option<i32>> {
    let before: Option<i32> = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT raw_tenths FROM evaluation_scores WHERE indicator_id = $1 AND unit_id = $2",
    )
    .bind(indicator_id)
    .bind(unit_id)
    .fetch_optional(x)
    .await?);
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO evaluation_scores (indicator_id, unit_id, raw_tenths, evidence, scored_by, scored_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (indicator_id, unit_id) DO UPDATE SET \
         raw_tenths = excluded.raw_tenths, evidence = excluded.evidence, scored_by = excluded.scored_by, \
         scored_at = excluded.scored_at",
    )
    .bind(indicator_id)
    .bind(unit_id)
    .bind(raw_tenths)
    .bind(evidence)
    .bind(scored_by)
    .bind(crate::now())
    .execute(x)
    .await?
    .rows_affected());
    Ok(before)
}

/// The metadata of a published catalog item, as the evaluation's completeness count reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemMeta {
    pub id: i64,
    pub index_no: Option<String>,
    pub doc_no: String,
    pub doc_class: String,
    pub publisher: String,
    pub disclosure: String,
    pub summary: String,
    pub written_on: Option<time::Date>,
    pub formed_on: Option<time::Date>,
}

/// The agency's items published in `[from, to)` and still published.
pub async fn published_meta(
    db: &Db,
    agency_id: i64,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<ItemMeta>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, index_no, doc_no, doc_class, publisher, disclosure, summary, written_on, formed_on \
         FROM catalog_entries WHERE agency_id = $1 AND status = 'published' AND published_at >= $2 \
         AND published_at < $3 ORDER BY id",
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?))
}
