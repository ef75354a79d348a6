//! The annual report generated from live data: counting across years, R7 on edited narratives, the review
//! workflow with roles and audit events, and the checker on every demo agency and year. Both backends.

use gongkai_app::applications::{ApplicationForm, CaseStep};
use gongkai_app::demo::DEMO_AGENCIES;
use gongkai_app::{App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::annual_report::{ApplicantColumn as C, Rule, T3Row, T4Column, T4Group};
use gongkai_domain::application::{CaseEventKind, Outcome, ReviewKind, ReviewResult};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::clock::Channel;
use gongkai_store::agencies::Agency;
use gongkai_store::db_test;
use gongkai_store::{Db, audit, catalog};
use time::Date;
use time::macros::date;

async fn user(app: &App, username: &str, platform_admin: bool) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, platform_admin).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

async fn user_with(app: &App, username: &str, agency: &Agency, role: Role) -> Principal {
    let p = user(app, username, false).await;
    app.grant_role(Caller::System("cli"), agency, username, role).await.unwrap();
    app.principal(p.user.id).await.unwrap().unwrap()
}

fn form(applicant_type: &str, name: &str, id_type: &str, id_number: &str) -> ApplicationForm {
    ApplicationForm {
        applicant_type: applicant_type.into(),
        name: name.into(),
        id_type: id_type.into(),
        id_number: id_number.into(),
        phone: "13800000000".into(),
        description: "请公开本机关2024年度部门预算".into(),
        delivery: "paper".into(),
        address: "河南省义马市千秋路1号".into(),
        ..Default::default()
    }
}

async fn step(app: &App, p: &Principal, a: &Agency, id: i64, date: Date, kind: CaseEventKind) {
    app.record_case_step(p, a, id, CaseStep { date, kind, note: String::new() })
        .await
        .unwrap_or_else(|e| panic!("step on {date}: {e}"));
}

