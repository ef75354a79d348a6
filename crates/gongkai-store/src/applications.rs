//! Applications (依申请公开) and their append-only case log. Every read of a case is scoped by agency,
//! except the public lookup by tracking code (which the app guards with the query password).

use crate::{Actor, Db, Result, StoreError, Tx};
use gongkai_domain::application::{CaseEvent, CaseEventKind};
use sqlx::types::Json;
use time::{Date, OffsetDateTime};

/// What is written when an application is submitted.
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    pub agency_id: i64,
    pub tracking_code: &'a str,
    pub password_hash: &'a str,
    pub channel: &'a str,
    pub applicant_type: &'a str,
    pub applicant_name: &'a str,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub description: &'a str,
    pub delivery: &'a str,
    pub submitted_on: Date,
    pub stage: &'a str,
}

/// An application as stored. `stage` and `outcome` are projections of the log, updated with each event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub agency_id: i64,
    pub applicant_id: i64,
    pub tracking_code: String,
    pub password_hash: String,
    pub channel: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub delivery: String,
    pub submitted_on: Date,
    pub stage: String,
    pub outcome: Option<String>,
    pub created_at: OffsetDateTime,
    /// The staff member the case is assigned to (经办人), if any, and their display name.
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
}

const COLUMNS: &str = "id, agency_id, applicant_id, tracking_code, password_hash, channel, applicant_type, \
    applicant_name, id_type, id_number, phone, email, address, description, delivery, submitted_on, stage, outcome, \
    created_at, handler_id, (SELECT u.display_name FROM users u WHERE u.id = applications.handler_id) AS handler_name";

/// One entry of the case log.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: i64,
    pub application_id: i64,
    pub at: OffsetDateTime,
    pub actor_label: String,
    pub event: CaseEvent,
    /// Internal note of staff: never shown to the applicant.
    pub note: String,
}

type EventRow = (i64, i64, OffsetDateTime, String, Date, Json<CaseEventKind>, String);

fn event(r: EventRow) -> EventRecord {
    let (id, application_id, at, actor_label, date, kind, note) = r;
    EventRecord { id, application_id, at, actor_label, event: CaseEvent { date, kind: kind.0 }, note }
}

const EVENT_COLUMNS: &str = "e.id, e.application_id, e.at, e.actor_label, e.on_date, e.data, e.note";

/// Finds or creates the applicant with this identity document (the name is updated to the latest one given).
pub async fn upsert_applicant(
    tx: &mut Tx,
    id_type: &str,
    id_number: &str,
    name: &str,
    applicant_type: &str,
) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO applicants (id_type, id_number, name, applicant_type, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id_type, id_number) DO UPDATE SET name = excluded.name, applicant_type = excluded.applicant_type \
         RETURNING id",
    )
    .bind(id_type)
    .bind(id_number)
    .bind(name)
    .bind(applicant_type)
    .bind(crate::now())
    .fetch_one(c)
    .await?))
}

pub async fn create(tx: &mut Tx, applicant_id: i64, a: &NewApplication<'_>) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO applications (agency_id, applicant_id, tracking_code, password_hash, channel, applicant_type, \
         applicant_name, id_type, id_number, phone, email, address, description, delivery, submitted_on, stage, \
         outcome, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, $17) RETURNING id",
    )
    .bind(a.agency_id)
    .bind(applicant_id)
    .bind(a.tracking_code)
    .bind(a.password_hash)
    .bind(a.channel)
    .bind(a.applicant_type)
    .bind(a.applicant_name)
    .bind(a.id_type)
    .bind(a.id_number)
    .bind(a.phone)
    .bind(a.email)
    .bind(a.address)
    .bind(a.description)
    .bind(a.delivery)
    .bind(a.submitted_on)
    .bind(a.stage)
    .bind(crate::now())
    .fetch_one(c)
    .await?))
}

/// Appends an event to the case log and updates the projections, in the caller's transaction.
///
/// `after` is the id of the last event the caller based its decision on (0 for the first event): if another
/// event was appended meanwhile, nothing is written and [`StoreError::Conflict`] is returned, so two people
/// acting on the same case at once cannot both pass the state machine. On a conflict the caller must drop the
/// transaction (the projection update before the check is then rolled back).
#[allow(clippy::too_many_arguments)]
pub async fn append_event(
    tx: &mut Tx,
    application_id: i64,
    after: i64,
    actor: &Actor,
    event: &CaseEvent,
    note: &str,
    stage: &str,
    outcome: Option<&str>,
) -> Result<i64> {
    let (actor_id, label) = match actor {
        Actor::User { id, username } => (Some(*id), username.as_str()),
        Actor::System(l) => (None, l.as_str()),
    };
    // The projection update comes first: it locks the application's row, so a concurrent step waits here and
    // then sees this one's event in the check below (PostgreSQL READ COMMITTED takes a new snapshot per statement).
    on_tx!(tx, c => sqlx::query("UPDATE applications SET stage = $1, outcome = $2 WHERE id = $3")
        .bind(stage)
        .bind(outcome)
        .bind(application_id)
        .execute(c)
        .await?
        .rows_affected());
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO application_events (application_id, at, actor_id, actor_label, on_date, kind, data, note) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
         WHERE (SELECT COALESCE(MAX(id), 0) FROM application_events WHERE application_id = $1) = $9 RETURNING id",
    )
    .bind(application_id)
    .bind(crate::now())
    .bind(actor_id)
    .bind(label)
    .bind(event.date)
    .bind(event.kind.code())
    .bind(Json(&event.kind))
    .bind(note)
    .bind(after)
    .fetch_optional(c)
    .await?);
    let Some(id) = id else {
        return Err(StoreError::Conflict("案件已被他人更新".into()));
    };
    crate::case_facts::refresh(tx, application_id).await?;
    Ok(id)
}

