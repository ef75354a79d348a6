//! Reading holiday notices from JSON: the project's seed layout and the public holiday-cn layout.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use time::{Date, Month};

use super::{HolidayYear, OffDay, format_date_zh, is_weekend, serde_ymd, weekday_zh};

/// The embedded seed data (notices 2023–2026, `crates/gongkai-domain/data/holidays-cn.json`).
pub const SEED_JSON: &str = include_str!("../../data/holidays-cn.json");

/// The seed notices. The embedded file is checked by tests; should it ever fail to parse this
/// returns no years (every result then shows as provisional) rather than panicking.
pub fn seed_years() -> Vec<HolidayYear> {
    parse_holiday_file(SEED_JSON.as_bytes()).unwrap_or_default()
}

/// Why a holiday file was rejected. Messages are for the administrator, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarImportError {
    #[error("文件不是UTF-8编码的文本")]
    NotUtf8,
    #[error("JSON格式错误（第{line}行第{column}列）")]
    Json { line: usize, column: usize },
    #[error(
        "无法识别的文件格式：应为本项目的 {{\"years\": {{\"2023\": …}}}} 格式，或 holiday-cn 的 {{\"year\", \"papers\", \"days\"}} 格式"
    )]
    UnknownLayout,
    #[error("{context}缺少字段“{field}”或其类型不对")]
    Field { context: String, field: &'static str },
    #[error("年份“{value}”无效")]
    BadYear { value: String },
    #[error("{context}第{item}项日期格式错误：“{value}”（应为YYYY-MM-DD格式的有效日期）")]
    BadDate { context: String, item: usize, value: String },
    #[error("{context}第{item}项缺少节日名称")]
    MissingName { context: String, item: usize },
    #[error("{year}年放假安排中的{date}不属于该年（只能是该年的日期，或上一年12月、下一年1月的日期）")]
    OutOfYear { year: i32, date: String },
    #[error("{year}年放假安排中{date}重复出现")]
    Duplicate { year: i32, date: String },
    #[error("{year}年放假安排中{date}既是放假日又是调休上班日")]
    Conflict { year: i32, date: String },
    #[error("{year}年放假安排中的调休上班日{date}是{weekday}，不是周末")]
    NotWeekend { year: i32, date: String, weekday: &'static str },
    #[error("文件中{year}年的放假安排出现了不止一次")]
    DuplicateYear { year: i32 },
    #[error("{year}年的放假安排没有任何放假日期")]
    EmptyYear { year: i32 },
    #[error("文件中没有任何年份的放假安排")]
    Empty,
}

type R<T> = Result<T, CalendarImportError>;

/// Parse a holiday file. Accepted layouts:
/// - the project's seed layout: `{"years": {"2023": {"off_days": [{"date","name"}], "adjusted_workdays":
///   ["2023-01-28", …], "notice_url"?}}, "notices"?: {"2023": url}}`;
/// - holiday-cn's `{year}.json`: `{"year": 2027, "papers": [urls], "days": [{"name","date","isOffDay"}]}`
///   (`isOffDay: true` → day off, `false` → 调休上班; the first paper is kept as the notice URL);
/// - one serialized [`HolidayYear`] (`{"year", "notice_url", "off_days", "adjusted_workdays"}`);
/// - a JSON array of the two single-year layouts.
///
/// Every year is validated (see [`HolidayYear::validate`]); the result is sorted by year.
pub fn parse_holiday_file(bytes: &[u8]) -> R<Vec<HolidayYear>> {
    let text = std::str::from_utf8(bytes).map_err(|_| CalendarImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value =
        serde_json::from_str(text).map_err(|e| CalendarImportError::Json { line: e.line(), column: e.column() })?;
    let years = match &value {
        Value::Object(obj) if obj.contains_key("years") => parse_seed_layout(obj)?,
        Value::Object(obj) => vec![parse_single_year(obj)?],
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Object(obj) => out.push(parse_single_year(obj)?),
                    _ => return Err(CalendarImportError::UnknownLayout),
                }
            }
            out
        }
        _ => return Err(CalendarImportError::UnknownLayout),
    };
    if years.is_empty() {
        return Err(CalendarImportError::Empty);
    }
    let mut by_year = BTreeMap::new();
    for y in years {
        validate_year(&y)?;
        let year = y.year;
        if by_year.insert(year, y).is_some() {
            return Err(CalendarImportError::DuplicateYear { year });
        }
    }
    Ok(by_year.into_values().collect())
}

