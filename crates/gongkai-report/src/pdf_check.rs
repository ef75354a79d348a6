//! Whether uploaded bytes are a PDF that parses: the `%PDF-` header, then a real parse with lopdf (the
//! cross-reference table, the trailer, the page tree) and at least one page. lopdf can panic on malformed
//! files; that panic is caught here and means "not a readable PDF", never a crash.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why a file is not a readable PDF, in Chinese (to follow the file's name in a message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfCheckError {
    #[error("不是 PDF 文件（缺少 PDF 文件头）")]
    NoHeader,
    #[error("已加密（设有密码），无法读取，请去除密码后上传")]
    Encrypted,
    #[error("无法解析，文件可能已损坏或不完整，请重新导出或扫描后上传")]
    Broken,
    #[error("没有任何页面")]
    NoPages,
}

/// Checks that `bytes` are a readable PDF with at least one page; returns the number of pages.
pub fn check_pdf(bytes: &[u8]) -> Result<usize, PdfCheckError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfCheckError::NoHeader);
    }
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        let doc = lopdf::Document::load_mem(bytes)?;
        Ok::<_, lopdf::Error>(doc.get_pages().len())
    }));
    // A file encrypted with an empty user password (only the owner's restrictions) opens and is accepted.
    match parsed {
        Ok(Ok(0)) => Err(PdfCheckError::NoPages),
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword)) => Err(PdfCheckError::Encrypted),
        Ok(Err(_)) | Err(_) => Err(PdfCheckError::Broken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a correct cross-reference table (the web tests' fixture, also a fuzz seed).
    const TINY: &[u8] = include_bytes!("../../gongkai-web/tests/fixtures/one-page.pdf");

    #[test]
    fn a_real_pdf_parses_and_broken_ones_do_not() {
        assert_eq!(check_pdf(TINY), Ok(1));
        assert_eq!(check_pdf(b"%PDF-1.4 ok"), Err(PdfCheckError::Broken));
        assert_eq!(check_pdf(b"GIF89a"), Err(PdfCheckError::NoHeader));
        // Truncated anywhere after the header: never Ok, never a panic.
        for n in [5, 9, 100, 300, 400, TINY.len() - 20] {
            assert!(check_pdf(&TINY[..n]).is_err(), "truncated at {n}");
        }
        // Garbage after a valid header.
        let mut junk = b"%PDF-1.7\n".to_vec();
        junk.extend((0..2000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
        assert_eq!(check_pdf(&junk), Err(PdfCheckError::Broken));
    }
}
