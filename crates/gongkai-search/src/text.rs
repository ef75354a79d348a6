//! Text helpers: highlighted snippets as HTML, escaping, and the normal form of a 文号.

/// The fragment of `text` of at most `max_chars` characters that holds the most of the query's `tokens` (by
/// their length in characters, each counted once; the earliest such fragment), as HTML with `<mark>` around every
/// occurrence of a token in it and everything else escaped; `None` when no token occurs in `text`.
///
/// Tokens are found as substrings: the words are already known (the query's tokens), so the text is not cut
/// into words again for each hit (re-segmenting ten bodies with jieba was a good share of a fast search).
pub(crate) fn snippet(text: &str, tokens: &[String], max_chars: usize) -> Option<String> {
    /// Enough occurrences to place a fragment well; a body that repeats a word thousands of times is not
    /// searched to its end.
    const MAX_HITS: usize = 256;
    let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, token) in bytes
    for (k, token) in tokens.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
        hits.extend(text.match_indices(token.as_str()).take(MAX_HITS).map(|(at, t)| (at, at + t.len(), k)));
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort_unstable();
    hits.truncate(MAX_HITS);
    // The end (in bytes) of a fragment of `max_chars` characters that starts at `start`.
    let end_of = |start: usize| text[start..].char_indices().nth(max_chars).map_or(text.len(), |(i, _)| start + i);
    let weight = |k: usize| tokens[k].chars().count();
    let mut best = (0, 0); // (weight, start)
    for (i, &(start, ..)) in hits.iter().enumerate() {
        if i > 0 && hits[i - 1].0 == start {
            continue;
        }
        let end = end_of(start);
        let mut seen = Vec::new();
        let mut w = 0;
        for &(_, e, k) in hits[i..].iter().take_while(|h| h.0 < end) {
            if e <= end && !seen.contains(&k) {
                seen.push(k);
                w += weight(k);
            }
        }
        if w > best.0 {
            best = (w, start);
        }
    }
    let (start, end) = (best.1, end_of(best.1));
    let ranges: Vec<std::ops::Range<usize>> =
        hits.iter().filter(|h| h.0 >= start && h.1 <= end).map(|h| h.0 - start..h.1 - start).collect();
    Some(marked(&text[start..end], ranges))
}

/// `text` as HTML with `<mark>` around the byte `ranges` (checked, sorted and merged; bad ones skipped) and
/// everything else escaped.
fn marked(text: &str, mut ranges: Vec<std::ops::Range<usize>>) -> String {
    ranges.retain(|r| {
        r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    });
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
