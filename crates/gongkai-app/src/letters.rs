//! 文书 of 依申请公开. A step that needs a letter (补正告知, 延期, 征求意见, 收费通知, the decision) writes a
//! **draft** in the step's transaction, from the agency's template of that kind (or the default) with the
//! placeholders filled from the case. Staff may edit a draft; sending it takes the next number of the agency's
//! 文号 sequence and freezes it (edits are refused with a reason, and the database refuses changes to a sent
//! letter). The 答复告知书 is sent by the 送达答复 step itself. Every change is audited.

use crate::access::{CASE_READERS, CASE_WORKERS, EXTENSION_APPROVERS};
use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::application::letters::{
    DocNoTemplate, LetterKind, check_template, fill, is_provisional_text, provisional_date_zh,
};
use gongkai_domain::application::{CaseEvent, CaseEventKind, FeeMethod};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::{Due, format_date_zh};
use gongkai_domain::clock::ClockState;
use gongkai_store::agencies::Agency;
use gongkai_store::applications::Application;
use gongkai_store::letters::{self as store, Letter, NewLetter};
use gongkai_store::{Actor, NewAuditEvent, Tx, audit};
use serde_json::json;
use time::Date;

/// Shown instead of a 文号 on a draft.
pub const DRAFT_NO: &str = "（草稿，发出时编号）";

/// A letter file to download.
#[derive(Debug, Clone)]
pub struct LetterFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    Docx,
    Pdf,
}

/// An agency's template of one kind, as the admin page shows it.
#[derive(Debug, Clone)]
pub struct TemplateView {
    pub kind: LetterKind,
    pub title: String,
    pub body: String,
    /// Whether the agency replaced the default.
    pub customised: bool,
}

/// A sent letter as the applicant sees it on the status page.
#[derive(Debug, Clone)]
pub struct PublicLetter {
    pub id: i64,
    pub kind: LetterKind,
    pub doc_no: String,
    pub sent_on: Date,
    /// The 文号 of the sent letter that corrects this one (已更正), if any.
    pub corrected_by: Option<String>,
    /// The 文号 of the letter this one corrects, if it is a corrected letter.
    pub corrects: Option<String>,
}

/// For each sent letter that was corrected: its id and the 文号 of the sent correction.
pub fn corrections(letters: &[Letter]) -> std::collections::HashMap<i64, String> {
    letters.iter().filter(|l| l.is_sent()).filter_map(|l| Some((l.corrects_id?, l.doc_no.clone()?))).collect()
}

pub(crate) fn actor_label(a: &Actor) -> String {
    match a {
        Actor::User { username, .. } => username.clone(),
        Actor::System(l) => l.clone(),
    }
}

/// The letter kind a case event produces a draft of.
pub fn letter_kind_of(k: &CaseEventKind) -> Option<LetterKind> {
    Some(match k {
        CaseEventKind::ReceiptConfirmed => LetterKind::Receipt,
        CaseEventKind::CorrectionRequested { .. } => LetterKind::Correction,
        CaseEventKind::ExtensionApproved { .. } => LetterKind::Extension,
        CaseEventKind::ThirdPartyConsultationStarted { .. } => LetterKind::ThirdPartyConsultation,
        CaseEventKind::AgencyConsultationStarted { .. } => LetterKind::AgencyConsultation,
        CaseEventKind::FeeNoticeDelivered { .. } => LetterKind::FeeNotice,
        CaseEventKind::Decided { .. } => LetterKind::Reply,
        _ => return None,
    })
}

/// Typed text as a sentence: trimmed, ending with 。 unless it already ends with a stop.
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() || t.ends_with(['。', '！', '？', '；', '.', '!', '?', ';']) {
        t.to_owned()
    } else {
        format!("{t}。")
    }
}

/// A deadline for a letter; one that depends on a year whose notice is not loaded says it is provisional.
fn due(d: &Option<Due>) -> String {
    match d {
        Some(d) if d.is_provisional() => provisional_date_zh(&format_date_zh(d.date), &d.explanation.provisional_years),
        Some(d) => format_date_zh(d.date),
        None => String::new(),
    }
}

/// Whether a letter states a provisional date (docs/law/calendar.md §4.1a): marked “临时” in the console, and
/// sent only with an explicit confirmation.
pub fn is_provisional(l: &Letter) -> bool {
    is_provisional_text(&l.title) || is_provisional_text(&l.body)
}

