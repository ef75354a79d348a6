//! The disclosure catalog (公开目录): columns (栏目), entries and their editorial workflow, 索引号 templates and
//! the validity of normative documents (规章 and 行政规范性文件). Rules: docs/law/proactive-disclosure.md.

use crate::agency::Invalid;
use crate::ids::AgencyIdentifier;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// A column seeded for every agency: URL slug, name, parent slug, expected update interval in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub parent: Option<&'static str>,
    /// How often the column is expected to get new content (the website checks count stale columns).
    pub update_days: u32,
}

const fn col(slug: &'static str, name: &'static str, parent: Option<&'static str>, update_days: u32) -> ColumnSeed {
    ColumnSeed { slug, name, parent, update_days }
}

/// The seeded columns the code itself names (the others are only data in [`DEFAULT_COLUMNS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixedColumn {
    /// 政策文件: the policies an interpretation can point to.
    Policies,
    /// 政策解读: interpretations (政策解读) of policies.
    Interpretations,
    /// 信息公开: the parent of the 法定主动公开内容.
    Disclosure,
    /// 公开指南 (条例 Art. 12): the agency's guide is shown above its items.
    Guide,
    /// 公开年报 (条例 Art. 49): where a published annual report goes.
    AnnualReports,
    /// 公共企事业单位信息 (条例 Art. 55): the agency's units are listed here.
    PublicUnits,
}

impl FixedColumn {
    pub const ALL: [FixedColumn; 6] = [
        FixedColumn::Policies,
        FixedColumn::Interpretations,
        FixedColumn::Disclosure,
        FixedColumn::Guide,
        FixedColumn::AnnualReports,
        FixedColumn::PublicUnits,
    ];

    /// The column's slug in URLs and in the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            FixedColumn::Policies => "zcwj",
            FixedColumn::Interpretations => "zcjd",
            FixedColumn::Disclosure => "xxgk",
            FixedColumn::Guide => "gkzn",
            FixedColumn::AnnualReports => "gknb",
            FixedColumn::PublicUnits => "ggqy",
        }
    }

    /// The fixed column with this slug, if it is one.
    pub fn parse(slug: &str) -> Option<FixedColumn> {
        Self::ALL.into_iter().find(|c| c.as_str() == slug)
    }
}

impl PartialEq<FixedColumn> for str {
    fn eq(&self, other: &FixedColumn) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<FixedColumn> for String {
    fn eq(&self, other: &FixedColumn) -> bool {
        self == other.as_str()
    }
}

/// 信息公开's sub-columns are the 法定主动公开内容 of 条例 Art. 20 (items 一 to 十五) and Art. 21.
const XXGK: Option<&str> = Some(FixedColumn::Disclosure.as_str());

/// The columns of the reference report, parents before children. Intervals: news-like columns two weeks
/// (国办秘函〔2019〕19号 counts them stale after 2 weeks), notices and policies six months, the rest a year.
pub const DEFAULT_COLUMNS: &[ColumnSeed] = &[
    col("bmgk", "部门概况", None, 365),
    col("gzdt", "工作动态", None, 14),
    col("ywzn", "业务职能", None, 365),
    col("zfkb", "政府快报", None, 14),
    col("xxzl", "学习资料", None, 30),
    col("tzgg", "通知公告", None, 180),
    col(FixedColumn::Policies.as_str(), "政策文件", None, 180),
    col(FixedColumn::Interpretations.as_str(), "政策解读", None, 180),
    col(FixedColumn::Disclosure.as_str(), "信息公开", None, 180),
    // 条例 Art. 20
    col("fgwj", "法规文件", XXGK, 180),
    col("jgzn", "机构职能", XXGK, 365),
    col("ghxx", "规划信息", XXGK, 365),
    col("tjxx", "统计信息", XXGK, 90),
    col("xzxk", "行政许可和服务事项", XXGK, 180),
    col("xzcf", "行政处罚和行政强制", XXGK, 180),
    col("czzj", "财政预决算", XXGK, 365),
    col("xzsf", "行政事业性收费", XXGK, 365),
    col("zfcg", "政府集中采购", XXGK, 180),
    col("zdxm", "重大建设项目", XXGK, 180),
    col("msly", "扶贫、教育、医疗、社会保障、促进就业", XXGK, 180),
    col("yjgl", "突发公共事件应对", XXGK, 180),
    col("jdjc", "监督检查", XXGK, 180),
    col("gwyzk", "公务员招考", XXGK, 365),
    col("qtxx", "其他法定公开信息", XXGK, 365),
    // 条例 Art. 21 (设区的市、县级人民政府及其部门)
    col("szjs", "市政建设", XXGK, 180),
    col("ggfw", "公共服务", XXGK, 180),
    col("gysy", "公益事业", XXGK, 180),
    col("tdzs", "土地征收", XXGK, 180),
    col("fwzs", "房屋征收", XXGK, 180),
    col("zagl", "治安管理", XXGK, 180),
    col("shjz", "社会救助", XXGK, 180),
    // Art. 12 and Art. 50, the public enterprises and institutions directory.
    col(FixedColumn::Guide.as_str(), "公开指南", None, 365),
    col(FixedColumn::AnnualReports.as_str(), "公开年报", None, 365),
    col(FixedColumn::PublicUnits.as_str(), "公共企事业单位信息", None, 365),
];

/// The editorial state of a catalog entry. 先审后发: nothing is published without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// 草稿
    Draft,
    /// 待审核
    Submitted,
    /// 已审核 (保密审查 passed, waiting to be published)
    Reviewed,
    /// 已发布
    Published,
    /// 已撤销 (taken off the portal, with a reason)
    Unpublished,
}

