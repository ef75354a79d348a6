//! 按时办结率, 办结率 and 满意率 of 12345 orders (docs/law/public-interaction.md §8.2–§8.5), counted per period by
//! the date each order was received (派单), except 按时办结率, whose denominator is the orders whose deadline fell
//! in the period (§8.2).

use super::model::{OrderStatus, Satisfaction};
use serde::Serialize;
use time::Date;

/// What the rates need of an order. Dates are Beijing dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    pub received: Date,
    pub due: Date,
    /// The day 办结 was submitted, if it was.
    pub closed: Option<Date>,
    pub status: OrderStatus,
    pub duplicate: bool,
    pub invalid: bool,
    pub satisfaction: Option<Satisfaction>,
}

impl OrderFacts {
    /// 已退回, 重复件 and 无效件 are left out of every rate (§8.5).
    pub fn counted(&self) -> bool {
        !self.duplicate && !self.invalid && self.status != OrderStatus::Returned
    }
}

/// A rate as its two counts; [`Ratio::percent`] is `None` when nothing was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub fn percent(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }

    /// Every counted one qualifies (`均按时办结`, §8.6); false when nothing was counted.
    pub fn is_complete(self) -> bool {
        self.denominator > 0 && self.numerator == self.denominator
    }
}

fn within(d: Date, from: Date, to: Date) -> bool {
    from <= d && d <= to
}

/// §8.2: orders closed on or before their deadline ÷ orders whose deadline fell in `from..=to`.
pub fn on_time_rate(orders: &[OrderFacts], from: Date, to: Date) -> Ratio {
    let due: Vec<&OrderFacts> = orders.iter().filter(|o| o.counted() && within(o.due, from, to)).collect();
    Ratio {
        numerator: due.iter().filter(|o| o.closed.is_some_and(|c| c <= o.due)).count() as u64,
        denominator: due.len() as u64,
    }
}

/// §8.3: of the orders received in `from..=to`, those closed (by `to`) ÷ all of them.
pub fn closure_rate(orders: &[OrderFacts], from: Date, to: Date) -> Ratio {
    let received: Vec<&OrderFacts> = orders.iter().filter(|o| o.counted() && within(o.received, from, to)).collect();
    Ratio {
        numerator: received.iter().filter(|o| o.closed.is_some_and(|c| c <= to)).count() as u64,
        denominator: received.len() as u64,
    }
}

/// §8.4: of the orders received in `from..=to` whose 回访 reached the 诉求人, (满意 + 基本满意) ÷ reached. Orders not
/// rated (未评价) are in neither count.
pub fn satisfaction_rate(orders: &[OrderFacts], from: Date, to: Date) -> Ratio {
    let reached: Vec<Satisfaction> = orders
        .iter()
        .filter(|o| o.counted() && within(o.received, from, to))
        .filter_map(|o| o.satisfaction)
        .filter(|s| s.reached())
        .collect();
    Ratio { numerator: reached.iter().filter(|s| s.satisfied()).count() as u64, denominator: reached.len() as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn order(received: Date, due: Date, closed: Option<Date>, satisfaction: Option<Satisfaction>) -> OrderFacts {
        let status = if closed.is_some() { OrderStatus::Closed } else { OrderStatus::InProgress };
        OrderFacts { received, due, closed, status, duplicate: false, invalid: false, satisfaction }
    }

    #[test]
    fn rates_of_a_year() {
        let (from, to) = (date!(2025 - 01 - 01), date!(2025 - 12 - 31));
        let s = Some(Satisfaction::Satisfied);
        let orders = [
            // on time, satisfied
            order(date!(2025 - 03 - 01), date!(2025 - 03 - 20), Some(date!(2025 - 03 - 10)), s),
            // late, basically satisfied
            order(
                date!(2025 - 04 - 01),
                date!(2025 - 04 - 20),
                Some(date!(2025 - 04 - 25)),
                Some(Satisfaction::BasicallySatisfied),
            ),
            // open, deadline next year: not in the 按时办结率 denominator
            order(date!(2025 - 12 - 20), date!(2026 - 01 - 15), None, None),
            // unreached at the 回访
            order(date!(2025 - 05 - 01), date!(2025 - 05 - 20), Some(date!(2025 - 05 - 02)), {
                Some(Satisfaction::Unreached)
            }),
            // dissatisfied
            order(date!(2025 - 06 - 01), date!(2025 - 06 - 20), Some(date!(2025 - 06 - 02)), {
                Some(Satisfaction::Dissatisfied)
            }),
            // a 重复件 and a returned order count nowhere
            OrderFacts { duplicate: true, ..order(date!(2025 - 07 - 01), date!(2025 - 07 - 20), None, None) },
            OrderFacts {
                status: OrderStatus::Returned,
                ..order(date!(2025 - 07 - 01), date!(2025 - 07 - 20), None, None)
            },
            // received last year, due this year, closed on time
            order(date!(2024 - 12 - 20), date!(2025 - 01 - 10), Some(date!(2025 - 01 - 05)), s),
        ];
        assert_eq!(on_time_rate(&orders, from, to), Ratio { numerator: 4, denominator: 5 });
        assert_eq!(closure_rate(&orders, from, to), Ratio { numerator: 4, denominator: 5 });
        assert_eq!(satisfaction_rate(&orders, from, to), Ratio { numerator: 2, denominator: 3 });
        assert_eq!(on_time_rate(&orders, from, to).percent(), Some(80.0));
        assert!(!on_time_rate(&orders, from, to).is_complete());
        assert_eq!(Ratio::default().percent(), None);
    }

    #[test]
    fn kaifeng_denominator_is_orders_due_not_received() {
        // §8.2: 10324 on time of 10478 due gives 98.53 %.
        let r = Ratio { numerator: 10_324, denominator: 10_478 };
        assert_eq!(format!("{:.2}", r.percent().unwrap()), "98.53");
    }
}
