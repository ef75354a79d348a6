//! Entering the report: yearly figures (form and CSV) and the narrative sections, refused once submitted.

use super::*;

impl App {
    /// Creates the draft of (agency, year) from the templates if there is none; returns the stored record.
    pub(super) async fn report_record(&self, agency: &Agency, year: i32) -> Result<ReportRecord> {
        if let Some(r) = store::get(&self.db, agency.id, year).await? {
            return Ok(r);
        }
        let mut tx = self.db.begin().await?;
        match store::create(&mut tx, agency.id, year, TEMPLATE_ONE, TEMPLATE_FIVE, TEMPLATE_SIX).await {
            Ok(_) => tx.commit().await?,
            // Created meanwhile by someone else: use theirs.
            Err(StoreError::Conflict(_)) => drop(tx),
            Err(e) => return Err(e.into()),
        }
        store::get(&self.db, agency.id, year).await?.ok_or(AppError::NotFound("年度报告"))
    }

    /// Enters yearly figures (key → value as typed). Every value is checked first; nothing is stored unless all
    /// are valid. Empty values are skipped. Refused once the report was submitted.
    pub async fn set_report_figures(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        values: &[(String, String)],
    ) -> Result<usize> {
        Self::require_editor(p, agency)?;
        self.store_figures(&p.actor(), agency, year, values, AuditAction::ReportFigures).await
    }

    /// Imports figures from CSV (`项目,数值` per line; the item is a key or the Chinese label; a header line is
    /// skipped). Staff need the editor role; the system (the command line: the operator holds the database) may.
    pub async fn import_report_figures(&self, by: Caller<'_>, agency: &Agency, year: i32, csv: &[u8]) -> Result<usize> {
        by.require(agency.id, &[Role::Admin, Role::Editor])?;
        let values = parse_figures_csv(csv)?;
        let actor = by.actor();
        self.store_figures(&actor, agency, year, &values, AuditAction::ReportFiguresImport).await
    }

    pub(crate) async fn store_figures(
        &self,
        actor: &Actor,
        agency: &Agency,
        year: i32,
        values: &[(String, String)],
        action: AuditAction,
    ) -> Result<usize> {
        check_year(year)?;
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let mut checked = Vec::new();
        let mut errors = Vec::new();
        for (key, raw) in values {
            let Some(def) = figure_def(key) else {
                errors.push(format!("未知的填报项目“{}”", key.trim()));
                continue;
            };
            if raw.trim().is_empty() {
                continue;
            }
            match parse_figure(def, raw) {
                Ok(v) => checked.push((def, v)),
                Err(m) => errors.push(m),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid { field: Some("figures"), message: errors.join("；") });
        }
        let mut tx = self.db.begin().await?;
        let mut changes = Vec::new();
        for (def, v) in &checked {
            let before = store::set_figure(&mut tx, agency.id, year, def.key, v, actor).await?;
            if before.as_deref() != Some(v.as_str()) {
                changes.push(json!({"key": def.key, "from": before, "to": v}));
            }
        }
        // The guard: the report must still be editable when the figures are written.
        store::save_sections(
            &mut tx,
            record.id,
            record.status,
            &record.section_one,
            &record.section_five,
            &record.section_six,
        )
        .await
        .map_err(conflict)?;
        audit::record(&mut tx, &event(actor, agency, action, year, json!({"changes": changes}))).await?;
        tx.commit().await?;
        Ok(checked.len())
    }

    /// Saves the narrative 一, 五, 六 (placeholders allowed; figures typed by hand are checked by R7).
    pub async fn save_report_sections(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
        one: &str,
        five: &str,
        six: &str,
    ) -> Result<()> {
        Self::require_editor(p, agency)?;
        self.store_sections(&p.actor(), agency, year, one, five, six).await
    }

    pub(crate) async fn store_sections(
        &self,
        actor: &Actor,
        agency: &Agency,
        year: i32,
        one: &str,
        five: &str,
        six: &str,
    ) -> Result<()> {
        check_year(year)?;
        for (name, text) in [("一", one), ("五", five), ("六", six)] {
            if text.chars().count() > MAX_SECTION {
                return Err(AppError::Invalid {
                    field: Some("sections"),
                    message: format!("第{name}部分不能超过{MAX_SECTION}个字"),
                });
            }
        }
        let record = self.report_record(agency, year).await?;
        if !record.status.editable() {
            return Err(closed(record.status));
        }
        let norm = |s: &str| s.replace("\r\n", "\n").trim().to_owned();
        let mut tx = self.db.begin().await?;
        store::save_sections(&mut tx, record.id, record.status, &norm(one), &norm(five), &norm(six))
            .await
            .map_err(conflict)?;
        audit::record(&mut tx, &event(actor, agency, AuditAction::ReportEdit, year, json!({}))).await?;
        tx.commit().await?;
        Ok(())
    }
}
