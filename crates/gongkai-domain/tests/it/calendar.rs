//! Working-day calendar: spec spot checks and worked examples (docs/law/calendar.md), data-driven checks
//! against holidays-cn.json, file import, provisional years, and properties.

use gongkai_domain::calendar::{
    Calendar, CalendarImportError, DayKind, HolidayYear, SEED_JSON, SkipReason, format_date_zh, parse_holiday_file,
    seed_years,
};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Month, Weekday};

fn cal() -> Calendar {
    Calendar::seeded()
}

// ---------------------------------------------------------------------------------------------
// docs/law/calendar.md spot checks

#[test]
fn spot_checks_2023() {
    let c = cal();
    // 调休上班 Saturdays.
    assert!(c.is_working_day(date!(2023 - 01 - 28)));
    assert_eq!(c.day_kind(date!(2023 - 01 - 28)), DayKind::AdjustedWorkday);
    assert!(c.is_working_day(date!(2023 - 10 - 07)));
    // Friday inside 中秋节、国庆节.
    assert!(!c.is_working_day(date!(2023 - 09 - 29)));
    assert_eq!(c.day_kind(date!(2023 - 09 - 29)), DayKind::Holiday { name: "中秋节、国庆节".into() });
}

#[test]
fn spot_checks_2024() {
    let c = cal();
    // 除夕 2024-02-09 (Fri) is not in the 2024 off range: a working day.
    assert_eq!(c.day_kind(date!(2024 - 02 - 09)), DayKind::Workday);
    assert!(c.is_working_day(date!(2024 - 02 - 18)));
    assert_eq!(c.day_kind(date!(2024 - 02 - 18)), DayKind::AdjustedWorkday);
}

#[test]
fn spot_checks_2025() {
    let c = cal();
    let mut d = date!(2025 - 01 - 28);
    while d <= date!(2025 - 02 - 04) {
        assert!(!c.is_working_day(d), "{d} should be off");
        assert_eq!(c.day_kind(d), DayKind::Holiday { name: "春节".into() });
        d = d.next_day().unwrap();
    }
    assert!(c.is_working_day(date!(2025 - 01 - 26)));
    assert!(c.is_working_day(date!(2025 - 02 - 08)));
}

#[test]
fn spot_checks_2026() {
    let c = cal();
    let mut d = date!(2026 - 02 - 15);
    while d <= date!(2026 - 02 - 23) {
        assert!(!c.is_working_day(d), "{d} should be off");
        d = d.next_day().unwrap();
    }
    assert!(c.is_working_day(date!(2026 - 02 - 14)));
    assert!(c.is_working_day(date!(2026 - 02 - 28)));
    assert!(c.is_working_day(date!(2026 - 01 - 04)));
    assert_eq!(c.day_kind(date!(2026 - 01 - 04)), DayKind::AdjustedWorkday);
    // Plain weekend and plain workday for contrast.
    assert_eq!(c.day_kind(date!(2026 - 03 - 07)), DayKind::Weekend);
    assert_eq!(c.day_kind(date!(2026 - 03 - 09)), DayKind::Workday);
}

// ---------------------------------------------------------------------------------------------
// docs/law/calendar.md worked examples