db_test! {
    async fn a_case_answered_next_year_counts_as_carried_out_then_carried_in(db: Db) {
        let app = App::new(db, AppConfig::default());
        app.load_demo().await.unwrap();
        app.set_today(Some(date!(2026 - 03 - 02)));
        // An agency of its own, so the demo's cases (2026, other agencies) do not enter the counts.
        let agency = gongkai_app::AgencyForm {
            code: "yima-test".into(),
            name: "义马市测试局".into(),
            identifier: String::new(),
            kind: "department".into(),
            parent: "yima".into(),
            sort_order: 99,
        };
        let a = app.create_agency(Caller::System("cli"), &agency).await.unwrap();
        let admin = user(&app, "root", true).await;

        // A: 自然人, 当面 on Fri 2024-12-20, answered 予以公开 on 2025-01-10; a 行政复议 filed 2025-02-10 and
        // decided 结果纠正 on 2026-01-15, then answered again (not counted again).
        let person = form("natural_person", "李某", "id_card", "11010519491231002X");
        let case_a = app
            .register_application(&admin, &a, &person, Channel::InPerson, date!(2024 - 12 - 20), None)
            .await
            .unwrap()
            .id;
        let decided = |o: Outcome| CaseEventKind::Decided { outcome: o, reasons: "依法答复".into() };
        step(&app, &admin, &a, case_a, date!(2025 - 01 - 10), decided(Outcome::Disclosed)).await;
        step(&app, &admin, &a, case_a, date!(2025 - 01 - 10), CaseEventKind::ReplySent).await;
        let review = ReviewKind::AdministrativeReview;
        let filed = CaseEventKind::ReviewFiled { kind: review, body: "义马市人民政府".into() };
        step(&app, &admin, &a, case_a, date!(2025 - 02 - 10), filed).await;
        let corrected = CaseEventKind::ReviewDecided { kind: review, result: ReviewResult::Corrected };
        step(&app, &admin, &a, case_a, date!(2026 - 01 - 15), corrected).await;
        step(&app, &admin, &a, case_a, date!(2026 - 01 - 20), decided(Outcome::PartlyDisclosed)).await;

        // B: 商业企业, 当面 on 2024-03-04, withdrawn on 2024-03-05 → （六）3 其他.
        let firm = form("business", "某公司", "credit_code", "91350100M000100Y43");
        let case_b = app
            .register_application(&admin, &a, &firm, Channel::InPerson, date!(2024 - 03 - 04), None)
            .await
            .unwrap()
            .id;
        step(&app, &admin, &a, case_b, date!(2024 - 03 - 05), CaseEventKind::Withdrawn).await;

        let r24 = app.compute_report(&a, 2024).await.unwrap();
        let t = &r24.t3;
        // By hand: received A (自然人) and B (商业企业); B answered (withdrawn); A open at 31 Dec.
        assert_eq!(t.row(T3Row::New), &[Some(1), Some(1), Some(0), Some(0), Some(0), Some(0), Some(2)]);
        assert_eq!(t.get(T3Row::CarriedIn, C::Total), Some(0));
        assert_eq!(t.row(T3Row::OtherHandling), &[Some(0), Some(1), Some(0), Some(0), Some(0), Some(0), Some(1)]);
        assert_eq!(t.row(T3Row::Total), &[Some(0), Some(1), Some(0), Some(0), Some(0), Some(0), Some(1)]);
        assert_eq!(t.row(T3Row::CarriedOut), &[Some(1), Some(0), Some(0), Some(0), Some(0), Some(0), Some(1)]);
        assert_eq!(r24.t4.get(T4Group::Review, T4Column::Total), Some(0));

        let r25 = app.compute_report(&a, 2025).await.unwrap();
        let t = &r25.t3;
        assert_eq!(t.get(T3Row::New, C::Total), Some(0));
        assert_eq!(t.row(T3Row::CarriedIn), &[Some(1), Some(0), Some(0), Some(0), Some(0), Some(0), Some(1)]);
        assert_eq!(t.row(T3Row::Disclosed), &[Some(1), Some(0), Some(0), Some(0), Some(0), Some(0), Some(1)]);
        assert_eq!(t.get(T3Row::Total, C::Total), Some(1));
        assert_eq!(t.get(T3Row::CarriedOut, C::Total), Some(0));
        // 复议 filed in 2025, undecided at 31 Dec 2025.
        assert_eq!(r25.t4.cells[T4Group::Review.index()], [Some(0), Some(0), Some(0), Some(1), Some(1)]);

        // 2026: the correction shows in 四; the second answer is not counted in 三 again.
        let r26 = app.compute_report(&a, 2026).await.unwrap();
        assert_eq!(r26.t3.get(T3Row::CarriedIn, C::Total), Some(0));
        assert_eq!(r26.t3.get(T3Row::Total, C::Total), Some(0));
        assert_eq!(r26.t3.get(T3Row::PartlyDisclosed, C::Total), Some(0));
        assert_eq!(r26.t4.cells[T4Group::Review.index()], [Some(0), Some(1), Some(0), Some(0), Some(1)]);

        // The checker (R1–R5, R7, R8 and R6 against the year before) finds no error in any of these years.
        for year in 2024..=2026 {
            let (_, findings) = app.annual_report(&a, year).await.unwrap();
            assert!(findings.iter().all(|f| !f.is_error()), "{year}: {findings:?}");
        }
        // The default narrative quotes the tables.
        let one = r25.sections.one.unwrap();
        assert!(one.contains("新收政府信息公开申请0件，上年结转政府信息公开申请1件"), "{one}");
        assert!(one.contains("行政复议1件"), "{one}");
    }
}