fn parse_single_year(obj: &Map<String, Value>) -> R<HolidayYear> {
    if obj.contains_key("days") {
        parse_holiday_cn(obj)
    } else if obj.contains_key("off_days") && obj.contains_key("year") {
        let year = parse_year_value(obj.get("year"))?;
        parse_year_body(year, obj, None)
    } else {
        Err(CalendarImportError::UnknownLayout)
    }
}

fn parse_year_value(v: Option<&Value>) -> R<i32> {
    match v {
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|y| i32::try_from(y).ok())
            .ok_or_else(|| CalendarImportError::BadYear { value: n.to_string() }),
        Some(Value::String(s)) => parse_year_str(s),
        Some(other) => Err(CalendarImportError::BadYear { value: other.to_string() }),
        None => Err(CalendarImportError::Field { context: String::new(), field: "year" }),
    }
}

fn parse_year_str(s: &str) -> R<i32> {
    let t = s.trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CalendarImportError::BadYear { value: s.to_string() });
    }
    t.parse().map_err(|_| CalendarImportError::BadYear { value: s.to_string() })
}

fn parse_seed_layout(root: &Map<String, Value>) -> R<Vec<HolidayYear>> {
    let Some(Value::Object(years)) = root.get("years") else {
        return Err(CalendarImportError::Field { context: String::new(), field: "years" });
    };
    let notices = match root.get("notices") {
        Some(Value::Object(n)) => Some(n),
        None | Some(Value::Null) => None,
        Some(_) => {
            return Err(CalendarImportError::Field { context: String::new(), field: "notices" });
        }
    };
    let mut out = Vec::with_capacity(years.len());
    for (key, body) in years {
        let year = parse_year_str(key)?;
        let Value::Object(body) = body else {
            return Err(CalendarImportError::Field { context: format!("{year}年："), field: "off_days" });
        };
        let url = notices.and_then(|n| n.get(key));
        out.push(parse_year_body(year, body, url)?);
    }
    Ok(out)
}

fn url_value(v: Option<&Value>, context: &str) -> R<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            Ok(if s.is_empty() { None } else { Some(s.to_string()) })
        }
        Some(_) => Err(CalendarImportError::Field { context: context.to_string(), field: "notice_url" }),
    }
}

fn parse_year_body(year: i32, body: &Map<String, Value>, notice: Option<&Value>) -> R<HolidayYear> {
    let ctx = format!("{year}年：");
    let notice_url = match url_value(body.get("notice_url"), &ctx)? {
        Some(u) => Some(u),
        None => url_value(notice, &ctx)?,
    };
    let off_ctx = format!("{year}年放假日（off_days）");
    let off_items = match body.get("off_days") {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return Err(CalendarImportError::Field { context: ctx, field: "off_days" });
        }
    };
    let mut off_days = Vec::with_capacity(off_items.len());
    for (i, item) in off_items.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(CalendarImportError::Field { context: format!("{off_ctx}第{}项", i + 1), field: "date" });
        };
        let date = parse_date(o.get("date"), &off_ctx, i)?;
        let name = parse_name(o.get("name"), &off_ctx, i)?;
        off_days.push(OffDay { date, name });
    }
    let work_ctx = format!("{year}年调休上班日（adjusted_workdays）");
    let work_items = match body.get("adjusted_workdays") {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return Err(CalendarImportError::Field { context: ctx, field: "adjusted_workdays" });
        }
    };
    let mut adjusted_workdays = Vec::with_capacity(work_items.len());
    for (i, item) in work_items.iter().enumerate() {
        // Plain strings, or objects with a "date" field.
        let v = match item {
            Value::Object(o) => o.get("date"),
            other => Some(other),
        };
        adjusted_workdays.push(parse_date(v, &work_ctx, i)?);
    }
    Ok(HolidayYear { year, notice_url, off_days, adjusted_workdays })
}

