//! 工作要点 and 分工方案 (docs/law/supervision.md §4, §10.4–§10.6, §10.13–§10.16): a yearly plan per agency (title, 文号, parent
//! plan, issue day), its tasks imported from a CSV/XLSX table checked as a whole or entered one by one, and the
//! agencies each task is assigned to (牵头单位/配合单位 matched to agency names). Progress, reminders, the
//! roll-up and the export are in `workplan_progress`.

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::workplan::{self as rules, Problem};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::workplan::{self as store, Assignment, Plan, Task};
use serde_json::json;
use time::Date;

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
    /// Unit names that matched no agency (各部门, units outside the platform).
    pub unmatched: Vec<String>,
}

/// The plan's details besides its tasks.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanMeta {
    pub title: String,
    /// 文号.
    pub doc_no: String,
    /// The plan it carries out (上级工作要点).
    pub parent: String,
    /// `YYYY-MM-DD`, may be empty.
    pub issued_on: String,
}

/// A task as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskView {
    pub no: String,
    pub task: String,
    pub lead: String,
    /// `YYYY-MM-DD`, or `null` for 持续推进.
    pub due: Option<String>,
    /// 未开始, 推进中, 已完成, 逾期 or 持续推进 on today's date.
    pub status: &'static str,
}

/// A task typed in the console.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskForm {
    pub no: String,
    pub task: String,
    pub requirement: String,
    pub lead: String,
    pub support: String,
    pub due_text: String,
}

/// Reads a CSV (UTF-8 or GBK) or XLSX file into rows of cells.
pub fn read_table(bytes: &[u8]) -> std::result::Result<Vec<Vec<String>>, Problem> {
    gongkai_report::sheet::read_table_gbk(bytes).map_err(|e| Problem { row: 0, column: None, message: e.0 })
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: Some("year"), message: "年度应在 2000—2100 之间".into() })
    }
}

impl App {
    /// The agency and the agencies beneath it, (id, name), for matching 牵头单位/配合单位.
    pub(crate) async fn unit_candidates(&self, agency: &Agency) -> Result<Vec<(i64, String)>> {
        let ids: std::collections::HashSet<i64> =
            agencies::subtree_ids(&self.db, agency.id).await?.into_iter().collect();
        Ok(agencies::list_all(&self.db)
            .await?
            .into_iter()
            .filter(|a| ids.contains(&a.id))
            .map(|a| (a.id, a.name))
            .collect())
    }

    /// Imports an agency's 分工方案 of `year` (its administrators, or the system): the whole file (CSV in UTF-8 or
    /// GBK, or XLSX) is checked first; any problem imports nothing and every problem is returned
    /// (`Ok(Err(problems))`). A plan of the same year is replaced, unless progress was reported on it.
    pub async fn import_workplan(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        title: Option<&str>,
        doc_no: &str,
        file: &[u8],
    ) -> Result<std::result::Result<WorkplanSummary, Vec<Problem>>> {
        let meta =
            PlanMeta { title: title.unwrap_or_default().to_owned(), doc_no: doc_no.to_owned(), ..PlanMeta::default() };
        self.import_workplan_with(by, agency, year, &meta, file).await
    }

    /// [`App::import_workplan`] with the plan's parent and issue day.
    pub async fn import_workplan_with(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        meta: &PlanMeta,
        file: &[u8],
    ) -> Result<std::result::Result<WorkplanSummary, Vec<Problem>>> {
        by.require(agency.id, &[Role::Admin])?;
        check_year(year)?;
        let issued_on = parse_issued(&meta.issued_on)?;
        let rows = match read_table(file) {
            Ok(r) => r,
            Err(p) => return Ok(Err(vec![p])),
        };
        let tasks = match rules::check_table(&rows, year) {
            Ok(t) => t,
            Err(problems) => return Ok(Err(problems)),
        };
        let title = match meta.title.trim() {
            "" => format!("{}{year}年政务公开工作要点分工方案", agency.name),
            t => t.to_owned(),
        };
        let candidates = self.unit_candidates(agency).await?;
        let old = store::plan(&self.db, agency.id, year).await?;
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        if let Some(old) = old
            && store::has_progress(&mut tx, old.id).await?
        {
            return Ok(Err(vec![Problem {
                row: 0,
                column: None,
                message: format!("{year}年的分工方案已有任务进展报告，不能整体替换；请在页面上逐项录入新增任务"),
            }]));
        }
        let (plan_id, replaced) = store::replace(&mut tx, agency.id, year, &title, meta.doc_no.trim()).await?;
        store::upsert_meta(&mut tx, agency.id, year, &title, meta.doc_no.trim(), meta.parent.trim(), issued_on).await?;
        let mut unmatched = Vec::new();
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
            let id = store::add_task(&mut tx, &row).await?;
            unmatched.extend(assign_units(&mut tx, id, &t.lead, &t.support, &candidates).await?);
        }
        unmatched.sort();
        unmatched.dedup();
        let dated = tasks.iter().filter(|t| t.due.date().is_some()).count();
        let summary =
            WorkplanSummary { plan_id, tasks: tasks.len(), dated, ongoing: tasks.len() - dated, replaced, unmatched };
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

