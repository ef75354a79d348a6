//! Model → documents: the annual report as HTML, DOCX, XLSX and JSON, all laid out by [`layout`] (the official
//! format, once). PDF lives in the `gongkai-pdf` crate (typst is slow to compile) and uses the same layout.

mod docx;
mod html;
pub mod layout;

pub use docx::{DocxError, docx};
pub use html::{article as html_article, escape as html_escape, html};