#[test]
fn worked_example_2023_national_day() {
    let due = cal().add_working_days(date!(2023 - 09 - 28), 20).with_trigger("收到申请之日");
    // 09-29..10-06 off (中秋节、国庆节); Sat 10-07 and Sun 10-08 count (1, 2); 10-09..13 (3..7),
    // 10-16..20 (8..12), 10-23..27 (13..17), 10-30, 10-31, 11-01 (18..20).
    assert_eq!(due.date, date!(2023 - 11 - 01));
    let e = &due.explanation;
    assert_eq!(e.days_counted, 20);
    assert!(!e.provisional);
    assert_eq!(e.adjusted_workdays, vec![date!(2023 - 10 - 07), date!(2023 - 10 - 08)]);
    let hol: Vec<_> = e.skipped_holidays().collect();
    assert_eq!(hol.len(), 1);
    assert_eq!((hol[0].from, hol[0].to), (date!(2023 - 09 - 29), date!(2023 - 10 - 06)));
    assert_eq!(hol[0].reason, SkipReason::Holiday("中秋节、国庆节".into()));
    // Weekends 10-14/15, 10-21/22, 10-28/29.
    assert_eq!(e.skipped_weekend_days(), 6);
    let zh = e.to_zh();
    assert!(zh.contains("自2023年9月28日（收到申请之日）次日起算，计20个工作日，至2023年11月1日"), "{zh}");
    assert!(zh.contains("2023年9月29日至10月6日 中秋节、国庆节"), "{zh}");
    assert!(zh.contains("2023年10月7日、10月8日为调休上班日，计入"), "{zh}");
    assert!(!zh.contains("临时"), "{zh}");
}

#[test]
fn worked_example_2026_spring_festival() {
    let due = cal().add_working_days(date!(2026 - 02 - 13), 20);
    // Sat 02-14 counts (1); 02-15..23 off (春节); 02-24..27 (2..5); Sat 02-28 counts (6);
    // 03-02..06 (7..11), 03-09..13 (12..16), 03-16..19 (17..20).
    assert_eq!(due.date, date!(2026 - 03 - 19));
    assert_eq!(due.explanation.adjusted_workdays, vec![date!(2026 - 02 - 14), date!(2026 - 02 - 28)]);
    let hol: Vec<_> = due.explanation.skipped_holidays().collect();
    assert_eq!(hol.len(), 1);
    assert_eq!((hol[0].from, hol[0].to), (date!(2026 - 02 - 15), date!(2026 - 02 - 23)));
    assert!(due.explanation.to_zh().contains("2026年2月15日至2月23日 春节"));
}

#[test]
fn worked_example_correction_notice_2025() {
    let due = cal().add_working_days(date!(2025 - 01 - 27), 7);
    // 01-28..02-04 off (春节); 02-05, 06, 07 (1..3); Sat 02-08 调休 (4); 02-10, 11, 12 (5..7).
    assert_eq!(due.date, date!(2025 - 02 - 12));
    assert_eq!(due.explanation.adjusted_workdays, vec![date!(2025 - 02 - 08)]);
}

#[test]
fn zero_days_is_the_start_day() {
    let due = cal().add_working_days(date!(2023 - 09 - 29), 0);
    assert_eq!(due.date, date!(2023 - 09 - 29));
    assert_eq!(due.explanation.days_counted, 0);
}

#[test]
fn count_working_days_examples() {
    let c = cal();
    // (2023-09-28, 2023-11-01] holds exactly the 20 days of the worked example.
    assert_eq!(c.count_working_days(date!(2023 - 09 - 28), date!(2023 - 11 - 01)), 20);
    // (09-28, 10-06]: all off.
    assert_eq!(c.count_working_days(date!(2023 - 09 - 28), date!(2023 - 10 - 06)), 0);
    // (10-06, 10-08]: the two 调休 weekend days.
    assert_eq!(c.count_working_days(date!(2023 - 10 - 06), date!(2023 - 10 - 08)), 2);
    // Empty and reversed ranges.
    assert_eq!(c.count_working_days(date!(2023 - 10 - 08), date!(2023 - 10 - 08)), 0);
    assert_eq!(c.count_working_days(date!(2023 - 11 - 01), date!(2023 - 09 - 28)), 0);
}

// ---------------------------------------------------------------------------------------------
// Data-driven: every listed day, and every unlisted day, behaves as the data says.

