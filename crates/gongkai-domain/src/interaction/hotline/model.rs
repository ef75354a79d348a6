//! States, 满意度, deadlines and local steps of a 12345 order (docs/law/public-interaction.md §3).

use super::super::Kind;
use crate::calendar::Calendar;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Beijing time (UTC+8, no daylight saving): the time zone of every time in an import (§7.4).
const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// A Beijing wall-clock time as an instant in UTC (how it is stored).
pub fn beijing(t: PrimitiveDateTime) -> OffsetDateTime {
    t.assume_offset(BEIJING).to_offset(UtcOffset::UTC)
}

/// The Beijing date of an instant (the day periods are counted in).
pub fn beijing_date(t: OffsetDateTime) -> Date {
    t.to_offset(BEIJING).date()
}

/// Where an order stands on the office's side (§3.2). Imported from the platform's `工单状态` and moved on by
/// the steps staff record locally ([`Step`]); the next import that changes the row brings the platform's view
/// back (the platform is the system of record, §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// 待签收
    Pending,
    /// 办理中
    InProgress,
    /// 退回审核中
    ReturnRequested,
    /// 已退回 (terminal for the office, §3.2.1)
    Returned,
    /// 延期审核中
    ExtensionRequested,
    /// 待回访 (办结 submitted)
    AwaitingVisit,
    /// 已办结
    Closed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Pending,
        OrderStatus::InProgress,
        OrderStatus::ReturnRequested,
        OrderStatus::Returned,
        OrderStatus::ExtensionRequested,
        OrderStatus::AwaitingVisit,
        OrderStatus::Closed,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::InProgress => "in_progress",
            OrderStatus::ReturnRequested => "return_requested",
            OrderStatus::Returned => "returned",
            OrderStatus::ExtensionRequested => "extension_requested",
            OrderStatus::AwaitingVisit => "awaiting_visit",
            OrderStatus::Closed => "closed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OrderStatus::Pending => "待签收",
            OrderStatus::InProgress => "办理中",
            OrderStatus::ReturnRequested => "退回审核中",
            OrderStatus::Returned => "已退回",
            OrderStatus::ExtensionRequested => "延期审核中",
            OrderStatus::AwaitingVisit => "待回访",
            OrderStatus::Closed => "已办结",
        }
    }

    pub fn parse(code: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// From the platform's `工单状态` text; `None` when it says nothing we recognise (the raw text is kept).
    pub fn from_zh(text: &str) -> Option<OrderStatus> {
        let t = text.trim();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if t.is_empty() {
            None
        } else if has(&["退回"]) {
            Some(if has(&["审核", "申请", "待"]) { OrderStatus::ReturnRequested } else { OrderStatus::Returned })
        } else if has(&["延期"]) {
            Some(if has(&["审核", "申请", "待"]) {
                OrderStatus::ExtensionRequested
            } else {
                OrderStatus::InProgress
            })
        } else if has(&["待签收", "未签收", "待接收", "已派单"]) {
            Some(OrderStatus::Pending)
        } else if has(&["待回访", "回访中", "待评价"]) {
            Some(OrderStatus::AwaitingVisit)
        } else if has(&["办结", "已完成", "已回访", "归档", "完结", "已评价"]) {
            Some(OrderStatus::Closed)
        } else if has(&["办理中", "处理中", "已签收", "重办"]) {
            Some(OrderStatus::InProgress)
        } else {
            None
        }
    }

    /// 办结 submitted (whether or not the 回访 followed): counts as closed for 办结率 (§8.3).
    pub fn is_closed(self) -> bool {
        matches!(self, OrderStatus::AwaitingVisit | OrderStatus::Closed)
    }
}

