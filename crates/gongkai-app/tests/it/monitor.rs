//! Website self-monitoring on the demo data: the administrator's column classes change what is stale, others may
//! not change them, a supervisor sees the descendants' verdicts, and stored probes veto. Both backends.

use gongkai_app::{App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::monitor::{Indicator, Kind, UpdateClass, Verdict};
use gongkai_store::agencies::Agency;
use gongkai_store::monitor::{ProbeRow, record_probe};
use gongkai_store::{audit, db_test};
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

fn stale_message(c: &gongkai_domain::monitor::Check) -> String {
    c.findings.iter().filter(|f| f.indicator == Indicator::ColumnsStale).map(|f| f.message.clone()).collect()
}

db_test! {
    async fn an_administrator_sets_a_column_class_and_the_check_follows(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let admin = user_with(&app, "office-admin", &office, Role::Admin).await;
        let editor = user_with(&app, "office-editor", &office, Role::Editor).await;

        let cols = app.column_classes(Caller::Staff(&editor), &office).await.unwrap();
        let gzdt = cols.iter().find(|c| c.column.slug == "gzdt").unwrap();
        assert_eq!((gzdt.class, gzdt.is_default), (UpdateClass::News, true));
        let c = app.site_check(Caller::Staff(&editor), &office, date!(2024 - 02 - 08)).await.unwrap();
        assert!(stale_message(&c).contains("工作动态"));

        let err = app.set_column_class(&editor, &office, gzdt.column.id, "static").await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden));
        assert!(app.set_column_class(&admin, &office, gzdt.column.id, "weekly").await.is_err());
        app.set_column_class(&admin, &office, gzdt.column.id, "static").await.unwrap();
        let c = app.site_check(Caller::Staff(&editor), &office, date!(2024 - 02 - 08)).await.unwrap();
        assert!(!stale_message(&c).contains("工作动态"), "{c:?}");
        assert!(stale_message(&c).contains("政府快报"));
        let events = audit::by_action(&db, AuditAction::MonitorColumnClass).await.unwrap();
        assert_eq!(events.len(), 1);

        // Back to the default.
        app.set_column_class(&admin, &office, gzdt.column.id, "default").await.unwrap();
        let cols = app.column_classes(Caller::System("cli"), &office).await.unwrap();
        assert!(cols.iter().any(|c| c.column.slug == "gzdt" && c.is_default && c.class == UpdateClass::News));
    }
}

db_test! {
    async fn a_supervisor_sees_the_descendants_and_probes_veto(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let supervisor = user_with(&app, "city-supervisor", &city, Role::Supervisor).await;
        let day = date!(2024 - 01 - 02);
        let rows = app.descendant_checks(Caller::Staff(&supervisor), &city, day).await.unwrap();
        assert_eq!(rows.len(), 7, "every demo agency under the city");
        assert!(rows.iter().any(|(a, _)| a.code == office.code));
        // An agency with no published item fails on its homepage.
        let (_, nr) = rows.iter().find(|(a, _)| a.code.as_str() == "yima-nr").unwrap();
        assert!(nr.findings.iter().any(|f| f.indicator == Indicator::HomeStale && f.kind == Kind::Veto));
        // An editor of the office may not look at the city's descendants.
        let editor = user_with(&app, "office-editor", &office, Role::Editor).await;
        assert!(matches!(
            app.descendant_checks(Caller::Staff(&editor), &city, day).await.unwrap_err(),
            AppError::Forbidden
        ));

        // §7.1: 140 probes in the week, 7 failed → 站点无法访问.
        let mut tx = db.begin().await.unwrap();
        for i in 0..140i64 {
            let at = datetime!(2024 - 01 - 02 01:00 UTC) - time::Duration::hours(i);
            let p = ProbeRow { url: "https://www.yima.gov.cn/".into(), probed_at: at, ms: Some(300), ok: i >= 7 };
            record_probe(&mut tx, office.id, &p).await.unwrap();
        }
        tx.commit().await.unwrap();
        let c = app.site_check(Caller::System("cli"), &office, day).await.unwrap();
        assert!(c.findings.iter().any(|f| f.indicator == Indicator::SiteUnreachable && f.kind == Kind::Veto));
        assert_eq!(c.verdict, Verdict::Fail);
    }
}

