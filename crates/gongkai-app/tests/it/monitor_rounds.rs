//! Rounds of website self-monitoring on the demo data: the daily job (idempotent per day, "since when"), the
//! probe job against loopback servers, the 通报 lifecycle with its own 文号 sequence, and the 整改 state machine.
//! Both backends.

use gongkai_app::jobs::JobRunner;
use gongkai_app::supervision::bulletins::is_overdue;
use gongkai_app::supervision::monitor_jobs::{DAILY_CHECK, PROBE};
use gongkai_app::{App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::agencies::Agency;
use gongkai_store::{audit, db_test, monitor};
use time::macros::{date, datetime};

async fn user_with(app: &App, username: &str, agency: &Agency, role: Role) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, false).await.unwrap();
    app.grant_role(Caller::System("cli"), agency, username, role).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

fn invalid(e: AppError) -> String {
    match e {
        AppError::Invalid { message, .. } => message,
        e => panic!("expected a refusal, got {e:?}"),
    }
}

db_test! {
    async fn the_daily_job_records_one_result_per_agency_and_day_and_tells_since_when(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let nr = app.agency_by_code("yima-nr").await.unwrap();
        // The day before: a (hand-written) passing result breaks the run.
        let mut tx = db.begin().await.unwrap();
        monitor::save_daily(&mut tx, nr.id, date!(2024 - 02 - 28), "fail", None, r#"[{"indicator":"home.stale","kind":"veto"}]"#)
            .await
            .unwrap();
        monitor::save_daily(&mut tx, nr.id, date!(2024 - 02 - 29), "pass", Some(100), "[]").await.unwrap();
        tx.commit().await.unwrap();
        for day in ["2024-03-01", "2024-03-03", "2024-03-03"] {
            app.enqueue(DAILY_CHECK, serde_json::json!({"day": day})).await.unwrap();
        }
        assert_eq!(JobRunner::new(app.clone()).run_due().await.unwrap(), 3);
        let rows = monitor::daily_results(&db, nr.id, date!(2024 - 03 - 01), date!(2024 - 03 - 31)).await.unwrap();
        // 03-03 ran twice: still one row.
        assert_eq!(rows.iter().map(|r| r.day).collect::<Vec<_>>(), vec![date!(2024 - 03 - 01), date!(2024 - 03 - 03)]);
        assert!(rows.iter().all(|r| r.verdict == "fail" && r.score.is_none()), "{rows:?}");
        // yima-nr never published anything: its homepage fails since the first recorded day after the pass.
        let since = app.failing_since(Caller::System("cli"), &nr, date!(2024 - 03 - 03)).await.unwrap();
        assert_eq!(since.get("home.stale"), Some(&date!(2024 - 03 - 01)), "{since:?}");
        let city_rows = monitor::daily_results(&db, app.agency_by_code("yima").await.unwrap().id, date!(2024 - 03 - 03),
            date!(2024 - 03 - 03)).await.unwrap();
        assert_eq!(city_rows.len(), 1, "every agency is recorded");
    }
}

/// A loopback HTTP server answering 200 to anything; returns its address.
async fn serve_ok() -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
            });
        }
    });
    addr
}

db_test! {
    async fn the_probe_job_records_a_site_that_answers_and_one_that_refuses(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let admin = user_with(&app, "office-admin", &office, Role::Admin).await;
        let editor = user_with(&app, "office-editor", &office, Role::Editor).await;
        let up = serve_ok().await;
        let down = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        }; // closed again: connections are refused
        let lines = format!("http://{up}/\n\nhttp://{down}/index.html\n");
        assert!(matches!(app.set_probe_urls(&editor, &office, &lines).await.unwrap_err(), AppError::Forbidden));
        let msg = invalid(app.set_probe_urls(&admin, &office, "http://ok.example/\nftp://x.example/").await.unwrap_err());
        assert!(msg.contains("第2行"), "{msg}");
        let urls = app.set_probe_urls(&admin, &office, &lines).await.unwrap();
        assert_eq!(urls, vec![format!("http://{up}/"), format!("http://{down}/index.html")]);
        assert_eq!(audit::by_action(&db, AuditAction::MonitorProbeUrls).await.unwrap().len(), 1);

        app.enqueue(PROBE, serde_json::json!({})).await.unwrap();
        assert_eq!(JobRunner::new(app.clone()).run_due().await.unwrap(), 1);
        let all = monitor::probes_between(&db, office.id, datetime!(2000 - 01 - 01 0:00 UTC), datetime!(2100 - 01 - 01 0:00 UTC))
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "{all:?}");
        let ok = all.iter().find(|p| p.url == format!("http://{up}/")).unwrap();
        assert!(ok.ok && ok.ms.is_some(), "{ok:?}");
        let refused = all.iter().find(|p| p.url == format!("http://{down}/index.html")).unwrap();
        assert!(!refused.ok && refused.ms.is_none(), "{refused:?}");
        // No URL, no probe.
        app.set_probe_urls(&admin, &office, "").await.unwrap();
        assert_eq!(app.run_probes().await.unwrap(), 0);
    }
}

