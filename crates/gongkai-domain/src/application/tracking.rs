//! 查询码 and 查询密码: what a citizen gets on submission to look the application up without an account.
//!
//! Both use 32 characters that cannot be confused when read aloud or copied by hand (no 0/O, 1/I/L).
//! Each random byte maps to one character by `byte % 32`, which is unbiased (256 = 8 × 32).
//! The tracking code is `YYYY-XXXX-XXXX` (year of submission, then 40 random bits): unguessable on its own,
//! and the password (50 random bits, stored only as a keyed hash, HMAC-SHA-256) is needed as well.

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

fn alphabet() -> &'static [u8] {
    // 31 letters/digits would bias `% 31`; the 32nd symbol is replaced by a second readable letter.
    b"23456789ABCDEFGHJKMNPQRSTUVWXYZE"
}

fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| alphabet()[usize::from(*b % 32)] as char).collect()
}

fn is_code_char(c: char) -> bool {
    c.is_ascii() && alphabet().contains(&(c as u8))
}

/// 查询码, e.g. `2026-7KQ3-M9XD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

impl TrackingCode {
    pub fn generate(year: i32, random: [u8; 8]) -> Self {
        let body = encode(&random);
        Self(format!("{year:04}-{}-{}", &body[..4], &body[4..]))
    }

    /// Accepts what a person types: any case, surrounding spaces, with or without the dashes.
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let compact: String = s.trim().chars().filter(|c| *c != '-' && *c != ' ').collect::<String>().to_uppercase();
        let bad = || Invalid::new("查询码格式不正确，应形如 2026-7KQ3-M9XD");
        if compact.chars().count() != 12 || !compact.is_ascii() {
            return Err(bad());
        }
        let (year, body) = compact.split_at(4);
        if !year.bytes().all(|b| b.is_ascii_digit()) || !body.chars().all(is_code_char) {
            return Err(bad());
        }
        Ok(Self(format!("{year}-{}-{}", &body[..4], &body[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<TrackingCode> for String {
    fn from(c: TrackingCode) -> String {
        c.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 查询密码: 10 characters, shown once and stored only hashed.
#[derive(Clone, PartialEq, Eq)]
pub struct QueryPassword(String);

impl QueryPassword {
    pub const LEN: usize = 10;

    pub fn generate(random: [u8; 10]) -> Self {
        Self(encode(&random))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Normalises what a person typed (case, spaces) before it is verified against the hash.
    pub fn normalise(typed: &str) -> String {
        typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
    }
}

impl fmt::Debug for QueryPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueryPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn no_confusable_characters() {
        for c in ['0', 'O', '1', 'I', 'L'] {
            assert!(!is_code_char(c));
        }
        let mut set: Vec<u8> = alphabet().to_vec();
        set.sort();
        set.dedup();
        assert_eq!(set.len(), 31, "one letter appears twice so that byte % 32 stays unbiased");
    }

    #[test]
    fn tracking_code_shape_and_parsing() {
        let c = TrackingCode::generate(2026, [0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(c.as_str(), "2026-2345-6789");
        assert_eq!(TrackingCode::parse(" 2026 2345 6789 ").unwrap(), c);
        assert_eq!(TrackingCode::parse("2026-abcd-efgh").unwrap().as_str(), "2026-ABCD-EFGH");
        assert!(TrackingCode::parse("2026-ABCD-EFG0").is_err());
        assert!(TrackingCode::parse("2026-ABCD").is_err());
        assert!(TrackingCode::parse("20X6-ABCD-EFGH").is_err());
    }

    proptest! {
        #[test]
        fn generated_codes_parse_back(year in 2000i32..2100, r in any::<[u8; 8]>(), p in any::<[u8; 10]>()) {
            let c = TrackingCode::generate(year, r);
            prop_assert_eq!(TrackingCode::parse(c.as_str()).unwrap(), c.clone());
            prop_assert_eq!(TrackingCode::parse(&c.as_str().to_lowercase()).unwrap(), c);
            let pw = QueryPassword::generate(p);
            prop_assert_eq!(pw.as_str().len(), QueryPassword::LEN);
            prop_assert_eq!(QueryPassword::normalise(&pw.as_str().to_lowercase()), pw.as_str());
        }
    }
}
