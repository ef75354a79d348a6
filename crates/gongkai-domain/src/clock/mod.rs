//! 法定时钟: the statutory clock of disclosure on application (依申请公开).
//!
//! Source: 《政府信息公开条例》 (2019, 国务院令第711号) and 国办函〔2020〕109号 (fees); see
//! docs/law/applications.md. All periods are in working days of the [`Calendar`], and the
//! triggering day of a period is never counted (Art. 31/33).
//!
//! # Day counting of pauses and restarts
//! - **Pause** (征求第三方意见 Art. 32, 征求其他机关意见 Art. 34, both "不计算在前款规定的期限内"
//!   Art. 33¶3; 收费 109号): the working days **after** the start date up to and **including** the end
//!   date are not counted. The start day itself counts (the agency still had that day, as with any
//!   trigger day); counting resumes the day after the end date. The end date is the answer/payment
//!   date, capped at the end of the party's own window (15 working days for consultations: after
//!   that silence means the agency decides, Art. 32/34; 20 working days for payment). While a pause
//!   is unanswered it is assumed to last to that cap, so a shown deadline is never too early.
//!   Overlapping pauses pause a day once. A pause that starts on or after the deadline has no effect.
//! - **Restart** (补正, Art. 30): the 20 working days run again from the day the 补正 is received
//!   (that day not counted). While the applicant is correcting there is no reply deadline.
//! - **Extension** (Art. 33¶2): `extended_deadline` is the reply deadline plus the approved working
//!   days (pauses falling inside the extension are still not counted).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{Calendar, Due, Restart, Suspension, format_date_zh, serde_ymd};

/// How the application reached the agency; decides the date of receipt (条例 Art. 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交
    InPerson,
    /// 邮寄，需签收（挂号、EMS）
    PostSigned,
    /// 平常信函
    PostPlain,
    /// 互联网（在线申请）
    Online,
    /// 电子邮件
    Email,
    /// 传真
    Fax,
}

impl Channel {
    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::PostSigned => "邮寄（签收）",
            Channel::PostPlain => "平常信函",
            Channel::Online => "互联网",
            Channel::Email => "电子邮件",
            Channel::Fax => "传真",
        }
    }

    /// The receipt-date rule of Art. 31 for this channel.
    pub fn receipt_rule_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "申请人当面提交的，以提交之日为收到申请之日",
            Channel::PostSigned => "以邮寄方式提交的，以行政机关签收之日为收到申请之日",
            Channel::PostPlain => {
                "以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构与申请人确认之日为收到申请之日"
            }
            Channel::Online | Channel::Email | Channel::Fax => {
                "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日"
            }
        }
    }

    /// Whether the submission day is the receipt day (no separate confirmation needed).
    pub fn receipt_on_submission(self) -> bool {
        self == Channel::InPerson
    }
}

