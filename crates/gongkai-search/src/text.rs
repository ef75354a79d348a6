//! Text helpers: highlighted snippets as HTML, escaping, and the normal form of a 文号.

/// The snippet as HTML with `<mark>` around the matches and everything else escaped. tantivy's own `to_html`
/// can panic on ranges that fall outside the fragment (seen with several query words), so ranges are checked,
/// sorted and merged here, and bad ones are skipped.
pub(crate) fn highlight(snippet: &tantivy::snippet::Snippet) -> String {
    let text = snippet.fragment();
    let mut ranges: Vec<std::ops::Range<usize>> = snippet
        .highlighted()
        .iter()
        .filter(|r| {
            r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for r in ranges {
        let start = r.start.max(at);
        if start >= r.end {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The normal form of a 文号 (GB/T 9704: the year in 六角括号 〔〕): a four-digit year in any other brackets
/// people type — `[2023]`, `【2023】`, `(2023)`, `（2023）`, `［2023］`, `〔2023〕` — becomes `〔2023〕`; spaces go.
pub fn doc_no_key(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let open = |c: char| matches!(c, '[' | '【' | '(' | '（' | '［' | '〔' | '﹝' | '{');
    let close = |c: char| matches!(c, ']' | '】' | ')' | '）' | '］' | '〕' | '﹞' | '}');
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i + 1..i + 5);
        if open(chars[i])
            && year.is_some_and(|y| y.iter().all(char::is_ascii_digit))
            && chars.get(i + 5).copied().is_some_and(close)
        {
            out.push('〔');
            out.extend(&chars[i + 1..i + 5]);
            out.push('〕');
            i += 6;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
