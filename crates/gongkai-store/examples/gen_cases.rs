//! Generates many applications with their case logs for the report benchmark (`bench/report.sh`):
//!
//! ```sh
//! cargo run --release -p gongkai-store --example gen_cases -- DATABASE_URL AGENCY_CODE COUNT [FIRST_YEAR LAST_YEAR]
//! ```
//!
//! Migrates the database, creates the agency if it is missing, and inserts COUNT applications spread over the
//! years (default 2021–2025) with 3–6 events each, in bulk (explicit ids after the current largest), together
//! with their case summaries computed by the same domain function the store uses for every event. Not part of
//! the tests; deterministic (a fixed seed), so two runs of the same arguments write the same cases.

use gongkai_domain::agency::{AgencyCode, AgencyKind};
use gongkai_domain::annual_report::compute::case_facts;
use gongkai_domain::application::{
    ApplicantType, CaseEvent, CaseEventKind, FeeMethod, Outcome, ReviewKind, ReviewResult,
};
use gongkai_domain::clock::Channel;
use gongkai_store::agencies::{self, NewAgency};
use gongkai_store::{Db, Tx, case_facts as facts};
use sqlx::types::Json;
use time::{Date, Duration, OffsetDateTime};

/// splitmix64: a fixed, dependency-free stream of pseudo-random numbers.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Case {
    id: i64,
    applicant_type: &'static str,
    channel: Channel,
    submitted_on: Date,
    events: Vec<CaseEvent>,
}

fn generate(rng: &mut Rng, id: i64, years: (i32, i32)) -> Case {
    let year = years.0 + rng.below((years.1 - years.0 + 1) as u64) as i32;
    let day = Date::from_ordinal_date(year, 1 + rng.below(330) as u16).unwrap_or(Date::MIN);
    let types = ApplicantType::ALL;
    // Most applicants are natural persons (as in every published report).
    let applicant = if rng.below(10) < 8 { types[0] } else { types[1 + rng.below(types.len() as u64 - 1) as usize] };
    let channel = match rng.below(10) {
        0..=6 => Channel::Online,
        7..=8 => Channel::InPerson,
        _ => Channel::PostSigned,
    };
    let ev = |date, kind| CaseEvent { date, kind };
    let mut events = vec![ev(day, CaseEventKind::Submitted { channel, attachments: Vec::new() })];
    if !channel.receipt_on_submission() {
        events.push(ev(day + Duration::days(1), CaseEventKind::ReceiptConfirmed));
    }
    let mut at = day + Duration::days(2);
    if rng.below(200) == 0 {
        events.push(ev(
            at,
            CaseEventKind::FeeNoticeDelivered {
                method: FeeMethod::PerPage { pages: 300 },
                standard_amount: 100,
                amount: 100,
                reduction_reason: String::new(),
            },
        ));
        at += Duration::days(3);
        events.push(ev(at, CaseEventKind::FeePaid));
    }
    let roll = rng.below(100);
    // The last year keeps some cases open (carried to the next year); the others are all answered.
    if year == years.1 && roll < 8 {
        return Case { id, applicant_type: applicant.as_str(), channel, submitted_on: day, events };
    }
    let answered = at + Duration::days(3 + rng.below(35) as i64);
    if roll < 3 {
        events.push(ev(answered, CaseEventKind::Withdrawn));
    } else {
        let outcome =
            if roll < 60 { Outcome::Disclosed } else { Outcome::ALL[rng.below(Outcome::ALL.len() as u64) as usize] };
        events.push(ev(answered, CaseEventKind::Decided { outcome, reasons: String::new() }));
        if rng.below(100) == 0 {
            let kind = ReviewKind::AdministrativeReview;
            events.push(ev(
                answered + Duration::days(30),
                CaseEventKind::ReviewFiled { kind, body: "某市人民政府".into() },
            ));
            events.push(ev(
                answered + Duration::days(120),
                CaseEventKind::ReviewDecided { kind, result: ReviewResult::Upheld },
            ));
        }
    }
    Case { id, applicant_type: applicant.as_str(), channel, submitted_on: day, events }
}

async fn scalar(db: &Db, sql: &'static str) -> i64 {
    let v: Option<i64> = match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    };
    v.unwrap_or(0)
}

macro_rules! bulk {
    ($tx:expr, $head:expr, $rows:expr, |$b:ident, $r:ident| $push:expr) => {
        match $tx {
            Tx::Sqlite(t) => {
                let mut q = sqlx::QueryBuilder::new($head);
                q.push_values($rows, |mut $b, $r| {
                    $push;
                });
                q.build().execute(&mut **t).await.unwrap();
            }
            Tx::Postgres(t) => {
                let mut q = sqlx::QueryBuilder::new($head);
                q.push_values($rows, |mut $b, $r| {
                    $push;
                });
                q.build().execute(&mut **t).await.unwrap();
            }
        }
    };
}