/// What a user does to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryAction {
    Edit,
    Submit,
    /// The reviewer sends it back to the editor.
    Return,
    Approve,
    Publish,
    Unpublish,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 5] =
        [Self::Draft, Self::Submitted, Self::Reviewed, Self::Published, Self::Unpublished];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Reviewed => "reviewed",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| Invalid::new(format!("未知的状态“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待审核",
            Self::Reviewed => "已审核待发布",
            Self::Published => "已发布",
            Self::Unpublished => "已撤销",
        }
    }

    /// The state after `action`, or why it is not allowed now. Editing an unpublished entry makes it a draft
    /// again, which must pass review before it is published anew.
    pub fn apply(self, action: EntryAction) -> Result<EntryStatus, Invalid> {
        use EntryAction as A;
        use EntryStatus as S;
        match (self, action) {
            (S::Draft | S::Unpublished, A::Edit) => Ok(S::Draft),
            (S::Draft, A::Submit) => Ok(S::Submitted),
            (S::Submitted | S::Reviewed, A::Return) => Ok(S::Draft),
            (S::Submitted, A::Approve) => Ok(S::Reviewed),
            (S::Reviewed, A::Publish) => Ok(S::Published),
            (S::Published, A::Unpublish) => Ok(S::Unpublished),
            (s, a) => Err(Invalid::new(format!("当前状态为“{}”，不能{}", s.label_zh(), action_zh(a)))),
        }
    }
}

fn action_zh(a: EntryAction) -> &'static str {
    match a {
        EntryAction::Edit => "修改",
        EntryAction::Submit => "提交审核",
        EntryAction::Return => "退回",
        EntryAction::Approve => "审核通过",
        EntryAction::Publish => "发布",
        EntryAction::Unpublish => "撤销发布",
    }
}

impl fmt::Display for EntryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// Whether an entry is an ordinary item or a normative document with a validity lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocClass {
    /// 一般信息
    Ordinary,
    /// 规章
    Rule,
    /// 行政规范性文件
    Normative,
}

impl DocClass {
    pub const ALL: [DocClass; 3] = [Self::Ordinary, Self::Rule, Self::Normative];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ordinary => "ordinary",
            Self::Rule => "rule",
            Self::Normative => "normative",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| Invalid::new("请选择文件类别"))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Ordinary => "一般信息",
            Self::Rule => "规章",
            Self::Normative => "行政规范性文件",
        }
    }

    /// 规章 and 规范性文件 carry a validity status; other items do not.
    pub fn has_validity(self) -> bool {
        !matches!(self, Self::Ordinary)
    }
}

/// 有效性 of a 规章 or 行政规范性文件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 尚未生效
    NotYetEffective,
    /// 现行有效
    InForce,
    /// 已修改 (links to the amending document)
    Amended,
    /// 部分失效
    PartlyInvalid,
    /// 已废止 (links to the repealing act)
    Repealed,
    /// 已失效 (its validity period ended)
    Expired,
}

