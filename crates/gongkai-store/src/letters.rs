//! 文书 of 依申请公开: per-agency templates and 文号 template, the yearly 文号 sequence, and the letters of a
//! case. A draft may be edited; sending gives it the next number of the agency's sequence and freezes it
//! (the database refuses any later change or deletion by trigger, on both backends).

use crate::{Db, Result, StoreError, Tx};
use time::{Date, OffsetDateTime};

/// A letter as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub agency_id: i64,
    pub application_id: i64,
    pub kind: String,
    /// The case event that produced the draft (e.g. the 补正告知 or the decision).
    pub event_id: Option<i64>,
    pub title: String,
    pub body: String,
    /// `draft` or `sent`.
    pub status: String,
    pub doc_no: Option<String>,
    pub sent_on: Option<Date>,
    /// The sent letter this one corrects (更正), if it is a corrected letter.
    pub corrects_id: Option<i64>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl Letter {
    pub fn is_sent(&self) -> bool {
        self.status == "sent"
    }
}

const COLUMNS: &str = "id, agency_id, application_id, kind, event_id, title, body, status, doc_no, sent_on, corrects_id, \
     created_at, updated_at, updated_by";

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewLetter<'a> {
    pub agency_id: i64,
    pub application_id: i64,
    pub kind: &'a str,
    pub event_id: Option<i64>,
    pub title: &'a str,
    pub body: &'a str,
    /// The sent letter this draft corrects (更正).
    pub corrects_id: Option<i64>,
    pub by: &'a str,
}

pub async fn create_draft(tx: &mut Tx, l: &NewLetter<'_>) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO letters (agency_id, application_id, kind, event_id, title, body, status, created_at, updated_at, \
         updated_by, corrects_id) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $7, $8, $9) RETURNING id",
    )
    .bind(l.agency_id)
    .bind(l.application_id)
    .bind(l.kind)
    .bind(l.event_id)
    .bind(l.title)
    .bind(l.body)
    .bind(now)
    .bind(l.by)
    .bind(l.corrects_id)
    .fetch_one(c)
    .await?))
}

/// Edits a draft of the agency. A sent letter is not changed: `Conflict` (the trigger would refuse it anyway).
pub async fn update_draft(tx: &mut Tx, agency_id: i64, id: i64, title: &str, body: &str, by: &str) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE letters SET title = $1, body = $2, updated_at = $3, updated_by = $4 \
         WHERE id = $5 AND agency_id = $6 AND status = 'draft'",
    )
    .bind(title)
    .bind(body)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .bind(agency_id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(StoreError::Conflict("文书已发出，不能修改".into()));
    }
    Ok(())
}

/// Takes the next number of the agency's sequence for `year` (1, 2, …). In the caller's transaction: if it
/// rolls back the number is not used, and no number is ever handed out twice (the row is locked until commit).
pub async fn next_number(tx: &mut Tx, agency_id: i64, year: i32) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO letter_sequences (agency_id, year, last_no) VALUES ($1, $2, 1) \
         ON CONFLICT (agency_id, year) DO UPDATE SET last_no = letter_sequences.last_no + 1 RETURNING last_no",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_one(c)
    .await?))
}

/// Marks a draft as sent with its 文号 (frozen from then on). `Conflict` if it was already sent.
#[allow(clippy::too_many_arguments)]
pub async fn mark_sent(
    tx: &mut Tx,
    agency_id: i64,
    id: i64,
    doc_no: &str,
    year: i32,
    seq: i64,
    sent_on: Date,
    by: &str,
) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE letters SET status = 'sent', doc_no = $1, seq_year = $2, seq_no = $3, sent_on = $4, updated_at = $5, \
         updated_by = $6 WHERE id = $7 AND agency_id = $8 AND status = 'draft'",
    )
    .bind(doc_no)
    .bind(year)
    .bind(seq)
    .bind(sent_on)
    .bind(crate::now())
    .bind(by)
    .bind(id)
    .bind(agency_id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(StoreError::Conflict("文书已发出".into()));
    }
    Ok(())
}

/// One letter of the agency (another agency's letter is not found).
pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM letters WHERE id = $1 AND agency_id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).bind(agency_id).fetch_optional(p).await?))
}

/// The letters of a case, oldest first.
pub async fn of_application(db: &Db, application_id: i64) -> Result<Vec<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM letters WHERE application_id = $1 ORDER BY id"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(application_id).fetch_all(p).await?))
}

/// The same, in the caller's transaction.
pub async fn of_application_tx(tx: &mut Tx, application_id: i64) -> Result<Vec<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM letters WHERE application_id = $1 ORDER BY id"));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await?))
}

/// An agency's own template of a kind, if it replaced the default: (title, body).
pub async fn template(db: &Db, agency_id: i64, kind: &str) -> Result<Option<(String, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT title, body FROM letter_templates WHERE agency_id = $1 AND kind = $2",
    )
    .bind(agency_id)
    .bind(kind)
    .fetch_optional(p)
    .await?))
}

/// Saves an agency's template of a kind (replacing the earlier one).
pub async fn save_template(tx: &mut Tx, agency_id: i64, kind: &str, title: &str, body: &str, by: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO letter_templates (agency_id, kind, title, body, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, kind) DO UPDATE SET title = excluded.title, \
         body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(agency_id)
    .bind(kind)
    .bind(title)
    .bind(body)
    .bind(crate::now())
    .bind(by)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The agency's 文号 template, if it set one.
pub async fn doc_no_template(db: &Db, agency_id: i64) -> Result<Option<String>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT doc_no_template FROM letter_settings WHERE agency_id = $1")
        .bind(agency_id)
        .fetch_optional(p)
        .await?))
}

pub async fn save_doc_no_template(tx: &mut Tx, agency_id: i64, template: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO letter_settings (agency_id, doc_no_template, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (agency_id) DO UPDATE SET doc_no_template = excluded.doc_no_template, \
         updated_at = excluded.updated_at",
    )
    .bind(agency_id)
    .bind(template)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}
