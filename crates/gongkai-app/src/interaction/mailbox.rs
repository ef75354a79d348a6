//! The 市长信箱: letters from the public, their handling in the console, publication
//! (docs/law/public-interaction.md §4).
//!
//! A letter is received on the Beijing date it is submitted; its answer is due 5 working days later, 15 after an
//! approved extension, both counted from receipt (§4.4, §9.3; the agency's own limits when its administrator set
//! them, `App::interaction_limits`). 转办 hands the letter to another agency with its
//! deadline unchanged (the writer's wait does not start over) [I]. Every step is a `mailbox_events` row and an
//! audit event, in one transaction.

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::application::QueryPassword;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::mailbox::{self as rules, LetterForm, QueryCode, Satisfaction, Status};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::mailbox::{self as store, Letter, NewLetter};
use gongkai_store::{Actor, Tx};
use serde_json::json;
use time::Date;

/// What the writer gets once: the 查询码 and the password.
#[derive(Debug, Clone)]
pub struct MailboxReceipt {
    pub query_code: String,
    pub password: String,
    pub agency_name: String,
    pub due_on: Date,
}

/// A letter as its writer sees it.
#[derive(Debug, Clone)]
pub struct WriterView {
    pub query_code: String,
    pub agency_name: String,
    pub kind: Kind,
    pub title: String,
    pub content: String,
    pub received_on: Date,
    pub due_on: Date,
    pub status: Status,
    pub reply: Option<String>,
    pub replied_on: Option<Date>,
    pub reject_reason: Option<String>,
    pub satisfaction: Option<Satisfaction>,
}

/// A published letter: question and reply as the office redacted them, with the dates; never personal data.
#[derive(Debug, Clone)]
pub struct PublishedLetter {
    pub kind: Kind,
    pub title: String,
    pub question: String,
    pub reply: String,
    pub received_on: Date,
    pub replied_on: Option<Date>,
}

/// A letter in the console.
#[derive(Debug, Clone)]
pub struct StaffLetter {
    pub letter: Letter,
    pub kind: Kind,
    pub status: Status,
    /// Open and past its due date (today is after it).
    pub overdue: bool,
    /// Open and due within 2 working days.
    pub due_soon: bool,
}

impl StaffLetter {
    /// The writer's name as staff lists show it (masked when the writer asked for 保密).
    pub fn writer(&self) -> String {
        if self.letter.confidential {
            gongkai_domain::interaction::mask_name(&self.letter.writer_name)
        } else {
            self.letter.writer_name.clone()
        }
    }

    pub fn phone(&self) -> String {
        if self.letter.confidential {
            gongkai_domain::interaction::mask_phone(&self.letter.phone)
        } else {
            self.letter.phone.clone()
        }
    }
}

/// Which letters the inbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InboxFilter {
    #[default]
    All,
    Open,
    DueSoon,
    Overdue,
}

/// A step staff take on a letter.
#[derive(Debug, Clone)]
pub enum MailboxStep {
    /// 不予受理 with the reason told to the writer (§4.5).
    Reject {
        reason: String,
    },
    /// 转办: another agency takes the letter over.
    Transfer {
        to_agency: String,
    },
    /// 延期 to 15 working days from receipt, with the approver named (§4.4).
    Extend {
        approver: String,
    },
    Reply {
        text: String,
    },
    /// Publish with the question and reply as redacted by staff (the writer must have consented).
    Publish {
        question: String,
        reply: String,
    },
    Unpublish {
        reason: String,
    },
    /// Marks the letter as a 信访 matter (handled under 《信访工作条例》, §2.6).
    Petition,
}

impl MailboxStep {
    fn code(&self) -> &'static str {
        match self {
            MailboxStep::Reject { .. } => "reject",
            MailboxStep::Transfer { .. } => "transfer",
            MailboxStep::Extend { .. } => "extend",
            MailboxStep::Reply { .. } => "reply",
            MailboxStep::Publish { .. } => "publish",
            MailboxStep::Unpublish { .. } => "unpublish",
            MailboxStep::Petition => "petition",
        }
    }

    /// The Chinese name of a step code, for the letter's log.
    pub fn label_zh(code: &str) -> &'static str {
        match code {
            "received" => "收到来信",
            "reject" => "不予受理",
            "transfer" => "转办",
            "transferred_in" => "收到转办来信",
            "extend" => "延期",
            "reply" => "答复",
            "publish" => "公开",
            "unpublish" => "撤销公开",
            "petition" => "转信访",
            "rate" => "来信人评价",
            _ => "其他",
        }
    }
}

