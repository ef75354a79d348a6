//! Issue 15: staff administration in the console, sessions of anonymous visitors, the query-password lockout.

use crate::support::{PASSWORD, TestApp, csrf_in, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::audit;
use gongkai_web::WebConfig;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

/// A second browser (own cookies), optionally connecting from another loopback address.
fn browser(from: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder().cookie_store(true).redirect(Policy::none());
    if let Some(ip) = from {
        b = b.local_address(ip.parse::<std::net::IpAddr>().unwrap());
    }
    b.build().unwrap()
}

async fn sign_in(t: &TestApp, c: &reqwest::Client, username: &str, password: &str) -> reqwest::Response {
    let html = c.get(t.url("/console/login")).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&html).expect("login form token");
    c.post(t.url("/console/login"))
        .form(&[("username", username), ("password", password), ("csrf", &token)])
        .send()
        .await
        .unwrap()
}

async fn post(
    t: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = c.get(t.url(page)).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&html).unwrap_or_else(|| panic!("no form token on {page}: {html}"));
    let mut body = fields.to_vec();
    body.push(("csrf", &token));
    c.post(t.url(action)).form(&body).send().await.unwrap()
}

fn shown_password(html: &str) -> String {
    let i = html.find("<code>").expect("the password is shown") + "<code>".len();
    let j = html[i..].find("</code>").unwrap() + i;
    html[i..j].to_owned()
}

async fn user_id(t: &TestApp, username: &str) -> i64 {
    gongkai_store::users::by_username(&t.db, username).await.unwrap().unwrap().id
}

async fn session_count(t: &TestApp) -> i64 {
    gongkai_store::sessions::count(&t.db).await.unwrap()
}

/// Must show (a): a user created in the console signs in, must first change the password, then sees only its
/// agency.
#[tokio::test]
async fn a_user_created_in_the_console_changes_the_password_first_and_sees_only_its_agency() {
    TestApp::each(async |t| {
        let edu_admin = t.staff("edu-chief", "yima-edu", Role::Admin).await;
        let chief = browser(None);
        assert_eq!(sign_in(&t, &chief, &edu_admin, PASSWORD).await.status(), 303);
        // The agency page links the staff page.
        let html = chief.get(t.url("/console/yima-edu/")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(r#"href="/console/yima-edu/staff""#));

        let fields = [("username", "edu-new"), ("display_name", "李新"), ("agency", "yima-edu"), ("role", "editor")];
        let r = post(&t, &chief, "/console/yima-edu/staff", "/console/yima-edu/staff", &fields).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("已为 李新 创建账号 edu-new"), "{html}");
        let initial = shown_password(&html);
        assert_eq!(initial.len(), 16);
        // Not for another tenant's agency, and the list shows the new user.
        let other = [("username", "x-office"), ("display_name", "王五"), ("agency", "yima-office"), ("role", "editor")];
        let r = post(&t, &chief, "/console/yima-edu/staff", "/console/yima-edu/staff", &other).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("请选择本机构或下级机构"));
        assert!(gongkai_store::users::by_username(&t.db, "x-office").await.unwrap().is_none());
        let list = chief.get(t.url("/console/yima-edu/staff?q=李")).send().await.unwrap().text().await.unwrap();
        assert!(
            list.contains(">edu-new</a>") && list.contains("待修改密码") && !list.contains(">edu-chief</a>"),
            "{list}"
        );
        let created = audit::by_action(&t.db, AuditAction::UserCreate).await.unwrap();
        assert!(created.iter().any(|e| e.actor_label == "edu-chief" && e.details.0["username"] == "edu-new"));

        // The new user signs in and can reach only the password page.
        let new = browser(None);
        assert_eq!(sign_in(&t, &new, "edu-new", &initial).await.status(), 303);
        for path in ["/console/", "/console/yima-edu/", "/console/yima-edu/catalog"] {
            let r = new.get(t.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 303, "{path}");
            assert_eq!(location(&r), "/console/account/password", "{path}");
        }
        let page = new.get(t.url("/console/account/password")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("请先设置您自己的新密码"));
        let weak = [("current", initial.as_str()), ("password", "short"), ("confirm", "short")];
        let r = post(&t, &new, "/console/account/password", "/console/account/password", &weak).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("密码至少10位"));
        let good = [("current", initial.as_str()), ("password", "li-xin-own-2026"), ("confirm", "li-xin-own-2026")];
        let r = post(&t, &new, "/console/account/password", "/console/account/password", &good).await;
        assert_eq!(r.status(), 303);
        assert_eq!(audit::by_action(&t.db, AuditAction::UserPasswordChange).await.unwrap().len(), 1);

        // Now the console opens, on its own agency only.
        assert_eq!(new.get(t.url("/console/yima-edu/")).send().await.unwrap().status(), 200);
        assert_eq!(new.get(t.url("/console/yima-office/")).send().await.unwrap().status(), 404);
        // An editor does not administer staff.
        assert_eq!(new.get(t.url("/console/yima-edu/staff")).send().await.unwrap().status(), 403);
        // The new password signs in; the initial one no longer does.
        assert_eq!(sign_in(&t, &browser(None), "edu-new", "li-xin-own-2026").await.status(), 303);
        assert_eq!(sign_in(&t, &browser(None), "edu-new", &initial).await.status(), 401);
    })
    .await;
}

