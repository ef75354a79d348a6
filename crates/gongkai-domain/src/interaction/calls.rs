//! 接访电话: the call log (docs/law/public-interaction.md §5).

/// How a call was handled (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// 当场答复.
    Answered,
    /// 转办 to a department.
    Transferred,
    /// 转12345.
    ToHotline,
    /// 转信访.
    ToPetition,
}

impl Handling {
    pub const ALL: [Handling; 4] =
        [Handling::Answered, Handling::Transferred, Handling::ToHotline, Handling::ToPetition];

    pub fn as_str(self) -> &'static str {
        match self {
            Handling::Answered => "answered",
            Handling::Transferred => "transferred",
            Handling::ToHotline => "to_hotline",
            Handling::ToPetition => "to_petition",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Handling::Answered => "当场答复",
            Handling::Transferred => "转办",
            Handling::ToHotline => "转12345",
            Handling::ToPetition => "转信访",
        }
    }

    pub fn parse(s: &str) -> Option<Handling> {
        Handling::ALL.into_iter().find(|h| h.as_str() == s.trim())
    }
}

/// The answer limit of a call that needs follow-up, in working days after the call [I]: the mailbox's default
/// (docs/law/public-interaction.md §4.4, §5.2).
pub const FOLLOW_UP_WD: u32 = super::mailbox::DEFAULT_LIMIT_WD;

/// A caller's number as the log keeps it: its digits masked like every number of the module (`139****5678`; a
/// short number keeps its last 2).
pub fn mask_number(raw: &str) -> String {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    super::mask_phone(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked_before_they_are_stored() {
        assert_eq!(mask_number("139-1234-5678"), "139****5678");
        assert_eq!(mask_number("0398 5812345"), "039****2345");
        assert_eq!(mask_number("110"), "*10");
    }
}
