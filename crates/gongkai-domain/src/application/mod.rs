//! 依申请公开: who applies, with which identity document, what the answer can be (table 三), fees (109号),
//! the case state machine and the public tracking code. Source: docs/law/applications.md.

mod attachment;
mod case;
mod fees;
pub mod form;
mod idcard;
pub mod letters;
mod outcome;
mod review;
mod stage;
mod tracking;

pub use attachment::{Attachment, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, check_attachment, clean_file_name};
pub use case::{CaseEvent, CaseEventKind, clock_events, replay};
pub use fees::{FeeMethod, fee_by_pages, fee_for_month_count, fee_for_nth_in_month};
pub use idcard::{IdCardNumber, with_check_digit};
pub use outcome::Outcome;
pub use review::{ReviewKind, ReviewResult};
pub use stage::{Action, CaseState, Refusal, Stage};
pub use tracking::{QueryPassword, TrackingCode};

use crate::agency::Invalid;
use crate::ids::CreditCode;
use serde::{Deserialize, Serialize};

/// 申请人类型: the columns of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织：商业企业
    Business,
    /// 法人或其他组织：科研机构
    Research,
    /// 法人或其他组织：社会公益组织
    PublicWelfare,
    /// 法人或其他组织：法律服务机构
    LegalService,
    /// 法人或其他组织：其他
    OtherOrganisation,
}

impl ApplicantType {
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::NaturalPerson,
        ApplicantType::Business,
        ApplicantType::Research,
        ApplicantType::PublicWelfare,
        ApplicantType::LegalService,
        ApplicantType::OtherOrganisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "natural_person",
            ApplicantType::Business => "business",
            ApplicantType::Research => "research",
            ApplicantType::PublicWelfare => "public_welfare",
            ApplicantType::LegalService => "legal_service",
            ApplicantType::OtherOrganisation => "other_organisation",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| Invalid::new("请选择申请人类型"))
    }

    /// The column heading of table 三 (`自然人`, `商业企业` …, `其他`).
    pub fn column_zh(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::Business => "商业企业",
            ApplicantType::Research => "科研机构",
            ApplicantType::PublicWelfare => "社会公益组织",
            ApplicantType::LegalService => "法律服务机构",
            ApplicantType::OtherOrganisation => "其他",
        }
    }

    /// A full label for forms and case pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::Business => "法人或其他组织（商业企业）",
            ApplicantType::Research => "法人或其他组织（科研机构）",
            ApplicantType::PublicWelfare => "法人或其他组织（社会公益组织）",
            ApplicantType::LegalService => "法人或其他组织（法律服务机构）",
            ApplicantType::OtherOrganisation => "法人或其他组织（其他）",
        }
    }

    pub fn is_natural_person(self) -> bool {
        self == ApplicantType::NaturalPerson
    }
}

/// 身份证明的种类 (条例 Art. 29). Only the first two carry a check digit/character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocumentType {
    /// 居民身份证 (GB 11643)
    IdCard,
    /// 统一社会信用代码 (GB 32100)
    CreditCode,
    /// 护照
    Passport,
    /// 港澳台居民证件（通行证、居住证等）
    HkMacaoTaiwan,
    /// 其他身份证明
    Other,
}

impl IdDocumentType {
    pub const ALL: [IdDocumentType; 5] = [
        IdDocumentType::IdCard,
        IdDocumentType::CreditCode,
        IdDocumentType::Passport,
        IdDocumentType::HkMacaoTaiwan,
        IdDocumentType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdDocumentType::IdCard => "id_card",
            IdDocumentType::CreditCode => "credit_code",
            IdDocumentType::Passport => "passport",
            IdDocumentType::HkMacaoTaiwan => "hk_macao_taiwan",
            IdDocumentType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| Invalid::new("请选择证件类型"))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            IdDocumentType::IdCard => "居民身份证",
            IdDocumentType::CreditCode => "统一社会信用代码",
            IdDocumentType::Passport => "护照",
            IdDocumentType::HkMacaoTaiwan => "港澳台居民证件",
            IdDocumentType::Other => "其他身份证明",
        }
    }
}

