//! `gongkai report`: generate an agency's annual report from the live data in any export format, and import the
//! yearly figures that come from other systems (CSV).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use gongkai_app::reports::ExportFormat;
use gongkai_app::{App, Caller};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Generate the annual report of an agency for a year (the published one once it is published).
    Generate {
        /// Agency code, e.g. yima-office.
        #[arg(long)]
        agency: String,
        /// Statistics year, e.g. 2023.
        #[arg(long)]
        year: i32,
        /// html, docx, xlsx, pdf or json.
        #[arg(long)]
        format: String,
        /// Output file; default: standard output (binary formats are refused on a terminal).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import yearly figures (CSV lines `项目,数值`) of an agency for a year.
    Figures {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        year: i32,
        /// The CSV file.
        file: PathBuf,
    },
}

/// Checks the arguments before the database is opened.
pub fn check(cmd: &ReportCommand) -> Result<()> {
    if let ReportCommand::Generate { format, out, .. } = cmd {
        let Some(f) = ExportFormat::parse(format) else {
            bail!("未知的格式“{format}”，可选：html、docx、xlsx、pdf、json");
        };
        if out.is_none() && !f.is_text() && std::io::stdout().is_terminal() {
            bail!("{} 是二进制格式，不能输出到终端；请用 --out 指定文件，或重定向到文件", f.extension());
        }
    }
    Ok(())
}

pub async fn run(app: &App, cmd: ReportCommand) -> Result<()> {
    match cmd {
        ReportCommand::Generate { agency, year, format, out } => {
            let format = ExportFormat::parse(&format).context("未知的格式")?;
            let agency = app.agency_by_code(&agency).await?;
            let (_, _, bytes) = app.export_report(&agency, year, format).await?;
            match out {
                Some(path) => {
                    std::fs::write(&path, &bytes).with_context(|| format!("无法写入 {}", path.display()))?;
                    eprintln!("已生成 {}（{} 字节）。", path.display(), bytes.len());
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(&bytes)?;
                    stdout.flush()?;
                }
            }
        }
        ReportCommand::Figures { agency, year, file } => {
            let agency = app.agency_by_code(&agency).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let n = app.import_report_figures(Caller::System("cli"), &agency, year, &bytes).await?;
            println!("已导入{}{year}年填报数据 {n} 项。", agency.name);
        }
    }
    Ok(())
}
