//! Boundaries of the site check with hand-computed dates (docs/law/supervision.md §7).

use crate::monitor::{
    ColumnFacts, Indicator, Kind, LetterFacts, Probe, SiteFacts, Thresholds, UpdateClass, Verdict, Window, add_months,
    check,
};
use time::macros::date;
use time::{Date, Duration};

fn col(slug: &str, name: &str, class: UpdateClass, last: Option<Date>) -> ColumnFacts {
    ColumnFacts {
        slug: slug.into(),
        name: name.into(),
        class,
        top_level: true,
        last_published: last,
        has_content: last.is_some(),
    }
}

/// A fresh static column keeps the homepage fresh on `day` without making anything stale.
fn site(day: Date, mut columns: Vec<ColumnFacts>) -> SiteFacts {
    columns.push(col("bmgk", "部门概况", UpdateClass::Static, Some(day)));
    SiteFacts { columns, ..Default::default() }
}

fn kinds(facts: &SiteFacts, day: Date, indicator: Indicator) -> Vec<Kind> {
    let c = check(&Thresholds::default(), day, facts);
    c.findings.iter().filter(|f| f.indicator == indicator).map(|f| f.kind).collect()
}

#[test]
fn default_classes_follow_the_seeded_columns() {
    assert_eq!(UpdateClass::default_for("gzdt", "工作动态"), UpdateClass::News);
    assert_eq!(UpdateClass::default_for("zcwj", "政策文件"), UpdateClass::Notice);
    assert_eq!(UpdateClass::default_for("tzgg", "通知公告"), UpdateClass::Notice);
    assert_eq!(UpdateClass::default_for("ghxx", "规划信息"), UpdateClass::Annual);
    assert_eq!(UpdateClass::default_for("bmgk", "部门概况"), UpdateClass::Static);
    assert_eq!(UpdateClass::default_for("x1", "乡镇要闻"), UpdateClass::News);
    assert_eq!(UpdateClass::default_for("x2", "人事信息"), UpdateClass::Annual);
    for c in UpdateClass::ALL {
        assert_eq!(UpdateClass::parse(c.as_str()), Ok(c));
    }
    assert!(UpdateClass::parse("weekly").is_err());
}

#[test]
fn windows_count_calendar_days_and_clamp_months() {
    // §7.2: 2025-09-26 is fresh through 10-10 (国庆 notwithstanding).
    assert_eq!(Window::Days(14).last_fresh_day(date!(2025 - 09 - 26)), date!(2025 - 10 - 10));
    assert_eq!(Window::Months(6).last_fresh_day(date!(2025 - 01 - 31)), date!(2025 - 07 - 31));
    assert_eq!(Window::Months(6).last_fresh_day(date!(2025 - 08 - 31)), date!(2026 - 02 - 28));
    assert_eq!(Window::Months(12).last_fresh_day(date!(2024 - 02 - 29)), date!(2025 - 02 - 28));
    assert_eq!(add_months(date!(2025 - 11 - 15), 3), date!(2026 - 02 - 15));
}

#[test]
fn home_is_stale_after_fourteen_days_with_amber_from_ten() {
    let last = date!(2025 - 09 - 26);
    let facts =
        SiteFacts { columns: vec![col("bmgk", "部门概况", UpdateClass::Static, Some(last))], ..Default::default() };
    assert_eq!(kinds(&facts, date!(2025 - 10 - 05), Indicator::HomeStale), vec![]); // 9 days
    assert_eq!(kinds(&facts, date!(2025 - 10 - 06), Indicator::HomeStale), vec![Kind::Warn]); // 10 days
    assert_eq!(kinds(&facts, date!(2025 - 10 - 10), Indicator::HomeStale), vec![Kind::Warn]); // exactly 14 days
    assert_eq!(kinds(&facts, date!(2025 - 10 - 11), Indicator::HomeStale), vec![Kind::Veto]); // 15 days
    let c = check(&Thresholds::default(), date!(2025 - 10 - 11), &facts);
    assert_eq!((c.verdict, c.score), (Verdict::Fail, None));
    let c = check(&Thresholds::default(), date!(2025 - 10 - 10), &facts);
    assert_eq!((c.verdict, c.score), (Verdict::Pass, Some(100)));
}

