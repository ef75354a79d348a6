//! Fuzz the 12345 hotline import: any bytes through `gongkai_report::sheet::read_table` (CSV in UTF-8, or the
//! first sheet of an XLSX workbook, told apart by the first bytes) and then the domain's `parse_orders`. Must
//! never panic; a bad file is a `SheetError`, bad rows are `RowProblem`s.
#![no_main]

use gongkai_domain::interaction::hotline::parse_orders;
use gongkai_report::sheet::read_table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = read_table(data) {
        match parse_orders(&rows) {
            Ok(orders) => assert!(orders.len() <= rows.len()),
            Err(problems) => {
                for p in problems {
                    let _ = p.to_string();
                }
            }
        }
    }
});
