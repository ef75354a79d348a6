//! The 公开指南 of each agency and its directory of 公共企事业单位. Both are stored as JSON documents of the domain
//! types (one row per guide, one per unit), scoped by agency.

use crate::{Db, Result, StoreError, Tx};
use gongkai_domain::guide::{Guide, UnitCategory, UnitDetails};
use sqlx::types::Json;
use time::OffsetDateTime;

/// A guide as stored, with when it was last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGuide {
    pub agency_id: i64,
    pub guide: Guide,
    pub updated_at: OffsetDateTime,
}

pub async fn guide(db: &Db, agency_id: i64) -> Result<Option<StoredGuide>> {
    let row: Option<(i64, Json<Guide>, OffsetDateTime)> = on_db!(db, p => sqlx::query_as(
        "SELECT agency_id, content, updated_at FROM disclosure_guides WHERE agency_id = $1",
    )
    .bind(agency_id)
    .fetch_optional(p)
    .await?);
    Ok(row.map(|(agency_id, Json(guide), updated_at)| StoredGuide { agency_id, guide, updated_at }))
}

/// Creates or replaces the agency's guide.
pub async fn save_guide(tx: &mut Tx, agency_id: i64, g: &Guide, by: Option<i64>) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO disclosure_guides (agency_id, content, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (agency_id) DO UPDATE SET content = $2, updated_at = $3, updated_by = $4",
    )
    .bind(agency_id)
    .bind(Json(g))
    .bind(crate::now())
    .bind(by)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// A 公共企事业单位 under the supervision of an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub agency_id: i64,
    pub name: String,
    pub category: UnitCategory,
    pub details: UnitDetails,
    pub updated_at: OffsetDateTime,
}

type UnitRow = (i64, i64, String, String, Json<UnitDetails>, OffsetDateTime);

fn unit(r: UnitRow) -> Result<Unit> {
    let (id, agency_id, name, category, Json(details), updated_at) = r;
    let category = UnitCategory::parse(&category).map_err(|e| StoreError::Encoding(e.0))?;
    Ok(Unit { id, agency_id, name, category, details, updated_at })
}

const UNIT_COLS: &str = "id, agency_id, name, category, details, updated_at";

pub async fn create_unit(
    tx: &mut Tx,
    agency_id: i64,
    name: &str,
    category: UnitCategory,
    details: &UnitDetails,
) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO public_units (agency_id, name, category, details, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(agency_id)
    .bind(name)
    .bind(category.as_str())
    .bind(Json(details))
    .bind(now)
    .fetch_one(c)
    .await?))
}

pub async fn update_unit(
    tx: &mut Tx,
    agency_id: i64,
    id: i64,
    name: &str,
    category: UnitCategory,
    details: &UnitDetails,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE public_units SET name = $3, category = $4, details = $5, updated_at = $6 \
         WHERE agency_id = $1 AND id = $2",
    )
    .bind(agency_id)
    .bind(id)
    .bind(name)
    .bind(category.as_str())
    .bind(Json(details))
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// The units of one agency, by name.
pub async fn units_of(db: &Db, agency_id: i64) -> Result<Vec<Unit>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLS} FROM public_units WHERE agency_id = $1 ORDER BY name"));
    let rows: Vec<UnitRow> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?);
    rows.into_iter().map(unit).collect()
}

/// Every unit of the platform (the public directory), optionally of one category, by category and name.
pub async fn all_units(db: &Db, category: Option<UnitCategory>) -> Result<Vec<Unit>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {UNIT_COLS} FROM public_units WHERE ($1 = '' OR category = $1) ORDER BY category, name, id"
    ));
    let cat = category.map(UnitCategory::as_str).unwrap_or("");
    let rows: Vec<UnitRow> = on_db!(db, p => sqlx::query_as(sql).bind(cat).fetch_all(p).await?);
    rows.into_iter().map(unit).collect()
}

pub async fn unit_by_id(db: &Db, id: i64) -> Result<Option<Unit>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLS} FROM public_units WHERE id = $1"));
    let row: Option<UnitRow> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?);
    row.map(unit).transpose()
}
