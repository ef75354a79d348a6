//! Audit findings as an Excel workbook (for the supervisor's records, and `gongkai audit --summary`): a summary
//! sheet, one row per file (verdict, error and unread counts, the findings), and a findings sheet, one row per
//! finding.

use crate::audit::{AuditError, Audited, Verdict};
use gongkai_domain::annual_report::Severity;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook as bytes. `results` pairs each file's name with its audit.
pub fn findings_workbook(results: &[(String, Result<Audited, AuditError>)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("#EFEFEF").set_border(rust_xlsxwriter::FormatBorder::Thin);

    let summary = wb.add_worksheet();
    summary.set_name("汇总")?;
    let cols = ["文件", "机关", "年度", "格式", "错误", "提示", "结论", "未读", "问题"];
    for (c, title) in cols.iter().enumerate() {
        summary.write_string_with_format(0, c as u16, *title, &head)?;
    }
    for (i, (name, result)) in results.iter().enumerate() {
        let r = (i + 1) as u32;
        summary.write_string(r, 0, name)?;
        match result {
            Ok(a) => {
                let errors = a.findings.iter().filter(|f| f.severity == Severity::Error).count();
                let warnings = a.findings.len() - errors;
                summary.write_string(r, 1, a.report.agency.as_deref().unwrap_or("（未识别）"))?;
                match a.report.year {
                    Some(y) => summary.write_number(r, 2, f64::from(y))?,
                    None => summary.write_string(r, 2, "（未识别）")?,
                };
                summary.write_string(r, 3, a.report.format.as_str())?;
                summary.write_number(r, 4, errors as f64)?;
                summary.write_number(r, 5, warnings as f64)?;
                summary.write_string(r, 6, Verdict::of(result).text())?;
                summary.write_number(r, 7, a.unread_count() as f64)?;
                summary.write_string(r, 8, crate::audit::summary_lines(a).join("\n"))?;
            }
            Err(e) => {
                summary.write_string(r, 6, format!("无法读取：{e}"))?;
            }
        }
    }
    summary.set_column_width(0, 36)?;
    summary.set_column_width(1, 28)?;
    summary.set_column_width(6, 28)?;
    summary.set_column_width(8, 80)?;

    let sheet = wb.add_worksheet();
    sheet.set_name("问题清单")?;
    let cols = ["文件", "规则", "规则说明", "级别", "位置", "说明", "原文"];
    for (c, title) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &head)?;
    }
    let mut r = 1u32;
    for (name, result) in results {
        let Ok(a) = result else { continue };
        for f in &a.findings {
            sheet.write_string(r, 0, name)?;
            sheet.write_string(r, 1, f.rule.id())?;
            sheet.write_string(r, 2, f.rule.description())?;
            sheet.write_string(r, 3, if f.severity == Severity::Error { "错误" } else { "提示" })?;
            sheet.write_string(r, 4, &f.location)?;
            sheet.write_string(r, 5, &f.message)?;
            sheet.write_string(r, 6, f.quote.as_deref().unwrap_or(""))?;
            r += 1;
        }
    }
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(2, 30)?;
    sheet.set_column_width(5, 60)?;
    sheet.set_column_width(6, 40)?;
    wb.save_to_buffer()
}

/// One sheet: a bold header row, then the rows as text (for list exports such as the case list).
pub fn table_workbook(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("#EFEFEF").set_border(rust_xlsxwriter::FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string((r + 1) as u32, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// One sheet of figures: a bold header row, then rows of a label and numbers (a blank cell for `None`), numbers
/// stored as numbers so that the sheet can be summed.
pub fn figures_workbook(
    sheet: &str,
    headers: &[&str],
    rows: &[(String, Vec<Option<f64>>)],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("#EFEFEF").set_border(rust_xlsxwriter::FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, if c == 0 { 24 } else { 12 })?;
    }
    for (r, (label, values)) in rows.iter().enumerate() {
        let r = (r + 1) as u32;
        ws.write_string(r, 0, label)?;
        for (c, v) in values.iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(r, (c + 1) as u16, *v)?;
            }
        }
    }
    ws.set_freeze_panes(1, 1)?;
    wb.save_to_buffer()
}
