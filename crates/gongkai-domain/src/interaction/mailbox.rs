//! 市长信箱 letters: docs/law/public-interaction.md §4 (types, query code, states, limits, publication,
//! satisfaction) and §9.3 (the worked example of the deadlines).

use super::Kind;
use crate::calendar::{Calendar, Due};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// The answer limit in working days, counted from the day after receipt (§4.4; *configurable*).
pub const DEFAULT_LIMIT_WD: u32 = 5;
/// The limit after an approved extension, also counted from receipt (§4.4, §9.3).
pub const EXTENDED_LIMIT_WD: u32 = 15;

/// Where a letter stands (§4.3): 待处理 until answered; 已答复; 不予受理 with a reason; 已转办 when another agency
/// of the tree took it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Answered,
    Rejected,
    Transferred,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Open, Status::Answered, Status::Rejected, Status::Transferred];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Rejected => "rejected",
            Status::Transferred => "transferred",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Open => "办理中",
            Status::Answered => "已答复",
            Status::Rejected => "不予受理",
            Status::Transferred => "已转办",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the letter still waits for an answer from its agency.
    pub fn is_open(self) -> bool {
        self == Status::Open
    }
}

/// The writer's rating of the reply (§4.7). No rating is "未评价", excluded from 满意率.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    FairlySatisfied,
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] =
        [Satisfaction::Satisfied, Satisfaction::FairlySatisfied, Satisfaction::Dissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::FairlySatisfied => "fairly_satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::FairlySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Counts as satisfied for 满意率 (§8.4: 满意 + 基本满意).
    pub fn is_satisfied(self) -> bool {
        self != Satisfaction::Dissatisfied
    }
}

/// The answer deadline of a letter received on `received_on`: the `limit_wd`-th working day after it (§4.4). An
/// approved extension makes the limit [`EXTENDED_LIMIT_WD`], still counted from receipt (§9.3).
pub fn due(cal: &Calendar, received_on: Date, limit_wd: u32) -> Due {
    cal.add_working_days(received_on, limit_wd).with_trigger("收到来信之日")
}

/// 10-digit 查询码 (§4.2) made from random bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QueryCode(String);

impl QueryCode {
    pub const LEN: usize = 10;

    /// Ten decimal digits from 8 random bytes; the first is never 0, so the code reads as a number.
    pub fn generate(random: [u8; 8]) -> Self {
        let n = u64::from_le_bytes(random) % 9_000_000_000 + 1_000_000_000;
        QueryCode(n.to_string())
    }

    /// What a person typed: digits only, spaces ignored.
    pub fn parse(typed: &str) -> Option<Self> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == Self::LEN && digits.bytes().all(|b| b.is_ascii_digit())).then_some(QueryCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QueryCode({})", self.0)
    }
}

/// A letter as the writer submits it, checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LetterForm {
    /// `consult` … (`Kind` code).
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// 是否同意公开.
    #[serde(default)]
    pub publish_consent: bool,
    /// 是否保密: the name and number are hidden from staff lists on request.
    #[serde(default)]
    pub confidential: bool,
}

pub const MAX_TITLE: usize = 100;
pub const MAX_CONTENT: usize = 5000;
pub const MAX_NAME: usize = 50;

/// A letter that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLetter {
    pub kind: Kind,
    pub title: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub publish_consent: bool,
    pub confidential: bool,
}

