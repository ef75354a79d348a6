//! Website self-monitoring (网站自查): gathers an agency's facts from the platform's own data and runs the domain's
//! site check (docs/law/supervision.md §2; what is and is not checked: docs/ARCHITECTURE.md "Supervision").

use crate::catalog::{BEIJING, html_to_text, internal_links};
use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::{FixedColumn, LintRules, lint};
use gongkai_domain::monitor::{Check, ColumnFacts, LetterFacts, Probe, SiteFacts, Thresholds, UpdateClass, check};
use gongkai_store::agencies::Agency;
use gongkai_store::catalog::{self, Column};
use gongkai_store::{NewAuditEvent, audit, guide, mailbox, monitor};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration, PrimitiveDateTime, Time};

/// A column with the update class the check uses, and whether that is the default.
#[derive(Debug, Clone)]
pub struct ClassedColumn {
    pub column: Column,
    pub class: UpdateClass,
    pub is_default: bool,
}

/// The start of a Beijing day as an instant.
fn day_start(d: Date) -> time::OffsetDateTime {
    PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(BEIJING)
}

impl App {
    /// The agency's columns with their update classes (any staff role of the agency, or the system).
    pub async fn column_classes(&self, by: Caller<'_>, a: &Agency) -> Result<Vec<ClassedColumn>> {
        by.require(a.id, &Role::ALL)?;
        let chosen: BTreeMap<i64, String> = monitor::column_classes(&self.db, a.id).await?.into_iter().collect();
        let mut out = Vec::new();
        for c in catalog::columns(&self.db, a.id).await? {
            let (class, is_default) = match chosen.get(&c.id).map(|s| UpdateClass::parse(s)) {
                Some(Ok(class)) => (class, false),
                _ => (UpdateClass::default_for(&c.slug, &c.name), true),
            };
            out.push(ClassedColumn { column: c, class, is_default });
        }
        Ok(out)
    }