#[test]
fn a_news_column_is_stale_on_day_fifteen_and_named() {
    let day = date!(2025 - 10 - 10);
    let facts = site(day, vec![col("gzdt", "工作动态", UpdateClass::News, Some(date!(2025 - 09 - 26)))]);
    assert_eq!(kinds(&facts, day, Indicator::ColumnsStale), vec![Kind::Warn]); // stale within 3 days
    let day = date!(2025 - 10 - 11);
    let facts = site(day, vec![col("gzdt", "工作动态", UpdateClass::News, Some(date!(2025 - 09 - 26)))]);
    let c = check(&Thresholds::default(), day, &facts);
    let f = c.findings.iter().find(|f| f.indicator == Indicator::ColumnsStale).expect("stale");
    assert_eq!(f.kind, Kind::Warn);
    assert!(f.message.contains("工作动态"), "{}", f.message);
    assert_eq!(c.verdict, Verdict::Pass);
}

#[test]
fn five_stale_news_and_notice_columns_veto_four_do_not() {
    let day = date!(2026 - 03 - 01);
    let old_news = Some(day - Duration::days(15));
    let fresh_notice = Some(add_months(day, 0) - Duration::days(10));
    let stale_notice = Some(date!(2025 - 08 - 31)); // fresh through 2026-02-28
    let mut cols: Vec<ColumnFacts> =
        (0..3).map(|i| col(&format!("n{i}"), &format!("动态{i}"), UpdateClass::News, old_news)).collect();
    cols.push(col("tzgg", "通知公告", UpdateClass::Notice, stale_notice));
    cols.push(col("t2", "公告二", UpdateClass::Notice, fresh_notice));
    let mut sub = col("t3", "下级通知", UpdateClass::Notice, stale_notice);
    sub.top_level = false; // a sub-column does not count towards the five
    cols.push(sub);
    assert_eq!(kinds(&site(day, cols.clone()), day, Indicator::ColumnsStale), vec![Kind::Warn]); // 4
    cols.push(col("zcwj", "政策文件", UpdateClass::Notice, stale_notice));
    let c = check(&Thresholds::default(), day, &site(day, cols.clone()));
    let stale: Vec<Kind> =
        c.findings.iter().filter(|f| f.indicator == Indicator::ColumnsStale).map(|f| f.kind).collect();
    assert_eq!(stale, vec![Kind::Veto, Kind::Deduct]); // 5, and 政策文件 −5
    // The day before, 政策文件 (2025-08-31 + 6 months = 2026-02-28) was still fresh: 4 again.
    let day = date!(2026 - 02 - 28);
    let c = check(&Thresholds::default(), day, &site(day, cols));
    assert!(c.findings.iter().all(|f| f.kind != Kind::Veto), "{:?}", c.findings);
}

#[test]
fn ten_stale_columns_veto_nine_do_not() {
    let day = date!(2026 - 03 - 01);
    let last = Some(date!(2025 - 02 - 28)); // a year: fresh through 2026-02-28
    let cols: Vec<ColumnFacts> =
        (0..9).map(|i| col(&format!("a{i}"), &format!("规划{i}"), UpdateClass::Annual, last)).collect();
    assert_eq!(kinds(&site(day, cols.clone()), day, Indicator::ColumnsStale), vec![Kind::Warn]);
    let mut ten = cols;
    ten.push(col("a9", "规划9", UpdateClass::Annual, last));
    assert_eq!(kinds(&site(day, ten.clone()), day, Indicator::ColumnsStale), vec![Kind::Veto]);
    let c = check(&Thresholds::default(), date!(2026 - 02 - 28), &site(date!(2026 - 02 - 28), ten));
    assert!(c.findings.iter().all(|f| f.kind != Kind::Veto));
}

