//! `gongkai workplan`: import an agency's 政务公开工作要点分工方案 (CSV or XLSX), list its tasks, and write the
//! reminders due (docs/law/supervision.md §4).

use anyhow::{Context, Result};
use clap::Subcommand;
use gongkai_app::supervision::workplan::PlanMeta;
use gongkai_app::{App, Caller};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum WorkplanCommand {
    /// Import the task table of a year's plan (XLSX, or CSV in UTF-8 or GBK; columns 序号, 工作任务, 具体要求, 牵头单位, 配合单位,
    /// 时限要求). The whole file is checked first: with any problem nothing is imported, every problem is
    /// printed with its row and column, and the exit status is 1. A plan of the same year is replaced.
    Import {
        /// Agency code, e.g. yima-office.
        #[arg(long)]
        agency: String,
        /// The plan's year; due phrases such as "9月底前" are dates of this year.
        #[arg(long)]
        year: i32,
        /// Title; default: "<agency>Y年政务公开工作要点分工方案".
        #[arg(long)]
        title: Option<String>,
        /// 文号 of the plan, e.g. 义政办〔2025〕8号.
        #[arg(long, default_value = "")]
        doc_no: String,
        /// The plan it carries out (上级工作要点), e.g. 三门峡市2025年政务公开工作要点.
        #[arg(long, default_value = "")]
        parent: String,
        /// The day the plan was issued, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        issued: String,
        /// The .xlsx or .csv file.
        file: PathBuf,
    },
    /// Write the reminders that are due today (10 working days before each open task's due date); the server
    /// runs this daily.
    Remind,
    /// List the tasks of a year's plan.
    List {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        year: i32,
        /// Print a JSON array of `{no, task, lead, due, status}`.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, cmd: WorkplanCommand) -> Result<ExitCode> {
    let cli = Caller::System("cli");
    match cmd {
        WorkplanCommand::Remind => {
            let n = app.write_workplan_reminders().await?;
            println!("已生成到期提醒 {n} 条。");
            Ok(ExitCode::SUCCESS)
        }
        WorkplanCommand::Import { agency, year, title, doc_no, parent, issued, file } => {
            let agency = app.agency_by_code(&agency).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let bar = crate::progress::Bar::new();
            bar.busy("正在导入分工方案");
            let meta = PlanMeta { title: title.unwrap_or_default(), doc_no, parent, issued_on: issued };
            let imported = app.import_workplan_with(cli, &agency, year, &meta, &bytes).await;
            bar.done();
            match imported? {
                Ok(s) => {
                    let verb = if s.replaced { "已替换" } else { "已导入" };
                    println!(
                        "{verb}{}{year}年工作要点分工方案：任务 {} 项（有完成时限 {} 项，持续推进 {} 项）。",
                        agency.name, s.tasks, s.dated, s.ongoing
                    );
                    if !s.unmatched.is_empty() {
                        println!("未匹配到平台机构的单位：{}", s.unmatched.join("、"));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    eprintln!("{} 有 {} 处问题，未导入任何任务：", file.display(), problems.len());
                    for p in problems {
                        eprintln!("  {p}");
                    }
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        WorkplanCommand::List { agency, year, json } => {
            let agency = app.agency_by_code(&agency).await?;
            let tasks = match app.workplan(cli, &agency, year).await? {
                Some((plan, tasks)) => {
                    if !json {
                        let doc = if plan.doc_no.is_empty() { String::new() } else { format!("（{}）", plan.doc_no) };
                        println!("{}{doc}", plan.title);
                    }
                    tasks
                }
                None if json => Vec::new(),
                None => {
                    println!("{}没有{year}年的工作要点分工方案。", agency.name);
                    return Ok(ExitCode::SUCCESS);
                }
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&tasks)?);
            } else {
                for t in tasks {
                    let due = t.due.as_deref().unwrap_or("—");
                    println!("{}\t{}\t{}\t{due}\t{}", t.no, t.task, t.lead, t.status);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