/// Checks a letter: every problem with its field, in Chinese (the form shows each under its field). Real contact
/// data is required (§4.5: letters without it are not accepted).
pub fn check(f: &LetterForm) -> Result<CheckedLetter, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let kind = Kind::parse(&f.kind).filter(|k| Kind::MAILBOX.contains(k));
    if kind.is_none() {
        errors.push(("type", "请选择来信类型（咨询、求助、投诉、建议或举报）".to_owned()));
    }
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(("title", "请填写标题".to_owned()));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(("title", format!("标题不能超过{MAX_TITLE}个字")));
    }
    let content = f.content.trim();
    if content.chars().count() < 5 {
        errors.push(("content", "请填写来信内容（至少5个字）".to_owned()));
    } else if content.chars().count() > MAX_CONTENT {
        errors.push(("content", format!("来信内容不能超过{MAX_CONTENT}个字")));
    }
    let name = f.name.trim();
    if name.is_empty() {
        errors.push(("name", "请填写姓名".to_owned()));
    } else if name.chars().count() > MAX_NAME {
        errors.push(("name", format!("姓名不能超过{MAX_NAME}个字")));
    }
    let phone: String = f.phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if !is_phone(&phone) {
        errors.push(("phone", "请填写有效的联系电话（11位手机号码或带区号的固定电话）".to_owned()));
    }
    let email = f.email.trim();
    if !email.is_empty() && !is_email(email) {
        errors.push(("email", "电子邮箱格式不正确".to_owned()));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(CheckedLetter {
            kind,
            title: title.to_owned(),
            content: content.to_owned(),
            name: name.to_owned(),
            phone,
            email: email.to_owned(),
            publish_consent: f.publish_consent,
            confidential: f.confidential,
        }),
        _ => Err(errors),
    }
}

/// A mainland mobile number (11 digits starting with 1) or a landline with its area code (0 + 9–11 digits).
fn is_phone(p: &str) -> bool {
    let digits = p.bytes().all(|b| b.is_ascii_digit());
    digits && ((p.len() == 11 && p.starts_with('1')) || (p.starts_with('0') && (10..=12).contains(&p.len())))
}

fn is_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.') && !e.contains(' ')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use time::macros::date;

    fn form() -> LetterForm {
        LetterForm {
            kind: "consult".into(),
            title: "老旧小区改造".into(),
            content: "请问今年老旧小区改造包括哪些小区？".into(),
            name: "张三".into(),
            phone: "138 0000 1234".into(),
            email: String::new(),
            publish_consent: true,
            confidential: false,
        }
    }

    #[test]
    fn the_worked_example_of_the_law_file() {
        // §9.3: received Fri 2026-02-13. 5 wd = Sat 02-14 (调休 working day), then 02-24 … 02-27 after 春节.
        let cal = Calendar::new(crate::calendar::seed_years());
        assert_eq!(due(&cal, date!(2026 - 02 - 13), DEFAULT_LIMIT_WD).date, date!(2026 - 02 - 27));
        // Extended to 15 wd from receipt: counts Sat 02-28 (调休) → 2026-03-12.
        assert_eq!(due(&cal, date!(2026 - 02 - 13), EXTENDED_LIMIT_WD).date, date!(2026 - 03 - 12));
    }

    #[test]
    fn a_good_letter_passes_and_phone_spaces_are_dropped() {
        let c = check(&form()).unwrap();
        assert_eq!(c.kind, Kind::Consult);
        assert_eq!(c.phone, "13800001234");
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let f =
            LetterForm { kind: "other".into(), title: " ".into(), phone: "12345".into(), email: "x@".into(), ..form() };
        let errors = check(&f).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["type", "title", "phone", "email"]);
        assert!(check(&LetterForm { phone: "0398-5812345".into(), ..form() }).is_ok(), "a landline with area code");
    }

    #[test]
    fn query_codes_are_ten_digits_and_parse_back() {
        for seed in [[0u8; 8], [255u8; 8], [7, 1, 2, 3, 4, 5, 6, 9]] {
            let c = QueryCode::generate(seed);
            assert_eq!(c.as_str().len(), 10);
            assert_eq!(QueryCode::parse(&format!(" {} ", c.as_str())), Some(c));
        }
        assert_eq!(QueryCode::parse("123456789"), None);
        assert_eq!(QueryCode::parse("12345678a0"), None);
    }

    #[test]
    fn masks() {
        use crate::interaction::{mask_name, mask_phone};
        assert_eq!(mask_phone("13800001234"), "138****1234");
        assert_eq!(mask_name("欧阳修"), "欧**");
    }
}
