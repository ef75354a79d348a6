//! Demo records of supervision (`serve --demo`): the city's 2026 分工方案 (`demo/workplan-yima-2026.csv`) with
//! progress reported by the office (one task done, one in progress, a quarter of a 持续推进 task), the financial
//! task left overdue, and the reminders the daily job writes; and the office's 政务新媒体 accounts — one in
//! operation, one whose closure was approved and whose notice runs — each with a quarterly check.

use super::new_media::AccountForm;
use super::new_media_checks::CheckForm;
use super::workplan::PlanMeta;
use super::workplan_progress::ProgressForm;
use crate::{App, Caller, Result};
use gongkai_domain::new_media::Step;

/// The city's 2026 task table, as an office would import it.
pub const DEMO_WORKPLAN_CSV: &str = include_str!("../../../../demo/workplan-yima-2026.csv");

impl App {
    /// Loads the demo plan and accounts; idempotent (nothing when the city already has a 2026 plan). Needs the demo
    /// administrator (a platform administrator approves as the supervising side).
    pub async fn load_demo_supervision(&self) -> Result<()> {
        let city = self.agency_by_code("yima").await?;
        if self.workplan(Caller::System("demo"), &city, 2026).await?.is_some() {
            return Ok(());
        }
        let meta = PlanMeta {
            title: "义马市2026年政务公开工作要点分工方案".into(),
            doc_no: "义政办〔2026〕3号".into(),
            parent: "三门峡市2026年政务公开工作要点".into(),
            issued_on: "2026-03-20".into(),
        };
        let imported =
            self.import_workplan_with(Caller::System("demo"), &city, 2026, &meta, DEMO_WORKPLAN_CSV.as_bytes()).await?;
        if let Err(problems) = imported {
            return Err(crate::AppError::Internal(format!("demo workplan: {problems:?}")));
        }
        let Some(admin) = gongkai_store::users::by_username(&self.db, crate::demo::DEMO_ADMIN).await? else {
            return Ok(());
        };
        let Some(p) = self.principal(admin.id).await? else { return Ok(()) };
        let office = self.agency_by_code("yima-office").await?;
        let account = |platform: &str, name: &str, url: &str| AccountForm {
            platform: platform.into(),
            name: name.into(),
            url: url.into(),
            sponsor: office.name.clone(),
            operator: office.name.clone(),
            verified_subject: office.name.clone(),
            filing_no: String::new(),
            last_post_on: String::new(),
            interaction_on: Some("on".into()),
            note: "演示数据".into(),
        };
        let running = self
            .request_media_account(&p, &office, &account("微信公众号", "义马发布", "https://example.cn/yima-fabu"))
            .await?;
        self.media_step(&p, &office, running, Step::Approve, None, "同意开设").await?;
        let closing = self
            .request_media_account(&p, &office, &account("微博", "义马政务微博", "https://example.cn/yima-weibo"))
            .await?;
        self.media_step(&p, &office, closing, Step::Approve, None, "同意开设").await?;
        self.media_step(&p, &office, closing, Step::RequestClose, None, "整合到“义马发布”，申请关停").await?;
        self.media_step(&p, &office, closing, Step::Approve, None, "同意关停，发布关停公告").await?;

        // Quarterly checks: the running account passes, the closing one has not posted for a month.
        let today = self.today();
        let days_ago = |n: i64| (today - time::Duration::days(n)).to_string();
        let check = |last: String, note: &str| CheckForm {
            last_post_on: last,
            interaction_ok: Some("on".into()),
            severe_error: None,
            note: note.into(),
        };
        self.check_media_account(&p, &office, running, &check(days_ago(2), "更新及时，留言均已回复")).await?;
        self.check_media_account(&p, &office, closing, &check(days_ago(30), "关停公告期内停止更新")).await?;

        // Progress on the plan: the office reports on its tasks (by number), the 9月底前 task of the 财政局 (not on
        // the platform) stays overdue; the daily job writes the reminders that have come.
        if let Some(view) = self.workplan_view(Caller::System("demo"), &city, 2026).await? {
            let report = |status: &str, note: &str, url: &str| ProgressForm {
                status: status.into(),
                note: note.into(),
                index_no: String::new(),
                url: url.into(),
            };
            for row in &view.tasks {
                let form = match row.task.no.as_str() {
                    "2" => report("done", "重要政策文件均与解读材料同步发布", "/yima-office/"),
                    "3" => report("ongoing", "2025年度报告已发布，2026年度报告起草中", ""),
                    "4" => report("ongoing", "本季度完成政府网站日常监测和政务新媒体季度检查", ""),
                    _ => continue,
                };
                self.report_progress(&p, &office, row.task.id, &form, None).await?;
            }
        }
        self.write_workplan_reminders().await?;
        Ok(())
    }
}

impl App {
    /// Demo rounds of website self-monitoring: today's daily results, and the city's monthly 通报 of its
    /// descendants' check, approved (numbered) and published under 通知公告, with two of its 整改 items moved on
    /// (one reported by the office, one passed on review). Idempotent: nothing when the city has a 通报.
    pub async fn load_demo_monitor(&self) -> Result<()> {
        use gongkai_domain::monitor::rounds::Round;
        let city = self.agency_by_code("yima").await?;
        if !self.bulletins(Caller::System("demo"), &city).await?.is_empty() {
            return Ok(());
        }
        let today = self.today();
        self.record_daily_checks(today).await?;
        let by = Caller::System("demo");
        let period = Round::Monthly.period_of(today);
        let id = self.draft_bulletin(by, &city, "monthly", &period, today).await?;
        self.submit_bulletin(by, &city, id).await?;
        self.approve_bulletin(by, &city, id).await?;
        self.publish_bulletin(by, &city, id, "tzgg").await?;
        let office = self.agency_by_code("yima-office").await?;
        let items = self.rectifications_of(by, &office).await?;
        if let Some(r) = items.first() {
            self.report_rectification(
                by,
                &office,
                r.id,
                "已补充发布近两周工作动态，并明确专人每周更新。",
                "/yima-office/gzdt",
            )
            .await?;
        }
        if let Some(r) = items.get(1) {
            self.report_rectification(by, &office, r.id, "已逐一补充空白栏目内容。", "栏目截图已存档备查").await?;
            self.review_rectification(by, &city, r.id, true, "经复核，已整改到位。", "").await?;
        }
        Ok(())
    }
}
