//! `gongkai monitor check` on the demo data (docs/law/supervision.md §2): 义马市人民政府办公室's last 2023 item is
//! of Thu 2023-12-28 (政府快报, 通知公告, 行政许可); its 工作动态 column's last item is of 2023-12-15.

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::Value;

fn check(dir: &std::path::Path, db: Option<&str>, day: &str) -> (Option<i32>, Value) {
    let out = gongkai(dir, db, &["monitor", "check", "--agency", "yima-office", "--date", day, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("JSON on stdout: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

fn kinds(v: &Value, indicator: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["indicator"] == indicator)
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

cli_test! {
    fn demo_office_goes_stale_six_weeks_after_its_last_item(db) {
        let dir = temp_dir();
        let out = gongkai(&dir, db.as_deref(), &["demo"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));

        // Five days after the last item: the homepage is fresh.
        let (_, v) = check(&dir, db.as_deref(), "2024-01-02");
        assert_eq!(v["agency"], "yima-office");
        assert_eq!(v["date"], "2024-01-02");
        assert!(kinds(&v, "home.stale").is_empty(), "{v:#}");
        // Exactly 14 days: amber; 15 days: veto.
        let (_, v) = check(&dir, db.as_deref(), "2024-01-11");
        assert_eq!(kinds(&v, "home.stale"), ["warn"], "{v:#}");
        let (_, v) = check(&dir, db.as_deref(), "2024-01-12");
        assert_eq!(kinds(&v, "home.stale"), ["veto"], "{v:#}");

        // Six weeks later: 首页不更新 vetoes, 工作动态 is named among the stale columns, the site fails.
        let (code, v) = check(&dir, db.as_deref(), "2024-02-08");
        assert_eq!(kinds(&v, "home.stale"), ["veto"], "{v:#}");
        let stale: Vec<&Value> =
            v["findings"].as_array().unwrap().iter().filter(|f| f["indicator"] == "columns.stale").collect();
        assert!(stale.iter().any(|f| f["message"].as_str().unwrap().contains("工作动态")), "{v:#}");
        assert_eq!(v["verdict"], "不合格");
        assert_eq!(v["verdict_code"], "fail");
        assert_eq!(v["score"], Value::Null);
        assert_eq!(code, Some(1));
        for f in v["findings"].as_array().unwrap() {
            assert!(["veto", "deduct", "warn"].contains(&f["kind"].as_str().unwrap()));
            assert!(f["evidence"].is_array());
        }

        // The readable summary, and exit status 2 for a check that cannot run.
        let out = gongkai(&dir, db.as_deref(), &["monitor", "check", "--agency", "yima-office", "--date", "2024-02-08"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("不合格") && text.contains("首页不更新") && text.contains("工作动态"), "{text}");
        let out = gongkai(&dir, db.as_deref(), &["monitor", "check", "--agency", "yima-office", "--date", "2024-13-01"]);
        assert_eq!(out.status.code(), Some(2));
        let _ = std::fs::remove_dir_all(dir);
    }
}
