//! 政务新媒体 register: the lifecycle of an agency's accounts (docs/law/supervision.md §3).
//!
//! `申请开设 → 审核 → 运行 ⇄ 变更(审核) → 申请关停/注销 → 审核 → 公告期 → 已注销` (§3.6). The agency asks; the
//! agency that supervises it approves (§3.2: the 主管单位). Closing needs a public notice of at least
//! [`NOTICE_WD`] working days before the account may be 注销 (§3.3, worked example §7.5).

use crate::calendar::Calendar;
use time::Date;

/// The public notice before 注销, in working days (§3.3, 云南: ≥ 15 工作日).
pub const NOTICE_WD: u32 = 15;

/// Platforms offered in forms; any other platform may be typed.
pub const PLATFORMS: [&str; 6] = ["微信公众号", "微博", "抖音", "头条号", "快手", "视频号"];

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 申请开设, waiting for the supervising agency.
    OpenRequested,
    /// 开设未获批准 (the end of a refused request).
    Refused,
    /// 运行.
    Running,
    /// 变更审核中: running, with changes waiting for approval.
    ChangeRequested,
    /// 申请关停/注销, waiting for approval.
    CloseRequested,
    /// 公告期: closing approved, the notice runs.
    Notice,
    /// 已注销.
    Closed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::OpenRequested,
        Status::Refused,
        Status::Running,
        Status::ChangeRequested,
        Status::CloseRequested,
        Status::Notice,
        Status::Closed,
    ];

    /// The stored code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::OpenRequested => "open_requested",
            Status::Refused => "refused",
            Status::Running => "running",
            Status::ChangeRequested => "change_requested",
            Status::CloseRequested => "close_requested",
            Status::Notice => "notice",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Status::OpenRequested => "申请开设（待审核）",
            Status::Refused => "开设未获批准",
            Status::Running => "运行",
            Status::ChangeRequested => "运行（变更待审核）",
            Status::CloseRequested => "申请关停注销（待审核）",
            Status::Notice => "关停公告期",
            Status::Closed => "已注销",
        }
    }

    /// Whether the account is in operation and shown on the public list (a pending change or closure does not
    /// stop it; during the notice it carries the 提示公告, §3.3).
    pub const fn is_public(self) -> bool {
        matches!(self, Status::Running | Status::ChangeRequested | Status::CloseRequested | Status::Notice)
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The agency that runs the account (its administrators and editors).
    Agency,
    /// The supervising agency (a 监督人 of an ancestor agency, or a platform administrator).
    Supervisor,
}

/// A step of the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// 申请变更 (the new details wait for approval).
    RequestChange,
    /// 申请关停注销.
    RequestClose,
    /// 审核通过: opens, applies a change, or starts the notice.
    Approve,
    /// 审核不通过: refuses an opening, drops a change or a closure request.
    Reject,
    /// 注销, once the notice has ended.
    Deregister,
}

impl Step {
    pub const ALL: [Step; 5] = [Step::RequestChange, Step::RequestClose, Step::Approve, Step::Reject, Step::Deregister];

    pub const fn as_str(self) -> &'static str {
        match self {
            Step::RequestChange => "request_change",
            Step::RequestClose => "request_close",
            Step::Approve => "approve",
            Step::Reject => "reject",
            Step::Deregister => "deregister",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Step::RequestChange => "申请变更",
            Step::RequestClose => "申请关停注销",
            Step::Approve => "审核通过",
            Step::Reject => "审核不通过",
            Step::Deregister => "注销",
        }
    }

    /// Who may take the step.
    pub const fn party(self) -> Party {
        match self {
            Step::RequestChange | Step::RequestClose | Step::Deregister => Party::Agency,
            Step::Approve | Step::Reject => Party::Supervisor,
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The step does not apply to the account's status.
    NotNow { step: Step, status: Status },
    /// 注销 before the notice has ended: the earliest day it may be taken.
    NoticeRunning { earliest: Date },
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::NotNow { step, status } => {
                write!(f, "账号当前为“{}”，不能{}", status.label_zh(), step.label_zh())
            }
            StepError::NoticeRunning { earliest } => {
                write!(
                    f,
                    "关停公告期（{NOTICE_WD}个工作日）未满，最早可于{}注销",
                    crate::calendar::format_date_zh(*earliest)
                )
            }
        }
    }
}

