//! Attachments of an entry: upload into the content-addressed store, listing, public download.

use super::*;

impl App {
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
        crate::pdf_upload::check_pdf_upload(&name, content_type, bytes)
            .map_err(|m| AppError::Invalid { field: Some("file"), message: m })?;
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
}
