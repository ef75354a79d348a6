//! Figures of the interaction channels per period (docs/law/public-interaction.md §8): received, closed, on time,
//! 办结率, 按时办结率 and 满意率, overall and by type, from one record per letter or order.

use super::Kind;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// One letter, order or follow-up as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: Kind,
    pub received_on: Date,
    pub due_on: Option<Date>,
    pub closed_on: Option<Date>,
    /// The writer's or caller's rating: `Some(true)` 满意/基本满意, `Some(false)` 不满意, `None` not rated.
    pub satisfied: Option<bool>,
    /// 已退回, 重复件, 无效件: excluded from every figure (§8.5).
    pub excluded: bool,
}

/// The figures of one channel over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChannelStats {
    /// Received in the period (§8.1).
    pub received: u32,
    /// Of those, closed (by the end of the period or now, whichever is earlier).
    pub closed: u32,
    /// Closed on or before their deadline.
    pub on_time: u32,
    /// Records whose deadline fell in the period: the denominator of 按时办结率 (§8.2).
    pub due_in_period: u32,
    /// Of those, closed on or before the deadline: the numerator of 按时办结率.
    pub on_time_due: u32,
    /// Rated by the writer (满意率's denominator, §8.4).
    pub rated: u32,
    /// Rated 满意 or 基本满意.
    pub satisfied: u32,
    /// Received per type, in the report's order.
    pub by_kind: BTreeMap<&'static str, u32>,
}

impl ChannelStats {
    /// 办结率 in percent (§8.3); `None` when nothing was received.
    pub fn rate_closed(&self) -> Option<f64> {
        percent(self.closed, self.received)
    }

    /// 按时办结率 in percent (§8.2): on time ÷ due in the period.
    pub fn rate_on_time(&self) -> Option<f64> {
        percent(self.on_time_due, self.due_in_period)
    }

    /// 满意率 in percent (§8.4); `None` when nobody rated.
    pub fn satisfaction(&self) -> Option<f64> {
        percent(self.satisfied, self.rated)
    }
}

/// `part / whole` in percent, rounded to two decimals.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 10_000.0 / f64::from(whole)).round() / 100.0)
}

/// The figures of `records` received in `[from, to]` (inclusive); closures after `to` do not count yet.
pub fn stats(records: &[Record], from: Date, to: Date) -> ChannelStats {
    let mut s = ChannelStats::default();
    for r in records.iter().filter(|r| !r.excluded) {
        let closed = r.closed_on.filter(|c| *c <= to);
        if (from..=to).contains(&r.received_on) {
            s.received += 1;
            *s.by_kind.entry(r.kind.label_zh()).or_default() += 1;
            if closed.is_some() {
                s.closed += 1;
            }
            if let (Some(c), Some(d)) = (closed, r.due_on)
                && c <= d
            {
                s.on_time += 1;
            }
            if let Some(sat) = r.satisfied {
                s.rated += 1;
                if sat {
                    s.satisfied += 1;
                }
            }
        }
        if let Some(d) = r.due_on
            && (from..=to).contains(&d)
        {
            s.due_in_period += 1;
            if closed.is_some_and(|c| c <= d) {
                s.on_time_due += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn r(kind: Kind, received: Date, due: Date, closed: Option<Date>, satisfied: Option<bool>) -> Record {
        Record { kind, received_on: received, due_on: Some(due), closed_on: closed, satisfied, excluded: false }
    }

    #[test]
    fn counts_and_rates_by_hand() {
        let (from, to) = (date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        let records = vec![
            // On time, satisfied.
            r(Kind::Consult, date!(2026 - 03 - 02), date!(2026 - 03 - 09), Some(date!(2026 - 03 - 05)), Some(true)),
            // Late, not satisfied.
            r(Kind::Complaint, date!(2026 - 03 - 02), date!(2026 - 03 - 20), Some(date!(2026 - 03 - 25)), Some(false)),
            // Open, due in the year.
            r(Kind::Complaint, date!(2026 - 12 - 01), date!(2026 - 12 - 08), None, None),
            // Received last year, closed this year on time: counts in the on-time rate only.
            r(Kind::Help, date!(2025 - 12 - 30), date!(2026 - 01 - 08), Some(date!(2026 - 01 - 05)), None),
            // Closed after the period: open as of its end.
            r(Kind::Report, date!(2026 - 12 - 28), date!(2027 - 01 - 08), Some(date!(2027 - 01 - 04)), None),
            Record { excluded: true, ..r(Kind::Consult, date!(2026 - 05 - 05), date!(2026 - 05 - 08), None, None) },
        ];
        let s = stats(&records, from, to);
        assert_eq!((s.received, s.closed, s.on_time), (4, 2, 1));
        assert_eq!((s.due_in_period, s.on_time_due), (4, 2));
        assert_eq!((s.rated, s.satisfied), (2, 1));
        assert_eq!(s.rate_closed(), Some(50.0));
        assert_eq!(s.rate_on_time(), Some(50.0));
        assert_eq!(s.satisfaction(), Some(50.0));
        assert_eq!(s.by_kind.get("投诉"), Some(&2));
        assert_eq!(percent(2, 3), Some(66.67));
        assert_eq!(percent(1, 0), None);
    }
}
