//! Demo records of supervision (`serve --demo`): the city's 2026 分工方案 (`demo/workplan-yima-2026.csv`) and the
//! office's 政务新媒体 accounts — one in operation, one whose closure was approved and whose notice runs.

use super::new_media::AccountForm;
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
        let imported = self
            .import_workplan(
                Caller::System("demo"),
                &city,
                2026,
                Some("义马市2026年政务公开工作要点分工方案"),
                "义政办〔2026〕3号",
                DEMO_WORKPLAN_CSV.as_bytes(),
            )
            .await?;
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
