//! The working-day calendar (工作日历) as the platform uses it: the notices stored in the database, seeded
//! with the years shipped in the program and extended by administrators (console upload or command line).
//!
//! Years whose notice is not loaded count plain weekends and every period reaching them is provisional
//! (docs/law/calendar.md, "Years not loaded"); from October on the console warns when next year's notice is missing.

use crate::{App, AppError, Caller, Result};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::{
    Calendar, HolidayYear, format_date_zh, format_month_day_zh, parse_holiday_file, seed_years, serde_ymd,
};
use gongkai_store::calendar::{self as store, CalendarSource, StoredYear};
use gongkai_store::{Actor, NewAuditEvent, audit};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, OffsetDateTime, UtcOffset};

/// The largest holiday file accepted (a year is a few kilobytes; this leaves room for many years).
pub const MAX_CALENDAR_FILE: usize = 1024 * 1024;

/// Years that may be imported. The notices exist since 2000; the upper bound catches typos (`20277`).
pub const IMPORTABLE_YEARS: std::ops::RangeInclusive<i32> = 1999..=2100;

/// Beijing time (UTC+8, no daylight saving).
const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Today's date in Beijing, the date every period is counted in.
pub fn beijing_today() -> Date {
    OffsetDateTime::now_utc().to_offset(BEIJING).date()
}

/// What importing one year changed, compared with what was stored before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearChange {
    pub year: i32,
    pub notice_url: Option<String>,
    /// Whether the year was loaded before. The lists below compare with what was loaded (for a new year
    /// every date is "added").
    pub replaced: bool,
    /// Off days and adjusted workdays in the imported notice.
    pub off_days: usize,
    pub adjusted_workdays: usize,
    pub off_days_added: Vec<Date>,
    pub off_days_removed: Vec<Date>,
    /// Still off, under another holiday name.
    pub off_days_renamed: Vec<Date>,
    pub workdays_added: Vec<Date>,
    pub workdays_removed: Vec<Date>,
}

impl YearChange {
    fn new(previous: Option<&HolidayYear>, y: &HolidayYear) -> Self {
        let off = |h: &HolidayYear| -> BTreeMap<Date, String> {
            h.off_days.iter().map(|o| (o.date, o.name.clone())).collect()
        };
        let work = |h: &HolidayYear| -> BTreeSet<Date> { h.adjusted_workdays.iter().copied().collect() };
        let (new_off, new_work) = (off(y), work(y));
        let (old_off, old_work) = match previous {
            Some(p) => (off(p), work(p)),
            None => Default::default(),
        };
        let replaced = previous.is_some();
        YearChange {
            year: y.year,
            notice_url: y.notice_url.clone(),
            replaced,
            off_days: new_off.len(),
            adjusted_workdays: new_work.len(),
            off_days_added: new_off.keys().filter(|d| !old_off.contains_key(d)).copied().collect(),
            off_days_removed: old_off.keys().filter(|d| !new_off.contains_key(d)).copied().collect(),
            off_days_renamed: new_off
                .iter()
                .filter(|(d, name)| old_off.get(d).is_some_and(|old| old != *name))
                .map(|(d, _)| *d)
                .collect(),
            workdays_added: new_work.difference(&old_work).copied().collect(),
            workdays_removed: old_work.difference(&new_work).copied().collect(),
        }
    }

    /// Whether a replaced year's days stayed exactly the same.
    pub fn is_unchanged(&self) -> bool {
        self.replaced
            && self.off_days_added.is_empty()
            && self.off_days_removed.is_empty()
            && self.off_days_renamed.is_empty()
            && self.workdays_added.is_empty()
            && self.workdays_removed.is_empty()
    }

    /// One line for the administrator, e.g.
    /// `2027年：新载入，放假日14天，调休上班日2天（通知：https://…）。`
    pub fn to_zh(&self) -> String {
        let notice = match &self.notice_url {
            Some(u) => format!("（通知：{u}）"),
            None => "（未注明通知网址）".to_owned(),
        };
        let counts = format!("放假日{}天，调休上班日{}天", self.off_days, self.adjusted_workdays);
        if !self.replaced {
            return format!("{}年：新载入，{counts}{notice}。", self.year);
        }
        if self.is_unchanged() {
            return format!("{}年：与已载入的安排相同，日期未变{notice}。", self.year);
        }
        let mut parts = Vec::new();
        let mut list = |label: &str, dates: &[Date]| {
            if !dates.is_empty() {
                parts.push(format!("{label}{}", date_ranges_zh(dates)));
            }
        };
        list("新增放假日", &self.off_days_added);
        list("不再放假", &self.off_days_removed);
        list("节日名称变更", &self.off_days_renamed);
        list("新增调休上班日", &self.workdays_added);
        list("取消调休上班日", &self.workdays_removed);
        format!("{}年：已更新，现有{counts}{notice}；{}。", self.year, parts.join("；"))
    }

