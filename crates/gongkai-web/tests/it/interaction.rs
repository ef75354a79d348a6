//! The figures of the interaction channels on the demo data (docs/law/public-interaction.md §8), counted by hand
//! from `crates/gongkai-app/src/interaction/demo.rs`: the JSON API, the XLSX and the 2026 annual report agree.

use crate::support::{PASSWORD, TestApp};
use gongkai_domain::agency::Role;
use gongkai_domain::annual_report::Rule;
use serde_json::Value;
use std::io::Read;

fn cell(sheet: &str, at: &str) -> Option<String> {
    let start = sheet.find(&format!("<c r=\"{at}\""))?;
    let c = &sheet[start..];
    let end = [c.find("</c>"), c.find("/>")].into_iter().flatten().min().unwrap_or(c.len());
    let v = c[..end].split("<v>").nth(1)?;
    Some(v.split("</v>").next()?.to_owned())
}

#[tokio::test]
async fn stats_api_xlsx_and_the_2026_report_agree_with_a_hand_count_of_the_demo() {
    TestApp::each(async |t| {
        assert_eq!(t.app.load_demo_interaction().await.unwrap(), 7);
        assert_eq!(t.app.load_demo_interaction().await.unwrap(), 0, "loading twice adds nothing");

        // Seven letters in 2026: answered 3-05 (due 3-09), extended and answered 4-28, answered 6-03 (due 6-08),
        // answered late 9-25 (due 9-21 or earlier), refused 11-17 (due 11-23), two open. Closed 5, on time 4,
        // every deadline in 2026; rated 满意, 基本满意, 不满意.
        let r = t.get("/api/v1/yima-office/interaction/stats?year=2026").await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        let m = &v["mailbox"];
        assert_eq!((m["received"].as_u64(), m["closed"].as_u64(), m["on_time"].as_u64()), (Some(7), Some(5), Some(4)));
        assert_eq!(m["rate_closed"].as_f64(), Some(71.43));
        assert_eq!(m["rate_on_time"].as_f64(), Some(57.14));
        assert_eq!(m["satisfaction"].as_f64(), Some(66.67));
        assert_eq!((m["by_type"]["咨询"].as_u64(), m["by_type"]["投诉"].as_u64()), (Some(2), Some(2)));
        // Six 12345 orders (demo/hotline-yima-office-2026.csv): 咨询 01-12 closed 01-14 (due 01-15), 投诉 03-10
        // closed 03-25 (due 03-31), 求助 05-11 closed 05-20 (due 05-18: late), 建议 08-03 closed 08-10, two open.
        let h = &v["hotline"];
        assert_eq!((h["received"].as_u64(), h["closed"].as_u64(), h["on_time"].as_u64()), (Some(6), Some(4), Some(3)));
        assert_eq!((h["rate_closed"].as_f64(), h["rate_on_time"].as_f64()), (Some(66.67), Some(50.0)));
        assert_eq!(h["satisfaction"].as_f64(), Some(66.67), "满意, 基本满意, 不满意");
        // Five calls: three answered on the spot, one followed up and closed, one follow-up open.
        assert_eq!((v["calls"]["received"].as_u64(), v["calls"]["closed"].as_u64()), (Some(5), Some(4)));
        assert_eq!(v["year"], 2026);
        // 2025 has nothing; a bad year is a field error.
        let v: Value = t.get("/api/v1/yima-office/interaction/stats?year=2025").await.json().await.unwrap();
        assert_eq!(v["mailbox"]["received"], 0);
        assert!(v["mailbox"]["rate_closed"].is_null());
        let r = t.get("/api/v1/yima-office/interaction/stats?year=20x6").await;
        assert_eq!(r.status(), 400);

        // The console's XLSX has the same numbers (rows: 收到, 办结, 按时办结, 办结率 …; columns 热线, 信箱, 电话).
        let who = t.staff("tongji", "yima-office", Role::CaseHandler).await;
        t.login_as(&who, PASSWORD).await;
        let (status, html) = t.get_text("/console/yima-office/interaction/stats?year=2026").await;
        assert_eq!(status, 200);
        assert!(html.contains("<svg") && html.contains("71.43%"), "{html}");
        let r = t.get("/console/yima-office/interaction/stats.xlsx?year=2026").await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
        for (at, want) in
            [("C2", "7"), ("C3", "5"), ("C4", "4"), ("C5", "71.43"), ("C7", "66.67"), ("D2", "5"), ("D3", "4")]
        {
            assert_eq!(cell(&sheet, at).as_deref(), Some(want), "{at}: {sheet}");
        }

        // The public statistics page of the mailbox.
        let (status, html) = t.get_text("/yima-office/mailbox/stats?year=2026").await;
        assert_eq!(status, 200);
        assert!(html.contains("<td>7件</td>") && html.contains("66.67%"), "{html}");

        // The 2026 report quotes the counted figures (nothing typed for 2026) and R7 has nothing to say.
        let office = t.app.agency_by_code("yima-office").await.unwrap();
        let (report, findings) = t.app.annual_report(&office, 2026).await.unwrap();
        let one = report.sections.one.clone().unwrap_or_default();
        assert!(one.contains("12345热线办理工单6件；“市长信箱”来信7件，接听来电5通"), "{one}");
        assert!(!findings.iter().any(|f| f.rule == Rule::R7), "{findings:?}");
        // The reference year stays as published: typed figures, no records.
        let (r2023, _) = t.app.annual_report(&office, 2023).await.unwrap();
        assert!(!r2023.sections.one.unwrap_or_default().contains("来信7件"));
    })
    .await;
}
