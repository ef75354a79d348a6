//! The life of a 分工方案 after import (docs/law/supervision.md §4.3, §4.5, §10.13–§10.16): progress reports by
//! the assigned agencies with evidence, quarterly progress of 持续推进 tasks, the reminder 10 working days before a
//! due date (a daily job), the overdue list, the roll-up per agency and the XLSX export.

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::workplan::{self as rules, Progress as Status, Standing};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::workplan::{self as store, Plan, Progress, Reminder, Task};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// The job kind of the daily reminder run.
pub const REMIND: &str = "workplan.remind";

/// Who reports progress: the assigned agency's administrators and editors.
const REPORTERS: &[Role] = &[Role::Admin, Role::Editor];

/// A progress report as typed; the file comes separately.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProgressForm {
    /// `ongoing` or `done`.
    pub status: String,
    pub note: String,
    /// 索引号 of a published catalog item.
    pub index_no: String,
    pub url: String,
}

/// An uploaded evidence file.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A task with everything the plan page shows.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub task: Task,
    pub standing: Standing,
    /// (agency, lead) assigned.
    pub agencies: Vec<(Agency, bool)>,
    /// Unit names that matched no agency.
    pub unmatched: Vec<String>,
    pub progress: Vec<Progress>,
    /// The reminder day (dated tasks), and whether the reminder was written.
    pub remind_on: Option<Date>,
    pub reminded: bool,
    /// 持续推进: the quarters of the plan's year reported so far (`2026Q1` …).
    pub quarters: Vec<String>,
}

/// One agency's line of the roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRow {
    pub agency: Agency,
    pub tasks: usize,
    pub done: usize,
    pub overdue: usize,
}

/// A plan with its tasks, reminders and roll-up.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: Plan,
    pub tasks: Vec<TaskRow>,
    pub rollup: Vec<RollupRow>,
    /// Reminders written, newest due first: (task no, task, due, reminded on).
    pub reminders: Vec<(Reminder, String)>,
}

/// A task assigned to an agency, from any plan.
#[derive(Debug, Clone)]
pub struct AssignedTask {
    pub plan: Plan,
    pub plan_agency: String,
    pub row: TaskRow,
}

impl App {
    /// The latest progress of each task of the plan: (status, day).
    pub(crate) async fn latest_progress(&self, plan_id: i64) -> Result<HashMap<i64, (Status, Date)>> {
        Ok(latest_of(&store::progress_of_plan(&self.db, plan_id).await?))
    }