db_test! {
    async fn a_narrative_number_typed_to_disagree_is_an_r7_finding_and_blocks_submission(db: Db) {
        let app = App::new(db, AppConfig::default());
        app.load_demo().await.unwrap();
        let a = app.agency_by_code("yima-office").await.unwrap();
        let (report, findings) = app.annual_report(&a, 2023).await.unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let editor = user_with(&app, "bianji", &a, Role::Editor).await;
        let view = app.report_view(&editor, &a, 2023).await.unwrap();
        let one = view.draft.one.unwrap();
        assert!(one.contains("收到并办理政府信息公开申请{收到申请}件"));
        // Typed by hand: 3 applications, where table 三 has 1.
        let edited = one.replace("{收到申请}", "3");
        let five = report.sections.five.clone().unwrap();
        let six = view.draft.six.unwrap();
        app.save_report_sections(&editor, &a, 2023, &edited, &five, &six).await.unwrap();
        let (_, findings) = app.annual_report(&a, 2023).await.unwrap();
        let r7: Vec<_> = findings.iter().filter(|f| f.rule == Rule::R7).collect();
        assert_eq!(r7.len(), 1, "{findings:?}");
        assert_eq!(r7[0].location, "t3/一/总计");
        assert_eq!(r7[0].quote.as_deref(), Some("收到并办理政府信息公开申请3件"));
        match app.submit_report(&editor, &a, 2023).await {
            Err(AppError::Invalid { message, .. }) => assert!(message.contains("不能报送"), "{message}"),
            other => panic!("submission should be refused, got {other:?}"),
        }
        // Typed to agree: no finding.
        app.save_report_sections(&editor, &a, 2023, &one.replace("{收到申请}", "1"), &five, &six).await.unwrap();
        assert!(app.annual_report(&a, 2023).await.unwrap().1.is_empty());
    }
}

