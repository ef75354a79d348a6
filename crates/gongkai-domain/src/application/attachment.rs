//! 附件 of an application: which files are accepted, recognised by their content (not only their name).

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};

/// At most this many files per application.
pub const MAX_ATTACHMENTS: usize = 5;
/// At most this many bytes per file (5 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// A stored attachment, kept in the case log; the bytes live in the content-addressed store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

/// Checks one uploaded file and returns its media type: PDF, JPEG, PNG, or Word/Excel (OOXML) documents.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Result<&'static str, Invalid> {
    let shown: String = name.chars().take(60).collect();
    if bytes.is_empty() {
        return Err(Invalid::new(format!("附件“{shown}”是空文件")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(Invalid::new(format!("附件“{shown}”超过{}MB，请压缩或拆分后再上传", MAX_ATTACHMENT_BYTES >> 20)));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let media = match (ext.as_str(), bytes) {
        ("pdf", [b'%', b'P', b'D', b'F', ..]) => "application/pdf",
        ("jpg" | "jpeg", [0xFF, 0xD8, 0xFF, ..]) => "image/jpeg",
        ("png", [0x89, b'P', b'N', b'G', ..]) => "image/png",
        ("docx", _) if crate::ooxml::is_package("docx", bytes) => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        ("xlsx", _) if crate::ooxml::is_package("xlsx", bytes) => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        _ => {
            return Err(Invalid::new(format!("附件“{shown}”的类型不被接受，只接受 PDF、JPG、PNG、DOCX、XLSX 文件")));
        }
    };
    Ok(media)
}

/// A file name safe to show and to offer for download: no path, no control characters, at most 100 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if cleaned.trim().is_empty() { "附件".into() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_by_content_and_name() {
        assert_eq!(check_attachment("身份证.PDF", b"%PDF-1.7 ...").unwrap(), "application/pdf");
        assert_eq!(check_attachment("a.png", b"\x89PNG\r\n").unwrap(), "image/png");
        assert!(check_attachment("a.pdf", b"MZ\x90\x00").unwrap_err().0.contains("类型不被接受"));
        assert!(check_attachment("virus.exe", b"MZ\x90\x00").is_err());
        assert!(check_attachment("a.pdf", b"").unwrap_err().0.contains("空文件"));
        let big = vec![b'%'; MAX_ATTACHMENT_BYTES + 1];
        assert!(check_attachment("a.pdf", &big).unwrap_err().0.contains("超过5MB"));
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\x\\材料.pdf"), "材料.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("/"), "附件");
    }
}
