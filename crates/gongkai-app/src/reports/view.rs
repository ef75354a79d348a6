//! What staff see: the agency's report list, one report with its findings and deadline, and the warnings
//! about reports due soon or overdue.

use super::*;

impl App {
    /// The report list of an agency: every year with data, its status and check result.
    pub async fn report_list(&self, p: &Principal, agency: &Agency) -> Result<Vec<ReportSummary>> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        let mut years = self.report_years(agency).await?;
        years.insert(self.today().year() - 1);
        let mut out = Vec::new();
        for year in years.into_iter().rev() {
            let status = store::get(&self.db, agency.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            let (_, findings) = self.annual_report(agency, year).await?;
            let errors = findings.iter().filter(|f| f.is_error()).count();
            out.push(ReportSummary {
                year,
                status,
                errors,
                warnings: findings.len() - errors,
                deadline: self.config.report_deadlines.for_report(agency.kind, year),
            });
        }
        Ok(out)
    }

    /// The report page of (agency, year).
    pub async fn report_view(&self, p: &Principal, agency: &Agency, year: i32) -> Result<ReportView> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        check_year(year)?;
        let record = store::get(&self.db, agency.id, year).await?;
        let status = record.as_ref().map(|r| r.status).unwrap_or(ReportStatus::Draft);
        let (report, findings) = self.annual_report(agency, year).await?;
        let stored = store::figures(&self.db, agency.id, year).await?;
        let figures = FIGURES.iter().map(|d| (*d, stored.iter().find(|f| f.key == d.key).cloned())).collect();
        let draft = Sections {
            one: Some(record.as_ref().map(|r| r.section_one.clone()).unwrap_or_else(|| TEMPLATE_ONE.into())),
            five: Some(record.as_ref().map(|r| r.section_five.clone()).unwrap_or_else(|| TEMPLATE_FIVE.into())),
            six: Some(record.as_ref().map(|r| r.section_six.clone()).unwrap_or_else(|| TEMPLATE_SIX.into())),
        };
        let published_path = match record.as_ref().and_then(|r| r.entry_id) {
            Some(id) => self.published_link(id).await?.map(|(e, a, c)| format!("/{a}/{c}/{}", e.id)),
            None => None,
        };
        Ok(ReportView {
            agency: agency.clone(),
            year,
            status,
            can_edit: status.editable() && Self::require_editor(p, agency).is_ok(),
            can_review: status == ReportStatus::Submitted && Self::require_supervisor_of(p, agency).is_ok(),
            can_publish: status == ReportStatus::Approved && p.require(agency.id, &[Role::Admin]).is_ok(),
            record,
            report,
            findings,
            figures,
            draft,
            deadline: self.config.report_deadlines.for_report(agency.kind, year),
            published_path,
        })
    }

    /// Console warnings for last year's reports due within 30 days or overdue (by up to 90 days) and not yet
    /// published, for agencies where the principal edits reports.
    pub async fn report_warnings(&self, p: &Principal) -> Result<Vec<String>> {
        let today = self.today();
        let year = today.year() - 1;
        let mut out = Vec::new();
        for (a, roles) in self.console_agencies(p).await? {
            if !roles.contains(&Role::Admin) && !roles.contains(&Role::Editor) {
                continue;
            }
            let deadline = self.config.report_deadlines.for_report(a.kind, year);
            let left = (deadline - today).whole_days();
            // Approaching (30 days) or overdue by up to 90 days; older years are no longer nagged about.
            if !(-90..=30).contains(&left) {
                continue;
            }
            let status = store::get(&self.db, a.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            if status == ReportStatus::Published {
                continue;
            }
            let due = crate::catalog::date_zh(deadline);
            out.push(if left >= 0 {
                format!(
                    "{}{year}年政府信息公开工作年度报告应于{due}前发布，还有{left}天（当前：{}）。",
                    a.name,
                    status.label_zh()
                )
            } else {
                format!(
                    "{}{year}年政府信息公开工作年度报告已超过发布期限（{due}），当前：{}。",
                    a.name,
                    status.label_zh()
                )
            });
        }
        Ok(out)
    }
}
