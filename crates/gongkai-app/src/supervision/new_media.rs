//! 政务新媒体 register (docs/law/supervision.md §3): the agency asks to open, change and close an account; the
//! supervising agency approves; 注销 waits for the end of the 15-working-day notice.

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::new_media::{self as rules, Party, Status, Step};
use gongkai_store::agencies::Agency;
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::new_media::{self as store, Account, Details, Event, Json};
use serde_json::json;

/// Staff of the agency who ask for accounts and their changes.
const REQUESTERS: &[Role] = &[Role::Admin, Role::Editor];

/// An account's details as staff type them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub platform: String,
    pub name: String,
    pub url: String,
    pub sponsor: String,
    pub operator: String,
    pub verified_subject: String,
    pub filing_no: String,
    /// `YYYY-MM-DD`, may be empty.
    pub last_post_on: String,
    /// `on` when interaction works.
    pub interaction_on: Option<String>,
    /// Why (shown in the account's log).
    pub note: String,
}

impl AccountForm {
    fn check(&self) -> Result<Details> {
        let mut errors = Vec::new();
        let t = |s: &str, max: usize| s.trim().chars().take(max).collect::<String>();
        let required = [
            ("platform", &self.platform, "请填写平台（如微信公众号、微博、抖音、头条号）"),
            ("name", &self.name, "请填写账号名称"),
            ("sponsor", &self.sponsor, "请填写主办单位"),
            ("operator", &self.operator, "请填写运营单位"),
            ("verified_subject", &self.verified_subject, "请填写认证主体"),
        ];
        for (field, v, msg) in required {
            if v.trim().is_empty() {
                errors.push((field, msg.to_owned()));
            }
        }
        let url = self.url.trim();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            errors.push(("url", "账号地址应以 http:// 或 https:// 开头".to_owned()));
        }
        let last_post_on = match self.last_post_on.trim() {
            "" => None,
            d => crate::applications::parse_date(d).map_err(|e| errors.push(("last_post_on", e.0))).ok(),
        };
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        Ok(Details {
            platform: t(&self.platform, 30),
            name: t(&self.name, 100),
            url: t(url, 500),
            sponsor: t(&self.sponsor, 100),
            operator: t(&self.operator, 100),
            verified_subject: t(&self.verified_subject, 100),
            filing_no: t(&self.filing_no, 100),
            last_post_on,
            interaction_on: self.interaction_on.is_some(),
        })
    }
}

/// The status of a stored account (an unknown code reads as 运行, which never happens: only the app writes it).
pub fn status_of(a: &Account) -> Status {
    Status::parse(&a.status).unwrap_or(Status::Running)
}

/// The details a 变更 waiting for approval proposes.
pub fn pending_of(a: &Account) -> Option<Details> {
    a.pending.as_ref().and_then(|j| serde_json::from_value(j.0.clone()).ok())
}

impl App {
    /// Whether `p` approves the agency's accounts: a 监督人 of the parent agency (a supervisor role reaches every
    /// agency beneath it, so this covers every ancestor) or a platform administrator (§3.2: the 主管单位).
    pub fn may_approve_media(p: &Principal, agency: &Agency) -> bool {
        p.is_platform_admin() || agency.parent_id.is_some_and(|parent| p.may(parent, &[Role::Supervisor]))
    }

    /// Whether `p` asks for the agency's accounts (its administrators and editors).
    pub fn may_request_media(p: &Principal, agency: &Agency) -> bool {
        p.may(agency.id, REQUESTERS)
    }