/// Must show (b) and (e): a reset ends the old session and forces a change; a disabled user is signed out and
/// cannot sign in; an administrator neither disables themselves nor manages someone with power elsewhere.
#[tokio::test]
async fn reset_and_disable_end_sessions_and_a_disabled_user_cannot_sign_in() {
    TestApp::each(async |t| {
        let chief = browser(None);
        t.staff("edu-chief", "yima-edu", Role::Admin).await;
        assert_eq!(sign_in(&t, &chief, "edu-chief", PASSWORD).await.status(), 303);
        t.staff("handler", "yima-edu", Role::CaseHandler).await;
        let handler = browser(None);
        assert_eq!(sign_in(&t, &handler, "handler", PASSWORD).await.status(), 303);
        assert_eq!(handler.get(t.url("/console/yima-edu/")).send().await.unwrap().status(), 200);
        let id = user_id(&t, "handler").await;
        let member = format!("/console/yima-edu/staff/{id}");

        // (b) A reset: the old session is gone, the new password is shown once and must be changed.
        let r = post(&t, &chief, &member, &format!("{member}/password"), &[]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("其所有登录状态已退出"), "{html}");
        let issued = shown_password(&html);
        let r = handler.get(t.url("/console/yima-edu/")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert!(location(&r).starts_with("/console/login"), "{}", location(&r));
        assert_eq!(sign_in(&t, &browser(None), "handler", PASSWORD).await.status(), 401);
        let again = browser(None);
        assert_eq!(sign_in(&t, &again, "handler", &issued).await.status(), 303);
        let r = again.get(t.url("/console/yima-edu/")).send().await.unwrap();
        assert_eq!(location(&r), "/console/account/password");
        let reset = audit::by_action(&t.db, AuditAction::UserPasswordReset).await.unwrap();
        assert_eq!(reset.last().unwrap().details.0["sessions_ended"], 1);

        // (e) Disabling ends the session and refuses the right password with a reason.
        let r = post(&t, &chief, &member, &format!("{member}/status"), &[("active", "false")]).await;
        assert_eq!(r.status(), 303);
        let r = again.get(t.url("/console/account/password")).send().await.unwrap();
        assert_eq!(r.status(), 303, "the disabled user's session ended");
        let r = sign_in(&t, &browser(None), "handler", &issued).await;
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("该账号已停用"));
        let list = chief.get(t.url("/console/yima-edu/staff?status=disabled")).send().await.unwrap();
        let list = list.text().await.unwrap();
        assert!(list.contains("handler") && list.contains("已停用"), "{list}");
        let page = chief.get(t.url("/console/yima-edu/audit")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("停用用户") && page.contains("重设密码"), "the audit trail names the steps");
        // Enabled again, the user signs in.
        let r = post(&t, &chief, &member, &format!("{member}/status"), &[("active", "true")]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(sign_in(&t, &browser(None), "handler", &issued).await.status(), 303);

        // Nobody disables themselves; a user with a role elsewhere, or a platform admin, is not theirs to manage.
        let own = format!("/console/yima-edu/staff/{}", user_id(&t, "edu-chief").await);
        let r = post(&t, &chief, &own, &format!("{own}/status"), &[("active", "false")]).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("不能停用本人的账号"));
        t.staff("both", "yima-edu", Role::Editor).await;
        t.staff("both", "yima-office", Role::Editor).await;
        let both = format!("/console/yima-edu/staff/{}", user_id(&t, "both").await);
        let page = chief.get(t.url(&both)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("您只能查看"), "{page}");
        let r = post(&t, &chief, &both, &format!("{both}/status"), &[("active", "false")]).await;
        assert_eq!(r.status(), 403);
        // Another agency's user is not even confirmed.
        t.staff("office-only", "yima-office", Role::Editor).await;
        let office = format!("/console/yima-edu/staff/{}", user_id(&t, "office-only").await);
        assert_eq!(chief.get(t.url(&office)).send().await.unwrap().status(), 404);
        assert!(gongkai_store::users::by_username(&t.db, "both").await.unwrap().unwrap().active);
    })
    .await;
}

