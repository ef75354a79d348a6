//! Finding the CJK fonts: Noto Serif CJK and Noto Sans CJK collections in the usual font directories.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::PdfError;

/// Where distributions put Noto CJK (Debian/Ubuntu `fonts-noto-cjk` first); `GONGKAI_FONT_DIR` is searched
/// before these.
pub const FONT_DIRS: [&str; 7] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
];

fn is_noto_cjk(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.starts_with("NotoSerifCJK") || name.starts_with("NotoSansCJK"))
        && (name.ends_with(".ttc") || name.ends_with(".otf") || name.ends_with(".ttf"))
}

/// The fonts of `GONGKAI_FONT_DIR` or of the first of [`FONT_DIRS`] that has Noto CJK.
pub(crate) fn load() -> Result<Vec<Font>, PdfError> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("GONGKAI_FONT_DIR").map(PathBuf::from).into_iter().collect();
    dirs.extend(FONT_DIRS.iter().map(PathBuf::from));
    load_from(&dirs)
}

/// Every face of every Noto CJK file found in the first directory that has any.
fn load_from(dirs: &[PathBuf]) -> Result<Vec<Font>, PdfError> {
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| is_noto_cjk(p)).collect();
        if files.is_empty() {
            continue;
        }
        files.sort();
        let mut fonts = Vec::new();
        for file in files {
            // an unreadable file is skipped; the directory still counts if another face loads
            if let Ok(data) = std::fs::read(&file) {
                fonts.extend(Font::iter(Bytes::new(data)));
            }
        }
        if fonts.iter().any(|f| f.info().family.contains("CJK")) {
            return Ok(fonts);
        }
    }
    Err(PdfError::NoCjkFont { searched: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join("、") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cjk_font_is_a_clear_error_naming_the_directories() {
        let empty = std::env::temp_dir();
        let err = load_from(&[empty.join("gongkai-no-such-font-dir")]).unwrap_err();
        assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
        assert!(err.to_string().contains("gongkai-no-such-font-dir"), "{err}");
    }

    #[test]
    fn the_debian_fonts_are_found() {
        let fonts = load().unwrap();
        let families: Vec<&str> = fonts.iter().map(|f| f.info().family.as_str()).collect();
        assert!(families.contains(&"Noto Serif CJK SC"), "{families:?}");
        assert!(families.contains(&"Noto Sans CJK SC"), "{families:?}");
    }
}