impl Validity {
    pub const ALL: [Validity; 6] =
        [Self::NotYetEffective, Self::InForce, Self::Amended, Self::PartlyInvalid, Self::Repealed, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotYetEffective => "not_yet_effective",
            Self::InForce => "in_force",
            Self::Amended => "amended",
            Self::PartlyInvalid => "partly_invalid",
            Self::Repealed => "repealed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| Invalid::new("请选择有效性"))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::NotYetEffective => "尚未生效",
            Self::InForce => "现行有效",
            Self::Amended => "已修改",
            Self::PartlyInvalid => "部分失效",
            Self::Repealed => "已废止",
            Self::Expired => "已失效",
        }
    }

    /// The status on `day` of a document effective from `effective` and lapsing after `expires` (if set),
    /// unless something stronger (amendment, repeal) was recorded.
    pub fn on(day: Date, effective: Option<Date>, expires: Option<Date>, recorded: Option<Validity>) -> Validity {
        match recorded {
            Some(v @ (Validity::Repealed | Validity::Amended | Validity::PartlyInvalid)) => v,
            _ if effective.is_some_and(|e| day < e) => Validity::NotYetEffective,
            _ if expires.is_some_and(|x| day > x) => Validity::Expired,
            _ => Validity::InForce,
        }
    }
}

/// Days before a 规范性文件's 失效日期 from which the library warns that it will lapse unless renewed.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

/// The lapse date when a document in force will lapse within [`EXPIRY_WARNING_DAYS`] of `today`.
pub fn expiring_soon(today: Date, validity: Validity, expires: Option<Date>) -> Option<Date> {
    let x = expires?;
    let left = (x - today).whole_days();
    (validity == Validity::InForce && (0..=EXPIRY_WARNING_DAYS).contains(&left)).then_some(x)
}

/// A 索引号 template such as `{org_code}/{year}-{seq:05}`. Parts: `{org_code}`, `{year}`, `{yyyymm}`, `{seq}`
/// with an optional zero-padded width `{seq:05}`; everything else is literal. The sequence restarts each year
/// per agency, so the template must contain `{year}` or `{yyyymm}` as well as `{seq}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    OrgCode,
    Year,
    YearMonth,
    Seq(usize),
}

pub const DEFAULT_INDEX_TEMPLATE: &str = "{org_code}/{year}-{seq:05}";

impl Default for IndexTemplate {
    fn default() -> Self {
        Self::parse(DEFAULT_INDEX_TEMPLATE).expect("the default template is valid")
    }
}

impl IndexTemplate {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let bad = |m: &str| Invalid::new(format!("索引号模板“{s}”有误：{m}"));
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            if i > 0 {
                parts.push(Part::Lit(rest[..i].to_owned()));
            }
            let j = rest[i..].find('}').ok_or_else(|| bad("缺少右花括号"))? + i;
            let name = &rest[i + 1..j];
            parts.push(match name {
                "org_code" => Part::OrgCode,
                "year" => Part::Year,
                "yyyymm" => Part::YearMonth,
                "seq" => Part::Seq(0),
                n if n.starts_with("seq:") => {
                    let w: usize = n[4..].parse().map_err(|_| bad("序号宽度应为数字，如 {seq:05}"))?;
                    if w > 12 {
                        return Err(bad("序号宽度过大"));
                    }
                    Part::Seq(w)
                }
                n => return Err(bad(&format!("未知的部分 {{{n}}}"))),
            });
            rest = &rest[j + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_owned()));
        }
        let has = |f: fn(&Part) -> bool| parts.iter().filter(|p| f(p)).count();
        if has(|p| matches!(p, Part::Seq(_))) != 1 {
            return Err(bad("须且只能含一个 {seq}"));
        }
        if has(|p| matches!(p, Part::Year | Part::YearMonth)) == 0 {
            return Err(bad("须含 {year} 或 {yyyymm}（序号按年重新编排）"));
        }
        Ok(Self { parts })
    }

    /// The index number of the `seq`-th item published in `published_on`'s year by the agency with `org_code`.
    pub fn render(&self, org_code: &str, published_on: Date, seq: u32) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::OrgCode => out.push_str(org_code),
                Part::Year => out.push_str(&published_on.year().to_string()),
                Part::YearMonth => {
                    out.push_str(&format!("{}{:02}", published_on.year(), u8::from(published_on.month())))
                }
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }
}

