//! Test support: the fixture, and renderers that lay a report out as the official tables in several
//! published forms (HTML with rowspan/colspan, DOCX, browser-copied text, pdftotext-like text).
#![allow(dead_code)]

use std::io::Write as _;

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, T2Doc, T3Row, T4Column, T4Group};

pub const FIXTURE: &str = include_str!("../fixtures/yima-2023-annual-report.txt");

/// One cell of a laid-out table.
#[derive(Debug, Clone)]
pub struct TCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

fn c(text: impl Into<String>) -> TCell {
    TCell { text: text.into(), colspan: 1, rowspan: 1 }
}

fn cs(text: impl Into<String>, colspan: usize) -> TCell {
    TCell { text: text.into(), colspan, rowspan: 1 }
}

fn rs(text: impl Into<String>, rowspan: usize) -> TCell {
    TCell { text: text.into(), colspan: 1, rowspan }
}

#[derive(Debug, Clone)]
pub enum Part {
    Title(String),
    Para(String),
    Table(Vec<Vec<TCell>>),
}

/// How labels and numbers are written.
#[derive(Clone, Copy)]
pub struct Style {
    pub label: fn(&str) -> String,
    pub number: fn(u32) -> String,
}

impl Default for Style {
    fn default() -> Self {
        Self { label: |s| s.to_string(), number: |n| n.to_string() }
    }
}

fn num(style: &Style, v: Option<u32>) -> TCell {
    c(v.map(style.number).unwrap_or_default())
}