/// The values of the placeholders for a letter produced by `event` (for a reply: the decision).
fn values(
    agency: &Agency,
    a: &Application,
    clock: &ClockState,
    event: &CaseEventKind,
    track_url: Option<String>,
) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("查询网址", track_url.unwrap_or_default()),
        ("机关", agency.name.clone()),
        ("申请人", a.applicant_name.clone()),
        ("查询码", a.tracking_code.clone()),
        ("申请日期", format_date_zh(a.submitted_on)),
        ("收到日期", clock.receipt_date.map(format_date_zh).unwrap_or_default()),
        ("申请内容", a.description.trim_end_matches(['。', '.']).to_owned()),
    ];
    match event {
        // The 登记回执: made when the receipt date is fixed (双方确认, signing, or 当面 at intake).
        CaseEventKind::ReceiptConfirmed | CaseEventKind::Submitted { .. } => {
            let rule = gongkai_domain::application::form::parse_channel(&a.channel)
                .map(|c| c.receipt_rule_zh())
                .unwrap_or_default();
            v.push(("收到方式", rule.to_owned()));
            v.push(("答复期限", due(&clock.reply_deadline)));
        }
        CaseEventKind::CorrectionRequested { period_wd, items } => {
            v.push(("补正事项", sentence(items)));
            v.push(("补正期限", format!("{period_wd}个工作日")));
            v.push(("补正截止日期", due(&clock.correction_deadline)));
        }
        CaseEventKind::ExtensionApproved { days_wd, .. } => {
            v.push(("延长天数", format!("{days_wd}个工作日")));
            v.push(("延长后期限", due(&clock.extended_deadline)));
        }
        CaseEventKind::ThirdPartyConsultationStarted { party } | CaseEventKind::AgencyConsultationStarted { party } => {
            v.push(("征求对象", party.clone()));
            v.push(("征询截止日期", due(&clock.consultation_deadline)));
        }
        CaseEventKind::FeeNoticeDelivered { method, standard_amount, amount, reduction_reason } => {
            let how = match method {
                FeeMethod::PerApplication { nth_in_month } => {
                    format!("按件计收信息处理费（您本月提出的第{nth_in_month}件申请）")
                }
                FeeMethod::PerPage { pages } => format!("按量计收信息处理费（共{pages}页）"),
            };
            v.push(("计费方式", how));
            v.push(("标准金额", standard_amount.to_string()));
            v.push(("应缴金额", amount.to_string()));
            v.push((
                "减免说明",
                if reduction_reason.is_empty() {
                    String::new()
                } else {
                    format!("减免理由：{reduction_reason}。")
                },
            ));
            v.push(("缴费截止日期", due(&clock.fee_payment_deadline)));
        }
        CaseEventKind::Decided { outcome, reasons } => {
            v.push(("答复结果", outcome.letter_label_zh().to_owned()));
            v.push(("理由", sentence(reasons)));
            v.push(("依据", outcome.legal_basis_zh().trim_end_matches('。').to_owned()));
        }
        _ => {}
    }
    v
}

/// Fills a template and drops paragraphs left as a bare label (e.g. "理由：" when no reason was needed).
fn filled(body: &str, values: &[(&str, String)]) -> String {
    let text = fill(body, values);
    text.lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !(l.trim().ends_with('：') && l.trim().chars().count() <= 6))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

impl App {
    /// The agency's template of a kind: its own, else the default.
    async fn template_of(&self, agency_id: i64, kind: LetterKind) -> Result<(String, String, bool)> {
        Ok(match store::template(&self.db, agency_id, kind.as_str()).await? {
            Some((t, b)) => (t, b, true),
            None => (kind.default_title().to_owned(), kind.default_body().to_owned(), false),
        })
    }

    async fn doc_no_template_of(&self, agency_id: i64) -> Result<DocNoTemplate> {
        Ok(match store::doc_no_template(&self.db, agency_id).await? {
            Some(t) => DocNoTemplate::parse(&t).unwrap_or_default(),
            None => DocNoTemplate::default(),
        })
    }