/// The `{org_code}` of an agency: the 组织机构代码 (embedded in the credit code), or the agency's platform code
/// when it has no registered identifier.
pub fn org_code_for(identifier: Option<&AgencyIdentifier>, agency_code: &str) -> String {
    match identifier {
        Some(AgencyIdentifier::Credit(c)) => c.org_code().to_owned(),
        Some(AgencyIdentifier::Org(o)) => o.as_str().replace('-', ""),
        None => agency_code.to_owned(),
    }
}

/// A column slug in URLs (`/{agency}/{column}/`): 2–20 lowercase ASCII letters or digits, starting with a letter.
pub fn parse_column_slug(s: &str) -> Result<&str, Invalid> {
    let ok = (2..=20).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    // `search`, `guide` and `apply` are pages of every agency (`/{agency}/search` …), never columns.
    if ok && !matches!(s, "search" | "guide" | "apply") {
        Ok(s)
    } else {
        Err(Invalid::new("栏目代码须为2至20位小写字母或数字"))
    }
}

/// How an entry stands against 条例 Art. 26: publish within 20 working days of being formed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Published by the deadline, or still comfortably before it.
    OnTime { deadline: Date },
    /// Not yet published, with at most [`WARN_WORKING_DAYS`] working days left.
    DueSoon { deadline: Date, working_days_left: u32 },
    /// Not yet published and past the deadline.
    Overdue { deadline: Date },
    /// Published after the deadline.
    PublishedLate { deadline: Date },
}

/// Working days before the Art. 26 deadline from which an unpublished entry is flagged.
pub const WARN_WORKING_DAYS: u32 = 5;

impl Timeliness {
    /// `formed_on` is the 形成/变更日期; `published_on` the day it went public (if it did); `today` the day of
    /// the check, all in Beijing.
    pub fn assess(
        cal: &crate::calendar::Calendar,
        formed_on: Date,
        published_on: Option<Date>,
        today: Date,
    ) -> Timeliness {
        let deadline = cal.add_working_days(formed_on, 20).date;
        match published_on {
            Some(p) if p > deadline => Timeliness::PublishedLate { deadline },
            Some(_) => Timeliness::OnTime { deadline },
            None if today > deadline => Timeliness::Overdue { deadline },
            None => match cal.count_working_days(today, deadline) {
                left if left <= WARN_WORKING_DAYS => Timeliness::DueSoon { deadline, working_days_left: left },
                _ => Timeliness::OnTime { deadline },
            },
        }
    }

    pub fn deadline(self) -> Date {
        match self {
            Self::OnTime { deadline }
            | Self::DueSoon { deadline, .. }
            | Self::Overdue { deadline }
            | Self::PublishedLate { deadline } => deadline,
        }
    }

    /// A short Chinese note for the console, `None` when there is nothing to flag.
    pub fn warning_zh(self) -> Option<String> {
        let d = |d: Date| format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day());
        match self {
            Self::OnTime { .. } => None,
            Self::DueSoon { deadline, working_days_left } => {
                Some(format!("即将超期：应于{}前公开，仅剩{working_days_left}个工作日（条例第二十六条）", d(deadline)))
            }
            Self::Overdue { deadline } => Some(format!("已超期：应于{}前公开（条例第二十六条）", d(deadline))),
            Self::PublishedLate { deadline } => Some(format!("逾期公开：应于{}前公开（条例第二十六条）", d(deadline))),
        }
    }
}

/// Pre-publication checks (先审后发): *configurable* word lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LintRules {
    /// Words that must not appear in published text (敏感词).
    pub sensitive_words: Vec<String>,
    /// Known serious misstatements (e.g. wrong titles of leaders) and the correct form: (wrong, right).
    pub misstatements: Vec<(String, String)>,
}

/// Something the pre-publication check found; each blocks publication until fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    SensitiveWord(String),
    Misstatement {
        wrong: String,
        right: String,
    },
    MissingDate(&'static str),
    /// A link to a page of the platform that does not exist (or is not published).
    DeadLink(String),
}

