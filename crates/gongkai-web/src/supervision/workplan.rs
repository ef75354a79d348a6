//! The 分工方案 page `/console/{agency}/workplan` (docs/law/supervision.md §4): the year's plan with its tasks,
//! assignments, standing, progress and reminders, the roll-up per agency, the overdue list; the upload of a task
//! table (CSV/XLSX, all or nothing), the plan's details, a task typed by hand, progress reports with evidence by
//! the assigned agencies (the tasks assigned to this agency from any plan), and the XLSX export.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, no_store, upload_response};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::supervision::workplan::{PlanMeta, TaskForm};
use gongkai_app::supervision::workplan_progress::{ProgressForm, TaskRow, Upload};
use gongkai_domain::agency::Role;
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::workplan::{REMINDER_WD, Standing, quarter_zh};
use serde::Deserialize;

const NOTICES: &[(&str, &str)] =
    &[("meta", "分工方案信息已保存。"), ("task", "任务已添加。"), ("progress", "进展已报送。")];

/// A task as the page shows it.
pub struct Row {
    id: i64,
    no: String,
    task: String,
    requirement: String,
    lead: String,
    support: String,
    due: String,
    standing: &'static str,
    overdue: bool,
    /// Assigned agencies: "名称（牵头）".
    agencies: Vec<String>,
    unmatched: String,
    /// "提醒日 2026年9月17日（已提醒）".
    reminder: String,
    /// 持续推进: quarters reported.
    quarters: String,
    progress: Vec<ProgressRow>,
    /// Whether this agency may report on it (the form is shown).
    may_report: bool,
    /// The plan it belongs to (on the list of tasks assigned from other plans).
    plan: String,
}

pub struct ProgressRow {
    day: String,
    status: &'static str,
    note: String,
    /// (href, label) of each piece of evidence.
    evidence: Vec<(String, String)>,
    actor: String,
}

fn row(code: &str, r: TaskRow, may_report: bool, plan: String) -> Row {
    let t = r.task;
    let progress = r
        .progress
        .into_iter()
        .rev()
        .map(|p| {
            let mut evidence = Vec::new();
            if let Some(id) = p.entry_id {
                evidence.push((format!("/console/{code}/workplan/entry/{id}"), "关联信息".to_owned()));
            }
            if !p.url.is_empty() {
                evidence.push((p.url.clone(), p.url.clone()));
            }
            if p.file_sha256.is_some() {
                evidence
                    .push((format!("/console/{code}/workplan/{}/evidence/{}", t.plan_id, p.id), p.file_name.clone()));
            }
            ProgressRow {
                day: format_date_zh(p.reported_on),
                status: gongkai_domain::workplan::Progress::parse(&p.status).map(|s| s.label_zh()).unwrap_or(""),
                note: p.note,
                evidence,
                actor: p.actor,
            }
        })
        .collect();
    Row {
        id: t.id,
        due: match t.due_on {
            Some(d) => format!("{}（{}）", format_date_zh(d), t.due_text),
            None => t.due_text.clone(),
        },
        no: t.no,
        task: t.task,
        requirement: t.requirement,
        lead: t.lead,
        support: t.support,
        standing: r.standing.label_zh(),
        overdue: r.standing == Standing::Overdue,
        agencies: r
            .agencies
            .into_iter()
            .map(|(a, lead)| if lead { format!("{}（牵头）", a.name) } else { a.name })
            .collect(),
        unmatched: r.unmatched.join("、"),
        reminder: match r.remind_on {
            Some(d) => format!("{}{}", format_date_zh(d), if r.reminded { "（已提醒）" } else { "" }),
            None => String::new(),
        },
        quarters: r.quarters.iter().map(|q| quarter_zh(q)).collect::<Vec<_>>().join("、"),
        progress,
        may_report,
        plan,
    }
}

