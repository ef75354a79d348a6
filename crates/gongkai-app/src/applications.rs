//! 依申请公开: public intake and lookup, the staff case list and case actions.
//!
//! The case log is the record; the stage and the statutory clock are recomputed from it on every read
//! (`replay` and `clock::compute`), so a deadline shown is always what the events imply on today's date.

use crate::auth::{dummy_hash, hash_password, verify_password};
use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::{Invalid, Role};
use gongkai_domain::application::{
    ApplicantType, Attachment, CaseEvent, CaseEventKind, CaseState, FeeMethod, MAX_ATTACHMENTS, Outcome, QueryPassword,
    Stage, TrackingCode, check_attachment, clean_file_name, clock_events, mask, replay,
};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::clock::{self, Channel, ClockConfig, ClockState, ClockStatus};
use gongkai_store::agencies::Agency;
use gongkai_store::applications::{self as store, Application, EventRecord, ListFilter, NewApplication};
use gongkai_store::{Actor, NewAuditEvent, audit};
use serde_json::json;
use time::Date;
use time::macros::date;

pub use gongkai_domain::application::form::{ApplicationForm, CHANNELS, Checked, channel_code, parse_channel};

/// [`gongkai_domain::application::form::check_form`], its problems as one `InvalidFields` error.
pub(crate) fn check_form(f: &ApplicationForm) -> Result<Checked> {
    gongkai_domain::application::form::check_form(f).map_err(AppError::InvalidFields)
}

/// Roles that may open cases: the handlers, the approvers, the agency's administrators and supervisors.
pub(crate) const CASE_READERS: &[Role] = &[Role::CaseHandler, Role::Reviewer, Role::Admin, Role::Supervisor];
/// Roles that record the steps of a case.
pub(crate) const CASE_WORKERS: &[Role] = &[Role::CaseHandler, Role::Admin];
/// 延期答复 needs the consent of the head of the disclosure office (条例 Art. 33¶2): on the platform that is a
/// user holding the **Reviewer** (审核人) or **Admin** (管理员) role in the agency — a case handler alone may not.
pub(crate) const EXTENSION_APPROVERS: &[Role] = &[Role::Reviewer, Role::Admin];

impl App {
    /// The working-day calendar cases are counted with: the one in the database. Deadlines are computed from the
    /// case log on every read, so importing a year's notice (`App::import_calendar`, audited) recomputes every
    /// open case's deadlines at once.
    pub(crate) async fn case_calendar(&self) -> Result<Calendar> {
        self.calendar().await
    }
}

/// A file as uploaded (name as given by the browser).
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the applicant gets back once, on submission.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: TrackingCode,
    pub query_password: QueryPassword,
    pub agency_name: String,
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::Rng;
    let mut b = [0u8; N];
    rand::rng().fill(&mut b[..]);
    b
}

/// A deadline as shown on the case page and to the applicant.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    pub label: &'static str,
    pub date: Date,
    /// How it was computed (start, days counted, days skipped with holiday names, pauses, restarts).
    pub explanation: String,
}

/// A case with everything derived from its log.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub application: Application,
    pub events: Vec<EventRecord>,
    pub state: CaseState,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub receipt_date: Option<Date>,
    pub deadlines: Vec<DeadlineView>,
    pub status_zh: String,
    /// The deadline in force, if any.
    pub effective_deadline: Option<Date>,
    pub overdue: bool,
    pub due_soon: bool,
    /// Set when the log and the clock disagree (should never happen; shown to staff rather than hidden).
    pub clock_problem: Option<String>,
}

impl CaseView {
    pub fn id_masked(&self) -> String {
        mask(&self.application.id_number)
    }

    pub fn applicant_type(&self) -> Option<ApplicantType> {
        ApplicantType::parse(&self.application.applicant_type).ok()
    }
}

fn status_zh(s: &ClockStatus) -> String {
    match s {
        ClockStatus::NotStarted => "尚未确认收到申请，答复期限未开始计算".into(),
        ClockStatus::Running => "办理中".into(),
        ClockStatus::Suspended { reason } => format!("期限暂停：{reason}"),
        ClockStatus::DueSoon { working_days_left } => format!("即将到期（还剩{working_days_left}个工作日）"),
        ClockStatus::Overdue { working_days_over } => format!("已超期（超过{working_days_over}个工作日）"),
        ClockStatus::Closed => "已办结".into(),
    }
}

fn deadlines(c: &ClockState, state: &CaseState) -> Vec<DeadlineView> {
    let mut out = Vec::new();
    let mut push = |label: &'static str, due: &Option<gongkai_domain::calendar::Due>| {
        if let Some(d) = due {
            let mut explanation = d.explanation.to_zh();
            if state.reopened > 0 {
                // After a 纠正 result the clock restarts on the day it was recorded (see `clock_events`).
                explanation = explanation.replace("（收到申请之日）", "（复议或诉讼结果纠正、重新办理之日）");
            }
            out.push(DeadlineView { label, date: d.date, explanation });
        }
    };
    if !state.correction_requested && state.received && !state.closed {
        push("补正告知期限", &c.correction_notice_deadline);
    }
    push("补正期限", &c.correction_deadline);
    push("征求意见期限", &c.consultation_deadline);
    push("缴费期限", &c.fee_payment_deadline);
    push("答复期限", &c.reply_deadline);
    push("延长后的答复期限", &c.extended_deadline);
    if let Some((date, reason)) = &c.custom_deadline {
        out.push(DeadlineView {
            label: "合理答复期限（条例第三十五条）", date: *date, explanation: reason.clone()
        });
    }
    out
}

