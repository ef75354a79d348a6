//! Identifiers of organisations: 统一社会信用代码 (GB 32100-2015) and the older 组织机构代码 (GB 11714-1997).

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The 31 characters of GB 32100 in value order (I, O, Z, S, V are not used).
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// 统一社会信用代码: 18 characters, the last a check character over the first 17 (GB 32100-2015 §4).
/// Government bodies' codes start with `11` (机构编制 / 机关).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s: String = s.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        let values: Option<Vec<u32>> = s.chars().map(|c| CREDIT_CHARS.find(c).map(|i| i as u32)).collect();
        let Some(values) = values.filter(|v| v.len() == 18) else {
            return Err(Invalid::new("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"));
        };
        let sum: u32 = values[..17].iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(Invalid::new("统一社会信用代码校验位不正确，请核对后重新填写"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The embedded 组织机构代码 (characters 9–17), as used in 索引号 templates.
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// 组织机构代码 (GB 11714-1997): 8 body characters (digits or capital letters), an optional hyphen, and a
/// check character (a digit or `X`). Still printed on older agencies' pages and used in 索引号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s: String = s.trim().chars().filter(|c| *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let invalid = || Invalid::new("组织机构代码应为8位数字或字母加1位校验码，例如 12345678-9");
        if s.len() != 9 || !s.is_ascii() {
            return Err(invalid());
        }
        let mut sum = 0;
        for (c, w) in s[..8].chars().zip(ORG_WEIGHTS) {
            let v = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'A'..='Z' => c as u32 - 'A' as u32 + 10,
                _ => return Err(invalid()),
            };
            sum += v * w;
        }
        let expected = match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            n => char::from_digit(n, 10).unwrap_or('0'),
        };
        if s.chars().nth(8) != Some(expected) {
            return Err(Invalid::new("组织机构代码校验码不正确，请核对后重新填写"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<OrgCode> for String {
    fn from(c: OrgCode) -> String {
        c.0
    }
}

/// An agency's registered identifier: the unified credit code, or (older registrations) the organisation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgencyIdentifier {
    Credit(CreditCode),
    Org(OrgCode),
}

impl AgencyIdentifier {
    /// Accepts either form, telling by length (18 → credit code, 9/10 → organisation code).
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let t = s.trim();
        match t.chars().count() {
            18 => CreditCode::parse(t).map(Self::Credit),
            9 | 10 => OrgCode::parse(t).map(Self::Org),
            _ => Err(Invalid::new("请填写18位统一社会信用代码，或9位组织机构代码（如 12345678-9）")),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Credit(c) => c.as_str(),
            Self::Org(o) => o.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes a 17-character body with its GB 32100 check character, computed independently of `parse`
    /// from the standard's definition (C18 = 31 − (Σ Ci·Wi mod 31), 31 → 0).
    fn with_check(body: &str) -> String {
        let mut sum = 0;
        for (i, c) in body.chars().enumerate() {
            let v = CREDIT_CHARS.find(c).unwrap() as u32;
            sum += v * 3u32.pow(i as u32) % 31;
        }
        let check = (31 - sum % 31) % 31;
        format!("{body}{}", CREDIT_CHARS.chars().nth(check as usize).unwrap())
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        // GB 32100 defines Wi = 3^(i-1) mod 31; the table must agree.
        for (i, w) in CREDIT_WEIGHTS.iter().enumerate() {
            assert_eq!(*w, 3u32.pow(i as u32) % 31);
        }
    }

    #[test]
    fn credit_code_check_character() {
        // A constructed code is accepted with its check character and refused with any other.
        let code = with_check("11410381MB1557123");
        assert!(CreditCode::parse(&code).is_ok(), "{code}");
        assert!(CreditCode::parse(&code.to_lowercase()).is_ok());
        // Change the check character: refused.
        let mut wrong = code.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert!(CreditCode::parse(&wrong).is_err());
        // Wrong length or forbidden letters: refused.
        assert!(CreditCode::parse("1141038100").is_err());
        assert!(CreditCode::parse("11410381MB155712OI").is_err());
        assert_eq!(CreditCode::parse(&code).unwrap().org_code(), "MB1557123");
    }

    #[test]
    fn real_published_credit_code() {
        // The sample code commonly printed with GB 32100-2015.
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
    }

    #[test]
    fn org_code_check() {
        // GB 11714 example: D2143569-X is not valid; 00000000-0 is trivially valid (sum 0 → 11 → '0').
        assert!(OrgCode::parse("00000000-0").is_ok());
        // Compute one by hand: body 12345678 → 1*3+2*7+3*9+4*10+5*5+6*8+7*4+8*2 = 201; 201 mod 11 = 3; 11-3 = 8.
        assert!(OrgCode::parse("12345678-8").is_ok());
        assert!(OrgCode::parse("123456788").is_ok());
        assert!(OrgCode::parse("12345678-7").is_err());
        assert!(OrgCode::parse("1234567").is_err());
    }

    #[test]
    fn identifier_either_form() {
        assert!(matches!(AgencyIdentifier::parse("12345678-8"), Ok(AgencyIdentifier::Org(_))));
        assert!(matches!(AgencyIdentifier::parse("91350100M000100Y43"), Ok(AgencyIdentifier::Credit(_))));
        assert!(AgencyIdentifier::parse("abc").is_err());
    }
}