/// The 回访 result (§8.4). An order not rated (未评价) has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    /// 未联系上: 回访 tried, the 诉求人 not reached; not in the 满意率 denominator.
    Unreached,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 4] = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
        Satisfaction::Unreached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::BasicallySatisfied => "basically_satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
            Satisfaction::Unreached => "unreached",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
            Satisfaction::Unreached => "未联系上",
        }
    }

    pub fn parse(code: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// From the file's `满意度`: `Ok(None)` when empty or 未评价; `Err` (why, in Chinese) when the text is none of
    /// the scale.
    pub fn from_zh(text: &str) -> Result<Option<Satisfaction>, String> {
        let t = text.trim();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        Ok(Some(if t.is_empty() || has(&["未评价", "未回访"]) || t == "无" || t == "-" {
            return Ok(None);
        } else if has(&["不满意"]) {
            Satisfaction::Dissatisfied
        } else if has(&["基本满意", "比较满意"]) {
            Satisfaction::BasicallySatisfied
        } else if has(&["满意"]) {
            Satisfaction::Satisfied
        } else if has(&["未联系上", "联系不上", "未接通", "无法联系", "未联系"]) {
            Satisfaction::Unreached
        } else {
            return Err(format!("“{t}”无法识别，应为满意、基本满意、不满意、未联系上或未评价"));
        }))
    }

    /// Reached at the 回访 (counts in the 满意率 denominator, §8.4).
    pub fn reached(self) -> bool {
        self != Satisfaction::Unreached
    }

    /// 满意 or 基本满意 (the 满意率 numerator, §8.4).
    pub fn satisfied(self) -> bool {
        matches!(self, Satisfaction::Satisfied | Satisfaction::BasicallySatisfied)
    }
}

/// A deadline given in the imported file (§3.4): it always wins over the defaults of §3.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// `截止时间` (or `延期后截止时间`): the date itself.
    On(Date),
    /// `办理时限` in working days, counted from the day after 派单.
    WorkingDays(u32),
}

/// The default limit for 办结 in working days (§3.3): 咨询 3, 求助 5, 投诉/举报/建议 15.
///
/// 其他 (an imported 诉求类型 that is none of the five, §7.4) gets 5: the project's choice, following 山东's rule
/// of 5 working days for every type (§3.3 sources, P5); see §10.
pub fn default_limit_days(kind: Kind) -> u32 {
    match kind {
        Kind::Consult => 3,
        Kind::Help => 5,
        Kind::Complaint | Kind::Report | Kind::Suggestion => 15,
        Kind::Other => 5,
    }
}

/// The 办结 deadline of an order dispatched on `dispatched` (a Beijing date): the file's deadline if it has one
/// (§3.4), otherwise the agency's limit for its type (`limit_wd`, by default [`default_limit_days`]) counted in
/// working days from the day after 派单 (§3.3).
pub fn due_date(cal: &Calendar, dispatched: Date, limit_wd: u32, file: Option<Deadline>) -> Date {
    match file {
        Some(Deadline::On(d)) => d,
        Some(Deadline::WorkingDays(n)) => cal.add_working_days(dispatched, n).date,
        None => cal.add_working_days(dispatched, limit_wd).date,
    }
}

/// 签收 is due one working day after 派单 (§3.3).
pub fn sign_due(cal: &Calendar, dispatched: Date) -> Date {
    cal.add_working_days(dispatched, 1).date
}

/// The last day a 退回 may be asked for: 2 working days after 派单 (§3.3).
pub fn return_window_end(cal: &Calendar, dispatched: Date) -> Date {
    cal.add_working_days(dispatched, 2).date
}

/// The largest 延期 in working days (§3.3.2).
pub const MAX_EXTENSION_DAYS: u32 = 10;

/// The deadline after an approved 延期 of `days` working days (at most [`MAX_EXTENSION_DAYS`]) on the deadline
/// in force (§3.3.2).
pub fn extended_due(cal: &Calendar, due: Date, days: u32) -> Date {
    cal.add_working_days(due, days.min(MAX_EXTENSION_DAYS)).date
}

/// Whether an order was (or is being) handled on time: closed on or before its deadline; `Some(false)` for an
/// open order whose deadline has passed by `today`; `None` for an open order still within its limit.
pub fn on_time(due: Date, closed: Option<Date>, today: Date) -> Option<bool> {
    match closed {
        Some(c) => Some(c <= due),
        None if today > due => Some(false),
        None => None,
    }
}

pub use crate::interaction::{mask_name, mask_phone};

/// A step staff record locally on an order (§3.2, §6.2): appended to the order's events, never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// 签收
    Sign,
    /// 退回申请, with the reason and its legal basis (§3.3)
    RequestReturn { reason: String, basis: String },
    /// 延期申请 of at most 10 working days, with the reason (§3.3.2)
    RequestExtension { days: u32, reason: String },
    /// 办结, with the reply given to the 诉求人
    Close { reply: String },
    /// 回访, with its result
    Visit { satisfaction: Satisfaction },
}

