//! `gongkai calendar …` through the real binary.

use gongkai_domain::audit::AuditAction;
use gongkai_store::db_test;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A data directory that exists for one test.
struct DataDir(PathBuf);

impl DataDir {
    fn new() -> DataDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "gongkai-cli-test-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        DataDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `gongkai --data-dir DIR [--database URL] ARGS…` with no configuration from the environment.
fn gongkai(dir: &DataDir, database: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.arg("--data-dir").arg(dir.path());
    if let Some(url) = database {
        cmd.arg("--database").arg(url);
    }
    cmd.args(args)
        .env_remove("GONGKAI_DATA_DIR")
        .env_remove("GONGKAI_DATABASE")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the gongkai binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn due(dir: &DataDir, database: Option<&str>, from: &str, days: &str) -> (String, String) {
    let o = gongkai(dir, database, &["calendar", "due", "--from", from, "--days", days]);
    assert!(o.status.success(), "stdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let (first, rest) = out.split_once('\n').unwrap_or((&out, ""));
    (first.to_owned(), rest.to_owned())
}

#[test]
fn due_dates_of_the_worked_examples() {
    let dir = DataDir::new();
    // docs/law/calendar.md: received Thu 2023-09-28 → 2023-11-01; received Fri 2026-02-13 → 2026-03-19.
    let (date, explanation) = due(&dir, None, "2023-09-28", "20");
    assert_eq!(date, "2023-11-01");
    assert!(explanation.contains("2023年9月29日至10月6日 中秋节、国庆节"), "{explanation}");
    assert!(explanation.contains("调休上班日"), "{explanation}");
    let (date, explanation) = due(&dir, None, "2026-02-13", "20");
    assert_eq!(date, "2026-03-19");
    assert!(explanation.contains("春节"), "{explanation}");
    assert!(!explanation.contains("临时"), "{explanation}");
    assert!(dir.path().join("gongkai.db").exists());
}

#[test]
fn bad_input_fails_in_chinese_without_panicking() {
    let dir = DataDir::new();
    for args in [
        &["calendar", "due", "--from", "2023-02-30", "--days", "20"][..],
        &["calendar", "due", "--from", "2023/09/28", "--days", "20"],
        &["calendar", "due", "--from", "2023-09-28", "--days", "二十"],
        &["calendar", "show", "next"],
        &["calendar", "import", "/nonexistent/gongkai/holidays.json"],
    ] {
        let o = gongkai(&dir, None, args);
        assert!(!o.status.success(), "{args:?} succeeded: {}", stdout(&o));
        let err = stderr(&o);
        assert!(has_chinese(&err), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let o = gongkai(&dir, None, &["calendar", "due", "--from", "2023-02-30", "--days", "20"]);
    assert!(stderr(&o).contains("日期“2023-02-30”无效"), "{}", stderr(&o));

    // A file that is not a holiday notice: refused, nothing stored.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"year": 2027, "days": [{"name": "元旦", "date": "2027-13-01", "isOffDay": true}]}"#)
        .unwrap();
    let o = gongkai(&dir, None, &["calendar", "import", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("日期格式错误"), "{}", stderr(&o));
    let o = gongkai(&dir, None, &["calendar", "show", "2027"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("尚未载入"), "{}", stdout(&o));
}

/// TEST DATA, not the real 2027 notice: holiday-cn layout, 元旦 1–3 January, 春节 6–14 February, 调休 31 January
/// and 20 February (shared with the other crates' calendar tests).
const TEST_2027: &str = include_str!("../../../gongkai-domain/tests/fixtures/holiday-cn-2027.test.json");

db_test! {
    async fn import_show_and_due_on_each_backend(t: TestDb) {
        let dir = DataDir::new();
        let db = Some(t.url.as_str());

        let (date, explanation) = due(&dir, db, "2027-01-29", "20");
        assert_eq!(date, "2027-02-26");
        assert!(explanation.contains("临时（未载入2027年放假安排）"), "{explanation}");

        let file = dir.path().join("2027.json");
        std::fs::write(&file, TEST_2027).unwrap();
        let o = gongkai(&dir, db, &["calendar", "import", file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        // 元旦 3 days + 春节 9 days in the test file.
        assert!(stdout(&o).contains("2027年：新载入，放假日12天，调休上班日2天"), "{}", stdout(&o));

        let (date, explanation) = due(&dir, db, "2027-01-29", "20");
        assert_eq!(date, "2027-03-03");
        assert!(!explanation.contains("临时"), "{explanation}");

        let o = gongkai(&dir, db, &["calendar", "show", "2027"]);
        let out = stdout(&o);
        assert!(o.status.success());
        for want in [
            "2027年节假日安排（已载入）",
            "https://example.test/gongkai-test-data/2027-notice.htm",
            "春节：2027年2月6日至2月14日（9天）",
            "调休上班日（共2天）：2027年1月31日、2月20日",
            "来源：管理员导入",
            "载入人：cli",
        ] {
            assert!(out.contains(want), "missing {want:?} in\n{out}");
        }
        let o = gongkai(&dir, db, &["calendar", "show", "2024"]);
        assert!(stdout(&o).contains("来源：随程序提供"), "{}", stdout(&o));
        assert!(stdout(&o).contains("除夕、春节") || stdout(&o).contains("春节："), "{}", stdout(&o));

        let events = gongkai_store::audit::by_action(&t.db, AuditAction::CalendarImport).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].object_id, "2027");
    }
}
