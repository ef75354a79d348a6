//! Whether bytes are an Office Open XML package of a given kind (DOCX, XLSX, PPTX), checked without unzipping:
//! a zip (local header at the start, end-of-central-directory record) whose file names include
//! `[Content_Types].xml` and the kind's main part. Zip file names are stored uncompressed, so a search finds
//! them; a zip renamed `.docx`, or a truncated file, does not pass.

/// The main part of each kind.
pub fn main_part(ext: &str) -> Option<&'static str> {
    match ext {
        "docx" => Some("word/document.xml"),
        "xlsx" => Some("xl/workbook.xml"),
        "pptx" => Some("ppt/presentation.xml"),
        _ => None,
    }
}

/// Whether `bytes` look like a package of kind `ext` (`docx`, `xlsx`, `pptx`).
pub fn is_package(ext: &str, bytes: &[u8]) -> bool {
    let Some(part) = main_part(ext) else { return false };
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    bytes.starts_with(b"PK\x03\x04") && has(b"PK\x05\x06") && has(b"[Content_Types].xml") && has(part.as_bytes())
}

#[cfg(test)]
mod tests {
    use crate::ooxml::is_package;

    #[test]
    fn a_bare_zip_is_not_a_word_document() {
        // A 34-byte zip named .docx (the case that was accepted): no content types, no main part.
        let mut empty_zip = b"PK\x03\x04".to_vec();
        empty_zip.extend_from_slice(&[0; 26]);
        empty_zip.extend_from_slice(b"PK\x05\x06");
        assert!(!is_package("docx", &empty_zip));
        let fake = b"PK\x03\x04..[Content_Types].xml..word/document.xml..PK\x05\x06....".to_vec();
        assert!(is_package("docx", &fake));
        assert!(!is_package("xlsx", &fake), "a Word package is not a workbook");
        assert!(!is_package("docx", &fake[..fake.len() - 8]), "truncated: no end record");
    }
}
