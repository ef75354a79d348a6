//! Table cells as written: numbers, blanks, dashes and what cannot be read.

use gongkai_domain::annual_report::text::normalize_label;
use gongkai_domain::annual_report::{Finding, Rule};

/// A table cell as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Int(u32),
    Dec(f64),
    Blank,
    /// `—`, `/`, `无`: not a number (R5).
    Dash(String),
    Negative(String),
    /// Anything else: unreadable.
    Garbage(String),
}

impl Cell {
    pub(crate) fn parse(raw: &str) -> Cell {
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.is_empty() {
            return Cell::Blank;
        }
        if words.len() > 1 {
            return Cell::Garbage(raw.trim().to_string());
        }
        let s = normalize_label(words[0]);
        // thousands separators
        let chars: Vec<char> = s.chars().collect();
        let s: String = chars
            .iter()
            .enumerate()
            .filter(|&(i, c)| {
                !(*c == '，'
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            })
            .map(|(_, c)| *c)
            .collect();
        let is_int = |t: &str| !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit());
        let is_dec = |t: &str| t.split_once('.').is_some_and(|(a, b)| is_int(a) && is_int(b));
        if is_int(&s) {
            return s.parse().map(Cell::Int).unwrap_or_else(|_| Cell::Garbage(s));
        }
        if is_dec(&s) {
            return s.parse().map(Cell::Dec).unwrap_or_else(|_| Cell::Garbage(s));
        }
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('—'))
            && (is_int(rest) || is_dec(rest))
        {
            return Cell::Negative(s);
        }
        if s.chars().all(|c| matches!(c, '-' | '—' | '–' | '/' | '／' | '\\' | '一' | '―'))
            && s.chars().count() <= 4
            && s != "一"
            || matches!(s.as_str(), "无" | "空" | "/" | "×")
        {
            return Cell::Dash(s);
        }
        Cell::Garbage(s)
    }

    /// Whether a loose text piece can be a table value.
    pub fn is_loose_value(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Dec(_) | Cell::Negative(_))
            || matches!(self, Cell::Dash(s) if s.chars().all(|c| matches!(c, '-' | '—' | '–' | '/' | '／')))
    }

    pub fn is_value(&self) -> bool {
        !matches!(self, Cell::Blank | Cell::Garbage(_))
    }
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        t.push('…');
    }
    t
}

/// An integer cell: the value, or `None` with a finding saying why (a blank gets its R5 from `check`).
pub(super) fn int_cell(cell: &Cell, loc: &str, what: &str, findings: &mut Vec<Finding>) -> Option<u32> {
    match cell {
        Cell::Int(v) => return Some(*v),
        Cell::Blank => {}
        Cell::Dash(s) => {
            findings.push(Finding::warning(Rule::R5, loc, format!("{what} 填写为“{s}”，不是数字（为0时应填写0）")))
        }
        Cell::Negative(s) => findings.push(Finding::error(Rule::R5, loc, format!("{what} 为负数“{s}”"))),
        Cell::Dec(v) => findings.push(Finding::error(Rule::R5, loc, format!("{what} 为“{v}”，不是整数"))),
        Cell::Garbage(s) => {
            findings.push(Finding::warning(Rule::Unread, loc, format!("{what} 无法识别：“{}”", short(s))))
        }
    }
    None
}

pub(super) fn decimal_cell(cell: &Cell, loc: &str, findings: &mut Vec<Finding>) -> Option<f64> {
    match cell {
        Cell::Int(v) => Some(f64::from(*v)),
        Cell::Dec(v) => Some(*v),
        other => {
            int_cell(other, loc, "表二 行政事业性收费", findings);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(Cell::parse(" １２ "), Cell::Int(12));
        assert_eq!(Cell::parse("1,234"), Cell::Int(1234));
        assert_eq!(Cell::parse("0.35"), Cell::Dec(0.35));
        assert_eq!(Cell::parse("—"), Cell::Dash("—".into()));
        assert_eq!(Cell::parse("-2"), Cell::Negative("-2".into()));
        assert_eq!(Cell::parse("1O"), Cell::Garbage("1O".into()));
        assert_eq!(Cell::parse(""), Cell::Blank);
    }
}