db_test! {
    async fn a_bulletin_is_approved_by_another_issuer_numbered_in_sequence_and_published(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        app.set_today(Some(date!(2026 - 03 - 02)));
        let city = app.agency_by_code("yima").await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let sup = user_with(&app, "city-supervisor", &city, Role::Supervisor).await;
        let admin = user_with(&app, "city-admin", &city, Role::Admin).await;
        let office_editor = user_with(&app, "office-editor", &office, Role::Editor).await;
        let s = Caller::Staff(&sup);
        let a = Caller::Staff(&admin);

        assert!(matches!(
            app.draft_bulletin(Caller::Staff(&office_editor), &city, "monthly", "2026-02", date!(2024 - 02 - 08)).await,
            Err(AppError::Forbidden)
        ));
        let msg = invalid(app.draft_bulletin(s, &city, "monthly", "2026-2", date!(2024 - 02 - 08)).await.unwrap_err());
        assert!(msg.contains("2026-11"), "{msg}");
        let id = app.draft_bulletin(s, &city, "monthly", "2026-02", date!(2024 - 02 - 08)).await.unwrap();
        let b = app.bulletin(s, &city, id).await.unwrap();
        assert_eq!(b.title, "关于2026年2月政府网站检查情况的通报");
        assert!(b.body.contains("义马市人民政府办公室：首页不更新"), "{}", b.body);
        app.edit_bulletin(s, &city, id, &b.title, &format!("{}\n（已核对）", b.body)).await.unwrap();

        // Not before approval.
        let msg = invalid(app.publish_bulletin(s, &city, id, "tzgg").await.unwrap_err());
        assert!(msg.contains("须经审核编号后才能发布"), "{msg}");
        assert!(app.approve_bulletin(a, &city, id).await.is_err(), "a draft is not approved");
        app.submit_bulletin(s, &city, id).await.unwrap();
        let msg = invalid(app.approve_bulletin(s, &city, id).await.unwrap_err());
        assert!(msg.contains("报送人以外"), "{msg}");
        assert!(app.edit_bulletin(s, &city, id, "x", "y").await.is_err(), "submitted: no edits");
        assert!(invalid(app.return_bulletin(a, &city, id, " ").await.unwrap_err()).contains("退回理由"));
        app.return_bulletin(a, &city, id, "请补充工作要求").await.unwrap();
        app.submit_bulletin(s, &city, id).await.unwrap();
        let no = app.approve_bulletin(a, &city, id).await.unwrap();
        assert_eq!(no, "义马市人民政府政务公开通报〔2026〕1号");
        assert!(app.edit_bulletin(s, &city, id, "x", "y").await.is_err(), "approved: frozen");

        // A second one in the year takes number 2.
        let id2 = app.draft_bulletin(s, &city, "quarterly", "2026-Q1", date!(2024 - 02 - 08)).await.unwrap();
        app.submit_bulletin(s, &city, id2).await.unwrap();
        assert_eq!(app.approve_bulletin(a, &city, id2).await.unwrap(), "义马市人民政府政务公开通报〔2026〕2号");

        // 整改 items: one per failing finding, due 10 working days after Monday 2026-03-02 → 2026-03-16.
        let items = app.rectifications_of(Caller::System("cli"), &office).await.unwrap();
        let home = items.iter().find(|r| r.bulletin_id == id && r.indicator == "home.stale").expect("home.stale item");
        assert_eq!(home.due_on, date!(2026 - 03 - 16));
        assert_eq!(home.doc_no.as_deref(), Some("义马市人民政府政务公开通报〔2026〕1号"));

        let entry_id = app.publish_bulletin(s, &city, id, "tzgg").await.unwrap();
        let column = app.column(&city, "tzgg").await.unwrap();
        let e = app.published_entry(&city, &column, entry_id).await.unwrap();
        assert_eq!((e.fields.title.as_str(), e.fields.doc_no.as_str()), ("关于2026年2月政府网站检查情况的通报", no.as_str()));
        assert!(e.fields.body_html.contains("义马市人民政府办公室：首页不更新"));
        assert!(app.publish_bulletin(s, &city, id, "tzgg").await.is_err(), "published once");
        let msg = invalid(app.publish_bulletin(s, &city, id2, "no-such-column").await.unwrap_err());
        assert!(msg.contains("栏目"), "{msg}");
        for (action, n) in [
            (AuditAction::BulletinDraft, 2),
            (AuditAction::BulletinEdit, 1),
            (AuditAction::BulletinSubmit, 3),
            (AuditAction::BulletinReturn, 1),
            (AuditAction::BulletinApprove, 2),
            (AuditAction::BulletinPublish, 1),
        ] {
            assert_eq!(audit::by_action(&db, action).await.unwrap().len(), n, "{action:?}");
        }
        // The city's 2026 report counts the two numbered 通报 in 一（五）; the office, which issued none, is blank.
        let one = app.annual_report(&city, 2026).await.unwrap().0.sections.one.unwrap();
        assert!(one.contains("发布检查通报2期"), "{one}");
        let one = app.annual_report(&office, 2026).await.unwrap().0.sections.one.unwrap();
        assert!(!one.contains("发布检查通报2期"), "{one}");
    }
}

