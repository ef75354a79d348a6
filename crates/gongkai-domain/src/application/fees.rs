//! 信息处理费 (国办函〔2020〕109号): 按件 or 按量, never both on one application. Amounts in whole yuan.

use serde::{Deserialize, Serialize};

/// How a fee is computed for one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件: the application is the `nth` of the same applicant in that calendar month.
    PerApplication { nth_in_month: u32 },
    /// 按量: pages provided (paper, email, copied data).
    PerPage { pages: u32 },
}

impl FeeMethod {
    pub fn amount(self) -> u64 {
        match self {
            FeeMethod::PerApplication { nth_in_month } => fee_for_nth_in_month(nth_in_month),
            FeeMethod::PerPage { pages } => fee_by_pages(pages),
        }
    }
}

/// 按件: the fee of the applicant's `n`-th application in a calendar month (1-based).
/// 1–10 free; 11–30 ¥100; from 31 the price rises by ¥100 for each further block of 10 (31–40 ¥200, 41–50 ¥300 …).
pub fn fee_for_nth_in_month(n: u32) -> u64 {
    match n {
        0..=10 => 0,
        11..=30 => 100,
        _ => 100 * (2 + u64::from(n - 31) / 10),
    }
}

/// 按件: the total for `count` applications of one applicant in one calendar month.
pub fn fee_for_month_count(count: u32) -> u64 {
    (1..=count).map(fee_for_nth_in_month).sum()
}

/// 按量, marginal: pages 1–30 free; 31–100 ¥10/page; 101–200 ¥20/page; 201+ ¥40/page.
pub fn fee_by_pages(pages: u32) -> u64 {
    let p = u64::from(pages);
    let band = |from: u64, to: u64| p.min(to).saturating_sub(from - 1);
    band(31, 100) * 10 + band(101, 200) * 20 + band(201, u64::MAX) * 40
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_examples() {
        // 45 in a month → 20×100 + 10×200 + 5×300.
        assert_eq!(fee_for_month_count(45), 5_500);
        // 250 pages → 70×10 + 100×20 + 50×40.
        assert_eq!(fee_by_pages(250), 4_700);
    }

    #[test]
    fn per_application_boundaries() {
        assert_eq!(fee_for_nth_in_month(10), 0);
        assert_eq!(fee_for_nth_in_month(11), 100);
        assert_eq!(fee_for_nth_in_month(30), 100);
        assert_eq!(fee_for_nth_in_month(31), 200);
        assert_eq!(fee_for_nth_in_month(40), 200);
        assert_eq!(fee_for_nth_in_month(41), 300);
        assert_eq!(fee_for_month_count(10), 0);
        assert_eq!(fee_for_month_count(11), 100);
        assert_eq!(fee_for_month_count(30), 2_000);
        assert_eq!(fee_for_month_count(31), 2_200);
        assert_eq!(FeeMethod::PerApplication { nth_in_month: 11 }.amount(), 100);
    }

    #[test]
    fn per_page_boundaries() {
        assert_eq!(fee_by_pages(0), 0);
        assert_eq!(fee_by_pages(30), 0);
        assert_eq!(fee_by_pages(31), 10);
        assert_eq!(fee_by_pages(100), 700);
        assert_eq!(fee_by_pages(101), 720);
        assert_eq!(fee_by_pages(200), 2_700);
        assert_eq!(fee_by_pages(201), 2_740);
        assert_eq!(FeeMethod::PerPage { pages: 250 }.amount(), 4_700);
    }

    proptest! {
        #[test]
        fn marginal_price_of_one_more_page(p in 0u32..100_000) {
            let step = fee_by_pages(p + 1) - fee_by_pages(p);
            let expected = match p + 1 { 0..=30 => 0, 31..=100 => 10, 101..=200 => 20, _ => 40 };
            prop_assert_eq!(step, expected);
        }

        #[test]
        fn month_total_is_monotone(n in 0u32..2_000) {
            prop_assert!(fee_for_month_count(n + 1) >= fee_for_month_count(n));
        }
    }
}
