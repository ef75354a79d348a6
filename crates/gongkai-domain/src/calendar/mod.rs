//! 工作日历: working days of mainland China with 调休 (adjusted working weekend days).
//!
//! A date is a working day if it is Mon–Fri and not an official day off, or if it is an official
//! adjusted working weekend day (调休上班). The official days come from the yearly 国务院办公厅
//! 《关于Y年部分节假日安排的通知》, loaded as [`HolidayYear`] data (seed: [`seed_years`]).
//!
//! Years whose notice is not loaded fall back to plain weekends plus the fixed-date statutory days of
//! 《全国年节及纪念日放假办法》 (元旦, 劳动节, 国庆节: [`fixed_statutory_days`]), and every result that
//! depends on such a year is marked **provisional** (see [`Calendar::is_settled`]).
//!
//! Period convention (条例 Art. 31/33, docs/law/calendar.md): the triggering day is not counted; the n-th
//! working day after it is the last day of the period.

mod explain;
mod import;
pub mod serde_ymd;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

pub use explain::{Explanation, PauseRecord, Restart, SkipReason, SkippedRange};
pub use import::{CalendarImportError, SEED_JSON, parse_holiday_file, seed_years};

/// The first December day that the *next* year's notice may still change (the 元旦 range and its
/// 调休 Saturday: e.g. the 2019 notice made Sat 2018-12-29 a working day and Mon 2018-12-31 a day
/// off). From this day on, a December date is settled only when the next year is loaded too.
pub const NEXT_NOTICE_REACH_FROM_DAY: u8 = 25;

/// One day off in an official holiday range (weekends inside the range included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffDay {
    #[serde(with = "serde_ymd")]
    pub date: Date,
    /// Holiday name as in the notice, e.g. `春节`, `中秋节、国庆节`.
    pub name: String,
}

/// The holiday notice of one year (《关于Y年部分节假日安排的通知》), with provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayYear {
    pub year: i32,
    #[serde(default)]
    pub notice_url: Option<String>,
    #[serde(default)]
    pub off_days: Vec<OffDay>,
    /// Weekend days that are working days (调休上班).
    #[serde(default, with = "serde_ymd::vec")]
    pub adjusted_workdays: Vec<Date>,
}

impl HolidayYear {
    /// Check the same rules [`parse_holiday_file`] enforces (dates within the year or the
    /// neighbouring December/January, no date both off and working, adjusted workdays on weekends,
    /// names present, no duplicates).
    pub fn validate(&self) -> Result<(), CalendarImportError> {
        import::validate_year(self)
    }
}

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// Mon–Fri, no holiday. 工作日
    Workday,
    /// Sat/Sun, not adjusted. 周末
    Weekend,
    /// An official day off (weekends inside the range included). 法定节假日
    Holiday { name: String },
    /// A weekend day that is a working day. 调休上班
    AdjustedWorkday,
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday)
    }

    /// Short Chinese label: 工作日 / 周末 / the holiday name / 调休上班.
    pub fn label_zh(&self) -> &str {
        match self {
            DayKind::Workday => "工作日",
            DayKind::Weekend => "周末",
            DayKind::Holiday { name } => name,
            DayKind::AdjustedWorkday => "调休上班",
        }
    }
}

/// A deadline with how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    #[serde(with = "serde_ymd")]
    pub date: Date,
    pub explanation: Explanation,
}

impl Due {
    /// Name the triggering event (e.g. `收到申请之日`) for [`Explanation::to_zh`].
    pub fn with_trigger(mut self, trigger: impl Into<String>) -> Self {
        self.explanation.trigger = Some(trigger.into());
        self
    }

    pub fn is_provisional(&self) -> bool {
        self.explanation.provisional
    }
}

/// A span during which working days are not counted (a paused statutory clock).
///
/// Covers the working days **after** `start` up to and including `end`: the day the pause begins
/// is still counted (as the trigger day of any period is), and counting resumes the day after `end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// Why, in Chinese (e.g. `征求第三方意见`).
    pub reason: String,
    #[serde(with = "serde_ymd")]
    pub start: Date,
    #[serde(with = "serde_ymd")]
    pub end: Date,
    /// Not yet ended: `end` is the latest day it can last.
    pub ongoing: bool,
}

