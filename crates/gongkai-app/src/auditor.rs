//! The report auditor for supervisors: published annual reports of other agencies, uploaded, parsed and checked
//! with the same rules as generated reports.

use crate::{App, AppError, Principal, Result};
use gongkai_report::audit::{AuditError, Audited, add_cross_year, audit_named};

/// At most this many files in one upload.
pub const MAX_FILES: usize = 30;

/// One uploaded file's audit.
pub type FileAudit = (String, std::result::Result<Audited, AuditError>);

impl App {
    /// Ok when the user may use the auditor (a supervisor somewhere, or a platform administrator): checked before
    /// an upload is read.
    pub fn require_auditor(&self, by: &Principal) -> Result<()> {
        if by.supervises_any() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Audits uploaded reports (name, bytes). Needs the supervisor role in some agency, or platform administration.
    /// Parsing is CPU work, so it runs on the blocking pool.
    pub async fn audit_reports(&self, by: &Principal, files: Vec<(String, Vec<u8>)>) -> Result<Vec<FileAudit>> {
        self.require_auditor(by)?;
        if files.is_empty() {
            return Err(AppError::Invalid {
                field: Some("files"), message: "请选择至少一个报告文件".into()
            });
        }
        if files.len() > MAX_FILES {
            return Err(AppError::Invalid {
                field: Some("files"),
                message: format!("一次最多审核{MAX_FILES}个文件，请分批上传"),
            });
        }
        tokio::task::spawn_blocking(move || {
            let mut names = Vec::with_capacity(files.len());
            let mut results = Vec::with_capacity(files.len());
            for (name, bytes) in files {
                results.push(audit_named(&name, &bytes));
                names.push(name);
            }
            add_cross_year(&mut results);
            names.into_iter().zip(results).collect()
        })
        .await
        .map_err(|e| AppError::Internal(format!("auditor task: {e}")))
    }

    /// The findings as an Excel workbook.
    pub fn audit_workbook(&self, results: &[FileAudit]) -> Result<Vec<u8>> {
        gongkai_report::xlsx::findings_workbook(results).map_err(|e| AppError::Internal(format!("xlsx: {e}")))
    }
}