    /// Writes the draft a step produces (if any), in the step's transaction. For 送达答复, sends the reply: the
    /// latest reply draft, or one made from the decision now if there is none.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn letters_for_step(
        &self,
        tx: &mut Tx,
        agency: &Agency,
        a: &Application,
        event_id: i64,
        event: &CaseEvent,
        log: &[CaseEvent],
        clock: &ClockState,
        actor: &Actor,
    ) -> Result<()> {
        if let Some(kind) = letter_kind_of(&event.kind) {
            self.create_draft(tx, agency, a, Some(event_id), kind, &event.kind, clock, &[], actor).await?;
            return Ok(());
        }
        if event.kind != CaseEventKind::ReplySent {
            return Ok(());
        }
        let draft = store::of_application_tx(tx, a.id)
            .await?
            .into_iter()
            .rev()
            .find(|l| l.kind == LetterKind::Reply.as_str() && !l.is_sent() && l.corrects_id.is_none())
            .map(|l| l.id);
        let id = match draft {
            Some(id) => id,
            None => {
                let decision = log
                    .iter()
                    .rev()
                    .find(|e| matches!(e.kind, CaseEventKind::Decided { .. }))
                    .ok_or_else(|| AppError::Internal("reply without decision".into()))?;
                self.create_draft(tx, agency, a, None, LetterKind::Reply, &decision.kind, clock, &[], actor).await?
            }
        };
        self.send_in_tx(tx, agency, a, id, LetterKind::Reply, event.date, actor, false).await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_draft(
        &self,
        tx: &mut Tx,
        agency: &Agency,
        a: &Application,
        event_id: Option<i64>,
        kind: LetterKind,
        event: &CaseEventKind,
        clock: &ClockState,
        extra: &[(&'static str, String)],
        actor: &Actor,
    ) -> Result<i64> {
        let (title, body, _) = self.template_of(agency.id, kind).await?;
        let mut v = values(agency, a, clock, event, self.absolute_url("/track"));
        v.extend(extra.iter().cloned());
        let by = actor_label(actor);
        let id = store::create_draft(
            tx,
            &NewLetter {
                agency_id: agency.id,
                application_id: a.id,
                kind: kind.as_str(),
                event_id,
                title: &fill(&title, &v),
                body: &filled(&body, &v),
                corrects_id: None,
                by: &by,
            },
        )
        .await?;
        audit::record(
            tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterDraft,
                object_type: "letter",
                object_id: id.to_string(),
                details: json!({"application_id": a.id, "kind": kind.as_str()}),
            },
        )
        .await?;
        Ok(id)
    }

    /// Gives a draft the next 文号 of the agency's sequence for the year of `on` and freezes it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn send_in_tx(
        &self,
        tx: &mut Tx,
        agency: &Agency,
        a: &Application,
        letter_id: i64,
        kind: LetterKind,
        on: Date,
        actor: &Actor,
        provisional_confirmed: bool,
    ) -> Result<String> {
        let template = self.doc_no_template_of(agency.id).await?;
        let seq = store::next_number(tx, agency.id, on.year()).await?;
        let doc_no = template.format(&agency.name, on.year(), seq);
        store::mark_sent(tx, agency.id, letter_id, &doc_no, on.year(), seq, on, &actor_label(actor)).await.map_err(
            |e| match e {
                gongkai_store::StoreError::Conflict(m) if m.contains("文书") => {
                    AppError::Invalid { field: None, message: "该文书已经发出，不能再次发出".into() }
                }
                gongkai_store::StoreError::Conflict(_) => AppError::Invalid {
                    field: None,
                    message: format!("文号“{doc_no}”已被使用，请检查本机关的文号模板"),
                },
                e => e.into(),
            },
        )?;
        audit::record(
            tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterSend,
                object_type: "letter",
                object_id: letter_id.to_string(),
                details: json!({"application_id": a.id, "kind": kind.as_str(), "doc_no": doc_no,
                    "sent_on": on.to_string(), "provisional_confirmed": provisional_confirmed}),
            },
        )
        .await?;
        Ok(doc_no)
    }

    /// The letters of a case, oldest first.
    pub async fn case_letters(&self, p: &Principal, agency: &Agency, case_id: i64) -> Result<Vec<Letter>> {
        p.require(agency.id, CASE_READERS)?;
        gongkai_store::applications::by_id(&self.db, agency.id, case_id).await?.ok_or(AppError::NotFound("申请"))?;
        Ok(store::of_application(&self.db, case_id).await?)
    }

    /// A letter of a case of the agency (another agency's, or another case's, is not found).
    async fn letter_of_case(&self, agency: &Agency, case_id: i64, letter_id: i64) -> Result<(Application, Letter)> {
        let a = gongkai_store::applications::by_id(&self.db, agency.id, case_id)
            .await?
            .ok_or(AppError::NotFound("申请"))?;
        let l = store::by_id(&self.db, agency.id, letter_id)
            .await?
            .filter(|l| l.application_id == case_id)
            .ok_or(AppError::NotFound("文书"))?;
        Ok((a, l))
    }

    fn require_letter_role(p: &Principal, agency: &Agency, kind: LetterKind) -> Result<()> {
        // 延期答复告知书: only the approvers (the head of the office approved the extension itself).
        if kind == LetterKind::Extension {
            p.require(agency.id, EXTENSION_APPROVERS)
        } else {
            p.require(agency.id, CASE_WORKERS)
        }
    }

    /// Edits a draft. A sent letter is frozen: refused with the reason.
    pub async fn edit_letter(
        &self,
        p: &Principal,
        agency: &Agency,
        case_id: i64,
        letter_id: i64,
        title: &str,
        body: &str,
    ) -> Result<Letter> {
        p.require(agency.id, CASE_READERS)?;
        let (a, l) = self.letter_of_case(agency, case_id, letter_id).await?;
        let kind = LetterKind::parse(&l.kind).map_err(|e| AppError::Internal(e.0))?;
        Self::require_letter_role(p, agency, kind)?;
        let frozen = || AppError::Invalid {
            field: None,
            message: format!(
                "该{}已于{}发出（{}），发出的文书不能修改；如需更正，请另行制发文书",
                kind.label_zh(),
                l.sent_on.map(format_date_zh).unwrap_or_default(),
                l.doc_no.clone().unwrap_or_default()
            ),
        };
        if l.is_sent() {
            return Err(frozen());
        }
        // Browsers send a textarea's line breaks as CRLF; drafts are stored with LF, like templates.
        let body = body.replace("\r\n", "\n");
        let (title, body) = (title.trim(), body.trim());
        if title.is_empty() || title.chars().count() > 60 {
            return Err(AppError::Invalid {
                field: Some("title"), message: "请填写文书标题（不超过60个字）".into()
            });
        }
        if body.is_empty() || body.chars().count() > 10000 {
            return Err(AppError::Invalid {
                field: Some("body"), message: "请填写文书正文（不超过10000个字）".into()
            });
        }
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        store::update_draft(&mut tx, agency.id, l.id, title, body, &actor_label(&actor)).await.map_err(
            |e| match e {
                gongkai_store::StoreError::Conflict(_) => frozen(),
                e => e.into(),
            },
        )?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterEdit,
                object_type: "letter",
                object_id: l.id.to_string(),
                details: json!({"application_id": a.id, "kind": kind.as_str(), "tracking_code": a.tracking_code}),
            },
        )
        .await?;
        tx.commit().await?;
        store::by_id(&self.db, agency.id, l.id).await?.ok_or(AppError::NotFound("文书"))
    }

    /// Sends a draft today: it gets its 文号 and is frozen. The reply is sent with the 送达答复 step instead. A
    /// draft that states a provisional date is sent only when `confirm_provisional` (else refused, draft kept).
    pub async fn send_letter(
        &self,
        p: &Principal,
        agency: &Agency,
        case_id: i64,
        letter_id: i64,
        confirm_provisional: bool,
    ) -> Result<String> {
        p.require(agency.id, CASE_READERS)?;
        let (a, l) = self.letter_of_case(agency, case_id, letter_id).await?;
        let kind = LetterKind::parse(&l.kind).map_err(|e| AppError::Internal(e.0))?;
        Self::require_letter_role(p, agency, kind)?;
        if l.is_sent() {
            return Err(AppError::Invalid {
                field: None,
                message: format!("该{}已经发出（{}），不能再次发出", kind.label_zh(), l.doc_no.unwrap_or_default()),
            });
        }
        if kind == LetterKind::Reply && l.corrects_id.is_none() {
            return Err(AppError::Invalid {
                field: None,
                message: "答复告知书在记录“送达答复”时发出并编号，请使用“送达答复”".into(),
            });
        }
        if is_provisional(&l) && !confirm_provisional {
            return Err(AppError::Invalid {
                field: Some("confirm_provisional"),
                message: format!(
                    "该{}中的日期涉及尚未载入节假日安排的年份，是临时日期。请核对日期，勾选“确认按临时日期发出”后再发出；\
                     草稿已保留",
                    kind.label_zh()
                ),
            });
        }
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        let confirmed = confirm_provisional && is_provisional(&l);
        let doc_no = self.send_in_tx(&mut tx, agency, &a, l.id, kind, self.today(), &actor, confirmed).await?;
        tx.commit().await?;
        Ok(doc_no)
    }

    /// The printable form of a stored letter.
    fn printable(agency: &Agency, l: &Letter) -> gongkai_report::letters::Letter {
        gongkai_report::letters::Letter {
            title: l.title.clone(),
            doc_no: l.doc_no.clone().unwrap_or_else(|| DRAFT_NO.to_owned()),
            body: l.body.clone(),
            agency_name: agency.name.clone(),
            dated: l.sent_on.map(format_date_zh).unwrap_or_default(),
        }
    }

    pub(crate) fn render_letter(
        l: &gongkai_report::letters::Letter,
        stem: &str,
        format: LetterFormat,
    ) -> Result<LetterFile> {
        Ok(match format {
            LetterFormat::Docx => LetterFile {
                file_name: format!("{stem}.docx"),
                content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                bytes: gongkai_report::letters::letter_docx(l).map_err(AppError::Internal)?,
            },
            LetterFormat::Pdf => LetterFile {
                file_name: format!("{stem}.pdf"),
                content_type: "application/pdf",
                bytes: gongkai_pdf::render_letter(l).map_err(|e| match e {
                    // Said to staff as it is (which fonts to install); the DOCX still works.
                    e @ gongkai_pdf::PdfError::NoCjkFont { .. } => AppError::Conflict(e.to_string()),
                    e => AppError::Internal(e.to_string()),
                })?,
            },
        })
    }

    /// A letter of a case as DOCX or PDF (a draft is marked as such instead of a 文号).
    pub async fn letter_file(
        &self,
        p: &Principal,
        agency: &Agency,
        case_id: i64,
        letter_id: i64,
        format: LetterFormat,
    ) -> Result<LetterFile> {
        p.require(agency.id, CASE_READERS)?;
        let (a, l) = self.letter_of_case(agency, case_id, letter_id).await?;
        let stem = format!("{}-{}-{}", l.kind, a.tracking_code, l.id);
        Self::render_letter(&Self::printable(agency, &l), &stem, format)
    }

    /// The sent letters addressed to the applicant (never drafts, never the 征询函 to third parties).
    pub(crate) async fn public_letters(&self, application_id: i64) -> Result<Vec<PublicLetter>> {
        let all = store::of_application(&self.db, application_id).await?;
        let corrected = corrections(&all);
        let doc_no_of = |id: i64| all.iter().find(|l| l.id == id).and_then(|l| l.doc_no.clone());
        Ok(all
            .iter()
            .filter_map(|l| {
                let kind = LetterKind::parse(&l.kind).ok()?;
                (l.is_sent() && kind.to_applicant()).then_some(PublicLetter {
                    id: l.id,
                    kind,
                    doc_no: l.doc_no.clone()?,
                    sent_on: l.sent_on?,
                    corrected_by: corrected.get(&l.id).cloned(),
                    corrects: l.corrects_id.and_then(doc_no_of),
                })
            })
            .collect())
    }

    /// The applicant's download of a sent letter, with the tracking code and query password.
    pub async fn public_letter_pdf(&self, code: &str, password: &str, letter_id: i64) -> Result<LetterFile> {
        let (a, agency) = self.application_for_applicant(code, password).await?;
        let sent = self.public_letters(a.id).await?;
        if !sent.iter().any(|l| l.id == letter_id) {
            return Err(AppError::NotFound("文书"));
        }
        let l = store::by_id(&self.db, agency.id, letter_id).await?.ok_or(AppError::NotFound("文书"))?;
        let stem = format!("{}-{}-{}", l.kind, a.tracking_code, l.id);
        Self::render_letter(&Self::printable(&agency, &l), &stem, LetterFormat::Pdf)
    }

    /// The agency's templates (its own or the default) and its 文号 template. Agency administrators only.
    pub async fn letter_templates(&self, p: &Principal, agency: &Agency) -> Result<(Vec<TemplateView>, String)> {
        p.require(agency.id, &[Role::Admin])?;
        let mut out = Vec::new();
        for kind in LetterKind::ALL {
            let (title, body, customised) = self.template_of(agency.id, kind).await?;
            out.push(TemplateView { kind, title, body, customised });
        }
        Ok((out, self.doc_no_template_of(agency.id).await?.as_str().to_owned()))
    }

    /// Saves the agency's template of a kind (audited). Unknown placeholders are refused.
    pub async fn save_letter_template(
        &self,
        p: &Principal,
        agency: &Agency,
        kind: LetterKind,
        title: &str,
        body: &str,
    ) -> Result<()> {
        p.require(agency.id, &[Role::Admin])?;
        let body = body.replace("\r\n", "\n");
        check_template(kind, title, &body).map_err(|e| AppError::invalid("body", e))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        store::save_template(&mut tx, agency.id, kind.as_str(), title.trim(), body.trim(), &actor_label(&actor))
            .await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterTemplateUpdate,
                object_type: "letter_template",
                object_id: kind.as_str().to_owned(),
                details: json!({"title": title.trim()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves the agency's 文号 template (audited).
    pub async fn save_doc_no_template(&self, p: &Principal, agency: &Agency, template: &str) -> Result<()> {
        p.require(agency.id, &[Role::Admin])?;
        let t = DocNoTemplate::parse(template).map_err(|e| AppError::invalid("doc_no_template", e))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        store::save_doc_no_template(&mut tx, agency.id, t.as_str()).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterSettingsUpdate,
                object_type: "agency",
                object_id: agency.id.to_string(),
                details: json!({"doc_no_template": t.as_str()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 登记回执 of a case whose receipt date is fixed at intake (当面, or post with the date given), drafted
    /// in the intake's transaction; `clock` is the case's clock after the intake.
    pub(crate) async fn receipt_at_intake(
        &self,
        tx: &mut Tx,
        agency: &Agency,
        application_id: i64,
        event_id: i64,
        clock: &ClockState,
        actor: &Actor,
    ) -> Result<()> {
        let a = gongkai_store::applications::by_id_tx(tx, agency.id, application_id)
            .await?
            .ok_or(AppError::NotFound("申请"))?;
        let event = CaseEventKind::ReceiptConfirmed;
        self.create_draft(tx, agency, &a, Some(event_id), LetterKind::Receipt, &event, clock, &[], actor).await?;
        Ok(())
    }

    /// Drafts the written notice to a third party that objected, of the decision to disclose all the same (Art.
    /// 32): the information, the reasons and the day it will be disclosed. Only in a case that consulted a third
    /// party and decided to disclose (fully or in part); once per case (a wrong one is corrected, 更正).
    pub async fn third_party_decision_notice(
        &self,
        p: &Principal,
        agency: &Agency,
        case_id: i64,
        reasons: &str,
        disclose_on: Date,
    ) -> Result<i64> {
        use gongkai_domain::application::Outcome;
        p.require(agency.id, CASE_WORKERS)?;
        let a = gongkai_store::applications::by_id(&self.db, agency.id, case_id)
            .await?
            .ok_or(AppError::NotFound("申请"))?;
        let invalid = |field: Option<&'static str>, m: &str| AppError::Invalid { field, message: m.to_owned() };
        let log: Vec<CaseEvent> =
            gongkai_store::applications::events(&self.db, a.id).await?.into_iter().map(|e| e.event).collect();
        let party = log
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                CaseEventKind::ThirdPartyConsultationStarted { party } => Some(party.clone()),
                _ => None,
            })
            .ok_or_else(|| invalid(None, "本案件未征求第三方意见，无需告知第三方（条例第三十二条）"))?;
        let decision = log.iter().rev().find(|e| matches!(e.kind, CaseEventKind::Decided { .. }));
        let decision = match decision {
            Some(
                e @ CaseEvent {
                    kind: CaseEventKind::Decided { outcome: Outcome::Disclosed | Outcome::PartlyDisclosed, .. },
                    ..
                },
            ) => e,
            Some(_) => return Err(invalid(None, "本案件的答复决定不是予以公开或部分公开，无需告知第三方公开决定")),
            None => return Err(invalid(None, "请先作出予以公开或部分公开的答复决定，再告知第三方")),
        };
        if reasons.trim().is_empty() {
            return Err(invalid(Some("reasons"), "请写明决定公开的理由（条例第三十二条）"));
        }
        let today = self.today();
        if disclose_on < today {
            return Err(invalid(Some("disclose_on"), "公开日期不能早于今天"));
        }
        let letters = store::of_application(&self.db, a.id).await?;
        if letters.iter().any(|l| l.kind == LetterKind::ThirdPartyDecision.as_str() && l.corrects_id.is_none()) {
            return Err(invalid(None, "本案件已制作公开决定告知书（第三方），请修改该草稿，或更正已发出的告知书"));
        }
        let last = log.last().map_or(today, |e| e.date);
        let clock = gongkai_domain::clock::compute(
            &self.case_calendar().await?,
            &gongkai_domain::application::clock_events(&log),
            today.max(last),
            &gongkai_domain::clock::ClockConfig::default(),
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let extra = [("征求对象", party), ("公开理由", sentence(reasons)), ("公开日期", format_date_zh(disclose_on))];
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        let id = self
            .create_draft(
                &mut tx,
                agency,
                &a,
                None,
                LetterKind::ThirdPartyDecision,
                &decision.kind,
                &clock,
                &extra,
                &actor,
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Drafts a corrected letter (更正) for a sent letter that was wrong: the same kind and text to edit, with a
    /// paragraph naming the old 文号 after the salutation. Sent, it gets its own 文号 and the old letter, which
    /// stays frozen and visible, reads 已更正. Audited (`letter.correct`).
    pub async fn correct_letter(&self, p: &Principal, agency: &Agency, case_id: i64, letter_id: i64) -> Result<i64> {
        p.require(agency.id, CASE_READERS)?;
        let (a, l) = self.letter_of_case(agency, case_id, letter_id).await?;
        let kind = LetterKind::parse(&l.kind).map_err(|e| AppError::Internal(e.0))?;
        Self::require_letter_role(p, agency, kind)?;
        let invalid = |m: String| AppError::Invalid { field: None, message: m };
        let (Some(doc_no), Some(sent_on)) = (l.doc_no.clone(), l.sent_on) else {
            return Err(invalid("草稿尚未发出，可以直接修改，无需更正".into()));
        };
        let all = store::of_application(&self.db, case_id).await?;
        if let Some(c) = all.iter().find(|c| c.corrects_id == Some(l.id)) {
            return Err(invalid(match &c.doc_no {
                Some(n) => format!("该文书已被更正（{n}）；如需再次更正，请更正新的文书"),
                None => "该文书已有更正草稿，请修改该草稿后发出".into(),
            }));
        }
        let note = format!(
            "本机关于{}发出的《{}》（{doc_no}）有误，现予更正，原文书作废，以本文书为准。",
            format_date_zh(sent_on),
            l.title
        );
        let mut lines = l.body.lines();
        let salutation = lines.next().unwrap_or_default();
        let rest: Vec<&str> = lines.collect();
        let body = std::iter::once(salutation).chain(std::iter::once(note.as_str())).chain(rest).collect::<Vec<_>>();
        let title =
            if l.title.ends_with("（更正）") { l.title.clone() } else { format!("{}（更正）", l.title) };
        let title: String = title.chars().take(60).collect();
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        let id = store::create_draft(
            &mut tx,
            &NewLetter {
                agency_id: agency.id,
                application_id: a.id,
                kind: kind.as_str(),
                event_id: l.event_id,
                title: &title,
                body: &body.join("\n"),
                corrects_id: Some(l.id),
                by: &actor_label(&actor),
            },
        )
        .await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::LetterCorrect,
                object_type: "letter",
                object_id: id.to_string(),
                details: json!({"application_id": a.id, "kind": kind.as_str(), "corrects": l.id,
                    "corrects_doc_no": doc_no}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
