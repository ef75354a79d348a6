//! Evaluation (考核) on the demo agencies and cases: the auto indicators' facts counted by hand from
//! `demo_cases.rs` and seeded catalog items, totals and ranks on the board, manual scores with evidence by a
//! supervisor and a third-party evaluator (who sees nothing else), the scheme locked once scoring starts, audit
//! events, and the XLSX read back. Both backends.

use gongkai_app::{App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::{DocClass, EntryStatus as S};
use gongkai_store::agencies::Agency;
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::{Db, audit, db_test};
use time::OffsetDateTime;
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

/// Publishes an item of `agency` at `at`; `summary` empty makes its metadata incomplete.
async fn publish(
    db: &Db,
    agency: &Agency,
    index_no: Option<&str>,
    doc_no: &str,
    class: DocClass,
    summary: &str,
    at: OffsetDateTime,
) {
    let column = catalog::columns(db, agency.id).await.unwrap()[0].id;
    let fields = EntryFields {
        column_id: column,
        title: "测试信息".into(),
        doc_no: doc_no.into(),
        publisher: agency.name.clone(),
        joint_publishers: String::new(),
        doc_class: class,
        validity: None,
        written_on: Some(date!(2026 - 03 - 01)),
        effective_on: None,
        expires_on: None,
        formed_on: None,
        topic: String::new(),
        genre: String::new(),
        keywords: String::new(),
        summary: summary.into(),
        disclosure: "主动公开".into(),
        body_html: "<p>正文</p>".into(),
    };
    let mut tx = db.begin().await.unwrap();
    let e = catalog::create(&mut tx, agency.id, &fields, None).await.unwrap();
    catalog::set_status(&mut tx, e.id, S::Draft, S::Reviewed).await.unwrap();
    catalog::mark_published(&mut tx, e.id, index_no, at).await.unwrap();
    tx.commit().await.unwrap();
}

db_test! {
    async fn auto_indicators_count_the_platform_s_data(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.set_today(Some(date!(2026 - 11 - 26)));
        let city = app.agency_by_code("yima").await.unwrap();
        let edu = app.agency_by_code("yima-edu").await.unwrap();
        let xinqu = app.agency_by_code("yima-xinqu").await.unwrap();
        // 2026: one complete, one without 内容概述, a 规范性文件 without 文号; 2025: not counted.
        publish(&db, &edu, Some("E/2026-00001"), "", DocClass::Ordinary, "概述", datetime!(2026 - 03 - 02 02:00 UTC)).await;
        publish(&db, &edu, Some("E/2026-00002"), "", DocClass::Ordinary, "", datetime!(2026 - 04 - 02 02:00 UTC)).await;
        publish(&db, &edu, Some("E/2026-00003"), "", DocClass::Normative, "概述", datetime!(2026 - 05 - 02 02:00 UTC)).await;
        publish(&db, &edu, Some("E/2025-00009"), "", DocClass::Ordinary, "概述", datetime!(2025 - 05 - 02 02:00 UTC)).await;

        let on = app.evaluation_day(2026);
        assert_eq!(on, date!(2026 - 11 - 26), "the year runs: as of today");
        let f = app.evaluation_facts(&edu, 2026, on).await.unwrap();
        assert_eq!((f.published, f.complete), (3, 1));
        // The education bureau's site has blank columns (its other columns never had an item): a veto.
        assert!(f.site_veto);
        // demo_cases.rs: E001 (2-04, due 2-10), E002 (3-23) and E003 (6-08) answered on time; E005 received 10-19,
        // due 11-16, open; E004 due 12-01 is not late yet; E002's 复议 upheld.
        assert_eq!((f.answered_on_time, f.answered_late, f.open_overdue, f.corrected), (3, 0, 1, 0));
        assert_eq!((f.report_year, f.report_due, f.report_published), (2025, Some(date!(2026 - 01 - 31)), None));
        // X001 withdrawn (no answer), X002 answered 9-11 on time and corrected on review 11-02.
        let g = app.evaluation_facts(&xinqu, 2026, on).await.unwrap();
        assert_eq!((g.answered_on_time, g.answered_late, g.open_overdue, g.corrected), (1, 0, 0, 1));

        let sup = user_with(&app, "city-supervisor", &city, Role::Supervisor).await;
        app.create_evaluation_scheme(Caller::Staff(&sup), &city, 2026, "third_party").await.unwrap();
        let board = app.evaluation_board(Caller::Staff(&sup), &city, 2026).await.unwrap().unwrap();
        assert_eq!(board.units.len(), 7, "every agency beneath the city");
        let row = |code: &str| board.units.iter().find(|u| u.agency.code.as_str() == code).unwrap().clone();
        let e = row("yima-edu");
        let cell = |u: &gongkai_app::evaluation::UnitResult, c: &str| u.cells.iter().find(|x| x.code == c).unwrap().clone();
        assert_eq!(cell(&e, "A01").points, 0);
        assert!(cell(&e, "A01").explanation.contains("单项否决"));
        assert_eq!(cell(&e, "A03").points, 0, "the 2025 report is not published and its deadline passed");
        assert_eq!(cell(&e, "A07").points, 140, "20 − 6 for the overdue case");
        assert_eq!((e.total, e.grade, e.pending), (140, "不合格", 8));
        let x = row("yima-xinqu");
        assert_eq!(cell(&x, "A07").points, 170, "20 − 3 for the correction");
        assert_eq!(x.total, 170);
        // The office has no 2026 case: A07 keeps its 20.
        let o = row("yima-office");
        assert_eq!(o.total, 200);
        assert!(o.rank < x.rank && x.rank < e.rank, "{} {} {}", o.rank, x.rank, e.rank);
    }
}

db_test! {
    async fn supervisors_and_third_party_evaluators_score_with_evidence(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.set_today(Some(date!(2026 - 11 - 26)));
        let city = app.agency_by_code("yima").await.unwrap();
        let edu = app.agency_by_code("yima-edu").await.unwrap();
        let sup = user_with(&app, "city-supervisor", &city, Role::Supervisor).await;
        let eval = user_with(&app, "evaluator", &city, Role::Evaluator).await;
        let editor = user_with(&app, "edu-editor", &edu, Role::Editor).await;

        // The evaluator sees the evaluation of the city and beneath, but no other page.
        assert!(eval.evaluates(city.id) && eval.evaluates(edu.id));
        assert!(!eval.can_view(city.id) && !eval.can_view(edu.id));
        assert!(matches!(app.console_agency(&eval, "yima-edu").await, Err(AppError::NotFound(_))));
        assert!(app.evaluation_agency(&eval, "yima").await.is_ok());
        assert!(matches!(app.evaluation_agency(&editor, "yima").await, Err(AppError::NotFound(_))));
        assert!(matches!(app.evaluation_agency(&editor, "yima-edu").await, Err(AppError::Forbidden)));

        // Only the supervisor creates the scheme.
        let err = app.create_evaluation_scheme(Caller::Staff(&eval), &city, 2026, "third_party").await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden));
        app.create_evaluation_scheme(Caller::Staff(&sup), &city, 2026, "third_party").await.unwrap();
        let again = app.create_evaluation_scheme(Caller::Staff(&sup), &city, 2026, "internal").await.unwrap_err();
        assert!(matches!(again, AppError::Conflict(_)));

        // Editable before scoring: a bonus indicator, and a change of a weight.
        let bonus = gongkai_app::evaluation::IndicatorForm {
            code: "B01".into(), name: "创新做法".into(), method: "bonus".into(), weight: String::new(), cap: "3".into(),
            auto: String::new(),
        };
        app.save_evaluation_indicator(Caller::Staff(&sup), &city, 2026, &bonus).await.unwrap();
        let mut a11 = gongkai_app::evaluation::IndicatorForm {
            code: "A11".into(), name: "工作要点".into(), method: "weight".into(), weight: "5".into(), cap: String::new(),
            auto: String::new(),
        };
        app.save_evaluation_indicator(Caller::Staff(&sup), &city, 2026, &a11).await.unwrap();
        let v = app.evaluation_scheme(Caller::Staff(&sup), &city, 2026).await.unwrap().unwrap();
        assert_eq!(v.indicators.len(), 12);
        assert_eq!(v.warnings, vec!["各指标分值合计为101分，应为100分（加分项不计入）。".to_owned()]);
        a11.weight = "4".into();
        app.save_evaluation_indicator(Caller::Staff(&sup), &city, 2026, &a11).await.unwrap();
        let err = app.save_evaluation_indicator(Caller::Staff(&eval), &city, 2026, &a11).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden), "the evaluator does not edit the scheme");

        // Bad input is refused in Chinese; nothing is stored.
        let by = Caller::Staff(&eval);
        let e = app.score_evaluation(by, &city, 2026, "yima-edu", "A02", "11", "材料").await.unwrap_err();
        assert!(e.to_string().contains("0至10分"), "{e}");
        let e = app.score_evaluation(by, &city, 2026, "yima-edu", "A02", "8", "  ").await.unwrap_err();
        assert!(e.to_string().contains("评分依据"), "{e}");
        let e = app.score_evaluation(by, &city, 2026, "yima-edu", "B01", "3.5", "材料").await.unwrap_err();
        assert!(e.to_string().contains("加分应在0至3分"), "{e}");
        let e = app.score_evaluation(by, &city, 2026, "yima-edu", "A07", "8", "材料").await.unwrap_err();
        assert!(e.to_string().contains("平台根据数据计分"), "{e}");
        let e = app.score_evaluation(by, &city, 2026, "yima", "A02", "8", "材料").await.unwrap_err();
        assert!(e.to_string().contains("被考核单位"), "{e}");

        app.score_evaluation(by, &city, 2026, "yima-edu", "A02", "8.5", "抽查5件，1件未标注有效性").await.unwrap();
        app.score_evaluation(Caller::Staff(&sup), &city, 2026, "yima-edu", "B01", "2.5", "获评省级典型案例").await.unwrap();
        app.score_evaluation(by, &city, 2026, "yima-edu", "A02", "9", "复核后改为9分").await.unwrap();
        let board = app.evaluation_board(by, &city, 2026).await.unwrap().unwrap();
        let u = board.units.iter().find(|u| u.agency.code.as_str() == "yima-edu").unwrap();
        let a02 = u.cells.iter().find(|c| c.code == "A02").unwrap();
        assert_eq!((a02.points, a02.explanation.as_str(), a02.scored_by.as_str()), (90, "复核后改为9分", "evaluator"));
        // 9 + bonus 2.5 + A07 14 (see the other test).
        assert_eq!(u.total, 90 + 25 + 140);

        // Scoring started: the scheme is locked.
        let e = app.save_evaluation_indicator(Caller::Staff(&sup), &city, 2026, &a11).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));
        let e = app.remove_evaluation_indicator(Caller::Staff(&sup), &city, 2026, "A11").await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));

        let scores = audit::by_action(&db, AuditAction::EvaluationScore).await.unwrap();
        assert_eq!(scores.len(), 3);
        assert_eq!(scores.iter().filter(|e| e.details.0["before"] == "8.5").count(), 1);
        assert_eq!(audit::by_action(&db, AuditAction::EvaluationSchemeCreate).await.unwrap().len(), 1);
        assert_eq!(audit::by_action(&db, AuditAction::EvaluationIndicatorSave).await.unwrap().len(), 3);

        // The XLSX opens and holds the board, ranked.
        let (name, bytes) = app.evaluation_xlsx(by, &city, 2026).await.unwrap();
        assert_eq!(name, "yima-2026-evaluation.xlsx");
        let rows = gongkai_report::sheet::read_xlsx(&bytes).unwrap();
        assert_eq!(rows[0][0], "名次");
        assert!(rows[0].iter().any(|h| h == "A02 规范性文件（权重赋分，10分）"), "{:?}", rows[0]);
        let edu_row = rows.iter().find(|r| r.get(1).map(String::as_str) == Some("义马市教育局")).unwrap();
        let total_col = rows[0].iter().position(|h| h == "总分").unwrap();
        assert_eq!(edu_row[total_col], "25.5");
        assert_eq!(edu_row[total_col + 1], "不合格");
    }
}
