//! Proactive disclosure (主动公开): catalog entries and their editorial workflow, portal reads and search.
//!
//! 先审后发: an editor drafts and submits, a reviewer records the 保密审查 and publishes; the 索引号 is assigned
//! at the first publication. Publishing and unpublishing queue a search-index job in the same transaction, so
//! the index follows exactly what was committed.

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::{DEFAULT_COLUMNS, DocClass, EntryAction, EntryStatus, Validity, org_code_for};
use gongkai_domain::ids::AgencyIdentifier;
use gongkai_search::{SearchDoc, SearchQuery, SearchResults};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::catalog::{self, Column, Entry, EntryFields};
use gongkai_store::{Actor, NewAuditEvent, StoreError, Tx, audit, jobs};
use serde_json::json;
use time::{Date, OffsetDateTime, UtcOffset};

/// Job kind: bring the search index in line with one entry (index it if published, drop it otherwise).
pub const INDEX_ENTRY: &str = "catalog.index";
/// Job kind: rebuild the whole search index (after bulk loads such as the demo data).
pub const REINDEX: &str = "catalog.reindex";
/// Why the catalog refuses to change the entry of a published annual report.
pub fn frozen_report_message(year: i32) -> String {
    format!(
        "该条目是已发布的{year}年政府信息公开工作年度报告，发布后即冻结，不能修改、撤销发布、添加附件或关联政策。\
         如有错误，请另行发布更正说明。"
    )
}

/// Job: re-index documents whose validity changed because a date passed (queued daily by the server).
pub const REVALIDATE: &str = "catalog.revalidate";

/// Beijing time (UTC+8, no daylight saving).
pub const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The day of `t` in Beijing.
pub fn beijing_date(t: OffsetDateTime) -> Date {
    t.to_offset(BEIJING).date()
}

/// An entry as typed in the console form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EntryForm {
    /// Column slug.
    pub column: String,
    pub title: String,
    pub doc_no: String,
    pub publisher: String,
    pub joint_publishers: String,
    pub doc_class: String,
    pub validity: String,
    pub written_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub formed_on: String,
    pub topic: String,
    pub genre: String,
    pub keywords: String,
    pub summary: String,
    pub disclosure: String,
    /// 正文 as rich text (HTML); sanitised before it is stored.
    pub body: String,
}

impl EntryForm {
    /// The form filled from a stored entry (for editing).
    pub fn from_entry(e: &Entry, column_slug: &str) -> Self {
        let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let f = &e.fields;
        EntryForm {
            column: column_slug.to_owned(),
            title: f.title.clone(),
            doc_no: f.doc_no.clone(),
            publisher: f.publisher.clone(),
            joint_publishers: f.joint_publishers.clone(),
            doc_class: f.doc_class.as_str().into(),
            validity: f.validity.map(|v| v.as_str().to_owned()).unwrap_or_default(),
            written_on: d(f.written_on),
            effective_on: d(f.effective_on),
            expires_on: d(f.expires_on),
            formed_on: d(f.formed_on),
            topic: f.topic.clone(),
            genre: f.genre.clone(),
            keywords: f.keywords.clone(),
            summary: f.summary.clone(),
            disclosure: f.disclosure.clone(),
            body: f.body_html.clone(),
        }
    }
}

/// Sanitises rich text with ammonia's defaults: no scripts, no event handlers, no `javascript:` URLs. The only
/// classes kept are those of a published annual report (`render::html_article`), which the portal styles.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .add_allowed_classes("article", &["annual-report"])
        .add_allowed_classes("table", &["report-table"])
        .add_allowed_classes("td", &["label"])
        .clean(html)
        .to_string()
}

/// The `href`s of (sanitised) HTML that point into the platform (`/…`, not `//host/…`).
pub fn internal_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

/// The text of (sanitised) HTML, for search and summaries.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line(s: &str, field: &'static str, what: &str, max: usize, required: bool) -> Result<String> {
    let s: String = s.trim().chars().filter(|c| !c.is_control()).collect();
    if required && s.is_empty() {
        return Err(AppError::Invalid { field: Some(field), message: format!("请填写{what}") });
    }
    if s.chars().count() > max {
        return Err(AppError::Invalid { field: Some(field), message: format!("{what}不能超过{max}个字") });
    }
    Ok(s)
}