db_test! {
    async fn submit_return_resubmit_approve_publish_with_roles_and_audit(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let editor = user_with(&app, "bianji", &office, Role::Editor).await;
        let admin = user_with(&app, "guanli", &office, Role::Admin).await;
        let own_supervisor = user_with(&app, "benji", &office, Role::Supervisor).await;
        let supervisor = user_with(&app, "zhuguan", &city, Role::Supervisor).await;

        // Only the agency's editors and administrators submit.
        assert!(matches!(app.submit_report(&supervisor, &office, 2023).await, Err(AppError::Forbidden)));
        app.submit_report(&editor, &office, 2023).await.unwrap();
        let refused = app.save_report_sections(&editor, &office, 2023, "一", "五", "六").await.unwrap_err();
        assert!(refused.to_string().contains("已报送主管部门"), "{refused}");

        // The 主管部门 is the parent: the office's own supervisor cannot decide; returning needs comments.
        assert!(matches!(app.review_report(&own_supervisor, &office, 2023, true, "").await, Err(AppError::Forbidden)));
        assert!(matches!(app.review_report(&editor, &office, 2023, true, "").await, Err(AppError::Forbidden)));
        let no_comment = app.review_report(&supervisor, &office, 2023, false, " ").await.unwrap_err();
        assert!(no_comment.to_string().contains("修改意见"));
        app.review_report(&supervisor, &office, 2023, false, "请补充平台建设情况").await.unwrap();
        let view = app.report_view(&editor, &office, 2023).await.unwrap();
        assert_eq!(view.record.as_ref().unwrap().comments, "请补充平台建设情况");
        assert!(view.can_edit);

        // Edited and submitted again, then approved.
        let d = view.draft.clone();
        let one = format!("{}\n（六）补充：平台运行平稳。", d.one.unwrap());
        app.save_report_sections(&editor, &office, 2023, &one, &d.five.unwrap(), &d.six.unwrap()).await.unwrap();
        app.submit_report(&admin, &office, 2023).await.unwrap();
        app.review_report(&supervisor, &office, 2023, true, "同意发布").await.unwrap();

        // Publishing is the agency administrator's.
        assert!(matches!(app.publish_report(&editor, &office, 2023).await, Err(AppError::Forbidden)));
        let entry_id = app.publish_report(&admin, &office, 2023).await.unwrap();
        let entry = catalog::by_id(&db, office.id, entry_id).await.unwrap().unwrap();
        assert_eq!(entry.status, gongkai_domain::catalog::EntryStatus::Published);
        assert_eq!(entry.fields.title, "义马市人民政府办公室2023年政府信息公开工作年度报告");
        assert!(entry.fields.body_html.contains("<article class=\"annual-report\">"));
        assert!(entry.fields.body_html.contains("（六）补充：平台运行平稳。"));
        assert!(!entry.fields.body_html.contains("<h1>"), "the portal page's heading is the entry title, shown once");
        let column = catalog::column_by_id(&db, office.id, entry.fields.column_id).await.unwrap().unwrap();
        assert_eq!(column.name, "公开年报");

        // Frozen: editing, figures and a second publication are refused with a reason.
        let refused = app.save_report_sections(&admin, &office, 2023, "一", "五", "六").await.unwrap_err();
        assert!(refused.to_string().contains("已发布，不能再修改"), "{refused}");
        let figures = [("licensing".to_owned(), "5".to_owned())];
        let refused = app.set_report_figures(&admin, &office, 2023, &figures).await.unwrap_err();
        assert!(refused.to_string().contains("已发布"), "{refused}");
        assert!(app.publish_report(&admin, &office, 2023).await.is_err());
        assert!(app.submit_report(&admin, &office, 2023).await.is_err());

        // Frozen in the catalog too: its entry cannot be unpublished, edited, given files or linked, so the portal
        // copy stays the approved report.
        assert_eq!(app.report_of_entry(&entry).await.unwrap(), Some(2023));
        let refused = app.unpublish_entry(&admin, &office, entry_id, "发现错误").await.unwrap_err();
        assert!(refused.to_string().contains("2023年政府信息公开工作年度报告，发布后即冻结"), "{refused}");
        let mut form = gongkai_app::catalog::EntryForm::from_entry(&entry, "gknb");
        form.title = "改过的标题".into();
        let refused = app.update_entry(&admin, &office, entry_id, &form).await.unwrap_err();
        assert!(refused.to_string().contains("发布后即冻结"), "{refused}");
        let refused = app.link_interpretation(&admin, &office, entry_id, "1").await.unwrap_err();
        assert!(refused.to_string().contains("发布后即冻结"), "{refused}");
        let after = catalog::by_id(&db, office.id, entry_id).await.unwrap().unwrap();
        assert_eq!(after.status, gongkai_domain::catalog::EntryStatus::Published);
        assert_eq!(after.fields.title, entry.fields.title);
        assert!(audit::by_action(&db, AuditAction::CatalogUnpublish).await.unwrap().is_empty());

        // Every step is audited, by whom.
        for (action, n) in [
            (AuditAction::ReportSubmit, 2),
            (AuditAction::ReportReturn, 1),
            (AuditAction::ReportApprove, 1),
            (AuditAction::ReportPublish, 1),
            (AuditAction::ReportEdit, 2),
        ] {
            let events = audit::by_action(&db, action).await.unwrap();
            let mine: Vec<_> = events.iter().filter(|e| e.object_id == "yima-office/2023").collect();
            // report.edit: the demo narrative (by "demo") and the editor's edit.
            assert_eq!(mine.len(), n, "{action}");
        }
        let approve = audit::by_action(&db, AuditAction::ReportApprove).await.unwrap();
        assert_eq!(approve[0].actor_label, "zhuguan");
        assert_eq!(approve[0].details.0["comments"], "同意发布");
    }
}

db_test! {
    async fn the_checker_passes_on_every_demo_agency_and_year(db: Db) {
        let app = App::new(db, AppConfig::default());
        app.load_demo().await.unwrap();
        app.load_demo_content().await.unwrap();
        let mut checked = 0;
        for (code, ..) in DEMO_AGENCIES {
            let a = app.agency_by_code(code).await.unwrap();
            for year in app.report_years(&a).await.unwrap() {
                let (_, findings) = app.annual_report(&a, year).await.unwrap();
                let errors: Vec<_> = findings.iter().filter(|f| f.is_error()).collect();
                assert!(errors.is_empty(), "{code} {year}: {errors:?}");
                checked += 1;
            }
        }
        assert!(checked >= 1, "the demo has at least the office's 2023 report");
    }
}

