//! The workflow: submitted to the 主管部门, returned or approved by it, published (frozen) by the agency.

use super::*;

impl App {
    /// The agency hands its report to the 主管部门; refused while the checker finds errors. The report is frozen
    /// as it is now.
    pub async fn submit_report(&self, p: &Principal, agency: &Agency, year: i32) -> Result<()> {
        Self::require_editor(p, agency)?;
        check_year(year)?;
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let report = self.compute_with(agency, year, Some(&record)).await?;
        let errors: Vec<String> = check(&report).into_iter().filter(|f| f.is_error()).map(|f| f.message).collect();
        if !errors.is_empty() {
            return Err(AppError::Invalid {
                field: None,
                message: format!("报告未通过核对，不能报送：{}", errors.join("；")),
            });
        }
        let mut tx = self.db.begin().await?;
        let step = Step { snapshot: Some(&report), submitted: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, ReportStatus::Submitted, &step).await.map_err(conflict)?;
        audit::record(
            &mut tx,
            &event(&p.actor(), agency, AuditAction::ReportSubmit, year, json!({"from": record.status.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 主管部门 returns a submitted report with comments (required), or approves it.
    pub async fn review_report(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        approve: bool,
        comments: &str,
    ) -> Result<()> {
        Self::require_supervisor_of(p, agency)?;
        let comments = comments.trim();
        if !approve && comments.is_empty() {
            return Err(AppError::Invalid {
                field: Some("comments"), message: "退回时请填写修改意见".into()
            });
        }
        if comments.chars().count() > 2000 {
            return Err(AppError::Invalid { field: Some("comments"), message: "意见不能超过2000个字".into() });
        }
        let record = store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))?;
        if record.status != ReportStatus::Submitted {
            return Err(AppError::Invalid {
                field: None,
                message: format!("年度报告当前为“{}”，只有已报送的报告可以退回或审核通过。", record.status.label_zh()),
            });
        }
        let (to, action) = if approve {
            (ReportStatus::Approved, AuditAction::ReportApprove)
        } else {
            (ReportStatus::Returned, AuditAction::ReportReturn)
        };
        let mut tx = self.db.begin().await?;
        let step = Step { comments: Some(comments), decided: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, to, &step).await.map_err(conflict)?;
        audit::record(&mut tx, &event(&p.actor(), agency, action, year, json!({"comments": comments}))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency's administrator publishes an approved report under its 公开年报 column: a published catalog
    /// entry whose body is the report as approved. From then on it is frozen.
    pub async fn publish_report(&self, p: &Principal, agency: &Agency, year: i32) -> Result<i64> {
        p.require(agency.id, &[Role::Admin])?;
        let record = store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))?;
        if record.status != ReportStatus::Approved {
            return Err(AppError::Invalid {
                field: None,
                message: format!("年度报告当前为“{}”，须经主管部门审核通过后才能发布。", record.status.label_zh()),
            });
        }
        let report = record.snapshot.clone().ok_or(AppError::NotFound("年度报告"))?;
        self.ensure_columns(agency).await?;
        let column = self.column(agency, FixedColumn::AnnualReports.as_str()).await?;
        let today = self.today();
        let fields = EntryFields {
            column_id: column.id,
            title: gongkai_report::render::layout::title(&report),
            doc_no: String::new(),
            publisher: agency.name.clone(),
            joint_publishers: String::new(),
            doc_class: DocClass::Ordinary,
            validity: None,
            written_on: Some(today),
            effective_on: None,
            expires_on: None,
            formed_on: Some(today),
            topic: String::new(),
            genre: "报告".into(),
            keywords: "政府信息公开,年度报告".into(),
            summary: format!("{}{year}年政府信息公开工作年度报告", agency.name),
            disclosure: "主动公开".into(),
            body_html: gongkai_report::render::html_article_untitled(&report),
        };
        let mut tx = self.db.begin().await?;
        let e = catalog::create(&mut tx, agency.id, &fields, Some(p.user.id)).await?;
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.map_err(conflict)?;
        let now = gongkai_store::now();
        let index_no = self.next_index_no(&mut tx, agency, crate::catalog::beijing_date(now)).await?;
        catalog::mark_published(&mut tx, e.id, Some(&index_no), now).await.map_err(conflict)?;
        gongkai_store::search_feed::record(&mut tx, e.id).await?;
        let step = Step { entry_id: Some(e.id), published: true, ..Default::default() };
        store::transition(&mut tx, record.id, record.status, ReportStatus::Published, &step).await.map_err(conflict)?;
        audit::record(
            &mut tx,
            &event(
                &p.actor(),
                agency,
                AuditAction::ReportPublish,
                year,
                json!({"entry_id": e.id, "index_no": index_no}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(e.id)
    }
}
