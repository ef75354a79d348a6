//! 12345 work orders (docs/law/public-interaction.md §3, §7): orders upserted on (agency, 工单编号) from imported
//! files, the local steps staff record (append-only), and one row per imported file. Every read is scoped by
//! agency.

use crate::{Actor, Db, Result, StoreError, Tx};
use gongkai_domain::interaction::hotline::{Deadline, OrderRow, Step, beijing, beijing_date};
use sqlx::types::Json;
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// An order as stored. `kind`, `status` and `satisfaction` are the domain's codes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Order {
    pub id: i64,
    pub agency_id: i64,
    pub order_no: String,
    pub kind: String,
    pub title: String,
    pub content: String,
    pub unit: String,
    pub channel: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub urgency: String,
    pub category_code: String,
    pub category_name: String,
    pub dispatched_at: OffsetDateTime,
    /// The Beijing date of 派单.
    pub dispatched_on: Date,
    /// The deadline the file gave: a date, or working days.
    pub due_on: Option<Date>,
    pub time_limit_days: Option<i32>,
    pub status: String,
    pub closed_at: Option<OffsetDateTime>,
    pub reply: String,
    pub satisfaction: Option<String>,
    pub duplicate: bool,
    pub invalid: bool,
    pub raw: Json<BTreeMap<String, String>>,
    pub batch_id: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Order {
    /// The file's deadline, if it gave one.
    pub fn file_deadline(&self) -> Option<Deadline> {
        match (self.due_on, self.time_limit_days) {
            (Some(d), _) => Some(Deadline::On(d)),
            (None, Some(n)) => u32::try_from(n).ok().map(Deadline::WorkingDays),
            (None, None) => None,
        }
    }

    /// The Beijing date 办结 was submitted, if it was.
    pub fn closed_on(&self) -> Option<Date> {
        self.closed_at.map(beijing_date)
    }
}

const COLUMNS: &str = "id, agency_id, order_no, kind, title, content, unit, channel, contact_name, contact_phone, \
    urgency, category_code, category_name, dispatched_at, dispatched_on, due_on, time_limit_days, status, closed_at, \
    reply, satisfaction, duplicate, invalid, raw, batch_id, created_at, updated_at";

/// What an upsert did to one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Created(i64),
    Updated(i64),
    /// The stored raw row equals the imported one: nothing was written.
    Unchanged(i64),
}

/// An imported file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Batch {
    pub id: i64,
    pub agency_id: i64,
    pub file_name: String,
    pub file_hash: String,
    pub row_count: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub imported_by_label: String,
    pub imported_at: OffsetDateTime,
}

/// Starts the record of an imported file; [`finish_batch`] writes its counts.
pub async fn begin_batch(tx: &mut Tx, agency_id: i64, file_name: &str, file_hash: &str, by: &Actor) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO hotline_import_batches (agency_id, file_name, file_hash, row_count, created, updated, unchanged, \
         imported_by, imported_by_label, imported_at) VALUES ($1, $2, $3, 0, 0, 0, 0, $4, $5, $6) RETURNING id",
    )
    .bind(agency_id)
    .bind(file_name)
    .bind(file_hash)
    .bind(by.id())
    .bind(by.label())
    .bind(crate::now())
    .fetch_one(c)
    .await?))
}