/// A checked identity document: the number is normalised (upper case, trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: IdDocumentType,
    pub number: String,
}

impl IdDocument {
    /// Checks `number` by the rule of its kind: 身份证 check digit and birth date, 信用代码 check character;
    /// other documents only for being present and plausible in length.
    pub fn parse(kind: IdDocumentType, number: &str) -> Result<Self, Invalid> {
        let number = match kind {
            IdDocumentType::IdCard => IdCardNumber::parse(number)?.as_str().to_owned(),
            IdDocumentType::CreditCode => CreditCode::parse(number)?.as_str().to_owned(),
            _ => {
                let n: String = number.trim().to_uppercase();
                if n.is_empty() {
                    return Err(Invalid::new("请填写证件号码"));
                }
                if n.chars().count() > 40 || n.chars().any(char::is_control) {
                    return Err(Invalid::new("证件号码格式不正确（最多40个字符）"));
                }
                n
            }
        };
        Ok(Self { kind, number })
    }

    /// The number as shown in lists and logs: only the first 3 and last 2 characters (e.g. `110**************1X`).
    pub fn masked(&self) -> String {
        mask(&self.number)
    }
}

/// Masks all but the first 3 and last 2 characters (short numbers keep only the last one).
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    if n <= 5 {
        return chars.iter().enumerate().map(|(i, c)| if i + 1 == n { *c } else { '*' }).collect();
    }
    chars.iter().enumerate().map(|(i, c)| if i < 3 || i >= n - 2 { *c } else { '*' }).collect()
}

/// 获取信息的方式 (条例 Art. 29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryForm {
    /// 纸质（邮寄）
    Paper,
    /// 电子邮件
    Email,
    /// 光盘等存储介质
    Disc,
    /// 自行领取
    PickUp,
    /// 在线查阅（通过本平台）
    Online,
}

impl DeliveryForm {
    pub const ALL: [DeliveryForm; 5] =
        [DeliveryForm::Paper, DeliveryForm::Email, DeliveryForm::Disc, DeliveryForm::PickUp, DeliveryForm::Online];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryForm::Paper => "paper",
            DeliveryForm::Email => "email",
            DeliveryForm::Disc => "disc",
            DeliveryForm::PickUp => "pick_up",
            DeliveryForm::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| Invalid::new("请选择获取信息的方式"))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            DeliveryForm::Paper => "纸质（邮寄）",
            DeliveryForm::Email => "电子邮件",
            DeliveryForm::Disc => "光盘等存储介质",
            DeliveryForm::PickUp => "自行领取",
            DeliveryForm::Online => "在线查阅",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask("11010519491231002X"), "110*************2X");
        assert_eq!(mask("E1234"), "****4");
        let d = IdDocument::parse(IdDocumentType::Passport, " e12345678 ").unwrap();
        assert_eq!(d.number, "E12345678");
        assert_eq!(d.masked(), "E12****78");
        assert!(IdDocument::parse(IdDocumentType::Other, "  ").is_err());
    }

    #[test]
    fn identity_documents_checked_by_kind() {
        assert!(IdDocument::parse(IdDocumentType::IdCard, "11010519491231002X").is_ok());
        assert!(IdDocument::parse(IdDocumentType::IdCard, "110105194912310021").is_err());
        assert!(IdDocument::parse(IdDocumentType::CreditCode, "91350100M000100Y43").is_ok());
        assert!(IdDocument::parse(IdDocumentType::CreditCode, "91350100M000100Y44").is_err());
    }

    #[test]
    fn codes_round_trip() {
        for t in ApplicantType::ALL {
            assert_eq!(ApplicantType::parse(t.as_str()).unwrap(), t);
        }
        for t in IdDocumentType::ALL {
            assert_eq!(IdDocumentType::parse(t.as_str()).unwrap(), t);
        }
        for t in DeliveryForm::ALL {
            assert_eq!(DeliveryForm::parse(t.as_str()).unwrap(), t);
        }
    }
}