/// The report laid out like the official format (国办公开办函〔2021〕30号): headings, narrative, tables.
pub fn layout(r: &AnnualReport, style: &Style) -> Vec<Part> {
    let l = style.label;
    let mut parts = vec![Part::Title(format!(
        "{}{}年政府信息公开工作年度报告",
        r.agency.clone().unwrap_or_default(),
        r.year.unwrap_or(2023)
    ))];
    parts.push(Part::Para(l("一、总体情况")));
    for p in r.sections.one.as_deref().unwrap_or("").split('\n') {
        parts.push(Part::Para(p.to_string()));
    }
    parts.push(Part::Para(l("二、主动公开政府信息情况")));
    let t2 = &r.t2;
    let doc_row = |name: &str, d: &T2Doc| {
        let mut row = vec![c(l(name))];
        row.extend((0..3).map(|i| num(style, d.get(i))));
        row
    };
    let fee =
        c(t2.fees.map(|f| if f.fract() == 0.0 { (style.number)(f as u32) } else { f.to_string() }).unwrap_or_default());
    parts.push(Part::Table(vec![
        vec![cs(l("第二十条第（一）项"), 4)],
        vec![c(l("信息内容")), c(l("本年制发件数")), c(l("本年废止件数")), c(l("现行有效件数"))],
        doc_row("规章", &t2.rules),
        doc_row("行政规范性文件", &t2.normative),
        vec![cs(l("第二十条第（五）项"), 4)],
        vec![c(l("信息内容")), cs(l("本年处理决定数量"), 3)],
        vec![c(l("行政许可")), TCell { colspan: 3, ..num(style, t2.licensing) }],
        vec![cs(l("第二十条第（六）项"), 4)],
        vec![c(l("信息内容")), cs(l("本年处理决定数量"), 3)],
        vec![c(l("行政处罚")), TCell { colspan: 3, ..num(style, t2.penalty) }],
        vec![c(l("行政强制")), TCell { colspan: 3, ..num(style, t2.coercion) }],
        vec![cs(l("第二十条第（八）项"), 4)],
        vec![c(l("信息内容")), cs(l("本年收费金额（单位：万元）"), 3)],
        vec![c(l("行政事业性收费")), TCell { colspan: 3, ..fee }],
    ]));

    parts.push(Part::Para(l("三、收到和处理政府信息公开申请情况")));
    let values =
        |row: T3Row| ApplicantColumn::ALL.iter().map(|&col| num(style, r.t3.get(row, col))).collect::<Vec<_>>();
    let mut t3 = vec![
        vec![
            TCell {
                text: l("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
                colspan: 3,
                rowspan: 3,
            },
            cs(l("申请人情况"), 7),
        ],
        vec![rs(l("自然人"), 2), cs(l("法人或其他组织"), 5), rs(l("总计"), 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].iter().map(|h| c(l(h))).collect(),
    ];
    for row in T3Row::ALL {
        let mut cells = Vec::new();
        match row {
            T3Row::New | T3Row::CarriedIn | T3Row::CarriedOut => cells.push(cs(l(row.label()), 3)),
            T3Row::Disclosed => {
                cells.push(rs(l("三、本年度办理结果"), 22));
                cells.push(cs(l(row.label()), 2));
            }
            T3Row::PartlyDisclosed | T3Row::Total => cells.push(cs(l(row.label()), 2)),
            _ => {
                let group_len = T3Row::ALL.iter().filter(|r| r.group_label() == row.group_label()).count();
                let first = T3Row::ALL.iter().find(|r| r.group_label() == row.group_label()) == Some(&row);
                if first {
                    cells.push(rs(l(row.group_label().unwrap_or_default()), group_len));
                }
                cells.push(c(l(row.label())));
            }
        }
        cells.extend(values(row));
        t3.push(cells);
    }
    parts.push(Part::Table(t3));

    parts.push(Part::Para(l("四、政府信息公开行政复议、行政诉讼情况")));
    let heads = || T4Column::ALL.iter().map(|c4| c(l(c4.key()))).collect::<Vec<_>>();
    let mut sub = heads();
    sub.extend(heads());
    let mut second: Vec<TCell> = T4Column::ALL.iter().map(|c4| rs(l(c4.key()), 2)).collect();
    second.push(cs(l("未经复议直接起诉"), 5));
    second.push(cs(l("复议后起诉"), 5));
    let vals = T4Group::ALL
        .iter()
        .flat_map(|&g| T4Column::ALL.iter().map(move |&c4| (g, c4)))
        .map(|(g, c4)| num(style, r.t4.get(g, c4)));
    parts.push(Part::Table(vec![vec![cs(l("行政复议"), 5), cs(l("行政诉讼"), 10)], second, sub, vals.collect()]));
    parts.push(Part::Para(l("五、存在的主要问题及改进情况")));
    parts.push(Part::Para(r.sections.five.clone().unwrap_or_default()));
    parts.push(Part::Para(l("六、其他需要报告的事项")));
    parts.push(Part::Para(r.sections.six.clone().unwrap_or_default()));
    parts
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// HTML options: Word-pasted markup (nested spans, MsoNormal paragraphs) and page chrome around the article.
#[derive(Clone, Copy, Default)]
pub struct HtmlOpts {
    pub word: bool,
    pub chrome: bool,
}

pub fn html(parts: &[Part], opts: HtmlOpts) -> String {
    let text = |s: &str| {
        if opts.word {
            format!(
                "<p class=MsoNormal align=center style='text-align:center'><span style='font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体'><span lang=EN-US style='font-family:\"Times New Roman\"'>{}</span><o:p></o:p></span></p>",
                escape(s)
            )
        } else {
            escape(s)
        }
    };
    let mut body = String::new();
    for p in parts {
        match p {
            Part::Title(t) => body.push_str(&format!("<h1 class=\"title\">{}</h1>\n<div class=\"info\">发布时间：2024-01-22 10:00 来源：本网</div>\n", escape(t))),
            Part::Para(t) if opts.word => body.push_str(&format!(
                "<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>{}<span lang=EN-US><o:p></o:p></span></span></p>\n",
                escape(t)
            )),
            Part::Para(t) => body.push_str(&format!("<p>{}</p>\n", escape(t))),
            Part::Table(rows) => {
                body.push_str("<table border=1 cellspacing=0 cellpadding=0 class=MsoNormalTable><tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for cell in row {
                        let mut attrs = String::new();
                        if cell.colspan > 1 {
                            attrs.push_str(&format!(" colspan=\"{}\"", cell.colspan));
                        }
                        if cell.rowspan > 1 {
                            attrs.push_str(&format!(" rowspan={}", cell.rowspan));
                        }
                        body.push_str(&format!("<td{attrs} valign=center>{}</td>", text(&cell.text)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody></table>\n");
            }
        }
    }
    if opts.chrome {
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>年度报告_义马市人民政府</title>\
             <script>var nav = '<p>一、总体情况</p>';</script><style>p {{ margin: 0 }}</style></head><body>\
             <div class=\"header\"><nav><a href=\"/\">首页</a><a>政务公开</a><a>政府信息公开年度报告</a></nav></div>\
             <div class=\"crumb\">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年度报告</div>\
             <div class=\"article\">{body}</div>\
             <div class=\"tools\">【打印本页】【关闭窗口】</div>\
             <div class=\"footer\"><p>版权所有：义马市人民政府 主办单位：义马市人民政府办公室</p><p>网站标识码4112810001 豫ICP备00000000号</p></div>\
             </body></html>"
        )
    } else {
        format!("<html><body>{body}</body></html>")
    }
}

/// The grid of a laid-out table: for each row, `(column, cell)` of the cells that start there and the
/// columns covered by a rowspan from above `(column, origin cell)`.
fn grid(rows: &[Vec<TCell>]) -> Vec<Vec<(usize, TCell, bool)>> {
    // per column: rows still covered by a rowspan from above, and that cell
    let mut pending: Vec<(usize, Option<TCell>)> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let mut line = Vec::new();
        let mut col = 0;
        let mut cells = row.iter();
        loop {
            if col < pending.len() && pending[col].0 > 0 {
                let origin = pending[col].1.clone().expect("covered by a cell");
                let span = origin.colspan;
                line.push((col, origin, true));
                for p in &mut pending[col..col + span] {
                    p.0 -= 1;
                }
                col += span;
            } else if let Some(cell) = cells.next() {
                if pending.len() < col + cell.colspan {
                    pending.resize(col + cell.colspan, (0, None));
                }
                for p in &mut pending[col..col + cell.colspan] {
                    *p = (cell.rowspan - 1, Some(cell.clone()));
                }
                line.push((col, cell.clone(), false));
                col += cell.colspan;
            } else if (col..pending.len()).any(|j| pending[j].0 > 0) {
                col += 1;
            } else {
                break;
            }
        }
        out.push(line);
    }
    out
}

/// Text as Chrome copies it: each cell on its own line after a tab (cells covered by a rowspan from above as
/// a lone tab), rows ended by an empty line; paragraphs as plain lines.
pub fn chrome_text(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Title(t) | Part::Para(t) => s.push_str(&format!("{t}\n")),
            Part::Table(rows) => {
                s.push('\n');
                for line in grid(rows) {
                    for (_, cell, covered) in line {
                        if covered {
                            s.push_str("\t\n");
                        } else {
                            s.push_str(&format!("\t{}\n", cell.text));
                        }
                    }
                    s.push('\n');
                }
            }
        }
    }
    s
}

/// Text as Firefox copies it: a row per line, cells separated by tabs.
pub fn firefox_text(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Title(t) | Part::Para(t) => s.push_str(&format!("{t}\n")),
            Part::Table(rows) => {
                for row in rows {
                    let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
                    s.push_str(&cells.join("\t"));
                    s.push('\n');
                }
            }
        }
    }
    s
}

