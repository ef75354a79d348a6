//! `gongkai workplan import` and `list`: a 分工方案 imports with its due dates, a bad file imports nothing and
//! names its rows (docs/law/supervision.md §4).

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::{Value, json};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/workplan-2025.csv");

fn list(dir: &std::path::Path, db: Option<&str>) -> Value {
    let out = gongkai(dir, db, &["workplan", "list", "--agency", "yima-office", "--year", "2025", "--json"]);
    assert!(out.status.success(), "list: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

cli_test! {
    fn a_workplan_imports_with_its_due_dates_and_a_bad_file_imports_nothing(db) {
        let dir = temp_dir();
        let db = db.as_deref();
        let out = gongkai(&dir, db, &["demo"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));

        // A bad file first: one row without a lead unit, one with a due phrase that is not a date.
        let bad = std::fs::read_to_string(PLAN).unwrap().replace(",市财政局,", ",,").replace("年底前", "尽快完成");
        let bad_path = dir.join("bad.csv");
        std::fs::write(&bad_path, bad).unwrap();
        let args = ["workplan", "import", "--agency", "yima-office", "--year", "2025"];
        let out = gongkai(&dir, db, &[&args[..], &[bad_path.to_str().unwrap()]].concat());
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("有 2 处问题，未导入任何任务"), "{err}");
        assert!(err.contains("第2行“牵头单位”：不能为空"), "{err}");
        assert!(err.contains("第4行“时限要求”：无法识别“尽快完成”"), "{err}");
        assert_eq!(list(&dir, db), json!([]), "nothing imported");

        let out = gongkai(&dir, db, &[&args[..], &["--doc-no", "义政办〔2025〕8号", PLAN]].concat());
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("任务 5 项（有完成时限 3 项，持续推进 2 项）"), "{said}");

        let tasks = list(&dir, db);
        let due: Vec<(&str, Value)> =
            tasks.as_array().unwrap().iter().map(|t| (t["no"].as_str().unwrap(), t["due"].clone())).collect();
        assert_eq!(
            due,
            [
                ("1", json!("2025-09-30")),
                ("2", json!("2025-06-30")),
                ("3", json!("2025-12-31")),
                ("4", Value::Null),
                ("5", Value::Null),
            ]
        );
        assert_eq!(tasks[0]["task"], "公开财政预决算");
        assert_eq!(tasks[0]["lead"], "市财政局");
        // Today is after 2025: the dated tasks without progress are overdue.
        assert_eq!(tasks[0]["status"], "逾期");
        assert_eq!(tasks[3]["status"], "持续推进");
        let _ = std::fs::remove_dir_all(dir);
    }
}

cli_test! {
    fn a_workplan_imports_from_xlsx_and_reminders_run(db) {
        let dir = temp_dir();
        let db = db.as_deref();
        let out = gongkai(&dir, db, &["demo"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
        // The CSV fixture as the first sheet of a workbook.
        let rows = gongkai_report::sheet::read_csv(&std::fs::read(PLAN).unwrap()).unwrap();
        let headers: Vec<&str> = rows[0].iter().map(String::as_str).collect();
        let xlsx = gongkai_report::xlsx::table_workbook("分工方案", &headers, &rows[1..]).unwrap();
        let path = dir.join("plan.xlsx");
        std::fs::write(&path, xlsx).unwrap();
        let args = ["workplan", "import", "--agency", "yima-office", "--year", "2025", "--parent", "三门峡市2025年政务公开工作要点"];
        let out = gongkai(&dir, db, &[&args[..], &["--issued", "2025-03-01", path.to_str().unwrap()]].concat());
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("任务 5 项（有完成时限 3 项，持续推进 2 项）"), "{said}");
        // 市财政局, 各部门 … are not agencies of the demo.
        assert!(said.contains("未匹配到平台机构的单位：") && said.contains("市财政局"), "{said}");
        let due: Vec<Value> = list(&dir, db).as_array().unwrap().iter().map(|t| t["due"].clone()).collect();
        assert_eq!(due, [json!("2025-09-30"), json!("2025-06-30"), json!("2025-12-31"), Value::Null, Value::Null]);
        let bad = gongkai(&dir, db, &[&args[..], &["--issued", "3月1日", path.to_str().unwrap()]].concat());
        assert!(!bad.status.success(), "a bad issue day is refused");

        let out = gongkai(&dir, db, &["workplan", "remind"]);
        assert!(out.status.success(), "remind: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("已生成到期提醒"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