/// A case of `agency_id` (another agency's case is not found).
pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Application>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM applications WHERE id = $1 AND agency_id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).bind(agency_id).fetch_optional(p).await?))
}

/// The same, in the caller's transaction (e.g. a case created in it).
pub async fn by_id_tx(tx: &mut Tx, agency_id: i64, id: i64) -> Result<Option<Application>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM applications WHERE id = $1 AND agency_id = $2"));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(id).bind(agency_id).fetch_optional(c).await?))
}

/// Assigns a case of the agency to a handler (or none); returns the previous handler.
pub async fn assign(tx: &mut Tx, agency_id: i64, id: i64, handler: Option<i64>) -> Result<Option<i64>> {
    let before: Option<Option<i64>> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT handler_id FROM applications WHERE id = $1 AND agency_id = $2",
    )
    .bind(id)
    .bind(agency_id)
    .fetch_optional(c)
    .await?);
    let Some(before) = before else { return Err(StoreError::NotFound) };
    on_tx!(tx, c => sqlx::query("UPDATE applications SET handler_id = $1 WHERE id = $2 AND agency_id = $3")
        .bind(handler)
        .bind(id)
        .bind(agency_id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(before)
}

/// The public lookup by tracking code (the caller checks the query password).
pub async fn by_tracking_code(db: &Db, code: &str) -> Result<Option<Application>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM applications WHERE tracking_code = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(code).fetch_optional(p).await?))
}

/// Filters of the case list that SQL can apply (deadline filters need the clock and are applied by the app).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub stage: Option<String>,
    pub applicant_type: Option<String>,
    /// Submitted in this calendar year.
    pub year: Option<i32>,
    /// Outcome code (`Outcome::as_str`).
    pub outcome: Option<String>,
    pub handler: HandlerFilter,
}

/// Which handler's cases to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HandlerFilter {
    #[default]
    Any,
    Unassigned,
    User(i64),
}

/// The agency's applications matching `f`, newest first.
pub async fn list(db: &Db, agency_id: i64, f: &ListFilter) -> Result<Vec<Application>> {
    let (from, to) = match f.year {
        // A year no date can have (e.g. 99999 typed in the filter): no case, not every case.
        Some(y) => match Date::from_ordinal_date(y, 1) {
            Ok(from) => (Some(from), Date::from_ordinal_date(y + 1, 1).ok()),
            Err(_) => return Ok(Vec::new()),
        },
        None => (None, None),
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE agency_id = $1 AND ($2 IS NULL OR stage = $2) \
         AND ($3 IS NULL OR applicant_type = $3) AND ($4 IS NULL OR submitted_on >= $4) \
         AND ($5 IS NULL OR submitted_on < $5) AND ($6 IS NULL OR outcome = $6) \
         AND ($7 = 0 OR ($7 = 1 AND handler_id IS NULL) OR ($7 = 2 AND handler_id = $8)) \
         ORDER BY submitted_on DESC, id DESC"
    ));
    let (mode, user): (i32, i64) = match f.handler {
        HandlerFilter::Any => (0, 0),
        HandlerFilter::Unassigned => (1, 0),
        HandlerFilter::User(u) => (2, u),
    };
    Ok(on_db!(db, p => sqlx::query_as(sql)
        .bind(agency_id)
        .bind(f.stage.as_deref())
        .bind(f.applicant_type.as_deref())
        .bind(from)
        .bind(to)
        .bind(f.outcome.as_deref())
        .bind(mode)
        .bind(user)
        .fetch_all(p)
        .await?))
}

/// Other applications of the same applicant (to any agency the caller passes), newest first, for the
/// 重复申请 hint.
pub async fn of_applicant(db: &Db, agency_id: i64, applicant_id: i64, except: i64) -> Result<Vec<Application>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE agency_id = $1 AND applicant_id = $2 AND id <> $3 \
         ORDER BY submitted_on DESC, id DESC"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(applicant_id).bind(except).fetch_all(p).await?))
}

/// The case log of one application, oldest first.
pub async fn events(db: &Db, application_id: i64) -> Result<Vec<EventRecord>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {EVENT_COLUMNS} FROM application_events e WHERE e.application_id = $1 ORDER BY e.id"
    ));
    let rows: Vec<EventRow> = on_db!(db, p => sqlx::query_as(sql).bind(application_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(event).collect())
}

/// Every event of every application of the agency, by application then order (for deadline columns).
pub async fn events_of_agency(db: &Db, agency_id: i64) -> Result<Vec<EventRecord>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {EVENT_COLUMNS} FROM application_events e JOIN applications a ON a.id = e.application_id \
         WHERE a.agency_id = $1 ORDER BY e.application_id, e.id"
    ));
    let rows: Vec<EventRow> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(event).collect())
}

/// How many applications the applicant submitted (to any agency of the platform) in the calendar month of `day`,
/// up to and including `day` — the 按件 tally of 109号.
pub async fn count_in_month(db: &Db, applicant_id: i64, day: Date) -> Result<i64> {
    let first = day.replace_day(1).unwrap_or(day);
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE applicant_id = $1 AND submitted_on >= $2 AND submitted_on <= $3",
    )
    .bind(applicant_id)
    .bind(first)
    .bind(day)
    .fetch_one(p)
    .await?))
}
