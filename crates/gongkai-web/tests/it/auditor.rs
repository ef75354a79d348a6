use crate::support::{PASSWORD, TestApp, csrf_in};
use gongkai_domain::agency::Role;
use reqwest::multipart::{Form, Part};

const FIXTURE: &str = include_str!("../../../gongkai-report/tests/fixtures/yima-2023-annual-report.txt");

/// A report whose tables could not be read (scanned images).
const UNREAD: &str = include_str!("../../../gongkai-report/tests/fixtures/verdicts/2-tables-unread.txt");

/// The fixture with 一、本年新收 (自然人) changed from 1 to 2.
fn changed_fixture() -> String {
    let at = FIXTURE.find("一、本年新收政府信息公开申请数量").unwrap();
    let cell = at + FIXTURE[at..].find("\t1\n").unwrap();
    format!("{}\t2\n{}", &FIXTURE[..cell], &FIXTURE[cell + 3..])
}

fn upload(action: &str) -> Form {
    Form::new()
        .part("files", Part::text(FIXTURE).file_name("yima-2023.txt"))
        .part("files", Part::text(changed_fixture()).file_name("C:\\reports\\changed.txt"))
        .part("files", Part::text(UNREAD).file_name("scan.txt"))
        .text("action", action.to_owned())
}

async fn submit(t: &TestApp, action: &str) -> reqwest::Response {
    let html = t.get("/console/audit").await.text().await.unwrap();
    let token = csrf_in(&html).expect("csrf on the page");
    t.client.post(t.url(&format!("/console/audit?csrf={token}"))).multipart(upload(action)).send().await.unwrap()
}

#[tokio::test]
async fn a_supervisor_audits_uploaded_reports_and_exports_the_findings() {
    TestApp::each(async |t| {
        let user = t.staff("city-watch", "yima", Role::Supervisor).await;
        assert_eq!(t.login_as(&user, PASSWORD).await.status(), 303);
        let (_, dashboard) = t.get_text("/console/").await;
        assert!(dashboard.contains(r#"href="/console/audit""#));

        let r = submit(&t, "view").await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("yima-2023.txt") && html.contains("changed.txt"), "file names, path stripped");
        assert!(!html.contains("C:\\reports"));
        assert!(html.contains("义马市人民政府办公室") && html.contains("2023年"));
        assert!(html.contains("未发现问题"), "the published report is consistent");
        assert!(html.contains(">R1</abbr>") && html.contains(">R2</abbr>"), "the changed cell breaks R1 and R2");
        // the three outcomes, as the CLI's exit status 0/1/2
        assert!(html.contains(r#"<td class="verdict-read">已读取，未发现错误</td>"#), "{html}");
        assert!(html.contains(r#"<td class="verdict-errors"><strong>有错误</strong></td>"#));
        assert!(html.contains(r#"<td class="verdict-unreadable">未能读取完整表格，无法核对</td>"#));

        let r = submit(&t, "xlsx").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..2], b"PK", "an OOXML (zip) package");
    })
    .await;
}

#[tokio::test]
async fn the_auditor_is_for_supervisors_and_needs_the_token() {
    TestApp::each(async |t| {
        let editor = t.staff("editor-only", "yima-edu", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        assert_eq!(t.get("/console/audit").await.status(), 403);
        let (_, dashboard) = t.get_text("/console/").await;
        assert!(!dashboard.contains(r#"href="/console/audit""#));
        assert_eq!(t.post_form("/console/", "/console/logout", &[]).await.status(), 303);

        let sup = t.staff("watcher", "yima", Role::Supervisor).await;
        assert_eq!(t.login_as(&sup, PASSWORD).await.status(), 303);
        // No token: refused before anything is parsed.
        let r = t.client.post(t.url("/console/audit")).multipart(upload("view")).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // No file chosen: the page again with a message.
        let html = t.get("/console/audit").await.text().await.unwrap();
        let token = csrf_in(&html).unwrap();
        let empty = Form::new().part("files", Part::bytes(Vec::new()).file_name("")).text("action", "view");
        let r = t.client.post(t.url(&format!("/console/audit?csrf={token}"))).multipart(empty).send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("请选择至少一个报告文件"));
    })
    .await;
}