impl Finding {
    pub fn to_zh(&self) -> String {
        match self {
            Self::SensitiveWord(w) => format!("含敏感词“{w}”"),
            Self::Misstatement { wrong, right } => format!("疑似严重表述错误：“{wrong}”应为“{right}”"),
            Self::MissingDate(what) => format!("缺少{what}"),
            Self::DeadLink(href) => format!("站内链接无效：{href}"),
        }
    }
}

/// Checks title and text before publication. `dead_links` are the internal links the caller could not resolve.
pub fn lint(
    rules: &LintRules,
    title: &str,
    text: &str,
    written_on: Option<Date>,
    doc_class: DocClass,
    dead_links: &[String],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let all = format!("{title}\n{text}");
    for w in rules.sensitive_words.iter().filter(|w| !w.trim().is_empty()) {
        if all.contains(w.as_str()) {
            out.push(Finding::SensitiveWord(w.clone()));
        }
    }
    for (wrong, right) in rules.misstatements.iter().filter(|(w, _)| !w.trim().is_empty()) {
        if misstated(&all, wrong, right) {
            out.push(Finding::Misstatement { wrong: wrong.clone(), right: right.clone() });
        }
    }
    if doc_class.has_validity() && written_on.is_none() {
        out.push(Finding::MissingDate("成文日期"));
    }
    out.extend(dead_links.iter().map(|l| Finding::DeadLink(l.clone())));
    out
}

/// Whether `text` holds `wrong` anywhere it is not part of an occurrence of `right`. A wrong form inside the right
/// one (a shortened title within the full one) is fine, and so is a right form inside the wrong one: "市长张三"
/// within "副市长张三" does not hide the wrong "副市长张三".
fn misstated(text: &str, wrong: &str, right: &str) -> bool {
    let rights: Vec<(usize, usize)> =
        if right.is_empty() { Vec::new() } else { text.match_indices(right).map(|(i, r)| (i, i + r.len())).collect() };
    text.match_indices(wrong).any(|(i, w)| !rights.iter().any(|&(a, b)| a <= i && i + w.len() <= b))
}

/// Largest attachment accepted (the request body limit of the web layer is a little above it).
pub const MAX_ATTACHMENT_BYTES: usize = 7 * 1024 * 1024;

/// Decides the content type of an uploaded attachment from its bytes and its extension, which must agree:
/// a file named `.pdf` must start like a PDF, and so on. Anything else (HTML, scripts, executables) is refused,
/// so that nothing served from the portal can run in a visitor's browser.
pub fn sniff_attachment(file_name: &str, bytes: &[u8]) -> Result<&'static str, Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::new("附件为空"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(Invalid::new(format!("附件不能超过{}MB", MAX_ATTACHMENT_BYTES / 1024 / 1024)));
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let ty = match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => "application/pdf",
        "docx" if crate::ooxml::is_package("docx", bytes) => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        "xlsx" if crate::ooxml::is_package("xlsx", bytes) => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        "pptx" if crate::ooxml::is_package("pptx", bytes) => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        "ofd" if zip => "application/ofd",
        "zip" if zip => "application/zip",
        "doc" | "wps" if ole => "application/msword",
        "xls" | "et" if ole => "application/vnd.ms-excel",
        "png" if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => "image/png",
        "jpg" | "jpeg" if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => "image/jpeg",
        "pdf" | "docx" | "xlsx" | "pptx" | "ofd" | "zip" | "doc" | "wps" | "xls" | "et" | "png" | "jpg" | "jpeg" => {
            return Err(Invalid::new(format!("附件内容与扩展名 .{ext} 不符")));
        }
        _ => return Err(Invalid::new("仅接受 PDF、OFD、Word、Excel、PowerPoint、WPS、ZIP、PNG、JPEG 格式的附件")),
    };
    Ok(ty)
}