    /// 申请开设: a new account waiting for the supervising agency.
    pub async fn request_media_account(&self, p: &Principal, agency: &Agency, f: &AccountForm) -> Result<i64> {
        p.require(agency.id, REQUESTERS)?;
        let d = f.check()?;
        let today = self.today();
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        let id = store::create(&mut tx, agency.id, &d, Status::OpenRequested.as_str()).await?;
        store::log(&mut tx, &event(id, "request_open", None, Status::OpenRequested, today, actor.label(), &f.note))
            .await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::MediaRequestOpen,
                object_type: "media_account",
                object_id: id.to_string(),
                details: json!({"name": format!("{}：{}", d.platform, d.name)}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes a step of an account's lifecycle on today's date. [`Step::RequestChange`] needs the new details;
    /// approving a change applies them; approving a closure starts the notice; [`Step::Deregister`] is refused
    /// before the notice has ended.
    pub async fn media_step(
        &self,
        p: &Principal,
        agency: &Agency,
        id: i64,
        step: Step,
        change: Option<&AccountForm>,
        note: &str,
    ) -> Result<Status> {
        match step.party() {
            Party::Agency => p.require(agency.id, REQUESTERS)?,
            Party::Supervisor if !Self::may_approve_media(p, agency) => return Err(AppError::Forbidden),
            Party::Supervisor => {}
        }
        let mut a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("政务新媒体账号"))?;
        let from = status_of(&a);
        let today = self.today();
        let to = rules::next(from, step, today, a.notice_until)
            .map_err(|e| AppError::Invalid { field: None, message: e.to_string() })?;
        match (from, step) {
            (_, Step::RequestChange) => {
                let d = change
                    .ok_or(AppError::Invalid { field: None, message: "请填写变更后的账号信息".into() })?
                    .check()?;
                a.pending = Some(Json(json!(d)));
            }
            (Status::OpenRequested, Step::Approve) => a.opened_on = Some(today),
            (Status::ChangeRequested, Step::Approve) => {
                if let Some(d) = pending_of(&a) {
                    apply(&mut a, d);
                }
                a.pending = None;
            }
            (Status::ChangeRequested, Step::Reject) => a.pending = None,
            (Status::CloseRequested, Step::Approve) => {
                let cal = self.calendar().await?;
                a.notice_on = Some(today);
                a.notice_until = Some(rules::notice_ends(&cal, today));
            }
            (_, Step::Deregister) => a.closed_on = Some(today),
            _ => {}
        }
        a.status = to.as_str().to_owned();
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        store::update(&mut tx, &a, from.as_str())
            .await
            .map_err(|_| AppError::Conflict("该账号已被他人办理，请刷新后重试".into()))?;
        store::log(&mut tx, &event(id, step.as_str(), Some(from), to, today, actor.label(), note)).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::MediaStep,
                object_type: "media_account",
                object_id: id.to_string(),
                details: json!({
                    "name": format!("{}：{}", a.platform, a.name),
                    "step": step.as_str(),
                    "step_zh": step.label_zh(),
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "notice_until": a.notice_until.map(|d| d.to_string()),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Every account of the agency (its staff, and supervisors above it).
    pub async fn media_accounts(&self, p: &Principal, agency: &Agency) -> Result<Vec<Account>> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        Ok(store::of_agency(&self.db, agency.id).await?)
    }

    /// The log of the agency's accounts, oldest first.
    pub async fn media_events(&self, p: &Principal, agency: &Agency) -> Result<Vec<Event>> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        Ok(store::events_of_agency(&self.db, agency.id).await?)
    }

    /// The accounts in operation, for the public list (no session needed).
    pub async fn public_media_accounts(&self, agency: &Agency) -> Result<Vec<Account>> {
        let mut all = store::of_agency(&self.db, agency.id).await?;
        all.retain(|a| status_of(a).is_public());
        Ok(all)
    }
}

fn apply(a: &mut Account, d: Details) {
    a.platform = d.platform;
    a.name = d.name;
    a.url = d.url;
    a.sponsor = d.sponsor;
    a.operator = d.operator;
    a.verified_subject = d.verified_subject;
    a.filing_no = d.filing_no;
    a.last_post_on = d.last_post_on;
    a.interaction_on = d.interaction_on;
}

fn event(id: i64, step: &str, from: Option<Status>, to: Status, day: time::Date, actor: &str, note: &str) -> Event {
    Event {
        id: 0,
        account_id: id,
        step: step.to_owned(),
        from_status: from.map(|s| s.as_str().to_owned()),
        to_status: to.as_str().to_owned(),
        day,
        actor: actor.to_owned(),
        note: note.trim().chars().take(500).collect(),
        created_at: gongkai_store::now(),
    }
}
