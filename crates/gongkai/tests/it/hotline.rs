//! `gongkai hotline import|list` as a user runs them (docs/law/public-interaction.md §7, §9.1): a file with bad
//! rows imports nothing and names every row and column (exit 1), the corrected file imports, importing it again
//! changes nothing, and a 投诉 dispatched on 2025-09-26 without a deadline is due on 2025-10-23.

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hotline-orders.csv");

fn list(dir: &std::path::Path, db: Option<&str>) -> Vec<Value> {
    let out = gongkai(dir, db, &["hotline", "list", "--agency", "yima-office", "--year", "2025", "--json"]);
    assert!(out.status.success(), "list: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).expect("JSON on stdout").as_array().unwrap().clone()
}

cli_test! {
    fn a_bad_file_imports_nothing_then_the_corrected_one_imports_once(db) {
        let dir = temp_dir();
        let db = db.as_deref();
        let out = gongkai(&dir, db, &["demo"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));

        let good = std::fs::read_to_string(FIXTURE).unwrap();
        let bad = good
            .replace("2025/09/30 10:00", "2025-09-31 10:00")
            .replace("2025-10-09 08:15,咨询", "2025-10-09 08:15,");
        let bad_path = dir.join("bad.csv");
        std::fs::write(&bad_path, bad).unwrap();
        let out = gongkai(&dir, db, &["hotline", "import", "--agency", "yima-office", bad_path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("有 2 处问题，未导入任何工单"), "{err}");
        assert!(err.contains("第3行“派单时间”列：“2025-09-31 10:00”不是有效的时间"), "{err}");
        assert!(err.contains("第4行“诉求类型”列：不能为空"), "{err}");
        assert!(list(&dir, db).is_empty(), "nothing imported");

        let out = gongkai(&dir, db, &["hotline", "import", "--agency", "yima-office", FIXTURE]);
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("新建 3 件，更新 0 件，未变 0 件"));

        let out = gongkai(&dir, db, &["hotline", "import", "--agency", "yima-office", "--json", FIXTURE]);
        assert!(out.status.success(), "import again: {}", String::from_utf8_lossy(&out.stderr));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((s["created"].as_u64(), s["updated"].as_u64(), s["unchanged"].as_u64()), (Some(0), Some(0), Some(3)));
        let out = gongkai(&dir, db, &["hotline", "import", "--agency", "yima-office", FIXTURE]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("新建 0 件，更新 0 件，未变 3 件"));

        let orders = list(&dir, db);
        assert_eq!(orders.len(), 3);
        let complaint = &orders[0];
        assert_eq!(complaint["order_no"], "12345-2025-0001");
        assert_eq!(complaint["type"], "complaint");
        assert_eq!(complaint["dispatched_at"], "2025-09-26T09:30:00+08:00");
        assert_eq!(complaint["due"], "2025-10-23", "§9.1: 15 working days after the National Day holiday");
        assert_eq!(complaint["status"], "pending");
        assert_eq!(complaint["closed_at"], Value::Null);
        let help = &orders[1];
        assert_eq!((help["type"].as_str(), help["due"].as_str()), (Some("help"), Some("2025-10-14")));
        assert_eq!((help["status"].as_str(), help["on_time"].as_bool()), (Some("closed"), Some(true)));
        assert_eq!(help["closed_at"], "2025-10-10T16:00:00+08:00");
        assert_eq!(orders[2]["due"], "2025-10-15", "办理时限 in the file (5 working days) wins");

        // The demo loader of the binary also imports the office's 2026 orders: the year narrows the list.
        let out = gongkai(&dir, db, &["hotline", "list", "--agency", "yima-office", "--year", "2025"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("2025年12345工单 3 件") && text.contains("截止 2025-10-23"), "{text}");
        let out = gongkai(&dir, db, &["hotline", "list", "--agency", "no-such-agency", "--json"]);
        assert_eq!(out.status.code(), Some(1));
        let _ = std::fs::remove_dir_all(dir);
    }
}
