//! `gongkai evaluation score`: a supervising agency's year of evaluation (考核, docs/law/supervision.md §5) with
//! every agency's points per indicator, total, grade and rank, as JSON or a readable Chinese table.

use anyhow::{Result, bail};
use clap::Subcommand;
use gongkai_app::evaluation::{Board, evaluator_label};
use gongkai_app::{App, Caller};
use gongkai_domain::evaluation::fmt_points;
use serde_json::json;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum EvaluationCommand {
    /// The year's results of the agencies beneath a supervising agency (auto indicators computed now).
    Score {
        /// The supervising agency's code, e.g. yima.
        #[arg(long)]
        agency: String,
        #[arg(long)]
        year: i32,
        /// Print `{agency, year, evaluator, evaluated_on, indicators, units}` as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, cmd: EvaluationCommand) -> Result<ExitCode> {
    let EvaluationCommand::Score { agency, year, json } = cmd;
    let agency = app.agency_by_code(&agency).await?;
    let Some(board) = app.evaluation_board(Caller::System("cli"), &agency, year).await? else {
        bail!("{}没有{year}年度考核方案", agency.name);
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(agency.code.as_str(), year, &board))?);
    } else {
        let mut order: Vec<_> = board.units.iter().collect();
        order.sort_by_key(|u| u.rank);
        println!(
            "{} {year}年度考核（{}，计分截至 {}）",
            agency.name,
            evaluator_label(&board.scheme.scheme.evaluator),
            board.evaluated_on
        );
        for u in order {
            let pending = if u.pending > 0 { format!("，{}项未评", u.pending) } else { String::new() };
            println!("{:>3}  {}  {}分  {}{pending}", u.rank, u.agency.name, fmt_points(u.total), u.grade);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Tenths as a JSON number with one decimal.
fn num(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

fn to_json(agency: &str, year: i32, b: &Board) -> serde_json::Value {
    json!({
        "agency": agency,
        "year": year,
        "evaluator": b.scheme.scheme.evaluator,
        "evaluated_on": b.evaluated_on.to_string(),
        "warnings": b.scheme.warnings,
        "indicators": b.scheme.indicators.iter().map(|i| json!({
            "code": i.code, "name": i.name, "method": i.method.as_str(), "weight": i.weight, "cap": i.cap,
            "auto": i.auto.map(|a| a.as_str()),
        })).collect::<Vec<_>>(),
        "units": b.units.iter().map(|u| json!({
            "agency": u.agency.code.as_str(),
            "name": u.agency.name,
            "rank": u.rank,
            "total": num(u.total),
            "grade": u.grade,
            "pending": u.pending,
            "scores": u.cells.iter().map(|c| json!({
                "indicator": c.code,
                "points": num(c.points),
                "scored": c.auto || c.raw.is_some(),
                "auto": c.auto,
                "explanation": c.explanation,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