impl std::error::Error for StepError {}

/// The last day of the notice posted on `posted` (the posting day is not counted, docs/law/calendar.md §1.6).
pub fn notice_ends(cal: &Calendar, posted: Date) -> Date {
    cal.add_working_days(posted, NOTICE_WD).date
}

/// The earliest day of 注销 after a notice posted on `posted`: the day after the notice ends (§7.5).
pub fn earliest_deregistration(cal: &Calendar, posted: Date) -> Date {
    notice_ends(cal, posted).next_day().unwrap_or(Date::MAX)
}

/// The status after `step` taken on `today`; `notice_until` is the notice's last day (for [`Step::Deregister`]).
pub fn next(status: Status, step: Step, today: Date, notice_until: Option<Date>) -> Result<Status, StepError> {
    use Status::*;
    let to = match (status, step) {
        (Running, Step::RequestChange) => ChangeRequested,
        (Running, Step::RequestClose) => CloseRequested,
        (OpenRequested, Step::Approve) | (ChangeRequested, Step::Approve) => Running,
        (CloseRequested, Step::Approve) => Notice,
        (OpenRequested, Step::Reject) => Refused,
        (ChangeRequested, Step::Reject) | (CloseRequested, Step::Reject) => Running,
        (Notice, Step::Deregister) => match notice_until {
            Some(end) if today > end => Closed,
            Some(end) => return Err(StepError::NoticeRunning { earliest: end.next_day().unwrap_or(Date::MAX) }),
            None => return Err(StepError::NotNow { step, status }),
        },
        _ => return Err(StepError::NotNow { step, status }),
    };
    Ok(to)
}

/// The steps open at `status` (for showing buttons).
pub fn steps_at(status: Status) -> Vec<Step> {
    Step::ALL.into_iter().filter(|s| next(status, *s, Date::MAX, Some(Date::MIN)).is_ok()).collect()
}

/// A post older than this many calendar days at a check is a veto (§3.4: 两周未更新; worked example §7.3).
pub const STALE_DAYS: i64 = 14;

/// A 单项否决 of a quarterly check (§3.4 default vetoes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Veto {
    /// No post for more than [`STALE_DAYS`] days before the check (the days since the last post).
    Stale { days: i64 },
    /// No post recorded at all.
    NeverPosted,
    /// 未提供有效互动功能.
    NoInteraction,
    /// 严重表述错误 and the like, found by the checker.
    SevereError,
}

impl Veto {
    /// The stored code.
    pub fn code(&self) -> &'static str {
        match self {
            Veto::Stale { .. } => "stale",
            Veto::NeverPosted => "never_posted",
            Veto::NoInteraction => "no_interaction",
            Veto::SevereError => "severe_error",
        }
    }

    pub fn label_zh(&self) -> String {
        match self {
            Veto::Stale { days } => format!("超过两周未更新（距最近更新{days}天）"),
            Veto::NeverPosted => "未登记任何更新".to_owned(),
            Veto::NoInteraction => "未提供有效互动功能".to_owned(),
            Veto::SevereError => "存在严重表述错误等严重问题".to_owned(),
        }
    }
}

