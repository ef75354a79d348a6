//! 工作要点 and 分工方案: an agency's yearly plan and its tasks.

use crate::{Db, Result, Tx};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    pub agency_id: i64,
    pub year: i32,
    pub title: String,
    /// 文号.
    pub doc_no: String,
    pub created_at: OffsetDateTime,
    /// The plan it carries out (上级工作要点), as written.
    pub parent: String,
    pub issued_on: Option<Date>,
}

const PLAN_COLS: &str = "id, agency_id, year, title, doc_no, created_at, parent, issued_on";
const TASK_COLS: &str = "id, plan_id, seq, no, task, requirement, lead, support, due_text, due_on";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub seq: i32,
    pub no: String,
    pub task: String,
    pub requirement: String,
    pub lead: String,
    pub support: String,
    pub due_text: String,
    pub due_on: Option<Date>,
}

pub async fn plan(db: &Db, agency_id: i64, year: i32) -> Result<Option<Plan>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PLAN_COLS} FROM workplans WHERE agency_id = $1 AND year = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(year).fetch_optional(p).await?))
}

pub async fn plan_by_id(db: &Db, id: i64) -> Result<Option<Plan>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PLAN_COLS} FROM workplans WHERE id = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?))
}

/// The years the agency has a plan of, newest first.
pub async fn years(db: &Db, agency_id: i64) -> Result<Vec<i32>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT year FROM workplans WHERE agency_id = $1 ORDER BY year DESC")
        .bind(agency_id)
        .fetch_all(p)
        .await?))
}

/// Creates the agency's plan of `year` with no tasks, or sets the title, 文号, parent and issue day of the one
/// there; returns its id.
pub async fn upsert_meta(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
    title: &str,
    doc_no: &str,
    parent: &str,
    issued_on: Option<Date>,
) -> Result<i64> {
    let existing: Option<i64> = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT id FROM workplans WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_optional(x)
    .await?);
    if let Some(id) = existing {
        on_tx!(tx, x => sqlx::query(
            "UPDATE workplans SET title = $2, doc_no = $3, parent = $4, issued_on = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(title)
        .bind(doc_no)
        .bind(parent)
        .bind(issued_on)
        .execute(x)
        .await?
        .rows_affected());
        return Ok(id);
    }
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO workplans (agency_id, year, title, doc_no, created_at, parent, issued_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(agency_id)
    .bind(year)
    .bind(title)
    .bind(doc_no)
    .bind(crate::now())
    .bind(parent)
    .bind(issued_on)
    .fetch_one(x)
    .await?))
}

/// Whether any task of the plan has a progress report (such a plan is not replaced by an import).
pub async fn has_progress(tx: &mut Tx, plan_id: i64) -> Result<bool> {
    let n: i64 = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT COUNT(*) FROM workplan_progress p JOIN workplan_tasks t ON t.id = p.task_id WHERE t.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_one(x)
    .await?);
    Ok(n > 0)
}

/// Creates the agency's plan of `year`, or replaces its title, 文号 and every task; returns the plan id and
/// whether a plan was replaced.
pub async fn replace(tx: &mut Tx, agency_id: i64, year: i32, title: &str, doc_no: &str) -> Result<(i64, bool)> {
    let existing: Option<i64> = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT id FROM workplans WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_optional(x)
    .await?);
    if let Some(id) = existing {
        for table in ["workplan_assignments", "workplan_reminders"] {
            let sql = sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE task_id IN (SELECT id FROM workplan_tasks WHERE plan_id = $1)"
            ));
            on_tx!(tx, x => sqlx::query(sql).bind(id).execute(x).await?.rows_affected());
        }
        on_tx!(tx, x => sqlx::query("DELETE FROM workplan_tasks WHERE plan_id = $1").bind(id).execute(x).await?.rows_affected());
        on_tx!(tx, x => sqlx::query("UPDATE workplans SET title = $2, doc_no = $3 WHERE id = $1")
            .bind(id)
            .bind(title)
            .bind(doc_no)
            .execute(x)
            .await?
            .rows_affected());
        return Ok((id, true));
    }
    let id = on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO workplans (agency_id, year, title, doc_no, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(agency_id)
    .bind(year)
    .bind(title)
    .bind(doc_no)
    .bind(crate::now())
    .fetch_one(x)
    .await?);
    Ok((id, false))
}