fn date(s: &str, field: &'static str, what: &str) -> Result<Option<Date>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt)
        .map(Some)
        .map_err(|_| AppError::Invalid {
            field: Some(field), message: format!("{what}应为“2023-01-05”格式的日期")
        })
}

fn audit_event<'a>(
    actor: &'a Actor,
    agency_id: i64,
    action: AuditAction,
    e: &Entry,
    details: serde_json::Value,
) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor,
        agency_id: Some(agency_id),
        action,
        object_type: "catalog_entry",
        object_id: e.id.to_string(),
        details,
    }
}

fn conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(format!("操作未完成：{m}，请刷新后重试")),
        e => e.into(),
    }
}

impl App {
    /// Creates the default columns the agency lacks (idempotent).
    pub async fn ensure_columns(&self, agency: &Agency) -> Result<usize> {
        let mut tx = self.db.begin().await?;
        let n = catalog::seed_columns(&mut tx, agency.id, DEFAULT_COLUMNS).await?;
        tx.commit().await?;
        Ok(n)
    }

    pub async fn columns(&self, agency: &Agency) -> Result<Vec<Column>> {
        Ok(catalog::columns(&self.db, agency.id).await?)
    }

    pub async fn column(&self, agency: &Agency, slug: &str) -> Result<Column> {
        catalog::column_by_slug(&self.db, agency.id, slug).await?.ok_or(AppError::NotFound("栏目"))
    }

    async fn parse_entry(&self, agency: &Agency, f: &EntryForm) -> Result<EntryFields> {
        let column = catalog::column_by_slug(&self.db, agency.id, f.column.trim())
            .await?
            .ok_or(AppError::Invalid { field: Some("column"), message: "请选择栏目".into() })?;
        let doc_class = if f.doc_class.trim().is_empty() {
            DocClass::Ordinary
        } else {
            DocClass::parse(f.doc_class.trim()).map_err(|e| AppError::invalid("doc_class", e))?
        };
        let validity = match (doc_class.has_validity(), f.validity.trim()) {
            (false, _) => None,
            (true, "") => Some(Validity::InForce),
            (true, v) => Some(Validity::parse(v).map_err(|e| AppError::invalid("validity", e))?),
        };
        let publisher = match line(&f.publisher, "publisher", "发布机构", 100, false)? {
            p if p.is_empty() => agency.name.clone(),
            p => p,
        };
        let body_html = sanitize_html(&f.body);
        if body_html.len() > 2_000_000 {
            return Err(AppError::Invalid { field: Some("body"), message: "正文过长".into() });
        }
        Ok(EntryFields {
            column_id: column.id,
            title: line(&f.title, "title", "标题", 200, true)?,
            doc_no: line(&f.doc_no, "doc_no", "文号", 60, false)?,
            publisher,
            joint_publishers: line(&f.joint_publishers, "joint_publishers", "联合发文机构", 300, false)?,
            doc_class,
            validity,
            written_on: date(&f.written_on, "written_on", "成文日期")?,
            effective_on: date(&f.effective_on, "effective_on", "实施日期")?,
            expires_on: date(&f.expires_on, "expires_on", "废止/失效日期")?,
            formed_on: date(&f.formed_on, "formed_on", "形成/变更日期")?,
            topic: line(&f.topic, "topic", "主题分类", 60, false)?,
            genre: line(&f.genre, "genre", "体裁分类", 20, false)?,
            keywords: line(&f.keywords, "keywords", "关键词", 100, false)?,
            summary: line(&f.summary, "summary", "内容概述", 500, false)?,
            disclosure: match line(&f.disclosure, "disclosure", "公开属性", 60, false)? {
                d if d.is_empty() => "主动公开".into(),
                d => d,
            },
            body_html,
        })
    }