#[test]
fn seed_has_four_years_with_provenance() {
    let years = seed_years();
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2023, 2024, 2025, 2026]);
    for y in &years {
        let url = y.notice_url.as_deref().unwrap_or_default();
        assert!(url.contains("gov.cn"), "{}: {url}", y.year);
    }
    assert_eq!(years[3].notice_url.as_deref(), Some("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"));
    let c = cal();
    assert_eq!(c.loaded_years(), vec![2023, 2024, 2025, 2026]);
    assert!(c.is_loaded(2024) && !c.is_loaded(2027) && !c.is_loaded(2022));
}

#[test]
fn every_seed_day_matches_the_data() {
    let c = cal();
    let raw: serde_json::Value = serde_json::from_str(SEED_JSON).unwrap();
    let mut listed = std::collections::BTreeSet::new();
    for (_, y) in raw["years"].as_object().unwrap() {
        for o in y["off_days"].as_array().unwrap() {
            let d = parse(o["date"].as_str().unwrap());
            listed.insert(d);
            assert!(!c.is_working_day(d), "{d}");
            assert_eq!(c.day_kind(d), DayKind::Holiday { name: o["name"].as_str().unwrap().into() });
        }
        for w in y["adjusted_workdays"].as_array().unwrap() {
            let d = parse(w.as_str().unwrap());
            listed.insert(d);
            assert!(c.is_working_day(d), "{d}");
            assert_eq!(c.day_kind(d), DayKind::AdjustedWorkday);
        }
    }
    // Every other day of 2022-12 .. 2026-12 follows the plain weekday rule.
    let mut d = date!(2022 - 12 - 01);
    while d <= date!(2026 - 12 - 31) {
        if !listed.contains(&d) {
            let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
            assert_eq!(c.is_working_day(d), !weekend, "{d}");
        }
        d = d.next_day().unwrap();
    }
}

#[test]
fn count_matches_brute_force_over_seed_range() {
    let c = cal();
    let start = date!(2022 - 12 - 01);
    let mut d = start;
    let mut brute = 0;
    while d <= date!(2027 - 01 - 31) {
        d = d.next_day().unwrap();
        if c.is_working_day(d) {
            brute += 1;
        }
        assert_eq!(c.count_working_days(start, d), brute, "{d}");
    }
}

fn parse(s: &str) -> Date {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Provisional years, and adding a year from a holiday-cn file.

/// A made-up 2027 file in holiday-cn layout (test data, not the real notice): 元旦 Fri 01-01 .. Sun
/// 01-03 off; 春节 Sat 02-06 .. Sun 02-14 off, with Sun 01-31 and Sat 02-20 as 调休上班.
const HOLIDAY_CN_2027: &str = r#"{
  "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
  "$id": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json",
  "year": 2027,
  "papers": ["https://www.gov.cn/zhengce/test-2027.htm"],
  "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-02", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-03", "isOffDay": true},
    {"name": "春节", "date": "2027-01-31", "isOffDay": false},
    {"name": "春节", "date": "2027-02-06", "isOffDay": true},
    {"name": "春节", "date": "2027-02-07", "isOffDay": true},
    {"name": "春节", "date": "2027-02-08", "isOffDay": true},
    {"name": "春节", "date": "2027-02-09", "isOffDay": true},
    {"name": "春节", "date": "2027-02-10", "isOffDay": true},
    {"name": "春节", "date": "2027-02-11", "isOffDay": true},
    {"name": "春节", "date": "2027-02-12", "isOffDay": true},
    {"name": "春节", "date": "2027-02-13", "isOffDay": true},
    {"name": "春节", "date": "2027-02-14", "isOffDay": true},
    {"name": "春节", "date": "2027-02-20", "isOffDay": false}
  ]
}"#;

