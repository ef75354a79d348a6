//! A table read from a file as text cells, row by row, for imports (12345 orders): the first worksheet of an
//! XLSX workbook, or a CSV file in UTF-8 (with or without BOM). Index 0 of the result is spreadsheet row 1, so row
//! numbers in messages are the ones the user sees; an XLSX row left out of the file is an empty row here.
//!
//! XLSX is read with the zip and quick-xml this crate already uses for DOCX, not with a spreadsheet crate: only
//! shared strings, inline strings, numbers, booleans and the date formats (for date cells) are needed. A numeric
//! cell whose style is a date or time format comes out as `YYYY-MM-DD HH:MM:SS`.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Read;
use time::{Date, Duration, PrimitiveDateTime, Time};

/// The largest table accepted: far beyond a month of an office's orders.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_COLS: usize = 200;
/// One decompressed XML part of an XLSX file at most (a zip bomb is refused).
const MAX_XML: u64 = 128 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct SheetError(pub String);

fn err(msg: impl Into<String>) -> SheetError {
    SheetError(msg.into())
}

/// Reads CSV or XLSX, told apart by their first bytes (not by the file name).
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(err("不支持旧版Excel（.xls）文件，请另存为 .xlsx 或“CSV UTF-8（逗号分隔）”后再导入"))
    } else {
        read_csv(bytes)
    }
}

/// The CSV of a 分工方案 (workplan) import: UTF-8 with or without BOM, rows of cells; a problem is reported as
/// the workplan rules report theirs (row 0: the file). Here, not in the app, so that it can be fuzzed.
pub fn read_workplan_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, gongkai_domain::workplan::Problem> {
    let file = |m: String| gongkai_domain::workplan::Problem { row: 0, column: None, message: m };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| file("文件不是 UTF-8 编码的 CSV：请在表格软件中另存为“CSV UTF-8”".into()))?;
    let mut rows = Vec::new();
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| file(format!("第{}行无法读取：{e}", i + 1)))?;
        rows.push(rec.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// CSV in UTF-8; a leading BOM is dropped. Rows may have different lengths.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(err(
            "CSV文件不是UTF-8编码（可能是GBK）：请在Excel中另存为“CSV UTF-8（逗号分隔）”，或导入 .xlsx 文件",
        ));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(format!("CSV第{}行无法读取（{e}）", i + 1)))?;
        if rows.len() >= MAX_ROWS {
            return Err(err(format!("文件超过{MAX_ROWS}行，请分批导入")));
        }
        if record.len() > MAX_COLS {
            return Err(err(format!("第{}行超过{MAX_COLS}列", i + 1)));
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// The first worksheet of an XLSX workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| err(format!("不是有效的 xlsx 文件（{e}）")))?;
    let workbook = part(&mut zip, "xl/workbook.xml")?.ok_or_else(|| err("不是Excel工作簿：缺少 xl/workbook.xml"))?;
    let (rid, date1904) = first_sheet(&workbook)?;
    let path = match (rid, part(&mut zip, "xl/_rels/workbook.xml.rels")?) {
        (Some(rid), Some(rels)) => target_of(&rels, &rid)?,
        _ => None,
    }
    .unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_owned());
    let shared = match part(&mut zip, "xl/sharedStrings.xml")? {
        Some(x) => shared_strings(&x)?,
        None => Vec::new(),
    };
    let dates = match part(&mut zip, "xl/styles.xml")? {
        Some(x) => date_styles(&x)?,
        None => Vec::new(),
    };
    let sheet = part(&mut zip, &path)?.ok_or_else(|| err(format!("工作簿缺少第一个工作表（{path}）")))?;
    cells(&sheet, &shared, &dates, date1904)
}

