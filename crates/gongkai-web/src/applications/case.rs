//! One case in the console: the case page (deadlines, timeline, step forms, letters, the Art. 32 notice form),
//! assigning a handler, downloading an attachment, revealing the identity number.

use super::view::{DeadlineRow, deadline_rows};
use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, no_store, opt_date_zh, upload_response};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::applications::CaseView;
use gongkai_domain::agency::Role;
use gongkai_domain::application::letters::LetterKind;
use gongkai_domain::application::{
    ApplicantType, CaseEventKind, DeliveryForm, FeeMethod, IdDocumentType, Outcome, ReviewKind, ReviewResult, Stage,
};
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;

/// The notices of the case page after a redirect (`?notice=`); an unknown code says 已记录.
const NOTICES: &[(&str, &str)] = &[
    ("letter", "文书草稿已保存。"),
    ("sent", "文书已发出并编号，此后不能再修改。"),
    ("correct", "已生成更正文书草稿：请修改错误之处后发出，原文书保留并标注“已更正”。"),
    ("assigned", "已分配经办人。"),
];

struct TimelineRow {
    date: String,
    at: String,
    actor: String,
    what: &'static str,
    detail: String,
    note: String,
}

fn detail_zh(k: &CaseEventKind) -> String {
    match k {
        CaseEventKind::Submitted { channel, attachments } => {
            let files: Vec<String> =
                attachments.iter().map(|a| format!("{}（{}KB）", a.name, a.size.div_ceil(1024))).collect();
            if files.is_empty() {
                format!("渠道：{}", channel.name_zh())
            } else {
                format!("渠道：{}；附件：{}", channel.name_zh(), files.join("、"))
            }
        }
        CaseEventKind::CorrectionRequested { period_wd, items } => {
            format!("补正期限{period_wd}个工作日；补正事项：{items}")
        }
        CaseEventKind::ThirdPartyConsultationStarted { party } | CaseEventKind::AgencyConsultationStarted { party } => {
            format!("征求对象：{party}")
        }
        CaseEventKind::ExtensionApproved { days_wd, approver } => format!("延长{days_wd}个工作日，经{approver}同意"),
        CaseEventKind::FeeNoticeDelivered { method, standard_amount, amount, reduction_reason } => {
            let how = match method {
                FeeMethod::PerApplication { nth_in_month } => format!("按件计收（申请人本月第{nth_in_month}件）"),
                FeeMethod::PerPage { pages } => format!("按量计收（{pages}页）"),
            };
            if reduction_reason.is_empty() {
                format!("{how}，应缴{amount}元")
            } else {
                format!("{how}，标准{standard_amount}元，减免后应缴{amount}元（理由：{reduction_reason}）")
            }
        }
        CaseEventKind::Decided { outcome, reasons } => {
            format!(
                "{}（表三{}；依据{}）{}",
                outcome.letter_label_zh(),
                outcome.t3_key(),
                outcome.legal_basis_zh(),
                reasons
            )
        }
        CaseEventKind::ReviewFiled { kind, body } => format!("{}，{body}", kind.label_zh()),
        CaseEventKind::CustomDeadlineSet { deadline, reason } => {
            format!("合理答复期限至{}（条例第三十五条）；理由：{reason}", format_date_zh(*deadline))
        }
        CaseEventKind::ReviewDecided { kind, result } => {
            let reopen = if *result == ReviewResult::Corrected { "，本申请重新办理" } else { "" };
            format!("{}：{}{reopen}", kind.label_zh(), result.t4_column())
        }
        _ => String::new(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/case.html")]
struct CasePageT {
    layout: Layout,
    code: String,
    id: i64,
    tracking_code: String,
    applicant: String,
    applicant_type: &'static str,
    id_type: &'static str,
    id_masked: String,
    contact: String,
    description: String,
    delivery: &'static str,
    submitted_on: String,
    receipt_date: String,
    stage: &'static str,
    status: String,
    outcome: Option<String>,
    deadlines: Vec<DeadlineRow>,
    timeline: Vec<TimelineRow>,
    problem: Option<String>,
    error: Option<String>,
    notice: Option<String>,
    today: String,
    can_work: bool,
    can_extend: bool,
    open: bool,
    outcomes: Vec<(&'static str, String)>,
    similar: Vec<(i64, String, String, u32)>,
    /// The full identity number, only after an audited request.
    revealed_id: Option<String>,
    review_kinds: Vec<(&'static str, &'static str)>,
    review_results: Vec<(&'static str, &'static str)>,
    letters: Vec<LetterRow>,
    /// The third party to tell of a decision to disclose despite its objection (Art. 32), when the form applies.
    third_party_notice: Option<String>,
    /// What was typed into that form (kept when it is refused): reasons and disclosure day.
    tpn_input: (String, String),
    /// The steps the state machine allows now (their codes): only their forms are shown.
    allowed: Vec<&'static str>,
    handler: String,
    /// (user id, name, currently assigned)
    handlers: Vec<(i64, String, bool)>,
    /// (name, sha256, size in KB)
    attachments: Vec<(String, String, u64)>,
}

impl CasePageT {
    /// Whether the form of this step is offered now.
    fn may(&self, step: &str) -> bool {
        self.allowed.contains(&step)
    }
}

/// The case steps with a form on the case page, and the action each records.
fn allowed_steps(state: &gongkai_domain::application::CaseState) -> Vec<&'static str> {
    use gongkai_domain::application::Action as A;
    [
        ("receipt_confirmed", A::ConfirmReceipt),
        ("correction_requested", A::RequestCorrection),
        ("correction_received", A::ReceiveCorrection),
        ("correction_expired", A::ExpireCorrection),
        ("third_party_consultation_started", A::StartThirdPartyConsultation),
        ("third_party_consultation_ended", A::EndThirdPartyConsultation),
        ("agency_consultation_started", A::StartAgencyConsultation),
        ("agency_consultation_ended", A::EndAgencyConsultation),
        ("fee_notice_delivered", A::NoticeFee),
        ("fee_paid", A::PayFee),
        ("fee_expired", A::ExpireFee),
        ("extension_approved", A::Extend),
        ("decided", A::Decide(Outcome::Disclosed)),
        ("reply_sent", A::SendReply),
        ("withdrawn", A::Withdraw),
        ("custom_deadline_set", A::SetCustomDeadline),
    ]
    .into_iter()
    .filter(|(_, a)| state.check(a).is_ok())
    .map(|(code, _)| code)
    .collect()
}

struct LetterRow {
    id: i64,
    kind: &'static str,
    title: String,
    body: String,
    sent: bool,
    doc_no: String,
    sent_on: String,
    updated: String,
    is_reply: bool,
    /// Whether this user may edit and send it (the 延期 letter: approvers only).
    may_edit: bool,
    /// The 文号 of the sent correction that supersedes it (已更正), if any.
    corrected_by: Option<String>,
    /// The 文号 of the letter it corrects, if it is a corrected letter.
    corrects: Option<String>,
    /// Whether a correction draft of it exists (no second one is offered).
    correction_pending: bool,
    /// Whether it states a provisional date (a year whose holiday notice is not loaded): “临时”, and sending
    /// needs the confirmation box.
    provisional: bool,
}

/// What the case page shows besides the case: a refusal (409) or a notice, the identity number after an audited
/// request, and what was typed into a form that was refused.
#[derive(Default)]
pub struct Shown {
    pub error: Option<String>,
    pub notice: Option<String>,
    pub revealed_id: Option<String>,
    /// The Art. 32 notice form: reasons and disclosure day.
    pub tpn_input: Option<(String, String)>,
    /// A letter's form: letter id, title, body.
    pub letter_input: Option<(i64, String, String)>,
}

impl Shown {
    /// A refusal, shown above the case.
    pub fn error(message: String) -> Self {
        Shown { error: Some(message), ..Default::default() }
    }
}

/// The case page of case `id`, read again (after a refused action, say).
pub async fn case_again(s: &WebState, cp: &ConsolePage, id: i64, shown: Shown) -> Result<Response, WebError> {
    let v = s.app.case(&cp.p, &cp.agency, id).await?;
    render_case(s, cp, v, shown).await
}

/// The case page.
pub async fn render_case(s: &WebState, cp: &ConsolePage, v: CaseView, shown: Shown) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let Shown { error, notice, revealed_id, tpn_input, letter_input } = shown;
    let similar = s
        .app
        .similar_applications(p, a, &v)
        .await?
        .into_iter()
        .map(|(o, pct)| (o.id, o.tracking_code, format_date_zh(o.submitted_on), pct))
        .collect();
    let roles = p.roles_in(a.id);
    let app = &v.application;
    let can_work = roles.contains(&Role::CaseHandler) || roles.contains(&Role::Admin);
    let can_extend = roles.contains(&Role::Reviewer) || roles.contains(&Role::Admin);
    let stored = s.app.case_letters(p, a, app.id).await?;
    let corrected = gongkai_app::letters::corrections(&stored);
    let doc_no_of = |id: i64| stored.iter().find(|l| l.id == id).and_then(|l| l.doc_no.clone());
    let pending: Vec<i64> = stored.iter().filter(|l| !l.is_sent()).filter_map(|l| l.corrects_id).collect();
    let letters = stored
        .iter()
        .map(|l| {
            let kind = LetterKind::parse(&l.kind).ok();
            let is_extension = kind == Some(LetterKind::Extension);
            // What was typed is kept when the edit was refused.
            let (title, body) = match &letter_input {
                Some((lid, title, body)) if *lid == l.id => (title.clone(), body.clone()),
                _ => (l.title.clone(), l.body.clone()),
            };
            LetterRow {
                id: l.id,
                kind: kind.map(|k| k.label_zh()).unwrap_or(""),
                title,
                body,
                sent: l.is_sent(),
                doc_no: l.doc_no.clone().unwrap_or_default(),
                sent_on: l.sent_on.map(format_date_zh).unwrap_or_default(),
                updated: format!("{} {}", l.updated_by, datetime_zh(l.updated_at)),
                is_reply: kind == Some(LetterKind::Reply) && l.corrects_id.is_none(),
                may_edit: if is_extension { can_extend } else { can_work },
                corrected_by: corrected.get(&l.id).cloned(),
                corrects: l.corrects_id.and_then(doc_no_of),
                correction_pending: pending.contains(&l.id),
                provisional: gongkai_app::letters::is_provisional(l),
            }
        })
        .collect();
    // The Art. 32 notice: offered after a decision to disclose (fully or in part) in a case that consulted a
    // third party, until one was drafted.
    let party = v.events.iter().rev().find_map(|e| match &e.event.kind {
        CaseEventKind::ThirdPartyConsultationStarted { party } => Some(party.clone()),
        _ => None,
    });
    let disclosing = v.events.iter().rev().find_map(|e| match &e.event.kind {
        CaseEventKind::Decided { outcome, .. } => {
            Some(matches!(outcome, Outcome::Disclosed | Outcome::PartlyDisclosed))
        }
        _ => None,
    });
    let drafted = stored.iter().any(|l| l.kind == LetterKind::ThirdPartyDecision.as_str());
    let third_party_notice = party.filter(|_| disclosing == Some(true) && !drafted && can_work);
    let attachments = v
        .events
        .iter()
        .flat_map(|e| match &e.event.kind {
            CaseEventKind::Submitted { attachments, .. } => attachments.clone(),
            _ => Vec::new(),
        })
        .map(|f| (f.name, f.sha256, f.size.div_ceil(1024)))
        .collect();
    let handlers = s.app.case_handlers(p, a).await?;
    let contact = [app.phone.as_str(), app.email.as_str(), app.address.as_str()]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    let layout = cp.layout(format!("申请 {}", app.tracking_code)).crumb(cp.href("applications"), "依申请公开");
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let page = CasePageT {
        layout,
        code: a.code.to_string(),
        id: app.id,
        tracking_code: app.tracking_code.clone(),
        applicant: app.applicant_name.clone(),
        applicant_type: v.applicant_type().map(ApplicantType::label_zh).unwrap_or(""),
        id_type: IdDocumentType::parse(&app.id_type).map(IdDocumentType::label_zh).unwrap_or(""),
        id_masked: v.id_masked(),
        contact,
        description: app.description.clone(),
        delivery: DeliveryForm::parse(&app.delivery).map(DeliveryForm::label_zh).unwrap_or(""),
        submitted_on: format_date_zh(app.submitted_on),
        receipt_date: opt_date_zh(&v.receipt_date),
        stage: v.stage.label_zh(),
        status: v.status_zh.clone(),
        outcome: v.outcome.map(|o| format!("{}（表三{}）", o.letter_label_zh(), o.t3_key())),
        deadlines: deadline_rows(&v.deadlines),
        timeline: v
            .events
            .iter()
            .map(|e| TimelineRow {
                date: format_date_zh(e.event.date),
                at: datetime_zh(e.at),
                actor: e.actor_label.clone(),
                what: e.event.kind.name_zh(),
                detail: detail_zh(&e.event.kind),
                note: e.note.clone(),
            })
            .collect(),
        problem: v.clock_problem.clone(),
        error,
        notice,
        today: s.app.today().to_string(),
        can_work,
        can_extend,
        letters,
        third_party_notice,
        tpn_input: tpn_input.unwrap_or_else(|| (String::new(), s.app.today().to_string())),
        allowed: allowed_steps(&v.state),
        handler: app.handler_name.clone().unwrap_or_else(|| "未分配".into()),
        handlers: handlers.into_iter().map(|(u, n)| (u, n, app.handler_id == Some(u))).collect(),
        attachments,
        open: v.stage != Stage::Closed,
        outcomes: Outcome::ALL
            .iter()
            .filter(|o| o.is_decided_by_staff())
            .map(|o| (o.as_str(), format!("{} {}", o.t3_key(), o.label_zh())))
            .collect(),
        similar,
        revealed_id,
        review_kinds: ReviewKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        review_results: ReviewResult::ALL
            .iter()
            .filter(|r| **r != ReviewResult::Pending)
            .map(|r| (r.as_str(), r.t4_column()))
            .collect(),
    };
    Ok(no_store((status, page)))
}

/// The case page: the case, its deadlines and timeline, the forms of the steps allowed now, its letters.
pub async fn case_page(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let notice = n.text(NOTICES, Some("已记录。"));
    case_again(&s, &cp, id, Shown { notice, ..Default::default() }).await
}

#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    handler: String,
}

/// Assigns the case to a handler (empty: nobody); audited.
pub async fn assign(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    s.app.case(p, a, id).await?;
    let handler = match f.handler.trim() {
        "" => None,
        h => match h.parse() {
            Ok(h) => Some(h),
            Err(_) => return case_again(&s, &cp, id, Shown::error("请选择经办人".into())).await,
        },
    };
    match s.app.assign_case(p, a, id, handler).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=assigned")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_again(&s, &cp, id, Shown::error(message)).await,
        Err(e) => Err(e.into()),
    }
}

/// An attachment of the case, for the agency's staff only (audited).
pub async fn attachment(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, sha256)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let (att, bytes) = s.app.case_attachment(&cp.p, &cp.agency, id, &sha256).await?;
    Ok(upload_response(att.media_type.clone(), &att.name, "no-store", bytes))
}

/// Shows the full identity number once, on this response only (audited).
pub async fn reveal_id(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let v = s.app.case(&cp.p, &cp.agency, id).await?;
    let full = s.app.reveal_id_number(&cp.p, &cp.agency, id).await?;
    let notice = Some("已显示完整证件号码，本次查看已记录。".into());
    render_case(&s, &cp, v, Shown { notice, revealed_id: Some(full), ..Default::default() }).await
}
