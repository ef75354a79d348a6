//! PDF-shaped text, the PDF and DOCX paths, the 2019 trial format, and files that are not reports.

use gongkai_domain::annual_report::{ApplicantColumn, ReportFormat, Rule, T3Row, check};
use gongkai_report::audit::audit_bytes;
use gongkai_report::{MAX_INPUT, ParseError, SourceKind, parse};

use crate::support::{Style, docx, layout, pdf_text, rich_report, tiny_pdf};

#[test]
fn pdf_shaped_text_with_spaced_and_wrapped_labels_reads_back_exactly() {
    let want = rich_report();
    let text = pdf_text(&layout(&want, &Style::default()));
    assert!(
        text.contains("三 、本 年 度办 理 结果") || text.contains("三、本 年度 办理 结果") || text.contains(" 、"),
        "{text}"
    );
    assert!(text.contains("- 3 -"));
    let a = audit_bytes(text.as_bytes(), Some(SourceKind::Text)).unwrap();
    assert_eq!(a.report.t2, want.t2);
    assert_eq!(a.report.t3, want.t3);
    assert_eq!(a.report.t4, want.t4);
    assert_eq!(a.report.agency, want.agency);
    assert_eq!(a.report.year, want.year);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn pdf_shaped_text_exact_pdftotext_lines() {
    // As pdftotext prints the fixture's table 三 (abridged to what matters): the title wrapped, numbers in
    // columns on the label's line, labels broken by spaces, a label wrapped after its numbers.
    let mut text = String::from(
        "义马市人民政府办公室 2023 年政府信息公开工作年\n度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n\
         第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n规范性文件 0 0 0\n\
         三 、收 到和处理政府 信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\
         申请人情况\n自然人 法人或其他组织 总计\n商业 企业 科研 机构 社会公益组织 法律服务机构 其他\n\
         一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n\
         三 、本 年 度办 理 结果 （一）予以公开 1 0 0 0 0 0 1\n\
         （二）部分公开（区分处理的，只计这一 0 0 0 0 0 0 0\n情形，不计其他情形）\n",
    );
    let leaves = [
        "（三）不予公开 1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4 . 保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理 1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机",
        "3.其他",
    ];
    for (i, l) in leaves.iter().enumerate() {
        text.push_str(&format!("{l} 0 0 0 0 0 0 0\n"));
        if l.ends_with("行政机") {
            text.push_str("关不再处理其政府信息公开申请\n");
        }
        if i == 9 {
            text.push_str("— 3 —\n");
        }
    }
    text.push_str("（七）总计 1 0 0 0 0 0 1\n四、结转下年度继续办理 0 0 0 0 0 0 0\n");
    text.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n");
    text.push_str("结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n");
    text.push_str("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n不足。\n六、其他需要报告的事项\n未收取信息处理费。\n");
    let p = parse(text.as_bytes(), Some(SourceKind::Text)).unwrap();
    let r = &p.report;
    assert_eq!(r.agency.as_deref(), Some("义马市人民政府办公室"));
    assert_eq!(r.year, Some(2023));
    for row in T3Row::ALL {
        let want =
            if matches!(row, T3Row::New | T3Row::Disclosed | T3Row::Total) { [1, 0, 0, 0, 0, 0, 1] } else { [0; 7] };
        assert_eq!(r.t3.row(row), &want.map(Some), "{}", row.key());
    }
    assert_eq!(r.t4, gongkai_domain::annual_report::Table4::zeros());
    // 第二十条第（五）…（八）项 are missing from this text: unread, not zero
    let unread: Vec<&str> = p.findings.iter().filter(|f| f.rule == Rule::Unread).map(|f| f.location.as_str()).collect();
    assert_eq!(unread, ["t2/行政许可", "t2/行政处罚", "t2/行政强制", "t2/行政事业性收费"]);
    assert_eq!(r.t2.licensing, None);
}

#[test]
fn pdf_text_without_blank_cells_cannot_place_values_so_the_row_is_unread() {
    let mut want = rich_report();
    want.t3.set(T3Row::Publication, ApplicantColumn::LegalService, None);
    let text = pdf_text(&layout(&want, &Style::default()));
    let p = parse(text.as_bytes(), Some(SourceKind::Text)).unwrap();
    assert_eq!(p.report.t3.row(T3Row::Publication), &[None; 7], "no guessing which column was blank");
    let unread: Vec<&str> = p.findings.iter().map(|f| f.location.as_str()).collect();
    assert_eq!(unread, ["t3/（五）3"], "{:#?}", p.findings);
    // every other row is still right
    for row in T3Row::ALL.into_iter().filter(|&r| r != T3Row::Publication) {
        assert_eq!(p.report.t3.row(row), want.t3.row(row), "{}", row.key());
    }
}

#[test]
fn the_pdf_path_extracts_text_and_refuses_what_is_not_a_report() {
    let pdf = tiny_pdf("Hello world");
    assert_eq!(SourceKind::sniff(&pdf), SourceKind::Pdf);
    assert_eq!(parse(&pdf, None), Err(ParseError::NotAReport));
    let broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage".to_vec();
    assert!(matches!(parse(&broken, None), Err(ParseError::Pdf(_))), "{:?}", parse(&broken, None));
}

#[test]
fn docx_with_grid_spans_and_vertical_merges_reads_back_exactly() {
    let want = rich_report();
    let bytes = docx(&layout(&want, &Style::default()));
    assert_eq!(SourceKind::sniff(&bytes), SourceKind::Docx);
    let a = audit_bytes(&bytes, None).unwrap();
    assert_eq!(a.kind, Some(SourceKind::Docx));
    assert_eq!(a.report.t2, want.t2);
    assert_eq!(a.report.t3, want.t3);
    assert_eq!(a.report.t4, want.t4);
    assert_eq!(a.report.agency, want.agency);
    assert_eq!(a.report.sections, want.sections);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);

    let mut broken = bytes.clone();
    broken.truncate(bytes.len() / 2);
    assert!(matches!(parse(&broken, None), Err(ParseError::Docx(_))));
}

