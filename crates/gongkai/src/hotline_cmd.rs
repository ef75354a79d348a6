//! `gongkai hotline …`: import an agency's 12345 work orders from the platform's export (CSV or XLSX) and list
//! them with their deadlines (docs/law/public-interaction.md §3, §7).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use gongkai_app::interaction::hotline::{MAX_HOTLINE_FILE, OrderView};
use gongkai_app::{App, AppError, Caller};
use gongkai_domain::calendar::serde_ymd;
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

#[derive(Subcommand, Debug)]
pub enum HotlineCommand {
    /// Import a file of work orders (CSV in UTF-8 or XLSX; first row the header): every row or none. Prints
    /// `新建 N 件，更新 N 件，未变 N 件`; on a bad file prints every problem with its row and column and exits 1.
    Import {
        /// Agency code, e.g. yima-office.
        #[arg(long)]
        agency: String,
        /// The file.
        file: PathBuf,
        /// Print the summary (or the problems) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the agency's orders received in a year (all without --year), with deadline and on time.
    List {
        #[arg(long)]
        agency: String,
        /// Year of 派单, e.g. 2025.
        #[arg(long)]
        year: Option<i32>,
        /// A JSON array of {order_no, type, dispatched_at, due, status, closed_at, on_time}.
        #[arg(long)]
        json: bool,
    },
}

/// Checks the arguments before the database is opened.
pub fn check(cmd: &HotlineCommand) -> Result<()> {
    if let HotlineCommand::List { year: Some(y), .. } = cmd
        && !(1..=9999).contains(y)
    {
        bail!("年份“{y}”无效：应为四位数字，例如 2025");
    }
    Ok(())
}

pub async fn run(app: &App, cmd: HotlineCommand) -> Result<ExitCode> {
    match cmd {
        HotlineCommand::Import { agency, file, json } => import(app, &agency, &file, json).await,
        HotlineCommand::List { agency, year, json } => {
            let agency = app.agency_by_code(&agency).await?;
            let orders = app.hotline_orders(Caller::System("cli"), &agency, year).await?;
            if json {
                let list: Vec<_> = orders.iter().map(order_json).collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                print_table(&agency.name, year, &orders);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn import(app: &App, agency: &str, path: &Path, json: bool) -> Result<ExitCode> {
    let agency = app.agency_by_code(agency).await?;
    let bytes = read_limited(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bar = crate::progress::Bar::new();
    bar.busy("正在读取工单文件");
    let imported = app.import_hotline_with(Caller::System("cli"), &agency, &bytes, &name, &bar).await;
    bar.done();
    match imported {
        Ok(s) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("{}：{}（共 {} 行）", agency.name, s.to_zh(), s.rows);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::InvalidFields(problems)) => {
            if json {
                let list: Vec<&str> = problems.iter().map(|(_, m)| m.as_str()).collect();
                println!("{}", serde_json::to_string_pretty(&json!({"imported": false, "problems": list}))?);
            }
            eprintln!("文件 {} 有 {} 处问题，未导入任何工单：", path.display(), problems.len());
            for (_, m) in &problems {
                eprintln!("  {m}");
            }
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(anyhow::Error::new(e).context("未导入任何工单")),
    }
}

/// Reads at most one byte more than the app accepts, so that a huge file is refused quickly.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_HOTLINE_FILE as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Beijing time as RFC 3339, e.g. `2025-09-26T09:30:00+08:00`.
fn beijing_iso(t: OffsetDateTime) -> String {
    let beijing = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    t.to_offset(beijing).format(&Rfc3339).unwrap_or_default()
}

fn order_json(o: &OrderView) -> serde_json::Value {
    json!({
        "order_no": o.order_no,
        "type": o.kind.as_str(),
        "dispatched_at": beijing_iso(o.dispatched_at),
        "due": serde_ymd::format(o.due),
        "status": o.status.as_str(),
        "closed_at": o.closed_at.map(beijing_iso),
        "on_time": o.on_time,
    })
}

fn print_table(agency: &str, year: Option<i32>, orders: &[OrderView]) {
    let year = year.map(|y| format!("{y}年")).unwrap_or_default();
    println!("{agency}{year}12345工单 {} 件", orders.len());
    for o in orders {
        let closed = o.closed_on.map(serde_ymd::format).unwrap_or_else(|| "未办结".into());
        let on_time = match o.on_time {
            Some(true) => "按时",
            Some(false) => "超期",
            None => "办理期限内",
        };
        println!(
            "{}  {}  派单 {}  截止 {}  {}  {}  {}",
            o.order_no,
            o.kind.label_zh(),
            serde_ymd::format(o.dispatched_on),
            serde_ymd::format(o.due),
            o.status.label_zh(),
            closed,
            on_time
        );
    }
}