#[test]
fn year_2027_is_provisional_until_loaded() {
    let mut c = cal();
    // Without 2027: Thu 2026-12-31 (1), Fri 2027-01-01 off anyway (元旦, a fixed date of the 办法), weekend,
    // Mon 01-04 (2), Tue 01-05 (3).
    let due = c.add_working_days(date!(2026 - 12 - 30), 3);
    assert_eq!(due.date, date!(2027 - 01 - 05));
    assert_eq!(c.day_kind(date!(2027 - 01 - 01)), DayKind::Holiday { name: "元旦".into() });
    assert!(due.explanation.provisional);
    assert_eq!(due.explanation.provisional_years, vec![2027]);
    assert!(due.explanation.to_zh().contains("临时（未载入2027年放假安排）"), "{}", due.explanation.to_zh());
    // A period ending 2026-12-29 already touches the days the 2027 notice may change.
    let due = c.add_working_days(date!(2026 - 12 - 01), 20);
    assert_eq!(due.date, date!(2026 - 12 - 29));
    assert_eq!(due.explanation.provisional_years, vec![2027]);
    // One ending well before 12-25 does not.
    assert!(!c.add_working_days(date!(2026 - 11 - 02), 10).explanation.provisional);

    let years = parse_holiday_file(HOLIDAY_CN_2027.as_bytes()).unwrap();
    assert_eq!(years.len(), 1);
    let y = years.into_iter().next().unwrap();
    assert_eq!(y.year, 2027);
    assert_eq!(y.notice_url.as_deref(), Some("https://www.gov.cn/zhengce/test-2027.htm"));
    assert_eq!(y.off_days.len(), 12);
    assert_eq!(y.adjusted_workdays, vec![date!(2027 - 01 - 31), date!(2027 - 02 - 20)]);
    assert!(c.insert_year(y).is_none());
    assert!(c.is_loaded(2027));

    // With 2027: 12-31 (1); 2027-01-01..03 off (元旦); Mon 01-04 (2), Tue 01-05 (3).
    let due = c.add_working_days(date!(2026 - 12 - 30), 3);
    assert_eq!(due.date, date!(2027 - 01 - 05));
    assert!(!due.explanation.provisional);
    assert!(due.explanation.to_zh().contains("2027年1月1日至1月3日 元旦"));
    assert!(!c.add_working_days(date!(2026 - 12 - 01), 20).explanation.provisional);
    // Into 2028 (not loaded) again: provisional, naming only 2028.
    let due = c.add_working_days(date!(2027 - 12 - 20), 10);
    assert_eq!(due.explanation.provisional_years, vec![2028]);
}

