//! Staff editing and the 先审后发 workflow of an entry: drafts, submission, review levels with the
//! pre-publication lint, publication with its 索引号, unpublishing, validity and interpretations.

use super::*;

impl App {
    pub(super) async fn entry_in(&self, agency: &Agency, id: i64) -> Result<Entry> {
        catalog::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("条目"))
    }

    /// The year of the annual report published as this entry, if it is one. Such an entry is frozen: the catalog
    /// workflow refuses to edit it, unpublish it, attach files or link it, so the portal copy stays the report
    /// as approved by the 主管部门.
    pub async fn report_of_entry(&self, e: &Entry) -> Result<Option<i32>> {
        Ok(gongkai_store::reports::by_entry(&self.db, e.id).await?.map(|r| r.year))
    }

    pub(super) async fn refuse_report_entry(&self, e: &Entry) -> Result<()> {
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

    pub(super) async fn transition(
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
    pub(crate) async fn link_resolves(&self, href: &str) -> Result<bool> {
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

    pub(super) async fn require_clean(&self, by: &Principal, agency: &Agency, id: i64) -> Result<()> {
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
        search_feed::record(&mut tx, e.id).await?;
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
        search_feed::record(&mut tx, e.id).await?;
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
        search_feed::record(&mut tx, e.id).await?;
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
}
