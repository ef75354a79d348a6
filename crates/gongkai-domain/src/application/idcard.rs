//! 居民身份证号码 (GB 11643-1999): 6-digit 行政区划代码, 8-digit birth date, 3-digit sequence, check character.

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by (Σ aᵢ·Wᵢ) mod 11 (GB 11643 §8.2, ISO 7064 MOD 11-2).
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A checked 18-digit 公民身份号码 (lower-case `x` accepted and stored as `X`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdCardNumber(String);

impl IdCardNumber {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s: String = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(Invalid::new("居民身份证号码应为18位，前17位为数字，最后一位为数字或X"));
        }
        if b[0] == b'0' {
            return Err(Invalid::new("居民身份证号码的地址码不正确，请核对后重新填写"));
        }
        if Self::birth_date_of(&s).is_none() {
            return Err(Invalid::new("居民身份证号码中的出生日期（第7至14位）不是有效日期，请核对后重新填写"));
        }
        let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        if b[17] as char != CHECK[(sum % 11) as usize] {
            return Err(Invalid::new("居民身份证号码校验位（第18位）不正确，请核对后重新填写"));
        }
        Ok(Self(s))
    }

    fn birth_date_of(s: &str) -> Option<Date> {
        let year: i32 = s.get(6..10)?.parse().ok()?;
        let month: u8 = s.get(10..12)?.parse().ok()?;
        let day: u8 = s.get(12..14)?.parse().ok()?;
        if year < 1900 {
            return None;
        }
        Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
    }

    pub fn birth_date(&self) -> Date {
        // Checked by `parse`.
        Self::birth_date_of(&self.0).unwrap_or(Date::MIN)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdCardNumber {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<IdCardNumber> for String {
    fn from(c: IdCardNumber) -> String {
        c.0
    }
}

impl fmt::Display for IdCardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Completes 17 digits with their check character (used by tests and demo data).
pub fn with_check_digit(body17: &str) -> String {
    let sum: u32 = body17.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w).sum();
    format!("{body17}{}", CHECK[(sum % 11) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_example() {
        // The example number of GB 11643-1999 Appendix A: 11010519491231002X.
        // Σ = 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → X.
        let n = IdCardNumber::parse("11010519491231002x").unwrap();
        assert_eq!(n.as_str(), "11010519491231002X");
        assert_eq!(n.birth_date(), time::macros::date!(1949 - 12 - 31));
        assert!(IdCardNumber::parse("110105194912310021").is_err());
    }

    #[test]
    fn refusals_say_why() {
        assert!(IdCardNumber::parse("1101051949123").unwrap_err().0.contains("18位"));
        assert!(IdCardNumber::parse(&with_check_digit("11010519490231002")).unwrap_err().0.contains("出生日期"));
        assert!(IdCardNumber::parse(&with_check_digit("11010518001231002")).unwrap_err().0.contains("出生日期"));
        assert!(IdCardNumber::parse("11010519491231002Y").is_err());
        assert!(IdCardNumber::parse(&with_check_digit("01010519491231002")).unwrap_err().0.contains("地址码"));
    }

    proptest! {
        #[test]
        fn every_valid_body_has_exactly_one_check_char(
            region in 110000u32..=829999, y in 1900i32..=2025, m in 1u8..=12, d in 1u8..=28, seq in 0u32..1000
        ) {
            let body = format!("{region:06}{y:04}{m:02}{d:02}{seq:03}");
            let good = with_check_digit(&body);
            prop_assert!(IdCardNumber::parse(&good).is_ok());
            for c in CHECK {
                let other = format!("{body}{c}");
                if other != good {
                    prop_assert!(IdCardNumber::parse(&other).is_err());
                }
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = IdCardNumber::parse(&s);
        }
    }
}
