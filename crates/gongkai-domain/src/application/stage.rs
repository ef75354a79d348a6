//! The case state machine: which actions are legal in which stage. Dates and periods are checked
//! separately by [`crate::clock::compute`]; this module answers "may this be done now at all?".

use super::{Outcome, ReviewKind, ReviewResult};
use serde::{Deserialize, Serialize};

/// 办理阶段 of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 待确认收到 (online/email/fax/平信: Art. 31 needs a confirmation before the clock runs)
    AwaitingReceipt,
    /// 办理中
    Processing,
    /// 待补正 (Art. 30)
    AwaitingCorrection,
    /// 征求意见中 (Art. 32, 34)
    Consulting,
    /// 待缴费 (109号): the period from the fee notice to payment is not counted
    AwaitingPayment,
    /// 已作出决定，待答复
    Decided,
    /// 已办结 (replied, withdrawn, deemed abandoned)
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::AwaitingReceipt,
        Stage::Processing,
        Stage::AwaitingCorrection,
        Stage::Consulting,
        Stage::AwaitingPayment,
        Stage::Decided,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::AwaitingReceipt => "awaiting_receipt",
            Stage::Processing => "processing",
            Stage::AwaitingCorrection => "awaiting_correction",
            Stage::Consulting => "consulting",
            Stage::AwaitingPayment => "awaiting_payment",
            Stage::Decided => "decided",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::AwaitingReceipt => "待确认收到",
            Stage::Processing => "办理中",
            Stage::AwaitingCorrection => "待补正",
            Stage::Consulting => "征求意见中",
            Stage::AwaitingPayment => "待缴费",
            Stage::Decided => "已作出决定，待答复",
            Stage::Closed => "已办结",
        }
    }
}

/// What staff (or the applicant, for withdrawal) do to a case. (The log stores `CaseEventKind`, not actions.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 确认收到申请 (双方确认 / 签收 / 与申请人确认)
    ConfirmReceipt,
    /// 补正告知
    RequestCorrection,
    /// 收到补正
    ReceiveCorrection,
    /// 逾期未补正 → （六）1
    ExpireCorrection,
    /// 征求第三方意见
    StartThirdPartyConsultation,
    EndThirdPartyConsultation,
    /// 征求其他机关意见
    StartAgencyConsultation,
    EndAgencyConsultation,
    /// 收费通知送达 (109号)
    NoticeFee,
    /// 缴纳信息处理费
    PayFee,
    /// 逾期未缴费 → （六）2
    ExpireFee,
    /// 延期答复
    Extend,
    /// 作出决定
    Decide(Outcome),
    /// 送达答复
    SendReply,
    /// 申请人撤回 → （六）3
    Withdraw,
    /// 合理答复期限 (Art. 35)
    SetCustomDeadline,
    /// 行政复议 / 行政诉讼 filed against the handling of this application.
    FileReview(ReviewKind),
    /// Its result; 结果纠正 reopens the application.
    DecideReview(ReviewKind, ReviewResult),
}

impl Action {
    pub fn name_zh(&self) -> &'static str {
        match self {
            Action::ConfirmReceipt => "确认收到申请",
            Action::RequestCorrection => "补正告知",
            Action::ReceiveCorrection => "收到补正",
            Action::ExpireCorrection => "逾期未补正",
            Action::StartThirdPartyConsultation => "征求第三方意见",
            Action::EndThirdPartyConsultation => "第三方意见征询结束",
            Action::StartAgencyConsultation => "征求其他机关意见",
            Action::EndAgencyConsultation => "其他机关意见征询结束",
            Action::NoticeFee => "发出收费通知",
            Action::PayFee => "缴纳信息处理费",
            Action::ExpireFee => "逾期未缴费",
            Action::Extend => "延期答复",
            Action::Decide(_) => "作出答复决定",
            Action::SendReply => "送达答复",
            Action::Withdraw => "撤回申请",
            Action::SetCustomDeadline => "确定合理答复期限",
            Action::FileReview(_) => "登记复议或诉讼",
            Action::DecideReview(..) => "登记复议或诉讼结果",
        }
    }
}

/// Why an action is not allowed now (Chinese, shown to staff as it is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("不能{action}：{reason}")]
pub struct Refusal {
    pub action: &'static str,
    pub reason: String,
}

/// What the state machine remembers of a case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseState {
    pub received: bool,
    pub correction_requested: bool,
    pub correction_received: bool,
    pub awaiting_correction: bool,
    pub third_party_open: bool,
    pub agency_open: bool,
    pub extended: bool,
    #[serde(default)]
    pub fee_noticed: bool,
    #[serde(default)]
    pub fee_pending: bool,
    pub outcome: Option<Outcome>,
    pub closed: bool,
    /// 复议/诉讼 not yet decided.
    #[serde(default)]
    pub open_reviews: Vec<ReviewKind>,
    /// How often a 纠正 result reopened the application.
    #[serde(default)]
    pub reopened: u32,
}

