//! 12345 orders through the app: a file with a bad row stores nothing and names the row, the corrected file
//! imports, importing it again changes nothing, deadlines per §3.3/§3.4 and §9.1, XLSX as well as CSV, local steps
//! with their states and permissions, and the audit trail. Both backends.

use gongkai_app::interaction::hotline::ImportSummary;
use gongkai_app::{AgencyForm, App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::hotline::{OrderStatus, Satisfaction, Step};
use gongkai_store::agencies::Agency;
use gongkai_store::{Db, audit, db_test};
use time::macros::date;

const HEADER: &str = "工单编号,派单时间,诉求类型,诉求内容,承办单位,办理时限,截止时间,诉求人,联系电话";
const GOOD: [&str; 3] = [
    "12345-0001,2025-09-26 09:30,投诉,小区夜间施工噪音扰民,义马市测试局,,,张三丰,13812345678",
    "12345-0002,2025/09/30 10:00,求助,路灯损坏,义马市测试局,,,李四,0398-5891234",
    "12345-0003,2025-09-30 11:00,咨询,咨询办事流程,义马市测试局,5,,,",
];

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    s.push_str(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.into_bytes()
}

async fn setup(db: Db) -> (App, Agency) {
    let app = App::new(db, AppConfig::default());
    app.seed_calendar_if_empty().await.unwrap();
    let form = AgencyForm {
        code: "yima-test".into(),
        name: "义马市测试局".into(),
        identifier: String::new(),
        kind: "department".into(),
        parent: String::new(),
        sort_order: 1,
    };
    let a = app.create_agency(Caller::System("cli"), &form).await.unwrap();
    app.set_today(Some(date!(2025 - 12 - 31)));
    (app, a)
}

async fn staff(app: &App, username: &str, agency: &Agency, role: Role) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, false).await.unwrap();
    app.grant_role(Caller::System("cli"), agency, username, role).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

db_test! {
    async fn a_bad_row_stores_nothing_then_the_corrected_file_imports_once(db: Db) {
        let (app, a) = setup(db.clone()).await;
        let bad = csv(&[GOOD[0], "12345-0002,2025-09-31 10:00,求助,路灯损坏,义马市测试局,,,李四,", GOOD[2]]);
        let err = app.import_hotline(Caller::System("cli"), &a, &bad, "orders.csv").await.unwrap_err();
        let AppError::InvalidFields(problems) = err else { panic!("{err:?}") };
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.starts_with("第3行“派单时间”列：“2025-09-31 10:00”不是有效的时间"), "{problems:?}");
        assert!(app.hotline_orders(Caller::System("cli"), &a, None).await.unwrap().is_empty(), "nothing stored");
        assert!(audit::by_action(&db, AuditAction::HotlineImport).await.unwrap().is_empty());

        let good = csv(&GOOD);
        let first = app.import_hotline(Caller::System("cli"), &a, &good, "orders.csv").await.unwrap();
        assert_eq!((first.rows, first.created, first.updated, first.unchanged), (3, 3, 0, 0));
        assert_eq!(first.to_zh(), "新建 3 件，更新 0 件，未变 0 件");
        let again = app.import_hotline(Caller::System("cli"), &a, &good, "orders.csv").await.unwrap();
        assert_eq!(again, ImportSummary { batch_id: again.batch_id, rows: 3, created: 0, updated: 0, unchanged: 3 });

        let orders = app.hotline_orders(Caller::System("cli"), &a, Some(2025)).await.unwrap();
        let due: Vec<_> = orders.iter().map(|o| (o.order_no.as_str(), o.kind, o.due, o.due_from_file)).collect();
        assert_eq!(
            due,
            [
                // §9.1: a 投诉 dispatched on 2025-09-26 without a deadline.
                ("12345-0001", Kind::Complaint, date!(2025 - 10 - 23), false),
                // §9.2
                ("12345-0002", Kind::Help, date!(2025 - 10 - 14), false),
                // 办理时限 of 5 in the file wins over the 3 days of a 咨询 (§3.4), which would end on Sat 10-11.
                ("12345-0003", Kind::Consult, date!(2025 - 10 - 14), true),
            ]
        );
        assert_eq!(orders[0].contact_name, "张**");
        assert_eq!(orders[1].contact_phone, "039*****1234");
        assert!(orders.iter().all(|o| o.on_time == Some(false)), "open and overdue on 2025-12-31");
        assert!(app.hotline_orders(Caller::System("cli"), &a, Some(2024)).await.unwrap().is_empty());

        let events = audit::by_action(&db, AuditAction::HotlineImport).await.unwrap();
        assert_eq!(events.len(), 2);
        let last = events.iter().max_by_key(|e| e.id).unwrap();
        assert_eq!((last.details.0["created"].as_u64(), last.details.0["unchanged"].as_u64()), (Some(0), Some(3)));
        assert_eq!(last.details.0["file_name"], "orders.csv");
    }
}

