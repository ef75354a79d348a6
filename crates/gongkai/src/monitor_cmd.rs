//! `gongkai monitor check`: the website self-check of an agency (docs/law/supervision.md §2) as JSON or as a
//! readable Chinese summary. Exit status 0 for 合格, 1 for 不合格, 2 when the check could not run.

use anyhow::{Context, Result};
use clap::Subcommand;
use gongkai_app::{App, Caller};
use gongkai_domain::monitor::{Check, Verdict};
use serde_json::json;
use std::process::ExitCode;
use time::Date;

#[derive(Subcommand, Debug)]
pub enum MonitorCommand {
    /// Check an agency's site as of a day from the platform's own data.
    Check {
        /// Agency code, e.g. yima-office.
        #[arg(long)]
        agency: String,
        /// The day of the check (YYYY-MM-DD); default: today in Beijing.
        #[arg(long)]
        date: Option<String>,
        /// Print `{agency, date, verdict, verdict_code, score, findings}` as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, cmd: MonitorCommand) -> ExitCode {
    match check(app, cmd).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}

async fn check(app: &App, cmd: MonitorCommand) -> Result<ExitCode> {
    let MonitorCommand::Check { agency, date, json } = cmd;
    let day = match date {
        Some(s) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            Date::parse(s.trim(), &format).with_context(|| format!("日期“{s}”无效，应为 YYYY-MM-DD"))?
        }
        None => app.today(),
    };
    let agency = app.agency_by_code(&agency).await?;
    let c = app.site_check(Caller::System("cli"), &agency, day).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(agency.code.as_str(), &c))?);
    } else {
        print!("{}", summary(&agency.name, &c));
    }
    Ok(if c.verdict == Verdict::Pass { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn to_json(agency: &str, c: &Check) -> serde_json::Value {
    json!({
        "agency": agency,
        "date": c.date.to_string(),
        "verdict": c.verdict.label_zh(),
        "verdict_code": c.verdict.as_str(),
        "score": c.score,
        "findings": c.findings.iter().map(|f| json!({
            "indicator": f.indicator.as_str(),
            "kind": f.kind.as_str(),
            "points": f.points,
            "message": f.message,
            "evidence": f.evidence,
        })).collect::<Vec<_>>(),
    })
}

fn summary(name: &str, c: &Check) -> String {
    let mut s = format!("{name} 网站自查（{}）：{}", c.date, c.verdict.label_zh());
    match c.score {
        Some(score) => s.push_str(&format!("，得分 {score}\n")),
        None => s.push_str("（存在单项否决项，不再计分）\n"),
    }
    if c.findings.is_empty() {
        s.push_str("未发现问题。\n");
    }
    for f in &c.findings {
        let points = if f.points > 0 { format!("（扣{}分）", f.points) } else { String::new() };
        s.push_str(&format!("【{}】{}：{}{points}\n", f.kind.label_zh(), f.indicator.label_zh(), f.message));
        for e in f.evidence.iter().take(10) {
            s.push_str(&format!("    · {e}\n"));
        }
        if f.evidence.len() > 10 {
            s.push_str(&format!("    · ……另有{}条\n", f.evidence.len() - 10));
        }
    }
    s.push_str("未检查：办事指南要素（平台尚无办事指南数据）；站点可访问性仅依据已存储的探测结果。\n");
    s
}
