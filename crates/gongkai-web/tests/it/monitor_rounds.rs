//! The console's 通报 and 整改 pages and the probe settings: a 通报 drafted, refused to its own submitter,
//! approved and numbered by another issuer, downloaded with its number and the failing agencies, published to the
//! portal; the office reports its 整改 and the city reviews it; the probe list refuses a bad line keeping the
//! text; the dashboard says since when an indicator fails.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_app::Caller;
use gongkai_domain::agency::Role;
use std::io::Read;
use time::macros::date;

fn pdf_text(bytes: &[u8]) -> String {
    let path =
        std::env::temp_dir().join(format!("gk_round_{}_{}.pdf", std::process::id(), gongkai_app::random_token(6)));
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
async fn a_bulletin_is_drafted_approved_numbered_downloaded_published_and_rectified() {
    TestApp::each(async |t| {
        t.app.load_demo_content().await.unwrap();
        t.app.set_today(Some(date!(2026 - 03 - 02)));
        let sup = t.staff("city-supervisor", "yima", Role::Supervisor).await;
        let admin = t.staff("city-admin", "yima", Role::Admin).await;
        let office_editor = t.staff("office-editor", "yima-office", Role::Editor).await;
        let list = "/console/yima/monitor/bulletins";

        t.login_as(&sup, PASSWORD).await;
        let (status, html) = t.get_text("/console/yima/monitor").await;
        assert!(status == 200 && html.contains(list), "the dashboard links the 通报");
        let r = t.post_form(list, list, &[("round", "monthly"), ("period", "2026-13"), ("date", "2024-02-08")]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("2026-11") && html.contains("value=\"2026-13\""), "the message, the input kept: {html}");
        let r = t.post_form(list, list, &[("round", "monthly"), ("period", "2026-02"), ("date", "2024-02-08")]).await;
        assert_eq!(r.status(), 303);
        let page = location(&r).split('?').next().unwrap().to_owned();
        let id = page.rsplit('/').next().unwrap().to_owned();
        let (status, html) = t.get_text(&page).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("关于2026年2月政府网站检查情况的通报") && html.contains("义马市人民政府办公室"),
            "{html}"
        );
        let steps = format!("{page}/steps");
        let r = t.post_form(&page, &steps, &[("step", "publish"), ("column", "tzgg")]).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("须经审核编号后才能发布"));
        assert_eq!(t.post_form(&page, &steps, &[("step", "submit")]).await.status(), 303);
        let r = t.post_form(&page, &steps, &[("step", "approve")]).await;
        assert_eq!(r.status(), 400, "not by its submitter");
        t.logout().await;

        t.login_as(&admin, PASSWORD).await;
        assert_eq!(t.post_form(&page, &steps, &[("step", "approve")]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        let no = "义马市人民政府政务公开通报〔2026〕1号";
        assert!(html.contains(no) && html.contains("2026年3月16日"), "numbered, 整改 due in 10 working days: {html}");

        let r = t.get(&format!("{page}/bulletin.docx")).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a DOCX (zip)");
        let mut xml = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains(no) && xml.contains("义马市人民政府办公室：首页不更新"), "{xml}");
        let r = t.get(&format!("{page}/bulletin.pdf")).await;
        assert_eq!(r.status(), 200);
        let text = pdf_text(&r.bytes().await.unwrap());
        assert!(text.contains(no) && text.contains("义马市自然资源局"), "{text}");
        assert_eq!(t.get(&format!("{page}/bulletin.txt")).await.status(), 404);

        assert_eq!(t.post_form(&page, &steps, &[("step", "publish"), ("column", "tzgg")]).await.status(), 303);
        let city = t.app.agency_by_code("yima").await.unwrap();
        let b = t.app.bulletin(Caller::System("cli"), &city, id.parse().unwrap()).await.unwrap();
        let entry = b.entry_id.expect("published as an entry");
        t.logout().await;
        let (status, html) = t.get_text(&format!("/yima/tzgg/{entry}")).await;
        assert_eq!(status, 200, "on the portal");
        assert!(html.contains("关于2026年2月政府网站检查情况的通报") && html.contains(no), "{html}");

        // The office reports; the city reviews (未通过 with a note returns it).
        t.login_as(&office_editor, PASSWORD).await;
        let rect = "/console/yima-office/monitor/rectifications";
        let (status, html) = t.get_text(rect).await;
        assert!(status == 200 && html.contains(no) && html.contains("报送整改情况"), "{html}");
        let office = t.app.agency_by_code("yima-office").await.unwrap();
        let item = t.app.rectifications_of(Caller::System("cli"), &office).await.unwrap()[0].id;
        let report = format!("{rect}/{item}/report");
        let r = t.post_form(rect, &report, &[("report", "已更新"), ("evidence", "")]).await;
        assert_eq!(r.status(), 400);
        let r = t.post_form(rect, &report, &[("report", "已更新首页"), ("evidence", "/yima-office/gzdt")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{rect}?notice=reported")));
        assert_eq!(t.get("/console/yima/monitor/rectifications").await.status(), 404, "not the city's page");
        t.logout().await;

        t.login_as(&sup, PASSWORD).await;
        let city_rect = "/console/yima/monitor/rectifications";
        let (_, html) = t.get_text(city_rect).await;
        assert!(html.contains("已更新首页") && html.contains("提交复核"), "{html}");
        let review = format!("{city_rect}/{item}/review");
        let r = t.post_form(city_rect, &review, &[("decision", "fail"), ("note", ""), ("due_on", "")]).await;
        assert_eq!(r.status(), 400, "a note is required");
        let r = t
            .post_form(city_rect, &review, &[("decision", "fail"), ("note", "首页仍未更新"), ("due_on", "2026-03-20")])
            .await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(city_rect).await;
        assert!(html.contains("待整改（复核未通过1次）") && html.contains("2026年3月20日"), "{html}");
        t.app.set_today(Some(date!(2026 - 03 - 21)));
        let (_, html) = t.get_text(&format!("{city_rect}?overdue=1")).await;
        assert!(html.contains("（已逾期）") && !html.contains("只看已逾期"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn probe_urls_are_set_by_the_administrator_and_the_dashboard_says_since_when() {
    TestApp::each(async |t| {
        let admin = t.staff("nr-admin", "yima-nr", Role::Admin).await;
        t.login_as(&admin, PASSWORD).await;
        let page = "/console/yima-nr/monitor";
        let action = "/console/yima-nr/monitor/probes";
        let r = t.post_form(page, action, &[("urls", "https://www.yima.gov.cn/\nwww.bad")]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("第2行") && html.contains("www.bad"), "message and text kept: {html}");
        let r = t.post_form(page, action, &[("urls", "https://www.yima.gov.cn/")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{page}?notice=probes#probes")));
        let (_, html) = t.get_text(&location(&r)).await;
        assert!(html.contains("https://www.yima.gov.cn/") && html.contains("探测地址已保存"), "{html}");

        // yima-nr never published anything: recorded failing on 03-01 and 03-02, the homepage fails since 03-01.
        t.app.record_daily_checks(date!(2024 - 03 - 01)).await.unwrap();
        t.app.record_daily_checks(date!(2024 - 03 - 02)).await.unwrap();
        let (_, html) = t.get_text(&format!("{page}?date=2024-03-02")).await;
        assert!(html.contains("2024年3月1日起"), "{html}");
        t.logout().await;
        let editor = t.staff("nr-editor", "yima-nr", Role::Editor).await;
        t.login_as(&editor, PASSWORD).await;
        assert_eq!(t.post_form(page, action, &[("urls", "")]).await.status(), 403);
    })
    .await;
}