/// Counts of an import: rows, created, updated, unchanged.
pub async fn finish_batch(tx: &mut Tx, batch_id: i64, counts: [usize; 4]) -> Result<()> {
    let [rows, created, updated, unchanged] = counts.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    on_tx!(tx, c => sqlx::query(
        "UPDATE hotline_import_batches SET row_count = $1, created = $2, updated = $3, unchanged = $4 WHERE id = $5",
    )
    .bind(rows)
    .bind(created)
    .bind(updated)
    .bind(unchanged)
    .bind(batch_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Creates the order, or updates it when its imported row differs from the stored one (its local events stay);
/// an identical row changes nothing.
pub async fn upsert(tx: &mut Tx, agency_id: i64, batch_id: i64, row: &OrderRow) -> Result<Upsert> {
    let existing: Option<(i64, Json<BTreeMap<String, String>>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, raw FROM hotline_orders WHERE agency_id = $1 AND order_no = $2",
    )
    .bind(agency_id)
    .bind(&row.order_no)
    .fetch_optional(c)
    .await?);
    let (due_on, limit) = match row.deadline {
        Some(Deadline::On(d)) => (Some(d), None),
        Some(Deadline::WorkingDays(n)) => (None, i32::try_from(n).ok()),
        None => (None, None),
    };
    let dispatched_at = beijing(row.dispatched_at);
    let closed_at = row.closed_at.map(beijing);
    let now = crate::now();
    let id = match existing {
        Some((id, raw)) if raw.0 == row.raw => return Ok(Upsert::Unchanged(id)),
        Some((id, _)) => id,
        None => 0,
    };
    // One statement for both: $1 is the id to update (0 to insert).
    let sql = if id == 0 {
        "INSERT INTO hotline_orders (agency_id, order_no, kind, title, content, unit, channel, contact_name, \
         contact_phone, urgency, category_code, category_name, dispatched_at, dispatched_on, due_on, time_limit_days, \
         status, closed_at, reply, satisfaction, duplicate, invalid, raw, batch_id, created_at, updated_at) \
         SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
         $24, $25, $26, $26 WHERE $1 = 0 RETURNING id"
    } else {
        "UPDATE hotline_orders SET kind = $4, title = $5, content = $6, unit = $7, channel = $8, contact_name = $9, \
         contact_phone = $10, urgency = $11, category_code = $12, category_name = $13, dispatched_at = $14, \
         dispatched_on = $15, due_on = $16, time_limit_days = $17, status = $18, closed_at = $19, reply = $20, \
         satisfaction = $21, duplicate = $22, invalid = $23, raw = $24, batch_id = $25, updated_at = $26 \
         WHERE id = $1 AND agency_id = $2 AND order_no = $3 RETURNING id"
    };
    let written: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(agency_id)
        .bind(&row.order_no)
        .bind(row.kind.as_str())
        .bind(&row.title)
        .bind(&row.content)
        .bind(&row.unit)
        .bind(&row.channel)
        .bind(&row.contact_name)
        .bind(&row.contact_phone)
        .bind(&row.urgency)
        .bind(&row.category_code)
        .bind(&row.category_name)
        .bind(dispatched_at)
        .bind(row.dispatched_at.date())
        .bind(due_on)
        .bind(limit)
        .bind(row.status.as_str())
        .bind(closed_at)
        .bind(&row.reply)
        .bind(row.satisfaction.map(|s| s.as_str()))
        .bind(row.duplicate)
        .bind(row.invalid)
        .bind(Json(&row.raw))
        .bind(batch_id)
        .bind(now)
        .fetch_optional(c)
        .await?);
    match (written, id) {
        (Some(new), 0) => Ok(Upsert::Created(new)),
        (Some(id), _) => Ok(Upsert::Updated(id)),
        (None, _) => Err(StoreError::NotFound),
    }
}

/// The agency's orders received (派单) in `year` (Beijing dates), or all of them, oldest first.
pub async fn list(db: &Db, agency_id: i64, year: Option<i32>) -> Result<Vec<Order>> {
    let (from, to) = match year {
        Some(y) => (Date::from_ordinal_date(y, 1).ok(), Date::from_ordinal_date(y + 1, 1).ok()),
        None => (None, None),
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM hotline_orders WHERE agency_id = $1 \
         AND ($2 IS NULL OR dispatched_on >= $2) AND ($3 IS NULL OR dispatched_on < $3) \
         ORDER BY dispatched_at, order_no"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(from).bind(to).fetch_all(p).await?))
}

/// One order of the agency by its 工单编号.
pub async fn by_no(db: &Db, agency_id: i64, order_no: &str) -> Result<Option<Order>> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM hotline_orders WHERE agency_id = $1 AND order_no = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(order_no).fetch_optional(p).await?))
}

/// The imported files of the agency, newest first.
pub async fn batches(db: &Db, agency_id: i64) -> Result<Vec<Batch>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, agency_id, file_name, file_hash, row_count, created, updated, unchanged, imported_by_label, \
         imported_at FROM hotline_import_batches WHERE agency_id = $1 ORDER BY id DESC",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// A local step of an order.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: i64,
    pub order_id: i64,
    pub at: OffsetDateTime,
    pub actor_label: String,
    pub on_date: Date,
    pub step: Step,
    pub note: String,
}

type EventRow = (i64, i64, OffsetDateTime, String, Date, Json<Step>, String);

/// Appends a local step and updates the order's projections (`status`; `closed_at` when given, `reply` on 办结,
/// `satisfaction` on 回访), in the caller's transaction.
///
/// `after` is the id of the last event the caller based its decision on (0 for none): when another step was
/// appended meanwhile, nothing is written and [`StoreError::Conflict`] is returned (drop the transaction then).
#[allow(clippy::too_many_arguments)]
pub async fn append_event(
    tx: &mut Tx,
    order_id: i64,
    after: i64,
    actor: &Actor,
    on_date: Date,
    step: &Step,
    note: &str,
    status: &str,
    closed_at: Option<OffsetDateTime>,
) -> Result<i64> {
    let (reply, satisfaction) = match step {
        Step::Close { reply } => (Some(reply.as_str()), None),
        Step::Visit { satisfaction } => (None, Some(satisfaction.as_str())),
        _ => (None, None),
    };
    // The projection first: it locks the order's row, so a concurrent step waits and then sees this event.
    on_tx!(tx, c => sqlx::query(
        "UPDATE hotline_orders SET status = $1, closed_at = COALESCE($2, closed_at), reply = COALESCE($3, reply), \
         satisfaction = COALESCE($4, satisfaction) WHERE id = $5",
    )
    .bind(status)
    .bind(closed_at)
    .bind(reply)
    .bind(satisfaction)
    .bind(order_id)
    .execute(c)
    .await?
    .rows_affected());
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO hotline_events (order_id, at, actor_id, actor_label, on_date, kind, data, note) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
         WHERE (SELECT COALESCE(MAX(id), 0) FROM hotline_events WHERE order_id = $1) = $9 RETURNING id",
    )
    .bind(order_id)
    .bind(crate::now())
    .bind(actor.id())
    .bind(actor.label())
    .bind(on_date)
    .bind(step.kind().as_str())
    .bind(Json(step))
    .bind(note)
    .bind(after)
    .fetch_optional(c)
    .await?);
    id.ok_or_else(|| StoreError::Conflict("工单已被他人更新".into()))
}

/// The local steps of an order, in order.
pub async fn events(db: &Db, order_id: i64) -> Result<Vec<EventRecord>> {
    let rows: Vec<EventRow> = on_db!(db, p => sqlx::query_as(
        "SELECT id, order_id, at, actor_label, on_date, data, note FROM hotline_events WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(id, order_id, at, actor_label, on_date, step, note)| EventRecord {
            id,
            order_id,
            at,
            actor_label,
            on_date,
            step: step.0,
            note,
        })
        .collect())
}