    fn audit_details(&self) -> serde_json::Value {
        let dates = |v: &[Date]| v.iter().map(|d| serde_ymd::format(*d)).collect::<Vec<_>>();
        json!({
            "year": self.year,
            "notice_url": self.notice_url,
            "replaced": self.replaced,
            "off_days": self.off_days,
            "adjusted_workdays": self.adjusted_workdays,
            "off_days_added": dates(&self.off_days_added),
            "off_days_removed": dates(&self.off_days_removed),
            "off_days_renamed": dates(&self.off_days_renamed),
            "adjusted_workdays_added": dates(&self.workdays_added),
            "adjusted_workdays_removed": dates(&self.workdays_removed),
        })
    }
}

/// What an import did, year by year (sorted by year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub years: Vec<YearChange>,
}

impl ImportSummary {
    /// One Chinese line per year.
    pub fn lines_zh(&self) -> Vec<String> {
        self.years.iter().map(YearChange::to_zh).collect()
    }
}

/// Sorted dates with consecutive days joined: `2026年1月2日至1月3日、2月15日至2月23日、10月10日`.
fn date_ranges_zh(dates: &[Date]) -> String {
    let mut ranges: Vec<(Date, Date)> = Vec::new();
    for &d in dates {
        match ranges.last_mut() {
            Some((_, to)) if to.next_day() == Some(d) => *to = d,
            _ => ranges.push((d, d)),
        }
    }
    let mut out = String::new();
    let mut year = None;
    for (i, (from, to)) in ranges.into_iter().enumerate() {
        if i > 0 {
            out.push('、');
        }
        out.push_str(&if year == Some(from.year()) { format_month_day_zh(from) } else { format_date_zh(from) });
        if to != from {
            out.push('至');
            out.push_str(&if to.year() == from.year() { format_month_day_zh(to) } else { format_date_zh(to) });
        }
        year = Some(to.year());
    }
    out
}

fn invalid_file(message: String) -> AppError {
    AppError::Invalid { field: Some("file"), message }
}