    /// The plan of `year` with every task's standing, assignments, progress and reminder, and the roll-up per
    /// assigned agency (any staff role of the agency or its supervisors).
    pub async fn workplan_view(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<Option<PlanView>> {
        by.require(agency.id, &Role::ALL)?;
        let Some(plan) = store::plan(&self.db, agency.id, year).await? else { return Ok(None) };
        let tasks = store::tasks(&self.db, plan.id).await?;
        let rows = self.task_rows(agency, &plan, tasks).await?;
        let mut per: BTreeMap<i64, RollupRow> = BTreeMap::new();
        for r in &rows {
            for (a, _) in &r.agencies {
                let e =
                    per.entry(a.id).or_insert_with(|| RollupRow { agency: a.clone(), tasks: 0, done: 0, overdue: 0 });
                e.tasks += 1;
                e.done += usize::from(r.standing == Standing::Done);
                e.overdue += usize::from(r.standing == Standing::Overdue);
            }
        }
        let mut rollup: Vec<RollupRow> = per.into_values().collect();
        rollup.sort_by(|a, b| b.tasks.cmp(&a.tasks).then(a.agency.name.cmp(&b.agency.name)));
        let names: HashMap<i64, String> =
            rows.iter().map(|r| (r.task.id, format!("{} {}", r.task.no, r.task.task))).collect();
        let reminders = store::reminders_of_plan(&self.db, plan.id)
            .await?
            .into_iter()
            .map(|r| {
                let name = names.get(&r.task_id).cloned().unwrap_or_default();
                (r, name)
            })
            .collect();
        Ok(Some(PlanView { plan, tasks: rows, rollup, reminders }))
    }

    async fn task_rows(&self, plan_agency: &Agency, plan: &Plan, tasks: Vec<Task>) -> Result<Vec<TaskRow>> {
        let today = self.today();
        let cal = self.calendar().await?;
        let progress = store::progress_of_plan(&self.db, plan.id).await?;
        let latest = latest_of(&progress);
        let assignments = store::assignments(&self.db, plan.id).await?;
        let reminded: std::collections::HashSet<i64> =
            store::reminders_of_plan(&self.db, plan.id).await?.into_iter().map(|r| r.task_id).collect();
        let all: HashMap<i64, Agency> = agencies::list_all(&self.db).await?.into_iter().map(|a| (a.id, a)).collect();
        let candidates = self.unit_candidates(plan_agency).await?;
        Ok(tasks
            .into_iter()
            .map(|t| {
                let agencies = assignments
                    .iter()
                    .filter(|a| a.task_id == t.id)
                    .filter_map(|a| all.get(&a.agency_id).map(|ag| (ag.clone(), a.lead)))
                    .collect();
                let unmatched = [&t.lead, &t.support]
                    .into_iter()
                    .flat_map(|c| rules::split_units(c))
                    .filter(|u| rules::match_unit(u, &candidates).is_none())
                    .collect();
                let progress: Vec<Progress> = progress.iter().filter(|p| p.task_id == t.id).cloned().collect();
                let mut quarters: Vec<String> = progress
                    .iter()
                    .filter(|p| t.due_on.is_none() && p.period.starts_with(&plan.year.to_string()))
                    .map(|p| p.period.clone())
                    .collect();
                quarters.dedup();
                TaskRow {
                    standing: rules::standing(t.due_on, latest.get(&t.id).copied(), today),
                    agencies,
                    unmatched,
                    remind_on: t.due_on.map(|d| rules::reminder_on(&cal, d)),
                    reminded: reminded.contains(&t.id),
                    quarters,
                    progress,
                    task: t,
                }
            })
            .collect())
    }

    /// The tasks of every plan assigned to `agency` (its staff see what they must report on).
    pub async fn assigned_workplan_tasks(&self, p: &Principal, agency: &Agency) -> Result<Vec<AssignedTask>> {
        p.require(agency.id, &Role::ALL)?;
        let tasks = store::assigned_to(&self.db, agency.id).await?;
        let mut by_plan: BTreeMap<i64, Vec<Task>> = BTreeMap::new();
        for t in tasks {
            by_plan.entry(t.plan_id).or_default().push(t);
        }
        let mut out = Vec::new();
        for (plan_id, tasks) in by_plan {
            let Some(plan) = store::plan_by_id(&self.db, plan_id).await? else { continue };
            let Some(owner) = agencies::by_id(&self.db, plan.agency_id).await? else { continue };
            for row in self.task_rows(&owner, &plan, tasks).await? {
                out.push(AssignedTask { plan: plan.clone(), plan_agency: owner.name.clone(), row });
            }
        }
        out.sort_by(|a, b| b.plan.year.cmp(&a.plan.year).then(a.row.task.seq.cmp(&b.row.task.seq)));
        Ok(out)
    }

    /// Whether `p` reports progress on the task for `agency`: its administrators and editors, when the task is
    /// assigned to it (or, for a task assigned to no agency, when it is the plan's own agency).
    pub async fn may_report_progress(&self, p: &Principal, agency: &Agency, task_id: i64) -> Result<bool> {
        if !p.may(agency.id, REPORTERS) {
            return Ok(false);
        }
        let Some(task) = store::task_by_id(&self.db, task_id).await? else { return Ok(false) };
        let assigned = store::assignments(&self.db, task.plan_id).await?;
        let mine: Vec<_> = assigned.iter().filter(|a| a.task_id == task_id).collect();
        if mine.is_empty() {
            let plan = store::plan_by_id(&self.db, task.plan_id).await?;
            return Ok(plan.is_some_and(|pl| pl.agency_id == agency.id));
        }
        Ok(mine.iter().any(|a| a.agency_id == agency.id))
    }

    /// Records a progress report on a task for `agency` (the assigned agency's administrators or editors) with
    /// its evidence: a published item by 索引号, a link, an uploaded file. Audited.
    pub async fn report_progress(
        &self,
        p: &Principal,
        agency: &Agency,
        task_id: i64,
        f: &ProgressForm,
        file: Option<Upload>,
    ) -> Result<i64> {
        if !self.may_report_progress(p, agency, task_id).await? {
            return Err(AppError::Forbidden);
        }
        let task = store::task_by_id(&self.db, task_id).await?.ok_or(AppError::NotFound("任务"))?;
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let status = Status::parse(f.status.trim());
        if status.is_none() {
            errors.push(("status", "请选择进展情况：推进中或已完成".into()));
        }
        let note: String = f.note.trim().chars().take(2000).collect();
        if note.is_empty() {
            errors.push(("note", "请填写进展说明".into()));
        }
        let index_no = f.index_no.trim();
        let entry = match index_no {
            "" => None,
            n => match store::published_by_index_no(&self.db, n).await? {
                Some(e) => Some(e),
                None => {
                    errors.push(("index_no", format!("未找到索引号为“{n}”的已发布信息")));
                    None
                }
            },
        };
        let url = f.url.trim();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')) {
            errors.push(("url", "链接应以 http://、https:// 或 / 开头".into()));
        }
        let file = file.filter(|u| !u.bytes.is_empty());
        if file.is_some() && self.files.is_none() {
            errors.push(("file", "本平台未配置附件存储，不能上传文件".into()));
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let (file_sha256, file_name) = match (&file, &self.files) {
            (Some(u), Some(store)) => (
                Some(store.put(&u.bytes).await?),
                u.name.trim().chars().rev().take(100).collect::<Vec<_>>().into_iter().rev().collect(),
            ),
            _ => (None, String::new()),
        };
        let status = status.unwrap_or(Status::Ongoing);
        let today = self.today();
        let actor = p.actor();
        let row = Progress {
            id: 0,
            task_id,
            agency_id: agency.id,
            period: rules::quarter(today),
            status: status.as_str().to_owned(),
            note,
            entry_id: entry.as_ref().map(|e| e.0),
            url: url.chars().take(500).collect(),
            file_sha256,
            file_name,
            reported_on: today,
            actor: actor.label().to_owned(),
            created_at: gongkai_store::now(),
        };
        let mut tx = self.db.begin().await?;
        let id = store::add_progress(&mut tx, &row).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::WorkplanProgress,
                object_type: "workplan_task",
                object_id: task_id.to_string(),
                details: json!({"name": format!("{} {}", task.no, task.task), "status": status.as_str(),
                    "period": row.period, "entry_id": row.entry_id, "url": row.url, "file": row.file_name}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An evidence file of a progress report on the plan of `agency` (whoever sees the plan, or the reporting
    /// agency): (name, bytes).
    pub async fn workplan_evidence(&self, p: &Principal, plan: &Plan, progress_id: i64) -> Result<(String, Vec<u8>)> {
        let progress = store::progress_of_plan(&self.db, plan.id).await?;
        let reporter = progress.iter().find(|r| r.id == progress_id).map(|r| r.agency_id);
        if !p.can_view(plan.agency_id) && !reporter.is_some_and(|a| p.can_view(a)) {
            return Err(AppError::NotFound("附件"));
        }
        let (sha, name) =
            store::progress_file(&self.db, plan.id, progress_id).await?.ok_or(AppError::NotFound("附件"))?;
        let files = self.files.as_ref().ok_or(AppError::NotFound("附件"))?;
        Ok((name, files.get(&sha).await?))
    }

    /// The public page of a published item linked as evidence.
    pub async fn workplan_entry_href(&self, id: i64) -> Result<String> {
        let (id, agency_id, _) = store::published_entry(&self.db, id).await?.ok_or(AppError::NotFound("信息"))?;
        let agency = agencies::by_id(&self.db, agency_id).await?.ok_or(AppError::NotFound("信息"))?;
        let entry = gongkai_store::catalog::by_id(&self.db, agency_id, id).await?.ok_or(AppError::NotFound("信息"))?;
        let column = gongkai_store::catalog::column_by_id(&self.db, agency_id, entry.fields.column_id)
            .await?
            .ok_or(AppError::NotFound("信息"))?;
        Ok(format!("/{}/{}/{id}", agency.code, column.slug))
    }

    pub async fn workplan_by_id(&self, id: i64) -> Result<Plan> {
        store::plan_by_id(&self.db, id).await?.ok_or(AppError::NotFound("分工方案"))
    }

    /// The daily job (§4.5): writes the reminder of each dated task not done whose reminder day (10 working days
    /// before its due date) has come and whose due date has not passed; audited. Returns how many were written.
    pub async fn write_workplan_reminders(&self) -> Result<usize> {
        let today = self.today();
        let cal = self.calendar().await?;
        let mut latest: HashMap<i64, HashMap<i64, (Status, Date)>> = HashMap::new();
        let mut written = 0;
        for t in store::unreminded_from(&self.db, today).await? {
            let Some(due) = t.due_on else { continue };
            let remind_on = rules::reminder_on(&cal, due);
            if today < remind_on {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = latest.entry(t.plan_id) {
                e.insert(self.latest_progress(t.plan_id).await?);
            }
            let last = latest.get(&t.plan_id).and_then(|m| m.get(&t.id)).copied();
            if rules::standing(Some(due), last, today) == Standing::Done {
                continue;
            }
            let Some(plan) = store::plan_by_id(&self.db, t.plan_id).await? else { continue };
            let actor = Caller::System("jobs").actor();
            let mut tx = self.db.begin().await?;
            if store::add_reminder(&mut tx, t.id, remind_on, due).await? {
                audit::record(
                    &mut tx,
                    &NewAuditEvent {
                        actor: &actor,
                        agency_id: Some(plan.agency_id),
                        action: AuditAction::WorkplanRemind,
                        object_type: "workplan_task",
                        object_id: t.id.to_string(),
                        details: json!({"name": format!("{} {}", t.no, t.task), "due": due.to_string(),
                            "remind_on": remind_on.to_string()}),
                    },
                )
                .await?;
                written += 1;
            }
            tx.commit().await?;
        }
        Ok(written)
    }

    /// The plan of `year` as an XLSX workbook (whoever sees the plan), audited: (file name, bytes).
    pub async fn export_workplan(&self, p: &Principal, agency: &Agency, year: i32) -> Result<(String, Vec<u8>)> {
        let view = self.workplan_view(p.into(), agency, year).await?.ok_or(AppError::NotFound("分工方案"))?;
        let rows: Vec<Vec<String>> = view
            .tasks
            .iter()
            .map(|r| {
                let last = r.progress.last();
                vec![
                    r.task.no.clone(),
                    r.task.task.clone(),
                    r.task.requirement.clone(),
                    r.task.lead.clone(),
                    r.task.support.clone(),
                    r.task.due_text.clone(),
                    r.task.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    r.standing.label_zh().to_owned(),
                    last.map(|l| l.reported_on.to_string()).unwrap_or_default(),
                    last.map(|l| l.note.clone()).unwrap_or_default(),
                ]
            })
            .collect();
        let headers = [
            "序号",
            "工作任务",
            "具体要求",
            "牵头单位",
            "配合单位",
            "时限要求",
            "完成时限",
            "状态",
            "最近报送",
            "最近进展",
        ];
        let bytes = gongkai_report::xlsx::table_workbook("分工方案", &headers, &rows)
            .map_err(|e| AppError::Internal(format!("分工方案导出失败：{e}")))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::WorkplanExport,
                object_type: "workplan",
                object_id: view.plan.id.to_string(),
                details: json!({"name": view.plan.title, "year": year, "tasks": rows.len()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((format!("{}-{year}-workplan.xlsx", agency.code), bytes))
    }
}

fn latest_of(progress: &[Progress]) -> HashMap<i64, (Status, Date)> {
    let mut out = HashMap::new();
    // Oldest first: a later report replaces an earlier one; a 已完成 stays unless a later report reopens it.
    for p in progress {
        if let Some(s) = Status::parse(&p.status) {
            out.insert(p.task_id, (s, p.reported_on));
        }
    }
    out
}