impl CaseState {
    /// A new case: in-person applications are received on submission (Art. 31), the rest need confirming.
    pub fn new(received_on_submission: bool) -> Self {
        Self { received: received_on_submission, ..Default::default() }
    }

    pub fn stage(&self) -> Stage {
        if self.closed {
            Stage::Closed
        } else if !self.received {
            Stage::AwaitingReceipt
        } else if self.awaiting_correction {
            Stage::AwaitingCorrection
        } else if self.fee_pending {
            Stage::AwaitingPayment
        } else if self.outcome.is_some() {
            Stage::Decided
        } else if self.third_party_open || self.agency_open {
            Stage::Consulting
        } else {
            Stage::Processing
        }
    }

    /// Ok when `action` is legal now; otherwise the reason in Chinese.
    pub fn check(&self, action: &Action) -> Result<(), Refusal> {
        let refuse = |reason: &str| Err(Refusal { action: action.name_zh(), reason: reason.to_owned() });
        let stage = self.stage();
        match action {
            Action::FileReview(_) | Action::DecideReview(..) if !self.received => {
                return refuse("尚未确认收到申请");
            }
            Action::FileReview(k) if self.open_reviews.contains(k) => {
                return refuse(&format!("已有尚未审结的{}", k.label_zh()));
            }
            Action::FileReview(_) => return Ok(()),
            Action::DecideReview(k, _) if !self.open_reviews.contains(k) => {
                return refuse(&format!("没有尚未审结的{}", k.label_zh()));
            }
            Action::DecideReview(_, ReviewResult::Pending) => return refuse("请选择审理结果"),
            Action::DecideReview(_, ReviewResult::Corrected) if !self.closed => {
                return refuse("申请尚在办理中，结果纠正应在本机关答复后登记");
            }
            Action::DecideReview(..) => return Ok(()),
            _ => {}
        }
        if stage == Stage::Closed {
            return refuse("本申请已办结，不能再办理（如复议、诉讼结果为纠正，请先重新办理）");
        }
        if stage == Stage::AwaitingReceipt && !matches!(action, Action::ConfirmReceipt | Action::Withdraw) {
            return refuse("尚未确认收到申请（条例第三十一条），请先确认收到");
        }
        match action {
            Action::ConfirmReceipt if self.received => refuse("已确认收到申请"),
            Action::ConfirmReceipt => Ok(()),
            Action::RequestCorrection if self.correction_requested => refuse("补正告知只能一次性作出（条例第三十条）"),
            Action::RequestCorrection if stage != Stage::Processing => {
                refuse(&format!("当前阶段为“{}”，只有办理中的申请才能告知补正", stage.label_zh()))
            }
            Action::RequestCorrection => Ok(()),
            Action::ReceiveCorrection | Action::ExpireCorrection if !self.awaiting_correction => {
                refuse("没有待补正的补正告知")
            }
            Action::ReceiveCorrection | Action::ExpireCorrection => Ok(()),
            _ if self.awaiting_correction && !matches!(action, Action::Withdraw) => {
                refuse("正在等待申请人补正，请先记录收到补正或逾期未补正")
            }
            Action::StartThirdPartyConsultation if self.third_party_open => refuse("已有第三方意见征询尚未结束"),
            Action::StartAgencyConsultation if self.agency_open => refuse("已有其他机关意见征询尚未结束"),
            Action::StartThirdPartyConsultation | Action::StartAgencyConsultation if self.outcome.is_some() => {
                refuse("已作出答复决定，不能再征求意见")
            }
            Action::StartThirdPartyConsultation | Action::StartAgencyConsultation => Ok(()),
            Action::EndThirdPartyConsultation if !self.third_party_open => refuse("没有进行中的第三方意见征询"),
            Action::EndAgencyConsultation if !self.agency_open => refuse("没有进行中的其他机关意见征询"),
            Action::EndThirdPartyConsultation | Action::EndAgencyConsultation => Ok(()),
            Action::NoticeFee if self.fee_noticed => refuse("收费通知只能发出一次"),
            Action::NoticeFee if self.outcome.is_some() => refuse("已作出答复决定，收费通知应在决定前发出"),
            Action::NoticeFee => Ok(()),
            Action::PayFee | Action::ExpireFee if !self.fee_pending => refuse("没有待缴纳的收费通知"),
            Action::PayFee | Action::ExpireFee => Ok(()),
            _ if self.fee_pending && !matches!(action, Action::Withdraw | Action::Extend) => {
                refuse("正在等待申请人缴纳信息处理费，请先记录缴费或逾期未缴费")
            }
            Action::Extend if self.extended => refuse("答复期限只能延长一次（条例第三十三条）"),
            Action::Extend if self.outcome.is_some() => refuse("已作出答复决定，无需延期"),
            Action::Extend => Ok(()),
            Action::SetCustomDeadline if self.outcome.is_some() => refuse("已作出答复决定，无需确定合理期限"),
            Action::SetCustomDeadline => Ok(()),
            Action::Decide(_) if self.outcome.is_some() => refuse("每件申请只能有一个答复结果，本申请已作出决定"),
            Action::Decide(_) if self.third_party_open || self.agency_open => {
                refuse("征求意见尚未结束，请先记录意见征询结束（逾期未答复的，记录征询结束后由本机关决定）")
            }
            Action::Decide(o) if !o.is_decided_by_staff() => {
                refuse("该结果由逾期未补正或逾期未缴费自动产生，不能直接选择")
            }
            Action::Decide(Outcome::UnclearAfterCorrection) if !self.correction_received => {
                refuse("“补正后申请内容仍不明确”只适用于已经补正的申请")
            }
            Action::Decide(_) => Ok(()),
            Action::SendReply if self.outcome.is_none() => refuse("请先作出答复决定（选择答复结果）"),
            Action::SendReply => Ok(()),
            Action::Withdraw => Ok(()),
            Action::FileReview(_) | Action::DecideReview(..) => Ok(()),
        }
    }

