//! 接访电话: quick entry of calls and their follow-up (docs/law/public-interaction.md §5).

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::calls::{Handling, mask_number};
use gongkai_store::agencies::Agency;
use gongkai_store::audit::{self, NewAuditEvent};
use gongkai_store::calls::{self as store, Call};
use serde_json::json;
use time::Date;

/// A call as staff type it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CallForm {
    /// `YYYY-MM-DD`; empty: today.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    pub caller: String,
    pub number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub summary: String,
    pub handling: String,
    pub result: String,
    /// `on` when the call needs follow-up (it then gets a deadline).
    pub follow_up: Option<String>,
}

fn invalid(field: &'static str, message: &str) -> (&'static str, String) {
    (field, message.to_owned())
}

impl App {
    /// Records a call (case handlers and administrators); the number is masked before it is stored. A call that
    /// needs follow-up is due the agency's follow-up limit (5 working days by default) later.
    pub async fn record_call(&self, p: &Principal, agency: &Agency, f: &CallForm) -> Result<i64> {
        p.require(agency.id, &[Role::CaseHandler, Role::Admin])?;
        let mut errors = Vec::new();
        let day = match f.date.trim() {
            "" => Some(self.today()),
            d => crate::applications::parse_date(d).map_err(|e| errors.push(("date", e.0))).ok(),
        };
        let time = f.time.trim();
        let time_ok = time.len() == 5
            && time.as_bytes()[2] == b':'
            && time[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && time[3..].parse::<u8>().is_ok_and(|m| m < 60);
        if !time_ok {
            errors.push(invalid("time", "请填写来电时间（时:分，如 09:30）"));
        }
        let kind = Kind::parse(&f.kind);
        if kind.is_none() {
            errors.push(invalid("type", "请选择来电类型"));
        }
        let summary = f.summary.trim();
        if summary.chars().count() < 2 {
            errors.push(invalid("summary", "请填写来电内容摘要"));
        }
        let handling = Handling::parse(&f.handling);
        if handling.is_none() {
            errors.push(invalid("handling", "请选择处理方式"));
        }
        let (Some(day), Some(kind), Some(handling), true) = (day, kind, handling, errors.is_empty()) else {
            return Err(AppError::InvalidFields(errors));
        };
        let follow_up = f.follow_up.is_some();
        let due_on = if follow_up {
            let limit = self.interaction_limits(agency).await?.call_follow_up_wd;
            Some(self.calendar().await?.add_working_days(day, limit).date)
        } else {
            None
        };
        let actor = p.actor();
        let call = Call {
            id: 0,
            agency_id: agency.id,
            called_on: day,
            called_time: time.to_owned(),
            caller: f.caller.trim().chars().take(50).collect(),
            number_masked: mask_number(&f.number),
            kind: kind.as_str().to_owned(),
            summary: summary.chars().take(2000).collect(),
            handling: handling.as_str().to_owned(),
            result: f.result.trim().chars().take(2000).collect(),
            due_on,
            // A call answered on the spot without follow-up is closed when it is recorded.
            closed_on: (!follow_up).then_some(day),
            recorded_by: actor.label().to_owned(),
            created_at: gongkai_store::now(),
        };
        let mut tx = self.db.begin().await?;
        let id = store::create(&mut tx, &call).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::CallRecord,
                object_type: "call",
                object_id: id.to_string(),
                details: json!({"name": summary.chars().take(30).collect::<String>(), "follow_up": follow_up}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes a call's follow-up today with its result.
    pub async fn close_call(&self, p: &Principal, agency: &Agency, id: i64, result: &str) -> Result<()> {
        p.require(agency.id, &[Role::CaseHandler, Role::Admin])?;
        if result.trim().is_empty() {
            return Err(AppError::Invalid { field: Some("result"), message: "请填写办理结果".into() });
        }
        let mut tx = self.db.begin().await?;
        store::close(&mut tx, agency.id, id, self.today(), result.trim())
            .await
            .map_err(|_| AppError::NotFound("来电记录"))?;
        let actor = p.actor();
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::CallRecord,
                object_type: "call",
                object_id: id.to_string(),
                details: json!({"name": "来电跟进办结", "closed": true}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agency's calls, newest first (any staff role of the agency).
    pub async fn calls(&self, p: &Principal, agency: &Agency) -> Result<Vec<Call>> {
        p.require(agency.id, &Role::ALL)?;
        Ok(store::of_agency(&self.db, agency.id).await?)
    }

    /// Whether a follow-up is late on `today`.
    pub fn call_overdue(c: &Call, today: Date) -> bool {
        c.closed_on.is_none() && c.due_on.is_some_and(|d| today > d)
    }
}