type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, SheetError> {
    let Ok(file) = zip.by_name(name) else { return Ok(None) };
    let mut xml = String::new();
    file.take(MAX_XML + 1).read_to_string(&mut xml).map_err(|e| err(format!("{name} 无法解压（{e}）")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(err(format!("{name} 过大")));
    }
    Ok(Some(xml))
}

fn xml_err(e: impl std::fmt::Display) -> SheetError {
    err(format!("xlsx 文件内容有误（{e}）"))
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The relationship id of the first `<sheet>` and whether the workbook counts dates from 1904.
fn first_sheet(xml: &str) -> Result<(Option<String>, bool), SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut date1904 = false;
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Eof => return Ok((None, date1904)),
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "workbookPr" => date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v == "true"),
                "sheet" => return Ok((attr(&e, "id"), date1904)),
                _ => {}
            },
            _ => {}
        }
    }
}

/// The part a relationship points at, as a path in the zip.
fn target_of(rels: &str, rid: &str) -> Result<Option<String>, SheetError> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Eof => return Ok(None),
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship" && attr(&e, "Id").as_deref() == Some(rid) =>
            {
                return Ok(attr(&e, "Target").map(|t| match t.strip_prefix('/') {
                    Some(abs) => abs.to_owned(),
                    None => format!("xl/{t}"),
                }));
            }
            _ => {}
        }
    }
}

/// Text of `<t>` elements, outside phonetic runs (`<rPh>`), with entities resolved.
struct TextCollector {
    in_t: bool,
    in_phonetic: bool,
    text: String,
}

impl TextCollector {
    fn new() -> Self {
        TextCollector { in_t: false, in_phonetic: false, text: String::new() }
    }

    /// Feeds one event; returns true when it was about text.
    fn feed(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(e) if e.local_name().as_ref() == "t" => self.in_t = true,
            Event::End(e) if e.local_name().as_ref() == "t" => self.in_t = false,
            Event::Start(e) if e.local_name().as_ref() == "rPh" => self.in_phonetic = true,
            Event::End(e) if e.local_name().as_ref() == "rPh" => self.in_phonetic = false,
            Event::Text(t) if self.in_t && !self.in_phonetic => self.text.push_str(t),
            Event::CData(t) if self.in_t && !self.in_phonetic => self.text.push_str(t),
            Event::GeneralRef(r) if self.in_t && !self.in_phonetic => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    self.text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(r) {
                    self.text.push_str(s);
                }
            }
            _ => {}
        }
    }
}

fn shared_strings(xml: &str) -> Result<Vec<String>, SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut text = TextCollector::new();
    loop {
        let event = reader.read_event().map_err(xml_err)?;
        match &event {
            Event::Eof => return Ok(out),
            Event::Start(e) if e.local_name().as_ref() == "si" => text = TextCollector::new(),
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::End(e) if e.local_name().as_ref() == "si" => out.push(std::mem::take(&mut text.text)),
            _ => text.feed(&event),
        }
    }
}

/// Whether a number format code shows a date or time: y, m, d, h or s outside quotes, brackets (colours,
/// `[h]` aside) and escapes.
fn is_date_format(code: &str) -> bool {
    let mut in_quote = false;
    let mut in_bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quote = !in_quote,
            '[' if !in_quote => in_bracket = true,
            ']' if !in_quote => in_bracket = false,
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' if !in_quote && !in_bracket => return true,
            _ => {}
        }
    }
    false
}

/// For each cell style (`cellXfs` in order), whether it formats numbers as dates or times.
fn date_styles(xml: &str) -> Result<Vec<bool>, SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_xfs = false;
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Eof => return Ok(styles),
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode"))
                        && let Ok(id) = id.parse()
                    {
                        custom.insert(id, is_date_format(&code));
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    let id: u32 = attr(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    // Built-in date and time formats: 14–22, 45–47 (and the East Asian 27–36, 50–58).
                    let builtin = matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58);
                    styles.push(custom.get(&id).copied().unwrap_or(builtin));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            _ => {}
        }
    }
}