fn parse_holiday_cn(obj: &Map<String, Value>) -> R<HolidayYear> {
    let year = parse_year_value(obj.get("year"))?;
    let notice_url = match obj.get("papers") {
        Some(Value::Array(papers)) => {
            papers.iter().filter_map(Value::as_str).map(str::trim).find(|s| !s.is_empty()).map(str::to_string)
        }
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let ctx = format!("{year}年（days）");
    let Some(Value::Array(days)) = obj.get("days") else {
        return Err(CalendarImportError::Field { context: format!("{year}年："), field: "days" });
    };
    let mut off_days = Vec::new();
    let mut adjusted_workdays = Vec::new();
    for (i, item) in days.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(CalendarImportError::Field { context: format!("{ctx}第{}项", i + 1), field: "date" });
        };
        let date = parse_date(o.get("date"), &ctx, i)?;
        match o.get("isOffDay") {
            Some(Value::Bool(true)) => {
                let name = parse_name(o.get("name"), &ctx, i)?;
                off_days.push(OffDay { date, name });
            }
            Some(Value::Bool(false)) => adjusted_workdays.push(date),
            _ => {
                return Err(CalendarImportError::Field { context: format!("{ctx}第{}项", i + 1), field: "isOffDay" });
            }
        }
    }
    Ok(HolidayYear { year, notice_url, off_days, adjusted_workdays })
}

fn parse_date(v: Option<&Value>, context: &str, index: usize) -> R<Date> {
    let bad = |value: String| CalendarImportError::BadDate { context: context.to_string(), item: index + 1, value };
    match v {
        Some(Value::String(s)) => serde_ymd::parse(s.trim()).ok_or_else(|| bad(s.clone())),
        Some(other) => Err(bad(other.to_string())),
        None => Err(bad(String::new())),
    }
}

fn parse_name(v: Option<&Value>, context: &str, index: usize) -> R<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        _ => Err(CalendarImportError::MissingName { context: context.to_string(), item: index + 1 }),
    }
}

/// See [`HolidayYear::validate`].
pub(crate) fn validate_year(y: &HolidayYear) -> R<()> {
    let year = y.year;
    if y.off_days.is_empty() {
        return Err(CalendarImportError::EmptyYear { year });
    }
    let belongs = |d: Date| {
        d.year() == year
            || (i64::from(d.year()) == i64::from(year) - 1 && d.month() == Month::December)
            || (i64::from(d.year()) == i64::from(year) + 1 && d.month() == Month::January)
    };
    let mut off = BTreeSet::new();
    for (i, o) in y.off_days.iter().enumerate() {
        if o.name.trim().is_empty() {
            return Err(CalendarImportError::MissingName { context: format!("{year}年放假日"), item: i + 1 });
        }
        if !belongs(o.date) {
            return Err(CalendarImportError::OutOfYear { year, date: format_date_zh(o.date) });
        }
        if !off.insert(o.date) {
            return Err(CalendarImportError::Duplicate { year, date: format_date_zh(o.date) });
        }
    }
    let mut work = BTreeSet::new();
    for &d in &y.adjusted_workdays {
        if !belongs(d) {
            return Err(CalendarImportError::OutOfYear { year, date: format_date_zh(d) });
        }
        if off.contains(&d) {
            return Err(CalendarImportError::Conflict { year, date: format_date_zh(d) });
        }
        if !work.insert(d) {
            return Err(CalendarImportError::Duplicate { year, date: format_date_zh(d) });
        }
        if !is_weekend(d) {
            return Err(CalendarImportError::NotWeekend { year, date: format_date_zh(d), weekday: weekday_zh(d) });
        }
    }
    Ok(())
}
