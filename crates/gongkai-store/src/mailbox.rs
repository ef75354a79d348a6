//! 市长信箱 letters and their events. The letter row holds the state its steps led to; every step is also an
//! append-only event (docs/law/public-interaction.md §6), written in the same transaction.

use crate::{Db, Result, StoreError, Tx};
use serde_json::Value;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};

/// A stored letter.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub agency_id: i64,
    pub query_code: String,
    pub password_hash: String,
    pub kind: String,
    pub title: String,
    pub content: String,
    pub writer_name: String,
    pub phone: String,
    pub email: String,
    pub publish_consent: bool,
    pub confidential: bool,
    pub received_on: Date,
    pub received_at: OffsetDateTime,
    pub limit_wd: i32,
    pub due_on: Date,
    pub status: String,
    pub reply: String,
    pub replied_on: Option<Date>,
    pub reject_reason: String,
    pub petition: bool,
    pub published: bool,
    pub published_question: String,
    pub published_reply: String,
    pub published_at: Option<OffsetDateTime>,
    pub satisfaction: Option<String>,
    pub updated_at: OffsetDateTime,
}

const COLS: &str = "id, agency_id, query_code, password_hash, kind, title, content, writer_name, phone, email, \
     publish_consent, confidential, received_on, received_at, limit_wd, due_on, status, reply, replied_on, \
     reject_reason, petition, published, published_question, published_reply, published_at, satisfaction, updated_at";

/// A letter to store.
#[derive(Debug, Clone)]
pub struct NewLetter<'a> {
    pub agency_id: i64,
    pub query_code: &'a str,
    pub password_hash: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub writer_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub publish_consent: bool,
    pub confidential: bool,
    pub received_on: Date,
    pub limit_wd: i32,
    pub due_on: Date,
}

pub async fn create(tx: &mut Tx, l: &NewLetter<'_>) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO mailbox_letters (agency_id, query_code, password_hash, kind, title, content, writer_name, phone, \
         email, publish_consent, confidential, received_on, received_at, limit_wd, due_on, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open', $13) RETURNING id",
    )
    .bind(l.agency_id)
    .bind(l.query_code)
    .bind(l.password_hash)
    .bind(l.kind)
    .bind(l.title)
    .bind(l.content)
    .bind(l.writer_name)
    .bind(l.phone)
    .bind(l.email)
    .bind(l.publish_consent)
    .bind(l.confidential)
    .bind(l.received_on)
    .bind(now)
    .bind(l.limit_wd)
    .bind(l.due_on)
    .fetch_one(c)
    .await?))
}

/// Whether a query code is taken (codes are random; the caller draws again).
pub async fn code_taken(tx: &mut Tx, code: &str) -> Result<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM mailbox_letters WHERE query_code = $1")
        .bind(code)
        .fetch_one(c)
        .await?);
    Ok(n > 0)
}

pub async fn by_query_code(db: &Db, code: &str) -> Result<Option<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM mailbox_letters WHERE query_code = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(code).fetch_optional(p).await?))
}

/// A letter of the agency (another agency's letter is not found).
pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM mailbox_letters WHERE agency_id = $1 AND id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(id).fetch_optional(p).await?))
}

/// Every letter of the agency, newest first (the console filters and pages them; an office has hundreds a year).
pub async fn of_agency(db: &Db, agency_id: i64) -> Result<Vec<Letter>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM mailbox_letters WHERE agency_id = $1 ORDER BY received_at DESC, id DESC"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

/// The agency's published letters, newest publication first.
pub async fn published(db: &Db, agency_id: i64, limit: i64, offset: i64) -> Result<(Vec<Letter>, i64)> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM mailbox_letters WHERE agency_id = $1 AND published = $2 \
         ORDER BY published_at DESC, id DESC LIMIT $3 OFFSET $4"
    ));
    let rows: Vec<Letter> =
        on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(true).bind(limit).bind(offset).fetch_all(p).await?);
    let total: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM mailbox_letters WHERE agency_id = $1 AND published = $2",
    )
    .bind(agency_id)
    .bind(true)
    .fetch_one(p)
    .await?);
    Ok((rows, total))
}

/// The state a step leaves the letter in: every field is written (the caller starts from the stored letter).
pub async fn save_state(tx: &mut Tx, l: &Letter) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE mailbox_letters SET agency_id = $2, limit_wd = $3, due_on = $4, status = $5, reply = $6, \
         replied_on = $7, reject_reason = $8, petition = $9, published = $10, published_question = $11, \
         published_reply = $12, published_at = $13, satisfaction = $14, updated_at = $15 WHERE id = $1",
    )
    .bind(l.id)
    .bind(l.agency_id)
    .bind(l.limit_wd)
    .bind(l.due_on)
    .bind(&l.status)
    .bind(&l.reply)
    .bind(l.replied_on)
    .bind(&l.reject_reason)
    .bind(l.petition)
    .bind(l.published)
    .bind(&l.published_question)
    .bind(&l.published_reply)
    .bind(l.published_at)
    .bind(&l.satisfaction)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// One step on a letter, as the log shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub letter_id: i64,
    pub kind: String,
    pub details: Json<Value>,
    pub actor_label: String,
    pub at: OffsetDateTime,
}

pub async fn add_event(tx: &mut Tx, letter_id: i64, kind: &str, details: &Value, actor_label: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO mailbox_events (letter_id, kind, details, actor_label, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(letter_id)
    .bind(kind)
    .bind(Json(details))
    .bind(actor_label)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn events(db: &Db, letter_id: i64) -> Result<Vec<Event>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, letter_id, kind, details, actor_label, at FROM mailbox_events WHERE letter_id = $1 ORDER BY id",
    )
    .bind(letter_id)
    .fetch_all(p)
    .await?))
}
