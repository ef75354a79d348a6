use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn csv_with_bom_quotes_and_ragged_rows() {
    let text = "\u{feff}工单编号,诉求内容\nA001,\"第一行\n第二行，含逗号, 等\"\nA002\n";
    let rows = read_table(text.as_bytes()).unwrap();
    assert_eq!(rows, [row(&["工单编号", "诉求内容"]), row(&["A001", "第一行\n第二行，含逗号, 等"]), row(&["A002"])]);
}

#[test]
fn gbk_csv_and_old_xls_are_refused_with_a_hint() {
    // "工单" in GBK.
    let gbk = [0xB9, 0xA4, 0xB5, 0xA5, b',', b'x'];
    assert!(read_table(&gbk).unwrap_err().0.contains("不是UTF-8编码"));
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    assert!(read_table(&xls).unwrap_err().0.contains(".xls"));
    assert!(read_table(b"PK\x03\x04garbage").unwrap_err().0.contains("xlsx"));
}

#[test]
fn gbk_csv_is_read_where_asked() {
    // "序号,工单" in GBK: D0F2 BAC5 , B9A4 B5A5.
    let gbk = [0xD0, 0xF2, 0xBA, 0xC5, b',', 0xB9, 0xA4, 0xB5, 0xA5, b'\n', b'1', b',', b'x'];
    assert_eq!(read_table_gbk(&gbk).unwrap(), [row(&["序号", "工单"]), row(&["1", "x"])]);
    assert_eq!(read_table_gbk("a,b".as_bytes()).unwrap(), [row(&["a", "b"])]);
    // A lone lead byte is neither UTF-8 nor GBK.
    assert!(read_table_gbk(&[b'a', 0x81]).unwrap_err().0.contains("GBK"));
}

#[test]
fn xlsx_strings_numbers_dates_and_gaps() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "工单编号").unwrap();
    ws.write_string(0, 1, "派单时间").unwrap();
    ws.write_string(0, 2, "办理时限").unwrap();
    ws.write_string(0, 4, "备注 & <说明>").unwrap();
    ws.write_string(1, 0, "A001").unwrap();
    let when = ExcelDateTime::parse_from_str("2025-09-26 09:30:00").unwrap();
    ws.write_datetime_with_format(1, 1, &when, &Format::new().set_num_format("yyyy-mm-dd hh:mm")).unwrap();
    ws.write_number(1, 2, 15.0).unwrap();
    ws.write_boolean(1, 3, true).unwrap();
    // Row 3 left out; row 4 has a date-only format and a plain number that must stay a number.
    ws.write_string(3, 0, "A002").unwrap();
    let day = ExcelDateTime::parse_from_str("2025-10-23").unwrap();
    ws.write_datetime_with_format(3, 1, &day, &Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"")).unwrap();
    ws.write_number(3, 2, 13_812_345_678.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let rows = read_table(&bytes).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], row(&["工单编号", "派单时间", "办理时限", "", "备注 & <说明>"]));
    assert_eq!(rows[1], row(&["A001", "2025-09-26 09:30:00", "15", "TRUE"]));
    assert!(rows[2].is_empty(), "the missing row 3 is an empty row");
    assert_eq!(rows[3], row(&["A002", "2025-10-23 00:00:00", "13812345678"]));
}

#[test]
fn date_formats_and_serials() {
    assert!(is_date_format("yyyy/m/d h:mm"));
    assert!(is_date_format("[$-F800]dddd, mmmm dd, yyyy"));
    assert!(!is_date_format("0.00"));
    assert!(!is_date_format("[Red]0;\"元\""));
    assert_eq!(serial_to_text(45926.395833333336, false).as_deref(), Some("2025-09-26 09:30:00"));
    assert_eq!(serial_to_text(0.0, true).as_deref(), Some("1904-01-01 00:00:00"));
    assert_eq!(column_of("AA10"), Some(26));
    assert_eq!(column_of("10"), None);
}