db_test! {
    async fn a_misstatement_and_a_dead_link_in_a_published_item_are_found(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let gzdt = gongkai_store::catalog::column_by_slug(&db, office.id, "gzdt").await.unwrap().unwrap();
        // Published before the word list knew the misstatement (publication itself is refused by the lint).
        let fields = gongkai_store::catalog::EntryFields {
            column_id: gzdt.id,
            title: "市政府召开常务会议".into(),
            doc_no: String::new(),
            publisher: office.name.clone(),
            joint_publishers: String::new(),
            doc_class: gongkai_domain::catalog::DocClass::Ordinary,
            validity: None,
            written_on: None,
            effective_on: None,
            expires_on: None,
            formed_on: None,
            topic: String::new(),
            genre: String::new(),
            keywords: String::new(),
            summary: String::new(),
            disclosure: "主动公开".into(),
            body_html: r#"<p>义马市张三副市长主持会议。</p><p><a href="/yima-office/gzdt/999999">相关报道</a></p>"#.into(),
        };
        let mut tx = db.begin().await.unwrap();
        let e = gongkai_store::catalog::create(&mut tx, office.id, &fields, None).await.unwrap();
        use gongkai_domain::catalog::EntryStatus as S;
        gongkai_store::catalog::set_status(&mut tx, e.id, S::Draft, S::Reviewed).await.unwrap();
        gongkai_store::catalog::mark_published(&mut tx, e.id, None, datetime!(2024 - 01 - 02 02:00 UTC)).await.unwrap();
        tx.commit().await.unwrap();

        let config = AppConfig {
            lint: gongkai_domain::catalog::LintRules {
                sensitive_words: vec![],
                misstatements: vec![("张三副市长".into(), "张三市长".into())],
            },
            ..AppConfig::default()
        };
        let strict = App::new(db.clone(), config);
        let c = strict.site_check(Caller::System("cli"), &office, date!(2024 - 01 - 02)).await.unwrap();
        let url = format!("/yima-office/gzdt/{}", e.id);
        let f = c.findings.iter().find(|f| f.indicator == Indicator::ContentError).expect("content.error");
        assert_eq!(f.kind, Kind::Veto);
        assert!(f.evidence[0].starts_with(&url) && f.evidence[0].contains("张三市长"), "{:?}", f.evidence);
        let f = c.findings.iter().find(|f| f.indicator == Indicator::LinksBroken).expect("links.broken");
        assert_eq!((f.kind, f.evidence.clone()), (Kind::Warn, vec![format!("{url} → /yima-office/gzdt/999999")]));
        // The day before, the item was not yet published.
        let c = strict.site_check(Caller::System("cli"), &office, date!(2024 - 01 - 01)).await.unwrap();
        assert!(c.findings.iter().all(|f| f.indicator != Indicator::ContentError));
    }
}

db_test! {
    async fn the_check_reads_every_item_of_an_agency_with_more_than_one_page_of_them(db: Db) {
        // The site check reads an agency's published items 500 at a time (by id): the demo office has some two
        // hundred, 400 more make it read two pages. Misstatements in the first and the last item added are on
        // different pages; the last was published earlier, so the evidence is in the order of publication,
        // not of reading.
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let gzdt = gongkai_store::catalog::column_by_slug(&db, office.id, "gzdt").await.unwrap().unwrap();
        let mut tx = db.begin().await.unwrap();
        let mut ids = Vec::new();
        for i in 0..400i64 {
            let wrong = i == 0 || i == 399;
            let fields = gongkai_store::catalog::EntryFields {
                column_id: gzdt.id,
                title: format!("工作动态第{i}期"),
                doc_no: String::new(),
                publisher: office.name.clone(),
                joint_publishers: String::new(),
                doc_class: gongkai_domain::catalog::DocClass::Ordinary,
                validity: None,
                written_on: None,
                effective_on: None,
                expires_on: None,
                formed_on: None,
                topic: String::new(),
                genre: String::new(),
                keywords: String::new(),
                summary: String::new(),
                disclosure: "主动公开".into(),
                body_html: if wrong { "<p>义马市张三副市长主持会议。</p>".into() } else { "<p>会议召开。</p>".into() },
            };
            let e = gongkai_store::catalog::create(&mut tx, office.id, &fields, None).await.unwrap();
            use gongkai_domain::catalog::EntryStatus as S;
            gongkai_store::catalog::set_status(&mut tx, e.id, S::Draft, S::Reviewed).await.unwrap();
            // The last one added the earliest.
            let at = datetime!(2024 - 01 - 02 02:00 UTC) - time::Duration::minutes(if i == 399 { 1000 } else { i });
            gongkai_store::catalog::mark_published(&mut tx, e.id, None, at).await.unwrap();
            ids.push(e.id);
        }
        tx.commit().await.unwrap();
        let published = gongkai_store::monitor::published_items(&db, office.id, 0, 100_000).await.unwrap();
        assert!(published.len() > 500, "{} items: one page would hold them all", published.len());

        let config = AppConfig {
            lint: gongkai_domain::catalog::LintRules {
                sensitive_words: vec![],
                misstatements: vec![("张三副市长".into(), "张三市长".into())],
            },
            ..AppConfig::default()
        };
        let strict = App::new(db.clone(), config);
        let c = strict.site_check(Caller::System("cli"), &office, date!(2024 - 01 - 02)).await.unwrap();
        let f = c.findings.iter().find(|f| f.indicator == Indicator::ContentError).expect("content.error");
        let urls: Vec<String> = [ids[399], ids[0]].iter().map(|id| format!("/yima-office/gzdt/{id}")).collect();
        assert_eq!(f.evidence.len(), 2, "{:?}", f.evidence);
        for (evidence, url) in f.evidence.iter().zip(&urls) {
            assert!(evidence.starts_with(url.as_str()), "{:?} should come in the order {urls:?}", f.evidence);
        }
    }
}
