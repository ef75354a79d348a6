//! 12345 orders in the console: the upload imports all rows or none (every problem with its row), the same file
//! again changes nothing, and staff record a local step on an order.

use crate::support::{PASSWORD, TestApp, csrf_in, location};
use gongkai_domain::agency::Role;

const BOUNDARY: &str = "----gongkai-hotline-boundary-7Hq2";
const CSV: &str = include_str!("../../../../demo/hotline-yima-office-2026.csv");
const PAGE: &str = "/console/yima-office/hotline";

async fn upload(t: &TestApp, name: &str, bytes: &[u8]) -> (u16, String) {
    let (_, html) = t.get_text(PAGE).await;
    let token = csrf_in(&html).unwrap();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let r = t
        .client
        .post(t.url(&format!("{PAGE}/import?csrf={token}")))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_console_upload_imports_all_rows_or_none_and_staff_record_steps() {
    TestApp::each(async |t| {
        let who = t.staff("rexian", "yima-office", Role::CaseHandler).await;
        t.login_as(&who, PASSWORD).await;

        // One bad date in row 3: nothing is imported, the row and the column are named.
        let bad = CSV.replacen("2026-03-10 10:30:00", "2026-03-32 10:30:00", 1);
        let (status, html) = upload(&t, "bad.csv", bad.as_bytes()).await;
        assert_eq!(status, 400, "{html}");
        assert!(html.contains("未导入任何工单") && html.contains("第3行“派单时间”列"), "{html}");
        assert!(html.contains("没有工单"), "{html}");

        let (status, html) = upload(&t, "orders.csv", CSV.as_bytes()).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("已导入：新建 6 件，更新 0 件，未变 0 件。"), "{html}");
        assert!(html.contains("12345-2026-0101"));
        let (_, html) = upload(&t, "orders.csv", CSV.as_bytes()).await;
        assert!(html.contains("新建 0 件，更新 0 件，未变 6 件"), "{html}");

        // 签收 of the open order of 1 December, recorded on 2 December.
        t.app.set_today(Some(time::macros::date!(2026 - 12 - 02)));
        let order = format!("{PAGE}/12345-2026-0611");
        let r = t.post_form(&order, &format!("{order}/steps"), &[("step", "sign"), ("date", "2026-12-02")]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        assert_eq!(location(&r), format!("{order}?notice=step"));
        let (_, html) = t.get_text(&order).await;
        assert!(html.contains("签收") && html.contains("2026年12月2日"), "{html}");
        // A step that does not fit the status is refused with the reason.
        let r =
            t.post_form(&order, &format!("{order}/steps"), &[("step", "visit"), ("satisfaction", "satisfied")]).await;
        assert_eq!(r.status(), 400);
        // Another agency's staff do not reach the orders.
        t.logout().await;
        let edu = t.staff("edu-h", "yima-edu", Role::CaseHandler).await;
        t.login_as(&edu, PASSWORD).await;
        assert_eq!(t.get(&order).await.status(), 404);
    })
    .await;
}
