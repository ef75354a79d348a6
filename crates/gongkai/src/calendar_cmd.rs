//! `gongkai calendar …`: import holiday notices, show one year, compute a due date in working days.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use gongkai_app::calendar::MAX_CALENDAR_FILE;
use gongkai_app::{App, Caller};
use gongkai_domain::calendar::{HolidayYear, format_date_list_zh, format_range_zh, serde_ymd};
use std::io::Read;
use std::path::{Path, PathBuf};
use time::{Date, OffsetDateTime, UtcOffset};

/// The largest period `due` computes (statutory periods are at most a few dozen working days).
const MAX_DAYS: u32 = 10_000;

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Import a holiday file (the project's layout, or holiday-cn's `{year}.json`): every year in it or none.
    Import {
        /// The JSON file.
        file: PathBuf,
    },
    /// Show the loaded notice of a year: off days by holiday, adjusted workdays, source.
    Show {
        /// The year, e.g. 2026.
        year: String,
    },
    /// The N-th working day after a date (the date itself is not counted), with how it was computed.
    /// The first line of the output is the due date as YYYY-MM-DD.
    Due {
        /// The triggering date (e.g. the day the application was received), YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Working days.
        #[arg(long)]
        days: String,
    },
}

/// Checks the arguments before anything touches the database, so bad input fails the same way everywhere.
pub fn check(cmd: &CalendarCommand) -> Result<()> {
    match cmd {
        CalendarCommand::Import { .. } => Ok(()),
        CalendarCommand::Show { year } => parse_year(year).map(drop),
        CalendarCommand::Due { from, days } => {
            parse_date(from)?;
            parse_days(days).map(drop)
        }
    }
}

pub async fn run(app: &App, cmd: CalendarCommand) -> Result<()> {
    match cmd {
        CalendarCommand::Import { file } => import(app, &file).await,
        CalendarCommand::Show { year } => show(app, parse_year(&year)?).await,
        CalendarCommand::Due { from, days } => {
            let due = app.calendar().await?.add_working_days(parse_date(&from)?, parse_days(&days)?);
            println!("{}", serde_ymd::format(due.date));
            println!("{}", due.explanation.to_zh());
            Ok(())
        }
    }
}

fn parse_date(s: &str) -> Result<Date> {
    match serde_ymd::parse(s.trim()) {
        Some(d) => Ok(d),
        None => bail!("日期“{s}”无效：应为YYYY-MM-DD格式的有效日期，例如 2023-09-28"),
    }
}

fn parse_days(s: &str) -> Result<u32> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= MAX_DAYS => Ok(n),
        _ => bail!("工作日数“{s}”无效：应为0至{MAX_DAYS}之间的整数"),
    }
}

fn parse_year(s: &str) -> Result<i32> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1..=9999).contains(&y) => Ok(y),
        _ => bail!("年份“{s}”无效：应为四位数字，例如 2027"),
    }
}

async fn import(app: &App, path: &Path) -> Result<()> {
    let bytes = read_limited(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
    let bar = crate::progress::Bar::new();
    bar.busy("正在导入节假日安排");
    let imported = app.import_calendar(Caller::System("cli"), &bytes).await;
    bar.done();
    let summary = imported.context("未导入任何年份")?;
    println!("已导入 {} 个年份的节假日安排：", summary.years.len());
    for line in summary.lines_zh() {
        println!("{line}");
    }
    Ok(())
}

/// Reads at most one byte more than the app accepts, so that a huge (or endless) file is refused quickly.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_CALENDAR_FILE as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

async fn show(app: &App, year: i32) -> Result<()> {
    let Some(stored) = app.calendar_year(Caller::System("cli"), year).await? else {
        println!("{year}年的节假日安排尚未载入。");
        println!(
            "在载入国务院办公厅《关于{year}年部分节假日安排的通知》之前，{year}年按普通周末\
             （周一至周五上班，周六、周日休息）及元旦、劳动节、国庆节的法定日期计算，涉及{year}年的期限均为临时期限，载入后重新计算。"
        );
        println!("导入：gongkai calendar import 文件.json");
        return Ok(());
    };
    let y = &stored.data;
    println!("{year}年节假日安排（已载入）");
    println!("通知：{}", y.notice_url.as_deref().unwrap_or("（未注明）"));
    println!(
        "来源：{}；载入时间：{}（北京时间）；载入人：{}",
        stored.source.label_zh(),
        datetime_zh(stored.loaded_at),
        stored.loaded_by
    );
    println!("放假日（共{}天）：", y.off_days.len());
    for (name, from, to) in holiday_ranges(y) {
        let days = (to - from).whole_days() + 1;
        println!("  {name}：{}（{days}天）", format_range_zh(from, to));
    }
    let mut work = y.adjusted_workdays.clone();
    work.sort();
    if work.is_empty() {
        println!("调休上班日：无");
    } else {
        println!("调休上班日（共{}天）：{}", work.len(), format_date_list_zh(&work));
    }
    Ok(())
}

/// Consecutive off days with the same holiday name, as (name, first, last), by date.
pub fn holiday_ranges(y: &HolidayYear) -> Vec<(String, Date, Date)> {
    let mut days: Vec<_> = y.off_days.iter().collect();
    days.sort_by_key(|o| o.date);
    let mut out: Vec<(String, Date, Date)> = Vec::new();
    for o in days {
        match out.last_mut() {
            Some((name, _, to)) if *name == o.name && to.next_day() == Some(o.date) => *to = o.date,
            _ => out.push((o.name.clone(), o.date, o.date)),
        }
    }
    out
}

/// `2026年1月5日 14:03` in Beijing time (UTC+8).
fn datetime_zh(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC));
    format!("{}年{}月{}日 {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_domain::calendar::seed_years;
    use time::macros::date;

    #[test]
    fn ranges_group_consecutive_days_of_one_holiday() {
        let y2023 = seed_years().into_iter().find(|y| y.year == 2023).unwrap();
        let r = holiday_ranges(&y2023);
        assert_eq!(r[0], ("元旦".to_owned(), date!(2022 - 12 - 31), date!(2023 - 01 - 02)));
        assert!(r.contains(&("中秋节、国庆节".to_owned(), date!(2023 - 09 - 29), date!(2023 - 10 - 06))));
    }

    #[test]
    fn arguments_are_checked_in_chinese() {
        assert!(parse_date("2023-02-30").unwrap_err().to_string().contains("日期“2023-02-30”无效"));
        assert!(parse_days("-1").is_err() && parse_days("10001").is_err());
        assert_eq!(parse_days(" 20 ").unwrap(), 20);
        assert!(parse_year("二〇二七").is_err() && parse_year("0").is_err());
    }
}
