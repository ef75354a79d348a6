//! Published report → [`AnnualReport`] + what could not be read.
//!
//! Every source is reduced to one [`doc::Doc`] (lines and table rows), then [`locate`] finds cells by their
//! labels. Nothing is guessed: an unreadable cell is `None` with an `unread` finding.

mod doc;
mod docx;
mod html;
mod locate;
mod pdf;
mod pipe;
mod text;

use gongkai_domain::annual_report::{AnnualReport, Finding};

/// Input larger than this is refused (a report is a few hundred KiB; PDFs with images a few MiB).
pub const MAX_INPUT: usize = 20 * 1024 * 1024;

/// The form a published report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Html,
    /// Text copied from a browser (one cell per line) or any plain text.
    Text,
    Pdf,
    Docx,
}

impl SourceKind {
    /// Guesses the kind from the first bytes: `%PDF`, a zip holding `word/document.xml`, `<` markup, else text.
    pub fn sniff(bytes: &[u8]) -> SourceKind {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            return SourceKind::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return SourceKind::Docx;
        }
        let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let first = start.iter().position(|b| !b.is_ascii_whitespace()).map(|i| start[i]);
        if first == Some(b'<') {
            return SourceKind::Html;
        }
        let lower: Vec<u8> = start[..start.len().min(4096)].to_ascii_lowercase();
        if [&b"<html"[..], b"<body", b"<table", b"<!doctype html"]
            .iter()
            .any(|tag| lower.windows(tag.len()).any(|w| w == *tag))
        {
            return SourceKind::Html;
        }
        SourceKind::Text
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Html => "HTML",
            Self::Text => "文本",
            Self::Pdf => "PDF",
            Self::Docx => "DOCX",
        }
    }
}

/// A parsed report and the parser's own findings (`unread`, `format`, and R5 for cells that are not numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub report: AnnualReport,
    pub findings: Vec<Finding>,
    pub kind: SourceKind,
    /// （六）其他处理 printed as one row (the 2019 layout inside a 2021-format report): the row's cells, each the
    /// total of （六）1–3, whose own cells stay `None`. A `format` warning says so; the checks use it.
    pub other_handling: Option<[Option<u32>; 7]>,
}

/// The file cannot be read as a report at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("文件为空")]
    Empty,
    #[error("文件过大（{size} 字节），上限为 {} MiB", MAX_INPUT / 1024 / 1024)]
    TooLarge { size: usize },
    #[error("文件不是 UTF-8 编码（可能是 GBK/GB18030），暂不支持，请先转换为 UTF-8 再审核")]
    Encoding,
    #[error("HTML 嵌套层级过深（超过{}层），不是正常的网页", html::MAX_NESTING)]
    TooDeep,
    #[error("无法读取 PDF：{0}")]
    Pdf(String),
    #[error("PDF 中没有可提取的文字（可能是扫描图片），无法审核")]
    PdfNoText,
    #[error("无法读取 DOCX：{0}")]
    Docx(String),
    #[error("未找到政府信息公开工作年度报告的标题、章节或表格，不像是年度报告")]
    NotAReport,
}

/// Parses a published annual report. `kind` is sniffed when `None`.
pub fn parse(bytes: &[u8], kind: Option<SourceKind>) -> Result<Parsed, ParseError> {
    if bytes.len() > MAX_INPUT {
        return Err(ParseError::TooLarge { size: bytes.len() });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Empty);
    }
    let kind = kind.unwrap_or_else(|| SourceKind::sniff(bytes));
    let doc = match kind {
        SourceKind::Html => {
            let src = decode(bytes)?;
            if html::nesting_depth(&src) > html::MAX_NESTING {
                return Err(ParseError::TooDeep);
            }
            html::to_doc(&src)
        }
        SourceKind::Text => text::to_doc(&decode(bytes)?),
        SourceKind::Pdf => text::loose_doc(&pdf::extract(bytes)?),
        SourceKind::Docx => docx::to_doc(bytes)?,
    };
    let located = locate::locate(&doc)?;
    Ok(Parsed { report: located.report, findings: located.findings, kind, other_handling: located.other_handling })
}

/// UTF-8 (with or without BOM) or UTF-16 with BOM; anything else (GBK, GB18030) is refused clearly.
fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return std::str::from_utf8(rest).map(str::to_string).map_err(|_| ParseError::Encoding);
    }
    let utf16 = |rest: &[u8], be: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).map_err(|_| ParseError::Encoding)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, true);
    }
    std::str::from_utf8(bytes).map(str::to_string).map_err(|_| ParseError::Encoding)
}