db_test! {
    async fn deadline_warnings_31_january_for_departments_31_march_for_a_government(db: Db) {
        let app = App::new(db, AppConfig::default());
        app.load_demo().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let office_editor = user_with(&app, "bianji", &office, Role::Editor).await;
        let city_admin = user_with(&app, "shizf", &city, Role::Admin).await;

        // 15 January 2024: the office's 2023 report is due 31 January (16 days left); the city's own on 31 March.
        app.set_today(Some(date!(2024 - 01 - 15)));
        assert_eq!(
            app.report_warnings(&office_editor).await.unwrap(),
            vec!["义马市人民政府办公室2023年政府信息公开工作年度报告应于2024年1月31日前发布，还有16天（当前：草稿）。"]
        );
        assert!(app.report_warnings(&city_admin).await.unwrap().is_empty());
        // 10 March: the city's report has 21 days left; the office's is overdue.
        app.set_today(Some(date!(2024 - 03 - 10)));
        assert_eq!(
            app.report_warnings(&city_admin).await.unwrap(),
            vec!["义马市人民政府2023年政府信息公开工作年度报告应于2024年3月31日前发布，还有21天（当前：草稿）。"]
        );
        let overdue = app.report_warnings(&office_editor).await.unwrap();
        assert!(overdue[0].contains("已超过发布期限（2024年1月31日）"), "{overdue:?}");
        // December: nothing is due yet.
        app.set_today(Some(date!(2023 - 12 - 20)));
        assert!(app.report_warnings(&office_editor).await.unwrap().is_empty());
    }
}

/// Publishes a 规章 or 规范性文件 straight into the library (the editorial workflow is tested elsewhere).
async fn library_doc(
    app: &App,
    db: &Db,
    a: &Agency,
    class: gongkai_domain::catalog::DocClass,
    title: &str,
    (written, effective, expires): (Date, Date, Option<Date>),
) -> i64 {
    use gongkai_domain::catalog::{EntryStatus, Validity};
    app.ensure_columns(a).await.unwrap();
    let column = app.columns(a).await.unwrap()[0].id;
    let fields = catalog::EntryFields {
        column_id: column,
        title: title.into(),
        doc_no: format!("义自然资规〔{}〕1号", written.year()),
        publisher: a.name.clone(),
        joint_publishers: String::new(),
        doc_class: class,
        validity: Some(Validity::InForce),
        written_on: Some(written),
        effective_on: Some(effective),
        expires_on: expires,
        formed_on: Some(written),
        topic: String::new(),
        genre: "办法".into(),
        keywords: String::new(),
        summary: String::new(),
        disclosure: "主动公开".into(),
        body_html: "<p>正文</p>".into(),
    };
    let mut tx = db.begin().await.unwrap();
    let e = catalog::create(&mut tx, a.id, &fields, None).await.unwrap();
    catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.unwrap();
    catalog::mark_published(&mut tx, e.id, None, gongkai_store::now()).await.unwrap();
    tx.commit().await.unwrap();
    e.id
}

