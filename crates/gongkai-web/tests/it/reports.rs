//! The annual report in the console: list and page, figures (form and CSV) keeping input on rejection,
//! downloads in every format, the workflow over HTTP ending on the portal, and the roll-up of the 主管部门.

use crate::support::{PASSWORD, TestApp, csrf_in, location};
use gongkai_domain::agency::Role;
use std::io::Read;

const PAGE: &str = "/console/yima-office/reports/2023";
const BOUNDARY: &str = "----gongkai-report-boundary-Zu0gW7MA4YWxkTr";

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip (OOXML) file");
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the package")).read_to_string(&mut s).unwrap();
    s
}

/// The number in cell `at` (e.g. `B6`) of a worksheet, `None` when the cell is blank or absent.
fn number_at(sheet: &str, at: &str) -> Option<String> {
    let start = sheet.find(&format!("<c r=\"{at}\""))?;
    let cell = &sheet[start..];
    // A cell ends at `</c>`, or at `/>` when it is empty.
    let end = [cell.find("</c>"), cell.find("/>")].into_iter().flatten().min().unwrap_or(cell.len());
    let cell = &cell[..end];
    assert!(!cell.contains("t=\"s\""), "{at} holds text, not a number: {cell}");
    let v = cell.split("<v>").nth(1)?;
    Some(v.split("</v>").next()?.to_owned())
}

