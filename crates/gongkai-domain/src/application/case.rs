//! The event log of a case and what follows from it: the state machine's state and the clock's events.

use super::{Action, Attachment, CaseState, FeeMethod, Outcome, Refusal, ReviewKind, ReviewResult};
use crate::calendar::serde_ymd;
use crate::clock::{Channel, ClockEvent};
use serde::{Deserialize, Serialize};
use time::Date;

/// One recorded fact of a case (append-only; a mistake is corrected by a later event, never by editing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseEventKind {
    Submitted {
        channel: Channel,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    ReceiptConfirmed,
    /// 补正告知: what to supplement and the period given (working days).
    CorrectionRequested {
        period_wd: u32,
        items: String,
    },
    CorrectionReceived,
    CorrectionExpired,
    ThirdPartyConsultationStarted {
        party: String,
    },
    ThirdPartyConsultationEnded,
    AgencyConsultationStarted {
        party: String,
    },
    AgencyConsultationEnded,
    /// 收费通知 delivered to the applicant: method, the amount by 109号, and the amount charged (lower only with
    /// a recorded reduction or waiver reason).
    FeeNoticeDelivered {
        method: FeeMethod,
        standard_amount: u64,
        amount: u64,
        #[serde(default)]
        reduction_reason: String,
    },
    FeePaid,
    FeeExpired,
    /// 延期答复, with who approved (the head of the disclosure office, Art. 33¶2).
    ExtensionApproved {
        days_wd: u32,
        approver: String,
    },
    /// 答复决定: the outcome, with the reasons and legal basis stated in the reply.
    Decided {
        outcome: Outcome,
        reasons: String,
    },
    ReplySent,
    Withdrawn,
    /// 合理答复期限 (Art. 35): a longer period for an unreasonable volume whose reasons were accepted, or the
    /// period a reviewing body ordered after 纠正; with the reason recorded.
    CustomDeadlineSet {
        #[serde(with = "serde_ymd")]
        deadline: Date,
        reason: String,
    },
    /// 行政复议 / 行政诉讼 filed, with the body (复议机关 / 人民法院).
    ReviewFiled {
        kind: ReviewKind,
        body: String,
    },
    /// Its result; 结果纠正 reopens the application and restarts the reply period from this day.
    ReviewDecided {
        kind: ReviewKind,
        result: ReviewResult,
    },
}