db_test! {
    async fn table_two_one_follows_the_library_validity_lifecycle(db: Db) {
        use gongkai_domain::catalog::{DocClass, Validity};
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let a = app.agency_by_code("yima-nr").await.unwrap();
        let n = DocClass::Normative;
        // N1: in force since 2022. N2: 2023, lapses after its 失效日期 31 Dec 2023. N3: from 2021, repealed by R
        // (effective 1 July 2023). G1: a 规章 written in 2023, effective 1 January 2024.
        library_doc(&app, &db, &a, n, "N1", (date!(2022 - 05 - 01), date!(2022 - 06 - 01), None)).await;
        library_doc(&app, &db, &a, n, "N2", (date!(2023 - 03 - 01), date!(2023 - 04 - 01), Some(date!(2023 - 12 - 31)))).await;
        let n3 = library_doc(&app, &db, &a, n, "N3", (date!(2021 - 01 - 10), date!(2021 - 02 - 01), None)).await;
        let r = library_doc(&app, &db, &a, n, "R", (date!(2023 - 06 - 01), date!(2023 - 07 - 01), None)).await;
        library_doc(&app, &db, &a, DocClass::Rule, "G1", (date!(2023 - 08 - 01), date!(2024 - 01 - 01), None)).await;
        let mut tx = db.begin().await.unwrap();
        catalog::set_validity(&mut tx, n3, Validity::Repealed, Some(r)).await.unwrap();
        tx.commit().await.unwrap();

        let row = |d: gongkai_domain::annual_report::T2Doc| (d.issued, d.repealed, d.in_force);
        // Worked out by hand: (本年制发, 本年废止, 现行有效 on 31 December).
        let r22 = app.compute_report(&a, 2022).await.unwrap();
        assert_eq!(row(r22.t2.normative), (Some(1), Some(0), Some(2)), "2022: N1 issued; N1, N3 in force");
        let r23 = app.compute_report(&a, 2023).await.unwrap();
        assert_eq!(row(r23.t2.normative), (Some(2), Some(1), Some(3)), "2023: N2, R issued; N3 repealed");
        assert_eq!(row(r23.t2.rules), (Some(1), Some(0), Some(0)), "2023: G1 issued, not yet in force");
        let r24 = app.compute_report(&a, 2024).await.unwrap();
        assert_eq!(row(r24.t2.normative), (Some(0), Some(1), Some(2)), "2024: N2 lapsed; N1, R in force");
        assert_eq!(row(r24.t2.rules), (Some(0), Some(0), Some(1)));
        // R6 across years: the 规范性文件 add up; the 规章 issued in 2023 but effective in 2024 is a warning only.
        let (_, f24) = app.annual_report(&a, 2024).await.unwrap();
        let r6: Vec<_> = f24.iter().filter(|f| f.rule == Rule::R6).collect();
        assert_eq!(r6.len(), 1, "{r6:?}");
        assert_eq!(r6[0].location, "t2/规章/现行有效件数");
        assert!(!r6[0].is_error());
    }
}

#[tokio::test]
async fn local_rules_may_bring_the_deadlines_forward_but_not_back() {
    use gongkai_app::reports::ReportDeadlines;
    assert!(ReportDeadlines::parse("02-01", "03-31").is_err(), "later than the law");
    assert!(ReportDeadlines::parse("01-31", "04-01").is_err(), "later than the law");
    assert!(ReportDeadlines::parse("13-01", "03-31").is_err());
    assert!(ReportDeadlines::parse("01-32", "03-31").is_err());
    assert!(ReportDeadlines::parse("0131", "03-31").is_err());
}

db_test! {
    async fn local_deadlines_count_on_each_backend(db: Db) {
        let earlier = gongkai_app::reports::ReportDeadlines::parse("01-15", " 03-20 ").unwrap();
        let app = App::new(db, AppConfig { report_deadlines: earlier, ..Default::default() });
        app.load_demo().await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let editor = user_with(&app, "bianji", &office, Role::Editor).await;
        app.set_today(Some(date!(2024 - 01 - 10)));
        assert_eq!(
            app.report_warnings(&editor).await.unwrap(),
            vec!["义马市人民政府办公室2023年政府信息公开工作年度报告应于2024年1月15日前发布，还有5天（当前：草稿）。"]
        );
        assert_eq!(app.report_view(&editor, &office, 2023).await.unwrap().deadline, date!(2024 - 01 - 15));
    }
}