/// One fact in the life of an application, with the day it happened. Events must be given in
/// order (dates non-decreasing, none after `today`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClockEvent {
    /// 提交申请.
    Submitted {
        #[serde(with = "serde_ymd")]
        date: Date,
        channel: Channel,
    },
    /// 收到申请: signed for (PostSigned), confirmed with the applicant (PostPlain), 双方确认
    /// (Online/Email/Fax). For InPerson it is optional and must fall on the submission day.
    ReceiptConfirmed {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 补正告知 (Art. 30), with the period given to the applicant.
    CorrectionRequested {
        #[serde(with = "serde_ymd")]
        date: Date,
        period_wd: u32,
    },
    /// 收到补正.
    CorrectionReceived {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 逾期未补正, 视为放弃 (closes the application, outcome （六）1).
    CorrectionExpired {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 征求第三方意见 (Art. 32).
    ThirdPartyConsultationStarted {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    ThirdPartyConsultationAnswered {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 征求其他机关意见 (Art. 34).
    AgencyConsultationStarted {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    AgencyConsultationAnswered {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 收费通知送达申请人 (the date the applicant received it).
    FeeNoticeDelivered {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    FeePaid {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 逾期未缴费, 视为放弃 (closes the application, outcome （六）2).
    FeeExpired {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 延期答复 (Art. 33¶2), approved by the head of the disclosure office.
    ExtensionApproved {
        #[serde(with = "serde_ymd")]
        date: Date,
        days_wd: u32,
        approver: String,
    },
    /// 合理期限 (Art. 35) set on `date`, ending on `deadline`.
    CustomDeadlineSet {
        #[serde(with = "serde_ymd")]
        date: Date,
        #[serde(with = "serde_ymd")]
        deadline: Date,
        reason: String,
    },
    /// 当场答复 (Art. 33¶1), on the day of receipt.
    RepliedOnTheSpot {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 答复.
    Replied {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
    /// 申请人撤回申请.
    Withdrawn {
        #[serde(with = "serde_ymd")]
        date: Date,
    },
}

impl ClockEvent {
    pub fn date(&self) -> Date {
        match self {
            ClockEvent::Submitted { date, .. }
            | ClockEvent::ReceiptConfirmed { date }
            | ClockEvent::CorrectionRequested { date, .. }
            | ClockEvent::CorrectionReceived { date }
            | ClockEvent::CorrectionExpired { date }
            | ClockEvent::ThirdPartyConsultationStarted { date }
            | ClockEvent::ThirdPartyConsultationAnswered { date }
            | ClockEvent::AgencyConsultationStarted { date }
            | ClockEvent::AgencyConsultationAnswered { date }
            | ClockEvent::FeeNoticeDelivered { date }
            | ClockEvent::FeePaid { date }
            | ClockEvent::FeeExpired { date }
            | ClockEvent::ExtensionApproved { date, .. }
            | ClockEvent::CustomDeadlineSet { date, .. }
            | ClockEvent::RepliedOnTheSpot { date }
            | ClockEvent::Replied { date }
            | ClockEvent::Withdrawn { date } => *date,
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            ClockEvent::Submitted { .. } => "提交申请",
            ClockEvent::ReceiptConfirmed { .. } => "确认收到申请",
            ClockEvent::CorrectionRequested { .. } => "补正告知",
            ClockEvent::CorrectionReceived { .. } => "收到补正",
            ClockEvent::CorrectionExpired { .. } => "逾期未补正",
            ClockEvent::ThirdPartyConsultationStarted { .. } => "征求第三方意见",
            ClockEvent::ThirdPartyConsultationAnswered { .. } => "第三方答复意见",
            ClockEvent::AgencyConsultationStarted { .. } => "征求其他机关意见",
            ClockEvent::AgencyConsultationAnswered { .. } => "其他机关答复意见",
            ClockEvent::FeeNoticeDelivered { .. } => "收费通知送达",
            ClockEvent::FeePaid { .. } => "缴纳信息处理费",
            ClockEvent::FeeExpired { .. } => "逾期未缴费",
            ClockEvent::ExtensionApproved { .. } => "延期答复",
            ClockEvent::CustomDeadlineSet { .. } => "确定合理答复期限",
            ClockEvent::RepliedOnTheSpot { .. } => "当场答复",
            ClockEvent::Replied { .. } => "答复",
            ClockEvent::Withdrawn { .. } => "撤回申请",
        }
    }
}

/// Periods, in working days. Defaults are the statutory ones (or the project's *configurable*
/// defaults where the law leaves room).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockConfig {
    /// Status turns `DueSoon` when this many working days or fewer are left.
    pub due_soon_wd: u32,
    /// 答复期限 (Art. 33): 20.
    pub reply_wd: u32,
    /// 补正告知 must be given within this many working days of receipt (Art. 30): 7.
    pub correction_notice_wd: u32,
    /// 延长答复期限 at most (Art. 33¶2): 20.
    pub max_extension_wd: u32,
    /// 缴费期限, counted from the day after the notice was received (109号): 20.
    pub fee_payment_wd: u32,
    /// 征求意见 window for the third party / other agency (Art. 32, 34): 15.
    pub consultation_wd: u32,
    /// Whether the time from the fee notice to payment is not counted (*configurable*, 109号).
    pub fee_pauses_clock: bool,
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig {
            due_soon_wd: 5,
            reply_wd: 20,
            correction_notice_wd: 7,
            max_extension_wd: 20,
            fee_payment_wd: 20,
            consultation_wd: 15,
            fee_pauses_clock: true,
        }
    }
}

/// Where the application stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ClockStatus {
    /// Submitted but receipt not yet confirmed (or nothing recorded).
    NotStarted,
    /// More than `due_soon_wd` working days left.
    Running,
    /// The clock is stopped (补正, consultation, fee), with the reason in Chinese.
    Suspended { reason: String },
    /// Working days left *after* today until the effective deadline (0 = today is the last day).
    DueSoon { working_days_left: u32 },
    /// The effective deadline has passed; working days elapsed since it (0 if only non-working
    /// days have passed yet).
    Overdue { working_days_over: u32 },
    /// Replied, withdrawn, or deemed abandoned.
    Closed,
}

/// How an application was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureKind {
    RepliedOnTheSpot,
    Replied,
    Withdrawn,
    /// 逾期未补正，视为放弃 → （六）1
    CorrectionExpired,
    /// 逾期未缴费，视为放弃 → （六）2
    FeeExpired,
}

impl ClosureKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            ClosureKind::RepliedOnTheSpot => "当场答复",
            ClosureKind::Replied => "已答复",
            ClosureKind::Withdrawn => "申请人已撤回",
            ClosureKind::CorrectionExpired => "逾期未补正，视为放弃",
            ClosureKind::FeeExpired => "逾期未缴费，视为放弃",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    #[serde(with = "serde_ymd")]
    pub date: Date,
    pub kind: ClosureKind,
}

/// Every deadline of an application, each with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockState {
    /// 收到申请之日 (Art. 31).
    pub receipt_date: Option<Date>,
    /// Last day to send a 补正告知: 7 working days after receipt (Art. 30).
    pub correction_notice_deadline: Option<Due>,
    /// Last day for the applicant to 补正.
    pub correction_deadline: Option<Due>,
    /// 答复期限: 20 working days from receipt, or from 补正 receipt; paused working days not
    /// counted. `None` before receipt, while awaiting 补正, and after 逾期未补正.
    pub reply_deadline: Option<Due>,
    /// Reply deadline plus the approved extension (Art. 33¶2).
    pub extended_deadline: Option<Due>,
    /// Art. 35 deadline and its reason.
    pub custom_deadline: Option<(Date, String)>,
    /// Last day to pay: 20 working days from the day after the fee notice was received.
    pub fee_payment_deadline: Option<Due>,
    /// End of the most recent consultation window (15 working days).
    pub consultation_deadline: Option<Due>,
    /// The deadline in force: custom, else extended, else reply.
    pub effective_deadline: Option<Date>,
    pub status: ClockStatus,
    pub closed: Option<Closure>,
}

/// An event sequence the rules do not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第{}项事件（{event}，{}）不合规：{reason}", .index + 1, format_date_zh(*.date))]
pub struct ClockError {
    /// 0-based position in the event list.
    pub index: usize,
    pub event: &'static str,
    pub date: Date,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PauseKind {
    ThirdParty,
    Agency,
    Fee,
}

impl PauseKind {
    fn reason_zh(self) -> &'static str {
        match self {
            PauseKind::ThirdParty => "征求第三方意见（条例第三十二条、第三十三条）",
            PauseKind::Agency => "征求其他机关意见（条例第三十四条、第三十三条）",
            PauseKind::Fee => "等待缴纳信息处理费（国办函〔2020〕109号）",
        }
    }
}

#[derive(Debug, Clone)]
struct Pause {
    kind: PauseKind,
    start: Date,
    /// End of the party's window (consultation or payment deadline).
    cap: Due,
    answered: Option<Date>,
}

impl Pause {
    fn end(&self) -> Date {
        match self.answered {
            Some(a) => a.min(self.cap.date),
            None => self.cap.date,
        }
    }
}

#[derive(Debug, Clone)]
struct Correction {
    deadline: Due,
    received: Option<Date>,
}

#[derive(Debug, Clone)]
struct Fee {
    deadline: Due,
    paid: Option<Date>,
}

#[derive(Debug, Default)]
struct Machine {
    submitted: Option<(Date, Channel)>,
    receipt: Option<Date>,
    /// Start of the running reply period and its label.
    clock_start: Option<(Date, &'static str)>,
    restarts: Vec<Restart>,
    correction: Option<Correction>,
    pauses: Vec<Pause>,
    fee: Option<Fee>,
    extension: Option<(Date, u32, String)>,
    custom: Option<(Date, String)>,
    last_consultation: Option<Due>,
    closed: Option<Closure>,
}

impl Machine {
    fn awaiting_correction(&self) -> bool {
        self.correction.as_ref().is_some_and(|c| c.received.is_none())
    }

    fn suspensions(&self, today: Date, cfg: &ClockConfig) -> Vec<Suspension> {
        self.pauses
            .iter()
            .filter(|p| p.kind != PauseKind::Fee || cfg.fee_pauses_clock)
            .map(|p| Suspension {
                reason: p.kind.reason_zh().to_string(),
                start: p.start,
                end: p.end(),
                ongoing: p.answered.is_none() && today <= p.cap.date,
            })
            .collect()
    }

    fn reply_due(&self, cal: &Calendar, cfg: &ClockConfig, today: Date, extra_wd: u32) -> Option<Due> {
        if self.awaiting_correction() {
            return None;
        }
        let (start, label) = self.clock_start?;
        let susp = self.suspensions(today, cfg);
        let mut due =
            cal.add_working_days_suspended(start, cfg.reply_wd.saturating_add(extra_wd), &susp).with_trigger(label);
        due.explanation.restarts = self.restarts.clone();
        Some(due)
    }

    fn extended_due(&self, cal: &Calendar, cfg: &ClockConfig, today: Date) -> Option<Due> {
        let (date, days, approver) = self.extension.as_ref()?;
        let mut due = self.reply_due(cal, cfg, today, *days)?;
        due.explanation.notes.push(format!(
            "经{approver}同意于{}延长答复期限{days}个工作日（条例第三十三条第二款）",
            format_date_zh(*date)
        ));
        Some(due)
    }

    /// The statutory deadline in force (extended, else reply).
    fn statutory_due(&self, cal: &Calendar, cfg: &ClockConfig, today: Date) -> Option<Due> {
        self.extended_due(cal, cfg, today).or_else(|| self.reply_due(cal, cfg, today, 0))
    }
}

/// Compute every deadline and the status on `today` from the event history.
///
/// Rejects (with a Chinese reason, never a panic) any sequence the rules do not allow: events out
/// of order or after `today`, anything before 提交 or (except 撤回) before receipt, anything after
/// the application is closed, a second 补正 or one outside the 7-working-day window, a 补正 received
/// after its period, answers without a running consultation, a second fee notice, payment after
/// the fee period, a second extension or one over the cap / without approver / after the deadline,
/// an Art. 35 deadline not later than the statutory one, 当场答复 on another day than receipt.
pub fn compute(
    cal: &Calendar,
    events: &[ClockEvent],
    today: Date,
    cfg: &ClockConfig,
) -> Result<ClockState, ClockError> {
    let mut m = Machine::default();
    let mut last: Option<Date> = None;
    for (index, ev) in events.iter().enumerate() {
        let d = ev.date();
        let err = |reason: String| ClockError { index, event: ev.name_zh(), date: d, reason };
        if d > today {
            return Err(err(format!("事件日期晚于今天（{}）", format_date_zh(today))));
        }
        if let Some(l) = last
            && d < l
        {
            return Err(err(format!("事件须按时间先后记录，本事件早于上一事件（{}）", format_date_zh(l))));
        }
        last = Some(d);
        if let Some(c) = m.closed {
            return Err(err(format!(
                "本申请已于{}办结（{}），不能再记录其他事件",
                format_date_zh(c.date),
                c.kind.name_zh()
            )));
        }
        if !matches!(ev, ClockEvent::Submitted { .. }) && m.submitted.is_none() {
            return Err(err("须先记录提交申请".into()));
        }
        let needs_receipt = !matches!(
            ev,
            ClockEvent::Submitted { .. } | ClockEvent::ReceiptConfirmed { .. } | ClockEvent::Withdrawn { .. }
        );
        let receipt = match (needs_receipt, m.receipt) {
            (true, None) => {
                return Err(err("尚未确认收到申请（条例第三十一条），收到申请前不能办理".into()));
            }
            (_, r) => r.unwrap_or(d),
        };
        let needs_running_clock = matches!(
            ev,
            ClockEvent::ThirdPartyConsultationStarted { .. }
                | ClockEvent::AgencyConsultationStarted { .. }
                | ClockEvent::FeeNoticeDelivered { .. }
                | ClockEvent::ExtensionApproved { .. }
                | ClockEvent::CustomDeadlineSet { .. }
        );
        if needs_running_clock && m.awaiting_correction() {
            return Err(err("正在等待申请人补正，答复期限尚未重新起算，不能办理此事项".into()));
        }

        match ev {
            ClockEvent::Submitted { date, channel } => {
                if m.submitted.is_some() {
                    return Err(err("已记录提交申请，不能重复提交".into()));
                }
                m.submitted = Some((*date, *channel));
                if channel.receipt_on_submission() {
                    m.receipt = Some(*date);
                    m.clock_start = Some((*date, "收到申请之日"));
                }
            }
            ClockEvent::ReceiptConfirmed { date } => {
                let Some((submitted, channel)) = m.submitted else {
                    return Err(err("须先记录提交申请".into()));
                };
                if channel.receipt_on_submission() {
                    if *date != submitted {
                        return Err(err(format!(
                            "{}，确认日期应为{}",
                            channel.receipt_rule_zh(),
                            format_date_zh(submitted)
                        )));
                    }
                } else if m.receipt.is_some() {
                    return Err(err("已确认收到申请，不能重复确认".into()));
                } else {
                    m.receipt = Some(*date);
                    m.clock_start = Some((*date, "收到申请之日"));
                }
            }
            ClockEvent::CorrectionRequested { date, period_wd } => {
                if m.correction.is_some() {
                    return Err(err("补正告知只能一次性作出（条例第三十条）".into()));
                }
                if *period_wd == 0 {
                    return Err(err("补正期限须为至少1个工作日的合理期限".into()));
                }
                let window = cal.add_working_days(receipt, cfg.correction_notice_wd);
                if *date > window.date {
                    return Err(err(format!(
                        "补正告知应在收到申请之日起{}个工作日内作出（条例第三十条），已于{}届满",
                        cfg.correction_notice_wd,
                        format_date_zh(window.date)
                    )));
                }
                let deadline = cal.add_working_days(*date, *period_wd).with_trigger("补正告知之日");
                m.correction = Some(Correction { deadline, received: None });
            }
            ClockEvent::CorrectionReceived { date } => {
                let Some(c) = m.correction.as_mut().filter(|c| c.received.is_none()) else {
                    return Err(err("没有待补正的补正告知".into()));
                };
                if *date > c.deadline.date {
                    return Err(err(format!(
                        "补正期限已于{}届满，逾期未补正视为放弃申请（条例第三十条），应记录逾期未补正",
                        format_date_zh(c.deadline.date)
                    )));
                }
                c.received = Some(*date);
                m.clock_start = Some((*date, "收到补正之日"));
                m.restarts.push(Restart {
                    date: *date,
                    reason: "收到补正，答复期限自收到补正之日起重新计算（条例第三十条）".into(),
                });
            }
            ClockEvent::CorrectionExpired { date } => {
                let Some(c) = m.correction.as_ref().filter(|c| c.received.is_none()) else {
                    return Err(err("没有待补正的补正告知".into()));
                };
                if *date <= c.deadline.date {
                    return Err(err(format!("补正期限至{}，尚未届满", format_date_zh(c.deadline.date))));
                }
                m.closed = Some(Closure { date: *date, kind: ClosureKind::CorrectionExpired });
            }
            ClockEvent::ThirdPartyConsultationStarted { date } | ClockEvent::AgencyConsultationStarted { date } => {
                let kind = if matches!(ev, ClockEvent::ThirdPartyConsultationStarted { .. }) {
                    PauseKind::ThirdParty
                } else {
                    PauseKind::Agency
                };
                if m.pauses.iter().any(|p| p.kind == kind && p.answered.is_none() && *date <= p.cap.date) {
                    return Err(err("已有同类征求意见尚未结束".into()));
                }
                let cap = cal.add_working_days(*date, cfg.consultation_wd).with_trigger("发出征求意见之日");
                m.last_consultation = Some(cap.clone());
                m.pauses.push(Pause { kind, start: *date, cap, answered: None });
            }
            ClockEvent::ThirdPartyConsultationAnswered { date } | ClockEvent::AgencyConsultationAnswered { date } => {
                let kind = if matches!(ev, ClockEvent::ThirdPartyConsultationAnswered { .. }) {
                    PauseKind::ThirdParty
                } else {
                    PauseKind::Agency
                };
                let Some(p) = m.pauses.iter_mut().rev().find(|p| p.kind == kind && p.answered.is_none()) else {
                    return Err(err("没有尚未答复的同类征求意见".into()));
                };
                p.answered = Some(*date);
            }
            ClockEvent::FeeNoticeDelivered { date } => {
                if m.fee.is_some() {
                    return Err(err("收费通知只能发出一次".into()));
                }
                let deadline = cal.add_working_days(*date, cfg.fee_payment_wd).with_trigger("收到收费通知之日");
                m.pauses.push(Pause { kind: PauseKind::Fee, start: *date, cap: deadline.clone(), answered: None });
                m.fee = Some(Fee { deadline, paid: None });
            }
            ClockEvent::FeePaid { date } => {
                let Some(f) = m.fee.as_mut().filter(|f| f.paid.is_none()) else {
                    return Err(err("没有待缴纳的收费通知".into()));
                };
                if *date > f.deadline.date {
                    return Err(err(format!(
                        "缴费期限已于{}届满，逾期未缴费视为放弃申请，应记录逾期未缴费",
                        format_date_zh(f.deadline.date)
                    )));
                }
                f.paid = Some(*date);
                if let Some(p) = m.pauses.iter_mut().find(|p| p.kind == PauseKind::Fee) {
                    p.answered = Some(*date);
                }
            }
            ClockEvent::FeeExpired { date } => {
                let Some(f) = m.fee.as_ref().filter(|f| f.paid.is_none()) else {
                    return Err(err("没有待缴纳的收费通知".into()));
                };
                if *date <= f.deadline.date {
                    return Err(err(format!("缴费期限至{}，尚未届满", format_date_zh(f.deadline.date))));
                }
                m.closed = Some(Closure { date: *date, kind: ClosureKind::FeeExpired });
            }
            ClockEvent::ExtensionApproved { date, days_wd, approver } => {
                if m.extension.is_some() {
                    return Err(err("答复期限只能延长一次（条例第三十三条）".into()));
                }
                if *days_wd == 0 || *days_wd > cfg.max_extension_wd {
                    return Err(err(format!(
                        "延长的期限最长不得超过{}个工作日（条例第三十三条），本次为{}个工作日",
                        cfg.max_extension_wd, days_wd
                    )));
                }
                if approver.trim().is_empty() {
                    return Err(err("延期答复须经政府信息公开工作机构负责人同意，应记录同意人".into()));
                }
                if let Some(due) = m.reply_due(cal, cfg, *date, 0)
                    && *date > due.date
                {
                    return Err(err(format!("答复期限已于{}届满，不能再延期", format_date_zh(due.date))));
                }
                m.extension = Some((*date, *days_wd, approver.trim().to_string()));
            }
            ClockEvent::CustomDeadlineSet { date, deadline, reason } => {
                if reason.trim().is_empty() {
                    return Err(err("确定合理期限须记录理由（条例第三十五条）".into()));
                }
                if let Some(due) = m.statutory_due(cal, cfg, *date)
                    && *deadline <= due.date
                {
                    return Err(err(format!(
                        "条例第三十五条的合理期限应晚于法定答复期限（{}）",
                        format_date_zh(due.date)
                    )));
                }
                if *deadline <= *date {
                    return Err(err("合理期限应晚于确定之日".into()));
                }
                m.custom = Some((*deadline, reason.trim().to_string()));
            }
            ClockEvent::RepliedOnTheSpot { date } => {
                if *date != receipt {
                    return Err(err(format!("当场答复应在收到申请当日（{}）作出", format_date_zh(receipt))));
                }
                m.closed = Some(Closure { date: *date, kind: ClosureKind::RepliedOnTheSpot });
            }
            ClockEvent::Replied { date } => {
                m.closed = Some(Closure { date: *date, kind: ClosureKind::Replied });
            }
            ClockEvent::Withdrawn { date } => {
                m.closed = Some(Closure { date: *date, kind: ClosureKind::Withdrawn });
            }
        }
    }
    Ok(finish(cal, &m, today, cfg))
}

fn finish(cal: &Calendar, m: &Machine, today: Date, cfg: &ClockConfig) -> ClockState {
    let abandoned = m.closed.is_some_and(|c| c.kind == ClosureKind::CorrectionExpired);
    let reply_deadline = if abandoned { None } else { m.reply_due(cal, cfg, today, 0) };
    let extended_deadline = if abandoned { None } else { m.extended_due(cal, cfg, today) };
    let custom_deadline = m.custom.clone();
    let effective_deadline = custom_deadline
        .as_ref()
        .map(|c| c.0)
        .or(extended_deadline.as_ref().map(|d| d.date))
        .or(reply_deadline.as_ref().map(|d| d.date));

    let status = if m.closed.is_some() {
        ClockStatus::Closed
    } else if m.receipt.is_none() {
        ClockStatus::NotStarted
    } else if let Some(c) = m.correction.as_ref().filter(|c| c.received.is_none()) {
        let reason = if today > c.deadline.date {
            format!("补正期限已于{}届满，应记录逾期未补正（视为放弃申请）", format_date_zh(c.deadline.date))
        } else {
            format!("等待申请人补正（补正期限至{}）", format_date_zh(c.deadline.date))
        };
        ClockStatus::Suspended { reason }
    } else if let Some(reason) = suspended_reason(m, today, cfg) {
        ClockStatus::Suspended { reason }
    } else {
        match effective_deadline {
            None => ClockStatus::Running,
            Some(d) if today > d => ClockStatus::Overdue { working_days_over: cal.count_working_days(d, today) },
            Some(d) => {
                let left = cal.count_working_days(today, d);
                if left <= cfg.due_soon_wd {
                    ClockStatus::DueSoon { working_days_left: left }
                } else {
                    ClockStatus::Running
                }
            }
        }
    };

    ClockState {
        receipt_date: m.receipt,
        correction_notice_deadline: m
            .receipt
            .map(|r| cal.add_working_days(r, cfg.correction_notice_wd).with_trigger("收到申请之日")),
        correction_deadline: m.correction.as_ref().map(|c| c.deadline.clone()),
        reply_deadline,
        extended_deadline,
        custom_deadline,
        fee_payment_deadline: m.fee.as_ref().map(|f| f.deadline.clone()),
        consultation_deadline: m.last_consultation.clone(),
        effective_deadline,
        status,
        closed: m.closed,
    }
}

/// Open pauses on `today`, in Chinese; `None` if the clock runs.
fn suspended_reason(m: &Machine, today: Date, cfg: &ClockConfig) -> Option<String> {
    let reasons: Vec<String> = m
        .pauses
        .iter()
        .filter(|p| p.kind != PauseKind::Fee || cfg.fee_pauses_clock)
        .filter(|p| p.answered.is_none() && today <= p.cap.date)
        .map(|p| {
            let what = match p.kind {
                PauseKind::ThirdParty => "征求第三方意见中",
                PauseKind::Agency => "征求其他机关意见中",
                PauseKind::Fee => "等待缴纳信息处理费",
            };
            format!("{what}（期限至{}）", format_date_zh(p.cap.date))
        })
        .collect();
    if reasons.is_empty() { None } else { Some(reasons.join("；")) }
}