db_test! {
    async fn xlsx_imports_like_csv_and_a_changed_row_updates(db: Db) {
        let (app, a) = setup(db).await;
        let headers: Vec<&str> = HEADER.split(',').collect();
        let rows: Vec<Vec<String>> = GOOD.iter().map(|r| r.split(',').map(str::to_owned).collect()).collect();
        let xlsx = gongkai_report::xlsx::table_workbook("工单", &headers, &rows).unwrap();
        let s = app.import_hotline(Caller::System("cli"), &a, &xlsx, "orders.xlsx").await.unwrap();
        assert_eq!((s.created, s.updated, s.unchanged), (3, 0, 0));
        // The same orders as CSV are unchanged; one changed row is updated.
        let mut changed = GOOD;
        changed[2] = "12345-0003,2025-09-30 11:00,咨询,咨询办事流程,义马市测试局,5,2025-10-09,,";
        let s = app.import_hotline(Caller::System("cli"), &a, &csv(&changed), "orders.csv").await.unwrap();
        assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 2));
        let o = app.hotline_order(Caller::System("cli"), &a, "12345-0003").await.unwrap();
        assert_eq!(o.due, date!(2025 - 10 - 09), "截止时间 wins over 办理时限");
    }
}

db_test! {
    async fn local_steps_follow_the_states_and_are_audited(db: Db) {
        let (app, a) = setup(db.clone()).await;
        app.import_hotline(Caller::System("cli"), &a, &csv(&GOOD), "orders.csv").await.unwrap();
        let handler = staff(&app, "handler", &a, Role::CaseHandler).await;
        let editor = staff(&app, "editor", &a, Role::Editor).await;
        let no = "12345-0001";

        let denied = app.record_hotline_step(Caller::Staff(&editor), &a, no, date!(2025 - 09 - 28), &Step::Sign, "").await;
        assert!(matches!(denied, Err(AppError::Forbidden)), "{denied:?}");
        let denied = app.import_hotline(Caller::Staff(&editor), &a, &csv(&GOOD), "orders.csv").await;
        assert!(matches!(denied, Err(AppError::Forbidden)));

        let by = Caller::Staff(&handler);
        let o = app.record_hotline_step(by, &a, no, date!(2025 - 09 - 28), &Step::Sign, "").await.unwrap();
        assert_eq!(o.status, OrderStatus::InProgress);
        let again = app.record_hotline_step(by, &a, no, date!(2025 - 09 - 28), &Step::Sign, "").await;
        assert!(matches!(&again, Err(AppError::Invalid { message, .. }) if message.contains("不能签收")), "{again:?}");
        let early = app.record_hotline_step(by, &a, no, date!(2025 - 09 - 25), &Step::Close { reply: "x".into() }, "").await;
        assert!(matches!(early, Err(AppError::Invalid { field: Some("date"), .. })));

        let close = Step::Close { reply: "已协调施工单位调整作业时间".into() };
        let o = app.record_hotline_step(by, &a, no, date!(2025 - 10 - 20), &close, "").await.unwrap();
        assert_eq!((o.status, o.closed_on, o.on_time), (OrderStatus::AwaitingVisit, Some(date!(2025 - 10 - 20)), Some(true)));
        let visit = Step::Visit { satisfaction: Satisfaction::Satisfied };
        let o = app.record_hotline_step(by, &a, no, date!(2025 - 10 - 21), &visit, "回访电话").await.unwrap();
        assert_eq!((o.status, o.satisfaction), (OrderStatus::Closed, Some(Satisfaction::Satisfied)));

        let steps = app.hotline_steps(by, &a, no).await.unwrap();
        let kinds: Vec<&str> = steps.iter().map(|e| e.step.kind().as_str()).collect();
        assert_eq!(kinds, ["sign", "close", "visit"]);
        assert_eq!(steps[0].actor_label, "handler");
        let audited = audit::by_action(&db, AuditAction::HotlineStep).await.unwrap();
        assert_eq!(audited.len(), 3);
        assert!(audited.iter().all(|e| e.details.0["order_no"] == no));

        // Re-importing the unchanged file leaves the local state alone.
        app.import_hotline(Caller::System("cli"), &a, &csv(&GOOD), "orders.csv").await.unwrap();
        assert_eq!(app.hotline_order(by, &a, no).await.unwrap().status, OrderStatus::Closed);
        let missing = app.hotline_order(by, &a, "nope").await;
        assert!(matches!(missing, Err(AppError::NotFound("工单"))));
    }
}
