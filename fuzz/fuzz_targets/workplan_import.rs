//! Fuzz the 分工方案 (workplan) import: any bytes through `gongkai_report::sheet::read_table_gbk` and the
//! domain's `workplan::check_table` (including the due-date phrases, `parse_due`). Must never panic; problems
//! are `workplan::Problem`s.
#![no_main]

use gongkai_domain::workplan::{check_table, parse_due};
use gongkai_report::sheet::read_table_gbk;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = read_table_gbk(data) {
        let _ = check_table(&rows, 2025);
        for cell in rows.iter().flatten().take(64) {
            let _ = parse_due(cell, 2025);
        }
    }
});
