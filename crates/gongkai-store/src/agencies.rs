//! Agencies (tenants), forming a tree: a government, its departments, its streets and towns.

use crate::{Db, Result, StoreError, Tx};
use gongkai_domain::agency::{AgencyCode, AgencyKind};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: i64,
    pub code: AgencyCode,
    pub name: String,
    /// 统一社会信用代码 or 组织机构代码, as registered.
    pub identifier: Option<String>,
    pub kind: AgencyKind,
    pub parent_id: Option<i64>,
    pub sort_order: i64,
    pub created_at: OffsetDateTime,
}

/// A checked new agency; the service parses user input into this.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub code: AgencyCode,
    pub name: String,
    pub identifier: Option<String>,
    pub kind: AgencyKind,
    pub parent_id: Option<i64>,
    pub sort_order: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    name: String,
    identifier: Option<String>,
    kind: String,
    parent_id: Option<i64>,
    sort_order: i64,
    created_at: OffsetDateTime,
}

impl TryFrom<Row> for Agency {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Agency> {
        Ok(Agency {
            id: r.id,
            code: AgencyCode::parse(&r.code).map_err(|e| StoreError::Encoding(e.to_string()))?,
            name: r.name,
            identifier: r.identifier,
            kind: AgencyKind::parse(&r.kind).map_err(|e| StoreError::Encoding(e.to_string()))?,
            parent_id: r.parent_id,
            sort_order: r.sort_order,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, code, name, identifier, kind, parent_id, sort_order, created_at";

pub async fn create(tx: &mut Tx, a: &NewAgency) -> Result<Agency> {
    let row: Row = on_tx!(tx, c => sqlx::query_as(
        "INSERT INTO agencies (code, name, identifier, kind, parent_id, sort_order, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING id, code, name, identifier, kind, parent_id, sort_order, created_at",
    )
    .bind(a.code.as_str())
    .bind(&a.name)
    .bind(&a.identifier)
    .bind(a.kind.as_str())
    .bind(a.parent_id)
    .bind(a.sort_order)
    .bind(crate::now())
    .fetch_one(c)
    .await?);
    row.try_into()
}

/// Every agency, parents before children where sort orders allow, then by sort order and id.
pub async fn list_all(db: &Db) -> Result<Vec<Agency>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM agencies ORDER BY sort_order, id"));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    rows.into_iter().map(Agency::try_from).collect()
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Agency>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM agencies WHERE code = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(code).fetch_optional(p).await?);
    row.map(Agency::try_from).transpose()
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Agency>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM agencies WHERE id = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?);
    row.map(Agency::try_from).transpose()
}

/// The direct children of an agency (or the top-level agencies for `None`).
pub async fn children(db: &Db, parent: Option<i64>) -> Result<Vec<Agency>> {
    let sql = sqlx::AssertSqlSafe(match parent {
        Some(_) => format!("SELECT {COLUMNS} FROM agencies WHERE parent_id = $1 ORDER BY sort_order, id"),
        None => format!("SELECT {COLUMNS} FROM agencies WHERE parent_id IS NULL ORDER BY sort_order, id"),
    });
    let rows: Vec<Row> = on_db!(db, p => {
        let q = sqlx::query_as(sql);
        let q = match parent { Some(id) => q.bind(id), None => q };
        q.fetch_all(p).await?
    });
    rows.into_iter().map(Agency::try_from).collect()
}

/// The ids of an agency and of every agency beneath it.
pub async fn subtree_ids(db: &Db, root: i64) -> Result<Vec<i64>> {
    let ids: Vec<i64> = on_db!(db, p => sqlx::query_scalar(
        "WITH RECURSIVE t(id) AS (SELECT id FROM agencies WHERE id = $1 \
         UNION ALL SELECT a.id FROM agencies a JOIN t ON a.parent_id = t.id) \
         SELECT id FROM t ORDER BY id",
    )
    .bind(root)
    .fetch_all(p)
    .await?);
    Ok(ids)
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM agencies").fetch_one(p).await?))
}
