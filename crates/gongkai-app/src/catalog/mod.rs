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
use gongkai_store::{Actor, NewAuditEvent, StoreError, Tx, audit, search_feed};
use serde_json::json;
use time::{Date, OffsetDateTime, UtcOffset};

mod attachments;
mod public;
mod search;
mod workflow;

/// Job kind of earlier versions: bring the search index in line with one entry. Changes now go through the
/// change feed (`search_changes`); a job of this kind still queued from before an upgrade records a feed row.
pub const INDEX_ENTRY: &str = "catalog.index";
/// Job kind of earlier versions: rebuild the whole search index; now a feed row asking every node to rebuild.
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

    pub(super) async fn parse_entry(&self, agency: &Agency, f: &EntryForm) -> Result<EntryFields> {
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