    /// Applies a legal action (call [`CaseState::check`] first).
    pub fn apply(&mut self, action: &Action) -> Result<(), Refusal> {
        self.check(action)?;
        match action {
            Action::ConfirmReceipt => self.received = true,
            Action::RequestCorrection => {
                self.correction_requested = true;
                self.awaiting_correction = true;
            }
            Action::ReceiveCorrection => {
                self.awaiting_correction = false;
                self.correction_received = true;
            }
            Action::ExpireCorrection => {
                self.awaiting_correction = false;
                self.outcome = Some(Outcome::NoCorrection);
                self.closed = true;
            }
            Action::StartThirdPartyConsultation => self.third_party_open = true,
            Action::EndThirdPartyConsultation => self.third_party_open = false,
            Action::StartAgencyConsultation => self.agency_open = true,
            Action::EndAgencyConsultation => self.agency_open = false,
            Action::NoticeFee => {
                self.fee_noticed = true;
                self.fee_pending = true;
            }
            Action::PayFee => self.fee_pending = false,
            Action::ExpireFee => {
                self.fee_pending = false;
                self.outcome = Some(Outcome::FeeUnpaid);
                self.closed = true;
            }
            Action::Extend => self.extended = true,
            Action::SetCustomDeadline => {}
            Action::Decide(o) => self.outcome = Some(*o),
            Action::SendReply => self.closed = true,
            Action::Withdraw => {
                self.outcome = Some(Outcome::Other);
                self.closed = true;
            }
            Action::FileReview(k) => self.open_reviews.push(*k),
            Action::DecideReview(k, r) => {
                self.open_reviews.retain(|o| o != k);
                if *r == ReviewResult::Corrected {
                    // 纠正 reopens the work: a new decision and reply are needed; the application stays received.
                    *self = CaseState {
                        received: true,
                        open_reviews: std::mem::take(&mut self.open_reviews),
                        reopened: self.reopened + 1,
                        ..Default::default()
                    };
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start_received: bool, actions: &[Action]) -> Result<CaseState, Refusal> {
        let mut s = CaseState::new(start_received);
        for a in actions {
            s.apply(a)?;
        }
        Ok(s)
    }

    #[test]
    fn the_full_path() {
        let s = run(
            false,
            &[
                Action::ConfirmReceipt,
                Action::RequestCorrection,
                Action::ReceiveCorrection,
                Action::StartThirdPartyConsultation,
                Action::EndThirdPartyConsultation,
                Action::Decide(Outcome::PartlyDisclosed),
                Action::SendReply,
            ],
        )
        .unwrap();
        assert_eq!(s.stage(), Stage::Closed);
        assert_eq!(s.outcome, Some(Outcome::PartlyDisclosed));
    }

    #[test]
    fn stages_follow_actions() {
        let mut s = CaseState::new(false);
        assert_eq!(s.stage(), Stage::AwaitingReceipt);
        s.apply(&Action::ConfirmReceipt).unwrap();
        assert_eq!(s.stage(), Stage::Processing);
        s.apply(&Action::RequestCorrection).unwrap();
        assert_eq!(s.stage(), Stage::AwaitingCorrection);
        s.apply(&Action::ReceiveCorrection).unwrap();
        s.apply(&Action::StartAgencyConsultation).unwrap();
        assert_eq!(s.stage(), Stage::Consulting);
        s.apply(&Action::EndAgencyConsultation).unwrap();
        s.apply(&Action::Decide(Outcome::Disclosed)).unwrap();
        assert_eq!(s.stage(), Stage::Decided);
    }

    #[test]
    fn a_corrected_review_reopens_the_application() {
        let k = ReviewKind::AdministrativeReview;
        let s = run(
            true,
            &[
                Action::Decide(Outcome::NotHeld),
                Action::SendReply,
                Action::FileReview(k),
                Action::DecideReview(k, ReviewResult::Corrected),
                Action::Decide(Outcome::Disclosed),
                Action::SendReply,
            ],
        )
        .unwrap();
        assert_eq!(s.outcome, Some(Outcome::Disclosed));
        assert_eq!(s.reopened, 1);
        let upheld = run(
            true,
            &[
                Action::Decide(Outcome::NotHeld),
                Action::SendReply,
                Action::FileReview(k),
                Action::DecideReview(k, ReviewResult::Upheld),
            ],
        )
        .unwrap();
        assert_eq!(upheld.stage(), Stage::Closed);
        assert!(run(true, &[Action::FileReview(k), Action::FileReview(k)]).is_err());
        assert!(run(true, &[Action::DecideReview(k, ReviewResult::Upheld)]).is_err());
        assert!(run(true, &[Action::FileReview(k), Action::DecideReview(k, ReviewResult::Corrected)]).is_err());
    }

    #[test]
    fn refusals_with_reasons() {
        let e = run(false, &[Action::Decide(Outcome::Disclosed)]).unwrap_err();
        assert!(e.to_string().contains("尚未确认收到申请"), "{e}");
        let e =
            run(true, &[Action::RequestCorrection, Action::ReceiveCorrection, Action::RequestCorrection]).unwrap_err();
        assert!(e.reason.contains("一次性"));
        let e = run(true, &[Action::Decide(Outcome::Disclosed), Action::Decide(Outcome::NotHeld)]).unwrap_err();
        assert!(e.reason.contains("只能有一个答复结果"));
        let e = run(true, &[Action::SendReply]).unwrap_err();
        assert!(e.reason.contains("请先作出答复决定"));
        let e = run(true, &[Action::StartThirdPartyConsultation, Action::Decide(Outcome::Disclosed)]).unwrap_err();
        assert!(e.reason.contains("征求意见尚未结束"));
        let e = run(true, &[Action::Decide(Outcome::NoCorrection)]).unwrap_err();
        assert!(e.reason.contains("自动产生"));
        let e = run(true, &[Action::Decide(Outcome::UnclearAfterCorrection)]).unwrap_err();
        assert!(e.reason.contains("已经补正"));
        let e = run(true, &[Action::Extend, Action::Extend]).unwrap_err();
        assert!(e.reason.contains("只能延长一次"));
        let e = run(true, &[Action::Withdraw, Action::ConfirmReceipt]).unwrap_err();
        assert!(e.reason.contains("已办结"));
        let e = run(true, &[Action::RequestCorrection, Action::Decide(Outcome::Disclosed)]).unwrap_err();
        assert!(e.reason.contains("等待申请人补正"));
        assert_eq!(run(false, &[Action::Withdraw]).unwrap().outcome, Some(Outcome::Other));
        let e = run(true, &[Action::NoticeFee, Action::Decide(Outcome::Disclosed)]).unwrap_err();
        assert!(e.reason.contains("缴纳信息处理费"));
        let e = run(true, &[Action::NoticeFee, Action::PayFee, Action::NoticeFee]).unwrap_err();
        assert!(e.reason.contains("只能发出一次"));
        let s = run(true, &[Action::NoticeFee]).unwrap();
        assert_eq!(s.stage(), Stage::AwaitingPayment);
        assert_eq!(run(true, &[Action::NoticeFee, Action::ExpireFee]).unwrap().outcome, Some(Outcome::FeeUnpaid));
        assert_eq!(
            run(true, &[Action::NoticeFee, Action::PayFee, Action::Decide(Outcome::Disclosed)]).unwrap().stage(),
            Stage::Decided
        );
        assert_eq!(
            run(true, &[Action::RequestCorrection, Action::ExpireCorrection]).unwrap().outcome,
            Some(Outcome::NoCorrection)
        );
    }
}