pub struct RollupRow {
    agency: String,
    tasks: usize,
    done: usize,
    overdue: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/workplan.html")]
struct Page {
    layout: Layout,
    code: String,
    year: i32,
    years: Vec<i32>,
    has_plan: bool,
    meta: PlanMeta,
    /// The issue day as shown (2026年3月20日).
    issued_zh: String,
    rows: Vec<Row>,
    overdue: Vec<String>,
    rollup: Vec<RollupRow>,
    reminders: Vec<(String, String, String)>,
    assigned: Vec<Row>,
    may_admin: bool,
    task_form: TaskForm,
    reminder_wd: u32,
    errors: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
    notice: String,
}

impl YearQuery {
    fn year(&self, today: time::Date) -> i32 {
        self.year.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or(today.year())
    }
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    year: i32,
    task_form: TaskForm,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let code = cp.code().to_owned();
    let view = s.app.workplan_view((&cp.p).into(), &cp.agency, year).await?;
    let mut years = s.app.workplan_years(&cp.p, &cp.agency).await?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let mut rows = Vec::new();
    let (mut meta, mut rollup, mut reminders, has_plan) = (PlanMeta::default(), Vec::new(), Vec::new(), view.is_some());
    let mut issued_zh = String::new();
    if let Some(v) = view {
        issued_zh = v.plan.issued_on.map(format_date_zh).unwrap_or_default();
        meta = PlanMeta {
            title: v.plan.title.clone(),
            doc_no: v.plan.doc_no.clone(),
            parent: v.plan.parent.clone(),
            issued_on: v.plan.issued_on.map(|d| d.to_string()).unwrap_or_default(),
        };
        for t in v.tasks {
            let may = s.app.may_report_progress(&cp.p, &cp.agency, t.task.id).await?;
            rows.push(row(&code, t, may, String::new()));
        }
        rollup = v
            .rollup
            .into_iter()
            .map(|r| RollupRow { agency: r.agency.name, tasks: r.tasks, done: r.done, overdue: r.overdue })
            .collect();
        reminders = v
            .reminders
            .into_iter()
            .map(|(r, name)| (format_date_zh(r.remind_on), name, format_date_zh(r.due_on)))
            .collect();
    }
    let overdue = rows.iter().filter(|r| r.overdue).map(|r| format!("{} {}（{}）", r.no, r.task, r.lead)).collect();
    let mut assigned = Vec::new();
    for a in s.app.assigned_workplan_tasks(&cp.p, &cp.agency).await? {
        if a.plan.agency_id == cp.agency.id && a.plan.year == year {
            continue;
        }
        let may = s.app.may_report_progress(&cp.p, &cp.agency, a.row.task.id).await?;
        assigned.push(row(&code, a.row, may, format!("{}（{}）", a.plan.title, a.plan_agency)));
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok(no_store((
        status,
        Page {
            layout: cp.layout(format!("{}：工作要点分工方案", cp.agency.name)),
            code,
            year,
            years,
            has_plan,
            meta,
            issued_zh,
            rows,
            overdue,
            rollup,
            reminders,
            assigned,
            may_admin: cp.may(&[Role::Admin]),
            task_form,
            reminder_wd: REMINDER_WD,
            errors,
            notice,
        },
    )))
}

pub async fn show(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<YearQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render(&s, &cp, q.year(s.app.today()), TaskForm::default(), Vec::new(), n.text(NOTICES, None)).await
}

fn messages(e: AppError) -> Result<Vec<String>, WebError> {
    match e {
        AppError::InvalidFields(errors) => Ok(errors.into_iter().map(|(_, m)| m).collect()),
        AppError::Invalid { message, .. } | AppError::Conflict(message) => Ok(vec![message]),
        e => Err(e.into()),
    }
}

fn back(cp: &ConsolePage, year: i32, notice: &str) -> Response {
    Redirect::to(&cp.href(&format!("workplan?year={year}&notice={notice}"))).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MetaForm {
    year: String,
    #[serde(flatten)]
    meta: PlanMeta,
}

pub async fn save_meta(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<MetaForm>,
) -> Result<Response, WebError> {
    let year = YearQuery { year: f.year.clone(), notice: String::new() }.year(s.app.today());
    match s.app.set_workplan_meta((&cp.p).into(), &cp.agency, year, &f.meta).await {
        Ok(_) => Ok(back(&cp, year, "meta")),
        Err(e) => render(&s, &cp, year, TaskForm::default(), messages(e)?, None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewTask {
    year: String,
    #[serde(flatten)]
    task: TaskForm,
}

pub async fn add_task(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<NewTask>,
) -> Result<Response, WebError> {
    let year = YearQuery { year: f.year.clone(), notice: String::new() }.year(s.app.today());
    match s.app.add_workplan_task((&cp.p).into(), &cp.agency, year, &f.task).await {
        Ok(_) => Ok(back(&cp, year, "task")),
        Err(e) => render(&s, &cp, year, f.task, messages(e)?, None).await,
    }
}

/// The text fields and the file of a multipart form.
async fn fields(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(Vec<(String, String)>, Option<Upload>), String> {
    let broken = || "上传未完成或格式有误，请重新提交。".to_owned();
    let mut mp = multipart.map_err(|_| broken())?;
    let (mut out, mut file) = (Vec::new(), None);
    while let Some(field) = mp.next_field().await.map_err(|_| broken())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let bytes = field.bytes().await.map_err(|_| broken())?;
            if !bytes.is_empty() {
                file = Some(Upload { name: file_name, bytes: bytes.to_vec() });
            }
        } else {
            out.push((name, field.text().await.map_err(|_| broken())?));
        }
    }
    Ok((out, file))
}

fn get(fields: &[(String, String)], key: &str) -> String {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Imports an uploaded task table (multipart: `year`, `title`, `doc_no`, `parent`, `issued_on`, `file`; the
/// CSRF token in `?csrf=`): every problem with its row and column, nothing imported; or the summary.
pub async fn upload(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<YearQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let year = q.year(s.app.today());
    let (f, file) = match fields(multipart).await {
        Ok(x) => x,
        Err(m) => return render(&s, &cp, year, TaskForm::default(), vec![m], None).await,
    };
    let Some(file) = file else {
        return render(
            &s,
            &cp,
            year,
            TaskForm::default(),
            vec!["请选择要导入的分工方案（XLSX 或 CSV）。".into()],
            None,
        )
        .await;
    };
    let meta = PlanMeta {
        title: get(&f, "title"),
        doc_no: get(&f, "doc_no"),
        parent: get(&f, "parent"),
        issued_on: get(&f, "issued_on"),
    };
    match s.app.import_workplan_with((&cp.p).into(), &cp.agency, year, &meta, &file.bytes).await {
        Ok(Ok(sum)) => {
            let mut text = format!(
                "已{}{year}年分工方案：任务{}项（有完成时限{}项，持续推进{}项）。",
                if sum.replaced { "替换" } else { "导入" },
                sum.tasks,
                sum.dated,
                sum.ongoing
            );
            if !sum.unmatched.is_empty() {
                text.push_str(&format!("未匹配到平台机构的单位：{}。", sum.unmatched.join("、")));
            }
            render(&s, &cp, year, TaskForm::default(), Vec::new(), Some(text)).await
        }
        Ok(Err(problems)) => {
            let mut lines = vec![format!("{} 有 {} 处问题，未导入任何任务：", file.name, problems.len())];
            lines.extend(problems.iter().map(|p| p.to_string()));
            render(&s, &cp, year, TaskForm::default(), lines, None).await
        }
        Err(e) => render(&s, &cp, year, TaskForm::default(), messages(e)?, None).await,
    }
}

/// A progress report (multipart: `status`, `note`, `index_no`, `url`, `file`; CSRF in `?csrf=`).
pub async fn report(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, task_id)): Path<(String, i64)>,
    Query(q): Query<YearQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let year = q.year(s.app.today());
    let (f, file) = match fields(multipart).await {
        Ok(x) => x,
        Err(m) => return render(&s, &cp, year, TaskForm::default(), vec![m], None).await,
    };
    let form = ProgressForm {
        status: get(&f, "status"),
        note: get(&f, "note"),
        index_no: get(&f, "index_no"),
        url: get(&f, "url"),
    };
    match s.app.report_progress(&cp.p, &cp.agency, task_id, &form, file).await {
        Ok(_) => Ok(back(&cp, year, "progress")),
        Err(e) => render(&s, &cp, year, TaskForm::default(), messages(e)?, None).await,
    }
}

pub async fn export(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let (name, bytes) = s.app.export_workplan(&cp.p, &cp.agency, q.year(s.app.today())).await?;
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned();
    Ok(upload_response(ct, &name, "private, no-store", bytes))
}

pub async fn evidence(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, plan_id, progress_id)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let plan = s.app.workplan_by_id(plan_id).await?;
    let (name, bytes) = s.app.workplan_evidence(&cp.p, &plan, progress_id).await?;
    Ok(upload_response("application/octet-stream".into(), &name, "private, no-store", bytes))
}

/// A catalog item linked as evidence: to its public page.
pub async fn entry(
    State(s): State<WebState>,
    _cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let href = s.app.workplan_entry_href(id).await?;
    Ok(Redirect::to(&href).into_response())
}
