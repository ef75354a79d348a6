//! Fuzz the report parser: any bytes, sniffed and as each source kind, then the checks and the JSON output.
//! The parser must never panic or hang; it may only return `ParseError`.
#![no_main]

use gongkai_domain::annual_report::to_json;
use gongkai_report::audit::audit_bytes;
use gongkai_report::{SourceKind, parse};
use libfuzzer_sys::fuzz_target;

/// Crates under pdf-extract. `gongkai_report` runs PDF text extraction inside `catch_unwind` and turns a panic
/// there into `ParseError::Pdf`; libfuzzer-sys's hook would abort on that caught panic, so panics located in
/// these crates are let through to our `catch_unwind`. Any other panic (ours) still aborts, and a panic that
/// escapes `parse` is caught by libfuzzer-sys and aborts too.
const PDF_CRATES: &[&str] = &[
    "pdf-extract-",
    "lopdf-",
    "adobe-cmap-parser-",
    "cff-parser-",
    "type1-encoding-parser-",
    "postscript-",
    "euclid-",
    "ttf-parser-",
    "pom-",
    "nom-",
    "encoding_rs-",
    "weezl-",
    "flate2-",
    "miniz_oxide-",
    "zlib-rs-",
    "md-5-",
    "aes-",
    "cbc-",
    "ecb-",
    "rangemap-",
    "stringprep-",
];

fuzz_target!(
    init: {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_pdf_crate = info
                .location()
                .is_some_and(|l| l.file().contains("/registry/") && PDF_CRATES.iter().any(|c| l.file().contains(c)));
            if !in_pdf_crate {
                abort_hook(info);
            }
        }));
    },
    |data: &[u8]| {
        if let Ok(audited) = audit_bytes(data, None) {
            let _ = to_json(&audited.report, &audited.findings);
        }
        for kind in [SourceKind::Html, SourceKind::Text, SourceKind::Pdf, SourceKind::Docx] {
            let _ = parse(data, Some(kind));
        }
    }
);
