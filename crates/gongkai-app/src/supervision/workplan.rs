//! 工作要点 and 分工方案 (docs/law/supervision.md §4): a yearly plan per agency, its tasks imported from a CSV
//! table checked as a whole.

use crate::{App, AppError, Caller, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::workplan::{self as rules, Problem};
use gongkai_store::agencies::Agency;
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::workplan::{self as store, Plan, Task};
use serde_json::json;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplanSummary {
    pub plan_id: i64,
    pub tasks: usize,
    /// Tasks with a due date, and those reported quarterly (持续推进).
    pub dated: usize,
    pub ongoing: usize,
    /// Whether an earlier plan of the year was replaced.
    pub replaced: bool,
}

/// A task as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskView {
    pub no: String,
    pub task: String,
    pub lead: String,
    /// `YYYY-MM-DD`, or `null` for 持续推进.
    pub due: Option<String>,
    /// 未开始, 逾期 or 持续推进 on today's date.
    pub status: &'static str,
}

/// Reads a CSV file (UTF-8, with or without a BOM) into rows of cells (in gongkai-report, fuzzed there).
pub use gongkai_report::sheet::read_workplan_csv as read_csv;

impl App {
    /// Imports an agency's 分工方案 of `year` (its administrators, or the system): the whole file is checked first;
    /// any problem imports nothing and every problem is returned (`Ok(Err(problems))`). A plan of the same year
    /// is replaced.
    pub async fn import_workplan(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        title: Option<&str>,
        doc_no: &str,
        csv: &[u8],
    ) -> Result<std::result::Result<WorkplanSummary, Vec<Problem>>> {
        by.require(agency.id, &[Role::Admin])?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::Invalid { field: Some("year"), message: "年度应在 2000—2100 之间".into() });
        }
        let rows = match read_csv(csv) {
            Ok(r) => r,
            Err(p) => return Ok(Err(vec![p])),
        };
        let tasks = match rules::check_table(&rows, year) {
            Ok(t) => t,
            Err(problems) => return Ok(Err(problems)),
        };
        let title = match title.map(str::trim) {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => format!("{}{year}年政务公开工作要点分工方案", agency.name),
        };
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let (plan_id, replaced) = store::replace(&mut tx, agency.id, year, &title, doc_no.trim()).await?;
        for (seq, t) in tasks.iter().enumerate() {
            let row = Task {
                id: 0,
                plan_id,
                seq: i32::try_from(seq).unwrap_or(i32::MAX),
                no: t.no.clone(),
                task: t.task.clone(),
                requirement: t.requirement.clone(),
                lead: t.lead.clone(),
                support: t.support.clone(),
                due_text: t.due_text.clone(),
                due_on: t.due.date(),
            };
            store::add_task(&mut tx, &row).await?;
        }
        let dated = tasks.iter().filter(|t| t.due.date().is_some()).count();
        let summary = WorkplanSummary { plan_id, tasks: tasks.len(), dated, ongoing: tasks.len() - dated, replaced };
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::WorkplanImport,
                object_type: "workplan",
                object_id: plan_id.to_string(),
                details: json!({"name": title, "year": year, "tasks": summary.tasks, "replaced": replaced}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(summary))
    }

    /// The agency's plan of `year` and its tasks with their standing today (any staff role of the agency, its
    /// supervisors, or the system).
    pub async fn workplan(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<Option<(Plan, Vec<TaskView>)>> {
        by.require(agency.id, &Role::ALL)?;
        let Some(plan) = store::plan(&self.db, agency.id, year).await? else { return Ok(None) };
        let today = self.today();
        let tasks = store::tasks(&self.db, plan.id)
            .await?
            .into_iter()
            .map(|t| TaskView {
                status: rules::status_on(t.due_on, today),
                due: t.due_on.map(|d| d.to_string()),
                no: t.no,
                task: t.task,
                lead: t.lead,
            })
            .collect();
        Ok(Some((plan, tasks)))
    }
}