/// An Excel serial date as `YYYY-MM-DD HH:MM:SS` (1900 system: day 1 is 1900-01-01 with the fictitious
/// 1900-02-29; 1904 system: day 0 is 1904-01-01).
fn serial_to_text(serial: f64, date1904: bool) -> Option<String> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = if date1904 {
        Date::from_calendar_date(1904, time::Month::January, 1)
    } else {
        Date::from_calendar_date(1899, time::Month::December, 30)
    }
    .ok()?;
    let seconds = (serial * 86_400.0).round() as i64;
    let t = PrimitiveDateTime::new(base, Time::MIDNIGHT).checked_add(Duration::seconds(seconds))?;
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// Column index of a cell reference (`B3` → 1).
fn column_of(r: &str) -> Option<usize> {
    let mut col = 0usize;
    let mut letters = 0;
    for c in r.chars().take_while(|c| c.is_ascii_alphabetic()) {
        col = col * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
        letters += 1;
    }
    (letters > 0 && letters <= 3).then(|| col - 1)
}

#[derive(Default)]
struct CellState {
    col: usize,
    kind: String,
    style: usize,
    value: String,
    in_v: bool,
    inline: Option<TextCollector>,
}

fn cells(xml: &str, shared: &[String], dates: &[bool], date1904: bool) -> Result<Vec<Vec<String>>, SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut row_no = 0usize;
    let mut cell: Option<CellState> = None;
    loop {
        let event = reader.read_event().map_err(xml_err)?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                row_no = attr(e, "r").and_then(|v| v.parse().ok()).unwrap_or(row_no + 1);
                if row_no > MAX_ROWS + 1 {
                    return Err(err(format!("文件超过{MAX_ROWS}行，请分批导入")));
                }
                row.clear();
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                // Rows left out of the file are empty rows, so indices stay spreadsheet row numbers.
                rows.resize(row_no.saturating_sub(1).max(rows.len()), Vec::new());
                rows.push(std::mem::take(&mut row));
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let col = attr(e, "r").and_then(|r| column_of(&r)).unwrap_or(row.len());
                if col >= MAX_COLS {
                    return Err(err(format!("第{row_no}行超过{MAX_COLS}列")));
                }
                let style = attr(e, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                let c = CellState { col, kind: attr(e, "t").unwrap_or_default(), style, ..CellState::default() };
                if matches!(event, Event::Start(_)) {
                    cell = Some(c);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some(c) = cell.take() {
                    let text = cell_text(c.kind.as_str(), &c, shared, dates, date1904);
                    if row.len() <= c.col {
                        row.resize(c.col + 1, String::new());
                    }
                    row[c.col] = text;
                }
            }
            _ => {
                if let Some(c) = cell.as_mut() {
                    match &event {
                        Event::Start(e) if e.local_name().as_ref() == "v" => c.in_v = true,
                        Event::End(e) if e.local_name().as_ref() == "v" => c.in_v = false,
                        Event::Start(e) if e.local_name().as_ref() == "is" => c.inline = Some(TextCollector::new()),
                        Event::Text(t) if c.in_v => c.value.push_str(t),
                        Event::GeneralRef(r) if c.in_v => {
                            if let Some(s) = quick_xml::escape::resolve_xml_entity(r) {
                                c.value.push_str(s);
                            }
                        }
                        _ => {
                            if let Some(t) = c.inline.as_mut() {
                                t.feed(&event);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(rows)
}

fn cell_text(kind: &str, c: &CellState, shared: &[String], dates: &[bool], date1904: bool) -> String {
    let v = c.value.trim();
    match kind {
        "s" => v.parse::<usize>().ok().and_then(|i| shared.get(i)).cloned().unwrap_or_default(),
        "inlineStr" => c.inline.as_ref().map(|t| t.text.clone()).unwrap_or_default(),
        "b" => if v == "1" { "TRUE" } else { "FALSE" }.to_owned(),
        "str" | "e" => v.to_owned(),
        _ => match v.parse::<f64>() {
            Ok(n) if dates.get(c.style).copied().unwrap_or(false) => {
                serial_to_text(n, date1904).unwrap_or_else(|| v.to_owned())
            }
            _ => v.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests;
