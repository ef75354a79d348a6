//! 12345 orders: upsert on (agency, 工单编号) with identical rows left alone and changed rows updated without
//! touching local events, the batch record, reads scoped by agency and year, events append-only. Both backends.

use crate::support::add_agency;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::hotline::{OrderRow, OrderStatus, Satisfaction, Step, parse_orders};
use gongkai_store::hotline::{self, Upsert};
use gongkai_store::{Actor, Db, db_test};
use time::macros::{date, datetime};

fn rows(lines: &[&str]) -> Vec<OrderRow> {
    let sheet: Vec<Vec<String>> = lines.iter().map(|l| l.split(',').map(str::to_owned).collect()).collect();
    parse_orders(&sheet).unwrap()
}

const HEADER: &str = "工单编号,派单时间,诉求类型,诉求内容,承办单位,截止时间,诉求人,联系电话,满意度,办结时间";

async fn import(db: &Db, agency_id: i64, orders: &[OrderRow]) -> Vec<Upsert> {
    let mut tx = db.begin().await.unwrap();
    let actor = Actor::System("test".into());
    let batch = hotline::begin_batch(&mut tx, agency_id, "orders.csv", "hash", &actor).await.unwrap();
    let mut out = Vec::new();
    for o in orders {
        out.push(hotline::upsert(&mut tx, agency_id, batch, o).await.unwrap());
    }
    let count = |f: fn(&Upsert) -> bool| out.iter().filter(|u| f(u)).count();
    let counts = [
        out.len(),
        count(|u| matches!(u, Upsert::Created(_))),
        count(|u| matches!(u, Upsert::Updated(_))),
        count(|u| matches!(u, Upsert::Unchanged(_))),
    ];
    hotline::finish_batch(&mut tx, batch, counts).await.unwrap();
    tx.commit().await.unwrap();
    out
}

db_test! {
    async fn upsert_keeps_identical_rows_and_local_events(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let other = add_agency(&db, "other", None).await;
        let first = rows(&[
            HEADER,
            "A001,2025-09-26 09:30,投诉,噪音扰民,市生态环境局,,张三丰,13812345678,,",
            "A002,2025-12-31 23:30,咨询,咨询政策,市生态环境局,2026-01-06,,,满意,2026-01-05 10:00:00",
        ]);
        let out = import(&db, office.id, &first).await;
        assert!(matches!(out.as_slice(), [Upsert::Created(_), Upsert::Created(_)]), "{out:?}");

        let a = hotline::by_no(&db, office.id, "A001").await.unwrap().unwrap();
        assert_eq!((a.kind.as_str(), a.status.as_str()), (Kind::Complaint.as_str(), OrderStatus::Pending.as_str()));
        assert_eq!(a.dispatched_at, datetime!(2025-09-26 01:30 UTC), "Beijing time stored as UTC");
        assert_eq!(a.dispatched_on, date!(2025 - 09 - 26));
        assert_eq!((a.contact_name.as_str(), a.contact_phone.as_str()), ("张**", "138****5678"));
        assert_eq!(a.raw.0.get("联系电话").map(String::as_str), Some("138****5678"));
        assert_eq!(a.file_deadline(), None);
        let b = hotline::by_no(&db, office.id, "A002").await.unwrap().unwrap();
        assert_eq!(b.due_on, Some(date!(2026 - 01 - 06)));
        assert_eq!(b.closed_on(), Some(date!(2026 - 01 - 05)));
        assert_eq!(b.satisfaction.as_deref(), Some(Satisfaction::Satisfied.as_str()));
        assert!(hotline::by_no(&db, other.id, "A001").await.unwrap().is_none(), "scoped by agency");

        // A local step on A001.
        let mut tx = db.begin().await.unwrap();
        let actor = Actor::System("test".into());
        let ev = hotline::append_event(&mut tx, a.id, 0, &actor, date!(2025 - 09 - 28), &Step::Sign, "", "in_progress", None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let stale = hotline::append_event(&mut tx, a.id, 0, &actor, date!(2025 - 09 - 28), &Step::Sign, "", "in_progress", None).await;
        assert!(matches!(stale, Err(gongkai_store::StoreError::Conflict(_))), "a step based on an old view");
        drop(tx);

        // The same file again: nothing changes, the local status stays.
        let again = import(&db, office.id, &first).await;
        assert!(again.iter().all(|u| matches!(u, Upsert::Unchanged(_))), "{again:?}");
        let a2 = hotline::by_no(&db, office.id, "A001").await.unwrap().unwrap();
        assert_eq!((a2.status.as_str(), a2.updated_at, a2.batch_id), ("in_progress", a.updated_at, a.batch_id));

        // A changed row updates the order and keeps its events.
        let changed = rows(&[HEADER, "A001,2025-09-26 09:30,投诉,噪音扰民（补充）,市生态环境局,2025-10-20,张三丰,13812345678,,"]);
        assert_eq!(import(&db, office.id, &changed).await, [Upsert::Updated(a.id)]);
        let a3 = hotline::by_no(&db, office.id, "A001").await.unwrap().unwrap();
        assert_eq!((a3.content.as_str(), a3.due_on), ("噪音扰民（补充）", Some(date!(2025 - 10 - 20))));
        assert_eq!(a3.status, "pending", "the platform's view comes back with a changed row");
        let events = hotline::events(&db, a.id).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].id, &events[0].step, events[0].on_date), (ev, &Step::Sign, date!(2025 - 09 - 28)));

        // Years by the Beijing date of 派单.
        let y2025 = hotline::list(&db, office.id, Some(2025)).await.unwrap();
        assert_eq!(y2025.iter().map(|o| o.order_no.as_str()).collect::<Vec<_>>(), ["A001", "A002"]);
        assert!(hotline::list(&db, office.id, Some(2026)).await.unwrap().is_empty());
        assert_eq!(hotline::list(&db, office.id, None).await.unwrap().len(), 2);
        assert!(hotline::list(&db, other.id, None).await.unwrap().is_empty());

        let batches = hotline::batches(&db, office.id).await.unwrap();
        let counts: Vec<[i32; 4]> = batches.iter().map(|b| [b.row_count, b.created, b.updated, b.unchanged]).collect();
        assert_eq!(counts, [[1, 0, 1, 0], [2, 0, 0, 2], [2, 2, 0, 0]]);
        assert_eq!(batches[0].imported_by_label, "test");

        // Local events are append-only.
        let upd = match &db {
            Db::Sqlite(p) => sqlx::query("UPDATE hotline_events SET note = 'x'").execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("UPDATE hotline_events SET note = 'x'").execute(p).await.map(|_| ()),
        };
        assert!(upd.is_err());
        let del = match &db {
            Db::Sqlite(p) => sqlx::query("DELETE FROM hotline_events").execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("DELETE FROM hotline_events").execute(p).await.map(|_| ()),
        };
        assert!(del.is_err());
    }
}
