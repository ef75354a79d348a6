//! The staff case list: filters, export, handlers and assignment, attachments, similar applications.

use super::*;

impl App {
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

    /// An agency's applications not yet closed, and how many of them are past their deadline today (for the
    /// operations figures: no caller, no personal data).
    pub(crate) async fn open_and_overdue(&self, agency_id: i64) -> Result<(u64, u64)> {
        let rows = store::list(&self.db, agency_id, &ListFilter::default()).await?;
        let mut by_app: std::collections::HashMap<i64, Vec<EventRecord>> = std::collections::HashMap::new();
        for e in store::events_of_agency(&self.db, agency_id).await? {
            by_app.entry(e.application_id).or_default().push(e);
        }
        let today = self.today();
        let cal = self.case_calendar().await?;
        let (mut open, mut overdue) = (0, 0);
        for a in rows {
            let events = by_app.remove(&a.id).unwrap_or_default();
            let v = view(&cal, a, events, today);
            if v.stage != Stage::Closed {
                open += 1;
                overdue += u64::from(v.overdue);
            }
        }
        Ok((open, overdue))
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
}
