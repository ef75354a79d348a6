//! 政务新媒体 register: an agency's accounts and the append-only log of their steps.

use crate::{Db, Result, StoreError, Tx};
use serde_json::Value;
pub use sqlx::types::Json;
use time::{Date, OffsetDateTime};

/// The details of an account that a 变更 may change.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Details {
    pub platform: String,
    pub name: String,
    pub url: String,
    /// 主办单位.
    pub sponsor: String,
    /// 运营单位.
    pub operator: String,
    /// 认证主体.
    pub verified_subject: String,
    /// 备案号.
    pub filing_no: String,
    pub last_post_on: Option<Date>,
    /// Whether the account offers working interaction (留言、评论).
    pub interaction_on: bool,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub agency_id: i64,
    pub platform: String,
    pub name: String,
    pub url: String,
    pub sponsor: String,
    pub operator: String,
    pub verified_subject: String,
    pub filing_no: String,
    /// [`gongkai_domain::new_media::Status`] code.
    pub status: String,
    pub last_post_on: Option<Date>,
    pub interaction_on: bool,
    /// The details of a 变更 waiting for approval.
    pub pending: Option<Json<Value>>,
    pub opened_on: Option<Date>,
    pub notice_on: Option<Date>,
    pub notice_until: Option<Date>,
    pub closed_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub account_id: i64,
    pub step: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub day: Date,
    pub actor: String,
    pub note: String,
    pub created_at: OffsetDateTime,
}

const COLS: &str = "id, agency_id, platform, name, url, sponsor, operator, verified_subject, filing_no, status, \
     last_post_on, interaction_on, pending, opened_on, notice_on, notice_until, closed_on, created_at";

/// A new account in `status` (申请开设).
pub async fn create(tx: &mut Tx, agency_id: i64, d: &Details, status: &str) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO media_accounts (agency_id, platform, name, url, sponsor, operator, verified_subject, filing_no, \
         status, last_post_on, interaction_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(agency_id)
    .bind(&d.platform)
    .bind(&d.name)
    .bind(&d.url)
    .bind(&d.sponsor)
    .bind(&d.operator)
    .bind(&d.verified_subject)
    .bind(&d.filing_no)
    .bind(status)
    .bind(d.last_post_on)
    .bind(d.interaction_on)
    .bind(crate::now())
    .fetch_one(x)
    .await?))
}

/// Writes an account's details, status, pending change and dates (the row as the app computed it), only when
/// the stored status is still `expected` (two approvers at once: the second finds the step taken).
pub async fn update(tx: &mut Tx, a: &Account, expected: &str) -> Result<()> {
    let n = on_tx!(tx, x => sqlx::query(
        "UPDATE media_accounts SET platform = $3, name = $4, url = $5, sponsor = $6, operator = $7, \
         verified_subject = $8, filing_no = $9, status = $10, last_post_on = $11, interaction_on = $12, \
         pending = $13, opened_on = $14, notice_on = $15, notice_until = $16, closed_on = $17 \
         WHERE id = $1 AND agency_id = $2 AND status = $18",
    )
    .bind(a.id)
    .bind(a.agency_id)
    .bind(&a.platform)
    .bind(&a.name)
    .bind(&a.url)
    .bind(&a.sponsor)
    .bind(&a.operator)
    .bind(&a.verified_subject)
    .bind(&a.filing_no)
    .bind(&a.status)
    .bind(a.last_post_on)
    .bind(a.interaction_on)
    .bind(a.pending.clone())
    .bind(a.opened_on)
    .bind(a.notice_on)
    .bind(a.notice_until)
    .bind(a.closed_on)
    .bind(expected)
    .execute(x)
    .await?
    .rows_affected());
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Appends a step to the account's log.
pub async fn log(tx: &mut Tx, e: &Event) -> Result<()> {
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO media_events (account_id, step, from_status, to_status, day, actor, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.account_id)
    .bind(&e.step)
    .bind(&e.from_status)
    .bind(&e.to_status)
    .bind(e.day)
    .bind(&e.actor)
    .bind(&e.note)
    .bind(crate::now())
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Account>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM media_accounts WHERE agency_id = $1 AND id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(id).fetch_optional(p).await?))
}

/// The agency's accounts, by platform and name.
pub async fn of_agency(db: &Db, agency_id: i64) -> Result<Vec<Account>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM media_accounts WHERE agency_id = $1 ORDER BY platform, name, id"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

/// The steps of the agency's accounts, oldest first.
pub async fn events_of_agency(db: &Db, agency_id: i64) -> Result<Vec<Event>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT e.id, e.account_id, e.step, e.from_status, e.to_status, e.day, e.actor, e.note, e.created_at \
         FROM media_events e JOIN media_accounts a ON a.id = e.account_id WHERE a.agency_id = $1 ORDER BY e.id",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// A quarterly check of an account (§3.4).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Check {
    pub id: i64,
    pub account_id: i64,
    /// `2026Q1`.
    pub quarter: String,
    pub checked_on: Date,
    pub last_post_on: Option<Date>,
    pub interaction_ok: bool,
    pub severe_error: bool,
    /// The veto codes, comma-separated (empty when passed).
    pub vetoes: String,
    pub passed: bool,
    pub note: String,
    pub actor: String,
    pub created_at: OffsetDateTime,
}

pub async fn add_check(tx: &mut Tx, c: &Check) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO media_checks (account_id, quarter, checked_on, last_post_on, interaction_ok, severe_error, \
         vetoes, passed, note, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(c.account_id)
    .bind(&c.quarter)
    .bind(c.checked_on)
    .bind(c.last_post_on)
    .bind(c.interaction_ok)
    .bind(c.severe_error)
    .bind(&c.vetoes)
    .bind(c.passed)
    .bind(&c.note)
    .bind(&c.actor)
    .bind(crate::now())
    .fetch_one(x)
    .await?))
}

/// The checks of the agency's accounts, newest first.
pub async fn checks_of_agency(db: &Db, agency_id: i64) -> Result<Vec<Check>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT c.id, c.account_id, c.quarter, c.checked_on, c.last_post_on, c.interaction_ok, c.severe_error, \
         c.vetoes, c.passed, c.note, c.actor, c.created_at FROM media_checks c \
         JOIN media_accounts a ON a.id = c.account_id WHERE a.agency_id = $1 ORDER BY c.checked_on DESC, c.id DESC",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}
