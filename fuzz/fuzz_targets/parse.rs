//! Fuzz the report parser: any bytes, sniffed and as each source kind, then the checks and the JSON output.
//! The parser must never panic or hang; it may only return `ParseError`.
#![no_main]

use gongkai_domain::annual_report::to_json;
use gongkai_report::audit::audit_bytes;
use gongkai_report::{SourceKind, parse};
use libfuzzer_sys::fuzz_target;

mod pdf_hook;

fuzz_target!(
    init: pdf_hook::let_pdf_panics_reach_catch_unwind(),
    |data: &[u8]| {
        if let Ok(audited) = audit_bytes(data, None) {
            let _ = to_json(&audited.report, &audited.findings);
        }
        for kind in [SourceKind::Html, SourceKind::Text, SourceKind::Pdf, SourceKind::Docx] {
            let _ = parse(data, Some(kind));
        }
    }
);