#[tokio::test]
async fn editor_sees_the_report_enters_figures_and_downloads_every_format() {
    TestApp::each(async |t| {
        let editor = t.staff("bianji", "yima-office", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let (status, html) = t.get_text("/console/yima-office/").await;
        assert_eq!(status, 200);
        assert!(html.contains("/console/yima-office/reports"), "the agency page links to the reports");

        let (status, html) = t.get_text("/console/yima-office/reports").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<th scope=\"row\">2023年</th>"), "{html}");
        assert!(html.contains("通过"));
        // The 2023 report was due on 31 January 2024 and is not published.
        assert!(html.contains("2024年1月31日 <strong class=\"error\">已逾期</strong>"), "{html}");

        let (status, html) = t.get_text(PAGE).await;
        assert_eq!(status, 200);
        assert!(html.contains("<article class=\"annual-report\">"));
        assert!(html.contains("未发现问题"));
        assert!(html.contains("value=\"227\""), "the entered figure is in the form");
        assert!(html.contains("共计227条"), "and quoted in the preview");

        // A bad value: 400, the message, and everything typed kept.
        let r = t
            .post_form(
                PAGE,
                &format!("{PAGE}/figures"),
                &[("f_licensing", "-3"), ("f_penalty", "7"), ("f_items_published", "227")],
            )
            .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("不小于0的整数"), "{html}");
        assert!(html.contains("value=\"-3\"") && html.contains("value=\"7\""));

        // Good values are stored and shown in table 二.
        let r = t
            .post_form(PAGE, &format!("{PAGE}/figures"), &[("f_licensing", "5"), ("f_admin_fees", "1.25")])
            .await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{PAGE}?notice=figures&n=2")));
        let (_, html) = t.get_text(&location(&r)).await;
        assert!(html.contains("已保存填报数据 2 项"));
        assert!(html.contains("<td colspan=\"3\">1.25</td>"), "{html}");

        // CSV import (token in the URL, as for every multipart form).
        let (_, html) = t.get_text(PAGE).await;
        let token = csrf_in(&html).unwrap();
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice("项目,数值\n行政处罚,4\n".as_bytes());
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let r = t
            .client
            .post(t.url(&format!("{PAGE}/figures-csv?csrf={token}")))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let json: serde_json::Value = t.get(&format!("{PAGE}/download/json")).await.json().await.unwrap();
        assert_eq!(json["tables"]["t2"]["行政许可"], 5);
        assert_eq!(json["tables"]["t2"]["行政处罚"], 4);

        // A year outside 2008–9998 (or not a number) is no page.
        for year in ["2007", "9999", "abc"] {
            let r = t.get(&format!("/console/yima-office/reports/{year}")).await;
            assert_eq!(r.status(), 404, "{year}");
        }

        // Every format downloads as an attachment and opens.
        for (ext, ctype) in [
            ("html", "text/html; charset=utf-8"),
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("pdf", "application/pdf"),
            ("json", "application/json"),
        ] {
            let r = t.get(&format!("{PAGE}/download/{ext}")).await;
            assert_eq!(r.status(), 200, "{ext}");
            assert_eq!(r.headers()["content-type"], ctype);
            let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert_eq!(disposition, format!("attachment; filename=\"yima-office-2023-annual-report.{ext}\""));
            let bytes = r.bytes().await.unwrap();
            match ext {
                "docx" => {
                    let doc = zip_entry(&bytes, "word/document.xml");
                    assert_eq!(doc.matches("<w:tbl>").count(), 3, "tables 二, 三, 四");
                    for label in ["第二十条第（八）项", "三、本年度办理结果", "复议后起诉"] {
                        assert!(doc.contains(label), "{label}");
                    }
                    assert!(doc.contains("gridSpan") && doc.contains("vMerge"), "merged header cells");
                }
                "xlsx" => {
                    let wb = zip_entry(&bytes, "xl/workbook.xml");
                    assert_eq!(wb.matches("<sheet ").count(), 3, "a sheet per table: {wb}");
                    // Table 三: the one natural-person application, as numbers (一, （一）, （七）: 自然人 and 总计).
                    let t3 = zip_entry(&bytes, "xl/worksheets/sheet2.xml");
                    let ones = t3
                        .split("<c ")
                        .filter(|c| !c.contains("t=\"s\"") && c.contains("<v>1</v>"))
                        .count();
                    assert_eq!(ones, 6, "{t3}");
                }
                "pdf" => assert!(bytes.starts_with(b"%PDF")),
                _ => {}
            }
        }
        assert_eq!(t.get(&format!("{PAGE}/download/odt")).await.status(), 404);

        // Even the office's own supervisor gets no roll-up link: the office has no subordinate units.
        t.logout().await;
        let own = t.staff("benji", "yima-office", Role::Supervisor).await;
        t.login_as(&own, PASSWORD).await;
        let (_, html) = t.get_text("/console/yima-office/reports").await;
        assert!(html.contains("2023年") && !html.contains("/rollup"), "{html}");
        let (_, html) = t.get_text(&format!("{PAGE}/rollup")).await;
        assert!(html.contains("本机关没有所属单位，无需汇总。"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn workflow_over_http_ends_on_the_portal_and_freezes_the_report() {
    TestApp::each(async |t| {
        let editor = t.staff("bianji", "yima-office", Role::Editor).await;
        let admin = t.staff("guanli", "yima-office", Role::Admin).await;
        let supervisor = t.staff("zhuguan", "yima", Role::Supervisor).await;
        let flow = format!("{PAGE}/workflow");

        t.login_as(&editor, PASSWORD).await;
        let r = t.post_form(PAGE, &flow, &[("action", "submit")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{PAGE}?notice=submit")));
        let (_, html) = t.get_text(&location(&r)).await;
        assert!(html.contains("年度报告已报送主管部门。"), "the step is confirmed");
        // Editing now is refused with the reason, and the typed text is kept.
        let r = t
            .post_form(PAGE, &format!("{PAGE}/sections"), &[("one", "新的总体情况"), ("five", "五"), ("six", "六")])
            .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("审核期间不能修改") && html.contains("新的总体情况"), "{html}");
        let (_, html) = t.get_text(PAGE).await;
        assert!(html.contains("报告已报送主管部门，审核期间填报数据和正文不能修改；如需修改，请主管部门退回。"));
        t.logout().await;

        t.login_as(&supervisor, PASSWORD).await;
        let (_, html) = t.get_text(PAGE).await;
        assert!(html.contains("退回修改") && html.contains("审核通过"));
        // Comments over the limit: refused, and what was typed is still in the box.
        let long = format!("请补充平台建设情况。{}", "详".repeat(2000));
        let r = t.post_form(PAGE, &flow, &[("action", "return"), ("comments", &long)]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("意见不能超过2000个字") && html.contains(&format!("{long}</textarea>")));
        let r = t.post_form(PAGE, &flow, &[("action", "approve"), ("comments", "同意")]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text("/console/yima/reports").await;
        assert!(html.contains("href=\"/console/yima/reports/2023/rollup\""), "the city has units to roll up");
        // The roll-up of the 主管部门 lists the office with its status and sums the tables.
        let (status, html) = t.get_text("/console/yima/reports/2023/rollup").await;
        assert_eq!(status, 200);
        assert!(html.contains("义马市人民政府办公室") && html.contains("主管部门已审核通过"), "{html}");
        assert!(html.contains("义马市人民政府及所属单位（汇总）2023年政府信息公开工作年度报告"));
        assert!(html.contains("href=\"/console/yima/reports/2023/rollup/xlsx\""), "the page links its XLSX");
        let r = t.get("/console/yima/reports/2023/rollup/xlsx").await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-disposition"].to_str().unwrap(),
            "attachment; filename=\"yima-2023-rollup.xlsx\""
        );
        let bytes = r.bytes().await.unwrap();
        let wb = zip_entry(&bytes, "xl/workbook.xml");
        assert_eq!(wb.matches("<sheet ").count(), 3, "a sheet per table: {wb}");
        // Worked out from the demo data a test server loads (agencies, cases, the office's 2023 figures; no
        // library): 二(一) is 0 for every agency, so its sums are 0 (规章 row 4, 规范性文件 row 5, under the
        // heading and the column labels); only the office entered 二(五)(六)(八), the other six agencies left them
        // blank, so 行政许可 (row 8), 行政处罚 (11), 行政强制 (12) and 行政事业性收费 (15) stay blank.
        let t2 = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
        for (cell, want) in [
            ("B4", Some("0")),
            ("D4", Some("0")),
            ("B5", Some("0")),
            ("C5", Some("0")),
            ("D5", Some("0")),
            ("B8", None),
            ("B11", None),
            ("B12", None),
            ("B15", None),
        ] {
            assert_eq!(number_at(&t2, cell).as_deref(), want, "表二 {cell}: {t2}");
        }
        // Table 三: the office's one natural-person application (received, 予以公开, 办结), nobody else's in 2023.
        let t3 = zip_entry(&bytes, "xl/worksheets/sheet2.xml");
        let ones = t3.split("<c ").filter(|c| !c.contains("t=\"s\"") && c.contains("<v>1</v>")).count();
        assert_eq!(ones, 6, "{t3}");
        let t4 = zip_entry(&bytes, "xl/worksheets/sheet3.xml");
        assert!(!t4.contains("<v>1</v>"), "no 复议/诉讼 in 2023: {t4}");
        t.logout().await;

        t.login_as(&admin, PASSWORD).await;
        let r = t.post_form(PAGE, &flow, &[("action", "publish")]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&location(&r)).await;
        assert!(html.contains("年度报告已在“公开年报”栏目发布。"), "the step is confirmed");
        assert!(html.contains("报告已发布，填报数据和正文已冻结"));
        assert!(!html.contains("已逾期"), "a published report is no longer overdue");
        let start = html.find("href=\"/yima-office/gknb/").expect("link to the portal page") + 6;
        let path = html[start..].split('"').next().unwrap().to_owned();
        // An editor of the office has no roll-up (not a supervisor).
        assert_eq!(t.get("/console/yima-office/reports/2023/rollup").await.status(), 403);

        // The catalog entry is frozen: no unpublish or edit form, and a forged request is refused with the reason.
        let id = path.rsplit('/').next().unwrap().to_owned();
        let entry_page = format!("/console/yima-office/catalog/{id}");
        let (status, html) = t.get_text(&entry_page).await;
        assert_eq!(status, 200);
        assert!(html.contains("本条目是已发布的2023年政府信息公开工作年度报告"), "{html}");
        assert!(html.contains("href=\"/console/yima-office/reports/2023\""));
        assert!(!html.contains("/unpublish\"") && !html.contains("保存草稿"), "{html}");
        let r = t.post_form(&entry_page, &format!("{entry_page}/unpublish"), &[("note", "发现错误")]).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("发布后即冻结，不能修改、撤销发布"));
        let r = t.post_form(&entry_page, &entry_page, &[("title", "改过的标题"), ("column", "gknb")]).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("发布后即冻结"));
        t.logout().await;

        // The portal page keeps the report's classes (styled by the portal's stylesheet) and merged cells.
        let (status, html) = t.get_text(&path).await;
        assert_eq!(status, 200);
        assert!(html.contains("<article class=\"annual-report\">"), "{html}");
        assert!(html.contains("<table class=\"report-table\">"));
        assert!(html.contains("rowspan=\"22\""), "三、本年度办理结果 spans 22 rows");
        // The title is the page's one heading, not repeated by the report's own.
        assert_eq!(html.matches("<h1").count(), 1, "{html}");
        assert!(html.contains("<h1>义马市人民政府办公室2023年政府信息公开工作年度报告</h1>"));
        assert!(!html.contains("改过的标题"));
    })
    .await;
}
