//! The working-day calendar through the services: seeding, computing, importing, auditing, permissions.

use gongkai_app::calendar::calendar_warning_for;
use gongkai_app::{App, AppConfig, AppError, CalendarSource, Caller, Principal, UserForm};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::{Calendar, SkipReason, parse_holiday_file, seed_years};
use gongkai_store::db_test;
use gongkai_store::{Db, audit};
use time::macros::date;

/// TEST DATA, not the real 2027 notice (which is not published yet): a holiday-cn style `2027.json` with
/// 元旦 1–3 January and a 春节 range 6–14 February, 调休上班 on Sun 31 January and Sat 20 February.
const TEST_2027: &str = include_str!("../../../gongkai-domain/tests/fixtures/holiday-cn-2027.test.json");

async fn user(app: &App, username: &str, platform_admin: bool) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, platform_admin).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

fn app(db: Db) -> App {
    App::new(db, AppConfig::default())
}

db_test! {
    async fn a_2027_date_is_provisional_until_a_2027_file_is_imported(db: Db) {
        let app = app(db.clone());
        assert_eq!(app.seed_calendar_if_empty().await.unwrap(), vec![2023, 2024, 2025, 2026]);

        // Received Fri 2027-01-29, 20 working days: no 2027 notice, so plain weekends and provisional.
        let received = date!(2027 - 01 - 29);
        let before = app.calendar().await.unwrap().add_working_days(received, 20);
        assert!(before.is_provisional());
        assert_eq!(before.explanation.provisional_years, vec![2027]);
        assert_eq!(before.date, date!(2027 - 02 - 26));
        assert!(before.explanation.to_zh().contains("临时（未载入2027年放假安排）"));

        let admin = user(&app, "caladmin", true).await;
        let summary = app.import_calendar(Caller::Staff(&admin), TEST_2027.as_bytes()).await.unwrap();
        assert_eq!(summary.years.len(), 1);
        assert!(!summary.years[0].replaced);
        assert_eq!((summary.years[0].off_days, summary.years[0].adjusted_workdays), (12, 2));

        // Recomputed: settled, and the imported 春节 and 调休 days moved the date.
        let cal = app.calendar().await.unwrap();
        let after = cal.add_working_days(received, 20);
        assert!(!after.is_provisional(), "{:?}", after.explanation);
        assert_ne!(after.date, before.date);
        // Derived from the data: the seed plus the file, computed by the domain calendar alone.
        let mut expected_years = seed_years();
        expected_years.extend(parse_holiday_file(TEST_2027.as_bytes()).unwrap());
        assert_eq!(after, Calendar::new(expected_years).add_working_days(received, 20));
        // And by hand: +Sun 01-31, skip 02-06…02-14, +Sat 02-20 → 3 March.
        assert_eq!(after.date, date!(2027 - 03 - 03));
        assert!(after.explanation.skipped.iter().any(|r| r.reason == SkipReason::Holiday("春节".into())
            && (r.from, r.to) == (date!(2027 - 02 - 06), date!(2027 - 02 - 14))));
        assert_eq!(after.explanation.adjusted_workdays, vec![date!(2027 - 01 - 31), date!(2027 - 02 - 20)]);

        // Stored with provenance, and audited with who and what.
        let stored = app.calendar_year(Caller::System("cli"), 2027).await.unwrap().unwrap();
        assert_eq!(stored.source, CalendarSource::Import);
        assert_eq!(stored.loaded_by, "caladmin");
        assert_eq!(stored.data.notice_url.as_deref(), Some("https://example.test/gongkai-test-data/2027-notice.htm"));
        let events = audit::by_action(&db, AuditAction::CalendarImport).await.unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!((e.actor_id, e.actor_label.as_str()), (Some(admin.user.id), "caladmin"));
        assert_eq!(e.object_id, "2027");
        assert_eq!(e.details.0["year"], 2027);
        assert_eq!(e.details.0["notice_url"], "https://example.test/gongkai-test-data/2027-notice.htm");
        assert_eq!(e.details.0["off_days_added"].as_array().unwrap().len(), 12);
        assert_eq!(e.details.0["adjusted_workdays_added"], serde_json::json!(["2027-01-31", "2027-02-20"]));
        assert_eq!(audit::by_action(&db, AuditAction::CalendarSeed).await.unwrap().len(), 1);
    }
}