fn invalid(field: &'static str, message: &str) -> AppError {
    AppError::Invalid { field: Some(field), message: message.to_owned() }
}

async fn record(
    tx: &mut Tx,
    actor: &Actor,
    agency_id: i64,
    action: AuditAction,
    letter: i64,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        tx,
        &NewAuditEvent {
            actor,
            agency_id: Some(agency_id),
            action,
            object_type: "mailbox_letter",
            object_id: letter.to_string(),
            details,
        },
    )
    .await?;
    Ok(())
}

impl App {
    /// A letter from the public to agency `code`: checked field by field (`InvalidFields`), stored, audited; the
    /// query code and password are returned once.
    pub async fn submit_mailbox_letter(&self, code: &str, form: &LetterForm) -> Result<MailboxReceipt> {
        let agency = self.agency_by_code(code).await?;
        self.receive_letter(&agency, form, self.today(), &Actor::System("writer".into())).await
    }

    /// Stores a checked letter received on `received_on` (the demo loads letters of past days).
    pub(crate) async fn receive_letter(
        &self,
        agency: &Agency,
        form: &LetterForm,
        received_on: Date,
        actor: &Actor,
    ) -> Result<MailboxReceipt> {
        let c = rules::check(form).map_err(AppError::InvalidFields)?;
        let limit_wd = self.interaction_limits(agency).await?.mailbox_wd;
        let due_on = rules::due(&self.calendar().await?, received_on, limit_wd).date;
        let password = QueryPassword::generate(crate::random_bytes());
        let password_hash = self.hash_query_password(password.as_str()).await?;
        let mut tx = self.db.begin().await?;
        let query_code = loop {
            let code = QueryCode::generate(crate::random_bytes());
            if !store::code_taken(&mut tx, code.as_str()).await? {
                break code;
            }
        };
        let id = store::create(
            &mut tx,
            &NewLetter {
                agency_id: agency.id,
                query_code: query_code.as_str(),
                password_hash: &password_hash,
                kind: c.kind.as_str(),
                title: &c.title,
                content: &c.content,
                writer_name: &c.name,
                phone: &c.phone,
                email: &c.email,
                publish_consent: c.publish_consent,
                confidential: c.confidential,
                received_on,
                limit_wd: limit_wd as i32,
                due_on,
            },
        )
        .await?;
        let details = json!({"day": received_on.to_string(), "due_on": due_on.to_string()});
        store::add_event(&mut tx, id, "received", &details, actor.label()).await?;
        record(&mut tx, actor, agency.id, AuditAction::MailboxSubmit, id, json!({"name": c.title})).await?;
        tx.commit().await?;
        Ok(MailboxReceipt {
            query_code: query_code.to_string(),
            password: password.as_str().to_owned(),
            agency_name: agency.name.clone(),
            due_on,
        })
    }

    /// The letter of a query code and password. An unknown code and a wrong password get the same answer, after
    /// the same work.
    async fn letter_for_writer(&self, code: &str, password: &str) -> Result<Letter> {
        let refused = || invalid("password", "查询码或查询密码不正确");
        let found = match QueryCode::parse(code) {
            Some(c) => store::by_query_code(&self.db, c.as_str()).await?,
            None => None,
        };
        let typed = QueryPassword::normalise(password);
        if !self.verify_query_password(&typed, found.as_ref().map(|l| l.password_hash.as_str())).await? {
            return Err(refused());
        }
        found.ok_or_else(refused)
    }

    /// The writer's lookup.
    pub async fn track_mailbox_letter(&self, code: &str, password: &str) -> Result<WriterView> {
        let l = self.letter_for_writer(code, password).await?;
        let agency = agencies::by_id(&self.db, l.agency_id).await?.ok_or(AppError::NotFound("机构"))?;
        let status = Status::parse(&l.status).unwrap_or(Status::Open);
        Ok(WriterView {
            query_code: l.query_code.clone(),
            agency_name: agency.name,
            kind: Kind::parse(&l.kind).unwrap_or(Kind::Other),
            title: l.title.clone(),
            content: l.content.clone(),
            received_on: l.received_on,
            due_on: l.due_on,
            status,
            reply: (status == Status::Answered).then(|| l.reply.clone()),
            replied_on: l.replied_on,
            reject_reason: (status == Status::Rejected).then(|| l.reject_reason.clone()),
            satisfaction: l.satisfaction.as_deref().and_then(Satisfaction::parse),
        })
    }