impl Suspension {
    pub fn covers(&self, d: Date) -> bool {
        d > self.start && d <= self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Override {
    Off(String),
    Work,
}

/// The working-day calendar: loaded notices plus plain weekends for everything else.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, HolidayYear>,
    overrides: BTreeMap<Date, Override>,
}

impl Calendar {
    /// Build from notices. Does not fail: if two entries name the same year the later one wins;
    /// if notices disagree about a date, the notice of the later year wins (it was published later
    /// and is the authority for the previous December); within one notice an adjusted workday wins
    /// over an off day. Use [`HolidayYear::validate`] to reject such data up front.
    pub fn new(years: Vec<HolidayYear>) -> Self {
        let mut cal = Calendar::default();
        for y in years {
            cal.years.insert(y.year, y);
        }
        cal.rebuild();
        cal
    }

    /// The calendar with the embedded seed data (2023–2026).
    pub fn seeded() -> Self {
        Calendar::new(seed_years())
    }

    /// Add or replace one year's notice; returns the replaced one.
    pub fn insert_year(&mut self, year: HolidayYear) -> Option<HolidayYear> {
        let old = self.years.insert(year.year, year);
        self.rebuild();
        old
    }

    fn rebuild(&mut self) {
        self.overrides.clear();
        for y in self.years.values() {
            for off in &y.off_days {
                self.overrides.insert(off.date, Override::Off(off.name.clone()));
            }
            for &d in &y.adjusted_workdays {
                self.overrides.insert(d, Override::Work);
            }
        }
    }

    pub fn years(&self) -> impl Iterator<Item = &HolidayYear> {
        self.years.values()
    }

    pub fn year(&self, year: i32) -> Option<&HolidayYear> {
        self.years.get(&year)
    }

    pub fn loaded_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether the kind of `d` is fixed by loaded notices: its own year is loaded and, from
    /// 12-[`NEXT_NOTICE_REACH_FROM_DAY`] on, the next year too.
    pub fn is_settled(&self, d: Date) -> bool {
        self.is_loaded(d.year()) && (!reaches_next_notice(d) || self.is_loaded(d.year().saturating_add(1)))
    }

    pub fn day_kind(&self, d: Date) -> DayKind {
        let weekend = is_weekend(d);
        match self.overrides.get(&d) {
            Some(Override::Off(name)) => DayKind::Holiday { name: name.clone() },
            Some(Override::Work) if weekend => DayKind::AdjustedWorkday,
            Some(Override::Work) => DayKind::Workday,
            None => match self.fixed_day_off(d) {
                Some(name) => DayKind::Holiday { name: name.to_owned() },
                None if weekend => DayKind::Weekend,
                None => DayKind::Workday,
            },
        }
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        match self.overrides.get(&d) {
            Some(Override::Off(_)) => false,
            Some(Override::Work) => true,
            None => self.fixed_day_off(d).is_none() && !is_weekend(d),
        }
    }

    /// The name of the fixed-date statutory day `d` is, when its year's notice is not loaded (a loaded
    /// notice decides every day of its year itself, so the fixed days are only the fallback).
    fn fixed_day_off(&self, d: Date) -> Option<&'static str> {
        if self.is_loaded(d.year()) {
            return None;
        }
        fixed_statutory_days(d.year())
            .iter()
            .find(|(m, day, _)| *m == d.month() && *day == d.day())
            .map(|(_, _, name)| *name)
    }

    /// The `n`-th working day after `start` (`start` itself is not counted; `n == 0` gives `start`).
    pub fn add_working_days(&self, start: Date, n: u32) -> Due {
        self.add_working_days_suspended(start, n, &[])
    }