/// The vetoes of a quarterly check on `checked_on` (§3.4): no post in two weeks (calendar days, holidays
/// included, §7.3), no working interaction, a severe error. No veto → 合格.
pub fn quarterly_vetoes(
    checked_on: Date,
    last_post_on: Option<Date>,
    interaction_ok: bool,
    severe_error: bool,
) -> Vec<Veto> {
    let mut out = Vec::new();
    match last_post_on {
        Some(d) => {
            let days = (checked_on - d).whole_days();
            if days > STALE_DAYS {
                out.push(Veto::Stale { days });
            }
        }
        None => out.push(Veto::NeverPosted),
    }
    if !interaction_ok {
        out.push(Veto::NoInteraction);
    }
    if severe_error {
        out.push(Veto::SevereError);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quarterly_vetoes_follow_section_3_4() {
        use super::{Veto, quarterly_vetoes};
        use time::macros::date;
        // §7.3: last post 02-10, checked 02-25 → 15 days → veto (02-15…02-23 are holidays, they count).
        assert_eq!(
            quarterly_vetoes(date!(2026 - 02 - 25), Some(date!(2026 - 02 - 10)), true, false),
            vec![Veto::Stale { days: 15 }]
        );
        // 14 days is still within two weeks.
        assert!(quarterly_vetoes(date!(2026 - 02 - 24), Some(date!(2026 - 02 - 10)), true, false).is_empty());
        assert_eq!(
            quarterly_vetoes(date!(2026 - 02 - 24), None, false, true),
            vec![Veto::NeverPosted, Veto::NoInteraction, Veto::SevereError]
        );
    }

    use crate::calendar::Calendar;
    use crate::new_media::{Status, Step, StepError, earliest_deregistration, next, notice_ends, steps_at};
    use time::macros::date;

    #[test]
    fn opened_run_closed_with_approvals() {
        let d = date!(2025 - 09 - 01);
        let s = next(Status::OpenRequested, Step::Approve, d, None).unwrap();
        assert_eq!(s, Status::Running);
        let s = next(s, Step::RequestChange, d, None).unwrap();
        assert_eq!(s, Status::ChangeRequested);
        let s = next(s, Step::Approve, d, None).unwrap();
        let s = next(s, Step::RequestClose, d, None).unwrap();
        assert_eq!(next(s, Step::Reject, d, None), Ok(Status::Running));
        let s = next(s, Step::Approve, d, None).unwrap();
        assert_eq!(s, Status::Notice);
        let end = date!(2025 - 10 - 28);
        assert_eq!(
            next(s, Step::Deregister, end, Some(end)),
            Err(StepError::NoticeRunning { earliest: date!(2025 - 10 - 29) })
        );
        assert_eq!(next(s, Step::Deregister, date!(2025 - 10 - 29), Some(end)), Ok(Status::Closed));
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        let d = date!(2025 - 09 - 01);
        assert!(matches!(next(Status::OpenRequested, Step::RequestClose, d, None), Err(StepError::NotNow { .. })));
        assert!(matches!(next(Status::Running, Step::Deregister, d, None), Err(StepError::NotNow { .. })));
        assert!(matches!(next(Status::Closed, Step::Approve, d, None), Err(StepError::NotNow { .. })));
        assert_eq!(next(Status::OpenRequested, Step::Reject, d, None), Ok(Status::Refused));
        assert_eq!(steps_at(Status::Running), vec![Step::RequestChange, Step::RequestClose]);
        assert_eq!(steps_at(Status::Notice), vec![Step::Deregister]);
        assert!(steps_at(Status::Closed).is_empty());
    }

    /// docs/law/supervision.md §7.5: posted Tue 2025-09-30, 国庆 10-01…10-08 off, Sat 10-11 a 调休 working day:
    /// 15 working days are 10-09 … 10-28, so the earliest 注销 is 10-29.
    #[test]
    fn the_notice_counts_working_days() {
        let cal = Calendar::seeded();
        assert_eq!(notice_ends(&cal, date!(2025 - 09 - 30)), date!(2025 - 10 - 28));
        assert_eq!(earliest_deregistration(&cal, date!(2025 - 09 - 30)), date!(2025 - 10 - 29));
    }
}
