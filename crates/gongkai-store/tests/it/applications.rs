//! Applications: applicants recognised by document, the case log append-only, reads scoped by agency, dates
//! and JSON read back as written on both backends.

use crate::support::add_agency;
use gongkai_domain::application::{CaseEvent, CaseEventKind, Outcome};
use gongkai_domain::clock::Channel;
use gongkai_store::applications::{self, ListFilter, NewApplication};
use gongkai_store::db_test;
use gongkai_store::{Actor, Db};
use time::macros::date;

fn new_app<'a>(agency_id: i64, code: &'a str, day: time::Date) -> NewApplication<'a> {
    NewApplication {
        agency_id,
        tracking_code: code,
        password_hash: "$argon2id$fake",
        channel: "online",
        applicant_type: "natural_person",
        applicant_name: "张三",
        id_type: "id_card",
        id_number: "11010519491231002X",
        phone: "",
        email: "a@example.cn",
        address: "",
        description: "某文件",
        delivery: "email",
        submitted_on: day,
        stage: "awaiting_receipt",
    }
}

async fn submit(db: &Db, agency_id: i64, code: &str, day: time::Date) -> (i64, i64) {
    let mut tx = db.begin().await.unwrap();
    let applicant = applications::upsert_applicant(&mut tx, "id_card", "11010519491231002X", "张三", "natural_person")
        .await
        .unwrap();
    let id = applications::create(&mut tx, applicant, &new_app(agency_id, code, day)).await.unwrap();
    let ev = CaseEvent { date: day, kind: CaseEventKind::Submitted { channel: Channel::Online, attachments: vec![] } };
    applications::append_event(&mut tx, id, 0, &Actor::System("applicant".into()), &ev, "", "awaiting_receipt", None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (applicant, id)
}

db_test! {
    async fn applicants_logs_and_scoping(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let edu = add_agency(&db, "edu", None).await;
        let (a1, id1) = submit(&db, office.id, "2026-AAAA-AAAA", date!(2026 - 03 - 02)).await;
        let (a2, _) = submit(&db, office.id, "2026-BBBB-BBBB", date!(2026 - 03 - 31)).await;
        let (a3, _) = submit(&db, edu.id, "2026-CCCC-CCCC", date!(2026 - 04 - 01)).await;
        assert_eq!(a1, a2, "the same 身份证 is the same applicant");
        assert_eq!(a1, a3);
        // The 按件 tally counts the calendar month up to the day.
        assert_eq!(applications::count_in_month(&db, a1, date!(2026 - 03 - 31)).await.unwrap(), 2);
        assert_eq!(applications::count_in_month(&db, a1, date!(2026 - 04 - 30)).await.unwrap(), 1);

        // Reads are scoped by agency.
        assert!(applications::by_id(&db, office.id, id1).await.unwrap().is_some());
        assert!(applications::by_id(&db, edu.id, id1).await.unwrap().is_none());
        assert_eq!(applications::list(&db, office.id, &ListFilter::default()).await.unwrap().len(), 2);
        let f = ListFilter { year: Some(2025), ..Default::default() };
        assert!(applications::list(&db, office.id, &f).await.unwrap().is_empty());
        // A year no date can have filters out everything instead of being ignored.
        for year in [99_999, -99_999, i32::MAX] {
            let f = ListFilter { year: Some(year), ..Default::default() };
            assert!(applications::list(&db, office.id, &f).await.unwrap().is_empty(), "{year}");
        }
        let f = ListFilter { stage: Some("closed".into()), ..Default::default() };
        assert!(applications::list(&db, office.id, &f).await.unwrap().is_empty());

        // Events read back as written; projections follow.
        let mut tx = db.begin().await.unwrap();
        let ev = CaseEvent {
            date: date!(2026 - 03 - 03),
            kind: CaseEventKind::Decided { outcome: Outcome::PartlyDisclosed, reasons: "理由".into() },
        };
        let last = applications::events(&db, id1).await.unwrap().last().unwrap().id;
        // Based on a stale view (another event was appended since): refused, nothing written.
        let stale =
            applications::append_event(&mut tx, id1, last - 1, &Actor::System("t".into()), &ev, "", "x", None).await;
        assert!(matches!(stale, Err(gongkai_store::StoreError::Conflict(_))));
        applications::append_event(
            &mut tx,
            id1,
            last,
            &Actor::System("t".into()),
            &ev,
            "内部",
            "decided",
            Some("partly_disclosed"),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let log = applications::events(&db, id1).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].event, ev);
        assert_eq!(log[1].note, "内部");
        let a = applications::by_tracking_code(&db, "2026-AAAA-AAAA").await.unwrap().unwrap();
        assert_eq!(a.stage, "decided");
        assert_eq!(a.outcome.as_deref(), Some("partly_disclosed"));
        assert_eq!(a.submitted_on, date!(2026 - 03 - 02));
        assert_eq!(applications::events_of_agency(&db, office.id).await.unwrap().len(), 3);

        // The log is append-only (条例 Art. 45).
        let upd = match &db {
            Db::Sqlite(p) => sqlx::query("UPDATE application_events SET note = 'x'").execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("UPDATE application_events SET note = 'x'").execute(p).await.map(|_| ()),
        };
        assert!(upd.is_err());
        let del = match &db {
            Db::Sqlite(p) => sqlx::query("DELETE FROM application_events").execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("DELETE FROM application_events").execute(p).await.map(|_| ()),
        };
        assert!(del.is_err());
    }
}
