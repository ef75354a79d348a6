//! Agencies (tenants) of the shared platform (集约化) and the roles staff hold in them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value supplied by a user was refused. The message is Chinese and shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

/// The short code an agency is addressed by in URLs (`/{agency}/…`), e.g. `yima-office`.
///
/// 2–40 characters of lowercase ASCII letters, digits and `-`, starting with a letter, not ending with `-`,
/// and not one of the paths the platform itself uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

/// Top-level paths that cannot be agency codes (`platform`: the console's platform pages, `/console/platform/…`).
const RESERVED_CODES: &[&str] = &[
    "api",
    "console",
    "static",
    "search",
    "track",
    "healthz",
    "sitemap",
    "feed",
    "login",
    "logout",
    "admin",
    "favicon",
    "robots",
    "platform",
    "library",
    "directory",
    "mailbox",
];

impl AgencyCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let starts = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if !(2..=40).contains(&s.len()) || !ok_chars || !starts || s.ends_with('-') || s.contains("--") {
            return Err(Invalid::new("机构代码须为2至40位小写字母、数字或连字符，以字母开头，例如 yima-office"));
        }
        if RESERVED_CODES.contains(&s) {
            return Err(Invalid::new(format!("“{s}”是平台保留路径，不能用作机构代码")));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<AgencyCode> for String {
    fn from(c: AgencyCode) -> String {
        c.0
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of body an agency is. Determines, among others, the annual-report deadline
/// (a 人民政府's own report is due 31 March, everyone else's 31 January).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// 人民政府
    Government,
    /// 政府部门
    Department,
    /// 街道（办事处）
    Subdistrict,
    /// 乡镇
    Township,
    /// 其他
    Other,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 5] = [
        AgencyKind::Government,
        AgencyKind::Department,
        AgencyKind::Subdistrict,
        AgencyKind::Township,
        AgencyKind::Other,
    ];

    /// Stable identifier used in the database and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Government => "government",
            AgencyKind::Department => "department",
            AgencyKind::Subdistrict => "subdistrict",
            AgencyKind::Township => "township",
            AgencyKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
            .ok_or_else(|| Invalid::new(format!("未知的机构类型“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AgencyKind::Government => "人民政府",
            AgencyKind::Department => "政府部门",
            AgencyKind::Subdistrict => "街道",
            AgencyKind::Township => "乡镇",
            AgencyKind::Other => "其他",
        }
    }
}

/// A role a staff user holds in one agency. A user may hold several roles in several agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: manages the agency's staff and settings.
    Admin,
    /// 编辑: drafts content.
    Editor,
    /// 审核人: reviews content (保密审查) and approves extensions.
    Reviewer,
    /// 经办人: handles applications (依申请公开).
    CaseHandler,
    /// 监督人: the 主管部门's view of this agency and every agency beneath it.
    Supervisor,
    /// 第三方评估人: an outside evaluator who sees the evaluation (考核) pages of this agency's subtree and enters
    /// manual scores with evidence, nothing else. Not in [`Role::ALL`] (the roles of the agencies' own staff), so
    /// no other page admits it.
    Evaluator,
}

impl Role {
    /// The roles of the agencies' own staff and their supervisors ("any staff role" in permission checks).
    pub const ALL: [Role; 5] = [Role::Admin, Role::Editor, Role::Reviewer, Role::CaseHandler, Role::Supervisor];
    /// Every role that may be granted: the staff roles and the third-party evaluator.
    pub const GRANTABLE: [Role; 6] =
        [Role::Admin, Role::Editor, Role::Reviewer, Role::CaseHandler, Role::Supervisor, Role::Evaluator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::CaseHandler => "case_handler",
            Role::Supervisor => "supervisor",
            Role::Evaluator => "evaluator",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::GRANTABLE.into_iter().find(|r| r.as_str() == s).ok_or_else(|| Invalid::new(format!("未知的角色“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Editor => "编辑",
            Role::Reviewer => "审核人",
            Role::CaseHandler => "经办人",
            Role::Supervisor => "监督人",
            Role::Evaluator => "第三方评估人",
        }
    }

    /// Whether holding this role in an agency also reaches the agencies beneath it.
    /// Only the supervisor's view extends down the tree (the 主管部门 watches its agencies), and the third-party
    /// evaluator's, who evaluates the agencies beneath the one that engaged it.
    pub fn reaches_descendants(self) -> bool {
        matches!(self, Role::Supervisor | Role::Evaluator)
    }
}

/// A display name of an agency or a person: trimmed, non-empty, at most `max` characters.
pub fn parse_name(s: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Invalid::new(format!("请填写{what}")));
    }
    if t.chars().count() > max {
        return Err(Invalid::new(format!("{what}不能超过{max}个字")));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Invalid::new(format!("{what}含有不可见的控制字符")));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes() {
        assert!(AgencyCode::parse("yima").is_ok());
        assert!(AgencyCode::parse("yima-office").is_ok());
        assert_eq!(AgencyCode::parse(" yima ").unwrap().as_str(), "yima");
        for bad in ["", "y", "Yima", "1yima", "yima-", "yi--ma", "yi_ma", "义马", "console", "api", "platform"] {
            assert!(AgencyCode::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn kinds_and_roles_round_trip() {
        for k in AgencyKind::ALL {
            assert_eq!(AgencyKind::parse(k.as_str()).unwrap(), k);
            assert_eq!(AgencyKind::parse(k.label_zh()).unwrap(), k);
        }
        for r in Role::GRANTABLE {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(!Role::ALL.contains(&Role::Evaluator));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  义马市人民政府 ", "机构名称", 60).unwrap(), "义马市人民政府");
        assert!(parse_name("   ", "机构名称", 60).is_err());
        assert!(parse_name(&"长".repeat(61), "机构名称", 60).is_err());
        assert!(parse_name("a\u{0}b", "机构名称", 60).is_err());
    }
}
