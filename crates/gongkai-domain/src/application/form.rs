//! The application as typed (the public form, the JSON API, staff intake) and its checks, and the stored codes
//! of the channels an application arrives by. See docs/law/applications.md.

use super::{ApplicantType, DeliveryForm, IdDocument, IdDocumentType};
use crate::clock::Channel;

/// An application as typed into the public form (or sent as JSON). Every field is a string, so that what was
/// typed can be shown again next to the errors.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub applicant_type: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub delivery: String,
}

/// An application whose every field passed [`check_form`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub applicant_type: ApplicantType,
    pub name: String,
    pub document: IdDocument,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub delivery: DeliveryForm,
}

fn text(v: &str, max: usize, field: &'static str, label: &str, errors: &mut Vec<(&'static str, String)>) -> String {
    let t = v.trim();
    if t.chars().count() > max {
        errors.push((field, format!("{label}不能超过{max}个字")));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.push((field, format!("{label}含有无法识别的字符")));
    }
    t.to_owned()
}

/// Checks every field and reports every problem at once, as (field, message) pairs (条例 Art. 29: name,
/// identity, contact, description, form of delivery are required; no purpose is asked).
/// See docs/law/applications.md (the application, Art. 29).
pub fn check_form(f: &ApplicationForm) -> Result<Checked, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let applicant_type =
        ApplicantType::parse(f.applicant_type.trim()).map_err(|e| errors.push(("applicant_type", e.0)));
    let name = text(&f.name, 60, "name", "姓名或名称", &mut errors);
    if name.is_empty() {
        errors.push(("name", "请填写申请人姓名或名称".into()));
    }
    let document = match IdDocumentType::parse(f.id_type.trim()) {
        Ok(kind) => {
            // A natural person cannot present a credit code, nor an organisation a 身份证.
            let mismatch = match (applicant_type, kind) {
                (Ok(t), IdDocumentType::CreditCode) if t.is_natural_person() => {
                    Some("自然人请填写居民身份证或其他个人身份证件")
                }
                (Ok(t), IdDocumentType::IdCard) if !t.is_natural_person() => {
                    Some("法人或其他组织请填写统一社会信用代码或其他身份证明")
                }
                _ => None,
            };
            match mismatch {
                Some(m) => {
                    errors.push(("id_type", m.into()));
                    Err(())
                }
                None => IdDocument::parse(kind, &f.id_number).map_err(|e| errors.push(("id_number", e.0))),
            }
        }
        Err(e) => {
            errors.push(("id_type", e.0));
            Err(())
        }
    };
    let phone = text(&f.phone, 40, "phone", "联系电话", &mut errors);
    let email = text(&f.email, 100, "email", "电子邮箱", &mut errors);
    let address = text(&f.address, 200, "address", "通信地址", &mut errors);
    if phone.is_empty() && email.is_empty() && address.is_empty() {
        errors.push(("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）".into()));
    }
    if !phone.is_empty() && !phone.chars().all(|c| c.is_ascii_digit() || "-+ ()转".contains(c)) {
        errors.push(("phone", "联系电话只能包含数字、空格和“-+()”".into()));
    }
    let plausible_email = email.contains('@') && email.contains('.') && !email.contains(' ');
    if !email.is_empty() && !plausible_email {
        errors.push(("email", "电子邮箱格式不正确".into()));
    }
    let description = text(&f.description, 5000, "description", "所需信息的描述", &mut errors);
    if description.chars().count() < 4 {
        errors.push(("description", "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少4个字）".into()));
    }
    let delivery = DeliveryForm::parse(f.delivery.trim()).map_err(|e| errors.push(("delivery", e.0)));
    if let Ok(DeliveryForm::Email) = delivery
        && email.is_empty()
    {
        errors.push(("email", "选择以电子邮件获取信息的，请填写电子邮箱".into()));
    }
    if let Ok(DeliveryForm::Paper) = delivery
        && address.is_empty()
    {
        errors.push(("address", "选择纸质邮寄的，请填写通信地址".into()));
    }
    match (applicant_type, document, delivery) {
        (Ok(applicant_type), Ok(document), Ok(delivery)) if errors.is_empty() => {
            Ok(Checked { applicant_type, name, document, phone, email, address, description, delivery })
        }
        _ => Err(errors),
    }
}

fn channel_code_of(c: Channel) -> &'static str {
    match c {
        Channel::InPerson => "in_person",
        Channel::PostSigned => "post_signed",
        Channel::PostPlain => "post_plain",
        Channel::Online => "online",
        Channel::Email => "email",
        Channel::Fax => "fax",
    }
}

/// The channels, with their stored codes, in the order staff see them.
pub const CHANNELS: [Channel; 6] =
    [Channel::InPerson, Channel::PostSigned, Channel::PostPlain, Channel::Email, Channel::Fax, Channel::Online];

/// The stored code of a channel (`in_person`, `post_signed`, …).
pub fn channel_code(c: Channel) -> &'static str {
    channel_code_of(c)
}

/// The channel of a stored code; `None` for an unknown one. See docs/law/applications.md (receipt, Art. 31).
pub fn parse_channel(s: &str) -> Option<Channel> {
    CHANNELS.into_iter().find(|c| channel_code(*c) == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ApplicationForm {
        ApplicationForm {
            applicant_type: "natural_person".into(),
            name: "张三".into(),
            id_type: "other".into(),
            id_number: "护照E12345678".into(),
            phone: "0398-1234567".into(),
            email: String::new(),
            address: "河南省义马市千秋路1号".into(),
            description: "2023年义马市财政预算报告全文".into(),
            delivery: "paper".into(),
        }
    }

    #[test]
    fn a_complete_form_passes_and_is_trimmed() {
        let c = check_form(&ApplicationForm { name: "  张三 ".into(), ..good() }).unwrap();
        assert_eq!(c.name, "张三");
        assert_eq!(c.applicant_type, ApplicantType::NaturalPerson);
        assert_eq!(c.delivery, DeliveryForm::Paper);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let f = ApplicationForm {
            name: String::new(),
            phone: String::new(),
            address: String::new(),
            description: "预算".into(),
            ..good()
        };
        let errors = check_form(&f).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.0).collect();
        for want in ["name", "phone", "description", "address"] {
            assert!(fields.contains(&want), "{want} in {errors:?}");
        }
    }

    #[test]
    fn email_delivery_needs_an_email_and_an_organisation_no_id_card() {
        let errors = check_form(&ApplicationForm { delivery: "email".into(), ..good() }).unwrap_err();
        assert!(errors.iter().any(|(f, m)| *f == "email" && m.contains("电子邮件")), "{errors:?}");
        let org = ApplicationForm { applicant_type: "business".into(), id_type: "id_card".into(), ..good() };
        let errors = check_form(&org).unwrap_err();
        assert!(errors.iter().any(|(f, _)| *f == "id_type"), "{errors:?}");
    }

    #[test]
    fn channel_codes_round_trip() {
        for c in CHANNELS {
            assert_eq!(parse_channel(channel_code(c)), Some(c));
        }
        assert_eq!(parse_channel("in_person"), Some(Channel::InPerson));
        assert_eq!(parse_channel("pigeon"), None);
    }
}