impl CaseEventKind {
    pub fn name_zh(&self) -> &'static str {
        match self {
            CaseEventKind::Submitted { .. } => "提交申请",
            CaseEventKind::ReceiptConfirmed => "确认收到申请",
            CaseEventKind::CorrectionRequested { .. } => "补正告知",
            CaseEventKind::CorrectionReceived => "收到补正",
            CaseEventKind::CorrectionExpired => "逾期未补正，视为放弃申请",
            CaseEventKind::ThirdPartyConsultationStarted { .. } => "征求第三方意见",
            CaseEventKind::ThirdPartyConsultationEnded => "第三方意见征询结束",
            CaseEventKind::AgencyConsultationStarted { .. } => "征求其他机关意见",
            CaseEventKind::AgencyConsultationEnded => "其他机关意见征询结束",
            CaseEventKind::FeeNoticeDelivered { .. } => "收费通知送达",
            CaseEventKind::FeePaid => "缴纳信息处理费",
            CaseEventKind::FeeExpired => "逾期未缴费，视为放弃申请",
            CaseEventKind::ExtensionApproved { .. } => "延期答复",
            CaseEventKind::Decided { .. } => "作出答复决定",
            CaseEventKind::ReplySent => "送达答复",
            CaseEventKind::Withdrawn => "申请人撤回申请",
            CaseEventKind::CustomDeadlineSet { .. } => "确定合理答复期限",
            CaseEventKind::ReviewFiled { .. } => "登记复议或诉讼",
            CaseEventKind::ReviewDecided { .. } => "复议或诉讼审结",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CaseEventKind::Submitted { .. } => "submitted",
            CaseEventKind::ReceiptConfirmed => "receipt_confirmed",
            CaseEventKind::CorrectionRequested { .. } => "correction_requested",
            CaseEventKind::CorrectionReceived => "correction_received",
            CaseEventKind::CorrectionExpired => "correction_expired",
            CaseEventKind::ThirdPartyConsultationStarted { .. } => "third_party_consultation_started",
            CaseEventKind::ThirdPartyConsultationEnded => "third_party_consultation_ended",
            CaseEventKind::AgencyConsultationStarted { .. } => "agency_consultation_started",
            CaseEventKind::AgencyConsultationEnded => "agency_consultation_ended",
            CaseEventKind::FeeNoticeDelivered { .. } => "fee_notice_delivered",
            CaseEventKind::FeePaid => "fee_paid",
            CaseEventKind::FeeExpired => "fee_expired",
            CaseEventKind::ExtensionApproved { .. } => "extension_approved",
            CaseEventKind::Decided { .. } => "decided",
            CaseEventKind::ReplySent => "reply_sent",
            CaseEventKind::Withdrawn => "withdrawn",
            CaseEventKind::CustomDeadlineSet { .. } => "custom_deadline_set",
            CaseEventKind::ReviewFiled { .. } => "review_filed",
            CaseEventKind::ReviewDecided { .. } => "review_decided",
        }
    }

    /// The state-machine action this event records (`None` for the submission itself).
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            CaseEventKind::Submitted { .. } => return None,
            CaseEventKind::ReceiptConfirmed => Action::ConfirmReceipt,
            CaseEventKind::CorrectionRequested { .. } => Action::RequestCorrection,
            CaseEventKind::CorrectionReceived => Action::ReceiveCorrection,
            CaseEventKind::CorrectionExpired => Action::ExpireCorrection,
            CaseEventKind::ThirdPartyConsultationStarted { .. } => Action::StartThirdPartyConsultation,
            CaseEventKind::ThirdPartyConsultationEnded => Action::EndThirdPartyConsultation,
            CaseEventKind::AgencyConsultationStarted { .. } => Action::StartAgencyConsultation,
            CaseEventKind::AgencyConsultationEnded => Action::EndAgencyConsultation,
            CaseEventKind::FeeNoticeDelivered { .. } => Action::NoticeFee,
            CaseEventKind::FeePaid => Action::PayFee,
            CaseEventKind::FeeExpired => Action::ExpireFee,
            CaseEventKind::ExtensionApproved { .. } => Action::Extend,
            CaseEventKind::Decided { outcome, .. } => Action::Decide(*outcome),
            CaseEventKind::ReplySent => Action::SendReply,
            CaseEventKind::Withdrawn => Action::Withdraw,
            CaseEventKind::CustomDeadlineSet { .. } => Action::SetCustomDeadline,
            CaseEventKind::ReviewFiled { kind, .. } => Action::FileReview(*kind),
            CaseEventKind::ReviewDecided { kind, result } => Action::DecideReview(*kind, *result),
        })
    }

    /// The clock's view of this event on `date` (a decision does not move any period).
    pub fn clock_event(&self, date: Date) -> Option<ClockEvent> {
        Some(match self {
            CaseEventKind::Submitted { channel, .. } => ClockEvent::Submitted { date, channel: *channel },
            CaseEventKind::ReceiptConfirmed => ClockEvent::ReceiptConfirmed { date },
            CaseEventKind::CorrectionRequested { period_wd, .. } => {
                ClockEvent::CorrectionRequested { date, period_wd: *period_wd }
            }
            CaseEventKind::CorrectionReceived => ClockEvent::CorrectionReceived { date },
            CaseEventKind::CorrectionExpired => ClockEvent::CorrectionExpired { date },
            CaseEventKind::ThirdPartyConsultationStarted { .. } => ClockEvent::ThirdPartyConsultationStarted { date },
            CaseEventKind::ThirdPartyConsultationEnded => ClockEvent::ThirdPartyConsultationAnswered { date },
            CaseEventKind::AgencyConsultationStarted { .. } => ClockEvent::AgencyConsultationStarted { date },
            CaseEventKind::AgencyConsultationEnded => ClockEvent::AgencyConsultationAnswered { date },
            CaseEventKind::FeeNoticeDelivered { .. } => ClockEvent::FeeNoticeDelivered { date },
            CaseEventKind::FeePaid => ClockEvent::FeePaid { date },
            CaseEventKind::FeeExpired => ClockEvent::FeeExpired { date },
            CaseEventKind::ExtensionApproved { days_wd, approver } => {
                ClockEvent::ExtensionApproved { date, days_wd: *days_wd, approver: approver.clone() }
            }
            CaseEventKind::Decided { .. } | CaseEventKind::ReviewFiled { .. } | CaseEventKind::ReviewDecided { .. } => {
                return None;
            }
            CaseEventKind::ReplySent => ClockEvent::Replied { date },
            CaseEventKind::Withdrawn => ClockEvent::Withdrawn { date },
            CaseEventKind::CustomDeadlineSet { deadline, reason } => {
                ClockEvent::CustomDeadlineSet { date, deadline: *deadline, reason: reason.clone() }
            }
        })
    }
}

/// A dated event as kept in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    #[serde(with = "serde_ymd")]
    pub date: Date,
    pub kind: CaseEventKind,
}

/// Replays the log through the state machine. The first event must be the submission.
pub fn replay(events: &[CaseEvent]) -> Result<CaseState, Refusal> {
    let mut it = events.iter();
    let Some(CaseEvent { kind: CaseEventKind::Submitted { channel, .. }, .. }) = it.next() else {
        return Err(Refusal { action: "办理", reason: "案件记录缺少提交申请事件".into() });
    };
    let mut state = CaseState::new(channel.receipt_on_submission());
    for e in it {
        match e.kind.action() {
            Some(a) => state.apply(&a)?,
            None => {
                return Err(Refusal {
                    action: "提交申请", reason: "已记录提交申请，不能重复提交".into()
                });
            }
        }
    }
    Ok(state)
}

/// The clock events of the log, in order. After a 复议/诉讼 result of 纠正 the application is handled again: the
/// clock starts afresh on the day the result is recorded (as a receipt on that day), with the events after it.
pub fn clock_events(events: &[CaseEvent]) -> Vec<ClockEvent> {
    let reopened = events
        .iter()
        .rposition(|e| matches!(e.kind, CaseEventKind::ReviewDecided { result: ReviewResult::Corrected, .. }));
    match reopened {
        Some(i) => std::iter::once(ClockEvent::Submitted { date: events[i].date, channel: Channel::InPerson })
            .chain(events[i + 1..].iter().filter_map(|e| e.kind.clock_event(e.date)))
            .collect(),
        None => events.iter().filter_map(|e| e.kind.clock_event(e.date)).collect(),
    }
}