/// Text shaped like pdftotext output: labels spaced out and wrapped, the numbers of a row on one line
/// separated by spaces, page numbers between pages.
pub fn pdf_text(parts: &[Part]) -> String {
    let spaced = |t: &str| {
        // a space after every third character, as extraction of justified CJK text does
        t.chars().enumerate().fold(String::new(), |mut acc, (i, ch)| {
            acc.push(ch);
            if i % 3 == 2 {
                acc.push(' ');
            }
            acc
        })
    };
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Title(t) => s.push_str(&format!("{}\n", spaced(t))),
            Part::Para(t) => s.push_str(&format!("{t}\n")),
            Part::Table(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    let labels: Vec<&str> = row
                        .iter()
                        .map(|c| c.text.as_str())
                        .filter(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.'))
                        .collect();
                    let nums: Vec<&str> = row
                        .iter()
                        .map(|c| c.text.as_str())
                        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
                        .collect();
                    let label = labels.join(" ");
                    let chars: Vec<char> = label.chars().collect();
                    if chars.len() > 14 && !nums.is_empty() {
                        // a long label wraps: its first part on the line with the numbers
                        let head: String = chars[..14].iter().collect();
                        let tail: String = chars[14..].iter().collect();
                        s.push_str(&format!("{} {}\n{}\n", spaced(&head), nums.join(" "), spaced(&tail)));
                    } else {
                        s.push_str(&format!("{} {}\n", spaced(&label), nums.join(" ")));
                    }
                    if i == 12 {
                        s.push_str("- 3 -\n");
                    }
                }
            }
        }
    }
    s
}

