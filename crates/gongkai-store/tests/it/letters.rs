//! Letters: the yearly 文号 sequence per agency, drafts editable, sent letters frozen (also by trigger).

use crate::support::add_agency;
use gongkai_domain::application::{CaseEvent, CaseEventKind};
use gongkai_domain::clock::Channel;
use gongkai_store::applications::{self, NewApplication};
use gongkai_store::db_test;
use gongkai_store::letters::{self, NewLetter};
use gongkai_store::{Actor, Db, StoreError};
use time::macros::date;

async fn case(db: &Db, agency_id: i64) -> i64 {
    case_at(db, agency_id, true).await
}

/// A case with its first event; `current` false: the event is inserted as a database of migration 4 held it
/// (before the report's case summaries, which `append_event` now writes too).
async fn case_at(db: &Db, agency_id: i64, current: bool) -> i64 {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let code = format!("2026-TEST-{:04}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let mut tx = db.begin().await.unwrap();
    let applicant = applications::upsert_applicant(&mut tx, "other", "DEMO-1", "张某", "natural_person").await.unwrap();
    let id = applications::create(
        &mut tx,
        applicant,
        &NewApplication {
            agency_id,
            tracking_code: &code,
            password_hash: "$argon2id$fake",
            channel: "in_person",
            applicant_type: "natural_person",
            applicant_name: "张某",
            id_type: "other",
            id_number: "DEMO-1",
            phone: "1",
            email: "",
            address: "",
            description: "某文件",
            delivery: "paper",
            submitted_on: date!(2026 - 03 - 02),
            stage: "processing",
        },
    )
    .await
    .unwrap();
    let ev = CaseEvent {
        date: date!(2026 - 03 - 02),
        kind: CaseEventKind::Submitted { channel: Channel::InPerson, attachments: vec![] },
    };
    if current {
        applications::append_event(&mut tx, id, 0, &Actor::System("t".into()), &ev, "", "processing", None)
            .await
            .unwrap();
    } else {
        insert_event_v4(&mut tx, id, &ev).await;
    }
    tx.commit().await.unwrap();
    id
}

async fn insert_event_v4(tx: &mut gongkai_store::Tx, id: i64, ev: &CaseEvent) {
    const SQL: &str = "INSERT INTO application_events (application_id, at, actor_label, on_date, kind, data) \
        VALUES ($1, $2, 't', $3, $4, $5)";
    let data = sqlx::types::Json(&ev.kind);
    let now = time::OffsetDateTime::now_utc();
    match tx {
        gongkai_store::Tx::Sqlite(t) => sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .bind(ev.date)
            .bind(ev.kind.code())
            .bind(data)
            .execute(&mut **t)
            .await
            .map(|_| ()),
        gongkai_store::Tx::Postgres(t) => sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .bind(ev.date)
            .bind(ev.kind.code())
            .bind(data)
            .execute(&mut **t)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

db_test! {
    async fn numbers_count_per_agency_and_year_and_a_rolled_back_number_is_not_lost(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let edu = add_agency(&db, "edu", None).await;
        let next = |agency: i64, year: i32| {
            let db = db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                let n = letters::next_number(&mut tx, agency, year).await.unwrap();
                tx.commit().await.unwrap();
                n
            }
        };
        assert_eq!(next(office.id, 2026).await, 1);
        assert_eq!(next(office.id, 2026).await, 2);
        assert_eq!(next(edu.id, 2026).await, 1, "each agency has its own sequence");
        assert_eq!(next(office.id, 2027).await, 1, "and each year starts again");
        // A number taken in a transaction that rolls back was never given to a letter: it is taken again.
        let mut tx = db.begin().await.unwrap();
        assert_eq!(letters::next_number(&mut tx, office.id, 2026).await.unwrap(), 3);
        drop(tx);
        assert_eq!(next(office.id, 2026).await, 3);
        assert_eq!(next(office.id, 2026).await, 4);
    }
}

db_test! {
    async fn drafts_are_editable_and_sent_letters_frozen(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let edu = add_agency(&db, "edu", None).await;
        let app = case(&db, office.id).await;
        let mut tx = db.begin().await.unwrap();
        let new = NewLetter {
            agency_id: office.id,
            application_id: app,
            kind: "correction",
            event_id: None,
            title: "补正告知书",
            body: "张某：\n请补正。",
            corrects_id: None,
            by: "t",
        };
        let id = letters::create_draft(&mut tx, &new).await.unwrap();
        let other = letters::create_draft(&mut tx, &new).await.unwrap();
        letters::update_draft(&mut tx, office.id, id, "补正告知书", "张某：\n请补正文件名称。", "t").await.unwrap();
        // Another agency cannot edit it.
        assert!(matches!(
            letters::update_draft(&mut tx, edu.id, id, "x", "x", "t").await,
            Err(StoreError::Conflict(_))
        ));
        letters::mark_sent(&mut tx, office.id, id, "办〔2026〕1号", 2026, 1, date!(2026 - 03 - 04), "t").await.unwrap();
        tx.commit().await.unwrap();

        let l = letters::by_id(&db, office.id, id).await.unwrap().unwrap();
        assert!(l.is_sent());
        assert_eq!(l.body, "张某：\n请补正文件名称。");
        assert_eq!(l.doc_no.as_deref(), Some("办〔2026〕1号"));
        assert_eq!(l.sent_on, Some(date!(2026 - 03 - 04)));
        assert!(letters::by_id(&db, edu.id, id).await.unwrap().is_none(), "scoped by agency");

        let mut tx = db.begin().await.unwrap();
        assert!(matches!(
            letters::update_draft(&mut tx, office.id, id, "x", "x", "t").await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            letters::mark_sent(&mut tx, office.id, id, "办〔2026〕2号", 2026, 2, date!(2026 - 03 - 05), "t").await,
            Err(StoreError::Conflict(_))
        ));
        // A 文号 is never given twice.
        let dup =
            letters::mark_sent(&mut tx, office.id, other, "办〔2026〕1号", 2026, 1, date!(2026 - 03 - 05), "t").await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        drop(tx);
        // The database itself refuses to change or delete a sent letter.
        let update = "UPDATE letters SET body = 'forged' WHERE status = 'sent'";
        let delete = "DELETE FROM letters";
        for sql in [update, delete] {
            let refused = match &db {
                Db::Sqlite(p) => sqlx::query(sql).execute(p).await.is_err(),
                Db::Postgres(p) => sqlx::query(sql).execute(p).await.is_err(),
            };
            assert!(refused, "{sql}");
        }
        assert_eq!(letters::of_application(&db, app).await.unwrap().len(), 2);
    }
}

db_test! {
    /// Replies sent before migration 0006 were numbered by their position among the agency's replies of the year; the
    /// migration starts each agency's sequence after them, so the next letter of that year never repeats a number.
    unmigrated async fn the_migration_continues_the_numbering_of_earlier_replies(db: Db) {
        db.migrate_to(4).await.unwrap();
        let office = add_agency(&db, "office", None).await;
        let edu = add_agency(&db, "edu", None).await;
        let reply = |agency: i64, day: time::Date| {
            let db = db.clone();
            async move {
                let id = case_at(&db, agency, false).await;
                let mut tx = db.begin().await.unwrap();
                insert_event_v4(&mut tx, id, &CaseEvent { date: day, kind: CaseEventKind::ReplySent }).await;
                tx.commit().await.unwrap();
            }
        };
        // Two replies of the office in 2025 (one case each), one in 2026.
        reply(office.id, date!(2025 - 05 - 06)).await;
        reply(office.id, date!(2025 - 11 - 20)).await;
        reply(office.id, date!(2026 - 01 - 08)).await;
        db.migrate().await.unwrap();
        // The migration also computed the report's case summaries of the cases written before them.
        let tally = gongkai_store::case_facts::tally_all(&db, office.id).await.unwrap();
        assert_eq!(tally.groups.iter().map(|g| g.count).sum::<u64>(), 3, "{tally:?}");
        let mut tx = db.begin().await.unwrap();
        assert_eq!(letters::next_number(&mut tx, office.id, 2025).await.unwrap(), 3);
        assert_eq!(letters::next_number(&mut tx, office.id, 2026).await.unwrap(), 2);
        assert_eq!(letters::next_number(&mut tx, edu.id, 2025).await.unwrap(), 1, "no replies: starts at 1");
        tx.commit().await.unwrap();
    }
}

db_test! {
    /// Two letters sent at the same time get different numbers: the second waits for the first's transaction.
    async fn concurrent_sends_never_share_a_number(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let mut first = db.begin().await.unwrap();
        assert_eq!(letters::next_number(&mut first, office.id, 2026).await.unwrap(), 1);
        let other = db.clone();
        let second = tokio::spawn(async move {
            let mut tx = other.begin().await.unwrap();
            let n = letters::next_number(&mut tx, office.id, 2026).await.unwrap();
            tx.commit().await.unwrap();
            n
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        first.commit().await.unwrap();
        assert_eq!(second.await.unwrap(), 2);
    }
}

db_test! {
    /// A corrected letter (更正) points at the sent letter it corrects; the old one stays as sent.
    async fn a_correction_points_at_the_letter_it_corrects(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let app = case(&db, office.id).await;
        let mut tx = db.begin().await.unwrap();
        let old = NewLetter {
            agency_id: office.id,
            application_id: app,
            kind: "receipt",
            event_id: None,
            title: "登记回执",
            body: "张某：\n收到日期有误。",
            corrects_id: None,
            by: "t",
        };
        let old_id = letters::create_draft(&mut tx, &old).await.unwrap();
        letters::mark_sent(&mut tx, office.id, old_id, "办〔2026〕1号", 2026, 1, date!(2026 - 03 - 04), "t")
            .await
            .unwrap();
        let fixed = NewLetter {
            title: "登记回执（更正）", body: "张某：\n更正。", corrects_id: Some(old_id), ..old
        };
        let new_id = letters::create_draft(&mut tx, &fixed).await.unwrap();
        tx.commit().await.unwrap();
        let all = letters::of_application(&db, app).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].id, all[0].corrects_id), (old_id, None));
        assert_eq!((all[1].id, all[1].corrects_id), (new_id, Some(old_id)));
        let old = letters::by_id(&db, office.id, old_id).await.unwrap().unwrap();
        assert!(old.is_sent() && old.body == "张某：\n收到日期有误。", "the corrected letter is unchanged");
    }
}
