//! The 分工方案 page over HTTP (docs/law/supervision.md §4): the upload imports all rows or none, naming the row;
//! a task entered by hand; the assigned agency reports progress with a file; the export; and the 政务新媒体
//! quarterly check from the register (§3.4).

use crate::support::{PASSWORD, TestApp, csrf_in, location};
use gongkai_domain::agency::Role;
use time::macros::date;

const BOUNDARY: &str = "----gongkai-workplan-boundary-Zq81";
const PAGE: &str = "/console/yima/workplan?year=2025";
const PLAN: &str = "序号,工作任务,具体要求,牵头单位,配合单位,时限要求
1,政策解读,同步发布解读,义马市人民政府办公室,市教育局,9月底前
2,公开财政预决算,按时公开,市财政局,各部门,年底前
";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    body
}

async fn post_multipart(t: &TestApp, page: &str, action: &str, body: Vec<u8>) -> reqwest::Response {
    let (_, html) = t.get_text(page).await;
    let token = csrf_in(&html).unwrap();
    let sep = if action.contains('?') { '&' } else { '?' };
    t.client
        .post(t.url(&format!("{action}{sep}csrf={token}")))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_plan_is_uploaded_reported_on_and_exported() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2025 - 06 - 02)));
        let admin = t.staff("yaodian", "yima", Role::Admin).await;
        let editor = t.staff("bangongshi", "yima-office", Role::Editor).await;
        t.login_as(&admin, PASSWORD).await;
        let (status, html) = t.get_text(PAGE).await;
        assert_eq!(status, 200);
        assert!(html.contains("本单位尚无2025年的分工方案") && html.contains("返回本单位工作台"), "{html}");

        let upload = "/console/yima/workplan/upload?year=2025";
        let meta = [("title", "义马市2025年政务公开工作要点分工方案"), ("doc_no", "义政办〔2025〕8号")];
        let bad = PLAN.replace("年底前", "尽快");
        let r = post_multipart(&t, PAGE, upload, multipart(&meta, Some(("plan.csv", bad.as_bytes())))).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("未导入任何任务") && html.contains("第3行“时限要求”：无法识别“尽快”"), "{html}");
        let r = post_multipart(&t, PAGE, upload, multipart(&meta, Some(("plan.csv", PLAN.as_bytes())))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("已导入2025年分工方案：任务2项（有完成时限2项，持续推进0项）"), "{html}");
        assert!(html.contains("未匹配到平台机构的单位：各部门、市财政局"), "{html}");
        assert!(html.contains("义政办〔2025〕8号") && html.contains("义马市人民政府办公室（牵头）"), "{html}");
        assert!(html.contains("2025年9月17日"), "the reminder day of 9-30: {html}");

        let fields = [
            ("year", "2025"),
            ("no", "3"),
            ("task", "目录维护"),
            ("lead", "义马市人民政府办公室"),
            ("due_text", "下半年"),
        ];
        let r = t.post_form(PAGE, "/console/yima/workplan/tasks", &fields).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("无法识别“下半年”"));
        let fields = [
            ("year", "2025"),
            ("no", "3"),
            ("task", "目录维护"),
            ("lead", "义马市人民政府办公室"),
            ("due_text", "11月底前"),
        ];
        let r = t.post_form(PAGE, "/console/yima/workplan/tasks", &fields).await;
        assert_eq!(
            (r.status().as_u16(), location(&r)),
            (303, "/console/yima/workplan?year=2025&notice=task".to_owned())
        );

        // The office reports on the task assigned to it, with a file.
        t.logout().await;
        t.login_as(&editor, PASSWORD).await;
        let office = "/console/yima-office/workplan?year=2025";
        let (_, html) = t.get_text(office).await;
        assert!(
            html.contains("本单位承担的其他任务") && html.contains("政策解读") && html.contains("报送进展"),
            "{html}"
        );
        let i = html.find("/workplan/tasks/").unwrap() + "/workplan/tasks/".len();
        let task = html[i..].split('/').next().unwrap().to_owned();
        let action = format!("/console/yima-office/workplan/tasks/{task}/progress?year=2025");
        let body =
            multipart(&[("status", "done"), ("note", "解读材料已同步发布")], Some(("jiedu.pdf", b"%PDF-1.4 evidence")));
        let r = post_multipart(&t, office, &action, body).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        t.logout().await;
        t.login_as(&admin, PASSWORD).await;
        let (_, html) = t.get_text(PAGE).await;
        assert!(html.contains("解读材料已同步发布") && html.contains("jiedu.pdf"), "{html}");
        let i = html.find("/evidence/").unwrap();
        let start = html[..i].rfind('"').unwrap() + 1;
        let href = html[start..].split('"').next().unwrap().to_owned();
        let r = t.get(&href).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 evidence");

        let r = t.get("/console/yima/workplan/export.xlsx?year=2025").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"), "a workbook (read back in the service tests)");
    })
    .await;
}

#[tokio::test]
async fn the_register_is_checked_quarterly() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 02 - 25)));
        t.app.load_demo_supervision().await.unwrap();
        let supervisor = t.staff("shangji", "yima", Role::Supervisor).await;
        t.login_as(&supervisor, PASSWORD).await;
        let page = "/console/yima-office/new-media";
        let r = t.post_form(page, "/console/yima-office/new-media/checks", &[]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{page}?notice=checked")));
        let (_, html) = t.get_text(&format!("{page}?notice=checked")).await;
        assert!(html.contains("2026年第1季度") && html.contains("季度检查"), "{html}");
        // The demo's closing account last posted 30 days before: 不合格 for staleness.
        assert!(html.contains("超过两周未更新（距最近更新30天）"), "{html}");
    })
    .await;
}