/// A DOCX built with the zip crate: paragraphs and tables (gridSpan, vMerge) in `word/document.xml`.
pub fn docx(parts: &[Part]) -> Vec<u8> {
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(t));
    let mut body = String::new();
    for p in parts {
        match p {
            Part::Title(t) | Part::Para(t) => body.push_str(&para(t)),
            Part::Table(rows) => {
                body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                for line in grid(rows) {
                    body.push_str("<w:tr>");
                    for (_, cell, covered) in line {
                        let mut pr = String::new();
                        if cell.colspan > 1 {
                            pr.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", cell.colspan));
                        }
                        if covered {
                            pr.push_str("<w:vMerge/>");
                        } else if cell.rowspan > 1 {
                            pr.push_str("<w:vMerge w:val=\"restart\"/>");
                        }
                        let content = if covered { "<w:p/>".to_string() } else { para(&cell.text) };
                        body.push_str(&format!("<w:tc><w:tcPr>{pr}</w:tcPr>{content}</w:tc>"));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
              <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
              <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
        )
        .unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(document.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// A minimal valid PDF with one line of Helvetica text (xref offsets computed).
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// The parsed fixture.
pub fn fixture_report() -> AnnualReport {
    gongkai_report::parse(FIXTURE.as_bytes(), None).unwrap().report
}

/// A report with a different number in (nearly) every cell that satisfies R1–R8, so that a value read from
/// the wrong row or column shows.
pub fn rich_report() -> AnnualReport {
    let mut r = fixture_report();
    r.agency = Some("某县教育局".into());
    r.year = Some(2023);
    r.t2.rules = T2Doc { issued: Some(1), repealed: Some(2), in_force: Some(13) };
    r.t2.normative = T2Doc { issued: Some(4), repealed: Some(5), in_force: Some(46) };
    r.t2.licensing = Some(1207);
    r.t2.penalty = Some(38);
    r.t2.coercion = Some(9);
    r.t2.fees = Some(12.35);
    let mut t3 = gongkai_domain::annual_report::Table3::zeros();
    for (i, &row) in T3Row::LEAVES.iter().enumerate() {
        for (j, &col) in ApplicantColumn::PARTS.iter().enumerate() {
            t3.set(row, col, Some(((i * 7 + j * 3) % 11) as u32));
        }
    }
    for (j, &col) in ApplicantColumn::PARTS.iter().enumerate() {
        let total: u32 = T3Row::LEAVES.iter().map(|&r| t3.get(r, col).unwrap()).sum();
        t3.set(T3Row::Total, col, Some(total));
        let out = j as u32 + 1;
        t3.set(T3Row::CarriedOut, col, Some(out));
        let new = total / 2 + 1;
        t3.set(T3Row::New, col, Some(new));
        t3.set(T3Row::CarriedIn, col, Some(total + out - new));
    }
    for row in T3Row::ALL {
        let sum: u32 = ApplicantColumn::PARTS.iter().map(|&c| t3.get(row, c).unwrap()).sum();
        t3.set(row, ApplicantColumn::Total, Some(sum));
    }
    r.t3 = t3;
    for (gi, g) in T4Group::ALL.into_iter().enumerate() {
        let parts = [gi as u32 + 2, gi as u32 + 5, 1, gi as u32];
        for (c, v) in T4Column::ALL.into_iter().zip(parts) {
            r.t4.set(g, c, Some(v));
        }
        r.t4.set(g, T4Column::Total, Some(parts.iter().sum()));
    }
    let new = r.t3.get(T3Row::New, ApplicantColumn::Total).unwrap();
    let disclosed = r.t3.get(T3Row::Disclosed, ApplicantColumn::Total).unwrap();
    let review = r.t4.get(T4Group::Review, T4Column::Total).unwrap();
    r.sections.one = Some(format!(
        "2023年，某县教育局认真贯彻落实《中华人民共和国政府信息公开条例》。\n（二）依申请公开：全年收到政府信息公开申请{new}件，其中予以公开{disclosed}件。因政府信息公开被申请行政复议{review}件。"
    ));
    r.sections.six = Some("本年度未收取信息处理费。".into());
    r
}

/// How a converter drew the tables with pipes.
#[derive(Clone, Copy)]
pub struct PipeOpts {
    /// Keep the header rows (rows without a number).
    pub headers: bool,
    /// A merged (rowspan) label cell is cut into pieces, one per row it spans (`| （三）不 | 4.保护… |`).
    pub split_labels: bool,
    /// A row's label cells merged into one (`| （三）不予公开 1.属于国家秘密 | 0 |`).
    pub merge_labels: bool,
    /// An extra empty cell at the end of each row.
    pub stray: bool,
    pub full_width: bool,
    /// OCR spaces inside numbers of two digits or more (`1 207`).
    pub ocr_spaces: bool,
    /// Long labels wrapped onto the next line (`| 一、本年新收政府信息` / `公开申请数量 | 12 | … |`).
    pub wrap: bool,
    pub sep: char,
    /// Rows start with a separator.
    pub leading: bool,
}

impl Default for PipeOpts {
    fn default() -> Self {
        Self {
            headers: true,
            split_labels: false,
            merge_labels: false,
            stray: false,
            full_width: false,
            ocr_spaces: false,
            wrap: false,
            sep: '|',
            leading: true,
        }
    }
}

fn is_number(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Text as a PDF/OCR converter writes the tables: a row per line between pipes.
pub fn pipe_text(parts: &[Part], o: PipeOpts) -> String {
    let number = |t: &str| {
        let mut t = t.to_string();
        if o.ocr_spaces && t.len() >= 2 && t.chars().all(|c| c.is_ascii_digit()) {
            t = t.chars().map(String::from).collect::<Vec<_>>().join(" ");
        }
        if o.full_width {
            t = t
                .chars()
                .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xfee0).unwrap() } else { c })
                .collect();
        }
        t
    };
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Title(t) | Part::Para(t) => s.push_str(&format!("{t}\n")),
            Part::Table(rows) => {
                // the row where each rowspan cell started, by column
                let mut started: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
                for (r, line) in grid(rows).into_iter().enumerate() {
                    if !o.headers && !line.iter().any(|(_, c, covered)| !covered && is_number(&c.text)) {
                        continue;
                    }
                    let mut labels: Vec<String> = Vec::new();
                    let mut values: Vec<String> = Vec::new();
                    for (col, cell, covered) in line {
                        if is_number(&cell.text) && !covered {
                            values.push(number(&cell.text));
                            continue;
                        }
                        if cell.rowspan > 1 && !covered {
                            started.insert(col, r);
                        }
                        let text = if o.split_labels && cell.rowspan > 1 {
                            let chars: Vec<char> = cell.text.chars().collect();
                            let i = r - started.get(&col).copied().unwrap_or(r);
                            let (n, span) = (chars.len(), cell.rowspan);
                            chars[i * n / span..(i + 1) * n / span].iter().collect()
                        } else if covered {
                            String::new()
                        } else {
                            cell.text.clone()
                        };
                        if !(o.merge_labels && text.is_empty()) {
                            labels.push(text);
                        }
                    }
                    if o.merge_labels {
                        labels = vec![labels.join(" ")];
                    }
                    let mut cells = labels;
                    let label_count = cells.len();
                    cells.extend(values);
                    if o.stray {
                        cells.push(String::new());
                    }
                    let sep = format!(" {} ", o.sep);
                    let mut row = cells.join(&sep);
                    if o.wrap && label_count >= 1 {
                        // wrap the last label cell after its 10th character
                        let at: usize = cells[..label_count - 1].iter().map(|c| c.chars().count() + 3).sum();
                        let last: Vec<char> = cells[label_count - 1].chars().collect();
                        if last.len() > 12 && o.leading {
                            let chars: Vec<char> = row.chars().collect();
                            let cut = at + 10;
                            row = format!(
                                "{}\n{}",
                                chars[..cut].iter().collect::<String>(),
                                chars[cut..].iter().collect::<String>()
                            );
                        }
                    }
                    if o.leading {
                        s.push_str(&format!("{} {row} {}\n", o.sep, o.sep));
                    } else {
                        s.push_str(&format!("{row} {}\n", o.sep));
                    }
                }
            }
        }
    }
    s
}

/// Every cell of tables 二, 三 and 四 that differs: `(where, got, want)`.
pub fn cell_diff(got: &AnnualReport, want: &AnnualReport) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut cmp = |at: String, g: String, w: String| {
        if g != w {
            out.push((at, g, w));
        }
    };
    for (name, g, w) in
        [("规章", &got.t2.rules, &want.t2.rules), ("行政规范性文件", &got.t2.normative, &want.t2.normative)]
    {
        for (i, col) in T2Doc::COLUMNS.iter().enumerate() {
            cmp(format!("t2/{name}/{col}"), format!("{:?}", g.get(i)), format!("{:?}", w.get(i)));
        }
    }
    for name in gongkai_domain::annual_report::Table2::COUNT_ROWS {
        cmp(format!("t2/{name}"), format!("{:?}", got.t2.count(name)), format!("{:?}", want.t2.count(name)));
    }
    cmp("t2/行政事业性收费".into(), format!("{:?}", got.t2.fees), format!("{:?}", want.t2.fees));
    for row in T3Row::ALL {
        for col in ApplicantColumn::ALL {
            let at = format!("t3/{}/{}", row.key(), col.key());
            cmp(at, format!("{:?}", got.t3.get(row, col)), format!("{:?}", want.t3.get(row, col)));
        }
    }
    for g in T4Group::ALL {
        for c in T4Column::ALL {
            let at = format!("t4/{}/{}", g.key(), c.key());
            cmp(at, format!("{:?}", got.t4.get(g, c)), format!("{:?}", want.t4.get(g, c)));
        }
    }
    out
}