db_test! {
    async fn rectification_goes_from_pending_to_reported_to_reviewed_and_refuses_other_steps(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        app.set_today(Some(date!(2026 - 03 - 02)));
        let city = app.agency_by_code("yima").await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let edu = app.agency_by_code("yima-edu").await.unwrap();
        let sup = user_with(&app, "city-supervisor", &city, Role::Supervisor).await;
        let office_editor = user_with(&app, "office-editor", &office, Role::Editor).await;
        let office_admin = user_with(&app, "office-admin", &office, Role::Admin).await;
        let edu_admin = user_with(&app, "edu-admin", &edu, Role::Admin).await;
        let sys = Caller::System("cli");
        let id = app.draft_bulletin(sys, &city, "monthly", "2026-02", date!(2024 - 02 - 08)).await.unwrap();
        app.submit_bulletin(sys, &city, id).await.unwrap();
        app.approve_bulletin(sys, &city, id).await.unwrap();
        let r = app.rectifications_of(Caller::Staff(&office_editor), &office).await.unwrap()[0].clone();
        assert_eq!(r.status, "pending");
        let (s, oe) = (Caller::Staff(&sup), Caller::Staff(&office_editor));

        // Review before a report, a report by another agency or by the issuer's side on the failing one's behalf.
        assert!(invalid(app.review_rectification(s, &city, r.id, true, "", "").await.unwrap_err()).contains("已报整改"));
        assert!(matches!(
            app.report_rectification(Caller::Staff(&edu_admin), &edu, r.id, "x", "y").await,
            Err(AppError::NotFound(_))
        ));
        assert!(invalid(app.report_rectification(oe, &office, r.id, "已更新", " ").await.unwrap_err()).contains("佐证"));
        app.report_rectification(oe, &office, r.id, "已更新首页", "/yima-office/gzdt").await.unwrap();
        assert!(invalid(app.report_rectification(oe, &office, r.id, "再报", "x").await.unwrap_err()).contains("待整改"));
        // The failing agency does not review its own item.
        assert!(matches!(
            app.review_rectification(Caller::Staff(&office_admin), &city, r.id, true, "", "").await,
            Err(AppError::Forbidden)
        ));
        // 未通过 needs a note; it returns the item to 待整改 with a new due date.
        assert!(invalid(app.review_rectification(s, &city, r.id, false, "", "").await.unwrap_err()).contains("复核意见"));
        assert!(app.review_rectification(s, &city, r.id, false, "仍未更新", "2026-03-01").await.is_err(), "past date");
        app.review_rectification(s, &city, r.id, false, "首页仍未更新", "2026-03-20").await.unwrap();
        let again = app.rectifications_of(oe, &office).await.unwrap().into_iter().find(|x| x.id == r.id).unwrap();
        assert_eq!((again.status.as_str(), again.due_on, again.rejections), ("pending", date!(2026 - 03 - 20), 1));
        assert!(!is_overdue(&again, date!(2026 - 03 - 20)));
        assert!(is_overdue(&again, date!(2026 - 03 - 21)));
        app.report_rectification(oe, &office, r.id, "已每日更新", "/yima-office/gzdt").await.unwrap();
        app.review_rectification(s, &city, r.id, true, "", "").await.unwrap();
        let done = app.rectifications_issued(s, &city).await.unwrap().into_iter().find(|x| x.id == r.id).unwrap();
        assert_eq!(done.status, "passed");
        assert!(!is_overdue(&done, date!(2027 - 01 - 01)), "a passed item is never overdue");
        assert!(app.review_rectification(s, &city, r.id, false, "x", "").await.is_err(), "passed is final");
        assert_eq!(audit::by_action(&db, AuditAction::RectifyReport).await.unwrap().len(), 2);
        assert_eq!(audit::by_action(&db, AuditAction::RectifyReview).await.unwrap().len(), 2);
    }
}

db_test! {
    async fn the_demo_has_a_published_numbered_bulletin_and_rectifications(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        app.set_today(Some(date!(2026 - 12 - 04)));
        app.load_demo_monitor().await.unwrap();
        app.load_demo_monitor().await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let list = app.bulletins(Caller::System("cli"), &city).await.unwrap();
        assert_eq!(list.len(), 1, "idempotent");
        assert_eq!(list[0].status, "published");
        assert_eq!(list[0].doc_no.as_deref(), Some("义马市人民政府政务公开通报〔2026〕1号"));
        let office = app.agency_by_code("yima-office").await.unwrap();
        let items = app.rectifications_of(Caller::System("cli"), &office).await.unwrap();
        let states: Vec<&str> = items.iter().map(|r| r.status.as_str()).collect();
        assert!(states.contains(&"reported") && states.contains(&"passed"), "{states:?}");
    }
}
