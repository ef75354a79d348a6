//! Renderers: each export of the fixture's model is read back by the auditor's own parser (a real round trip),
//! and its merged cells, headings and numbers are where the official format puts them.

use std::io::Read as _;

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, T3Row, check};
use gongkai_report::render::{self, Format, layout::HEADINGS};
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

/// The text of every `<c>` of a sheet by reference (`D5`), shared strings resolved.
fn cells(xlsx: &[u8], sheet: usize) -> std::collections::HashMap<String, (String, bool)> {
    let strings: Vec<String> = {
        let xml = unzip(xlsx, "xl/sharedStrings.xml");
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut out, mut in_t) = (Vec::new(), false);
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
                Event::Start(e) if e.local_name().as_ref() == "t" => in_t = true,
                Event::End(e) if e.local_name().as_ref() == "t" => in_t = false,
                Event::Text(t) if in_t => out.last_mut().unwrap().push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_t => {
                    out.last_mut().unwrap().push_str(quick_xml::escape::resolve_xml_entity(&r).unwrap_or("?"))
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    };
    let xml = unzip(xlsx, &format!("xl/worksheets/sheet{sheet}.xml"));
    well_formed(&xml);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = std::collections::HashMap::new();
    let (mut cell, mut shared, mut in_v) = (String::new(), false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let attr =
                    |k: &str| e.attributes().flatten().find(|a| a.key.as_ref() == k).map(|a| a.value.to_string());
                cell = attr("r").unwrap();
                shared = attr("t").as_deref() == Some("s");
            }
            Event::Start(e) if e.local_name().as_ref() == "v" => in_v = true,
            Event::End(e) if e.local_name().as_ref() == "v" => in_v = false,
            Event::Text(t) if in_v => {
                let v = t.xml10_content().to_string();
                let v = if shared { strings[v.parse::<usize>().unwrap()].clone() } else { v };
                out.insert(cell.clone(), (v, !shared));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn xlsx_has_a_sheet_per_table_with_merges_and_numbers_as_numbers() {
    let r = fixture_report();
    let bytes = render::xlsx(&r).unwrap();
    let workbook = unzip(&bytes, "xl/workbook.xml");
    for name in ["表二", "表三", "表四"] {
        assert!(workbook.contains(&format!("name=\"{name}\"")), "{name}");
    }
    // 表三: heading in row 1, header rows 2–4, row 一 in row 5; 自然人 is column D
    let t3 = cells(&bytes, 2);
    assert_eq!(t3["A1"].0, "三、收到和处理政府信息公开申请情况");
    assert_eq!(t3["A2"].0, render::layout::T3_CORNER);
    assert_eq!(t3["D2"].0, "申请人情况");
    assert_eq!(t3["D3"].0, "自然人");
    assert_eq!(t3["E3"].0, "法人或其他组织");
    assert_eq!(t3["E4"].0, "商业企业");
    assert_eq!(t3["A5"].0, "一、本年新收政府信息公开申请数量");
    assert_eq!(t3["D5"], ("1".to_string(), true), "表三 一 自然人 = 1, as a number");
    assert_eq!(t3["J5"], ("1".to_string(), true), "表三 一 总计");
    assert_eq!(t3["A7"].0, "三、本年度办理结果");
    assert_eq!(t3["B9"].0, "（三）不予公开");
    assert_eq!(t3["C9"].0, "1.属于国家秘密");
    assert_eq!(t3["A29"].0, "四、结转下年度继续办理");
    assert_eq!(t3["D29"], ("0".to_string(), true));
    let sheet3 = unzip(&bytes, "xl/worksheets/sheet2.xml");
    for merge in ["A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A7:A28", "B9:B16", "B17:B19", "B20:B24", "B25:B27"] {
        assert!(sheet3.contains(&format!("<mergeCell ref=\"{merge}\"/>")), "{merge}");
    }
    let t4 = cells(&bytes, 3);
    assert_eq!(t4["A2"].0, "行政复议");
    assert_eq!(t4["F2"].0, "行政诉讼");
    assert_eq!(t4["F3"].0, "未经复议直接起诉");
    assert_eq!(t4["K3"].0, "复议后起诉");
    assert_eq!(t4["O5"], ("0".to_string(), true));
    let sheet4 = unzip(&bytes, "xl/worksheets/sheet3.xml");
    for merge in ["A2:E2", "F2:O2", "A3:A4", "F3:J3", "K3:O3"] {
        assert!(sheet4.contains(&format!("<mergeCell ref=\"{merge}\"/>")), "{merge}");
    }
    let t2 = cells(&bytes, 1);
    assert_eq!(t2["A2"].0, "第二十条第（一）项");
    assert_eq!(t2["A4"].0, "规章");
    assert_eq!(t2["B4"], ("0".to_string(), true));
    let rich = render::xlsx(&rich_report()).unwrap();
    let t2 = cells(&rich, 1);
    assert_eq!(t2["A15"].0, "行政事业性收费");
    assert_eq!(t2["B15"], ("12.35".to_string(), true));
}

#[test]
fn format_dispatcher_renders_every_format() {
    let r = fixture_report();
    let findings = check(&r);
    for format in Format::ALL {
        let bytes = render::render(&r, &findings, format).unwrap();
        assert!(!bytes.is_empty(), "{format:?}");
        assert_eq!(Format::from_extension(format.extension()), Some(format));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&render::render(&r, &findings, Format::Json).unwrap()).unwrap();
    assert_eq!(json["schema"], "gongkai.annual-report/v1");
    assert_eq!(json["tables"]["t3"]["一"]["自然人"], 1);
    let (back, _) = gongkai_domain::annual_report::from_json(&json).unwrap();
    assert_eq!(back.t3, r.t3);
}

#[test]
#[ignore = "writes the exports to $GONGKAI_EXPORT_DIR for a human to look at"]
fn write_exports_for_review() {
    let dir = std::path::PathBuf::from(std::env::var("GONGKAI_EXPORT_DIR").unwrap_or_else(|_| "/tmp".into()));
    let r = fixture_report();
    for format in Format::ALL {
        let bytes = render::render(&r, &check(&r), format).unwrap();
        std::fs::write(dir.join(format!("report.{}", format.extension())), bytes).unwrap();
    }
}
