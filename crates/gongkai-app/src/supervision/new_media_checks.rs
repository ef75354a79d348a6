//! Quarterly checks of 政务新媒体 accounts (docs/law/supervision.md §3.4, §10.17): entered for one account, or
//! computed for every account in operation from the register's last post date and interaction flag. The
//! vetoes are `gongkai_domain::new_media::quarterly_vetoes`.

use super::new_media::status_of;
use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::new_media::quarterly_vetoes;
use gongkai_domain::workplan::quarter;
use gongkai_store::agencies::Agency;
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::new_media::{self as store, Account, Check};
use serde_json::json;

/// A check as typed (the day is today).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CheckForm {
    /// `YYYY-MM-DD` of the last post found; empty = none found.
    pub last_post_on: String,
    /// `on` when interaction works.
    pub interaction_ok: Option<String>,
    /// `on` when a severe error was found.
    pub severe_error: Option<String>,
    pub note: String,
}

impl App {
    /// Whether `p` checks the agency's accounts: the supervising side (as for approvals) or the agency's own
    /// administrators (自查).
    pub fn may_check_media(p: &Principal, agency: &Agency) -> bool {
        Self::may_approve_media(p, agency) || p.may(agency.id, &[Role::Admin])
    }

    /// Records a quarterly check of one account on today's date; returns whether it passed. Audited.
    pub async fn check_media_account(&self, p: &Principal, agency: &Agency, id: i64, f: &CheckForm) -> Result<bool> {
        if !Self::may_check_media(p, agency) {
            return Err(AppError::Forbidden);
        }
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("政务新媒体账号"))?;
        let last_post_on = match f.last_post_on.trim() {
            "" => None,
            d => Some(
                crate::applications::parse_date(d).map_err(|e| AppError::InvalidFields(vec![("last_post_on", e.0)]))?,
            ),
        };
        let today = self.today();
        if last_post_on.is_some_and(|d| d > today) {
            return Err(AppError::InvalidFields(vec![("last_post_on", "最近更新日期不能晚于检查当天".into())]));
        }
        self.record_check(p, agency, &a, last_post_on, f.interaction_ok.is_some(), f.severe_error.is_some(), &f.note)
            .await
    }

    /// Checks every account in operation from the register (last post date, interaction flag) on today's date;
    /// returns (checked, failed).
    pub async fn check_media_from_register(&self, p: &Principal, agency: &Agency) -> Result<(usize, usize)> {
        if !Self::may_check_media(p, agency) {
            return Err(AppError::Forbidden);
        }
        let (mut checked, mut failed) = (0, 0);
        for a in store::of_agency(&self.db, agency.id).await? {
            if !status_of(&a).is_public() {
                continue;
            }
            let passed =
                self.record_check(p, agency, &a, a.last_post_on, a.interaction_on, false, "按登记信息检查").await?;
            checked += 1;
            failed += usize::from(!passed);
        }
        Ok((checked, failed))
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_check(
        &self,
        p: &Principal,
        agency: &Agency,
        a: &Account,
        last_post_on: Option<time::Date>,
        interaction_ok: bool,
        severe_error: bool,
        note: &str,
    ) -> Result<bool> {
        let today = self.today();
        let vetoes = quarterly_vetoes(today, last_post_on, interaction_ok, severe_error);
        let actor = p.actor();
        let check = Check {
            id: 0,
            account_id: a.id,
            quarter: quarter(today),
            checked_on: today,
            last_post_on,
            interaction_ok,
            severe_error,
            vetoes: vetoes.iter().map(|v| v.code()).collect::<Vec<_>>().join(","),
            passed: vetoes.is_empty(),
            note: note.trim().chars().take(500).collect(),
            actor: actor.label().to_owned(),
            created_at: gongkai_store::now(),
        };
        let mut tx = self.db.begin().await?;
        let id = store::add_check(&mut tx, &check).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::MediaCheck,
                object_type: "media_account",
                object_id: a.id.to_string(),
                details: json!({"name": format!("{}：{}", a.platform, a.name), "check_id": id, "quarter": check.quarter,
                    "passed": check.passed, "vetoes": vetoes.iter().map(|v| v.label_zh()).collect::<Vec<_>>()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(check.passed)
    }

    /// The checks of the agency's accounts, newest first (its staff, and supervisors above it).
    pub async fn media_checks(&self, p: &Principal, agency: &Agency) -> Result<Vec<Check>> {
        if !p.can_view(agency.id) {
            return Err(AppError::NotFound("机构"));
        }
        Ok(store::checks_of_agency(&self.db, agency.id).await?)
    }
}
