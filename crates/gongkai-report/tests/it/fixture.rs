//! The real published report (义马市人民政府办公室, 2023), as text copied from the web page: every cell.

use gongkai_domain::annual_report::{ApplicantColumn, ReportFormat, T3Row, T4Column, T4Group, to_json};
use gongkai_report::audit::audit_bytes;
use gongkai_report::{SourceKind, parse};

use crate::support::FIXTURE;

/// Table 三 of the fixture, transcribed by hand: row key → 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计.
const T3: [(&str, [u32; 7]); 25] = [
    ("一", [1, 0, 0, 0, 0, 0, 1]),
    ("二", [0, 0, 0, 0, 0, 0, 0]),
    ("（一）", [1, 0, 0, 0, 0, 0, 1]),
    ("（二）", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）1", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）2", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）3", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）4", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）5", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）6", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）7", [0, 0, 0, 0, 0, 0, 0]),
    ("（三）8", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）1", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）2", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）3", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）1", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）2", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）3", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）4", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）5", [0, 0, 0, 0, 0, 0, 0]),
    ("（六）1", [0, 0, 0, 0, 0, 0, 0]),
    ("（六）2", [0, 0, 0, 0, 0, 0, 0]),
    ("（六）3", [0, 0, 0, 0, 0, 0, 0]),
    ("（七）", [1, 0, 0, 0, 0, 0, 1]),
    ("四", [0, 0, 0, 0, 0, 0, 0]),
];

/// Table 四: 行政复议, 未经复议直接起诉, 复议后起诉 × 结果维持 结果纠正 其他结果 尚未审结 总计.
const T4: [[u32; 5]; 3] = [[0; 5]; 3];

#[test]
fn fixture_parses_with_every_cell_right() {
    let parsed = parse(FIXTURE.as_bytes(), None).expect("the fixture is a report");
    assert_eq!(parsed.kind, SourceKind::Text);
    assert!(parsed.findings.is_empty(), "parser findings: {:#?}", parsed.findings);
    let r = &parsed.report;
    assert_eq!(r.agency.as_deref(), Some("义马市人民政府办公室"));
    assert_eq!(r.year, Some(2023));
    assert_eq!(r.format, ReportFormat::V2021);

    // 二
    for doc in [&r.t2.rules, &r.t2.normative] {
        assert_eq!((doc.issued, doc.repealed, doc.in_force), (Some(0), Some(0), Some(0)));
    }
    assert_eq!(r.t2.licensing, Some(0));
    assert_eq!(r.t2.penalty, Some(0));
    assert_eq!(r.t2.coercion, Some(0));
    assert_eq!(r.t2.fees, Some(0.0));

    // 三: all 25 × 7
    for (key, values) in T3 {
        let row = T3Row::from_key(key).unwrap();
        for (col, want) in ApplicantColumn::ALL.into_iter().zip(values) {
            assert_eq!(r.t3.get(row, col), Some(want), "t3/{key}/{}", col.key());
        }
    }
    // 四: all 15
    for (g, values) in T4Group::ALL.into_iter().zip(T4) {
        for (c, want) in T4Column::ALL.into_iter().zip(values) {
            assert_eq!(r.t4.get(g, c), Some(want), "t4/{}/{}", g.key(), c.key());
        }
    }

    let one = r.sections.one.as_deref().unwrap();
    assert!(one.starts_with("2023年，义马市人民政府办公室认真贯彻落实"), "{one}");
    assert!(one.contains("收到并办理政府信息公开申请1件"));
    assert!(one.ends_with("保障政府网站和政务新媒体健康运营。"));
    assert!(!one.contains("二、主动公开"));
    let five = r.sections.five.as_deref().unwrap();
    assert!(five.starts_with("2023年，我办政府信息公开工作虽然取得较好成效"));
    assert!(five.ends_with("安全保障等各项工作。"));
    assert_eq!(r.sections.six.as_deref(), Some("收取信息处理费的情况：本年度无发出收费通知，无收取信息处理费用。"));
}

#[test]
fn fixture_passes_every_check_and_prints_as_v1_json() {
    let audited = audit_bytes(FIXTURE.as_bytes(), None).unwrap();
    assert!(audited.findings.is_empty(), "{:#?}", audited.findings);
    let json = to_json(&audited.report, &audited.findings);
    assert_eq!(json["schema"], "gongkai.annual-report/v1");
    assert_eq!(json["agency"], "义马市人民政府办公室");
    assert_eq!(json["year"], 2023);
    assert_eq!(json["format"], "2021");
    assert_eq!(json["tables"]["t3"]["一"]["自然人"], 1);
    assert_eq!(json["tables"]["t3"]["（七）"]["总计"], 1);
    assert_eq!(json["tables"]["t2"]["规章"]["现行有效件数"], 0);
    assert_eq!(json["tables"]["t2"]["行政事业性收费"], 0);
    assert!(json["tables"]["t2"]["行政事业性收费"].is_u64());
    assert_eq!(json["tables"]["t4"]["复议后起诉"]["尚未审结"], 0);
    assert_eq!(json["findings"], serde_json::json!([]));
}