    /// Like [`Calendar::add_working_days`], but working days covered by a [`Suspension`] are not
    /// counted (overlapping suspensions pause a day once). Saturates at the last representable
    /// date (`explanation.saturated`).
    pub fn add_working_days_suspended(&self, start: Date, n: u32, suspensions: &[Suspension]) -> Due {
        let mut exp = Explanation::new(start, n);
        let mut paused = vec![0u32; suspensions.len()];
        let mut d = start;
        let mut counted = 0u32;
        while counted < n {
            let Some(next) = d.next_day() else {
                exp.saturated = true;
                break;
            };
            d = next;
            match self.day_kind(d) {
                DayKind::Weekend => exp.push_skip(d, SkipReason::Weekend),
                DayKind::Holiday { name } => exp.push_skip(d, SkipReason::Holiday(name)),
                kind => {
                    let mut is_paused = false;
                    for (i, s) in suspensions.iter().enumerate() {
                        if s.covers(d) {
                            paused[i] = paused[i].saturating_add(1);
                            is_paused = true;
                        }
                    }
                    if is_paused {
                        exp.paused_working_days = exp.paused_working_days.saturating_add(1);
                        continue;
                    }
                    counted += 1;
                    if kind == DayKind::AdjustedWorkday {
                        exp.adjusted_workdays.push(d);
                    }
                }
            }
        }
        exp.days_counted = counted;
        exp.end = d;
        for (s, k) in suspensions.iter().zip(paused) {
            // Only pauses that overlap the period are worth listing.
            if s.start < d && s.end > start {
                exp.pauses.push(PauseRecord {
                    reason: s.reason.clone(),
                    start: s.start,
                    end: s.end,
                    ongoing: s.ongoing,
                    working_days: k,
                });
            }
        }
        exp.provisional_years = self.provisional_years(start, d);
        exp.provisional = !exp.provisional_years.is_empty();
        Due { date: d, explanation: exp }
    }

    /// Working days in `(after, up_to]`; 0 if `up_to <= after`. O(log n) in the number of loaded
    /// notice days, so any range is cheap.
    pub fn count_working_days(&self, after: Date, up_to: Date) -> u32 {
        if up_to <= after {
            return 0;
        }
        let a = i64::from(after.to_julian_day());
        let b = i64::from(up_to.to_julian_day());
        let mut n = weekdays_before(b + 1) - weekdays_before(a + 1);
        for (d, o) in self.overrides.range((Bound::Excluded(after), Bound::Included(up_to))) {
            let plain = !is_weekend(*d);
            let actual = matches!(o, Override::Work);
            n += i64::from(actual) - i64::from(plain);
        }
        // Fixed-date statutory days of years not loaded (at most six a year, so O(years) in the range).
        for y in after.year()..=up_to.year() {
            if self.is_loaded(y) {
                continue;
            }
            for &(m, day, _) in fixed_statutory_days(y) {
                let Ok(d) = Date::from_calendar_date(y, m, day) else { continue };
                if d > after && d <= up_to && !self.overrides.contains_key(&d) && !is_weekend(d) {
                    n -= 1;
                }
            }
        }
        u32::try_from(n.max(0)).unwrap_or(u32::MAX)
    }

    /// Years whose missing notice makes some day in `(after, up_to]` unsettled (sorted).
    pub fn provisional_years(&self, after: Date, up_to: Date) -> Vec<i32> {
        let mut out = BTreeSet::new();
        let Some(first) = after.next_day() else {
            return Vec::new();
        };
        if up_to < first {
            return Vec::new();
        }
        for y in first.year()..=up_to.year() {
            if !self.is_loaded(y) {
                out.insert(y);
            }
            // Does the range reach the tail of December of y?
            let tail = Date::from_calendar_date(y, Month::December, NEXT_NOTICE_REACH_FROM_DAY).ok();
            let dec31 = Date::from_calendar_date(y, Month::December, 31).ok();
            if let (Some(tail), Some(dec31)) = (tail, dec31)
                && up_to >= tail
                && first <= dec31
                && !self.is_loaded(y.saturating_add(1))
            {
                out.insert(y.saturating_add(1));
            }
        }
        out.into_iter().collect()
    }
}

