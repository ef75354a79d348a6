//! 通报 of website checks and the 整改 of their findings (docs/law/supervision.md §2.6–§2.8). A 通报 belongs to
//! the issuing agency and takes its 文号 from that agency's own yearly sequence; a 整改 item belongs to the
//! failing agency. Every status change is a compare-and-set on the status it started from.

use crate::{Db, Result, StoreError, Tx};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Bulletin {
    pub id: i64,
    pub agency_id: i64,
    pub round: String,
    pub period: String,
    pub check_date: Date,
    pub title: String,
    pub body: String,
    /// The failing findings the draft was written from, as JSON.
    pub findings: String,
    pub status: String,
    pub doc_no: Option<String>,
    pub issued_on: Option<Date>,
    pub entry_id: Option<i64>,
    pub submitted_by: Option<i64>,
    pub return_note: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

const COLUMNS: &str = "id, agency_id, round, period, check_date, title, body, findings, status, doc_no, issued_on, \
     entry_id, submitted_by, return_note, created_at, updated_at, updated_by";

#[derive(Debug, Clone)]
pub struct NewBulletin<'a> {
    pub agency_id: i64,
    pub round: &'a str,
    pub period: &'a str,
    pub check_date: Date,
    pub title: &'a str,
    pub body: &'a str,
    pub findings: &'a str,
    pub by: &'a str,
}

pub async fn create(tx: &mut Tx, b: &NewBulletin<'_>) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO monitor_bulletins (agency_id, round, period, check_date, title, body, findings, status, \
         created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $8, $9) RETURNING id",
    )
    .bind(b.agency_id)
    .bind(b.round)
    .bind(b.period)
    .bind(b.check_date)
    .bind(b.title)
    .bind(b.body)
    .bind(b.findings)
    .bind(now)
    .bind(b.by)
    .fetch_one(c)
    .await?))
}

pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Bulletin>> {
    let q = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM monitor_bulletins WHERE id = $1 AND agency_id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(id).bind(agency_id).fetch_optional(p).await?))
}

/// The agency's 通报, newest first.
pub async fn of_agency(db: &Db, agency_id: i64) -> Result<Vec<Bulletin>> {
    let q = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM monitor_bulletins WHERE agency_id = $1 ORDER BY check_date DESC, id DESC"
    ));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(agency_id).fetch_all(p).await?))
}

fn changed(n: u64) -> Result<()> {
    if n == 0 { Err(StoreError::Conflict("通报状态已变化".into())) } else { Ok(()) }
}

/// Edits a draft.
pub async fn update_draft(tx: &mut Tx, id: i64, title: &str, body: &str, by: &str) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_bulletins SET title = $1, body = $2, updated_at = $3, updated_by = $4 \
         WHERE id = $5 AND status = 'draft'",
    )
    .bind(title)
    .bind(body)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// Moves a 通报 from `from` to `to` (submission records who submitted; a return its note).
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &str,
    to: &str,
    submitted_by: Option<i64>,
    return_note: &str,
    by: &str,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_bulletins SET status = $1, submitted_by = COALESCE($2, submitted_by), return_note = $3, \
         updated_at = $4, updated_by = $5 WHERE id = $6 AND status = $7",
    )
    .bind(to)
    .bind(submitted_by)
    .bind(return_note)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .bind(from)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// The next number of the agency's 通报 sequence for `year` (1, 2, …), in the caller's transaction (like the
/// letters' sequence: a rolled-back number is not used, none is handed out twice).
pub async fn next_number(tx: &mut Tx, agency_id: i64, year: i32) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO monitor_bulletin_sequences (agency_id, year, last_no) VALUES ($1, $2, 1) \
         ON CONFLICT (agency_id, year) DO UPDATE SET last_no = monitor_bulletin_sequences.last_no + 1 \
         RETURNING last_no",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_one(c)
    .await?))
}

/// Approves a submitted 通报 with its 文号.
pub async fn mark_approved(
    tx: &mut Tx,
    id: i64,
    doc_no: &str,
    year: i32,
    seq: i64,
    issued_on: Date,
    by: &str,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_bulletins SET status = 'approved', doc_no = $1, seq_year = $2, seq_no = $3, issued_on = $4, \
         return_note = '', updated_at = $5, updated_by = $6 WHERE id = $7 AND status = 'submitted'",
    )
    .bind(doc_no)
    .bind(year)
    .bind(seq)
    .bind(issued_on)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// Records the catalog entry an approved 通报 was published as.
