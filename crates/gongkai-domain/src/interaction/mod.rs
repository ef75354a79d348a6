//! Public interaction (政民互动): the 市长信箱 (`mailbox`), 12345 work orders (`hotline`) and the call log. Rules:
//! docs/law/public-interaction.md.

pub mod calls;
pub mod hotline;
pub mod limits;
pub mod mailbox;
pub mod stats;

use serde::{Deserialize, Serialize};

/// The type of a letter, order or call (docs/law/public-interaction.md §4.1): the five the annual report uses, plus
/// 其他 for an imported 12345 order whose 诉求类型 is none of them (§7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Consult,
    Help,
    Complaint,
    Suggestion,
    Report,
    Other,
}

impl Kind {
    /// Every kind, in the report's order.
    pub const ALL: [Kind; 6] =
        [Kind::Consult, Kind::Help, Kind::Complaint, Kind::Suggestion, Kind::Report, Kind::Other];
    /// The kinds a mailbox letter may have (the writer chooses one).
    pub const MAILBOX: [Kind; 5] = [Kind::Consult, Kind::Help, Kind::Complaint, Kind::Suggestion, Kind::Report];

    /// The stored and API code: `consult`, `help`, `complaint`, `suggestion`, `report`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Consult => "consult",
            Kind::Help => "help",
            Kind::Complaint => "complaint",
            Kind::Suggestion => "suggestion",
            Kind::Report => "report",
            Kind::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Consult => "咨询",
            Kind::Help => "求助",
            Kind::Complaint => "投诉",
            Kind::Suggestion => "建议",
            Kind::Report => "举报",
            Kind::Other => "其他",
        }
    }

    /// From the code (`consult` …).
    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == code.trim())
    }

    /// From a Chinese label as an imported file or a form writes it (`投诉`, `投诉类`, `我要投诉`); `None` when it
    /// names none of the five.
    pub fn from_zh(label: &str) -> Option<Kind> {
        let label = label.trim();
        Kind::MAILBOX.into_iter().find(|k| label.contains(k.label_zh()))
    }
}

/// A name as lists show it when it must not be shown whole (12345 诉求人 on import, §7.2; a confidential mailbox
/// writer, §4): the first character kept, e.g. `张三丰` → `张**`. A value already masked
/// (with `*`) is kept as it is.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name.contains('*') {
        return name.to_owned();
    }
    let mut chars = name.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    let rest = chars.count();
    if rest == 0 { "*".to_owned() } else { format!("{first}{}", "*".repeat(rest)) }
}

/// A phone number as lists and the call log keep it (§5.1, §7.2): the first 3 and last 4 characters kept, e.g. `13812345678` → `138****5678`;
/// a short number keeps only its last 2. A value already masked is kept as it is.
pub fn mask_phone(phone: &str) -> String {
    let phone = phone.trim();
    if phone.is_empty() || phone.contains('*') {
        return phone.to_owned();
    }
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    let (head, tail) = if n >= 8 { (3, 4) } else { (0, 2.min(n)) };
    let stars = n - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(stars));
    out.extend(&chars[n - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::from_zh("我要投诉"), Some(Kind::Complaint));
        assert_eq!(Kind::from_zh("表扬"), None);
    }
}
