//! The annual report as PDF, typeset by typst used as a library.
//!
//! The report is laid out by [`gongkai_report::render::layout`] (the same grids of merged cells as the HTML,
//! DOCX and XLSX exports) and written as typst markup, compiled with CJK fonts found on the machine (Debian
//! `fonts-noto-cjk`, OFL): Noto Serif CJK for the body (宋/仿宋-like), Noto Sans CJK for title and headings
//! (黑体-like). This crate is separate so that typst's long compile never touches the other crates.

mod fonts;
mod letter;
mod markup;

use std::sync::OnceLock;

use gongkai_domain::annual_report::AnnualReport;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

pub use fonts::FONT_DIRS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error(
        "未找到中文字体（Noto Serif/Sans CJK），已查找：{searched}。请安装 fonts-noto-cjk，或设置 GONGKAI_FONT_DIR"
    )]
    NoCjkFont { searched: String },
    #[error("排版失败：{0}")]
    Typeset(String),
    #[error("PDF 导出失败：{0}")]
    Export(String),
}

/// The fonts found on the machine and their book.
type Fonts = (LazyHash<FontBook>, Vec<Font>);

/// The fonts, read once per process (the collections are tens of MiB).
fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Result<Fonts, PdfError>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let fonts = fonts::load()?;
            Ok((LazyHash::new(FontBook::from_fonts(&fonts)), fonts))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A world of one source file and the system's CJK fonts; no other files, no packages.
struct ReportWorld {
    library: LazyHash<Library>,
    book: &'static LazyHash<FontBook>,
    fonts: &'static [Font],
    main: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // the report states its own dates; the document does not depend on the clock
        None
    }
}

/// The typst source of the report (for debugging a layout).
pub fn source(r: &AnnualReport) -> String {
    markup::document(r)
}

/// The report as PDF bytes (A4).
pub fn render(r: &AnnualReport) -> Result<Vec<u8>, PdfError> {
    compile(markup::document(r))
}

/// A 文书 of 依申请公开 (补正告知书, 答复告知书 …) as PDF bytes (A4, in the layout of the DOCX).
pub fn render_letter(l: &gongkai_report::letters::Letter) -> Result<Vec<u8>, PdfError> {
    compile(letter::document(l))
}

/// The typst source of a letter (for debugging a layout).
pub fn letter_source(l: &gongkai_report::letters::Letter) -> String {
    letter::document(l)
}

fn compile(source: String) -> Result<Vec<u8>, PdfError> {
    let (book, fonts) = fonts()?;
    let world = ReportWorld {
        library: LazyHash::new(<Library as LibraryExt>::default()),
        book,
        fonts,
        main: Source::detached(source),
    };
    let document: Result<typst_layout::PagedDocument, PdfError> = typst::compile(&world)
        .output
        .map_err(|diags| PdfError::Typeset(diags.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("；")));
    let pdf = document.and_then(|d| {
        typst_pdf::pdf(&d, &typst_pdf::PdfOptions::default())
            .map_err(|diags| PdfError::Export(diags.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("；")))
    });
    // typst memoises layout work in process-wide caches that only grow: a server renders ever different
    // letters and reports, so the caches are emptied after each document (issue 14 P6: 148 → 278 MB over 30
    // different reports without this). The fonts stay loaded (read once, `fonts()`).
    comemo::evict(0);
    pdf
}