pub async fn mark_published(tx: &mut Tx, id: i64, entry_id: i64, by: &str) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_bulletins SET status = 'published', entry_id = $1, updated_at = $2, updated_by = $3 \
         WHERE id = $4 AND status = 'approved'",
    )
    .bind(entry_id)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// One 整改 item, with the issuing agency and the 通报's number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rectification {
    pub id: i64,
    pub bulletin_id: i64,
    /// The failing agency.
    pub agency_id: i64,
    pub indicator: String,
    pub kind: String,
    pub message: String,
    pub due_on: Date,
    pub status: String,
    pub report: String,
    pub evidence: String,
    pub reported_on: Option<Date>,
    pub review_note: String,
    pub rejections: i32,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
    /// The agency that issued the 通报.
    pub issuer_id: i64,
    pub doc_no: Option<String>,
    pub bulletin_title: String,
}

const RECT_SELECT: &str = "SELECT r.id, r.bulletin_id, r.agency_id, r.indicator, r.kind, r.message, r.due_on, \
     r.status, r.report, r.evidence, r.reported_on, r.review_note, r.rejections, r.updated_at, r.updated_by, \
     b.agency_id AS issuer_id, b.doc_no, b.title AS bulletin_title \
     FROM monitor_rectifications r JOIN monitor_bulletins b ON b.id = r.bulletin_id";

#[derive(Debug, Clone)]
pub struct NewRectification<'a> {
    pub bulletin_id: i64,
    pub agency_id: i64,
    pub indicator: &'a str,
    pub kind: &'a str,
    pub message: &'a str,
    pub due_on: Date,
    pub by: &'a str,
}

pub async fn create_rectification(tx: &mut Tx, r: &NewRectification<'_>) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO monitor_rectifications (bulletin_id, agency_id, indicator, kind, message, due_on, status, \
         created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $8) RETURNING id",
    )
    .bind(r.bulletin_id)
    .bind(r.agency_id)
    .bind(r.indicator)
    .bind(r.kind)
    .bind(r.message)
    .bind(r.due_on)
    .bind(now)
    .bind(r.by)
    .fetch_one(c)
    .await?))
}

pub async fn rectification(db: &Db, id: i64) -> Result<Option<Rectification>> {
    let q = sqlx::AssertSqlSafe(format!("{RECT_SELECT} WHERE r.id = $1"));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(id).fetch_optional(p).await?))
}

/// The items of one 通报.
pub async fn rectifications_of_bulletin(db: &Db, bulletin_id: i64) -> Result<Vec<Rectification>> {
    let q = sqlx::AssertSqlSafe(format!("{RECT_SELECT} WHERE r.bulletin_id = $1 ORDER BY r.agency_id, r.id"));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(bulletin_id).fetch_all(p).await?))
}

/// The items the agency must rectify, earliest due first.
pub async fn rectifications_of_agency(db: &Db, agency_id: i64) -> Result<Vec<Rectification>> {
    let q = sqlx::AssertSqlSafe(format!("{RECT_SELECT} WHERE r.agency_id = $1 ORDER BY r.due_on, r.id"));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(agency_id).fetch_all(p).await?))
}

/// The items of every 通报 the agency issued, earliest due first.
pub async fn rectifications_issued_by(db: &Db, issuer_id: i64) -> Result<Vec<Rectification>> {
    let q = sqlx::AssertSqlSafe(format!("{RECT_SELECT} WHERE b.agency_id = $1 ORDER BY r.due_on, r.id"));
    Ok(on_db!(db, p => sqlx::query_as(q).bind(issuer_id).fetch_all(p).await?))
}

/// The failing agency reports what it did (`pending` → `reported`).
pub async fn report_rectification(
    tx: &mut Tx,
    id: i64,
    report: &str,
    evidence: &str,
    on: Date,
    by: &str,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_rectifications SET status = 'reported', report = $1, evidence = $2, reported_on = $3, \
         updated_at = $4, updated_by = $5 WHERE id = $6 AND status = 'pending'",
    )
    .bind(report)
    .bind(evidence)
    .bind(on)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 { Err(StoreError::Conflict("整改事项状态已变化".into())) } else { Ok(()) }
}

/// The supervisor's review of a reported item: passed (`passed`), or not (`pending` again, due `new_due`).
pub async fn review_rectification(
    tx: &mut Tx,
    id: i64,
    passed: bool,
    note: &str,
    new_due: Option<Date>,
    by: &str,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE monitor_rectifications SET status = $1, review_note = $2, due_on = COALESCE($3, due_on), \
         rejections = rejections + $4, updated_at = $5, updated_by = $6 WHERE id = $7 AND status = 'reported'",
    )
    .bind(if passed { "passed" } else { "pending" })
    .bind(note)
    .bind(new_due)
    .bind(if passed { 0i32 } else { 1i32 })
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 { Err(StoreError::Conflict("整改事项状态已变化".into())) } else { Ok(()) }
}