    /// The agency's administrator sets a column's update class (`""` or `"default"` returns it to the default).
    pub async fn set_column_class(&self, by: &Principal, a: &Agency, column_id: i64, class: &str) -> Result<()> {
        by.require(a.id, &[Role::Admin])?;
        let column = catalog::column_by_id(&self.db, a.id, column_id).await?.ok_or(AppError::NotFound("栏目"))?;
        let class = match class.trim() {
            "" | "default" => None,
            s => Some(UpdateClass::parse(s).map_err(|e| AppError::invalid("class", e))?),
        };
        let mut tx = self.db.begin().await?;
        monitor::set_column_class(&mut tx, a.id, column.id, class.map(UpdateClass::as_str), Some(by.user.id)).await?;
        let e = NewAuditEvent {
            actor: &by.actor(),
            agency_id: Some(a.id),
            action: AuditAction::MonitorColumnClass,
            object_type: "catalog_column",
            object_id: column.id.to_string(),
            details: json!({"column": column.name, "class": class.map(UpdateClass::as_str).unwrap_or("default")}),
        };
        audit::record(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The site check of the agency as of `date` with the default thresholds (any staff role of the agency, a
    /// supervisor above it, or the system).
    pub async fn site_check(&self, by: Caller<'_>, a: &Agency, date: Date) -> Result<Check> {
        let facts = self.site_facts(by, a, date).await?;
        Ok(check(&Thresholds::default(), date, &facts))
    }

    /// What the check looks at, as of the end of `date` (Beijing).
    pub async fn site_facts(&self, by: Caller<'_>, a: &Agency, date: Date) -> Result<SiteFacts> {
        let columns = self.column_classes(by, a).await?;
        let end = day_start(date.next_day().unwrap_or(date));
        // The items are read a page at a time (an agency may hold a million; all at once was GBs): the newest day
        // per column, and the content errors and broken links of each, in the order of publication.
        let slugs: BTreeMap<i64, String> = columns.iter().map(|c| (c.column.id, c.column.slug.clone())).collect();
        let url = |i: &monitor::PublishedItem| {
            format!("/{}/{}/{}", a.code, slugs.get(&i.column_id).map_or("", String::as_str), i.id)
        };
        // 严重表述错误: the configured misstatements only (sensitive words are a pre-publication matter).
        let rules = LintRules { sensitive_words: vec![], misstatements: self.config.lint.misstatements.clone() };
        let mut last: BTreeMap<i64, Date> = BTreeMap::new();
        let mut content_errors = Vec::new();
        let mut broken_links = Vec::new();
        let mut after = 0;
        loop {
            let page = monitor::published_items(&self.db, a.id, after, 500).await?;
            let Some(tail) = page.last() else { break };
            after = tail.id;
            for i in page.iter().filter(|i| i.published_at < end) {
                let day = i.published_at.to_offset(BEIJING).date();
                last.entry(i.column_id).and_modify(|d| *d = (*d).max(day)).or_insert(day);
                let text = html_to_text(&i.body_html);
                let at = (i.published_at, i.id);
                for f in lint(&rules, &i.title, &text, None, gongkai_domain::catalog::DocClass::Ordinary, &[]) {
                    content_errors.push((at, (url(i), format!("《{}》{}", i.title, f.to_zh()))));
                }
                for href in internal_links(&i.body_html) {
                    if !self.link_resolves(&href).await? {
                        broken_links.push((at, (url(i), href)));
                    }
                }
            }
        }
        content_errors.sort_by_key(|(at, _)| *at);
        broken_links.sort_by_key(|(at, _)| *at);
        let content_errors: Vec<_> = content_errors.into_iter().map(|(_, e)| e).collect();
        let broken_links: Vec<_> = broken_links.into_iter().map(|(_, e)| e).collect();
        // A column has content when it or a sub-column has an item, or it shows a structured page that exists.
        let mut with_content: BTreeSet<i64> = last.keys().copied().collect();
        let has_guide = guide::guide(&self.db, a.id).await?.is_some();
        let has_units = !guide::units_of(&self.db, a.id).await?.is_empty();
        for c in &columns {
            let c = &c.column;
            if (c.slug == FixedColumn::Guide && has_guide) || (c.slug == FixedColumn::PublicUnits && has_units) {
                with_content.insert(c.id);
            }
        }
        loop {
            let parents: Vec<i64> = columns
                .iter()
                .filter(|c| with_content.contains(&c.column.id))
                .filter_map(|c| c.column.parent_id)
                .filter(|p| !with_content.contains(p))
                .collect();
            if parents.is_empty() {
                break;
            }
            with_content.extend(parents);
        }
        let letters = mailbox::of_agency(&self.db, a.id)
            .await?
            .into_iter()
            .map(|l| LetterFacts {
                label: format!("来信“{}”", l.title),
                received_on: l.received_on,
                answered_on: l.replied_on,
                valid: l.status != "rejected",
            })
            .collect();
        let from = day_start(date.saturating_sub(Duration::days(i64::from(Thresholds::default().probe_days) - 1)));
        let probes = monitor::probes_between(&self.db, a.id, from, end)
            .await?
            .into_iter()
            .map(|p| Probe { day: p.probed_at.to_offset(BEIJING).date(), ok: p.ok })
            .collect();
        let columns = columns
            .iter()
            .map(|c| ColumnFacts {
                slug: c.column.slug.clone(),
                name: c.column.name.clone(),
                class: c.class,
                top_level: c.column.parent_id.is_none(),
                last_published: last.get(&c.column.id).copied(),
                has_content: with_content.contains(&c.column.id),
            })
            .collect();
        Ok(SiteFacts { columns, letters, probes, content_errors, broken_links })
    }

    /// The agency's descendants (children first, depth-first) with their checks as of `date`, for a supervisor.
    pub async fn descendant_checks(&self, by: Caller<'_>, a: &Agency, date: Date) -> Result<Vec<(Agency, Check)>> {
        by.require(a.id, &Role::ALL)?;
        let mut out = Vec::new();
        let mut stack: Vec<Agency> = self.agency_children(a.id).await?.into_iter().rev().collect();
        while let Some(child) = stack.pop() {
            for grandchild in self.agency_children(child.id).await?.into_iter().rev() {
                stack.push(grandchild);
            }
            if by.require(child.id, &Role::ALL).is_ok() {
                let c = self.site_check(by, &child, date).await?;
                out.push((child, c));
            }
        }
        Ok(out)
    }
}

impl App {
    /// The 通报 of the check of `a`'s descendants as of `date` (a supervisor's), as DOCX or PDF: 总体情况, the failing
    /// sites by name with their vetoes, 工作要求. A draft: staff edit the DOCX before it is numbered and sent.
    pub async fn monitor_bulletin(
        &self,
        by: Caller<'_>,
        a: &Agency,
        date: Date,
        format: crate::letters::LetterFormat,
    ) -> Result<crate::letters::LetterFile> {
        let checks: Vec<(String, gongkai_domain::monitor::Check)> =
            self.descendant_checks(by, a, date).await?.into_iter().map(|(agency, c)| (agency.name, c)).collect();
        let (title, body) = gongkai_domain::monitor::bulletin(&a.name, date, &checks);
        let letter = gongkai_report::letters::Letter {
            title,
            doc_no: "（文号在印发时编排）".into(),
            body,
            agency_name: a.name.clone(),
            dated: gongkai_domain::calendar::format_date_zh(date),
        };
        Self::render_letter(&letter, &format!("bulletin-{}-{date}", a.code), format)
    }
}