#[test]
fn unloaded_years_use_plain_weekends_and_the_fixed_statutory_days() {
    let c = cal();
    // 2019 is not loaded: 国庆节 Tue 10-01 … Thu 10-03 are still off (办法, 2007 text), Fri 10-04 counts. (The
    // real 2019 notice also made 10-04 and 10-07 off: only the notice knows, hence provisional.)
    let due = c.add_working_days(date!(2019 - 09 - 30), 1);
    assert_eq!(due.date, date!(2019 - 10 - 04));
    assert!(due.explanation.provisional);
    assert_eq!(due.explanation.provisional_years, vec![2019]);
    assert!(due.explanation.to_zh().contains("2019年10月1日至10月3日 国庆节"), "{}", due.explanation.to_zh());
    // 2027 (not loaded, 2024 revision): 元旦 1-1, 劳动节 5-1/5-2, 国庆节 10-1…10-3; nothing else.
    let off: Vec<Date> = (0..365)
        .filter_map(|i| date!(2027 - 01 - 01).checked_add(time::Duration::days(i)))
        .filter(|d| matches!(c.day_kind(*d), DayKind::Holiday { .. }))
        .collect();
    assert_eq!(
        off,
        vec![
            date!(2027 - 01 - 01),
            date!(2027 - 05 - 01),
            date!(2027 - 05 - 02),
            date!(2027 - 10 - 01),
            date!(2027 - 10 - 02),
            date!(2027 - 10 - 03)
        ]
    );
    // Fri 2027-04-30 + 1: Sat 5-1, Sun 5-2 off (and weekend), Mon 5-3 counts.
    assert_eq!(c.add_working_days(date!(2027 - 04 - 30), 1).date, date!(2027 - 05 - 03));
    // Thu 2027-09-30 + 1: Fri 10-01 off, weekend, Mon 10-04 counts; working days Sep 30 … Oct 8: 10-04 … 10-08.
    assert_eq!(c.add_working_days(date!(2027 - 09 - 30), 1).date, date!(2027 - 10 - 04));
    assert_eq!(c.count_working_days(date!(2027 - 09 - 30), date!(2027 - 10 - 08)), 5);
    // 2013 (2007 text): 劳动节 is one day, Wed 5-1; Thu 5-2 counts.
    assert_eq!(c.add_working_days(date!(2013 - 04 - 30), 1).date, date!(2013 - 05 - 02));
    // A loaded year is decided by its notice alone: 2025-05-01 … 05-05 off, Sun 2025-04-27 works.
    assert_eq!(c.day_kind(date!(2025 - 04 - 27)), DayKind::AdjustedWorkday);
    assert_eq!(c.add_working_days(date!(2025 - 04 - 30), 1).date, date!(2025 - 05 - 06));
    // Far years, both ends: no panic, plain weekends.
    let due = c.add_working_days(date!(1900 - 01 - 05), 1); // Fri → Mon
    assert_eq!(due.date, date!(1900 - 01 - 08));
    let due = c.add_working_days(date!(9999 - 12 - 30), 10_000);
    assert!(due.explanation.saturated);
    assert_eq!(due.date, date!(9999 - 12 - 31));
    assert!(due.explanation.to_zh().contains("日历已到尽头"));
    assert_eq!(c.count_working_days(date!(9999 - 12 - 30), date!(9999 - 12 - 31)), 1); // Fri
    // An empty calendar is all provisional.
    let empty = Calendar::new(vec![]);
    assert!(empty.add_working_days(date!(2025 - 01 - 27), 7).explanation.provisional);
    assert_eq!(empty.add_working_days(date!(2025 - 01 - 27), 7).date, date!(2025 - 02 - 05));
}

#[test]
fn format_date_zh_examples() {
    assert_eq!(format_date_zh(date!(2026 - 01 - 05)), "2026年1月5日");
    assert_eq!(format_date_zh(date!(2023 - 09 - 28)), "2023年9月28日");
}

// ---------------------------------------------------------------------------------------------
// Import: both layouts, round trip, and bad input.

#[test]
fn parses_the_spec_layout() {
    let years = parse_holiday_file(SEED_JSON.as_bytes()).unwrap();
    let y2023 = &years[0];
    assert_eq!(y2023.year, 2023);
    // The 2023 notice reaches into 2022-12-31.
    assert_eq!(y2023.off_days[0].date, date!(2022 - 12 - 31));
    assert_eq!(y2023.off_days[0].name, "元旦");
    assert_eq!(y2023.adjusted_workdays.len(), 7);
    assert_eq!(y2023.notice_url.as_deref(), Some("http://www.gov.cn/zhengce/zhengceku/2022-12/08/content_5730844.htm"));
    // With a BOM in front.
    let bom = format!("\u{feff}{SEED_JSON}");
    assert_eq!(parse_holiday_file(bom.as_bytes()).unwrap(), years);
}

#[test]
fn round_trips_own_layout() {
    let years = seed_years();
    let json = serde_json::to_string(&years).unwrap();
    assert!(json.contains("\"2023-10-07\""), "dates are written as YYYY-MM-DD");
    assert_eq!(parse_holiday_file(json.as_bytes()).unwrap(), years);
    let one = serde_json::to_string(&years[1]).unwrap();
    assert_eq!(parse_holiday_file(one.as_bytes()).unwrap(), vec![years[1].clone()]);
}

fn err(json: &str) -> CalendarImportError {
    match parse_holiday_file(json.as_bytes()) {
        Ok(y) => panic!("expected an error for {json}, got {y:?}"),
        Err(e) => e,
    }
}

