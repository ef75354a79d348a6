//! Renderers: each export of the fixture's model is read back by the auditor's own parser (a real round trip),
//! and its merged cells, headings and numbers are where the official format puts them.

use std::io::Read as _;

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, T3Row, check};
use gongkai_report::render::{self, layout::HEADINGS};
use gongkai_report::{SourceKind, parse};
use quick_xml::events::Event;

use crate::support::{fixture_report, rich_report};

/// Every label of the three tables, verbatim.
fn table_labels() -> Vec<&'static str> {
    let mut labels = vec![
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额（单位：万元）",
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        render::layout::T3_CORNER,
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "总计",
        "三、本年度办理结果",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
    ];
    labels.extend(T3Row::ALL.iter().map(|r| r.label()));
    labels
}

fn assert_same_report(got: &AnnualReport, want: &AnnualReport) {
    assert_eq!(got.agency, want.agency);
    assert_eq!(got.year, want.year);
    assert_eq!(got.t2, want.t2);
    assert_eq!(got.t3, want.t3);
    assert_eq!(got.t4, want.t4);
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the package")).read_to_string(&mut s).unwrap();
    s
}

fn well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}"),
        }
    }
}

#[test]
fn html_round_trips_through_the_auditor() {
    for want in [fixture_report(), rich_report()] {
        let html = render::html(&want);
        let parsed = parse(html.as_bytes(), Some(SourceKind::Html)).unwrap();
        assert_same_report(&parsed.report, &want);
        assert_eq!(parsed.report.sections, want.sections);
        assert!(parsed.findings.is_empty(), "{:#?}", parsed.findings);
        assert!(check(&parsed.report).iter().all(|f| !f.is_error()), "{:#?}", check(&parsed.report));
    }
}

#[test]
fn html_has_title_headings_in_order_and_the_official_merges() {
    let r = fixture_report();
    let html = render::html(&r);
    assert!(html.contains("<title>义马市人民政府办公室2023年政府信息公开工作年度报告</title>"));
    assert!(html.contains("<h1>义马市人民政府办公室2023年政府信息公开工作年度报告</h1>"));
    let mut at = 0;
    for h in HEADINGS {
        let pos = html[at..].find(&format!("<h2>{h}</h2>")).unwrap_or_else(|| panic!("{h} after byte {at}"));
        at += pos;
    }
    for label in table_labels() {
        assert!(html.contains(&render::html_escape(label)), "{label}");
    }
    // table 三
    assert!(
        html.contains(&format!(
            "<th colspan=\"3\" rowspan=\"3\" scope=\"colgroup\">{}</th>",
            render::layout::T3_CORNER
        ))
    );
    assert!(html.contains("<th colspan=\"7\" scope=\"colgroup\">申请人情况</th>"));
    assert!(html.contains("<th rowspan=\"2\" scope=\"col\">自然人</th>"));
    assert!(html.contains("<th colspan=\"5\" scope=\"colgroup\">法人或其他组织</th>"));
    assert!(html.contains("<th rowspan=\"2\" scope=\"col\">总计</th>"));
    assert!(html.contains("<td rowspan=\"22\" class=\"label\">三、本年度办理结果</td>"));
    for (group, n) in [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
    {
        assert!(html.contains(&format!("<td rowspan=\"{n}\" class=\"label\">{group}</td>")), "{group}");
    }
    assert!(html.contains("<td colspan=\"3\" class=\"label\">一、本年新收政府信息公开申请数量</td><td>1</td>"));
    // table 四
    assert!(html.contains(
        "<th colspan=\"5\" scope=\"colgroup\">行政复议</th><th colspan=\"10\" scope=\"colgroup\">行政诉讼</th>"
    ));
    assert!(html.contains(
        "<th colspan=\"5\" scope=\"colgroup\">未经复议直接起诉</th><th colspan=\"5\" scope=\"colgroup\">复议后起诉</th>"
    ));
    // table 二: each part headed by its article across the four columns
    for art in ["（一）", "（五）", "（六）", "（八）"] {
        assert!(html.contains(&format!("<th colspan=\"4\" scope=\"colgroup\">第二十条第{art}项</th>")), "{art}");
    }
}

#[test]
fn html_escapes_text_and_leaves_blank_cells_empty() {
    let mut r = fixture_report();
    r.agency = Some("<script>alert(1)</script>&局".into());
    r.sections.five = Some("问题 <b>\"引号\"</b> & 'x'".into());
    r.t3.set(T3Row::New, ApplicantColumn::Business, None);
    r.t2.fees = None;
    let html = render::html(&r);
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;局2023年"));
    assert!(html.contains("<p>问题 &lt;b&gt;&quot;引号&quot;&lt;/b&gt; &amp; &#39;x&#39;</p>"));
    assert!(html.contains("一、本年新收政府信息公开申请数量</td><td>1</td><td></td><td>0</td>"));
    assert!(html.contains("<td class=\"label\">行政事业性收费</td><td colspan=\"3\"></td>"));
    let parsed = parse(html.as_bytes(), Some(SourceKind::Html)).unwrap();
    assert_eq!(parsed.report.t3.get(T3Row::New, ApplicantColumn::Business), None);
    assert_eq!(parsed.report.t2.fees, None);
}

#[test]
fn docx_is_valid_ooxml_and_the_auditor_reads_the_same_tables() {
    for want in [fixture_report(), rich_report()] {
        let bytes = render::docx(&want).unwrap();
        let document = unzip(&bytes, "word/document.xml");
        well_formed(&document);
        for part in ["[Content_Types].xml", "word/styles.xml", "_rels/.rels", "word/_rels/document.xml.rels"] {
            well_formed(&unzip(&bytes, part));
        }
        assert_eq!(document.matches("<w:tbl>").count(), 3);
        assert!(document.contains("w:w=\"11906\"") && document.contains("w:h=\"16838\""), "A4");
        assert!(document.contains("仿宋_GB2312") && document.contains("黑体"));
        for label in table_labels().into_iter().chain(HEADINGS) {
            assert!(document.contains(&render::html_escape(label).replace("&#39;", "&apos;")), "{label}");
        }
        assert!(document.contains("<w:gridSpan w:val=\"7\" />") || document.contains("<w:gridSpan w:val=\"7\"/>"));
        assert!(
            document.contains("<w:vMerge w:val=\"restart\" />") || document.contains("<w:vMerge w:val=\"restart\"/>")
        );
        let parsed = parse(&bytes, Some(SourceKind::Docx)).unwrap();
        assert_same_report(&parsed.report, &want);
        assert!(parsed.findings.is_empty(), "{:#?}", parsed.findings);
    }
}