fn view(cal: &Calendar, application: Application, events: Vec<EventRecord>, today: Date) -> CaseView {
    let log: Vec<CaseEvent> = events.iter().map(|e| e.event.clone()).collect();
    let (state, mut problem) = match replay(&log) {
        Ok(s) => (s, None),
        Err(r) => (CaseState::default(), Some(r.to_string())),
    };
    let clock = clock::compute(cal, &clock_events(&log), today, &ClockConfig::default());
    let (receipt_date, deadlines, status, effective, overdue, due_soon) = match &clock {
        Ok(c) => (
            c.receipt_date,
            deadlines(c, &state),
            status_zh(&c.status),
            c.effective_deadline,
            matches!(c.status, ClockStatus::Overdue { .. }),
            matches!(c.status, ClockStatus::DueSoon { .. }),
        ),
        Err(e) => {
            problem.get_or_insert(e.to_string());
            (None, Vec::new(), "期限无法计算".into(), None, false, false)
        }
    };
    CaseView {
        application,
        events,
        stage: state.stage(),
        outcome: state.outcome,
        state,
        receipt_date,
        deadlines,
        status_zh: status,
        effective_deadline: effective,
        overdue,
        due_soon,
        clock_problem: problem,
    }
}

/// What the applicant may see on the status page: never internal notes, never the full ID number.
#[derive(Debug, Clone)]
pub struct PublicStatus {
    pub tracking_code: String,
    pub agency_name: String,
    pub applicant_name: String,
    pub submitted_on: Date,
    pub channel: Channel,
    pub stage: Stage,
    pub status_zh: String,
    pub receipt_date: Option<Date>,
    pub deadlines: Vec<DeadlineView>,
    pub outcome: Option<Outcome>,
    /// (date, what happened) — event names only.
    pub timeline: Vec<(Date, &'static str)>,
    /// Sent letters addressed to the applicant (kind, 文号, date), never drafts.
    pub letters: Vec<crate::letters::PublicLetter>,
}

/// Deadline filters of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// 即将到期: within the configured number of working days.
    Soon,
    /// 已超期
    Overdue,
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub stage: Option<Stage>,
    pub applicant_type: Option<ApplicantType>,
    pub year: Option<i32>,
    pub outcome: Option<Outcome>,
    pub due: Option<DueFilter>,
    pub handler: HandlerChoice,
    /// 1-based.
    pub page: usize,
}

/// The handler filter of the case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HandlerChoice {
    #[default]
    Any,
    /// 未分配
    Unassigned,
    /// 我的: assigned to the signed-in user.
    Mine,
    User(i64),
}

pub const CASES_PER_PAGE: usize = 20;

#[derive(Debug, Clone)]
pub struct CasePage {
    pub cases: Vec<CaseView>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// One step recorded on a case by staff: the event and the day it happened (e.g. the day the 补正 arrived).
#[derive(Debug, Clone)]
pub struct CaseStep {
    pub date: Date,
    pub kind: CaseEventKind,
    /// Internal note (never shown to the applicant).
    pub note: String,
}

impl App {
    /// A public submission through the online form or the JSON API (channel 互联网): the receipt date is fixed
    /// later by 双方确认 (条例 Art. 31).
    pub async fn submit_application(&self, agency_code: &str, form: &ApplicationForm) -> Result<Submitted> {
        self.submit_application_with_files(agency_code, form, Vec::new()).await
    }

