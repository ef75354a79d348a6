//! The report's tables as a workbook: one sheet per table (表二, 表三, 表四), merged header cells as in the
//! official format, numbers as numbers (blank cells stay blank).

use gongkai_domain::annual_report::AnnualReport;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::layout::{Content, HEADINGS, Slot, Table, table2, table3, table4, title};

fn sheet(ws: &mut Worksheet, heading: &str, t: &Table) -> Result<(), XlsxError> {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let head = base.clone().set_bold().set_align(FormatAlign::Center);
    let label = base.clone().set_align(FormatAlign::Left);
    let group = base.clone().set_align(FormatAlign::Center);
    let number = base.clone().set_align(FormatAlign::Center);
    let title_format = Format::new().set_font_name("黑体").set_font_size(14).set_align(FormatAlign::Left);

    ws.set_name(t.name)?;
    ws.write_string_with_format(0, 0, heading, &title_format)?;
    let top = 1u32;
    for (r, line) in t.grid().iter().enumerate() {
        for (c, slot) in line.iter().enumerate() {
            let Slot::Origin(cell) = *slot else { continue };
            let (row, col) = (top + r as u32, c as u16);
            let format = match &cell.content {
                _ if cell.header => &head,
                Content::Label(_) if cell.rowspan > 1 => &group,
                Content::Label(_) => &label,
                Content::Amount(_) | Content::Count(_) => &number,
            };
            let merged = cell.colspan > 1 || cell.rowspan > 1;
            if merged {
                let (last_row, last_col) = (row + cell.rowspan as u32 - 1, col + cell.colspan as u16 - 1);
                ws.merge_range(row, col, last_row, last_col, &cell.content.text(), format)?;
            }
            // merge_range writes a string; a number is written over its first cell with the same format
            match (cell.content.is_label(), cell.content.number()) {
                (true, _) if merged => {}
                (true, _) => {
                    ws.write_string_with_format(row, col, cell.content.text(), format)?;
                }
                (false, Some(n)) => {
                    ws.write_number_with_format(row, col, n, format)?;
                }
                (false, None) if merged => {}
                (false, None) => {
                    ws.write_blank(row, col, format)?;
                }
            }
        }
    }
    match t.columns {
        10 => {
            ws.set_column_width(0, 6)?;
            ws.set_column_width(1, 8)?;
            ws.set_column_width(2, 40)?;
            for c in 3..10 {
                ws.set_column_width(c, 9)?;
            }
        }
        4 => {
            ws.set_column_width(0, 18)?;
            for c in 1..4 {
                ws.set_column_width(c, 16)?;
            }
        }
        n => {
            for c in 0..n as u16 {
                ws.set_column_width(c, 9)?;
            }
        }
    }
    Ok(())
}

/// The workbook as `.xlsx` bytes.
pub fn xlsx(r: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let props = rust_xlsxwriter::DocProperties::new().set_title(title(r));
    wb.set_properties(&props);
    for (heading, table) in [(HEADINGS[1], table2(r)), (HEADINGS[2], table3(r)), (HEADINGS[3], table4(r))] {
        let ws = wb.add_worksheet();
        sheet(ws, heading, &table)?;
    }
    wb.save_to_buffer()
}
