//! Text normalisation shared by the parser and the narrative checks (R7, R8).
//!
//! Published reports mix full- and half-width characters and put spaces (or line breaks) inside labels;
//! matching is done on a canonical form: ASCII digits and letters, full-width Chinese punctuation, no spaces.

/// Canonical form of one character, or `None` for characters dropped from labels (whitespace, zero-width).
pub fn fold_char(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() => None,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => None,
        '(' | '（' | '﹙' => Some('（'),
        ')' | '）' | '﹚' => Some('）'),
        ',' => Some('，'),
        ':' => Some('：'),
        ';' => Some('；'),
        '．' => Some('.'),
        // Other full-width ASCII (digits, letters, %, +, -, /) → ASCII.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '−' => Some('-'),
        c => Some(c),
    }
}

/// Canonical label text: full-width digits/letters folded, brackets unified, spaces and quotes removed.
pub fn normalize_label(s: &str) -> String {
    s.chars()
        .filter_map(fold_char)
        .filter(|c| !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '『' | '』'))
        .collect()
}

/// Fold full-width digits and letters only, keeping spacing (for narrative text, which is quoted back).
pub fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold() {
        assert_eq!(normalize_label("（三） 不予公开"), "（三）不予公开");
        assert_eq!(normalize_label("(三)不予 公开"), "（三）不予公开");
        assert_eq!(normalize_label("３．危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(normalize_label("三 、本 年 度办\n理 结果"), "三、本年度办理结果");
        assert_eq!(fold_digits("收到申请１２件"), "收到申请12件");
    }
}
