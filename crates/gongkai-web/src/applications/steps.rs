//! The steps of a case as the console records them: one form per step (补正, 征求意见, 延期, 收费, 答复, 复议 …),
//! read into the domain's [`CaseEventKind`].

use super::case::{Shown, render_case};
use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::state::WebState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::applications::{CaseStep, parse_date};
use gongkai_domain::application::{CaseEventKind, FeeMethod, Outcome, ReviewKind, ReviewResult};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct StepForm {
    step: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    period_wd: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    days_wd: String,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    fee_method: String,
    #[serde(default)]
    pages: String,
    #[serde(default)]
    reduced_amount: String,
    #[serde(default)]
    reduction_reason: String,
    #[serde(default)]
    review_kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    review_result: String,
    #[serde(default)]
    deadline: String,
}

fn number(s: &str, label: &str) -> Result<u32, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::Invalid { field: None, message: format!("请填写{label}（工作日数）") })
}

fn step_kind(f: &StepForm) -> Result<CaseEventKind, AppError> {
    let invalid = |m: &str| AppError::Invalid { field: None, message: m.to_owned() };
    Ok(match f.step.as_str() {
        "receipt_confirmed" => CaseEventKind::ReceiptConfirmed,
        "correction_requested" => CaseEventKind::CorrectionRequested {
            period_wd: number(&f.period_wd, "补正期限")?,
            items: f.items.trim().to_owned(),
        },
        "correction_received" => CaseEventKind::CorrectionReceived,
        "correction_expired" => CaseEventKind::CorrectionExpired,
        "third_party_consultation_started" => {
            CaseEventKind::ThirdPartyConsultationStarted { party: f.party.trim().to_owned() }
        }
        "third_party_consultation_ended" => CaseEventKind::ThirdPartyConsultationEnded,
        "agency_consultation_started" => CaseEventKind::AgencyConsultationStarted { party: f.party.trim().to_owned() },
        "agency_consultation_ended" => CaseEventKind::AgencyConsultationEnded,
        "extension_approved" => CaseEventKind::ExtensionApproved {
            days_wd: number(&f.days_wd, "延长天数")?,
            approver: f.approver.trim().to_owned(),
        },
        "decided" => CaseEventKind::Decided {
            outcome: Outcome::parse(&f.outcome).map_err(|e| invalid(&e.0))?,
            reasons: f.reasons.trim().to_owned(),
        },
        "fee_notice_delivered" => CaseEventKind::FeeNoticeDelivered {
            method: match f.fee_method.as_str() {
                "per_page" => FeeMethod::PerPage { pages: number(&f.pages, "页数")? },
                "per_application" => FeeMethod::PerApplication { nth_in_month: 0 },
                _ => return Err(invalid("请选择计费方式（按件或按量）")),
            },
            standard_amount: 0,
            amount: match f.reduced_amount.trim() {
                "" => 0,
                v => v.parse().map_err(|_| invalid("减免后的金额应为整数（元）"))?,
            },
            reduction_reason: f.reduction_reason.trim().to_owned(),
        },
        "fee_paid" => CaseEventKind::FeePaid,
        "fee_expired" => CaseEventKind::FeeExpired,
        "review_filed" => CaseEventKind::ReviewFiled {
            kind: ReviewKind::parse(&f.review_kind).map_err(|e| invalid(&e.0))?,
            body: f.body.trim().to_owned(),
        },
        "review_decided" => CaseEventKind::ReviewDecided {
            kind: ReviewKind::parse(&f.review_kind).map_err(|e| invalid(&e.0))?,
            result: ReviewResult::parse(&f.review_result).map_err(|e| invalid(&e.0))?,
        },
        "reply_sent" => CaseEventKind::ReplySent,
        "custom_deadline_set" => CaseEventKind::CustomDeadlineSet {
            deadline: parse_date(&f.deadline)
                .map_err(|e| AppError::Invalid { field: Some("deadline"), message: e.0 })?,
            reason: f.reasons.trim().to_owned(),
        },
        "withdrawn" => CaseEventKind::Withdrawn,
        _ => return Err(invalid("未知的办理操作")),
    })
}

/// Records one step of the case (the state machine of the domain decides whether it is allowed now).
pub async fn case_step(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    // Reading first: another agency's case is 404 before anything about the form is said.
    let current = s.app.case(p, a, id).await?;
    let step = step_kind(&f).and_then(|kind| {
        let date = if f.date.trim().is_empty() {
            s.app.today()
        } else {
            parse_date(&f.date).map_err(|e| AppError::Invalid { field: Some("date"), message: e.0 })?
        };
        Ok(CaseStep { date, kind, note: f.note.clone() })
    });
    let result = match step {
        Ok(step) => s.app.record_case_step(p, a, id, step).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_case(&s, &cp, current, Shown::error(message)).await,
        Err(e) => Err(e.into()),
    }
}
