//! The figures of the three channels per agency and period (docs/law/public-interaction.md §8), for the console's
//! statistics page, its XLSX, the public mailbox statistics, the JSON API and the annual report's narrative.

use crate::{App, AppError, Result};
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::hotline::OrderStatus;
use gongkai_domain::interaction::mailbox::{Satisfaction, Status};
use gongkai_domain::interaction::stats::{ChannelStats, Record, stats};
use gongkai_store::agencies::Agency;
use time::{Date, Month};

/// The figures of one agency over a year or one month of it.
#[derive(Debug, Clone)]
pub struct InteractionStats {
    pub year: i32,
    pub month: Option<u8>,
    pub mailbox: ChannelStats,
    pub hotline: ChannelStats,
    pub calls: ChannelStats,
    /// Whether the agency has any record of each channel in the period (else the report keeps a typed figure).
    pub has_records: bool,
}

/// The first and last day of `year`, or of one month of it.
pub fn period(year: i32, month: Option<u8>) -> Result<(Date, Date)> {
    let bad = || AppError::Invalid { field: Some("year"), message: "年度或月份有误".into() };
    match month {
        None => Ok((
            Date::from_calendar_date(year, Month::January, 1).map_err(|_| bad())?,
            Date::from_calendar_date(year, Month::December, 31).map_err(|_| bad())?,
        )),
        Some(m) => {
            let month = Month::try_from(m).map_err(|_| bad())?;
            let first = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
            let last =
                Date::from_calendar_date(year, month, time::util::days_in_month(month, year)).map_err(|_| bad())?;
            Ok((first, last))
        }
    }
}

impl App {
    async fn mailbox_records(&self, agency: &Agency) -> Result<Vec<Record>> {
        Ok(gongkai_store::mailbox::of_agency(&self.db, agency.id)
            .await?
            .into_iter()
            .map(|l| {
                let status = Status::parse(&l.status).unwrap_or(Status::Open);
                Record {
                    kind: Kind::parse(&l.kind).unwrap_or(Kind::Other),
                    received_on: l.received_on,
                    due_on: Some(l.due_on),
                    closed_on: l.replied_on.filter(|_| matches!(status, Status::Answered | Status::Rejected)),
                    satisfied: l.satisfaction.as_deref().and_then(Satisfaction::parse).map(Satisfaction::is_satisfied),
                    excluded: false,
                }
            })
            .collect())
    }

    /// The agency's 12345 orders: received on their 派单 day; 已退回, 重复件 and 无效件 are excluded (§8.5); a
    /// 回访 that did not reach the 诉求人 is not a rating (§8.4).
    async fn hotline_records(&self, agency: &Agency) -> Result<Vec<Record>> {
        Ok(self
            .hotline_orders(crate::Caller::System("stats"), agency, None)
            .await?
            .into_iter()
            .map(|o| Record {
                kind: o.kind,
                received_on: o.dispatched_on,
                due_on: Some(o.due),
                closed_on: o.closed_on,
                satisfied: o.satisfaction.filter(|s| s.reached()).map(|s| s.satisfied()),
                excluded: o.duplicate || o.invalid || o.status == OrderStatus::Returned,
            })
            .collect())
    }

    async fn call_records(&self, agency: &Agency) -> Result<Vec<Record>> {
        Ok(gongkai_store::calls::of_agency(&self.db, agency.id)
            .await?
            .into_iter()
            .map(|c| Record {
                kind: Kind::parse(&c.kind).unwrap_or(Kind::Other),
                received_on: c.called_on,
                // A call answered on the spot is due and closed the day it came in.
                due_on: Some(c.due_on.unwrap_or(c.called_on)),
                closed_on: c.closed_on,
                satisfied: None,
                excluded: false,
            })
            .collect())
    }

    /// The figures of the agency's channels in `year` (or one month of it). Aggregates only: public.
    pub async fn interaction_stats(&self, agency: &Agency, year: i32, month: Option<u8>) -> Result<InteractionStats> {
        let (from, to) = period(year, month)?;
        let mailbox = stats(&self.mailbox_records(agency).await?, from, to);
        let hotline = stats(&self.hotline_records(agency).await?, from, to);
        let calls = stats(&self.call_records(agency).await?, from, to);
        let has_records = mailbox.received + hotline.received + calls.received > 0;
        Ok(InteractionStats { year, month, mailbox, hotline, calls, has_records })
    }

    /// The figures of every month of `year` (for the charts).
    pub async fn interaction_by_month(&self, agency: &Agency, year: i32) -> Result<Vec<InteractionStats>> {
        let mailbox = self.mailbox_records(agency).await?;
        let hotline = self.hotline_records(agency).await?;
        let calls = self.call_records(agency).await?;
        (1..=12u8)
            .map(|m| {
                let (from, to) = period(year, Some(m))?;
                let (mailbox, hotline, calls) =
                    (stats(&mailbox, from, to), stats(&hotline, from, to), stats(&calls, from, to));
                let has_records = mailbox.received + hotline.received + calls.received > 0;
                Ok(InteractionStats { year, month: Some(m), mailbox, hotline, calls, has_records })
            })
            .collect()
    }

    /// The year's figures as XLSX: one row per figure, one column per channel.
    pub fn interaction_xlsx(&self, s: &InteractionStats) -> Result<Vec<u8>> {
        let row = |label: &str, f: &dyn Fn(&ChannelStats) -> Option<f64>| {
            (label.to_owned(), vec![f(&s.hotline), f(&s.mailbox), f(&s.calls)])
        };
        let n = |v: u32| Some(f64::from(v));
        let mut rows = vec![
            row("收到（件）", &|c| n(c.received)),
            row("办结（件）", &|c| n(c.closed)),
            row("按时办结（件）", &|c| n(c.on_time)),
            row("办结率（%）", &|c| c.rate_closed()),
            row("按时办结率（%）", &|c| c.rate_on_time()),
            row("满意率（%）", &|c| c.satisfaction()),
        ];
        for k in Kind::ALL {
            let label = format!("其中：{}（件）", k.label_zh());
            rows.push(row(&label, &|c| n(c.by_kind.get(k.label_zh()).copied().unwrap_or(0))));
        }
        gongkai_report::xlsx::figures_workbook(
            &format!("{}年政民互动", s.year),
            &["项目", "12345热线", "市长信箱", "接访电话"],
            &rows,
        )
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))
    }
}
