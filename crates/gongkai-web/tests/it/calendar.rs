//! The console's working-day calendar page: platform administrators see the loaded years and upload a notice;
//! everyone else is refused; uploads need the CSRF token and are all or nothing.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_app::calendar::calendar_warning_for;
use gongkai_app::{CalendarSource, Caller, beijing_today};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::audit;

const PAGE: &str = "/console/platform/calendar";

/// TEST DATA, not the real 2027 notice: holiday-cn layout, 元旦 1–3 January, 春节 6–14 February,
/// 调休上班 31 January and 20 February.
const TEST_2027: &str = include_str!("../../../gongkai-domain/tests/fixtures/holiday-cn-2027.test.json");

const BOUNDARY: &str = "----gongkai-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body with one file field, as a browser sends it.
fn multipart(field: &str, filename: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
         Content-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts the upload form like a browser: the token in the action URL (a multipart body cannot carry it for the
/// CSRF layer), `token = None` leaves it out.
async fn upload(t: &TestApp, token: Option<&str>, content: &[u8]) -> reqwest::Response {
    let url = match token {
        Some(tok) => t.url(&format!("{PAGE}?csrf={tok}")),
        None => t.url(PAGE),
    };
    t.client
        .post(url)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart("file", "2027.json", content))
        .send()
        .await
        .unwrap()
}

/// The token on the calendar page's upload form (its action URL).
fn upload_token(html: &str) -> String {
    let start = html.find("/console/platform/calendar?csrf=").expect("upload form") + PAGE.len() + "?csrf=".len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_platform_admin_sees_the_years_and_imports_a_2027_notice() {
    TestApp::each(async |t| {
        t.app.seed_calendar_if_empty().await.unwrap();
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);

        // The dashboard links to the page.
        let (_, dash) = t.get_text("/console/").await;
        assert!(dash.contains(r#"<a href="/console/platform/calendar">工作日历</a>"#), "{dash}");

        let (status, html) = t.get_text(PAGE).await;
        assert_eq!(status, 200, "{html}");
        for year in 2023..=2026 {
            assert!(html.contains(&format!("<th scope=\"row\">{year}年</th>")), "{year}");
        }
        assert!(html.contains("随程序提供"));
        assert!(html.contains("https://www.gov.cn/"), "notice links");
        assert!(!html.contains("<th scope=\"row\">2027年</th>"));
        // The missing-notice warning, when today's Beijing date calls for one.
        let expected = calendar_warning_for(&t.app.calendar().await.unwrap(), beijing_today());
        if let Some(w) = &expected {
            assert!(html.contains(w.as_str()), "warning missing: {w}");
            assert!(dash.contains(w.as_str()), "warning missing on the dashboard: {w}");
        }

        // Upload: redirected back, the summary shown once, the year listed with its provenance.
        let r = upload(&t, Some(&upload_token(&html)), TEST_2027.as_bytes()).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        assert_eq!(location(&r), PAGE);
        let (status, html) = t.get_text(PAGE).await;
        assert_eq!(status, 200);
        assert!(html.contains("导入成功"), "{html}");
        assert!(html.contains("2027年：新载入，放假日12天，调休上班日2天"), "{html}");
        assert!(html.contains("<th scope=\"row\">2027年</th>"));
        assert!(html.contains(r#"<a href="https://example.test/gongkai-test-data/2027-notice.htm""#));
        assert!(html.contains("管理员导入"));
        assert!(!t.get_text(PAGE).await.1.contains("导入成功"), "the summary is shown once");

        let stored = t.app.calendar_year(Caller::System("cli"), 2027).await.unwrap().unwrap();
        assert_eq!((stored.source, stored.loaded_by.as_str()), (CalendarSource::Import, "admin"));
        let events = audit::by_action(&t.db, AuditAction::CalendarImport).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].actor_label, "admin");
        // A period into 2027 is no longer provisional.
        let due = t.app.calendar().await.unwrap().add_working_days(time::macros::date!(2027 - 01 - 29), 20);
        assert!(!due.is_provisional());
    })
    .await;
}

#[tokio::test]
async fn bad_files_are_refused_on_the_page_and_change_nothing() {
    TestApp::each(async |t| {
        t.app.seed_calendar_if_empty().await.unwrap();
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let token = upload_token(&t.get_text(PAGE).await.1);

        // A valid 2027 followed by a 2028 whose 调休 day is a Monday: nothing at all is imported.
        let mixed = format!(
            r#"[{TEST_2027}, {{"year": 2028, "days": [{{"name": "元旦", "date": "2028-01-01", "isOffDay": true}},
            {{"name": "元旦", "date": "2028-01-03", "isOffDay": false}}]}}]"#
        );
        let r = upload(&t, Some(&token), mixed.as_bytes()).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("文件未导入"), "{html}");
        assert!(html.contains("不是周末"), "{html}");
        assert!(html.contains("<th scope=\"row\">2026年</th>"), "the page is shown again with the years");

        let r = upload(&t, Some(&token), b"{ not json").await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("JSON格式错误"));

        // Too large, just over the limit and far over it (cut off while streaming in).
        for size in [1024 * 1024 + 1, 3 * 1024 * 1024 / 2] {
            let r = upload(&t, Some(&token), &vec![b' '; size]).await;
            assert_eq!(r.status(), 413, "{size}");
            assert!(r.text().await.unwrap().contains("文件过大（不能超过1024KB）"), "{size}");
        }

        // An empty file field.
        let r = upload(&t, Some(&token), b"").await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("请选择要导入的放假安排文件"));

        assert!(t.app.calendar_year(Caller::System("cli"), 2027).await.unwrap().is_none());
        assert!(t.app.calendar_year(Caller::System("cli"), 2028).await.unwrap().is_none());
        assert!(audit::by_action(&t.db, AuditAction::CalendarImport).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn uploads_without_the_csrf_token_are_refused() {
    TestApp::each(async |t| {
        t.app.seed_calendar_if_empty().await.unwrap();
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let token = upload_token(&t.get_text(PAGE).await.1);
        let r = upload(&t, None, TEST_2027.as_bytes()).await;
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("安全校验"));
        let r = upload(&t, Some("forged-token"), TEST_2027.as_bytes()).await;
        assert_eq!(r.status(), 403);
        assert!(t.app.calendar_year(Caller::System("cli"), 2027).await.unwrap().is_none());
        // The real token works.
        assert_eq!(upload(&t, Some(&token), TEST_2027.as_bytes()).await.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn others_cannot_see_or_use_the_page() {
    TestApp::each(async |t| {
        t.app.seed_calendar_if_empty().await.unwrap();
        // Not signed in: to the login page.
        let r = t.get(PAGE).await;
        assert_eq!(r.status(), 303);
        assert!(location(&r).starts_with("/console/login"));

        // An agency administrator (even of the city government) is not a platform administrator.
        let user = t.staff("city-admin", "yima", Role::Admin).await;
        assert_eq!(t.login_as(&user, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text(PAGE).await;
        assert!(matches!(status, 403 | 404), "{status}: {html}");
        assert!(!html.contains("<th scope=\"row\">2026年</th>"));
        let (_, dash) = t.get_text("/console/").await;
        assert!(!dash.contains("/console/platform/calendar"), "no link for non-admins");

        // With a valid token of their own session, the upload is still refused.
        let token = t.csrf_from("/console/").await;
        let r = upload(&t, Some(&token), TEST_2027.as_bytes()).await;
        assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
        assert!(t.app.calendar_year(Caller::System("cli"), 2027).await.unwrap().is_none());
        assert!(audit::by_action(&t.db, AuditAction::CalendarImport).await.unwrap().is_empty());
    })
    .await;
}
