//! The 通报 of a check round and the 整改 of its findings (docs/law/supervision.md §2.6.3, §2.7, §2.8.8–§2.8.11).
//! A 监督人 or 管理员 of the issuing agency drafts the 通报 from the descendants' checks and submits it; another
//! of them approves it, which numbers it from the agency's own 通报 sequence and opens one 整改 item per failing
//! finding; it is then published as a catalog item into a column of the agency. The failing agency reports what it
//! did; the issuing agency reviews (未通过 returns the item to 待整改 with a new due date). Every step is audited.

use crate::letters::{LetterFile, LetterFormat, actor_label};
use crate::{App, AppError, Caller, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::application::letters::DocNoTemplate;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::{DocClass, EntryStatus};
use gongkai_domain::monitor::rounds::{
    BULLETIN_DOC_NO, BulletinStatus, BulletinStep, RECTIFY_WORKING_DAYS, RectStatus, RectStep, Round, bulletin_title,
};
use gongkai_domain::monitor::{Kind, Verdict};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::bulletins::{self as store, Bulletin, NewBulletin, NewRectification, Rectification};
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::{NewAuditEvent, StoreError, Tx, audit};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

/// Who writes, submits, approves and publishes a 通报, and reviews 整改: the issuing agency's 监督人 and 管理员.
pub const ISSUERS: &[Role] = &[Role::Supervisor, Role::Admin];
/// Who reports what the failing agency did.
pub const RECTIFIERS: &[Role] = &[Role::Admin, Role::Editor];

/// A failing finding a 通报 names, as stored with it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BulletinFinding {
    pub agency_id: i64,
    pub agency_name: String,
    pub indicator: String,
    pub indicator_zh: String,
    pub kind: String,
    pub message: String,
}

fn conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(format!("操作未完成：{m}，请刷新后重试")),
        e => e.into(),
    }
}