#[test]
fn five_blank_columns_veto_four_warn() {
    let day = date!(2026 - 03 - 01);
    let cols: Vec<ColumnFacts> =
        (0..4).map(|i| col(&format!("b{i}"), &format!("空白{i}"), UpdateClass::Static, None)).collect();
    assert_eq!(kinds(&site(day, cols.clone()), day, Indicator::ColumnsBlank), vec![Kind::Warn]);
    let mut five = cols;
    five.push(col("b4", "空白4", UpdateClass::News, None));
    assert_eq!(kinds(&site(day, five.clone()), day, Indicator::ColumnsBlank), vec![Kind::Veto]);
    // A blank column is not also counted as stale.
    assert_eq!(kinds(&site(day, five), day, Indicator::ColumnsStale), vec![]);
}

#[test]
fn a_message_unanswered_over_three_months_vetoes() {
    // §7.4: received 2025-07-01; amber from 08-30 (60 days), veto from 10-02.
    let letter = |answered_on, valid| LetterFacts {
        label: "关于路灯的建议".into(),
        received_on: date!(2025 - 07 - 01),
        answered_on,
        valid,
    };
    let facts = |l| SiteFacts { letters: vec![l], ..site(date!(2025 - 10 - 02), vec![]) };
    let k = |l: LetterFacts, day| kinds(&facts(l), day, Indicator::InteractionUnanswered);
    assert_eq!(k(letter(None, true), date!(2025 - 08 - 29)), vec![]);
    assert_eq!(k(letter(None, true), date!(2025 - 08 - 30)), vec![Kind::Warn]);
    assert_eq!(k(letter(None, true), date!(2025 - 10 - 01)), vec![Kind::Warn]);
    assert_eq!(k(letter(None, true), date!(2025 - 10 - 02)), vec![Kind::Veto]);
    assert_eq!(k(letter(Some(date!(2025 - 09 - 01)), true), date!(2025 - 10 - 02)), vec![]);
    // Answered only after the day of the check: still unanswered as of that day.
    assert_eq!(k(letter(Some(date!(2025 - 10 - 05)), true), date!(2025 - 10 - 02)), vec![Kind::Veto]);
    assert_eq!(k(letter(None, false), date!(2025 - 10 - 02)), vec![]);
    // Outside the year before the check.
    assert_eq!(k(letter(None, true), date!(2026 - 07 - 02)), vec![]);
}

#[test]
fn failed_probes_veto_at_five_percent() {
    // §7.1: 140 probes (20 a day for a week), 7 failures = 5.00 % → veto; 6 = 4.29 % → amber; 4 = 2.86 % → none.
    let day = date!(2025 - 10 - 10);
    let probes = |failed: usize| -> Vec<Probe> {
        (0..140).map(|i| Probe { day: day - Duration::days((i % 7) as i64), ok: i >= failed }).collect()
    };
    let k = |failed| kinds(&SiteFacts { probes: probes(failed), ..site(day, vec![]) }, day, Indicator::SiteUnreachable);
    assert_eq!(k(7), vec![Kind::Veto]);
    assert_eq!(k(6), vec![Kind::Warn]);
    assert_eq!(k(4), vec![]);
    // No probe data: no finding.
    assert_eq!(kinds(&site(day, vec![]), day, Indicator::SiteUnreachable), vec![]);
    // Probes older than the week are not counted.
    let later = day + Duration::days(7);
    assert_eq!(
        kinds(&SiteFacts { probes: probes(7), ..site(later, vec![]) }, later, Indicator::SiteUnreachable),
        vec![]
    );
}

#[test]
fn content_errors_veto_and_broken_links_warn() {
    let day = date!(2025 - 10 - 10);
    let mut facts = site(day, vec![]);
    facts.broken_links.push(("/a/gzdt/1".into(), "/a/gzdt/999".into()));
    let c = check(&Thresholds::default(), day, &facts);
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.findings[0].indicator.as_str(), "links.broken");
    facts.content_errors.push(("/a/gzdt/1".into(), "“副市长”应为“市长”".into()));
    let c = check(&Thresholds::default(), day, &facts);
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!((c.findings[0].indicator, c.findings[0].kind), (Indicator::ContentError, Kind::Veto));
}