#[test]
fn rejects_bad_input_with_chinese_messages() {
    let e = err(
        r#"{"years": {"2027": {"off_days": [{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-02-30", "name": "春节"}]}}}"#,
    );
    assert!(matches!(e, CalendarImportError::BadDate { item: 2, .. }), "{e:?}");
    assert!(e.to_string().contains("第2项日期格式错误：“2027-02-30”"), "{e}");

    let e = err(
        r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "x", "date": "2027/01/02", "isOffDay": true}, {"name": "x", "date": "2027-01-03", "isOffDay": true}]}"#,
    );
    assert!(e.to_string().contains("第2项日期格式错误"), "{e}");

    // Both off and working.
    let e = err(
        r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-02", "isOffDay": true}, {"name": "元旦", "date": "2027-01-02", "isOffDay": false}]}"#,
    );
    assert!(matches!(e, CalendarImportError::Conflict { .. }), "{e:?}");
    assert!(e.to_string().contains("2027年1月2日既是放假日又是调休上班日"), "{e}");

    // 调休上班 on a Monday.
    let e = err(
        r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "元旦", "date": "2027-01-04", "isOffDay": false}]}"#,
    );
    assert!(e.to_string().contains("星期一，不是周末"), "{e}");

    // A date two months into the next year.
    let e = err(r#"{"year": 2027, "days": [{"name": "春节", "date": "2028-02-01", "isOffDay": true}]}"#);
    assert!(matches!(e, CalendarImportError::OutOfYear { year: 2027, .. }), "{e:?}");
    // The neighbouring December and January are fine.
    parse_holiday_file(
        r#"{"year": 2027, "days": [{"name": "元旦", "date": "2026-12-31", "isOffDay": true}, {"name": "x", "date": "2028-01-01", "isOffDay": true}]}"#
            .as_bytes(),
    )
    .unwrap();

    // Missing isOffDay, missing name, duplicate date, empty year.
    let e = err(r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01"}]}"#);
    assert!(matches!(e, CalendarImportError::Field { field: "isOffDay", .. }), "{e:?}");
    let e = err(r#"{"year": 2027, "days": [{"date": "2027-01-01", "isOffDay": true}]}"#);
    assert!(e.to_string().contains("第1项缺少节日名称"), "{e}");
    let e = err(
        r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    );
    assert!(matches!(e, CalendarImportError::Duplicate { .. }), "{e:?}");
    let e = err(r#"{"year": 2027, "days": []}"#);
    assert!(matches!(e, CalendarImportError::EmptyYear { year: 2027 }), "{e:?}");

    // Structure.
    assert!(matches!(err("{not json"), CalendarImportError::Json { line: 1, .. }));
    assert!(err("{not json").to_string().starts_with("JSON格式错误"));
    assert_eq!(err("[1, 2]"), CalendarImportError::UnknownLayout);
    assert_eq!(err(r#"{"foo": 1}"#), CalendarImportError::UnknownLayout);
    assert_eq!(err("42"), CalendarImportError::UnknownLayout);
    assert_eq!(err(r#"{"years": {}}"#), CalendarImportError::Empty);
    assert!(matches!(err(r#"{"years": {"二〇二七": {}}}"#), CalendarImportError::BadYear { .. }));
    assert!(matches!(err(r#"{"year": 99999999999, "days": []}"#), CalendarImportError::BadYear { .. }));
    assert!(matches!(err(r#"{"years": []}"#), CalendarImportError::Field { field: "years", .. }));
    assert_eq!(parse_holiday_file(&[0xff, 0xfe, 0x00]), Err(CalendarImportError::NotUtf8));
    assert_eq!(parse_holiday_file(b""), Err(CalendarImportError::Json { line: 1, column: 0 }));
    // Same year twice in one file.
    let twice = format!("[{HOLIDAY_CN_2027}, {HOLIDAY_CN_2027}]");
    assert_eq!(err(&twice), CalendarImportError::DuplicateYear { year: 2027 });
}

#[test]
fn validate_checks_hand_built_years() {
    let y = HolidayYear { year: 2030, notice_url: None, off_days: vec![], adjusted_workdays: vec![] };
    assert!(y.validate().is_err());
    // Calendar::new accepts anything without panicking; the later notice wins for a shared date.
    let a = HolidayYear {
        year: 2030,
        notice_url: None,
        off_days: vec![gongkai_domain::calendar::OffDay { date: date!(2030 - 12 - 30), name: "甲".into() }],
        adjusted_workdays: vec![],
    };
    let b = HolidayYear {
        year: 2031,
        notice_url: None,
        off_days: vec![],
        adjusted_workdays: vec![date!(2030 - 12 - 30)], // a Monday: invalid, but must not panic
    };
    assert!(b.validate().is_err());
    let c = Calendar::new(vec![b, a]);
    assert!(c.is_working_day(date!(2030 - 12 - 30)));
    assert_eq!(c.day_kind(date!(2030 - 12 - 30)), DayKind::Workday);
}

#[test]
fn parse_never_panics_on_truncations() {
    // Every prefix of the seed and of the holiday-cn sample is an error or a valid result.
    for src in [SEED_JSON, HOLIDAY_CN_2027] {
        for cut in (0..src.len()).filter(|i| src.is_char_boundary(*i)) {
            let _ = parse_holiday_file(&src.as_bytes()[..cut]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn any_date(from: i32, to: i32) -> impl Strategy<Value = Date> {
    let lo = Date::from_calendar_date(from, Month::January, 1).unwrap().to_julian_day();
    let hi = Date::from_calendar_date(to, Month::December, 31).unwrap().to_julian_day();
    (lo..=hi).prop_map(|j| Date::from_julian_day(j).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn adding_lands_on_a_working_day(start in any_date(1900, 2200), n in 1u32..=2000) {
        let c = cal();
        let due = c.add_working_days(start, n);
        prop_assert!(c.is_working_day(due.date), "{} + {} = {}", start, n, due.date);
        prop_assert!(due.date > start);
        prop_assert_eq!(due.explanation.days_counted, n);
    }

    #[test]
    fn count_inverts_add(start in any_date(1900, 2200), n in 0u32..=2000) {
        let c = cal();
        let due = c.add_working_days(start, n);
        prop_assert_eq!(c.count_working_days(start, due.date), n);
        // One day earlier, one fewer (the due date is a working day).
        if n > 0 {
            prop_assert_eq!(c.count_working_days(start, due.date.previous_day().unwrap()), n - 1);
        }
    }

    #[test]
    fn monotone_in_start(a in any_date(2020, 2030), gap in 0i64..400, n in 0u32..=300) {
        let c = cal();
        let b = a.checked_add(time::Duration::days(gap)).unwrap();
        prop_assert!(c.add_working_days(a, n).date <= c.add_working_days(b, n).date);
    }

    #[test]
    fn monotone_in_n(start in any_date(1900, 2200), n in 0u32..=1000, more in 0u32..=1000) {
        let c = cal();
        let x = c.add_working_days(start, n).date;
        let y = c.add_working_days(start, n + more).date;
        prop_assert!(x <= y);
        prop_assert_eq!(c.count_working_days(x, y), more);
    }

    #[test]
    fn no_panics_anywhere(a in any_date(1900, 2200), b in any_date(1900, 2200), n in 0u32..=2000) {
        let c = cal();
        let due = c.add_working_days(a, n);
        let _ = due.explanation.to_zh();
        let _ = c.count_working_days(a, b);
        let _ = c.day_kind(a);
        let _ = c.provisional_years(a, b);
        // Provisional exactly when some day of the period is unsettled.
        let mut d = a;
        let mut unsettled = false;
        while d < due.date {
            d = d.next_day().unwrap();
            unsettled |= !c.is_settled(d);
        }
        prop_assert_eq!(due.explanation.provisional, unsettled);
    }
}