/// Adds a task (`id` is ignored); returns its id.
pub async fn add_task(tx: &mut Tx, t: &Task) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO workplan_tasks (plan_id, seq, no, task, requirement, lead, support, due_text, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(t.plan_id)
    .bind(t.seq)
    .bind(&t.no)
    .bind(&t.task)
    .bind(&t.requirement)
    .bind(&t.lead)
    .bind(&t.support)
    .bind(&t.due_text)
    .bind(t.due_on)
    .fetch_one(x)
    .await?))
}

/// The plan's tasks in file order.
pub async fn tasks(db: &Db, plan_id: i64) -> Result<Vec<Task>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TASK_COLS} FROM workplan_tasks WHERE plan_id = $1 ORDER BY seq"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(plan_id).fetch_all(p).await?))
}

/// The plan's tasks inside a transaction (the numbers and order a new task follows).
pub async fn tasks_tx(tx: &mut Tx, plan_id: i64) -> Result<Vec<Task>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TASK_COLS} FROM workplan_tasks WHERE plan_id = $1 ORDER BY seq"));
    Ok(on_tx!(tx, x => sqlx::query_as(sql).bind(plan_id).fetch_all(x).await?))
}

pub async fn task_by_id(db: &Db, id: i64) -> Result<Option<Task>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TASK_COLS} FROM workplan_tasks WHERE id = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?))
}

/// Dated tasks due on or after `from` that have no reminder yet (the daily reminder job's candidates).
pub async fn unreminded_from(db: &Db, from: Date) -> Result<Vec<Task>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TASK_COLS} FROM workplan_tasks t WHERE due_on IS NOT NULL AND due_on >= $1 \
         AND NOT EXISTS (SELECT 1 FROM workplan_reminders r WHERE r.task_id = t.id) ORDER BY due_on, id"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(from).fetch_all(p).await?))
}

/// An agency named in a task's 牵头单位 (`lead`) or 配合单位.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Assignment {
    pub task_id: i64,
    pub agency_id: i64,
    pub lead: bool,
}

pub async fn assign(tx: &mut Tx, a: &Assignment) -> Result<()> {
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO workplan_assignments (task_id, agency_id, lead) VALUES ($1, $2, $3) \
         ON CONFLICT (task_id, agency_id) DO NOTHING",
    )
    .bind(a.task_id)
    .bind(a.agency_id)
    .bind(a.lead)
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}

/// The assignments of a plan's tasks.
pub async fn assignments(db: &Db, plan_id: i64) -> Result<Vec<Assignment>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT a.task_id, a.agency_id, a.lead FROM workplan_assignments a JOIN workplan_tasks t ON t.id = a.task_id \
         WHERE t.plan_id = $1 ORDER BY a.task_id, a.lead DESC, a.agency_id",
    )
    .bind(plan_id)
    .fetch_all(p)
    .await?))
}

/// The tasks of every plan an agency is assigned to, with the plan (newest year first, in plan order).
pub async fn assigned_to(db: &Db, agency_id: i64) -> Result<Vec<Task>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM workplan_tasks t JOIN workplan_assignments a ON a.task_id = t.id \
         JOIN workplans w ON w.id = t.plan_id WHERE a.agency_id = $1 ORDER BY w.year DESC, w.id, t.seq",
        TASK_COLS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ")
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

/// A progress report (§4.3) with its evidence: a catalog item, a link, an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Progress {
    pub id: i64,
    pub task_id: i64,
    /// The reporting agency.
    pub agency_id: i64,
    /// `2026Q1`.
    pub period: String,
    /// `ongoing` or `done` ([`gongkai_domain::workplan::Progress`]).
    pub status: String,
    pub note: String,
    pub entry_id: Option<i64>,
    pub url: String,
    pub file_sha256: Option<String>,
    pub file_name: String,
    pub reported_on: Date,
    pub actor: String,
    pub created_at: OffsetDateTime,
}

const PROGRESS_COLS: &str = "p.id, p.task_id, p.agency_id, p.period, p.status, p.note, p.entry_id, p.url, \
     p.file_sha256, p.file_name, p.reported_on, p.actor, p.created_at";

