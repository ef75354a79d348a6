//! Website self-monitoring (网站自查, 国办秘函〔2019〕19号): the update class of each column and the site check
//! computed from the platform's own data. Rules: docs/law/supervision.md §2.

mod bulletin;
mod check;
pub mod rounds;
#[cfg(test)]
mod tests;

pub use bulletin::bulletin;
pub use check::{Check, ColumnFacts, Finding, Indicator, Kind, LetterFacts, Probe, SiteFacts, Verdict, check};

use crate::agency::Invalid;
use crate::catalog::FixedColumn;
use time::{Date, Duration};

/// How often a column must get new content (docs/law/supervision.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateClass {
    /// 动态/要闻: two weeks.
    News,
    /// 通知公告/政策文件: six months.
    Notice,
    /// 人事/规划计划: one year.
    Annual,
    /// 静态栏目 (概况, 职能, 指南 …): no window; only checked for being blank.
    Static,
}

impl UpdateClass {
    pub const ALL: [UpdateClass; 4] = [Self::News, Self::Notice, Self::Annual, Self::Static];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Notice => "notice",
            Self::Annual => "annual",
            Self::Static => "static",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| Invalid(format!("未知的栏目更新类别：{s}")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::News => "动态要闻类（2周）",
            Self::Notice => "通知公告、政策文件类（6个月）",
            Self::Annual => "人事、规划计划类（1年）",
            Self::Static => "静态类（不要求更新）",
        }
    }

    /// The class a column has unless its administrator chose another (docs/law/supervision.md §2.3.3 [I]):
    /// by slug for the seeded columns, else by words of the name, else static.
    pub fn default_for(slug: &str, name: &str) -> UpdateClass {
        match slug {
            "gzdt" | "zfkb" => return Self::News,
            "tzgg" | "zcjd" => return Self::Notice,
            "ghxx" | "gwyzk" | "czzj" | "gknb" => return Self::Annual,
            _ => {}
        }
        if *slug == FixedColumn::Policies {
            return Self::Notice;
        }
        if ["动态", "要闻", "快报", "新闻"].iter().any(|w| name.contains(w)) {
            Self::News
        } else if ["通知", "公告", "政策"].iter().any(|w| name.contains(w)) {
            Self::Notice
        } else if ["人事", "规划", "计划", "招考", "预决算", "年报"].iter().any(|w| name.contains(w)) {
            Self::Annual
        } else {
            Self::Static
        }
    }

    /// The window of the class under `t`, `None` for a static column.
    pub fn window(self, t: &Thresholds) -> Option<Window> {
        match self {
            Self::News => Some(Window::Days(t.news_days)),
            Self::Notice => Some(Window::Months(t.notice_months)),
            Self::Annual => Some(Window::Months(t.annual_months)),
            Self::Static => None,
        }
    }
}

/// A freshness window in calendar days or months (holidays do not pause it, §2.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Days(u32),
    Months(u32),
}

impl Window {
    /// The last day on which something dated `from` is still fresh: `from` plus the window (a month-end day is
    /// clamped, 08-31 + 6 months = 02-28/29). Stale from the next day (§7.2: 09-26 + 14 days = 10-10 fresh,
    /// 10-11 stale).
    pub fn last_fresh_day(self, from: Date) -> Date {
        match self {
            Window::Days(n) => from.saturating_add(Duration::days(i64::from(n))),
            Window::Months(n) => add_months(from, n),
        }
    }

    pub fn label_zh(self) -> String {
        match self {
            Window::Days(n) if n % 7 == 0 => format!("{}周", n / 7),
            Window::Days(n) => format!("{n}天"),
            Window::Months(n) if n % 12 == 0 => format!("{}年", n / 12),
            Window::Months(n) => format!("{n}个月"),
        }
    }
}

/// `d` plus `months` calendar months, the day clamped to the target month's length.
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::December);
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(d)
}

/// `d` minus `months` calendar months (clamped like [`add_months`]).
pub fn sub_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) - months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(d)
}

/// The thresholds of §2.2 and the amber warnings of §2.5, as *configurable* defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    /// 首页不更新: no new item in this many days (§2.2.2).
    pub home_days: u32,
    /// Amber after this many days without a new homepage item (§2.5.2).
    pub home_warn_days: u32,
    pub news_days: u32,
    pub notice_months: u32,
    pub annual_months: u32,
    /// Stale 动态/要闻 plus stale 通知公告/政策文件 一级栏目 that veto together (§2.2.3).
    pub stale_news_notice_veto: usize,
    /// Stale columns (any class with a window) that veto (§2.2.3).
    pub stale_any_veto: usize,
    /// Blank columns that veto (§2.2.3).
    pub blank_veto: usize,
    /// A column stale within this many days is an amber warning [I].
    pub soon_days: u32,
    /// A valid message unanswered for more than this many months vetoes (§2.2.5).
    pub unanswered_months: u32,
    /// Amber for a message unanswered this many days (§2.5.2).
    pub unanswered_warn_days: u32,
    /// Probes looked at: this many days up to the check (§2.2.1).
    pub probe_days: u32,
    /// Failed probes, in percent, that veto / warn (§2.2.1, §2.5.2).
    pub probe_veto_percent: u32,
    pub probe_warn_percent: u32,
    /// 政策文件 一级栏目 stale for `notice_months`: points deducted (§2.4.1).
    pub policy_stale_points: u32,
    /// Below this score the site is 不合格 (§2.1.2).
    pub pass_score: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            home_days: 14,
            home_warn_days: 10,
            news_days: 14,
            notice_months: 6,
            annual_months: 12,
            stale_news_notice_veto: 5,
            stale_any_veto: 10,
            blank_veto: 5,
            soon_days: 3,
            unanswered_months: 3,
            unanswered_warn_days: 60,
            probe_days: 7,
            probe_veto_percent: 5,
            probe_warn_percent: 3,
            policy_stale_points: 5,
            pass_score: 60,
        }
    }
}
