//! `gongkai report generate` on the demo data reproduces the reference report
//! (`crates/gongkai-report/tests/fixtures/yima-2023-annual-report.txt`, 义马市人民政府办公室 2023) cell by cell.
//! Rules: docs/law/annual-report.md.

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::Value;

/// Table 三 of the reference, transcribed by hand from the fixture: every row is 0 in every column except
/// 一、本年新收 / （一）予以公开 / （七）总计, which hold the one natural-person application (自然人 1, 总计 1).
const T3_ROWS: [&str; 25] = [
    "一",
    "二",
    "（一）",
    "（二）",
    "（三）1",
    "（三）2",
    "（三）3",
    "（三）4",
    "（三）5",
    "（三）6",
    "（三）7",
    "（三）8",
    "（四）1",
    "（四）2",
    "（四）3",
    "（五）1",
    "（五）2",
    "（五）3",
    "（五）4",
    "（五）5",
    "（六）1",
    "（六）2",
    "（六）3",
    "（七）",
    "四",
];
const T3_COLUMNS: [&str; 7] = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

fn expected_t3(row: &str, col: &str) -> u64 {
    match (row, col) {
        ("一" | "（一）" | "（七）", "自然人" | "总计") => 1,
        _ => 0,
    }
}

cli_test! {
    fn demo_report_json_equals_the_reference_cell_by_cell(db) {
        let dir = temp_dir();
        let out = gongkai(&dir, db.as_deref(), &["demo"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
        let out = gongkai(
            &dir,
            db.as_deref(),
            &["report", "generate", "--agency", "yima-office", "--year", "2023", "--format", "json"],
        );
        assert!(out.status.success(), "generate: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        assert_eq!(v["schema"], "gongkai.annual-report/v1");
        assert_eq!(v["agency"], "义马市人民政府办公室");
        assert_eq!(v["year"], 2023);
        let t = &v["tables"];
        // 表二: every cell 0 in the reference.
        for doc in ["规章", "行政规范性文件"] {
            for col in ["本年制发件数", "本年废止件数", "现行有效件数"] {
                assert_eq!(t["t2"][doc][col], 0, "t2/{doc}/{col}");
            }
        }
        for row in ["行政许可", "行政处罚", "行政强制", "行政事业性收费"] {
            assert_eq!(t["t2"][row].as_f64(), Some(0.0), "t2/{row}");
        }
        // 表三: 25 rows × 7 columns.
        for row in T3_ROWS {
            for col in T3_COLUMNS {
                assert_eq!(t["t3"][row][col].as_u64(), Some(expected_t3(row, col)), "t3/{row}/{col}");
            }
        }
        // 表四: 15 cells, all 0.
        for g in ["行政复议", "未经复议直接起诉", "复议后起诉"] {
            for c in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
                assert_eq!(t["t4"][g][c], 0, "t4/{g}/{c}");
            }
        }
        // The narrative quotes the entered figures as the reference does; the checker finds nothing.
        let one = v["sections"]["一"].as_str().unwrap();
        for phrase in [
            "共计227条",
            "12345热线办理工单3100件",
            "“市长信箱”76件",
            "接访电话130余通",
            "收到并办理政府信息公开申请1件",
        ] {
            assert!(one.contains(phrase), "section 一 lacks {phrase}: {one}");
        }
        assert_eq!(v["sections"]["六"], "收取信息处理费的情况：本年度无发出收费通知，无收取信息处理费用。");
        assert_eq!(v["findings"], Value::Array(vec![]), "no findings");

        // The binary formats go to a file.
        for (format, magic) in [("pdf", &b"%PDF"[..]), ("docx", &b"PK"[..]), ("xlsx", &b"PK"[..])] {
            let path = dir.join(format!("r.{format}"));
            let p = path.to_str().unwrap();
            let out = gongkai(
                &dir,
                db.as_deref(),
                &["report", "generate", "--agency", "yima-office", "--year", "2023", "--format", format, "--out", p],
            );
            assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(std::fs::read(&path).unwrap().starts_with(magic), "{format} file");
        }
        // PDF text extraction shows the section headings and the table labels.
        let text = std::process::Command::new("pdftotext").arg(dir.join("r.pdf")).arg("-").output().unwrap();
        let text: String = String::from_utf8_lossy(&text.stdout).chars().filter(|c| !c.is_whitespace()).collect();
        for label in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
            "第二十条第（一）项",
            "行政规范性文件",
            "本年新收政府信息公开申请数量",
            "结转下年度继续办理",
            "复议后起诉",
        ] {
            assert!(text.contains(label), "PDF text lacks {label}");
        }
        // The exports read back through the auditor find nothing to report (exit status 0).
        let html = dir.join("r.html");
        let out = gongkai(
            &dir,
            db.as_deref(),
            &["report", "generate", "--agency", "yima-office", "--year", "2023", "--format", "html", "--out"]
                .into_iter()
                .chain([html.to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        assert!(out.status.success());
        for ext in ["html", "docx", "pdf"] {
            let file = dir.join(format!("r.{ext}"));
            let out = gongkai(&dir, None, &["audit", file.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(0), "audit {ext}: {}", String::from_utf8_lossy(&out.stdout));
        }
        let out = gongkai(
            &dir,
            db.as_deref(),
            &["report", "generate", "--agency", "yima-office", "--year", "2023", "--format", "odt"],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("未知的格式"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn figures_import_from_csv() {
    let dir = temp_dir();
    assert!(gongkai(&dir, None, &["demo"]).status.success());
    let csv = dir.join("figures.csv");
    std::fs::write(&csv, "项目,数值\nlicensing,12\n行政事业性收费,\"3.5\"\n").unwrap();
    let out =
        gongkai(&dir, None, &["report", "figures", "--agency", "yima-edu", "--year", "2024", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        gongkai(&dir, None, &["report", "generate", "--agency", "yima-edu", "--year", "2024", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tables"]["t2"]["行政许可"], 12);
    assert_eq!(v["tables"]["t2"]["行政事业性收费"].as_f64(), Some(3.5));
    // Not entered: blank (null), never 0.
    assert_eq!(v["tables"]["t2"]["行政处罚"], Value::Null);
    // A year out of range is refused with a message, not computed (nor a panic for i32::MIN − 1).
    for year in ["1900", "-2147483648"] {
        let out = gongkai(
            &dir,
            None,
            &["report", "generate", "--agency", "yima-edu", &format!("--year={year}"), "--format", "json"],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("年度“{year}”不在有效范围内")), "{year}: {err}");
    }
    std::fs::write(&csv, "licensing,-1\n").unwrap();
    let out =
        gongkai(&dir, None, &["report", "figures", "--agency", "yima-edu", "--year", "2024", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不小于0的整数"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_report_deadline_later_than_the_law_is_a_configuration_error() {
    let dir = temp_dir();
    std::fs::write(dir.join("gongkai.toml"), "[reports]\ndepartment_deadline = \"02-15\"\n").unwrap();
    let out = gongkai(&dir, None, &["demo"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("配置项 reports 有误") && err.contains("02-15"), "{err}");
    std::fs::write(dir.join("gongkai.toml"), "[reports]\ndepartment_deadline = \"01-10\"\n").unwrap();
    assert!(gongkai(&dir, None, &["demo"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
