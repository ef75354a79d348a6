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
}

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
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, agency_id, year, title, doc_no, created_at FROM workplans WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_optional(p)
    .await?))
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

/// Adds a task (`id` is ignored).
pub async fn add_task(tx: &mut Tx, t: &Task) -> Result<()> {
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO workplan_tasks (plan_id, seq, no, task, requirement, lead, support, due_text, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
    .execute(x)
    .await?
    .rows_affected());
    Ok(())
}

/// The plan's tasks in file order.
pub async fn tasks(db: &Db, plan_id: i64) -> Result<Vec<Task>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, plan_id, seq, no, task, requirement, lead, support, due_text, due_on FROM workplan_tasks \
         WHERE plan_id = $1 ORDER BY seq",
    )
    .bind(plan_id)
    .fetch_all(p)
    .await?))
}
