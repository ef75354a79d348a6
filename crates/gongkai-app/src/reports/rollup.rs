//! The 主管部门's roll-up of its agencies' reports (tables summed) and its XLSX export.

use super::*;

impl App {
    /// The roll-up of a 主管部门 (a supervisor of `agency`): every descendant's report of `year` with its status
    /// and check result, and the sum of their tables 二, 三, 四 (blank cells stay blank in the sum).
    pub async fn report_rollup(&self, p: &Principal, agency: &Agency, year: i32) -> Result<Rollup> {
        p.require(agency.id, &[Role::Supervisor])?;
        check_year(year)?;
        let mut rows = Vec::new();
        let mut sum = AnnualReport {
            agency: Some(format!("{}及所属单位（汇总）", agency.name)),
            year: Some(year),
            t2: Table2 {
                rules: T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) },
                normative: T2Doc { issued: Some(0), repealed: Some(0), in_force: Some(0) },
                licensing: Some(0),
                penalty: Some(0),
                coercion: Some(0),
                fees: Some(0.0),
            },
            t3: Table3::zeros(),
            t4: Table4::zeros(),
            ..Default::default()
        };
        for id in agencies::subtree_ids(&self.db, agency.id).await? {
            if id == agency.id {
                continue;
            }
            let Some(a) = agencies::by_id(&self.db, id).await? else { continue };
            let status = store::get(&self.db, a.id, year).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft);
            let (r, findings) = self.annual_report(&a, year).await?;
            let errors = findings.iter().filter(|f| f.is_error()).count();
            add_tables(&mut sum, &r);
            rows.push((a, status, errors, findings.len() - errors));
        }
        // The sum has tables only; say so where a report has its narrative, rather than leave headings empty.
        let see = "见所属各单位的年度报告。".to_owned();
        sum.sections = Sections {
            one: Some(format!(
                "本报告为所属{}个单位{year}年度报告表格的逐项合计，不含正文。各单位的总体情况{see}",
                rows.len()
            )),
            five: Some(see.clone()),
            six: Some(see),
        };
        Ok(Rollup { rows, sum })
    }

    /// Years a 主管部门 can roll up: those of any subordinate unit's report, newest first (empty without units or
    /// without the supervisor role).
    pub async fn rollup_years(&self, p: &Principal, agency: &Agency) -> Result<Vec<i32>> {
        if p.require(agency.id, &[Role::Supervisor]).is_err() {
            return Ok(vec![]);
        }
        let mut years = BTreeSet::new();
        for id in agencies::subtree_ids(&self.db, agency.id).await? {
            if id == agency.id {
                continue;
            }
            if let Some(a) = agencies::by_id(&self.db, id).await? {
                years.extend(self.report_years(&a).await?);
            }
        }
        Ok(years.into_iter().rev().collect())
    }

    /// The roll-up's summed tables as an XLSX workbook (a sheet per table, laid out as a report's own XLSX):
    /// (file name, content type, bytes). Same permission as the roll-up.
    pub async fn export_rollup_xlsx(
        &self,
        p: &Principal,
        agency: &Agency,
        year: i32,
    ) -> Result<(String, &'static str, Vec<u8>)> {
        let r = self.report_rollup(p, agency, year).await?;
        let bytes = gongkai_report::render::render(&r.sum, &[], gongkai_report::render::Format::Xlsx)
            .map_err(|e| AppError::Internal(format!("汇总表导出失败：{e}")))?;
        Ok((format!("{}-{year}-rollup.xlsx", agency.code), ExportFormat::Xlsx.content_type(), bytes))
    }
}
