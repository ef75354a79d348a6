//! The console's 考核评估 page: a supervisor creates the year's scheme and scores; a third-party evaluator opens the
//! page of its granted agency, scores with evidence (the form keeps what was typed on error) and can open nothing
//! else (no case, no agency console); the XLSX export; 403/404 and the login redirect.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::applications::{self as cases, ListFilter};
use gongkai_store::audit;

#[tokio::test]
async fn supervisors_and_third_party_evaluators_use_the_evaluation_page() {
    TestApp::each(async |t| {
        t.app.set_today(Some(time::macros::date!(2026 - 11 - 26)));
        let page = "/console/yima/evaluation?year=2026";
        assert_eq!(t.get(page).await.status(), 303, "signed out: to the login");

        let sup = t.staff("city-supervisor", "yima", Role::Supervisor).await;
        assert_eq!(t.login_as(&sup, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text("/console/yima/").await;
        assert!(status == 200 && html.contains("/console/yima/evaluation"), "linked for supervisors");
        let (status, html) = t.get_text(page).await;
        assert_eq!(status, 200);
        assert!(html.contains("本年度尚无考核方案") && html.contains("按默认指标体系创建"), "{html}");
        let r = t
            .post_form(page, "/console/yima/evaluation/scheme", &[("year", "2026"), ("evaluator", "third_party")])
            .await;
        assert_eq!(
            (r.status().as_u16(), location(&r)),
            (303, "/console/yima/evaluation?year=2026&notice=created#scheme".into())
        );
        let (_, html) = t.get_text(page).await;
        assert!(html.contains("第三方评估") && html.contains("依申请公开及争议处理") && html.contains("义马市教育局"));
        assert!(html.contains("保存指标"), "editable before scoring");
        // The education bureau: 20 − 6 on A07 for its overdue case (see the app test), the rest 0 or unscored.
        assert!(html.contains("超期未答复1件"), "{html}");
        t.logout().await;

        // The third-party evaluator: the evaluation page of the city only.
        let ev = t.staff("evaluator", "yima", Role::Evaluator).await;
        assert_eq!(t.login_as(&ev, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text("/console/").await;
        assert!(status == 200 && html.contains("/console/yima/evaluation"), "the dashboard links it");
        let (status, html) = t.get_text(page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("保存指标") && html.contains("保存评分"), "scores, does not edit the scheme");
        let edu = t.app.agency_by_code("yima-edu").await.unwrap();
        let case = cases::list(&t.db, edu.id, &ListFilter::default()).await.unwrap()[0].id;
        assert_eq!(t.get(&format!("/console/yima-edu/applications/{case}")).await.status(), 404, "no case");
        assert_eq!(t.get("/console/yima-edu/applications/").await.status(), 404);
        assert_eq!(t.get("/console/yima/").await.status(), 404, "no agency console");
        assert_eq!(t.get("/console/yima/monitor").await.status(), 404);

        // An error keeps the input; a good score is saved and audited.
        let r = t
            .post_form(
                page,
                "/console/yima/evaluation/scores",
                &[
                    ("year", "2026"),
                    ("unit", "yima-edu"),
                    ("indicator", "A02"),
                    ("points", "12"),
                    ("evidence", "抽查记录第3页"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("0至10分") && html.contains("抽查记录第3页") && html.contains("value=\"12\""), "{html}");
        let r = t
            .post_form(
                page,
                "/console/yima/evaluation/scores",
                &[
                    ("year", "2026"),
                    ("unit", "yima-edu"),
                    ("indicator", "A02"),
                    ("points", "8.5"),
                    ("evidence", "抽查记录第3页"),
                ],
            )
            .await;
        assert_eq!(
            (r.status().as_u16(), location(&r)),
            (303, "/console/yima/evaluation?year=2026&notice=scored#grid".into())
        );
        let (_, html) = t.get_text(&location(&r)).await;
        assert!(html.contains("抽查记录第3页") && html.contains("评分已保存"), "{html}");
        let events = audit::by_action(&t.db, AuditAction::EvaluationScore).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].details.0["points"], "8.5");

        let r = t.get("/console/yima/evaluation/export.xlsx?year=2026").await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let rows = gongkai_report::sheet::read_xlsx(&bytes).unwrap();
        let edu_row = rows.iter().find(|r| r.get(1).map(String::as_str) == Some("义马市教育局")).unwrap();
        let a02 = rows[0].iter().position(|h| h.starts_with("A02")).unwrap();
        assert_eq!(edu_row[a02], "8.5");
        t.logout().await;

        // An editor of the bureau: the city is not theirs (404); their own agency has no evaluation role (403).
        let editor = t.staff("edu-editor", "yima-edu", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        assert_eq!(t.get(page).await.status(), 404);
        assert_eq!(t.get("/console/yima-edu/evaluation").await.status(), 403);
    })
    .await;
}
