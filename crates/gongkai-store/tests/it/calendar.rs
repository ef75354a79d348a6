//! The stored calendar: one row per notice year, replaced on re-import, with the replaced data returned.

use gongkai_domain::calendar::{HolidayYear, OffDay, seed_years};
use gongkai_store::calendar::{self, CalendarSource};
use gongkai_store::db_test;
use gongkai_store::{Actor, Db};
use time::macros::date;

/// Test data (not a real notice): a made-up 2027 with one holiday and one 调休 Saturday.
fn year_2027(name: &str) -> HolidayYear {
    HolidayYear {
        year: 2027,
        notice_url: Some("https://example.test/2027.htm".into()),
        off_days: vec![
            OffDay { date: date!(2027 - 01 - 01), name: name.into() },
            OffDay { date: date!(2027 - 01 - 02), name: name.into() },
        ],
        adjusted_workdays: vec![date!(2027 - 01 - 09)],
    }
}

async fn upsert(db: &Db, y: &HolidayYear, source: CalendarSource, by: &str) -> Option<HolidayYear> {
    let mut tx = db.begin().await.unwrap();
    let prev = calendar::upsert(&mut tx, y, source, &Actor::System(by.into())).await.unwrap();
    tx.commit().await.unwrap();
    prev
}

db_test! {
    async fn upsert_list_get_round_trip(db: Db) {
        assert!(calendar::list(&db).await.unwrap().is_empty());
        assert!(calendar::get(&db, 2026).await.unwrap().is_none());

        // The seed years as they ship, every field intact after a trip through the database.
        let seed = seed_years();
        assert!(seed.len() >= 4);
        for y in &seed {
            assert_eq!(upsert(&db, y, CalendarSource::Seed, "system").await, None);
        }
        let listed = calendar::list(&db).await.unwrap();
        assert_eq!(listed.iter().map(|s| s.data.clone()).collect::<Vec<_>>(), seed);
        assert!(listed.iter().all(|s| s.source == CalendarSource::Seed && s.loaded_by == "system"));

        let first = year_2027("元旦");
        assert_eq!(upsert(&db, &first, CalendarSource::Import, "alice").await, None);
        let got = calendar::get(&db, 2027).await.unwrap().unwrap();
        assert_eq!(got.data, first);
        assert_eq!(got.source, CalendarSource::Import);
        assert_eq!(got.loaded_by, "alice");

        // Replacing returns what was replaced and keeps one row per year.
        let second = HolidayYear { notice_url: None, ..year_2027("新年") };
        assert_eq!(upsert(&db, &second, CalendarSource::Import, "bob").await, Some(first.clone()));
        let got = calendar::get(&db, 2027).await.unwrap().unwrap();
        assert_eq!(got.data, second);
        assert_eq!(got.loaded_by, "bob");
        assert!(got.loaded_at >= listed[0].loaded_at);
        assert_eq!(calendar::count(&db).await.unwrap(), seed.len() as i64 + 1);
        let years: Vec<i32> = calendar::list(&db).await.unwrap().iter().map(|s| s.year()).collect();
        assert_eq!(*years.last().unwrap(), 2027);
        assert!(years.windows(2).all(|w| w[0] < w[1]));
    }
}

db_test! {
    async fn insert_if_absent_never_replaces_and_rollback_leaves_nothing(db: Db) {
        let by = Actor::System("system".into());
        let mut tx = db.begin().await.unwrap();
        assert!(calendar::insert_if_absent(&mut tx, &year_2027("元旦"), CalendarSource::Seed, &by).await.unwrap());
        assert!(!calendar::insert_if_absent(&mut tx, &year_2027("新年"), CalendarSource::Seed, &by).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(calendar::get(&db, 2027).await.unwrap().unwrap().data, year_2027("元旦"));

        // An upsert whose transaction is dropped changes nothing.
        let mut tx = db.begin().await.unwrap();
        let prev = calendar::upsert(&mut tx, &year_2027("新年"), CalendarSource::Import, &by).await.unwrap();
        assert_eq!(prev, Some(year_2027("元旦")));
        drop(tx);
        let got = calendar::get(&db, 2027).await.unwrap().unwrap();
        assert_eq!(got.data, year_2027("元旦"));
        assert_eq!(got.source, CalendarSource::Seed);
    }
}
