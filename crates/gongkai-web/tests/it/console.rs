use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::audit;
use gongkai_web::WebConfig;

#[tokio::test]
async fn login_success_and_failure() {
    TestApp::each(async |t| {
        let user = t.staff("zhangsan", "yima-edu", Role::Editor).await;
        // Wrong password: 401, a Chinese message, the username kept, no session user.
        let r = t.login_as(&user, "wrong-password").await;
        assert_eq!(r.status(), 401);
        let html = r.text().await.unwrap();
        assert!(html.contains("用户名或密码不正确"));
        assert!(html.contains(r#"value="zhangsan""#));
        assert_eq!(t.get("/console/").await.status(), 303);
        // Unknown user: the same answer.
        let r = t.login_as("nobody", PASSWORD).await;
        assert_eq!(r.status(), 401);
        // Right password: to the dashboard, which lists the user's agency and role.
        let r = t.login_as(&user, PASSWORD).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/console/");
        let (status, html) = t.get_text("/console/").await;
        assert_eq!(status, 200);
        assert!(html.contains("zhangsan同志"));
        assert!(html.contains(r#"<a href="/console/yima-edu/">义马市教育局</a>"#));
        assert!(html.contains("编辑"));
        assert!(!html.contains("/console/yima-nr/"), "only the user's own agencies are listed");
        // Both attempts are in the audit trail.
        assert_eq!(audit::by_action(&t.db, AuditAction::UserLogin).await.unwrap().len(), 1);
        assert_eq!(audit::by_action(&t.db, AuditAction::UserLoginFailed).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn console_pages_need_a_signed_in_user() {
    TestApp::each(async |t| {
        let r = t.get("/console/yima-edu/audit").await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/console/login?next=%2Fconsole%2Fyima-edu%2Faudit");
        // After signing in from there, the user is taken back (local console paths only).
        let user = t.staff("lisi", "yima-edu", Role::Admin).await;
        let r = t
            .post_form(
                "/console/login?next=/console/yima-edu/audit",
                "/console/login",
                &[("username", &user), ("password", PASSWORD), ("next", "/console/yima-edu/audit")],
            )
            .await;
        assert_eq!(location(&r), "/console/yima-edu/audit");
        let (status, html) = t.get_text("/console/yima-edu/audit").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("操作记录"));
    })
    .await;
}

#[tokio::test]
async fn no_open_redirect_after_login() {
    TestApp::each(async |t| {
        let user = t.staff("wangwu", "yima-edu", Role::Editor).await;
        let r = t
            .post_form(
                "/console/login",
                "/console/login",
                &[("username", &user), ("password", PASSWORD), ("next", "//evil.example/x")],
            )
            .await;
        assert_eq!(location(&r), "/console/");
    })
    .await;
}

#[tokio::test]
async fn staff_of_one_agency_cannot_reach_another() {
    TestApp::each(async |t| {
        let user = t.staff("edu-admin", "yima-edu", Role::Admin).await;
        assert_eq!(t.login_as(&user, PASSWORD).await.status(), 303);
        assert_eq!(t.get("/console/yima-edu/").await.status(), 200);
        assert_eq!(t.get("/console/yima-edu/audit").await.status(), 200);
        // Another agency (a sibling, and the parent): refused, and not even confirmed to exist.
        for other in ["yima-nr", "yima"] {
            for page in [format!("/console/{other}/"), format!("/console/{other}/audit")] {
                let status = t.get(&page).await.status().as_u16();
                assert!(status == 404 || status == 403, "{page}: {status}");
            }
            let r = t
                .post_form(
                    "/console/yima-edu/",
                    &format!("/console/{other}/grants"),
                    &[("username", "edu-admin"), ("role", "admin")],
                )
                .await;
            assert!(matches!(r.status().as_u16(), 403 | 404), "grant in {other}: {}", r.status());
            let r = t
                .post_form(
                    "/console/yima-edu/",
                    &format!("/console/{other}/grants/revoke"),
                    &[("user_id", "1"), ("role", "supervisor")],
                )
                .await;
            assert!(matches!(r.status().as_u16(), 403 | 404), "revoke in {other}: {}", r.status());
        }
        let nr = t.app.agency_by_code("yima-nr").await.unwrap();
        assert!(gongkai_store::grants::members(&t.db, nr.id).await.unwrap().is_empty(), "nothing was granted");
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_sees_the_agencies_beneath() {
    TestApp::each(async |t| {
        let user = t.staff("city-supervisor", "yima", Role::Supervisor).await;
        assert_eq!(t.login_as(&user, PASSWORD).await.status(), 303);
        for code in ["yima", "yima-nr", "yima-xinqu"] {
            assert_eq!(t.get(&format!("/console/{code}/")).await.status(), 200, "{code}");
        }
        // Seeing is not administering: granting roles needs the admin role.
        let r = t
            .post_form(
                "/console/yima-nr/",
                "/console/yima-nr/grants",
                &[("username", "city-supervisor"), ("role", "admin")],
            )
            .await;
        assert_eq!(r.status(), 403);
        // A supervisor of a department sees that department only, not its parent or siblings.
        assert_eq!(t.post_form("/console/", "/console/logout", &[]).await.status(), 303);
        let dept = t.staff("edu-supervisor", "yima-edu", Role::Supervisor).await;
        assert_eq!(t.login_as(&dept, PASSWORD).await.status(), 303);
        assert_eq!(t.get("/console/yima-edu/").await.status(), 200);
        assert_eq!(t.get("/console/yima/").await.status(), 404);
        assert_eq!(t.get("/console/yima-nr/").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn an_editor_cannot_grant_roles_but_an_admin_can_with_an_audit_event() {
    TestApp::each(async |t| {
        t.staff("chenliu", "yima-health", Role::Editor).await;
        let editor = t.staff("editor1", "yima-health", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let r = t
            .post_form(
                "/console/yima-health/",
                "/console/yima-health/grants",
                &[("username", "chenliu"), ("role", "reviewer")],
            )
            .await;
        assert_eq!(r.status(), 403);

        let admin = t.staff("health-admin", "yima-health", Role::Admin).await;
        assert_eq!(t.post_form("/console/", "/console/logout", &[]).await.status(), 303);
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let r = t
            .post_form(
                "/console/yima-health/",
                "/console/yima-health/grants",
                &[("username", "chenliu"), ("role", "reviewer")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/console/yima-health/?notice=granted");
        let (_, html) = t.get_text("/console/yima-health/?notice=granted").await;
        assert!(html.contains("已授予角色"));
        assert!(html.contains("chenliu同志"));
        let events = audit::by_action(&t.db, AuditAction::RoleGrant).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.actor_label, "health-admin");
        assert_eq!(last.details.0["role"], "reviewer");

        // A bad username: the page again, with the message and what was typed.
        let r = t
            .post_form(
                "/console/yima-health/",
                "/console/yima-health/grants",
                &[("username", "no-such-user"), ("role", "editor")],
            )
            .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("用户“no-such-user”不存在"));
        assert!(html.contains(r#"value="no-such-user""#));
        assert!(html.contains(r#"<option value="editor" selected>"#));
    })
    .await;
}

#[tokio::test]
async fn login_attempts_are_throttled() {
    let db = gongkai_store::testing::TestDb::sqlite().await;
    let cfg = WebConfig { login_burst: 3, login_replenish_secs: 60, ..WebConfig::default() };
    let t = TestApp::spawn_with(db, cfg).await;
    for _ in 0..3 {
        assert_eq!(t.login_as("admin", "wrong-password").await.status(), 401);
    }
    let r = t.login_as("admin", "wrong-password").await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("登录尝试次数过多"));
    // Reading the form is not throttled.
    assert_eq!(t.get("/console/login").await.status(), 200);
}

#[tokio::test]
async fn a_password_reset_ends_the_users_sessions() {
    TestApp::each(async |t| {
        let who = t.staff("reset-me", "yima-office", Role::Editor).await;
        assert_eq!(t.login_as(&who, PASSWORD).await.status(), 303);
        assert_eq!(t.get("/console/").await.status(), 200, "signed in");
        // Another browser of someone else stays signed in.
        let other = t.staff("stays", "yima-office", Role::Editor).await;
        let second = t.other_browser();
        let html = second.get(t.url("/console/login")).send().await.unwrap().text().await.unwrap();
        let token = crate::support::csrf_in(&html).unwrap();
        let r = second
            .post(t.url("/console/login"))
            .form(&[("username", other.as_str()), ("password", PASSWORD), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);

        t.app.reset_password(&who, "a-new-long-password-2026").await.unwrap();
        let r = t.get("/console/").await;
        assert_eq!(r.status(), 303, "the old session is gone");
        assert!(location(&r).starts_with("/console/login"));
        assert_eq!(second.get(t.url("/console/")).send().await.unwrap().status(), 200, "others stay signed in");
    })
    .await;
}