async fn insert(tx: &mut Tx, agency_id: i64, first_applicant: i64, first_event: &mut i64, cases: &[Case]) {
    let now = OffsetDateTime::now_utc();
    // One applicant per case (distinct 身份证 numbers).
    for chunk in cases.chunks(2000) {
        bulk!(
            tx,
            "INSERT INTO applicants (id, id_type, id_number, name, applicant_type, created_at) ",
            chunk,
            |b, c| {
                b.push_bind(first_applicant + c.id)
                    .push_bind("id_card")
                    .push_bind(format!("B{:017}", first_applicant + c.id))
                    .push_bind("申请人")
                    .push_bind(c.applicant_type)
                    .push_bind(now)
            }
        );
    }
    for chunk in cases.chunks(1000) {
        bulk!(
            tx,
            "INSERT INTO applications (id, agency_id, applicant_id, tracking_code, password_hash, channel, \
             applicant_type, applicant_name, id_type, id_number, phone, email, address, description, delivery, \
             submitted_on, stage, outcome, created_at) ",
            chunk,
            |b, c| b
                .push_bind(c.id)
                .push_bind(agency_id)
                .push_bind(first_applicant + c.id)
                .push_bind(format!("BENCH-{:010}", c.id))
                .push_bind("x")
                .push_bind(
                    serde_json::to_value(c.channel)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
                .push_bind(c.applicant_type)
                .push_bind("申请人")
                .push_bind("id_card")
                .push_bind("x")
                .push_bind("")
                .push_bind("")
                .push_bind("")
                .push_bind("某年度预算")
                .push_bind("email")
                .push_bind(c.submitted_on)
                .push_bind("closed")
                .push_bind(Option::<String>::None)
                .push_bind(now)
        );
    }
    let events: Vec<(i64, i64, &CaseEvent)> = cases
        .iter()
        .flat_map(|c| c.events.iter().map(move |e| (c.id, e)))
        .map(|(app, e)| {
            *first_event += 1;
            (*first_event, app, e)
        })
        .collect();
    for chunk in events.chunks(2000) {
        bulk!(
            tx,
            "INSERT INTO application_events (id, application_id, at, actor_id, actor_label, on_date, kind, data, note) ",
            chunk,
            |b, r| b
                .push_bind(r.0)
                .push_bind(r.1)
                .push_bind(now)
                .push_bind(Option::<i64>::None)
                .push_bind("bench")
                .push_bind(r.2.date)
                .push_bind(r.2.kind.code())
                .push_bind(Json(&r.2.kind))
                .push_bind("")
        );
    }
    let summaries: Vec<_> = cases
        .iter()
        .map(|c| (c.id, agency_id, case_facts(c.applicant_type, c.submitted_on, &c.events).summary()))
        .collect();
    facts::write(tx, &summaries).await.unwrap();
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: gen_cases DATABASE_URL AGENCY_CODE COUNT [FIRST_YEAR LAST_YEAR]");
        std::process::exit(2);
    }
    let count: i64 = args[2].parse().expect("COUNT");
    let years = (
        args.get(3).map_or(2021, |y| y.parse().expect("FIRST_YEAR")),
        args.get(4).map_or(2025, |y| y.parse().expect("LAST_YEAR")),
    );
    let db = Db::open(&args[0]).await.expect("database");
    let agency = match agencies::by_code(&db, &args[1]).await.unwrap() {
        Some(a) => a,
        None => {
            let mut tx = db.begin().await.unwrap();
            let a = agencies::create(
                &mut tx,
                &NewAgency {
                    code: AgencyCode::parse(&args[1]).expect("agency code"),
                    name: "基准测试机关".into(),
                    identifier: None,
                    kind: AgencyKind::Department,
                    parent_id: None,
                    sort_order: 0,
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            a
        }
    };
    let first_app = scalar(&db, "SELECT MAX(id) FROM applications").await;
    let first_applicant = scalar(&db, "SELECT MAX(id) FROM applicants").await - first_app;
    let mut first_event = scalar(&db, "SELECT MAX(id) FROM application_events").await;
    let mut rng = Rng(20_231_231);
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < count {
        let n = (count - done).min(20_000);
        let cases: Vec<Case> = (1..=n).map(|i| generate(&mut rng, first_app + done + i, years)).collect();
        let mut tx = db.begin().await.unwrap();
        insert(&mut tx, agency.id, first_applicant, &mut first_event, &cases).await;
        tx.commit().await.unwrap();
        done += n;
        eprint!("\r{done} / {count} applications ({:.0} s)", started.elapsed().as_secs_f64());
    }
    eprintln!();
    if let Db::Postgres(p) = &db {
        for t in ["applicants", "applications", "application_events"] {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.unwrap();
        }
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    } else if let Db::Sqlite(p) = &db {
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    }
    println!(
        "{}",
        serde_json::json!({"agency": args[1], "applications": count, "events": first_event, "seconds": started.elapsed().as_secs_f64()})
    );
}