fn text(s: &str, field: &'static str, label: &str, max: usize, required: bool) -> Result<String> {
    let s = s.replace("\r\n", "\n").trim().to_owned();
    if required && s.is_empty() {
        return Err(AppError::Invalid { field: Some(field), message: format!("请填写{label}") });
    }
    if s.chars().count() > max {
        return Err(AppError::Invalid { field: Some(field), message: format!("{label}不能超过{max}个字") });
    }
    Ok(s)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The findings a 通报 stores (JSON); unreadable JSON reads as none.
pub fn findings_of(b: &Bulletin) -> Vec<BulletinFinding> {
    serde_json::from_str(&b.findings).unwrap_or_default()
}

pub fn status_of(b: &Bulletin) -> Result<BulletinStatus> {
    BulletinStatus::parse(&b.status).map_err(|e| AppError::Internal(e.0))
}

/// Whether a 整改 item is past its due date and not yet reported or passed.
pub fn is_overdue(r: &Rectification, today: Date) -> bool {
    r.status == RectStatus::Pending.as_str() && r.due_on < today
}

impl App {
    async fn bulletin_in(&self, a: &Agency, id: i64) -> Result<Bulletin> {
        store::by_id(&self.db, a.id, id).await?.ok_or(AppError::NotFound("通报"))
    }

    async fn audit_bulletin(
        &self,
        tx: &mut Tx,
        by: Caller<'_>,
        a: &Agency,
        action: AuditAction,
        id: i64,
        details: serde_json::Value,
    ) -> Result<()> {
        let e = NewAuditEvent {
            actor: &by.actor(),
            agency_id: Some(a.id),
            action,
            object_type: "monitor_bulletin",
            object_id: id.to_string(),
            details,
        };
        audit::record(tx, &e).await?;
        Ok(())
    }

    /// Drafts the 通报 of a round from the descendants' checks as of `date`: 总体情况 / 主要问题 / 工作要求 (the
    /// domain's text), with the failing findings kept for the 整改 items.
    pub async fn draft_bulletin(
        &self,
        by: Caller<'_>,
        a: &Agency,
        round: &str,
        period: &str,
        date: Date,
    ) -> Result<i64> {
        by.require(a.id, ISSUERS)?;
        let round = Round::parse(round.trim()).map_err(|e| AppError::invalid("round", e))?;
        let period = period.trim();
        let label = round.period_label(period).map_err(|e| AppError::invalid("period", e))?;
        let checks = self.descendant_checks(by, a, date).await?;
        let mut findings = Vec::new();
        for (agency, c) in checks.iter().filter(|(_, c)| c.verdict == Verdict::Fail) {
            for f in c.findings.iter().filter(|f| f.kind != Kind::Warn) {
                findings.push(BulletinFinding {
                    agency_id: agency.id,
                    agency_name: agency.name.clone(),
                    indicator: f.indicator.as_str().into(),
                    indicator_zh: f.indicator.label_zh().into(),
                    kind: f.kind.as_str().into(),
                    message: f.message.clone(),
                });
            }
        }
        let named: Vec<(String, gongkai_domain::monitor::Check)> =
            checks.into_iter().map(|(agency, c)| (agency.name, c)).collect();
        let (_, body) = gongkai_domain::monitor::bulletin(&a.name, date, &named);
        let title = bulletin_title(&label);
        let findings_json = serde_json::to_string(&findings).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        let new = NewBulletin {
            agency_id: a.id,
            round: round.as_str(),
            period,
            check_date: date,
            title: &title,
            body: &body,
            findings: &findings_json,
            by: &actor_label(&by.actor()),
        };
        let id = store::create(&mut tx, &new).await?;
        let details = json!({"round": round.as_str(), "period": period, "check_date": date.to_string(),
            "failing_findings": findings.len()});
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinDraft, id, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agency's 通报, newest first (its issuers and reviewers).
    pub async fn bulletins(&self, by: Caller<'_>, a: &Agency) -> Result<Vec<Bulletin>> {
        by.require(a.id, &[Role::Supervisor, Role::Admin, Role::Reviewer])?;
        Ok(store::of_agency(&self.db, a.id).await?)
    }

    pub async fn bulletin(&self, by: Caller<'_>, a: &Agency, id: i64) -> Result<Bulletin> {
        by.require(a.id, &[Role::Supervisor, Role::Admin, Role::Reviewer])?;
        self.bulletin_in(a, id).await
    }

    /// Edits a draft's title and text.
    pub async fn edit_bulletin(&self, by: Caller<'_>, a: &Agency, id: i64, title: &str, body: &str) -> Result<()> {
        by.require(a.id, ISSUERS)?;
        let b = self.bulletin_in(a, id).await?;
        status_of(&b)?.apply(BulletinStep::Edit).map_err(|e| AppError::invalid("status", e))?;
        let title = text(title, "title", "标题", 200, true)?;
        let body = text(body, "body", "正文", 20_000, true)?;
        let mut tx = self.db.begin().await?;
        store::update_draft(&mut tx, b.id, &title, &body, &actor_label(&by.actor())).await.map_err(conflict)?;
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinEdit, b.id, json!({"title": title})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Submits a draft for approval.
    pub async fn submit_bulletin(&self, by: Caller<'_>, a: &Agency, id: i64) -> Result<()> {
        by.require(a.id, ISSUERS)?;
        let b = self.bulletin_in(a, id).await?;
        let from = status_of(&b)?;
        let to = from.apply(BulletinStep::Submit).map_err(|e| AppError::invalid("status", e))?;
        let who = match by {
            Caller::Staff(p) => Some(p.user.id),
            Caller::System(_) => None,
        };
        let mut tx = self.db.begin().await?;
        store::set_status(&mut tx, b.id, from.as_str(), to.as_str(), who, "", &actor_label(&by.actor()))
            .await
            .map_err(conflict)?;
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinSubmit, b.id, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approver's checks: an issuer of the agency who did not submit the 通报 (四眼原则, like the catalog's review).
    fn require_approver(by: Caller<'_>, a: &Agency, b: &Bulletin) -> Result<()> {
        by.require(a.id, ISSUERS)?;
        if let Caller::Staff(p) = by
            && b.submitted_by == Some(p.user.id)
        {
            return Err(AppError::Invalid {
                field: None, message: "通报须由报送人以外的监督人或管理员审核".into()
            });
        }
        Ok(())
    }

    /// Returns a submitted 通报 to its drafters, saying why.
    pub async fn return_bulletin(&self, by: Caller<'_>, a: &Agency, id: i64, note: &str) -> Result<()> {
        let b = self.bulletin_in(a, id).await?;
        Self::require_approver(by, a, &b)?;
        let note = text(note, "note", "退回理由", 500, true)?;
        let from = status_of(&b)?;
        let to = from.apply(BulletinStep::Return).map_err(|e| AppError::invalid("status", e))?;
        let mut tx = self.db.begin().await?;
        store::set_status(&mut tx, b.id, from.as_str(), to.as_str(), None, &note, &actor_label(&by.actor()))
            .await
            .map_err(conflict)?;
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinReturn, b.id, json!({"note": note})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves a submitted 通报: it takes the next 文号 of the agency's 通报 sequence for this year, is dated
    /// today, and every failing finding becomes a 整改 item due 10 working days later. Returns the 文号.
    pub async fn approve_bulletin(&self, by: Caller<'_>, a: &Agency, id: i64) -> Result<String> {
        let b = self.bulletin_in(a, id).await?;
        Self::require_approver(by, a, &b)?;
        status_of(&b)?.apply(BulletinStep::Approve).map_err(|e| AppError::invalid("status", e))?;
        let today = self.today();
        let due = self.calendar().await?.add_working_days(today, RECTIFY_WORKING_DAYS).date;
        let template = DocNoTemplate::parse(BULLETIN_DOC_NO).map_err(|e| AppError::Internal(e.0))?;
        let who = actor_label(&by.actor());
        let mut tx = self.db.begin().await?;
        let seq = store::next_number(&mut tx, a.id, today.year()).await?;
        let doc_no = template.format(&a.name, today.year(), seq);
        store::mark_approved(&mut tx, b.id, &doc_no, today.year(), seq, today, &who).await.map_err(conflict)?;
        let findings = findings_of(&b);
        for f in &findings {
            let r = NewRectification {
                bulletin_id: b.id,
                agency_id: f.agency_id,
                indicator: &f.indicator,
                kind: &f.kind,
                message: &f.message,
                due_on: due,
                by: &who,
            };
            store::create_rectification(&mut tx, &r).await?;
        }
        let details = json!({"doc_no": doc_no, "issued_on": today.to_string(), "rectifications": findings.len(),
            "due_on": due.to_string()});
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinApprove, b.id, details).await?;
        tx.commit().await?;
        Ok(doc_no)
    }

    /// Publishes an approved 通报 as a catalog item of the agency's column `column_slug` (the portal and search
    /// see it like any published item). Returns the entry's id.
    pub async fn publish_bulletin(&self, by: Caller<'_>, a: &Agency, id: i64, column_slug: &str) -> Result<i64> {
        by.require(a.id, ISSUERS)?;
        let b = self.bulletin_in(a, id).await?;
        status_of(&b)?.apply(BulletinStep::Publish).map_err(|e| AppError::invalid("status", e))?;
        let column = catalog::column_by_slug(&self.db, a.id, column_slug.trim())
            .await?
            .ok_or_else(|| AppError::Invalid { field: Some("column"), message: "请选择发布栏目".into() })?;
        let doc_no = b.doc_no.clone().unwrap_or_default();
        let issued = b.issued_on.unwrap_or(b.check_date);
        let mut html = format!("<p>{}</p>", escape(&doc_no));
        for para in b.body.lines().filter(|l| !l.trim().is_empty()) {
            html.push_str(&format!("<p>{}</p>", escape(para.trim())));
        }
        html.push_str(&format!(
            "<p>{}</p><p>{}</p>",
            escape(&a.name),
            gongkai_domain::calendar::format_date_zh(issued)
        ));
        let fields = EntryFields {
            column_id: column.id,
            title: b.title.clone(),
            doc_no: doc_no.clone(),
            publisher: a.name.clone(),
            joint_publishers: String::new(),
            doc_class: DocClass::Ordinary,
            validity: None,
            written_on: Some(issued),
            effective_on: None,
            expires_on: None,
            formed_on: Some(issued),
            topic: String::new(),
            genre: "通报".into(),
            keywords: "政府网站,检查,通报".into(),
            summary: b.title.clone(),
            disclosure: "主动公开".into(),
            body_html: html,
        };
        let user_id = match by {
            Caller::Staff(p) => Some(p.user.id),
            Caller::System(_) => None,
        };
        let mut tx = self.db.begin().await?;
        let e = catalog::create(&mut tx, a.id, &fields, user_id).await?;
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.map_err(conflict)?;
        let now = gongkai_store::now();
        let index_no = self.next_index_no(&mut tx, a, crate::catalog::beijing_date(now)).await?;
        catalog::mark_published(&mut tx, e.id, Some(&index_no), now).await.map_err(conflict)?;
        gongkai_store::search_feed::record(&mut tx, e.id).await?;
        store::mark_published(&mut tx, b.id, e.id, &actor_label(&by.actor())).await.map_err(conflict)?;
        let details = json!({"entry_id": e.id, "index_no": index_no, "column": column.slug, "doc_no": doc_no});
        self.audit_bulletin(&mut tx, by, a, AuditAction::BulletinPublish, b.id, details).await?;
        tx.commit().await?;
        Ok(e.id)
    }

    /// The 通报 as DOCX or PDF: with its 文号 once approved, else marked as a draft.
    pub async fn bulletin_file(&self, by: Caller<'_>, a: &Agency, id: i64, format: LetterFormat) -> Result<LetterFile> {
        let b = self.bulletin(by, a, id).await?;
        let letter = gongkai_report::letters::Letter {
            title: b.title.clone(),
            doc_no: b.doc_no.clone().unwrap_or_else(|| "（文号在审核通过时编排）".into()),
            body: b.body.clone(),
            agency_name: a.name.clone(),
            dated: b.issued_on.map(gongkai_domain::calendar::format_date_zh).unwrap_or_default(),
        };
        Self::render_letter(&letter, &format!("bulletin-{}-{}", a.code, b.id), format)
    }

    /// The 整改 items the agency must rectify (any staff of it, or a supervisor above it).
    pub async fn rectifications_of(&self, by: Caller<'_>, a: &Agency) -> Result<Vec<Rectification>> {
        by.require(a.id, &Role::ALL)?;
        Ok(store::rectifications_of_agency(&self.db, a.id).await?)
    }

    /// The 整改 items of every 通报 the agency issued (its issuers and reviewers).
    pub async fn rectifications_issued(&self, by: Caller<'_>, a: &Agency) -> Result<Vec<Rectification>> {
        by.require(a.id, &[Role::Supervisor, Role::Admin, Role::Reviewer])?;
        Ok(store::rectifications_issued_by(&self.db, a.id).await?)
    }

    /// The names of agencies by id, for lists of 整改 items.
    pub async fn agency_names(&self) -> Result<std::collections::BTreeMap<i64, String>> {
        Ok(agencies::list_all(&self.db).await?.into_iter().map(|a| (a.id, a.name)).collect())
    }

    async fn rectification_in(&self, id: i64) -> Result<Rectification> {
        store::rectification(&self.db, id).await?.ok_or(AppError::NotFound("整改事项"))
    }

    /// The failing agency `a` reports what it did for its item `id`, with evidence (a link or a description).
    pub async fn report_rectification(
        &self,
        by: Caller<'_>,
        a: &Agency,
        id: i64,
        report: &str,
        evidence: &str,
    ) -> Result<()> {
        by.require(a.id, RECTIFIERS)?;
        let r = self.rectification_in(id).await?;
        if r.agency_id != a.id {
            return Err(AppError::NotFound("整改事项"));
        }
        let status = RectStatus::parse(&r.status).map_err(|e| AppError::Internal(e.0))?;
        status.apply(RectStep::Report).map_err(|e| AppError::invalid("status", e))?;
        let report = text(report, "report", "整改情况", 2000, true)?;
        let evidence = text(evidence, "evidence", "整改佐证", 2000, true)?;
        let today = self.today();
        let mut tx = self.db.begin().await?;
        store::report_rectification(&mut tx, r.id, &report, &evidence, today, &actor_label(&by.actor()))
            .await
            .map_err(conflict)?;
        let e = NewAuditEvent {
            actor: &by.actor(),
            agency_id: Some(a.id),
            action: AuditAction::RectifyReport,
            object_type: "monitor_rectification",
            object_id: r.id.to_string(),
            details: json!({"bulletin_id": r.bulletin_id, "indicator": r.indicator, "report": report}),
        };
        audit::record(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The issuing agency `issuer` reviews a reported item: passed, or not passed with a note and a new due date
    /// (empty: 10 working days from today), which returns it to 待整改.
    pub async fn review_rectification(
        &self,
        by: Caller<'_>,
        issuer: &Agency,
        id: i64,
        passed: bool,
        note: &str,
        new_due: &str,
    ) -> Result<()> {
        by.require(issuer.id, ISSUERS)?;
        let r = self.rectification_in(id).await?;
        if r.issuer_id != issuer.id {
            return Err(AppError::NotFound("整改事项"));
        }
        let status = RectStatus::parse(&r.status).map_err(|e| AppError::Internal(e.0))?;
        let step = if passed { RectStep::Pass } else { RectStep::Fail };
        status.apply(step).map_err(|e| AppError::invalid("status", e))?;
        let note = text(note, "note", "复核意见", 1000, !passed)?;
        let today = self.today();
        let due = if passed {
            None
        } else if new_due.trim().is_empty() {
            Some(self.calendar().await?.add_working_days(today, RECTIFY_WORKING_DAYS).date)
        } else {
            let ymd = time::macros::format_description!("[year]-[month]-[day]");
            let d = Date::parse(new_due.trim(), &ymd).map_err(|_| AppError::Invalid {
                field: Some("due_on"),
                message: "新的整改期限应为日期，如2026-12-31".into(),
            })?;
            if d <= today {
                return Err(AppError::Invalid {
                    field: Some("due_on"), message: "新的整改期限须晚于今天".into()
                });
            }
            Some(d)
        };
        let mut tx = self.db.begin().await?;
        store::review_rectification(&mut tx, r.id, passed, &note, due, &actor_label(&by.actor()))
            .await
            .map_err(conflict)?;
        let e = NewAuditEvent {
            actor: &by.actor(),
            agency_id: Some(issuer.id),
            action: AuditAction::RectifyReview,
            object_type: "monitor_rectification",
            object_id: r.id.to_string(),
            details: json!({"passed": passed, "note": note, "agency_id": r.agency_id,
                "due_on": due.map(|d| d.to_string())}),
        };
        audit::record(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The 整改 items of one of the agency's 通报 (its issuers and reviewers).
pub async fn rectifications_of_bulletin(
    app: &App,
    by: Caller<'_>,
    a: &Agency,
    bulletin_id: i64,
) -> Result<Vec<Rectification>> {
    let b = app.bulletin(by, a, bulletin_id).await?;
    Ok(store::rectifications_of_bulletin(&app.db, b.id).await?)
}
