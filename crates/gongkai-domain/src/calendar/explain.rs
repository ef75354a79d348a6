//! How a deadline was computed, and its Chinese rendering for the case page.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{format_date_list_zh, format_date_zh, format_range_zh, serde_ymd};

/// Why a day was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum SkipReason {
    /// 周末
    Weekend,
    /// An official day off, with the holiday's name.
    Holiday(String),
}

impl SkipReason {
    pub fn label_zh(&self) -> &str {
        match self {
            SkipReason::Weekend => "周末",
            SkipReason::Holiday(name) => name,
        }
    }
}

/// Consecutive skipped days with the same reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRange {
    #[serde(with = "serde_ymd")]
    pub from: Date,
    #[serde(with = "serde_ymd")]
    pub to: Date,
    pub reason: SkipReason,
    /// Calendar days in the range.
    pub days: u32,
}

/// A pause of the clock as it affected this period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseRecord {
    pub reason: String,
    /// The day the pause began (itself still counted).
    #[serde(with = "serde_ymd")]
    pub start: Date,
    /// The last paused day (answer/payment day, or the latest possible end while ongoing).
    #[serde(with = "serde_ymd")]
    pub end: Date,
    pub ongoing: bool,
    /// Working days of this pause that were not counted before the period ended.
    pub working_days: u32,
}

/// A restart of the period (e.g. after 补正).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restart {
    #[serde(with = "serde_ymd")]
    pub date: Date,
    pub reason: String,
}

/// Everything needed to show how a [`super::Due`] was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The triggering date (not counted).
    #[serde(with = "serde_ymd")]
    pub start: Date,
    /// What happened on `start`, e.g. `收到申请之日`.
    pub trigger: Option<String>,
    /// Working days asked for.
    pub days_requested: u32,
    /// Working days actually counted (less than requested only if `saturated`).
    pub days_counted: u32,
    /// The last day of the period (equals `Due::date`).
    #[serde(with = "serde_ymd")]
    pub end: Date,
    pub skipped: Vec<SkippedRange>,
    /// Weekend days counted because they were 调休上班.
    #[serde(with = "serde_ymd::vec")]
    pub adjusted_workdays: Vec<Date>,
    pub pauses: Vec<PauseRecord>,
    /// Working days not counted because of pauses (overlapping pauses count a day once).
    pub paused_working_days: u32,
    pub restarts: Vec<Restart>,
    /// Free-form remarks (e.g. who approved an extension).
    pub notes: Vec<String>,
    /// Some counted day lies in a year whose notice is not loaded.
    pub provisional: bool,
    pub provisional_years: Vec<i32>,
    /// The calendar ran out (year 9999) before the period was complete.
    pub saturated: bool,
}

impl Explanation {
    pub(crate) fn new(start: Date, n: u32) -> Self {
        Explanation {
            start,
            trigger: None,
            days_requested: n,
            days_counted: 0,
            end: start,
            skipped: Vec::new(),
            adjusted_workdays: Vec::new(),
            pauses: Vec::new(),
            paused_working_days: 0,
            restarts: Vec::new(),
            notes: Vec::new(),
            provisional: false,
            provisional_years: Vec::new(),
            saturated: false,
        }
    }

    pub(crate) fn push_skip(&mut self, d: Date, reason: SkipReason) {
        if let Some(last) = self.skipped.last_mut()
            && last.reason == reason
            && last.to.next_day() == Some(d)
        {
            last.to = d;
            last.days = last.days.saturating_add(1);
            return;
        }
        self.skipped.push(SkippedRange { from: d, to: d, reason, days: 1 });
    }

    /// Holiday ranges skipped (weekend ranges left out).
    pub fn skipped_holidays(&self) -> impl Iterator<Item = &SkippedRange> {
        self.skipped.iter().filter(|r| matches!(r.reason, SkipReason::Holiday(_)))
    }

    /// Weekend days skipped (not counting weekends inside holiday ranges).
    pub fn skipped_weekend_days(&self) -> u32 {
        self.skipped.iter().filter(|r| r.reason == SkipReason::Weekend).fold(0u32, |a, r| a.saturating_add(r.days))
    }

    /// Chinese rendering, one sentence per line, e.g.
    /// `自2023年9月28日（收到申请之日）次日起算，计20个工作日，至2023年11月1日。`
    /// `跳过：2023年9月29日至10月6日 中秋节、国庆节；另跳过周末6天。`
    /// `2023年10月7日、10月8日为调休上班日，计入。`
    pub fn to_zh(&self) -> String {
        let mut lines = Vec::new();
        let trigger = match &self.trigger {
            Some(t) => format!("（{t}）"),
            None => String::new(),
        };
        if self.days_requested == 0 {
            lines.push(format!("期限为0个工作日，即{}{trigger}当日。", format_date_zh(self.start)));
        } else {
            lines.push(format!(
                "自{}{trigger}次日起算，计{}个工作日，至{}。",
                format_date_zh(self.start),
                self.days_requested,
                format_date_zh(self.end)
            ));
        }
        if self.saturated {
            lines.push(format!(
                "日历已到尽头，仅计得{}个工作日，期限止于{}。",
                self.days_counted,
                format_date_zh(self.end)
            ));
        }
        for r in &self.restarts {
            lines.push(format!("{} {}。", format_date_zh(r.date), r.reason));
        }
        let holidays: Vec<String> = self
            .skipped_holidays()
            .map(|r| format!("{} {}", format_range_zh(r.from, r.to), r.reason.label_zh()))
            .collect();
        let weekend_days = self.skipped_weekend_days();
        match (holidays.is_empty(), weekend_days) {
            (true, 0) => {}
            (true, w) => lines.push(format!("跳过周末{w}天。")),
            (false, 0) => lines.push(format!("跳过：{}。", holidays.join("；"))),
            (false, w) => lines.push(format!("跳过：{}；另跳过周末{w}天。", holidays.join("；"))),
        }
        if !self.adjusted_workdays.is_empty() {
            lines.push(format!("{}为调休上班日，计入。", format_date_list_zh(&self.adjusted_workdays)));
        }
        for p in &self.pauses {
            let end = if p.ongoing {
                format!("，尚未结束（至迟至{}）", format_date_zh(p.end))
            } else {
                format!("至{}", format_date_zh(p.end))
            };
            lines.push(format!(
                "暂停：{}，自{}次日起{}，其间{}个工作日不计入。",
                p.reason,
                format_date_zh(p.start),
                end,
                p.working_days
            ));
        }
        let per_pause = self.pauses.iter().fold(0u32, |a, p| a.saturating_add(p.working_days));
        if self.pauses.len() > 1 && per_pause != self.paused_working_days {
            lines.push(format!("以上暂停期间有重叠，合计{}个工作日不计入。", self.paused_working_days));
        }
        for n in &self.notes {
            lines.push(format!("{n}。"));
        }
        if self.provisional {
            let years: Vec<String> = self.provisional_years.iter().map(|y| format!("{y}年")).collect();
            lines.push(format!(
                "临时（未载入{}放假安排），按普通周末及元旦、劳动节、国庆节的法定日期计算，载入后重新计算。",
                years.join("、")
            ));
        }
        lines.join("\n")
    }
}