/// An attachment's file name made safe to store and to send back: no path, no control characters, ≤ 100 chars.
pub fn clean_file_name(name: &str) -> Result<String, Invalid> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>')).take(100).collect();
    let s = s.trim().trim_start_matches('.').to_owned();
    if s.is_empty() { Err(Invalid::new("附件文件名无效")) } else { Ok(s) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn default_template_is_the_state_councils_style() {
        let t = IndexTemplate::default();
        assert_eq!(t.render("000014349", date!(2018 - 06 - 01), 222), "000014349/2018-00222");
    }

    #[test]
    fn other_templates() {
        let t = IndexTemplate::parse("{org_code}/{yyyymm}-{seq:05}").unwrap();
        assert_eq!(t.render("014314799", date!(2024 - 03 - 09), 2), "014314799/202403-00002");
        let t = IndexTemplate::parse("{org_code}-{year}-{seq}").unwrap();
        assert_eq!(t.render("yima-office", date!(2023 - 01 - 09), 17), "yima-office-2023-17");
    }

    #[test]
    fn bad_templates_are_refused() {
        for t in ["{org_code}/{seq}", "{org_code}/{year}", "{year}-{seq}-{seq}", "{year}-{seq", "{foo}{year}{seq}"] {
            assert!(IndexTemplate::parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn org_code_falls_back_to_agency_code() {
        let org = AgencyIdentifier::parse("12345678-8").unwrap();
        assert_eq!(org_code_for(Some(&org), "x"), "123456788");
        assert_eq!(org_code_for(None, "yima-office"), "yima-office");
    }

    #[test]
    fn workflow() {
        use EntryAction as A;
        use EntryStatus as S;
        let s = S::Draft.apply(A::Edit).unwrap().apply(A::Submit).unwrap();
        assert_eq!(s, S::Submitted);
        assert!(s.apply(A::Publish).is_err(), "先审后发: no publishing without review");
        let s = s.apply(A::Approve).unwrap().apply(A::Publish).unwrap();
        assert_eq!(s, S::Published);
        assert!(s.apply(A::Edit).is_err());
        let s = s.apply(A::Unpublish).unwrap();
        assert_eq!(s.apply(A::Edit).unwrap(), S::Draft);
        assert_eq!(S::Submitted.apply(A::Return).unwrap(), S::Draft);
        assert!(S::Draft.apply(A::Approve).unwrap_err().0.contains("草稿"));
    }

    #[test]
    fn validity_over_time() {
        let eff = Some(date!(2023 - 03 - 01));
        let exp = Some(date!(2028 - 02 - 29));
        assert_eq!(Validity::on(date!(2023 - 02 - 01), eff, exp, None), Validity::NotYetEffective);
        assert_eq!(Validity::on(date!(2024 - 02 - 01), eff, exp, Some(Validity::InForce)), Validity::InForce);
        assert_eq!(Validity::on(date!(2028 - 03 - 01), eff, exp, None), Validity::Expired);
        assert_eq!(Validity::on(date!(2024 - 02 - 01), eff, exp, Some(Validity::Repealed)), Validity::Repealed);
    }

    #[test]
    fn expiry_warning() {
        let x = Some(date!(2026 - 03 - 31));
        assert_eq!(expiring_soon(date!(2026 - 01 - 15), Validity::InForce, x), x);
        assert_eq!(expiring_soon(date!(2025 - 10 - 01), Validity::InForce, x), None);
        assert_eq!(expiring_soon(date!(2026 - 01 - 15), Validity::Repealed, x), None);
        assert_eq!(expiring_soon(date!(2026 - 04 - 01), Validity::InForce, x), None);
    }

    #[test]
    fn art_26_timeliness() {
        let cal = crate::calendar::Calendar::seeded();
        // Formed on Monday 2023-03-06: the 20th working day after it is Monday 2023-04-03.
        let formed = date!(2023 - 03 - 06);
        let t = Timeliness::assess(&cal, formed, None, date!(2023 - 03 - 07));
        assert_eq!(t, Timeliness::OnTime { deadline: date!(2023 - 04 - 03) });
        assert!(t.warning_zh().is_none());
        let t = Timeliness::assess(&cal, formed, None, date!(2023 - 03 - 29));
        assert!(matches!(t, Timeliness::DueSoon { working_days_left: 3, .. }), "{t:?}");
        assert!(t.warning_zh().unwrap().contains("即将超期"));
        let t = Timeliness::assess(&cal, formed, None, date!(2023 - 04 - 04));
        assert!(matches!(t, Timeliness::Overdue { .. }));
        let t = Timeliness::assess(&cal, formed, Some(date!(2023 - 04 - 03)), date!(2023 - 05 - 01));
        assert!(matches!(t, Timeliness::OnTime { .. }));
        let t = Timeliness::assess(&cal, formed, Some(date!(2023 - 04 - 04)), date!(2023 - 05 - 01));
        assert!(t.warning_zh().unwrap().contains("逾期公开"));
    }

    #[test]
    fn pre_publication_lint() {
        let rules = LintRules {
            sensitive_words: vec!["绝密".into()],
            misstatements: vec![("国务院总经理".into(), "国务院总理".into())],
        };
        let f = lint(&rules, "通知", "国务院总经理指出……绝密", None, DocClass::Normative, &["/x/y/1".into()]);
        let zh: Vec<String> = f.iter().map(Finding::to_zh).collect();
        assert_eq!(zh.len(), 4, "{zh:?}");
        assert!(zh[0].contains("绝密") && zh[1].contains("国务院总理") && zh[2].contains("成文日期"));
        assert!(lint(&rules, "国务院总理讲话", "", None, DocClass::Ordinary, &[]).is_empty());
    }

    #[test]
    fn attachments_are_sniffed() {
        assert_eq!(sniff_attachment("a.PDF", b"%PDF-1.7 ...").unwrap(), "application/pdf");
        assert!(sniff_attachment("a.pdf", b"<html><script>").unwrap_err().0.contains("不符"));
        assert!(sniff_attachment("a.html", b"<html>").is_err());
        assert!(sniff_attachment("a.svg", b"<svg onload=alert(1)>").is_err());
        assert!(sniff_attachment("a.docx", b"PK\x03\x04rest").is_err(), "a zip is not a Word document");
        let docx = b"PK\x03\x04 [Content_Types].xml word/document.xml PK\x05\x06".to_vec();
        assert!(sniff_attachment("a.docx", &docx).is_ok());
        assert!(sniff_attachment("a.doc", b"PK\x03\x04rest").is_err());
        assert!(sniff_attachment("a.pdf", b"").is_err());
        assert!(sniff_attachment("a.pdf", &vec![b'%'; MAX_ATTACHMENT_BYTES + 1]).is_err());
        assert_eq!(clean_file_name("C:\\tmp\\..\\附件1 \"清单\".pdf").unwrap(), "附件1 清单.pdf");
        assert!(clean_file_name("../..").is_err());
    }

    #[test]
    fn columns_are_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in DEFAULT_COLUMNS {
            assert!(parse_column_slug(c.slug).is_ok(), "{}", c.slug);
            assert!(parse_column_slug("guide").is_err() && parse_column_slug("apply").is_err());
            assert!(seen.insert(c.slug), "duplicate {}", c.slug);
            if let Some(p) = c.parent {
                assert!(seen.contains(p), "parent {p} of {} comes first", c.slug);
            }
            assert!(c.update_days > 0);
        }
        for name in [
            "部门概况",
            "工作动态",
            "业务职能",
            "信息公开",
            "政府快报",
            "学习资料",
            "通知公告",
            "政策文件",
            "政策解读",
            "公开指南",
            "公开年报",
            "公共企事业单位信息",
        ] {
            assert!(DEFAULT_COLUMNS.iter().any(|c| c.name == name), "{name}");
        }
    }

    #[test]
    fn every_fixed_column_is_seeded_and_parses_back() {
        for c in FixedColumn::ALL {
            assert!(DEFAULT_COLUMNS.iter().any(|s| s.slug == c.as_str()), "{c:?} is not seeded");
            assert_eq!(FixedColumn::parse(c.as_str()), Some(c));
        }
        assert_eq!(FixedColumn::parse("gzdt"), None);
        let stored: String = ["gg", "qy"].concat();
        assert!(*"gkzn" == FixedColumn::Guide && stored == FixedColumn::PublicUnits);
    }
}

#[cfg(test)]
mod misstatement_tests {
    use crate::catalog::misstated;

    #[test]
    fn a_wrong_form_is_found_whether_or_not_it_contains_the_right_one() {
        // The wrong form is part of the right one: only a bare occurrence counts.
        assert!(!misstated("义马市人民政府办公室", "人民政府办", "人民政府办公室"));
        assert!(misstated("人民政府办发文", "人民政府办", "人民政府办公室"));
        // The right form is part of the wrong one: the wrong one is still found.
        assert!(misstated("副市长张三出席会议", "副市长张三", "市长张三"));
        assert!(!misstated("市长张三出席会议", "副市长张三", "市长张三"));
        // Both, in one text.
        assert!(misstated("市长张三与副市长张三", "副市长张三", "市长张三"));
    }
}