db_test! {
    async fn seeding_is_idempotent_and_never_replaces_an_imported_year(db: Db) {
        let app = app(db.clone());
        // Before seeding nothing is loaded: everything is provisional.
        assert!(app.calendar().await.unwrap().add_working_days(date!(2026 - 02 - 13), 20).is_provisional());
        app.seed_calendar_if_empty().await.unwrap();
        let cal = app.calendar().await.unwrap();
        // docs/law/calendar.md worked examples, through the stored data.
        assert_eq!(cal.add_working_days(date!(2023 - 09 - 28), 20).date, date!(2023 - 11 - 01));
        assert_eq!(cal.add_working_days(date!(2026 - 02 - 13), 20).date, date!(2026 - 03 - 19));
        assert_eq!(cal.add_working_days(date!(2025 - 01 - 27), 7).date, date!(2025 - 02 - 12));

        // A corrected 2026 (test data: 2026-01-02 no longer off) survives a second seeding.
        let mut y2026 = seed_years().into_iter().find(|y| y.year == 2026).unwrap();
        y2026.off_days.retain(|o| o.date != date!(2026 - 01 - 02));
        let file = serde_json::to_vec(&y2026).unwrap();
        let summary = app.import_calendar(Caller::System("cli"), &file).await.unwrap();
        let change = &summary.years[0];
        assert!(change.replaced);
        assert_eq!(change.off_days_removed, vec![date!(2026 - 01 - 02)]);
        assert!(change.off_days_added.is_empty() && change.workdays_added.is_empty());
        assert!(change.to_zh().contains("不再放假2026年1月2日"), "{}", change.to_zh());

        assert!(app.seed_calendar_if_empty().await.unwrap().is_empty());
        assert_eq!(app.calendar_year(Caller::System("cli"), 2026).await.unwrap().unwrap().data, y2026);
        assert_eq!(audit::by_action(&db, AuditAction::CalendarSeed).await.unwrap().len(), 1);
        let events = audit::by_action(&db, AuditAction::CalendarImport).await.unwrap();
        assert_eq!(events[0].actor_label, "cli");
        assert_eq!(events[0].details.0["off_days_removed"], serde_json::json!(["2026-01-02"]));

        // Importing the same data again changes no date and is still recorded.
        let again = app.import_calendar(Caller::System("cli"), &file).await.unwrap();
        assert!(again.years[0].is_unchanged());
        assert_eq!(audit::by_action(&db, AuditAction::CalendarImport).await.unwrap().len(), 2);
    }
}

db_test! {
    async fn bad_files_and_non_admins_change_nothing(db: Db) {
        let app = app(db.clone());
        app.seed_calendar_if_empty().await.unwrap();
        let staff = user(&app, "calstaff", false).await;
        assert!(matches!(app.import_calendar(Caller::Staff(&staff), TEST_2027.as_bytes()).await, Err(AppError::Forbidden)));
        assert!(matches!(app.calendar_years(Caller::Staff(&staff)).await, Err(AppError::Forbidden)));

        // A list whose second year is broken: the good first year is not imported either.
        let mixed = format!(
            r#"[{TEST_2027}, {{"year": 2028, "days": [{{"name": "元旦", "date": "2028-01-01", "isOffDay": true}}, {{"name": "元旦", "date": "2028-01-03", "isOffDay": false}}]}}]"#
        );
        let bad: &[&[u8]] = &[
            b"not json",
            b"\xff\xfe",
            mixed.as_bytes(),
            br#"{"year": 20270, "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true}]}"#,
            &[b' '; 1024 * 1024 + 1],
        ];
        for file in bad {
            match app.import_calendar(Caller::System("cli"), file).await {
                Err(AppError::Invalid { field: Some("file"), message }) => {
                    assert!(message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(!app.calendar().await.unwrap().is_loaded(2027));
        assert!(app.calendar_year(Caller::System("cli"), 2028).await.unwrap().is_none());
        assert!(audit::by_action(&db, AuditAction::CalendarImport).await.unwrap().is_empty());
        assert_eq!(app.calendar_years(Caller::System("cli")).await.unwrap().len(), 4);
    }
}

db_test! {
    async fn warning_from_october_when_next_year_is_missing(db: Db) {
        let app = app(db.clone());
        app.seed_calendar_if_empty().await.unwrap();
        assert_eq!(app.calendar_warning(date!(2026 - 09 - 30)).await.unwrap(), None);
        let w = app.calendar_warning(date!(2026 - 10 - 01)).await.unwrap().unwrap();
        assert!(w.contains("尚未载入2027年的节假日安排"), "{w}");
        // The current year missing is warned about all year.
        let w = app.calendar_warning(date!(2027 - 03 - 01)).await.unwrap().unwrap();
        assert!(w.contains("尚未载入2027年"), "{w}");
        app.import_calendar(Caller::System("cli"), TEST_2027.as_bytes()).await.unwrap();
        assert_eq!(app.calendar_warning(date!(2026 - 12 - 31)).await.unwrap(), None);
        assert_eq!(app.calendar_warning(date!(2027 - 09 - 30)).await.unwrap(), None);
        assert!(app.calendar_warning(date!(2027 - 10 - 01)).await.unwrap().unwrap().contains("2028年"));
    }
}

#[test]
fn warning_on_an_empty_calendar_names_both_years() {
    let w = calendar_warning_for(&Calendar::default(), date!(2030 - 11 - 15)).unwrap();
    assert!(w.contains("2030年") && w.contains("2031年"), "{w}");
}