    /// Creates the plan of `year` or sets its title, 文号, parent and issue day (the agency's administrators).
    pub async fn set_workplan_meta(&self, by: Caller<'_>, agency: &Agency, year: i32, meta: &PlanMeta) -> Result<i64> {
        by.require(agency.id, &[Role::Admin])?;
        check_year(year)?;
        let issued_on = parse_issued(&meta.issued_on)?;
        let title = meta.title.trim();
        if title.is_empty() {
            return Err(AppError::Invalid { field: Some("title"), message: "请填写分工方案的名称".into() });
        }
        let t = |s: &str| s.trim().chars().take(200).collect::<String>();
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let id = store::upsert_meta(&mut tx, agency.id, year, &t(title), &t(&meta.doc_no), &t(&meta.parent), issued_on)
            .await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::WorkplanEdit,
                object_type: "workplan",
                object_id: id.to_string(),
                details: json!({"name": t(title), "year": year, "doc_no": t(&meta.doc_no), "parent": t(&meta.parent),
                    "issued_on": issued_on.map(|d| d.to_string())}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a task typed by hand to the plan of `year` (the agency's administrators; the plan must exist). The
    /// row is checked like a row of an imported file.
    pub async fn add_workplan_task(&self, by: Caller<'_>, agency: &Agency, year: i32, f: &TaskForm) -> Result<i64> {
        by.require(agency.id, &[Role::Admin])?;
        let plan = store::plan(&self.db, agency.id, year)
            .await?
            .ok_or(AppError::Invalid { field: None, message: format!("请先填写{year}年分工方案的名称") })?;
        let header: Vec<String> = rules::COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        let cells = [&f.no, &f.task, &f.requirement, &f.lead, &f.support, &f.due_text].map(|s| s.trim().to_owned());
        let rows = vec![header, cells.to_vec()];
        let candidates = self.unit_candidates(agency).await?;
        let existing = store::tasks(&self.db, plan.id).await?;
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let checked = rules::check_table(&rows, year).unwrap_or_else(|problems| {
            errors.extend(
                problems
                    .into_iter()
                    .map(|p| (p.column.unwrap_or("task"), format!("“{}”{}", p.column.unwrap_or("任务"), p.message))),
            );
            Vec::new()
        });
        let no = f.no.trim();
        if !no.is_empty() && existing.iter().any(|t| t.no == no) {
            errors.push(("序号", format!("序号“{no}”已有任务，请换一个序号")));
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let Some(t) = checked.last() else { return Err(AppError::Internal("no task checked".into())) };
        let row = Task {
            id: 0,
            plan_id: plan.id,
            seq: existing.iter().map(|t| t.seq).max().map_or(0, |s| s.saturating_add(1)),
            no: t.no.clone(),
            task: t.task.clone(),
            requirement: t.requirement.clone(),
            lead: t.lead.clone(),
            support: t.support.clone(),
            due_text: t.due_text.clone(),
            due_on: t.due.date(),
        };
        let id = store::add_task(&mut tx, &row).await?;
        assign_units(&mut tx, id, &t.lead, &t.support, &candidates).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::WorkplanEdit,
                object_type: "workplan_task",
                object_id: id.to_string(),
                details: json!({"name": format!("{} {}", t.no, t.task), "year": year, "due": t.due_text}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agency's plan of `year` and its tasks with their standing today (any staff role of the agency, its
    /// supervisors, or the system).
    pub async fn workplan(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<Option<(Plan, Vec<TaskView>)>> {
        by.require(agency.id, &Role::ALL)?;
        let Some(plan) = store::plan(&self.db, agency.id, year).await? else { return Ok(None) };
        let today = self.today();
        let latest = self.latest_progress(plan.id).await?;
        let tasks = store::tasks(&self.db, plan.id)
            .await?
            .into_iter()
            .map(|t| TaskView {
                status: rules::standing(t.due_on, latest.get(&t.id).copied(), today).label_zh(),
                due: t.due_on.map(|d| d.to_string()),
                no: t.no,
                task: t.task,
                lead: t.lead,
            })
            .collect();
        Ok(Some((plan, tasks)))
    }

    /// The years the agency has plans of, newest first.
    pub async fn workplan_years(&self, p: &Principal, agency: &Agency) -> Result<Vec<i32>> {
        p.require(agency.id, &Role::ALL)?;
        Ok(store::years(&self.db, agency.id).await?)
    }
}

fn parse_issued(s: &str) -> Result<Option<Date>> {
    match s.trim() {
        "" => Ok(None),
        d => crate::applications::parse_date(d)
            .map(Some)
            .map_err(|e| AppError::Invalid { field: Some("issued_on"), message: e.0 }),
    }
}

/// Assigns a task to the agencies its 牵头单位 and 配合单位 name; returns the names that matched none.
async fn assign_units(
    tx: &mut gongkai_store::Tx,
    task_id: i64,
    lead: &str,
    support: &str,
    candidates: &[(i64, String)],
) -> Result<Vec<String>> {
    let mut unmatched = Vec::new();
    for (cell, is_lead) in [(lead, true), (support, false)] {
        for unit in rules::split_units(cell) {
            match rules::match_unit(&unit, candidates) {
                Some(agency_id) => store::assign(tx, &Assignment { task_id, agency_id, lead: is_lead }).await?,
                None => unmatched.push(unit),
            }
        }
    }
    Ok(unmatched)
}
