//! Model → documents: the annual report as HTML, DOCX, XLSX and JSON, all laid out by [`layout`] (the official
//! format, once). PDF lives in the `gongkai-pdf` crate (typst is slow to compile) and uses the same layout.

mod docx;
mod html;
pub mod layout;
mod xlsx;

pub use docx::{DocxError, docx};
pub use html::{article as html_article, article_untitled as html_article_untitled, escape as html_escape, html};
pub use xlsx::xlsx;

use gongkai_domain::annual_report::{AnnualReport, Finding};

/// The formats this crate renders (PDF: `gongkai-pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Docx,
    Xlsx,
    /// `gongkai.annual-report/v1`.
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Self::Html, Self::Docx, Self::Xlsx, Self::Json];

    /// File extension, also the `--format` value.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
        }
    }

    pub fn from_extension(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.extension().eq_ignore_ascii_case(s))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Html => "text/html; charset=utf-8",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Json => "application/json",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Docx(#[from] DocxError),
    #[error("无法生成 XLSX：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("无法生成 JSON：{0}")]
    Json(#[from] serde_json::Error),
}

/// Renders `r` in `format`. `findings` go into the JSON (pass the checker's result); other formats ignore them.
pub fn render(r: &AnnualReport, findings: &[Finding], format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Html => html(r).into_bytes(),
        Format::Docx => docx(r)?,
        Format::Xlsx => xlsx(r)?,
        Format::Json => {
            let mut json = serde_json::to_vec_pretty(&gongkai_domain::annual_report::to_json(r, findings))?;
            json.push(b'\n');
            json
        }
    })
}