/// The kind of a [`Step`], for codes and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Sign,
    RequestReturn,
    RequestExtension,
    Close,
    Visit,
}

impl StepKind {
    pub const ALL: [StepKind; 5] =
        [StepKind::Sign, StepKind::RequestReturn, StepKind::RequestExtension, StepKind::Close, StepKind::Visit];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Sign => "sign",
            StepKind::RequestReturn => "request_return",
            StepKind::RequestExtension => "request_extension",
            StepKind::Close => "close",
            StepKind::Visit => "visit",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            StepKind::Sign => "签收",
            StepKind::RequestReturn => "退回申请",
            StepKind::RequestExtension => "延期申请",
            StepKind::Close => "办结",
            StepKind::Visit => "回访",
        }
    }
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Sign => StepKind::Sign,
            Step::RequestReturn { .. } => StepKind::RequestReturn,
            Step::RequestExtension { .. } => StepKind::RequestExtension,
            Step::Close { .. } => StepKind::Close,
            Step::Visit { .. } => StepKind::Visit,
        }
    }

    /// The status the order moves to when this step is recorded in `from`, or why it may not be (Chinese).
    pub fn check(&self, from: OrderStatus) -> Result<OrderStatus, String> {
        use OrderStatus as S;
        let refuse = || Err(format!("工单当前为“{}”，不能{}", from.label_zh(), self.kind().label_zh()));
        let required = |what: &str, v: &str| {
            if v.trim().is_empty() { Err(format!("请填写{what}")) } else { Ok(()) }
        };
        match self {
            Step::Sign => match from {
                S::Pending => Ok(S::InProgress),
                _ => refuse(),
            },
            Step::RequestReturn { reason, basis } => {
                required("退回原因", reason)?;
                required("退回依据", basis)?;
                match from {
                    S::Pending | S::InProgress => Ok(S::ReturnRequested),
                    _ => refuse(),
                }
            }
            Step::RequestExtension { days, reason } => {
                if !(1..=MAX_EXTENSION_DAYS).contains(days) {
                    return Err(format!("延期天数应为1至{MAX_EXTENSION_DAYS}个工作日"));
                }
                required("延期原因", reason)?;
                match from {
                    S::InProgress => Ok(S::ExtensionRequested),
                    _ => refuse(),
                }
            }
            Step::Close { reply } => {
                required("答复内容", reply)?;
                match from {
                    S::InProgress | S::ExtensionRequested => Ok(S::AwaitingVisit),
                    _ => refuse(),
                }
            }
            Step::Visit { .. } => match from {
                S::AwaitingVisit => Ok(S::Closed),
                _ => refuse(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn worked_example_9_1_complaint_dispatched_before_national_day() {
        let cal = Calendar::seeded();
        let d = date!(2025 - 09 - 26);
        assert_eq!(sign_due(&cal, d), date!(2025 - 09 - 28), "a 调休 Sunday is a working day");
        assert_eq!(return_window_end(&cal, d), date!(2025 - 09 - 29));
        let due = due_date(&cal, d, default_limit_days(Kind::Complaint), None);
        assert_eq!(due, date!(2025 - 10 - 23));
        assert_eq!(extended_due(&cal, due, 10), date!(2025 - 11 - 06));
        assert_eq!(extended_due(&cal, due, 30), date!(2025 - 11 - 06), "capped at 10 working days");
    }

    #[test]
    fn worked_example_9_2_help_order() {
        let cal = Calendar::seeded();
        assert_eq!(due_date(&cal, date!(2025 - 09 - 30), default_limit_days(Kind::Help), None), date!(2025 - 10 - 14));
    }

    #[test]
    fn a_deadline_in_the_file_always_wins() {
        let cal = Calendar::seeded();
        let d = date!(2025 - 09 - 26);
        let on = Deadline::On(date!(2025 - 09 - 30));
        assert_eq!(due_date(&cal, d, default_limit_days(Kind::Complaint), Some(on)), date!(2025 - 09 - 30));
        assert_eq!(
            due_date(&cal, d, default_limit_days(Kind::Complaint), Some(Deadline::WorkingDays(5))),
            date!(2025 - 10 - 10)
        );
        let wd = Some(Deadline::WorkingDays(3));
        assert_eq!(
            due_date(&cal, date!(2025 - 09 - 30), default_limit_days(Kind::Help), wd),
            date!(2025 - 10 - 11),
            "a 调休 Saturday"
        );
    }

    #[test]
    fn default_limits_per_type() {
        let limits: Vec<u32> = Kind::ALL.into_iter().map(default_limit_days).collect();
        assert_eq!(limits, [3, 5, 15, 15, 15, 5]);
    }

    #[test]
    fn on_time_open_and_closed() {
        let due = date!(2025 - 10 - 23);
        assert_eq!(on_time(due, Some(due), date!(2026 - 01 - 01)), Some(true));
        assert_eq!(on_time(due, Some(date!(2025 - 10 - 24)), date!(2026 - 01 - 01)), Some(false));
        assert_eq!(on_time(due, None, date!(2025 - 10 - 23)), None);
        assert_eq!(on_time(due, None, date!(2025 - 10 - 24)), Some(false));
    }

    #[test]
    fn beijing_times() {
        let t = beijing(time::macros::datetime!(2025-01-01 07:30));
        assert_eq!(t, time::macros::datetime!(2024-12-31 23:30 UTC));
        assert_eq!(beijing_date(t), date!(2025 - 01 - 01));
    }

    #[test]
    fn masking() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_name("张**"), "张**");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0398-5891234"), "039*****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone("138****5678"), "138****5678");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn statuses_and_satisfaction_from_platform_text() {
        assert_eq!(OrderStatus::from_zh("已办结"), Some(OrderStatus::Closed));
        assert_eq!(OrderStatus::from_zh("退回审核中"), Some(OrderStatus::ReturnRequested));
        assert_eq!(OrderStatus::from_zh("已退回"), Some(OrderStatus::Returned));
        assert_eq!(OrderStatus::from_zh("待签收"), Some(OrderStatus::Pending));
        assert_eq!(OrderStatus::from_zh("待回访"), Some(OrderStatus::AwaitingVisit));
        assert_eq!(OrderStatus::from_zh("办理中"), Some(OrderStatus::InProgress));
        assert_eq!(OrderStatus::from_zh("神秘状态"), None);
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Satisfaction::from_zh("非常满意"), Ok(Some(Satisfaction::Satisfied)));
        assert_eq!(Satisfaction::from_zh("基本满意"), Ok(Some(Satisfaction::BasicallySatisfied)));
        assert_eq!(Satisfaction::from_zh("不满意"), Ok(Some(Satisfaction::Dissatisfied)));
        assert_eq!(Satisfaction::from_zh("未联系上"), Ok(Some(Satisfaction::Unreached)));
        assert_eq!(Satisfaction::from_zh("未评价"), Ok(None));
        assert!(Satisfaction::from_zh("很好").unwrap_err().contains("无法识别"));
    }

    #[test]
    fn steps_follow_the_states() {
        use OrderStatus as S;
        assert_eq!(Step::Sign.check(S::Pending), Ok(S::InProgress));
        assert!(Step::Sign.check(S::InProgress).unwrap_err().contains("不能签收"));
        let ret = Step::RequestReturn { reason: "不属于本单位职责".into(), basis: "三定方案".into() };
        assert_eq!(ret.check(S::Pending), Ok(S::ReturnRequested));
        let no_basis = Step::RequestReturn { reason: "不属于本单位职责".into(), basis: " ".into() };
        assert_eq!(no_basis.check(S::Pending), Err("请填写退回依据".into()));
        let ext = Step::RequestExtension { days: 11, reason: "需现场核实".into() };
        assert!(ext.check(S::InProgress).unwrap_err().contains("1至10"));
        let ext = Step::RequestExtension { days: 10, reason: "需现场核实".into() };
        assert_eq!(ext.check(S::InProgress), Ok(S::ExtensionRequested));
        let close = Step::Close { reply: "已处理".into() };
        assert_eq!(close.check(S::ExtensionRequested), Ok(S::AwaitingVisit));
        assert!(close.check(S::Returned).is_err());
        let visit = Step::Visit { satisfaction: Satisfaction::Satisfied };
        assert_eq!(visit.check(S::AwaitingVisit), Ok(S::Closed));
        let json = serde_json::to_string(&ext).unwrap();
        assert_eq!(json, r#"{"kind":"request_extension","days":10,"reason":"需现场核实"}"#);
    }
}