impl App {
    /// Stores every year of the shipped seed (2023–2026) that the database does not hold yet, with one
    /// `calendar.seed` audit event; a no-op on a seeded database, and never replaces a stored (possibly
    /// corrected) year. The binary calls it whenever it opens the database. Returns the years stored now.
    pub async fn seed_calendar_if_empty(&self) -> Result<Vec<i32>> {
        let seed = seed_years();
        if seed.is_empty() {
            // Only if the embedded file were broken (its own tests check it): run with plain weekends, loudly.
            tracing::error!("the embedded holiday seed data did not parse; every period will be provisional");
            return Ok(Vec::new());
        }
        let actor = Actor::System("system".into());
        let mut tx = self.db.begin().await?;
        let mut stored = Vec::new();
        for y in &seed {
            if store::insert_if_absent(&mut tx, y, CalendarSource::Seed, &actor).await? {
                stored.push(y.year);
            }
        }
        if !stored.is_empty() {
            let notices: BTreeMap<String, Option<&str>> = seed
                .iter()
                .filter(|y| stored.contains(&y.year))
                .map(|y| (y.year.to_string(), y.notice_url.as_deref()))
                .collect();
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &actor,
                    agency_id: None,
                    action: AuditAction::CalendarSeed,
                    object_type: "calendar",
                    object_id: stored.iter().map(i32::to_string).collect::<Vec<_>>().join(","),
                    details: json!({"years": stored, "notice_urls": notices}),
                },
            )
            .await?;
        }
        tx.commit().await?;
        if !stored.is_empty() {
            tracing::info!(years = ?stored, "working-day calendar seeded");
        }
        Ok(stored)
    }

    /// The working-day calendar as stored now (years not stored count plain weekends, provisionally).
    pub async fn calendar(&self) -> Result<Calendar> {
        let years = store::list(&self.db).await?;
        Ok(Calendar::new(years.into_iter().map(|s| s.data).collect()))
    }

    /// The stored years with provenance. Platform administrators only (or the system: the command line).
    pub async fn calendar_years(&self, by: Caller<'_>) -> Result<Vec<StoredYear>> {
        by.require_platform_admin()?;
        Ok(store::list(&self.db).await?)
    }

    /// One stored year with provenance, `None` if its notice is not loaded. Same access as [`App::calendar_years`].
    pub async fn calendar_year(&self, by: Caller<'_>, year: i32) -> Result<Option<StoredYear>> {
        by.require_platform_admin()?;
        Ok(store::get(&self.db, year).await?)
    }

    /// Imports a holiday file (the project's layout, holiday-cn's `{year}.json`, or a list; see
    /// [`parse_holiday_file`]). Platform administrators only (or the system: the command line).
    ///
    /// All or nothing: the whole file is checked first, then every year is stored in one transaction with one
    /// `calendar.import` audit event per year describing what changed.
    pub async fn import_calendar(&self, by: Caller<'_>, bytes: &[u8]) -> Result<ImportSummary> {
        by.require_platform_admin()?;
        if bytes.len() > MAX_CALENDAR_FILE {
            return Err(invalid_file(format!("文件过大（不能超过{}KB）", MAX_CALENDAR_FILE / 1024)));
        }
        let years = parse_holiday_file(bytes).map_err(|e| invalid_file(e.to_string()))?;
        for y in &years {
            y.validate().map_err(|e| invalid_file(e.to_string()))?;
            if !IMPORTABLE_YEARS.contains(&y.year) {
                return Err(invalid_file(format!(
                    "年份{}超出可导入的范围（{}—{}年）",
                    y.year,
                    IMPORTABLE_YEARS.start(),
                    IMPORTABLE_YEARS.end()
                )));
            }
        }
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let mut changes = Vec::with_capacity(years.len());
        for y in &years {
            let previous = store::upsert(&mut tx, y, CalendarSource::Import, &actor).await?;
            let change = YearChange::new(previous.as_ref(), y);
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &actor,
                    agency_id: None,
                    action: AuditAction::CalendarImport,
                    object_type: "calendar_year",
                    object_id: y.year.to_string(),
                    details: change.audit_details(),
                },
            )
            .await?;
            changes.push(change);
        }
        // Open cases do not exist yet. When they do, this is where their deadlines that reach an imported year
        // are recomputed, in this same transaction, each change logged as a case event (docs/law/calendar.md: provisional
        // periods are "recomputed when the notice is loaded, with the change logged").
        tx.commit().await?;
        Ok(ImportSummary { years: changes })
    }

    /// Ok when `by` may import the holiday calendar (platform administrators): checked before an upload is read.
    pub fn require_calendar_admin(&self, by: Caller<'_>) -> Result<()> {
        by.require_platform_admin()
    }

    /// The dashboard's warning of a missing holiday notice, for those who can act on it (platform administrators).
    pub async fn calendar_warning_of(&self, p: &crate::Principal) -> Result<Option<String>> {
        if !p.is_platform_admin() {
            return Ok(None);
        }
        self.calendar_warning(beijing_today()).await
    }

    /// The console's warning about missing notices on `today` (a Beijing date), if any.
    pub async fn calendar_warning(&self, today: Date) -> Result<Option<String>> {
        Ok(calendar_warning_for(&self.calendar().await?, today))
    }
}

/// The warning for a given calendar: always when the current year's notice is missing, and from 1 October on
/// when next year's is (the notice usually appears in November; periods reach into the new year before then).
pub fn calendar_warning_for(cal: &Calendar, today: Date) -> Option<String> {
    let year = today.year();
    let mut out = Vec::new();
    if !cal.is_loaded(year) {
        out.push(format!(
            "尚未载入{year}年的节假日安排：涉及{year}年的期限目前按普通周末及元旦、劳动节、国庆节的法定日期计算，并标注为“临时”。\
             请尽快导入国务院办公厅《关于{year}年部分节假日安排的通知》。"
        ));
    }
    let next = year.saturating_add(1);
    if u8::from(today.month()) >= 10 && !cal.is_loaded(next) {
        out.push(format!(
            "尚未载入{next}年的节假日安排。国务院办公厅通常于每年11月前后发布《关于{next}年部分节假日安排的通知》，\
             发布后请及时导入；在此之前，涉及{next}年的期限按普通周末及元旦、劳动节、国庆节的法定日期计算，并标注为“临时”。"
        ));
    }
    (!out.is_empty()).then(|| out.join(""))
}

#[cfg(test)]
mod tests {
    use super::date_ranges_zh;
    use time::macros::date;

    #[test]
    fn date_ranges_join_consecutive_days() {
        let d = [
            date!(2026 - 01 - 02),
            date!(2026 - 01 - 03),
            date!(2026 - 10 - 10),
            date!(2026 - 12 - 31),
            date!(2027 - 01 - 01),
        ];
        assert_eq!(date_ranges_zh(&d), "2026年1月2日至1月3日、10月10日、12月31日至2027年1月1日");
        assert_eq!(date_ranges_zh(&d[2..3]), "2026年10月10日");
    }
}
