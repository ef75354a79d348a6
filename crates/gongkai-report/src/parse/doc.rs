//! The common form every source is reduced to before cells are located by label.

/// One block of the document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A paragraph or line of text outside a table.
    Line(String),
    /// A table row with reliable cell boundaries (HTML and DOCX tables, browser-copied text), merged cells
    /// counted once and holes at the end of a row filled with blank cells.
    Row(Vec<String>),
}

#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub blocks: Vec<Block>,
    /// `<title>` of an HTML page (used when the body has no title line).
    pub title: Option<String>,
}

impl Doc {
    /// Text whose table cells cannot be told apart (PDF, plain text without tabs).
    pub fn is_loose(&self) -> bool {
        !self.blocks.iter().any(|b| matches!(b, Block::Row(_)))
    }

    pub fn line(&mut self, s: &str) {
        let t = s.trim();
        if !t.is_empty() {
            self.blocks.push(Block::Line(collapse_ws(t)));
        }
    }
}

/// Collapses runs of whitespace (including U+3000 and NBSP) to one space, trimming both ends; keeps `\n`
/// between non-empty lines.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let mut words = line.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let mut first = true;
        for w in words {
            if !first {
                out.push(' ');
            }
            out.push_str(w);
            first = false;
        }
    }
    out
}
