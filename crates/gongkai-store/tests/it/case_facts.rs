//! The annual report's case summaries: kept current by every event, counted by the database exactly as the
//! domain counts the case logs in memory, and recomputed from the logs when missing (an upgraded database).

use crate::support::add_agency;
use gongkai_domain::annual_report::compute::{CaseFacts, CaseTally, case_facts, table3, table3_of_groups, table4};
use gongkai_domain::application::{CaseEvent, CaseEventKind, Outcome, ReviewKind, ReviewResult};
use gongkai_domain::clock::Channel;
use gongkai_store::applications::{self, NewApplication};
use gongkai_store::{Actor, Db, case_facts as store, db_test};
use time::Date;

const TYPES: [&str; 3] = ["natural_person", "business", "research"];

/// Appends `events` to a new application of `agency_id`, each in its own transaction (as staff steps are).
async fn case(db: &Db, agency_id: i64, n: usize, events: &[CaseEvent]) -> i64 {
    let code = format!("2026-{n:04}-TEST");
    let mut tx = db.begin().await.unwrap();
    let applicant =
        applications::upsert_applicant(&mut tx, "id_card", &format!("1101051949123{n:05}"), "张三", TYPES[n % 3])
            .await
            .unwrap();
    let new = NewApplication {
        agency_id,
        tracking_code: &code,
        password_hash: "x",
        channel: "online",
        applicant_type: TYPES[n % 3],
        applicant_name: "张三",
        id_type: "id_card",
        id_number: "x",
        phone: "",
        email: "",
        address: "",
        description: "某文件",
        delivery: "email",
        submitted_on: events[0].date,
        stage: "x",
    };
    let id = applications::create(&mut tx, applicant, &new).await.unwrap();
    tx.commit().await.unwrap();
    let mut last = 0;
    for e in events {
        let mut tx = db.begin().await.unwrap();
        last =
            applications::append_event(&mut tx, id, last, &Actor::System("t".into()), e, "", "x", None).await.unwrap();
        tx.commit().await.unwrap();
    }
    id
}

fn ev(date: Date, kind: CaseEventKind) -> CaseEvent {
    CaseEvent { date, kind }
}

/// A spread of cases over 2022–2025: received in person or on confirmation, never received, answered in the
/// year of receipt or later or not yet, withdrawn, with a 复议 decided the next year.
fn logs() -> Vec<Vec<CaseEvent>> {
    let outcomes = [Outcome::Disclosed, Outcome::PartlyDisclosed, Outcome::NotHeld, Outcome::Other];
    let mut out = Vec::new();
    for i in 0..24u8 {
        let day = Date::from_calendar_date(2022 + i32::from(i % 4), time::Month::March, 1 + i % 27).unwrap();
        let channel = if i % 3 == 0 { Channel::InPerson } else { Channel::Online };
        let mut log = vec![ev(day, CaseEventKind::Submitted { channel, attachments: vec![] })];
        if i % 5 == 4 {
            out.push(log); // online, never confirmed, still open: not counted
            continue;
        }
        if channel == Channel::Online {
            log.push(ev(day.saturating_add(time::Duration::days(1)), CaseEventKind::ReceiptConfirmed));
        }
        match i % 4 {
            0 => {} // open
            1 => log.push(ev(
                day.saturating_add(time::Duration::days(20)),
                CaseEventKind::Decided { outcome: outcomes[usize::from(i) % 4], reasons: String::new() },
            )),
            2 => log.push(ev(day.saturating_add(time::Duration::days(300)), CaseEventKind::Withdrawn)),
            _ => {
                let answered = day.saturating_add(time::Duration::days(15));
                log.push(ev(answered, CaseEventKind::Decided { outcome: Outcome::NotHeld, reasons: String::new() }));
                let kind = ReviewKind::AdministrativeReview;
                log.push(ev(
                    answered.saturating_add(time::Duration::days(30)),
                    CaseEventKind::ReviewFiled { kind, body: "某市人民政府".into() },
                ));
                log.push(ev(
                    answered.saturating_add(time::Duration::days(330)),
                    CaseEventKind::ReviewDecided { kind, result: ReviewResult::Upheld },
                ));
            }
        }
        out.push(log);
    }
    out
}

db_test! {
    async fn the_database_counts_the_cases_as_the_domain_does(db: Db) {
        let office = add_agency(&db, "office", None).await;
        let other = add_agency(&db, "other", None).await;
        let logs = logs();
        let mut facts: Vec<CaseFacts> = Vec::new();
        for (n, log) in logs.iter().enumerate() {
            case(&db, office.id, n, log).await;
            facts.push(case_facts(TYPES[n % 3], log[0].date, log));
        }
        // Another agency's case counts for it only.
        case(&db, other.id, 99, &logs[0]).await;
        assert!(facts.iter().any(|f| !f.reviews.is_empty()), "the spread has reviews");

        let years = CaseTally::of(&facts).years(2026);
        assert_eq!(store::tally_all(&db, office.id).await.unwrap().years(2026), years);
        for year in 2021..=2027 {
            let tally = store::tally(&db, office.id, year).await.unwrap();
            assert_eq!(table3_of_groups(&tally.groups, year), table3(&facts, year), "table 三 of {year}");
            assert_eq!(table4(&tally.detailed, year), table4(&facts, year), "table 四 of {year}");
        }
        let t = table3_of_groups(&store::tally(&db, office.id, 2023).await.unwrap().groups, 2023);
        assert!(t.get(gongkai_domain::annual_report::T3Row::New, gongkai_domain::annual_report::ApplicantColumn::Total).unwrap() > 0);
        let t = table3_of_groups(&store::tally(&db, other.id, 2022).await.unwrap().groups, 2022);
        assert_eq!(t.get(gongkai_domain::annual_report::T3Row::New, gongkai_domain::annual_report::ApplicantColumn::Total), Some(1));

        // An upgraded database (no summaries yet) gets them from the logs when migrated.
        let before = store::tally_all(&db, office.id).await.unwrap();
        match &db {
            Db::Sqlite(p) => {
                sqlx::query("DELETE FROM case_facts").execute(p).await.unwrap();
                sqlx::query("DELETE FROM case_facts_state").execute(p).await.unwrap();
            }
            Db::Postgres(p) => {
                sqlx::query("DELETE FROM case_facts").execute(p).await.unwrap();
                sqlx::query("DELETE FROM case_facts_state").execute(p).await.unwrap();
            }
        }
        assert!(store::tally_all(&db, office.id).await.unwrap().groups.is_empty());
        db.migrate().await.unwrap();
        assert_eq!(store::tally_all(&db, office.id).await.unwrap(), before);
    }
}
