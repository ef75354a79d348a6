//! PDF: text extraction with pdf-extract, then the loose text path.

use super::ParseError;

/// Extracts the text of a PDF. pdf-extract (and lopdf below it) can panic on malformed files; a panic there
/// means "cannot read this PDF", not a crash of the auditor.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, ParseError> {
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match result {
        Ok(Ok(text)) if text.trim().is_empty() => Err(ParseError::PdfNoText),
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(ParseError::Pdf(e.to_string())),
        Err(_) => Err(ParseError::Pdf("文件结构损坏".into())),
    }
}
