//! Shared by the targets that reach PDF parsing (lopdf, pdf-extract). The project runs those crates inside
//! `catch_unwind` and turns a panic there into an error; libfuzzer-sys's panic hook would abort on that caught
//! panic, so panics located in these crates are let through to our `catch_unwind`. Any other panic (ours)
//! still aborts, and a panic that escapes the code under test is caught by libfuzzer-sys and aborts too.

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

/// Installs the hook (call from the target's `init`).
pub fn let_pdf_panics_reach_catch_unwind() {
    let abort_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_pdf_crate = info
            .location()
            .is_some_and(|l| l.file().contains("/registry/") && PDF_CRATES.iter().any(|c| l.file().contains(c)));
        if !in_pdf_crate {
            abort_hook(info);
        }
    }));
}
