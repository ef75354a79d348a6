//! The console's 网站自查 page: the check as of a day, descendants for a supervisor, column classes for the
//! administrator; 403/404 and the login redirect.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::{audit, catalog};

#[tokio::test]
async fn the_monitor_page_shows_findings_descendants_and_column_classes() {
    TestApp::each(async |t| {
        t.app.load_demo_content().await.unwrap();
        let page = "/console/yima-office/monitor?date=2024-02-08";
        let r = t.get(page).await;
        assert_eq!(r.status(), 303, "signed out: to the login");

        let editor = t.staff("office-editor", "yima-office", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text(page).await;
        assert_eq!(status, 200);
        assert!(html.contains("不合格") && html.contains("首页不更新") && html.contains("工作动态"), "{html}");
        assert!(!html.contains("<select"), "only the administrator changes classes");
        let (status, html) = t.get_text("/console/yima-office/").await;
        assert!(status == 200 && html.contains("/console/yima-office/monitor"));
        assert_eq!(t.get("/console/yima-edu/monitor").await.status(), 404, "another agency");
        let office = t.app.agency_by_code("yima-office").await.unwrap();
        let gzdt = catalog::column_by_slug(&t.db, office.id, "gzdt").await.unwrap().unwrap();
        let id = gzdt.id.to_string();
        let r =
            t.post_form(page, "/console/yima-office/monitor/classes", &[("column_id", &id), ("class", "static")]).await;
        assert_eq!(r.status(), 403);
        t.logout().await;

        let admin = t.staff("office-admin", "yima-office", Role::Admin).await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let r =
            t.post_form(page, "/console/yima-office/monitor/classes", &[("column_id", &id), ("class", "static")]).await;
        assert_eq!(
            (r.status().as_u16(), location(&r)),
            (303, "/console/yima-office/monitor?notice=saved#classes".into())
        );
        let events = audit::by_action(&t.db, AuditAction::MonitorColumnClass).await.unwrap();
        assert_eq!(events.len(), 1);
        let (_, html) = t.get_text(page).await;
        assert!(html.contains("<select") && !html.contains("工作动态（2周"), "{html}");
        t.logout().await;

        // A supervisor of the city sees every agency beneath it with its verdict.
        let sup = t.staff("city-supervisor", "yima", Role::Supervisor).await;
        assert_eq!(t.login_as(&sup, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text("/console/yima/monitor?date=2024-01-02").await;
        assert_eq!(status, 200);
        assert!(html.contains("下级机构") && html.contains("义马市人民政府办公室") && html.contains("义马市教育局"));
    })
    .await;
}

/// The text of a PDF by `pdftotext` (poppler-utils), whitespace removed (lines wrap).
fn pdf_text(bytes: &[u8]) -> String {
    let path =
        std::env::temp_dir().join(format!("gk_bulletin_{}_{}.pdf", std::process::id(), gongkai_app::random_token(6)));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn a_supervisor_downloads_the_bulletin_naming_the_failing_sites_as_docx_and_pdf() {
    TestApp::each(async |t| {
        use std::io::Read;
        t.app.load_demo_content().await.unwrap();
        let supervisor = t.staff("city-supervisor", "yima", Role::Supervisor).await;
        t.login_as(&supervisor, PASSWORD).await;
        let (status, html) = t.get_text("/console/yima/monitor?date=2024-02-08").await;
        assert_eq!(status, 200);
        assert!(html.contains("/console/yima/monitor/bulletin.docx?date=2024-02-08"), "{html}");

        let r = t.get("/console/yima/monitor/bulletin.docx?date=2024-02-08").await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a DOCX (zip)");
        let mut xml = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("关于2024年2月8日政府网站检查情况的通报"), "{xml}");
        assert!(xml.contains("义马市人民政府办公室：首页不更新"), "the office fails on 2024-02-08: {xml}");

        let r = t.get("/console/yima/monitor/bulletin.pdf?date=2024-02-08").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let text = pdf_text(&r.bytes().await.unwrap());
        assert!(text.contains("政府网站检查情况的通报") && text.contains("义马市人民政府办公室"), "{text}");
        assert_eq!(t.get("/console/yima/monitor/bulletin.txt").await.status(), 404);
        // Staff of a unit below do not reach the city's bulletin.
        t.logout().await;
        let edu = t.staff("edu-staff", "yima-edu", Role::Editor).await;
        t.login_as(&edu, PASSWORD).await;
        assert_eq!(t.get("/console/yima/monitor/bulletin.docx").await.status(), 404);
    })
    .await;
}
