//! DOCX: `word/document.xml` read with quick-xml; paragraphs → lines, tables → rows (gridSpan, vMerge).

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ParseError;
use super::doc::{Block, Doc, collapse_ws};

/// `document.xml` of a real report is well under 10 MiB; a bigger one is a zip bomb or not a report.
const MAX_XML: u64 = 64 * 1024 * 1024;
const MAX_COLS: usize = 200;

pub(crate) fn to_doc(bytes: &[u8]) -> Result<Doc, ParseError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ParseError::Docx(format!("不是有效的 zip 文件（{e}）")))?;
    let file = zip
        .by_name("word/document.xml")
        .map_err(|_| ParseError::Docx("缺少 word/document.xml，不是 Word 文档".into()))?;
    let mut xml = String::new();
    file.take(MAX_XML + 1)
        .read_to_string(&mut xml)
        .map_err(|e| ParseError::Docx(format!("word/document.xml 无法解压或不是 UTF-8（{e}）")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(ParseError::Docx("word/document.xml 过大".into()));
    }
    from_xml(&xml)
}

#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    /// `<w:vMerge/>` without `restart`: the cell continues the one above.
    merged: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: Option<Cell>,
}

fn attr_val(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "val").map(|a| a.value.into_owned())
}

pub(crate) fn from_xml(xml: &str) -> Result<Doc, ParseError> {
    let mut reader = Reader::from_str(xml);
    let mut doc = Doc::default();
    let mut tables: Vec<Table> = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| ParseError::Docx(format!("XML 错误（{e}）")))?;
        let is_start = matches!(event, Event::Start(_));
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "t" => in_text = is_start,
                "tab" => para.push(' '),
                "br" | "cr" => para.push('\n'),
                "tbl" => tables.push(Table::default()),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.row.clear();
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(Cell { span: 1, ..Cell::default() });
                    }
                }
                "gridSpan" => {
                    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.span = attr_val(e).and_then(|v| v.trim().parse().ok()).unwrap_or(1).clamp(1, MAX_COLS);
                    }
                }
                "vMerge" => {
                    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.merged = attr_val(e).is_none_or(|v| v != "restart");
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(t),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(r) {
                    para.push_str(s);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        Some(c) => {
                            c.text.push_str(&para);
                            c.text.push('\n');
                        }
                        None => doc.line(&para),
                    }
                    para.clear();
                }
                "tc" => {
                    if let Some(t) = tables.last_mut()
                        && let Some(c) = t.cell.take()
                        && t.row.len() < MAX_COLS
                    {
                        t.row.push(c);
                    }
                }
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
                "tbl" => {
                    if let Some(t) = tables.pop() {
                        emit(t, &mut doc.blocks);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    doc.line(&para);
    while let Some(t) = tables.pop() {
        emit(t, &mut doc.blocks);
    }
    Ok(doc)
}

/// One row per `<w:tr>`: cells that start there (a vMerge continuation is the cell above), blanks for
/// missing grid columns at the end.
fn emit(table: Table, out: &mut Vec<Block>) {
    let width = table.rows.iter().map(|r| r.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(0).min(MAX_COLS);
    for row in table.rows {
        let used: usize = row.iter().map(|c| c.span).sum();
        let mut cells: Vec<String> = row.into_iter().filter(|c| !c.merged).map(|c| collapse_ws(&c.text)).collect();
        cells.extend(std::iter::repeat_n(String::new(), width.saturating_sub(used)));
        if !cells.is_empty() {
            out.push(Block::Row(cells));
        }
    }
}