/// The fixed-date days off of 《全国年节及纪念日放假办法》 in force in `year`, as (month, day, name): the
/// fallback for a year whose notice is not loaded (docs/law/calendar.md §4.1). The moving holidays (春节,
/// 清明, 端午, 中秋) follow the lunar calendar or a solar term and are left to the notice.
/// - from 2025 (2024 revision): 元旦 1-1; 劳动节 5-1, 5-2; 国庆节 10-1 … 10-3;
/// - 2008–2024 (2007 revision): 元旦 1-1; 劳动节 5-1; 国庆节 10-1 … 10-3;
/// - 2000–2007 (1999 revision): 元旦 1-1; 劳动节 5-1 … 5-3; 国庆节 10-1 … 10-3;
/// - 1950–1999 (1949 text): 元旦 1-1; 劳动节 5-1; 国庆节 10-1, 10-2;
/// - before 1950: none.
pub fn fixed_statutory_days(year: i32) -> &'static [(Month, u8, &'static str)] {
    use Month::{January, May, October};
    const Y2025: &[(Month, u8, &str)] = &[
        (January, 1, "元旦"),
        (May, 1, "劳动节"),
        (May, 2, "劳动节"),
        (October, 1, "国庆节"),
        (October, 2, "国庆节"),
        (October, 3, "国庆节"),
    ];
    const Y2008: &[(Month, u8, &str)] = &[
        (January, 1, "元旦"),
        (May, 1, "劳动节"),
        (October, 1, "国庆节"),
        (October, 2, "国庆节"),
        (October, 3, "国庆节"),
    ];
    const Y2000: &[(Month, u8, &str)] = &[
        (January, 1, "元旦"),
        (May, 1, "劳动节"),
        (May, 2, "劳动节"),
        (May, 3, "劳动节"),
        (October, 1, "国庆节"),
        (October, 2, "国庆节"),
        (October, 3, "国庆节"),
    ];
    const Y1950: &[(Month, u8, &str)] =
        &[(January, 1, "元旦"), (May, 1, "劳动节"), (October, 1, "国庆节"), (October, 2, "国庆节")];
    match year {
        2025.. => Y2025,
        2008..=2024 => Y2008,
        2000..=2007 => Y2000,
        1950..=1999 => Y1950,
        _ => &[],
    }
}

fn reaches_next_notice(d: Date) -> bool {
    d.month() == Month::December && d.day() >= NEXT_NOTICE_REACH_FROM_DAY
}

pub(crate) fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Mon–Fri days among Julian day numbers in `[0, x)` (signed, so differences work for any `x`).
/// JDN ≡ 0 (mod 7) is a Monday.
fn weekdays_before(x: i64) -> i64 {
    5 * x.div_euclid(7) + x.rem_euclid(7).min(5)
}

/// `2026年1月5日`.
pub fn format_date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// `1月5日` (for the second date of a range or list within the same year).
pub fn format_month_day_zh(d: Date) -> String {
    format!("{}月{}日", u8::from(d.month()), d.day())
}

/// `2023年9月29日至10月6日`, `2023年12月30日至2024年1月1日`, or one date when `from == to`.
pub fn format_range_zh(from: Date, to: Date) -> String {
    if from == to {
        format_date_zh(from)
    } else if from.year() == to.year() {
        format!("{}至{}", format_date_zh(from), format_month_day_zh(to))
    } else {
        format!("{}至{}", format_date_zh(from), format_date_zh(to))
    }
}

/// `2023年10月7日、10月8日` (the year is repeated only when it changes).
pub fn format_date_list_zh(dates: &[Date]) -> String {
    let mut out = String::new();
    let mut prev_year = None;
    for (i, d) in dates.iter().enumerate() {
        if i > 0 {
            out.push('、');
        }
        if prev_year == Some(d.year()) {
            out.push_str(&format_month_day_zh(*d));
        } else {
            out.push_str(&format_date_zh(*d));
        }
        prev_year = Some(d.year());
    }
    out
}

/// Chinese weekday name: 星期一 … 星期日.
pub fn weekday_zh(d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_formula_matches_time() {
        let mut d = time::macros::date!(1999 - 12 - 20);
        let mut count = 0i64;
        let base = weekdays_before(i64::from(d.to_julian_day()) + 1);
        for _ in 0..800 {
            d = d.next_day().unwrap();
            if !is_weekend(d) {
                count += 1;
            }
            assert_eq!(weekdays_before(i64::from(d.to_julian_day()) + 1) - base, count, "{d}");
        }
    }

    #[test]
    fn extremes_do_not_panic() {
        let cal = Calendar::seeded();
        let due = cal.add_working_days(Date::MAX, 5);
        assert!(due.explanation.saturated);
        assert_eq!(due.date, Date::MAX);
        assert!(cal.count_working_days(Date::MIN, Date::MAX) > 2_000_000);
        assert!(cal.provisional_years(Date::MAX, Date::MAX).is_empty());
        let _ = cal.day_kind(Date::MIN);
        let _ = cal.add_working_days(Date::MIN, 10_000).explanation.to_zh();
    }
}
