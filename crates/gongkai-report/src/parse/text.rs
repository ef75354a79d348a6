//! Text sources: text copied from a browser, and the text extracted from a PDF.

use super::doc::{Block, Doc, collapse_ws};

/// Text copied from a browser. Chrome puts each table cell on its own line after a tab (a blank cell is a lone
/// tab) and ends each row with an empty line; Firefox puts a row on one line with tabs between cells. Text
/// without any tab is read as pipe tables when it draws them with `|`, else loosely, like PDF text.
pub(crate) fn to_doc(s: &str) -> Doc {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    if !s.contains('\t') {
        return if super::pipe::is_pipe_text(&s) { super::pipe::to_doc(&s) } else { loose_doc(&s) };
    }
    let mut doc = Doc::default();
    let mut group: Vec<String> = Vec::new();
    let flush = |group: &mut Vec<String>, doc: &mut Doc| {
        if !group.is_empty() {
            doc.blocks.push(Block::Row(group.drain(..).map(|c| collapse_ws(&c)).collect()));
        }
    };
    for line in s.split('\n') {
        if line.trim().is_empty() && !line.contains('\t') {
            flush(&mut group, &mut doc);
        } else if let Some(rest) = line.strip_prefix('\t')
            && !rest.contains('\t')
        {
            group.push(rest.to_string());
        } else if line.contains('\t') {
            flush(&mut group, &mut doc);
            doc.blocks.push(Block::Row(line.split('\t').map(collapse_ws).collect()));
        } else if let Some(last) = group.last_mut() {
            // a cell whose text wrapped (`商业` / `企业`)
            last.push('\n');
            last.push_str(line);
        } else {
            doc.line(line);
        }
    }
    flush(&mut group, &mut doc);
    doc
}

/// Text whose table structure is lost (PDF extraction, plain text): one line per block; page numbers dropped.
pub(crate) fn loose_doc(s: &str) -> Doc {
    let mut doc = Doc::default();
    for line in s.split(['\n', '\r', '\u{c}']) {
        if !is_page_number(line) {
            doc.line(line);
        }
    }
    doc
}

/// `- 3 -`, `—3—`, `第3页`, `第 3 页 共 10 页`.
pub(crate) fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return false;
    }
    let core = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－'));
    if core.len() < t.len() && !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after: String = rest.chars().skip(digits).collect();
        return digits > 0 && (after == "页" || (after.starts_with("页共") && after.ends_with('页')));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert!(is_page_number("- 3 -"));
        assert!(is_page_number("— 12 —"));
        assert!(is_page_number("第 3 页 共 10 页"));
        assert!(!is_page_number("3"));
        assert!(!is_page_number("0 0 0"));
    }

    #[test]
    fn chrome_rows() {
        let doc = to_doc("标题\n\n\t行政许可\n\t0\n\n\t\n\t商业\n企业\n\t1\n");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Line("标题".into()),
                Block::Row(vec!["行政许可".into(), "0".into()]),
                Block::Row(vec!["".into(), "商业\n企业".into(), "1".into()]),
            ]
        );
    }
}