    /// The writer rates the reply (once the letter is answered; a later rating replaces the earlier one).
    pub async fn rate_mailbox_letter(&self, code: &str, password: &str, rating: &str) -> Result<()> {
        let l = self.letter_for_writer(code, password).await?;
        let Some(s) = Satisfaction::parse(rating) else {
            return Err(invalid("satisfaction", "请选择满意、基本满意或不满意"));
        };
        self.rate_letter(l, s).await
    }

    pub(crate) async fn rate_letter(&self, mut l: Letter, s: Satisfaction) -> Result<()> {
        if l.status != Status::Answered.as_str() {
            return Err(invalid("satisfaction", "来信答复后才能评价"));
        }
        l.satisfaction = Some(s.as_str().to_owned());
        let mut tx = self.db.begin().await?;
        store::save_state(&mut tx, &l).await?;
        let actor = Actor::System("writer".into());
        store::add_event(&mut tx, l.id, "rate", &json!({"satisfaction": s.as_str()}), actor.label()).await?;
        record(&mut tx, &actor, l.agency_id, AuditAction::MailboxRate, l.id, json!({"name": s.label_zh()})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency's published letters (public), newest first, and how many there are.
    pub async fn published_mailbox_letters(
        &self,
        agency: &Agency,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<PublishedLetter>, i64)> {
        let (rows, total) = store::published(&self.db, agency.id, per_page, (page.max(1) - 1) * per_page).await?;
        let letters = rows
            .into_iter()
            .map(|l| PublishedLetter {
                kind: Kind::parse(&l.kind).unwrap_or(Kind::Other),
                title: l.title,
                question: l.published_question,
                reply: l.published_reply,
                received_on: l.received_on,
                replied_on: l.replied_on,
            })
            .collect();
        Ok((letters, total))
    }

    fn staff_letter(&self, l: Letter, cal: &gongkai_domain::calendar::Calendar) -> StaffLetter {
        let status = Status::parse(&l.status).unwrap_or(Status::Open);
        let today = self.today();
        let open = status.is_open();
        let soon_limit = cal.add_working_days(today, 2).date;
        StaffLetter {
            kind: Kind::parse(&l.kind).unwrap_or(Kind::Other),
            overdue: open && today > l.due_on,
            due_soon: open && today <= l.due_on && l.due_on <= soon_limit,
            status,
            letter: l,
        }
    }

    /// The agency's inbox, filtered; staff of the agency (any role) may read it.
    pub async fn mailbox_inbox(&self, p: &Principal, agency: &Agency, filter: InboxFilter) -> Result<Vec<StaffLetter>> {
        p.require(agency.id, &Role::ALL)?;
        let cal = self.calendar().await?;
        Ok(store::of_agency(&self.db, agency.id)
            .await?
            .into_iter()
            .map(|l| self.staff_letter(l, &cal))
            .filter(|l| match filter {
                InboxFilter::All => true,
                InboxFilter::Open => l.status.is_open(),
                InboxFilter::DueSoon => l.due_soon,
                InboxFilter::Overdue => l.overdue,
            })
            .collect())
    }

    /// One letter of the agency with its log.
    pub async fn mailbox_letter(
        &self,
        p: &Principal,
        agency: &Agency,
        id: i64,
    ) -> Result<(StaffLetter, Vec<store::Event>)> {
        p.require(agency.id, &Role::ALL)?;
        let l = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("来信"))?;
        let events = store::events(&self.db, l.id).await?;
        Ok((self.staff_letter(l, &self.calendar().await?), events))
    }

    /// Records a step on a letter. Case handlers and administrators handle letters; an extension needs an
    /// approver's role (审核人 or 管理员), as for applications.
    pub async fn mailbox_step(&self, p: &Principal, agency: &Agency, id: i64, step: MailboxStep) -> Result<()> {
        match step {
            MailboxStep::Extend { .. } => p.require(agency.id, &[Role::Reviewer, Role::Admin])?,
            _ => p.require(agency.id, &[Role::CaseHandler, Role::Admin])?,
        }
        self.apply_mailbox_step(&p.actor(), agency, id, step, self.today()).await
    }

    /// A step taken on `day` by `actor` (permissions checked by the caller).
    pub(crate) async fn apply_mailbox_step(
        &self,
        actor: &Actor,
        agency: &Agency,
        id: i64,
        step: MailboxStep,
        day: Date,
    ) -> Result<()> {
        let mut l = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("来信"))?;
        let status = Status::parse(&l.status).unwrap_or(Status::Open);
        let need_open = || {
            if status.is_open() {
                Ok(())
            } else {
                Err(AppError::Conflict(format!("来信{}，不能再办理", status.label_zh())))
            }
        };
        let mut details = json!({});
        let mut transferred_to: Option<Agency> = None;
        match &step {
            MailboxStep::Reject { reason } => {
                need_open()?;
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(invalid("reason", "请填写不予受理的理由（将告知来信人）"));
                }
                l.status = Status::Rejected.as_str().into();
                l.reject_reason = reason.to_owned();
                l.replied_on = Some(day);
                details = json!({"reason": reason});
            }
            MailboxStep::Transfer { to_agency } => {
                need_open()?;
                let to = agencies::by_code(&self.db, to_agency.trim())
                    .await?
                    .filter(|a| a.id != agency.id)
                    .ok_or_else(|| invalid("to_agency", "请选择要转办的其他机构"))?;
                details = json!({"to": to.code.as_str(), "to_name": to.name});
                transferred_to = Some(to);
            }
            MailboxStep::Extend { approver } => {
                need_open()?;
                let approver = approver.trim();
                if approver.is_empty() {
                    return Err(invalid("approver", "请填写批准延期的负责人"));
                }
                if store::events(&self.db, l.id).await?.iter().any(|e| e.kind == "extend") {
                    return Err(AppError::Conflict("该来信已延期，不能再次延期".into()));
                }
                let extended = self.interaction_limits(agency).await?.mailbox_extended_wd;
                l.limit_wd = extended as i32;
                l.due_on = rules::due(&self.calendar().await?, l.received_on, extended).date;
                details = json!({"approver": approver, "due_on": l.due_on.to_string()});
            }
            MailboxStep::Reply { text } => {
                need_open()?;
                let text = text.trim();
                if text.chars().count() < 5 {
                    return Err(invalid("reply", "请填写答复内容（至少5个字）"));
                }
                l.status = Status::Answered.as_str().into();
                l.reply = text.to_owned();
                l.replied_on = Some(day);
            }
            MailboxStep::Publish { question, reply } => {
                if status != Status::Answered {
                    return Err(AppError::Conflict("来信答复后才能公开".into()));
                }
                if !l.publish_consent {
                    return Err(AppError::Conflict("来信人未同意公开，不能公开".into()));
                }
                let (question, reply) = (question.trim(), reply.trim());
                if question.is_empty() || reply.is_empty() {
                    return Err(invalid("question", "请填写公开的来信内容和答复内容（可删去个人信息）"));
                }
                l.published = true;
                l.published_question = question.to_owned();
                l.published_reply = reply.to_owned();
                l.published_at = Some(gongkai_store::now());
            }
            MailboxStep::Unpublish { reason } => {
                if !l.published {
                    return Err(AppError::Conflict("该来信未公开".into()));
                }
                l.published = false;
                details = json!({"reason": reason.trim()});
            }
            MailboxStep::Petition => {
                need_open()?;
                l.petition = true;
            }
        }
        let mut tx = self.db.begin().await?;
        if let Some(to) = &transferred_to {
            // The letter moves to the other agency, its deadline unchanged; both logs say so.
            l.agency_id = to.id;
            store::add_event(&mut tx, l.id, "transferred_in", &json!({"from": agency.name}), actor.label()).await?;
        }
        store::save_state(&mut tx, &l).await?;
        details["day"] = json!(day.to_string());
        store::add_event(&mut tx, l.id, step.code(), &details, actor.label()).await?;
        let mut audit_details = details.clone();
        audit_details["step"] = json!(step.code());
        audit_details["name"] = json!(format!("{}：{}", MailboxStep::label_zh(step.code()), l.title));
        record(&mut tx, actor, agency.id, AuditAction::MailboxStep, l.id, audit_details).await?;
        tx.commit().await?;
        Ok(())
    }
}