    /// The online form with attachments. Every problem of the form and of the files is reported at once; files
    /// are written to the content-addressed store only when everything is acceptable.
    pub async fn submit_application_with_files(
        &self,
        agency_code: &str,
        form: &ApplicationForm,
        uploads: Vec<Upload>,
    ) -> Result<Submitted> {
        let agency = self.agency_by_code(agency_code).await?;
        let mut errors = match check_form(form) {
            Ok(_) => Vec::new(),
            Err(AppError::InvalidFields(e)) => e,
            Err(e) => return Err(e),
        };
        let uploads: Vec<Upload> = uploads.into_iter().filter(|u| !(u.name.is_empty() && u.bytes.is_empty())).collect();
        if uploads.len() > MAX_ATTACHMENTS {
            errors.push(("attachments", format!("附件最多{MAX_ATTACHMENTS}个")));
        }
        if !uploads.is_empty() && self.files.is_none() {
            errors.push(("attachments", "本平台暂未开放附件上传，请在申请内容中说明".into()));
        }
        let mut checked = Vec::new();
        for u in &uploads {
            match check_attachment(&u.name, &u.bytes) {
                Ok(media) => checked.push((u, media)),
                Err(e) => errors.push(("attachments", e.0)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let c = check_form(form)?;
        let mut attachments = Vec::new();
        for (u, media) in checked {
            let files = self.files.as_ref().ok_or_else(|| AppError::Internal("no file store".into()))?;
            let sha256 = files.put(&u.bytes).await?;
            attachments.push(Attachment {
                name: clean_file_name(&u.name),
                media_type: media.into(),
                size: u.bytes.len() as u64,
                sha256,
            });
        }
        let today = self.today();
        self.intake_with(&agency, c, Channel::Online, today, None, attachments, &Actor::System("applicant".into()))
            .await
    }

    /// The empty staff intake form (a natural person, ID card, paper delivery); case workers only.
    pub fn new_intake_form(&self, p: &Principal, agency: &Agency) -> Result<ApplicationForm> {
        p.require(agency.id, CASE_WORKERS)?;
        Ok(ApplicationForm {
            applicant_type: "natural_person".into(),
            id_type: "id_card".into(),
            delivery: "paper".into(),
            ..Default::default()
        })
    }

    /// Staff intake of an application that arrived 当面, by post, 平信, 传真 or e-mail (or was given orally and
    /// written down, 条例 Art. 29). `received_on` is the receipt date of Art. 31 when already known: required for
    /// signed post (the signing day), the submission day itself for 当面; for 平信, 传真 and e-mail it may be
    /// recorded later with the 确认收到 step.
    pub async fn register_application(
        &self,
        p: &Principal,
        agency: &Agency,
        form: &ApplicationForm,
        channel: Channel,
        submitted_on: Date,
        received_on: Option<Date>,
    ) -> Result<Submitted> {
        p.require(agency.id, CASE_WORKERS)?;
        let c = check_form(form)?;
        let field_err = |field: &'static str, m: &str| AppError::Invalid { field: Some(field), message: m.into() };
        let received_on = match channel {
            Channel::InPerson => {
                if received_on.is_some_and(|r| r != submitted_on) {
                    return Err(field_err("received_on", "当面提交的，以提交之日为收到申请之日"));
                }
                None
            }
            Channel::PostSigned if received_on.is_none() => {
                return Err(field_err("received_on", "邮寄需签收的，请填写签收日期（即收到申请之日）"));
            }
            // 平常信函: the receipt date is the day staff confirm with the applicant, and they must confirm on
            // the day the letter arrives (spec: applications.md, Art. 31).
            Channel::PostPlain => match received_on {
                None => {
                    return Err(field_err(
                        "received_on",
                        "平常信函须在信件到达当日与申请人确认，请填写确认日期（即收到申请之日）",
                    ));
                }
                Some(r) if r != submitted_on => {
                    return Err(field_err(
                        "received_on",
                        &format!(
                            "平常信函须在信件到达当日与申请人确认（条例第三十一条），确认日期应为{}",
                            gongkai_domain::calendar::format_date_zh(submitted_on)
                        ),
                    ));
                }
                r => r,
            },
            _ => received_on,
        };
        let mut log =
            vec![CaseEvent { date: submitted_on, kind: CaseEventKind::Submitted { channel, attachments: vec![] } }];
        if let Some(r) = received_on {
            log.push(CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed });
        }
        clock::compute(&self.case_calendar().await?, &clock_events(&log), self.today(), &ClockConfig::default())
            .map_err(|e| field_err("received_on", &e.reason))?;
        let agency = agency.clone();
        self.intake(&agency, c, channel, submitted_on, received_on, &p.actor()).await
    }

    pub(crate) async fn intake(
        &self,
        agency: &Agency,
        c: Checked,
        channel: Channel,
        today: Date,
        received_on: Option<Date>,
        actor: &Actor,
    ) -> Result<Submitted> {
        self.intake_with(agency, c, channel, today, received_on, Vec::new(), actor).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn intake_with(
        &self,
        agency: &Agency,
        c: Checked,
        channel: Channel,
        today: Date,
        received_on: Option<Date>,
        attachments: Vec<Attachment>,
        actor: &Actor,
    ) -> Result<Submitted> {
        let password = QueryPassword::generate(random_bytes());
        let password_hash = hash_password(password.as_str()).await?;
        // When the receipt date is fixed at intake (当面, or post with the date given), the case's clock for its
        // 登记回执, computed before the transaction.
        let receipt_clock = if channel.receipt_on_submission() || received_on.is_some() {
            let mut log =
                vec![CaseEvent { date: today, kind: CaseEventKind::Submitted { channel, attachments: vec![] } }];
            if let Some(r) = received_on {
                log.push(CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed });
            }
            let now = self.today().max(received_on.unwrap_or(today)).max(today);
            let c = clock::compute(&self.case_calendar().await?, &clock_events(&log), now, &ClockConfig::default())
                .map_err(|e| AppError::Invalid { field: Some("received_on"), message: e.reason })?;
            Some(c)
        } else {
            None
        };
        let mut tx = self.db.begin().await?;
        let applicant_id = store::upsert_applicant(
            &mut tx,
            c.document.kind.as_str(),
            &c.document.number,
            &c.name,
            c.applicant_type.as_str(),
        )
        .await?;
        let state = CaseState::new(channel.receipt_on_submission());
        // A collision of 40 random bits is practically impossible; retry once anyway rather than fail the citizen.
        let mut attempt = 0;
        let (id, code) = loop {
            let code = TrackingCode::generate(today.year(), random_bytes());
            let new = NewApplication {
                agency_id: agency.id,
                tracking_code: code.as_str(),
                password_hash: &password_hash,
                channel: channel_code(channel),
                applicant_type: c.applicant_type.as_str(),
                applicant_name: &c.name,
                id_type: c.document.kind.as_str(),
                id_number: &c.document.number,
                phone: &c.phone,
                email: &c.email,
                address: &c.address,
                description: &c.description,
                delivery: c.delivery.as_str(),
                submitted_on: today,
                stage: state.stage().as_str(),
            };
            match store::create(&mut tx, applicant_id, &new).await {
                Ok(id) => break (id, code),
                Err(gongkai_store::StoreError::Conflict(_)) if attempt == 0 => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        };
        let mut state = state;
        let event = CaseEvent { date: today, kind: CaseEventKind::Submitted { channel, attachments } };
        let first = store::append_event(&mut tx, id, 0, actor, &event, "", state.stage().as_str(), None).await?;
        let mut receipt_event = first;
        if let Some(r) = received_on {
            state
                .apply(&gongkai_domain::application::Action::ConfirmReceipt)
                .map_err(|e| AppError::Invalid { field: Some("received_on"), message: e.to_string() })?;
            let event = CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed };
            receipt_event =
                store::append_event(&mut tx, id, first, actor, &event, "", state.stage().as_str(), None).await?;
        }
        if let Some(clock) = &receipt_clock {
            self.receipt_at_intake(&mut tx, agency, id, receipt_event, clock, actor).await?;
        }
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationSubmit,
                object_type: "application",
                object_id: id.to_string(),
                // Never the identity number in the audit trail: masked.
                details: json!({"tracking_code": code.as_str(), "channel": channel_code(channel),
                    "applicant_type": c.applicant_type.as_str(), "id": c.document.masked()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Submitted { id, tracking_code: code, query_password: password, agency_name: agency.name.clone() })
    }

    /// The application and its agency for the applicant's code and password. An unknown code and a wrong
    /// password get the same answer, after the same work.
    pub(crate) async fn application_for_applicant(&self, code: &str, password: &str) -> Result<(Application, Agency)> {
        let refused =
            || AppError::Invalid { field: Some("password"), message: "查询码或查询密码不正确".into() };
        let found = match TrackingCode::parse(code) {
            Ok(c) => store::by_tracking_code(&self.db, c.as_str()).await?,
            Err(_) => None,
        };
        let typed = QueryPassword::normalise(password);
        let Some(a) = found else {
            verify_password(&typed, dummy_hash().await).await;
            return Err(refused());
        };
        if !verify_password(&typed, &a.password_hash).await {
            return Err(refused());
        }
        let agency = gongkai_store::agencies::by_id(&self.db, a.agency_id).await?.ok_or(AppError::NotFound("机构"))?;
        Ok((a, agency))
    }

    /// The applicant's lookup (see [`App::application_for_applicant`]).
    pub async fn track_application(&self, code: &str, password: &str) -> Result<PublicStatus> {
        let (a, agency) = self.application_for_applicant(code, password).await?;
        let letters = self.public_letters(a.id).await?;
        let events = store::events(&self.db, a.id).await?;
        let v = view(&self.case_calendar().await?, a, events, self.today());
        let channel = v
            .events
            .first()
            .and_then(|e| match &e.event.kind {
                CaseEventKind::Submitted { channel, .. } => Some(*channel),
                _ => None,
            })
            .unwrap_or(Channel::Online);
        Ok(PublicStatus {
            tracking_code: v.application.tracking_code.clone(),
            agency_name: agency.name,
            applicant_name: v.application.applicant_name.clone(),
            submitted_on: v.application.submitted_on,
            channel,
            stage: v.stage,
            status_zh: v.status_zh.clone(),
            receipt_date: v.receipt_date,
            deadlines: v.deadlines.clone(),
            outcome: v.outcome,
            timeline: v.events.iter().map(|e| (e.event.date, e.event.kind.name_zh())).collect(),
            letters,
        })
    }

    /// One case of an agency the principal can see (another agency's case is not found).
    pub async fn case(&self, p: &Principal, agency: &Agency, id: i64) -> Result<CaseView> {
        p.require(agency.id, CASE_READERS)?;
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        let events = store::events(&self.db, a.id).await?;
        Ok(view(&self.case_calendar().await?, a, events, self.today()))
    }

    /// The agency's cases with their deadlines, filtered and paged.
    pub async fn cases(&self, p: &Principal, agency: &Agency, f: &CaseFilter) -> Result<CasePage> {
        let all = self.filtered_cases(p, agency, f).await?;
        let total = all.len();
        let pages = total.div_ceil(CASES_PER_PAGE).max(1);
        let page = f.page.clamp(1, pages);
        let cases = all.into_iter().skip((page - 1) * CASES_PER_PAGE).take(CASES_PER_PAGE).collect();
        Ok(CasePage { cases, total, page, pages })
    }

    /// Every case matching the filter (no paging) as an Excel workbook, identity numbers masked. The export is
    /// audited (it carries personal data).
    pub async fn cases_xlsx(&self, p: &Principal, agency: &Agency, f: &CaseFilter) -> Result<Vec<u8>> {
        use gongkai_domain::calendar::format_date_zh;
        let all = self.filtered_cases(p, agency, f).await?;
        let headers = [
            "查询码",
            "申请人",
            "申请人类型",
            "证件号码",
            "提交日期",
            "收到申请之日",
            "办理阶段",
            "答复期限",
            "期限状态",
            "答复结果",
            "表三栏目",
            "经办人",
        ];
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|v| {
                vec![
                    v.application.tracking_code.clone(),
                    v.application.applicant_name.clone(),
                    v.applicant_type().map(ApplicantType::column_zh).unwrap_or("").to_owned(),
                    v.id_masked(),
                    format_date_zh(v.application.submitted_on),
                    v.receipt_date.map(format_date_zh).unwrap_or_default(),
                    v.stage.label_zh().to_owned(),
                    v.effective_deadline.map(format_date_zh).unwrap_or_default(),
                    v.status_zh.clone(),
                    v.outcome.map(|o| o.label_zh().to_owned()).unwrap_or_default(),
                    v.outcome.map(|o| o.t3_key().to_owned()).unwrap_or_default(),
                    v.application.handler_name.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let bytes = gongkai_report::xlsx::table_workbook("依申请公开", &headers, &rows)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationExport,
                object_type: "agency",
                object_id: agency.id.to_string(),
                details: json!({"rows": rows.len()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }

    /// The staff who may be assigned cases: the agency's 经办人 and 管理员.
    pub async fn case_handlers(&self, p: &Principal, agency: &Agency) -> Result<Vec<(i64, String)>> {
        p.require(agency.id, CASE_READERS)?;
        Ok(gongkai_store::grants::members(&self.db, agency.id)
            .await?
            .into_iter()
            .filter(|m| m.roles.iter().any(|r| CASE_WORKERS.contains(r)))
            .map(|m| (m.user_id, m.display_name))
            .collect())
    }

    /// Assigns a case to one of the agency's handlers, or to nobody (`None`); audited.
    pub async fn assign_case(&self, p: &Principal, agency: &Agency, id: i64, handler: Option<i64>) -> Result<()> {
        p.require(agency.id, CASE_WORKERS)?;
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        if let Some(h) = handler
            && !self.case_handlers(p, agency).await?.iter().any(|(u, _)| *u == h)
        {
            return Err(AppError::Invalid {
                field: Some("handler"),
                message: "只能分配给本机关的经办人或管理员".into(),
            });
        }
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        let before = store::assign(&mut tx, agency.id, a.id, handler).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationAssign,
                object_type: "application",
                object_id: a.id.to_string(),
                details: json!({"tracking_code": a.tracking_code, "from": before, "to": handler}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An attachment of a case for the agency's staff (found by its SHA-256 among the case's attachments);
    /// every download is audited.
    pub async fn case_attachment(
        &self,
        p: &Principal,
        agency: &Agency,
        id: i64,
        sha256: &str,
    ) -> Result<(Attachment, Vec<u8>)> {
        let v = self.case(p, agency, id).await?;
        let att = v
            .events
            .iter()
            .find_map(|e| match &e.event.kind {
                CaseEventKind::Submitted { attachments, .. } => {
                    attachments.iter().find(|a| a.sha256 == sha256).cloned()
                }
                _ => None,
            })
            .ok_or(AppError::NotFound("附件"))?;
        let files = self.files.as_ref().ok_or(AppError::NotFound("附件"))?;
        let bytes = files.get(&att.sha256).await?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationAttachmentDownload,
                object_type: "application",
                object_id: id.to_string(),
                details: json!({"name": att.name, "sha256": att.sha256}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((att, bytes))
    }

    async fn filtered_cases(&self, p: &Principal, agency: &Agency, f: &CaseFilter) -> Result<Vec<CaseView>> {
        p.require(agency.id, CASE_READERS)?;
        let handler = match f.handler {
            HandlerChoice::Any => gongkai_store::applications::HandlerFilter::Any,
            HandlerChoice::Unassigned => gongkai_store::applications::HandlerFilter::Unassigned,
            HandlerChoice::Mine => gongkai_store::applications::HandlerFilter::User(p.user.id),
            HandlerChoice::User(u) => gongkai_store::applications::HandlerFilter::User(u),
        };
        let rows = store::list(
            &self.db,
            agency.id,
            &ListFilter {
                stage: f.stage.map(|s| s.as_str().to_owned()),
                applicant_type: f.applicant_type.map(|t| t.as_str().to_owned()),
                year: f.year,
                outcome: f.outcome.map(|o| o.as_str().to_owned()),
                handler,
            },
        )
        .await?;
        let mut by_app: std::collections::HashMap<i64, Vec<EventRecord>> = std::collections::HashMap::new();
        for e in store::events_of_agency(&self.db, agency.id).await? {
            by_app.entry(e.application_id).or_default().push(e);
        }
        let today = self.today();
        let cal = self.case_calendar().await?;
        let all: Vec<CaseView> = rows
            .into_iter()
            .map(|a| {
                let events = by_app.remove(&a.id).unwrap_or_default();
                view(&cal, a, events, today)
            })
            .filter(|v| match f.due {
                Some(DueFilter::Soon) => v.due_soon,
                Some(DueFilter::Overdue) => v.overdue,
                None => true,
            })
            .collect();
        Ok(all)
    }

    /// Earlier applications of the same applicant to this agency whose description is similar: a hint of a
    /// possible 重复申请 (条例 Art. 36(六)) for staff to look at — the system never decides it.
    pub async fn similar_applications(
        &self,
        p: &Principal,
        agency: &Agency,
        v: &CaseView,
    ) -> Result<Vec<(Application, u32)>> {
        p.require(agency.id, CASE_READERS)?;
        let others = store::of_applicant(&self.db, agency.id, v.application.applicant_id, v.application.id).await?;
        Ok(others
            .into_iter()
            .filter(|o| o.submitted_on <= v.application.submitted_on)
            .filter_map(|o| {
                let s = similarity_percent(&o.description, &v.application.description);
                (s >= SIMILAR_PERCENT).then_some((o, s))
            })
            .collect())
    }

    /// The 答复告知书 of a decided case as DOCX or PDF: the case's latest reply letter (a draft until the
    /// 送达答复 step sends it with the next 文号 of the agency's sequence).
    ///
    /// Replies sent before letters were stored have no letter: they are rendered from the log, with the
    /// number they always had — their position among the agency's replies of that year in the append-only log.
    /// The migration started each agency's sequence after those replies, so no number is given twice.
    pub async fn reply_letter(
        &self,
        p: &Principal,
        agency: &Agency,
        id: i64,
        format: crate::letters::LetterFormat,
    ) -> Result<crate::letters::LetterFile> {
        use gongkai_domain::application::letters::LetterKind;
        use gongkai_domain::calendar::format_date_zh;
        let v = self.case(p, agency, id).await?;
        // The reply as sent (the latest, i.e. a sent correction if there is one), else the draft.
        let replies: Vec<_> = gongkai_store::letters::of_application(&self.db, id)
            .await?
            .into_iter()
            .filter(|l| l.kind == LetterKind::Reply.as_str())
            .collect();
        let stored = replies.iter().rev().find(|l| l.is_sent()).or(replies.last());
        if let Some(l) = stored {
            return self.letter_file(p, agency, id, l.id, format).await;
        }
        let decided = v.events.iter().rev().find_map(|e| match &e.event.kind {
            CaseEventKind::Decided { outcome, reasons } => Some((*outcome, reasons.clone(), e.event.date)),
            _ => None,
        });
        let Some((outcome, reasons, decided_on)) = decided.filter(|_| v.outcome.is_some()) else {
            return Err(AppError::Invalid {
                field: None, message: "尚未作出答复决定，不能生成答复告知书".into()
            });
        };
        let last_decision = v.events.iter().rposition(|e| matches!(e.event.kind, CaseEventKind::Decided { .. }));
        let sent = v
            .events
            .iter()
            .enumerate()
            .rev()
            .find(|(i, e)| matches!(e.event.kind, CaseEventKind::ReplySent) && Some(*i) > last_decision)
            .map(|(_, e)| e);
        let doc_no = match sent {
            Some(s) => {
                let year = s.event.date.year();
                let replies: Vec<i64> = store::events_of_agency(&self.db, agency.id)
                    .await?
                    .into_iter()
                    .filter(|e| matches!(e.event.kind, CaseEventKind::ReplySent) && e.event.date.year() == year)
                    .map(|e| e.id)
                    .collect();
                let n = replies.iter().filter(|i| **i <= s.id).count();
                format!("{}依申请公开〔{year}〕{n}号", agency.name)
            }
            None => crate::letters::DRAFT_NO.to_owned(),
        };
        let reply = gongkai_report::letters::ReplyLetter {
            agency_name: agency.name.clone(),
            doc_no: doc_no.clone(),
            applicant_name: v.application.applicant_name.clone(),
            received_on: v.receipt_date.map(format_date_zh).unwrap_or_default(),
            description: v.application.description.clone(),
            outcome_label: outcome.letter_label_zh().to_owned(),
            legal_basis: outcome.legal_basis_zh().to_owned(),
            reasons,
            dated: format_date_zh(sent.map_or(decided_on, |s| s.event.date)),
        };
        let letter = gongkai_report::letters::Letter {
            title: "政府信息公开申请答复告知书".into(),
            doc_no,
            body: gongkai_report::letters::reply_paragraphs(&reply).join("\n"),
            agency_name: agency.name.clone(),
            dated: reply.dated.clone(),
        };
        Self::render_letter(&letter, &format!("reply-{}", v.application.tracking_code), format)
    }

    /// Shows the full identity number of a case's applicant; every viewing is written to the audit trail.
    pub async fn reveal_id_number(&self, p: &Principal, agency: &Agency, id: i64) -> Result<String> {
        p.require(agency.id, CASE_WORKERS)?;
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationRevealId,
                object_type: "application",
                object_id: a.id.to_string(),
                details: json!({"tracking_code": a.tracking_code}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(a.id_number)
    }

    /// Records one step of a case. Refused, with the reason, when the state machine or the statutory clock does
    /// not allow it (wrong stage, a date before the last event or after today, a 补正 outside its window …).
    pub async fn record_case_step(&self, p: &Principal, agency: &Agency, id: i64, step: CaseStep) -> Result<CaseView> {
        match &step.kind {
            CaseEventKind::ExtensionApproved { .. } => p.require(agency.id, EXTENSION_APPROVERS)?,
            _ => p.require(agency.id, CASE_WORKERS)?,
        }
        let refuse = |message: String| AppError::Invalid { field: None, message };
        match &step.kind {
            CaseEventKind::Submitted { .. } => return Err(refuse("提交申请不能由办理操作记录".into())),
            CaseEventKind::CorrectionRequested { items, .. } if items.trim().is_empty() => {
                return Err(AppError::Invalid {
                    field: Some("items"),
                    message: "补正告知须一次性列明需要补正的全部事项（条例第三十条）".into(),
                });
            }
            CaseEventKind::Decided { reasons, outcome }
                if reasons.trim().is_empty() && *outcome != Outcome::Disclosed =>
            {
                return Err(AppError::Invalid {
                    field: Some("reasons"),
                    message: "请写明答复的理由和依据（不予公开、部分公开等须说明理由）".into(),
                });
            }
            CaseEventKind::ReviewFiled { body, .. } if body.trim().is_empty() => {
                return Err(AppError::Invalid {
                    field: Some("body"), message: "请填写复议机关或人民法院".into()
                });
            }
            _ => {}
        }
        if let CaseEventKind::CustomDeadlineSet { reason, .. } = &step.kind
            && reason.trim().is_empty()
        {
            return Err(AppError::Invalid {
                field: Some("reasons"),
                message: "确定合理答复期限须写明理由（条例第三十五条）".into(),
            });
        }
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        if step.kind == CaseEventKind::ReceiptConfirmed
            && a.channel == channel_code(Channel::PostPlain)
            && step.date != a.submitted_on
        {
            return Err(AppError::Invalid {
                field: Some("date"),
                message: format!(
                    "平常信函须在信件到达当日与申请人确认（条例第三十一条），确认日期应为{}",
                    gongkai_domain::calendar::format_date_zh(a.submitted_on)
                ),
            });
        }
        self.apply_step(agency, &a, step, &p.actor(), self.today()).await?;
        self.case(p, agency, id).await
    }

    /// Checks a step against the state machine and the clock and writes it, with the letters it produces and
    /// its audit event, in one transaction. No permission check: callers do that (or are the demo loader).
    pub(crate) async fn apply_step(
        &self,
        agency: &Agency,
        a: &Application,
        step: CaseStep,
        actor: &Actor,
        today: Date,
    ) -> Result<()> {
        let refuse = |message: String| AppError::Invalid { field: None, message };
        if step.date > today {
            return Err(refuse("日期不能晚于今天".into()));
        }
        let step = match step.kind {
            CaseEventKind::FeeNoticeDelivered { method, amount, reduction_reason, .. } => {
                let kind = self.fee_notice(a, method, amount, reduction_reason).await?;
                CaseStep { kind, ..step }
            }
            _ => step,
        };
        let records = store::events(&self.db, a.id).await?;
        let last_id = records.last().map_or(0, |e| e.id);
        let mut log: Vec<CaseEvent> = records.into_iter().map(|e| e.event).collect();
        if let Some(last) = log.last()
            && step.date < last.date
        {
            return Err(refuse(format!(
                "事项须按时间先后记录，日期不能早于上一事项（{}）",
                gongkai_domain::calendar::format_date_zh(last.date)
            )));
        }
        let mut state = replay(&log).map_err(|r| refuse(r.to_string()))?;
        let action = step.kind.action().ok_or_else(|| refuse("无效的办理操作".into()))?;
        state.apply(&action).map_err(|r| refuse(r.to_string()))?;
        log.push(CaseEvent { date: step.date, kind: step.kind.clone() });
        let clock_state =
            clock::compute(&self.case_calendar().await?, &clock_events(&log), today, &ClockConfig::default())
                .map_err(|e| refuse(format!("不能{}：{}", action.name_zh(), e.reason)))?;
        let mut tx = self.db.begin().await?;
        let event = log.last().cloned().unwrap_or(CaseEvent { date: step.date, kind: step.kind.clone() });
        let event_id = store::append_event(
            &mut tx,
            a.id,
            last_id,
            actor,
            &event,
            step.note.trim(),
            state.stage().as_str(),
            state.outcome.map(Outcome::as_str),
        )
        .await
        .map_err(|e| match e {
            gongkai_store::StoreError::Conflict(_) => AppError::Invalid {
                field: None,
                message: "本案件刚刚被他人更新，请刷新页面核对后重新操作".into(),
            },
            e => e.into(),
        })?;
        self.letters_for_step(&mut tx, agency, a, event_id, &event, &log, &clock_state, actor).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationStep,
                object_type: "application",
                object_id: a.id.to_string(),
                details: json!({"event": step.kind.code(), "date": step.date.to_string(),
                    "tracking_code": a.tracking_code}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// The fee of a 收费通知 by 109号. 按件 counts the applicant's applications in the calendar month of this one
    /// (to any agency of the platform, up to its submission day); 按量 uses the page count. The standard amount is
    /// always recorded; a lower amount charged needs a reduction/waiver reason (*configurable* practice).
    async fn fee_notice(
        &self,
        a: &Application,
        method: FeeMethod,
        amount: u64,
        reduction_reason: String,
    ) -> Result<CaseEventKind> {
        let method = match method {
            FeeMethod::PerApplication { .. } => {
                let n = store::count_in_month(&self.db, a.applicant_id, a.submitted_on).await?;
                FeeMethod::PerApplication { nth_in_month: u32::try_from(n).unwrap_or(u32::MAX) }
            }
            m => m,
        };
        let standard = method.amount();
        let reason = reduction_reason.trim().to_owned();
        let charged = if reason.is_empty() { standard } else { amount };
        let invalid = |field: &'static str, m: String| AppError::Invalid { field: Some(field), message: m };
        if charged > standard || (!reason.is_empty() && charged == standard) {
            return Err(invalid("reduced_amount", format!("减免后的金额应低于标准金额{standard}元")));
        }
        if standard == 0 {
            let why = match method {
                FeeMethod::PerApplication { nth_in_month } => {
                    format!("该申请人本月第{nth_in_month}件申请，按件计收每人每月前10件免费")
                }
                FeeMethod::PerPage { pages } => format!("共{pages}页，按量计收30页以内免费"),
            };
            return Err(invalid("fee_method", format!("{why}，无需发出收费通知（国办函〔2020〕109号）")));
        }
        Ok(CaseEventKind::FeeNoticeDelivered {
            method,
            standard_amount: standard,
            amount: charged,
            reduction_reason: reason,
        })
    }
}

impl App {
    /// Demo data: the 2023 application of 义马市人民政府办公室 as its annual report tells it — one natural person,
    /// answered 予以公开 within the period. The applicant is anonymised and carries the example number of
    /// GB 11643 itself, so no real person's number is invented. Returns how many cases were created (0 when the
    /// office already has applications: loading is idempotent).
    pub(crate) async fn load_demo_applications(&self) -> Result<usize> {
        let agency = self.agency_by_code("yima-office").await?;
        if !store::list(&self.db, agency.id, &ListFilter::default()).await?.is_empty() {
            return Ok(0);
        }
        let form = ApplicationForm {
            applicant_type: "natural_person".into(),
            name: "张某".into(),
            id_type: "id_card".into(),
            id_number: "11010519491231002X".into(),
            email: "zhangmou@example.cn".into(),
            description: "义马市2023年老旧小区改造项目实施方案及资金安排文件".into(),
            delivery: "email".into(),
            ..Default::default()
        };
        let actor = Actor::System("demo".into());
        let c = check_form(&form)?;
        let done = self.intake(&agency, c, Channel::Online, date!(2023 - 03 - 06), None, &actor).await?;
        // 2023: 双方确认 on 3-7; reply due 4-4 (20 working days; 清明 on 4-5); answered on 3-28.
        let steps = [
            CaseEvent { date: date!(2023 - 03 - 07), kind: CaseEventKind::ReceiptConfirmed },
            CaseEvent {
                date: date!(2023 - 03 - 27),
                kind: CaseEventKind::Decided {
                    outcome: Outcome::Disclosed,
                    reasons: "所申请信息已主动公开，告知获取途径并提供电子文本".into(),
                },
            },
            CaseEvent { date: date!(2023 - 03 - 28), kind: CaseEventKind::ReplySent },
        ];
        let a = store::by_id(&self.db, agency.id, done.id).await?.ok_or(AppError::NotFound("申请"))?;
        for step in steps {
            let receipt = step.kind == CaseEventKind::ReceiptConfirmed;
            let date = step.date;
            let step = CaseStep { date, kind: step.kind, note: String::new() };
            self.apply_step(&agency, &a, step, &actor, date!(2023 - 12 - 31)).await?;
            // The 登记回执 goes out on the day of 双方确认 (the reply is sent by 送达答复).
            if receipt {
                self.send_demo_letter(&agency, &a, date, &actor).await?;
            }
        }
        Ok(1)
    }
}

/// Descriptions this similar (in percent) are flagged as a possible 重复申请.
const SIMILAR_PERCENT: u32 = 60;

/// Similarity of two descriptions: Dice coefficient over character bigrams (punctuation and spaces ignored),
/// in percent. Chinese text has no spaces, so bigrams work better than words here.
pub fn similarity_percent(a: &str, b: &str) -> u32 {
    fn bigrams(s: &str) -> std::collections::BTreeMap<(char, char), u32> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut m = std::collections::BTreeMap::new();
        for w in chars.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    }
    let (x, y) = (bigrams(a), bigrams(b));
    let total: u32 = x.values().sum::<u32>() + y.values().sum::<u32>();
    if total == 0 {
        return 0;
    }
    let common: u32 = x.iter().map(|(k, n)| (*n).min(*y.get(k).unwrap_or(&0))).sum();
    200 * common / total
}

/// Parses a date typed as `2026-01-05` (the HTML date input), for step forms.
pub fn parse_date(s: &str) -> std::result::Result<Date, Invalid> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), fmt).map_err(|_| Invalid::new("日期格式不正确，应为 年-月-日，例如 2026-01-05"))
}

#[cfg(test)]
mod tests {
    use super::similarity_percent;

    #[test]
    fn similar_descriptions() {
        let a = "2023年义马市老旧小区改造项目的资金拨付文件";
        assert_eq!(similarity_percent(a, a), 100);
        assert!(similarity_percent(a, "请公开2023年义马市老旧小区改造项目资金拨付文件。") >= 60);
        assert!(similarity_percent(a, "义马市教育局2024年招生计划") < 30);
        assert_eq!(similarity_percent("", ""), 0);
    }
}