/// Must show (c): anonymous visits of the public forms store no session, and their CSRF protection still works.
#[tokio::test]
async fn anonymous_gets_store_no_session_and_forms_stay_protected() {
    TestApp::each(async |t| {
        let pages = ["/track", "/yima-office/apply", "/console/login", "/yima-office/mailbox", "/mailbox/track"];
        let kept = browser(None);
        for i in 0..200 {
            let path = pages[i % pages.len()];
            // Half the visits keep their cookies, half are new visitors.
            let c = if i % 2 == 0 { kept.clone() } else { browser(None) };
            let r = c.get(t.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
        }
        assert_eq!(session_count(&t).await, 0, "200 anonymous visits stored no session");

        // The forms still work with their token …
        let r = post(&t, &kept, "/track", "/track", &[("code", "2026-AAAA-AAAA"), ("password", "WRONGPASS2")]).await;
        assert_eq!(r.status(), 400, "a checked token, a wrong password");
        // … and are refused without the cookie, with a forged token, or with a token of another visitor.
        let html = kept.get(t.url("/track")).send().await.unwrap().text().await.unwrap();
        let token = csrf_in(&html).unwrap();
        let bare = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
        let form = |tok: &str| vec![("code", "X".to_owned()), ("password", "Y".to_owned()), ("csrf", tok.to_owned())];
        assert_eq!(bare.post(t.url("/track")).form(&form(&token)).send().await.unwrap().status(), 403);
        assert_eq!(kept.post(t.url("/track")).form(&form("abc.def")).send().await.unwrap().status(), 403);
        let other = browser(None);
        let other_html = other.get(t.url("/track")).send().await.unwrap().text().await.unwrap();
        let other_token = csrf_in(&other_html).unwrap();
        assert_ne!(other_token, token);
        assert_eq!(kept.post(t.url("/track")).form(&form(&other_token)).send().await.unwrap().status(), 403);
        assert_eq!(session_count(&t).await, 0);

        // Signing in stores exactly one session.
        t.staff("clerk", "yima-edu", Role::Editor).await;
        assert_eq!(sign_in(&t, &kept, "clerk", PASSWORD).await.status(), 303);
        assert_eq!(session_count(&t).await, 1);
    })
    .await;
}

async fn api_track(t: &TestApp, c: &reqwest::Client, code: &str, password: &str) -> reqwest::Response {
    c.get(t.url(&format!("/api/v1/applications/{code}"))).header("X-Query-Password", password).send().await.unwrap()
}

/// Must show (d): a code is locked after wrong passwords from different addresses, an address after wrong
/// passwords on different codes; 429 with Retry-After and the wait in Chinese.
#[tokio::test]
async fn query_passwords_are_locked_per_code_and_per_address() {
    for db in gongkai_store::testing::TestDb::all().await {
        let cfg = WebConfig { lockout_failures: 3, lockout_secs: 600, ..WebConfig::default() };
        let t = TestApp::spawn_with(db, cfg).await;
        let mut body = json!({
            "applicant_type": "natural_person", "name": "张三", "id_type": "id_card", "id_number": "11010519491231002X",
            "phone": "0398-1234567", "email": "zhangsan@example.cn", "address": "河南省义马市千秋路1号",
            "description": "2023年义马市老旧小区改造项目的资金拨付文件", "delivery": "email",
        });
        body["name"] = json!("张三");
        let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let created: Value = r.json().await.unwrap();
        let (code, password) = (
            created["tracking_code"].as_str().unwrap().to_owned(),
            created["query_password"].as_str().unwrap().to_owned(),
        );
        assert_eq!(api_track(&t, &browser(Some("127.0.0.9")), &code, &password).await.status(), 200);

        // Per code: three wrong passwords from three addresses lock the code for everyone.
        assert_eq!(api_track(&t, &browser(Some("127.0.0.2")), &code, "WRONGPASS1").await.status(), 400);
        assert_eq!(api_track(&t, &browser(Some("127.0.0.3")), &code, "WRONGPASS2").await.status(), 400);
        let r = api_track(&t, &browser(Some("127.0.0.4")), &code, "WRONGPASS3").await;
        assert_eq!(r.status(), 429);
        let r = api_track(&t, &browser(Some("127.0.0.5")), &code, &password).await;
        assert_eq!(r.status(), 429, "even the right password waits");
        let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((590..=600).contains(&retry), "{retry}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "too_many_requests");
        assert!(v["message"].as_str().unwrap().contains("请在10分钟后再试"), "{v}");
        // Another code from a fresh address is not locked.
        assert_eq!(api_track(&t, &browser(Some("127.0.0.6")), "2026-AAAA-AAAA", "WRONGPASS1").await.status(), 400);

        // Per address: three wrong codes from one address lock that address (the HTML lookup says so).
        let c = browser(Some("127.0.0.7"));
        for (i, expected) in [(1, 400), (2, 400), (3, 429)] {
            let code = format!("2026-AAAA-AAA{i}");
            let r = post(&t, &c, "/mailbox/track", "/track", &[("code", &code), ("password", "WRONGPASS1")]).await;
            assert_eq!(r.status(), expected, "attempt {i}");
        }
        let r = post(&t, &c, "/track", "/track", &[("code", "2026-BBBB-BBBB"), ("password", "X")]).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
        let html = r.text().await.unwrap();
        assert!(html.contains("查询已暂停") && html.contains("10分钟"), "{html}");
        // The mailbox lookup of that address is locked too; another address is not.
        let r = api_track(&t, &c, "2026-CCCC-CCCC", "X").await;
        assert_eq!(r.status(), 429);
        let r = t.client.get(t.url("/api/v1/mailbox/ABCDEFGH")).header("X-Query-Password", "X").send().await.unwrap();
        assert_eq!(r.status(), 400);
    }
}