/// A report in the 2019 trial format (国办公开办函〔2019〕60号), as a web page: table 二 has 本年新制作数量 …,
/// 第二十条第（九）项 政府集中采购, and （六）其他处理 has no sub-rows.
const REPORT_2019: &str = r#"<html><body>
<h1>某市生态环境局2019年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>2019年，我局收到政府信息公开申请12件，予以公开8件。</p>
<p>二、主动公开政府信息情况</p>
<table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>规范性文件</td><td>3</td><td>3</td><td>27</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td>15</td><td>2</td><td>311</td></tr>
<tr><td>其他对外管理服务事项</td><td>4</td><td>0</td><td>20</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政处罚</td><td>22</td><td>1</td><td>57</td></tr>
<tr><td>行政强制</td><td>3</td><td>0</td><td>6</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td></tr>
<tr><td>行政事业性收费</td><td>1</td><td colspan="2">0</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td>6</td><td colspan="2">184.5</td></tr>
</table>
<p>三、收到和处理政府信息公开申请情况</p>
<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>10</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>12</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>7</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
<tr><td colspan="2">（六）其他处理</td><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
<tr><td colspan="2">（七）总计</td><td>10</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>12</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<p>五、存在的主要问题及改进情况</p><p>人员不足。</p>
<p>六、其他需要报告的事项</p><p>无。</p>
</body></html>"#;

#[test]
fn the_2019_trial_format_is_recognised_not_misread() {
    let p = parse(REPORT_2019.as_bytes(), None).unwrap();
    assert_eq!(p.report.format, ReportFormat::V2019);
    assert_eq!(p.report.agency.as_deref(), Some("某市生态环境局"));
    assert_eq!(p.report.year, Some(2019));
    assert_eq!(p.findings.len(), 1, "{:#?}", p.findings);
    assert_eq!(p.findings[0].rule, Rule::Format);
    assert!(p.findings[0].is_error());
    assert!(p.findings[0].message.contains("2019"));
    // no number of the 2019 tables is put into the 2021 model
    assert_eq!(p.report.t2, Default::default());
    assert_eq!(p.report.t3, Default::default());
    assert_eq!(p.report.t4, Default::default());
    assert!(check(&p.report).is_empty());
    let json = gongkai_domain::annual_report::to_json(&p.report, &p.findings);
    assert_eq!(json["format"], "2019");
    assert_eq!(json["findings"][0]["rule"], "format");
}

#[test]
fn files_that_cannot_be_read_say_why() {
    assert_eq!(parse(b"", None), Err(ParseError::Empty));
    assert_eq!(parse(b"hello world, nothing to see", None), Err(ParseError::NotAReport));
    assert_eq!(parse(b"<html><body><p>404 Not Found</p></body></html>", None), Err(ParseError::NotAReport));
    // GBK-encoded 政府信息公开 is not UTF-8
    let gbk = b"\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa";
    assert_eq!(parse(gbk, Some(SourceKind::Text)), Err(ParseError::Encoding));
    assert!(ParseError::Encoding.to_string().contains("GBK"));
    let big = vec![b'a'; MAX_INPUT + 1];
    assert!(matches!(parse(&big, None), Err(ParseError::TooLarge { .. })));
    assert!(matches!(parse(b"PK\x03\x04not a zip", None), Err(ParseError::Docx(_))));
}

#[test]
fn sniffing() {
    assert_eq!(SourceKind::sniff(b"%PDF-1.4 ..."), SourceKind::Pdf);
    assert_eq!(SourceKind::sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>"), SourceKind::Html);
    assert_eq!(SourceKind::sniff("标题\n<table><tr><td>1</td></tr></table>".as_bytes()), SourceKind::Html);
    assert_eq!(SourceKind::sniff("义马市人民政府办公室\n\t规章\n\t0".as_bytes()), SourceKind::Text);
    // UTF-16 (Windows "Unicode" text) is decoded
    let utf16: Vec<u8> =
        std::iter::once(0xfeffu16).chain(crate::support::FIXTURE.encode_utf16()).flat_map(u16::to_le_bytes).collect();
    let p = parse(&utf16, Some(SourceKind::Text)).unwrap();
    assert_eq!(p.report.t3.get(T3Row::New, ApplicantColumn::Total), Some(1));
}
