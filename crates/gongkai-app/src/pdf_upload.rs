//! An uploaded PDF must parse, not only start like one (issue 15: "PDFs must parse"): the content sniffing of
//! the domain (`application::check_attachment`, `catalog::sniff_attachment`) looks at the first bytes and, for
//! Office files, at the zip's names; a PDF is then parsed for real (`gongkai_report::pdf_check`).

/// For a file sniffed as `application/pdf`: Ok if it parses with at least one page, else the Chinese message
/// naming the file (`附件“x.pdf”无法解析，文件可能已损坏或不完整…`). Other types pass unchanged.
pub(crate) fn check_pdf_upload(name: &str, media_type: &str, bytes: &[u8]) -> Result<(), String> {
    if media_type != "application/pdf" {
        return Ok(());
    }
    gongkai_report::pdf_check::check_pdf(bytes).map(|_| ()).map_err(|e| {
        let shown: String = name.chars().take(60).collect();
        format!("附件“{shown}”{e}")
    })
}