    async fn entry_in(&self, agency: &Agency, id: i64) -> Result<Entry> {
        catalog::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("条目"))
    }

    /// The year of the annual report published as this entry, if it is one. Such an entry is frozen: the catalog
    /// workflow refuses to edit it, unpublish it, attach files or link it, so the portal copy stays the report
    /// as approved by the 主管部门.
    pub async fn report_of_entry(&self, e: &Entry) -> Result<Option<i32>> {
        Ok(gongkai_store::reports::by_entry(&self.db, e.id).await?.map(|r| r.year))
    }

    async fn refuse_report_entry(&self, e: &Entry) -> Result<()> {
        match self.report_of_entry(e).await? {
            Some(year) => Err(AppError::Invalid { field: None, message: frozen_report_message(year) }),
            None => Ok(()),
        }
    }

    /// An entry of the agency in any status, for staff of the agency.
    pub async fn entry_for_staff(&self, by: &Principal, agency: &Agency, id: i64) -> Result<Entry> {
        by.require(agency.id, &[Role::Editor, Role::Reviewer, Role::Admin, Role::Supervisor])?;
        self.entry_in(agency, id).await
    }

    /// The agency's entries in every status, for the console.
    pub async fn entries_for_staff(&self, by: &Principal, agency: &Agency, page: i64) -> Result<Vec<Entry>> {
        by.require(agency.id, &[Role::Editor, Role::Reviewer, Role::Admin, Role::Supervisor])?;
        Ok(catalog::for_console(&self.db, agency.id, 50, page.max(0) * 50).await?)
    }

    /// The form for a new entry, prefilled with the agency as publisher; editors only.
    pub fn new_entry_form(&self, by: &Principal, agency: &Agency) -> Result<EntryForm> {
        by.require(agency.id, &[Role::Editor, Role::Admin])?;
        Ok(EntryForm { publisher: agency.name.clone(), disclosure: "主动公开".into(), ..Default::default() })
    }

    /// An editor drafts an entry.
    pub async fn create_entry(&self, by: &Principal, agency: &Agency, form: &EntryForm) -> Result<Entry> {
        by.require(agency.id, &[Role::Editor, Role::Admin])?;
        let fields = self.parse_entry(agency, form).await?;
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let e = catalog::create(&mut tx, agency.id, &fields, Some(by.user.id)).await?;
        audit::record(
            &mut tx,
            &audit_event(&actor, agency.id, AuditAction::CatalogCreate, &e, json!({"title": e.fields.title})),
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// An editor changes a draft (or an unpublished entry, which becomes a draft again).
    pub async fn update_entry(&self, by: &Principal, agency: &Agency, id: i64, form: &EntryForm) -> Result<Entry> {
        by.require(agency.id, &[Role::Editor, Role::Admin])?;
        let e = self.entry_in(agency, id).await?;
        self.refuse_report_entry(&e).await?;
        let to = e.status.apply(EntryAction::Edit).map_err(|e| AppError::invalid("status", e))?;
        let fields = self.parse_entry(agency, form).await?;
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        catalog::update(&mut tx, &e, &fields, to).await.map_err(conflict)?;
        audit::record(
            &mut tx,
            &audit_event(&actor, agency.id, AuditAction::CatalogUpdate, &e, json!({"title": fields.title})),
        )
        .await?;
        tx.commit().await?;
        self.entry_in(agency, id).await
    }

    async fn transition(
        &self,
        by: &Principal,
        agency: &Agency,
        id: i64,
        action: EntryAction,
        audit_action: AuditAction,
        details: serde_json::Value,
    ) -> Result<(Entry, Tx)> {
        // Editors write and submit; reviewers return, approve, publish and unpublish (先审后发).
        let roles: &[Role] = match action {
            EntryAction::Edit | EntryAction::Submit => &[Role::Editor, Role::Admin],
            _ => &[Role::Reviewer, Role::Admin],
        };
        by.require(agency.id, roles)?;
        let e = self.entry_in(agency, id).await?;
        self.refuse_report_entry(&e).await?;
        let to = e.status.apply(action).map_err(|e| AppError::invalid("status", e))?;
        let mut tx = self.db.begin().await?;
        if !matches!(action, EntryAction::Approve | EntryAction::Publish | EntryAction::Unpublish) {
            catalog::set_status(&mut tx, e.id, e.status, to).await.map_err(conflict)?;
        }
        audit::record(&mut tx, &audit_event(&by.actor(), agency.id, audit_action, &e, details)).await?;
        Ok((e, tx))
    }

    /// The editor hands a draft over for review.
    pub async fn submit_entry(&self, by: &Principal, agency: &Agency, id: i64) -> Result<()> {
        let (_, tx) =
            self.transition(by, agency, id, EntryAction::Submit, AuditAction::CatalogSubmit, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reviewer sends an entry back to the editor, saying why.
    pub async fn return_entry(&self, by: &Principal, agency: &Agency, id: i64, note: &str) -> Result<()> {
        let note = line(note, "note", "退回理由", 500, true)?;
        let (_, tx) = self
            .transition(by, agency, id, EntryAction::Return, AuditAction::CatalogReturn, json!({"note": note}))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The pre-publication findings for an entry (empty when it may be published).
    pub async fn lint_entry(&self, e: &Entry) -> Result<Vec<gongkai_domain::catalog::Finding>> {
        let mut dead = Vec::new();
        for href in internal_links(&e.fields.body_html) {
            if !self.link_resolves(&href).await? {
                dead.push(href);
            }
        }
        let f = &e.fields;
        Ok(gongkai_domain::catalog::lint(
            &self.config.lint,
            &f.title,
            &html_to_text(&f.body_html),
            f.written_on,
            f.doc_class,
            &dead,
        ))
    }

    /// Whether a platform path exists: an agency home, a column, or a published item (others are not checked).
    async fn link_resolves(&self, href: &str) -> Result<bool> {
        let path = href.split(['?', '#']).next().unwrap_or("");
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let Some(agency) = agencies::by_code(&self.db, parts[0]).await? else {
            return Ok(matches!(parts[0], "" | "search" | "library" | "sitemap.xml" | "static"));
        };
        Ok(match parts.as_slice() {
            [_] => true,
            [_, col] => catalog::column_by_slug(&self.db, agency.id, col).await?.is_some(),
            [_, col, id] => match (catalog::column_by_slug(&self.db, agency.id, col).await?, id.parse::<i64>()) {
                (Some(c), Ok(id)) => self.published_entry(&agency, &c, id).await.is_ok(),
                _ => false,
            },
            _ => true,
        })
    }

    async fn require_clean(&self, by: &Principal, agency: &Agency, id: i64) -> Result<()> {
        by.require(agency.id, &[Role::Reviewer, Role::Admin])?;
        let e = self.entry_in(agency, id).await?;
        let findings = self.lint_entry(&e).await?;
        if findings.is_empty() {
            return Ok(());
        }
        let list = findings.iter().map(|f| f.to_zh()).collect::<Vec<_>>().join("；");
        Err(AppError::Invalid {
            field: None, message: format!("发布前检查未通过：{list}。请退回修改。")
        })
    }

    /// The reviewer approves one level: the 保密审查 is recorded with the reviewer, the time and the note. With
    /// several levels configured the entry stays 待审核 until the last one, and no reviewer approves two levels
    /// in a row.
    pub async fn approve_entry(&self, by: &Principal, agency: &Agency, id: i64, note: &str) -> Result<()> {
        self.require_clean(by, agency, id).await?;
        let note = match line(note, "note", "保密审查意见", 500, false)? {
            n if n.is_empty() => "经保密审查，不涉及国家秘密、工作秘密和个人隐私，同意公开".to_owned(),
            n => n,
        };
        let levels = i64::from(self.config.review_levels.max(1));
        let current = self.entry_in(agency, id).await?;
        if current.approvals > 0 && current.reviewer_id == Some(by.user.id) {
            return Err(AppError::Invalid {
                field: None,
                message: format!("已完成第{}级审核，下一级须由其他审核人进行", current.approvals),
            });
        }
        let (e, mut tx) = self
            .transition(
                by,
                agency,
                id,
                EntryAction::Approve,
                AuditAction::CatalogReview,
                json!({"note": note, "level": current.approvals + 1, "levels": levels}),
            )
            .await?;
        catalog::record_approval(&mut tx, e.id, by.user.id, &note, levels).await.map_err(conflict)?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a reviewed entry now; it gets its 索引号 unless it had one already.
    pub async fn publish_entry(&self, by: &Principal, agency: &Agency, id: i64) -> Result<Entry> {
        self.require_clean(by, agency, id).await?;
        let (e, mut tx) =
            self.transition(by, agency, id, EntryAction::Publish, AuditAction::CatalogPublish, json!({})).await?;
        let now = gongkai_store::now();
        let index_no = match &e.index_no {
            Some(_) => None,
            None => Some(self.next_index_no(&mut tx, agency, beijing_date(now)).await?),
        };
        catalog::mark_published(&mut tx, e.id, index_no.as_deref(), now).await.map_err(conflict)?;
        jobs::enqueue(&mut tx, INDEX_ENTRY, &json!({"entry_id": e.id}), None).await?;
        tx.commit().await?;
        self.entry_in(agency, id).await
    }

    /// Takes a published entry off the portal (and out of search), with the reason recorded.
    pub async fn unpublish_entry(&self, by: &Principal, agency: &Agency, id: i64, reason: &str) -> Result<()> {
        let reason = line(reason, "reason", "撤销理由", 500, true)?;
        let (e, mut tx) = self
            .transition(
                by,
                agency,
                id,
                EntryAction::Unpublish,
                AuditAction::CatalogUnpublish,
                json!({"reason": reason}),
            )
            .await?;
        catalog::mark_unpublished(&mut tx, e.id, &reason).await.map_err(conflict)?;
        jobs::enqueue(&mut tx, INDEX_ENTRY, &json!({"entry_id": e.id}), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a change of validity of a published 规章 or 规范性文件 (amended, partly invalid, repealed, or back
    /// in force), with the act that caused it when there is one. `by_act` is that act's number on the platform
    /// or its portal address. The change shows on the original's page, with a link to the act.
    pub async fn change_validity(
        &self,
        by: &Principal,
        agency: &Agency,
        id: i64,
        validity: &str,
        by_act: &str,
    ) -> Result<()> {
        by.require(agency.id, &[Role::Reviewer, Role::Admin])?;
        let e = self.entry_in(agency, id).await?;
        if !e.fields.doc_class.has_validity() || e.status != EntryStatus::Published {
            return Err(AppError::Invalid {
                field: Some("validity"),
                message: "只有已发布的规章、规范性文件才有有效性".into(),
            });
        }
        let validity = Validity::parse(validity.trim()).map_err(|e| AppError::invalid("validity", e))?;
        let act = match by_act.trim().trim_end_matches('/').rsplit('/').next().unwrap_or("") {
            "" => None,
            n => {
                let act_id: i64 = n.parse().map_err(|_| AppError::Invalid {
                    field: Some("by_act"),
                    message: "请填写依据文件的信息编号或网址".into(),
                })?;
                match self.published_link(act_id).await? {
                    Some((a, ..)) if a.id != e.id => Some(a.id),
                    _ => {
                        return Err(AppError::Invalid {
                            field: Some("by_act"),
                            message: format!("信息编号 {act_id} 不是已发布的其他文件"),
                        });
                    }
                }
            }
        };
        if matches!(validity, Validity::Repealed | Validity::Amended) && act.is_none() {
            return Err(AppError::Invalid {
                field: Some("by_act"),
                message: "废止或修改须注明依据文件，以便在原文件页面链接".into(),
            });
        }
        let mut tx = self.db.begin().await?;
        catalog::set_validity(&mut tx, e.id, validity, act).await?;
        jobs::enqueue(&mut tx, INDEX_ENTRY, &json!({"entry_id": e.id}), None).await?;
        audit::record(
            &mut tx,
            &audit_event(
                &by.actor(),
                agency.id,
                AuditAction::CatalogValidity,
                &e,
                json!({"validity": validity.as_str(), "by_act": act}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links an interpretation (政策解读) of this agency to the policy it interprets (`policy_ref`: the policy's
    /// number on the platform or its portal address; empty unlinks). Both pages then link to each other.
    pub async fn link_interpretation(&self, by: &Principal, agency: &Agency, id: i64, policy_ref: &str) -> Result<()> {
        by.require(agency.id, &[Role::Editor, Role::Reviewer, Role::Admin])?;
        let e = self.entry_in(agency, id).await?;
        self.refuse_report_entry(&e).await?;
        let policy = match policy_ref.trim().trim_end_matches('/').rsplit('/').next().unwrap_or("") {
            "" => None,
            n => {
                let pid: i64 = n.parse().map_err(|_| AppError::Invalid {
                    field: Some("policy"),
                    message: "请填写所解读政策的信息编号或网址".into(),
                })?;
                match self.published_link(pid).await? {
                    Some((p, ..)) if p.id != e.id => Some(p.id),
                    _ => {
                        return Err(AppError::Invalid {
                            field: Some("policy"),
                            message: format!("信息编号 {pid} 不是已发布的其他文件"),
                        });
                    }
                }
            }
        };
        let mut tx = self.db.begin().await?;
        catalog::set_interprets(&mut tx, e.id, policy).await?;
        audit::record(
            &mut tx,
            &audit_event(&by.actor(), agency.id, AuditAction::CatalogInterprets, &e, json!({"policy": policy})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Published interpretations of a policy, with their portal addresses.
    pub async fn interpretations_of(&self, policy: &Entry) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for i in catalog::interpretations_of(&self.db, policy.id).await? {
            if let Some((e, a, c)) = self.published_link(i.id).await? {
                out.push((format!("/{a}/{c}/{}", e.id), e.fields.title));
            }
        }
        Ok(out)
    }

    /// The agency's published policies still lacking an interpretation (同步解读), for the console.
    pub async fn policies_lacking_interpretation(&self, by: &Principal, agency: &Agency) -> Result<Vec<Entry>> {
        by.require(agency.id, &[Role::Editor, Role::Reviewer, Role::Admin, Role::Supervisor])?;
        Ok(catalog::policies_lacking_interpretation(&self.db, agency.id).await?)
    }

    pub(crate) async fn next_index_no(&self, tx: &mut Tx, agency: &Agency, on: Date) -> Result<String> {
        let seq = catalog::next_seq(tx, agency.id, on.year()).await?;
        let identifier = agency.identifier.as_deref().and_then(|s| AgencyIdentifier::parse(s).ok());
        let org = org_code_for(identifier.as_ref(), agency.code.as_str());
        Ok(self.config.index_template.render(&org, on, u32::try_from(seq).unwrap_or(u32::MAX)))
    }

    /// An editor attaches a file to an editable entry; the type is sniffed from the bytes (see
    /// [`gongkai_domain::catalog::sniff_attachment`]).
    pub async fn add_attachment(
        &self,
        by: &Principal,
        agency: &Agency,
        id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<catalog::Attachment> {
        by.require(agency.id, &[Role::Editor, Role::Admin])?;
        let e = self.entry_in(agency, id).await?;
        self.refuse_report_entry(&e).await?;
        e.status.apply(EntryAction::Edit).map_err(|e| AppError::invalid("file", e))?;
        let name = gongkai_domain::catalog::clean_file_name(file_name).map_err(|e| AppError::invalid("file", e))?;
        let content_type =
            gongkai_domain::catalog::sniff_attachment(&name, bytes).map_err(|e| AppError::invalid("file", e))?;
        let store = self.files.as_ref().ok_or(AppError::Internal("no file store configured".into()))?;
        let key = store.put(bytes).await?;
        let mut tx = self.db.begin().await?;
        let a = catalog::add_attachment(&mut tx, e.id, &name, content_type, bytes.len() as i64, &key).await?;
        audit::record(
            &mut tx,
            &audit_event(&by.actor(), agency.id, AuditAction::CatalogAttach, &e, json!({"file": name, "sha256": key})),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// The attachments of an entry (callers have checked that the entry may be seen).
    pub async fn attachments(&self, e: &Entry) -> Result<Vec<catalog::Attachment>> {
        Ok(catalog::attachments(&self.db, e.id).await?)
    }

    /// An attachment of a published entry and its bytes, for download.
    pub async fn published_attachment(
        &self,
        agency: &Agency,
        column: &Column,
        id: i64,
        attachment_id: i64,
    ) -> Result<(catalog::Attachment, Vec<u8>)> {
        let e = self.published_entry(agency, column, id).await?;
        let a = catalog::attachments(&self.db, e.id)
            .await?
            .into_iter()
            .find(|a| a.id == attachment_id)
            .ok_or(AppError::NotFound("附件"))?;
        let store = self.files.as_ref().ok_or(AppError::NotFound("附件"))?;
        let bytes = store.get(&a.sha256).await?;
        Ok((a, bytes))
    }

    // ---- portal ----

    /// A published entry of the agency, looked up through its column (anything else is 404).
    pub async fn published_entry(&self, agency: &Agency, column: &Column, id: i64) -> Result<Entry> {
        match catalog::by_id(&self.db, agency.id, id).await? {
            Some(e) if e.status == EntryStatus::Published && e.fields.column_id == column.id => Ok(e),
            _ => Err(AppError::NotFound("信息")),
        }
    }

    /// A page of a column's published entries (newest first) and the total.
    pub async fn column_page(
        &self,
        agency: &Agency,
        column: &Column,
        page: i64,
        per: i64,
    ) -> Result<(Vec<Entry>, i64)> {
        let per = per.clamp(1, 100);
        // The page number comes from the URL: a huge one must not overflow the offset.
        let offset = (page.max(1) - 1).saturating_mul(per);
        Ok(catalog::published_in_column(&self.db, agency.id, column.id, per, offset).await?)
    }

    /// The newest `per` entries of each column.
    pub async fn latest_per_column(&self, agency: &Agency, per: i64) -> Result<Vec<Entry>> {
        Ok(catalog::latest_per_column(&self.db, agency.id, per).await?)
    }

    /// A published entry of any agency with its agency code and column slug, for links between documents
    /// (the act that repealed or amended another may come from a different agency).
    pub async fn published_link(&self, id: i64) -> Result<Option<(Entry, String, String)>> {
        let Some(e) = catalog::by_id_any_agency(&self.db, id).await? else { return Ok(None) };
        if e.status != EntryStatus::Published {
            return Ok(None);
        }
        let Some(a) = agencies::by_id(&self.db, e.agency_id).await? else { return Ok(None) };
        let Some(c) = catalog::column_by_id(&self.db, a.id, e.fields.column_id).await? else { return Ok(None) };
        Ok(Some((e, a.code.to_string(), c.slug)))
    }

    /// The library of published 规章 and 规范性文件 with their validity today, filtered by agency code, year
    /// written, validity and 文号 text.
    pub async fn normative_library(&self, filter: &LibraryFilter) -> Result<Vec<LibraryItem>> {
        let agency = match filter.agency.trim() {
            "" => None,
            code => Some(agencies::by_code(&self.db, code).await?.ok_or(AppError::NotFound("机构"))?),
        };
        let validity = match filter.validity.trim() {
            "" => None,
            v => Some(Validity::parse(v).map_err(|e| AppError::invalid("validity", e))?),
        };
        let today = self.today();
        let entries =
            catalog::published_normative(&self.db, agency.as_ref().map(|a| a.id), filter.year, filter.doc_no.trim())
                .await?;
        let all = agencies::list_all(&self.db).await?;
        // Each agency's columns are read once, not once per item (the library may hold 2 000 items).
        let mut columns: std::collections::HashMap<i64, Vec<Column>> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for e in entries {
            let f = &e.fields;
            let now = Validity::on(today, f.effective_on, f.expires_on, f.validity);
            if validity.is_some_and(|v| v != now) {
                continue;
            }
            let Some(a) = all.iter().find(|a| a.id == e.agency_id) else { continue };
            let agency_columns = match columns.entry(a.id) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(catalog::columns(&self.db, a.id).await?),
            };
            let Some(c) = agency_columns.iter().find(|c| c.id == f.column_id) else { continue };
            out.push(LibraryItem {
                href: format!("/{}/{}/{}", a.code, c.slug, e.id),
                agency_name: a.name.clone(),
                validity: now,
                entry: e,
            });
        }
        Ok(out)
    }

    /// Portal paths of published entries with their last change (sitemap; at most 50 000, the format's limit).
    pub async fn published_locations(&self) -> Result<Vec<(String, OffsetDateTime)>> {
        Ok(catalog::published_locations(&self.db, 50_000)
            .await?
            .into_iter()
            .map(|(a, c, id, at)| (format!("/{a}/{c}/{id}"), at))
            .collect())
    }

    // ---- search ----

    /// Searches published entries; `None` when the app runs without a search index.
    pub async fn search(&self, q: SearchQuery) -> Result<Option<SearchResults>> {
        let Some(index) = self.search.clone() else { return Ok(None) };
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map(Some)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    async fn search_doc(&self, e: &Entry) -> Result<Option<SearchDoc>> {
        let Some(a) = agencies::by_id(&self.db, e.agency_id).await? else { return Ok(None) };
        let Some(c) = catalog::column_by_id(&self.db, a.id, e.fields.column_id).await? else { return Ok(None) };
        let published = e.published_at.map(beijing_date);
        Ok(Some(SearchDoc {
            id: e.id as u64,
            agency_code: a.code.to_string(),
            agency_name: a.name,
            column_slug: c.slug,
            column_name: c.name,
            title: e.fields.title.clone(),
            body_text: html_to_text(&e.fields.body_html),
            doc_no: e.fields.doc_no.clone(),
            index_no: e.index_no.clone().unwrap_or_default(),
            genre: e.fields.genre.clone(),
            topic: e.fields.topic.split('\\').next().unwrap_or("").trim().to_owned(),
            validity: self.validity_label_today(e),
            year: published.map(|d| d.year() as u64).unwrap_or_default(),
            published: published.map(date_zh).unwrap_or_default(),
        }))
    }

    /// The 有效性 of an entry as of [`App::today`], as indexed and shown (empty for items without one).
    fn validity_label_today(&self, e: &Entry) -> String {
        e.fields
            .validity
            .map(|v| Validity::on(self.today(), e.fields.effective_on, e.fields.expires_on, Some(v)).label_zh())
            .unwrap_or_default()
            .to_owned()
    }

    /// The daily `catalog.revalidate` job: validity changes without anyone acting when a date passes (尚未生效 →
    /// 现行有效 on the 实施日期, 现行有效 → 已失效 after the 失效日期). Re-indexes every published document whose
    /// validity today differs from what the index holds, so that the 有效性 facet stays true; returns how many.
    pub async fn reindex_changed_validity(&self) -> Result<usize> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let mut changed = 0;
        for e in catalog::published_normative(&self.db, None, None, "").await? {
            let today = self.validity_label_today(&e);
            let idx = index.clone();
            let id = e.id as u64;
            let indexed = tokio::task::spawn_blocking(move || idx.indexed_validity(id))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if indexed.is_some_and(|v| v != today) {
                self.index_entry(e.id).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// The `catalog.index` job: index the entry when it is published, remove it from the index otherwise.
    pub async fn index_entry(&self, id: i64) -> Result<()> {
        let Some(index) = self.search.clone() else { return Ok(()) };
        let doc = match catalog::by_id_any_agency(&self.db, id).await? {
            Some(e) if e.status == EntryStatus::Published => self.search_doc(&e).await?,
            _ => None,
        };
        tokio::task::spawn_blocking(move || match doc {
            Some(d) => index.upsert(&d),
            None => index.remove(id as u64),
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Rebuilds the search index from the database (`gongkai reindex`); returns how many entries it holds.
    pub async fn reindex(&self) -> Result<usize> {
        let Some(index) = self.search.clone() else {
            return Err(AppError::Internal("未配置检索索引".into()));
        };
        let mut docs = Vec::new();
        for id in catalog::published_ids(&self.db).await? {
            if let Some(e) = catalog::by_id_any_agency(&self.db, id).await?
                && let Some(d) = self.search_doc(&e).await?
            {
                docs.push(d);
            }
        }
        tokio::task::spawn_blocking(move || index.rebuild(docs))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// How the entry stands against 条例 Art. 26 (20 working days from its 形成/变更日期), when that date is known.
pub fn timeliness(e: &Entry) -> Option<gongkai_domain::catalog::Timeliness> {
    static CALENDAR: std::sync::OnceLock<gongkai_domain::calendar::Calendar> = std::sync::OnceLock::new();
    let cal = CALENDAR.get_or_init(gongkai_domain::calendar::Calendar::seeded);
    let formed = e.fields.formed_on?;
    let published = match e.status {
        EntryStatus::Published | EntryStatus::Unpublished => e.published_at.map(beijing_date),
        _ => None,
    };
    Some(gongkai_domain::catalog::Timeliness::assess(cal, formed, published, beijing_date(gongkai_store::now())))
}

/// Filters of the normative-document library (all optional; empty strings mean "any").
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LibraryFilter {
    /// Agency code (发布机构).
    pub agency: String,
    /// Year written (成文日期).
    pub year: Option<i32>,
    /// Validity status (`in_force`, `repealed` …) as of today.
    pub validity: String,
    /// Part of the 文号.
    pub doc_no: String,
}

/// A document of the library, with its validity today and its portal address.
#[derive(Debug, Clone)]
pub struct LibraryItem {
    pub entry: Entry,
    pub validity: Validity,
    pub agency_name: String,
    pub href: String,
}

/// `2026年1月5日`
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_removes_scripts_and_handlers() {
        let out = sanitize_html(r#"<p onclick="x()">正文<script>alert(1)</script><img src=x onerror=alert(1)></p>"#);
        assert!(!out.contains("script") && !out.contains("onerror") && !out.contains("onclick"), "{out}");
        assert!(out.contains("<p>正文"));
    }

    #[test]
    fn text_of_html() {
        assert_eq!(html_to_text("<p>一&amp;二</p><p>三&lt;四&gt;</p>"), "一&二 三<四>");
    }

    #[test]
    fn dates() {
        assert_eq!(date_zh(time::macros::date!(2026 - 01 - 05)), "2026年1月5日");
        assert!(date("2023-13-01", "d", "日期").is_err());
        assert_eq!(date(" ", "d", "日期").unwrap(), None);
    }
}