pub async fn add_progress(tx: &mut Tx, r: &Progress) -> Result<i64> {
    Ok(on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO workplan_progress (task_id, agency_id, period, status, note, entry_id, url, file_sha256, \
         file_name, reported_on, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         RETURNING id",
    )
    .bind(r.task_id)
    .bind(r.agency_id)
    .bind(&r.period)
    .bind(&r.status)
    .bind(&r.note)
    .bind(r.entry_id)
    .bind(&r.url)
    .bind(&r.file_sha256)
    .bind(&r.file_name)
    .bind(r.reported_on)
    .bind(&r.actor)
    .bind(crate::now())
    .fetch_one(x)
    .await?))
}

/// Every progress report of a plan's tasks, oldest first.
pub async fn progress_of_plan(db: &Db, plan_id: i64) -> Result<Vec<Progress>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PROGRESS_COLS} FROM workplan_progress p JOIN workplan_tasks t ON t.id = p.task_id \
         WHERE t.plan_id = $1 ORDER BY p.reported_on, p.id"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(plan_id).fetch_all(p).await?))
}

/// The progress reports of tasks an agency is assigned to, oldest first.
pub async fn progress_of_agency(db: &Db, agency_id: i64) -> Result<Vec<Progress>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PROGRESS_COLS} FROM workplan_progress p \
         WHERE p.task_id IN (SELECT task_id FROM workplan_assignments WHERE agency_id = $1) ORDER BY p.reported_on, p.id"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

/// A file attached to a progress report (its name and content address), if the report belongs to the plan.
pub async fn progress_file(db: &Db, plan_id: i64, progress_id: i64) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT p.file_sha256, p.file_name FROM workplan_progress p JOIN workplan_tasks t ON t.id = p.task_id \
         WHERE t.plan_id = $1 AND p.id = $2",
    )
    .bind(plan_id)
    .bind(progress_id)
    .fetch_optional(p)
    .await?);
    Ok(row.and_then(|(sha, name)| sha.map(|s| (s, name))))
}

/// The reminder written for a task.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Reminder {
    pub id: i64,
    pub task_id: i64,
    pub remind_on: Date,
    pub due_on: Date,
    pub created_at: OffsetDateTime,
}

/// Writes a task's reminder unless it has one; whether it was written.
pub async fn add_reminder(tx: &mut Tx, task_id: i64, remind_on: Date, due_on: Date) -> Result<bool> {
    let n = on_tx!(tx, x => sqlx::query(
        "INSERT INTO workplan_reminders (task_id, remind_on, due_on, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (task_id) DO NOTHING",
    )
    .bind(task_id)
    .bind(remind_on)
    .bind(due_on)
    .bind(crate::now())
    .execute(x)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// The reminders of a plan's tasks, by due date.
pub async fn reminders_of_plan(db: &Db, plan_id: i64) -> Result<Vec<Reminder>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.task_id, r.remind_on, r.due_on, r.created_at FROM workplan_reminders r \
         JOIN workplan_tasks t ON t.id = r.task_id WHERE t.plan_id = $1 ORDER BY r.due_on, r.id",
    )
    .bind(plan_id)
    .fetch_all(p)
    .await?))
}

/// The reminders of tasks an agency is assigned to.
pub async fn reminders_of_agency(db: &Db, agency_id: i64) -> Result<Vec<Reminder>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.task_id, r.remind_on, r.due_on, r.created_at FROM workplan_reminders r \
         WHERE r.task_id IN (SELECT task_id FROM workplan_assignments WHERE agency_id = $1) ORDER BY r.due_on, r.id",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// A published catalog item by its 索引号: (id, agency id, title).
pub async fn published_by_index_no(db: &Db, index_no: &str) -> Result<Option<(i64, i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, agency_id, title FROM catalog_entries WHERE index_no = $1 AND status = 'published'",
    )
    .bind(index_no)
    .fetch_optional(p)
    .await?))
}

/// A published catalog item by id: (id, agency id, title).
pub async fn published_entry(db: &Db, id: i64) -> Result<Option<(i64, i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, agency_id, title FROM catalog_entries WHERE id = $1 AND status = 'published'",
    )
    .bind(id)
    .fetch_optional(p)
    .await?))
}
