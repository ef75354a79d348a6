//! 文书 of 依申请公开: the kinds of letter, their default templates (an agency may replace them), placeholders
//! filled from the case, and the 文号 template of the agency's sequence.
//!
//! Templates are plain text: the first line of the body is the salutation, every further line a paragraph.
//! Placeholders are written `{申请人}`; an unknown placeholder is refused when a template is saved, so a typo
//! never reaches a citizen.

use crate::agency::Invalid;

/// The letters a case produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterKind {
    /// 登记回执: the receipt date (Art. 31) and the reply deadline (Art. 33), made when the receipt date is fixed.
    Receipt,
    /// 补正告知书 (Art. 30): everything to supplement, once, and the period.
    Correction,
    /// 延期答复告知书 (Art. 33¶2): only after the head of the office approved.
    Extension,
    /// 第三方意见征询函 (Art. 32).
    ThirdPartyConsultation,
    /// 征求意见函 to another agency (Art. 34).
    AgencyConsultation,
    /// 收费通知 (国办函〔2020〕109号).
    FeeNotice,
    /// 政府信息公开申请答复告知书.
    Reply,
    /// The written notice to a third party that objected of the decision to disclose all the same (Art. 32):
    /// the information, the reasons and when it will be disclosed.
    ThirdPartyDecision,
}

/// Placeholders every template may use.
const COMMON: &[(&str, &str)] = &[
    ("机关", "本机关名称"),
    ("申请人", "申请人姓名或名称"),
    ("查询码", "申请的查询码"),
    ("申请日期", "提交申请之日"),
    ("收到日期", "收到申请之日（条例第三十一条）"),
    ("申请内容", "申请获取的政府信息的描述"),
    ("查询网址", "网上查询办理进度的网址（配置 site.base_url 后才有）"),
];

impl LetterKind {
    pub const ALL: [LetterKind; 8] = [
        LetterKind::Receipt,
        LetterKind::Correction,
        LetterKind::Extension,
        LetterKind::ThirdPartyConsultation,
        LetterKind::AgencyConsultation,
        LetterKind::FeeNotice,
        LetterKind::Reply,
        LetterKind::ThirdPartyDecision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::Correction => "correction",
            LetterKind::Extension => "extension",
            LetterKind::ThirdPartyConsultation => "third_party_consultation",
            LetterKind::AgencyConsultation => "agency_consultation",
            LetterKind::FeeNotice => "fee_notice",
            LetterKind::Reply => "reply",
            LetterKind::ThirdPartyDecision => "third_party_decision",
        }
    }

    pub fn parse(s: &str) -> Result<LetterKind, Invalid> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| Invalid::new(format!("未知的文书类型“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LetterKind::Receipt => "登记回执",
            LetterKind::Correction => "补正告知书",
            LetterKind::Extension => "延期答复告知书",
            LetterKind::ThirdPartyConsultation => "第三方意见征询函",
            LetterKind::AgencyConsultation => "征求意见函（其他机关）",
            LetterKind::FeeNotice => "收费通知",
            LetterKind::Reply => "答复告知书",
            LetterKind::ThirdPartyDecision => "公开决定告知书（第三方）",
        }
    }

    /// Whether the applicant receives this letter (the 征询函 go to the third party or the other agency, so the
    /// applicant's status page does not list them).
    pub fn to_applicant(self) -> bool {
        !matches!(
            self,
            LetterKind::ThirdPartyConsultation | LetterKind::AgencyConsultation | LetterKind::ThirdPartyDecision
        )
    }

    /// The placeholders of this kind beyond the common ones, with what they stand for.
    pub fn own_placeholders(self) -> &'static [(&'static str, &'static str)] {
        match self {
            LetterKind::Receipt => &[
                ("收到方式", "提交方式及其收到日期的规则（条例第三十一条）"),
                ("答复期限", "答复期限的最后一日（收到申请之日起20个工作日）"),
            ],
            LetterKind::Correction => &[
                ("补正事项", "需要补正的全部事项"),
                ("补正期限", "补正期限（工作日数）"),
                ("补正截止日期", "补正期限的最后一日"),
            ],
            LetterKind::Extension => &[("延长天数", "延长的工作日数"), ("延长后期限", "延长后的答复期限")],
            LetterKind::ThirdPartyConsultation | LetterKind::AgencyConsultation => {
                &[("征求对象", "被征求意见的第三方或机关"), ("征询截止日期", "提出意见的期限（15个工作日）")]
            }
            LetterKind::FeeNotice => &[
                ("计费方式", "按件或按量及其计算"),
                ("标准金额", "按国办函〔2020〕109号计算的金额（元）"),
                ("应缴金额", "减免后实际应缴的金额（元）"),
                ("减免说明", "减免理由（没有减免时为空）"),
                ("缴费截止日期", "缴费期限的最后一日"),
            ],
            LetterKind::Reply => &[("答复结果", "答复结果"), ("理由", "答复的理由"), ("依据", "法律依据（条款）")],
            LetterKind::ThirdPartyDecision => &[
                ("征求对象", "提出异议的第三方"),
                ("答复结果", "答复结果"),
                ("公开理由", "决定公开的理由"),
                ("公开日期", "将向申请人公开的日期"),
            ],
        }
    }

    /// Every placeholder this kind's template may use.
    pub fn placeholders(self) -> Vec<(&'static str, &'static str)> {
        COMMON.iter().chain(self.own_placeholders()).copied().collect()
    }

    pub fn default_title(self) -> &'static str {
        match self {
            LetterKind::Receipt => "政府信息公开申请登记回执",
            LetterKind::Correction => "政府信息公开申请补正告知书",
            LetterKind::Extension => "政府信息公开申请延期答复告知书",
            LetterKind::ThirdPartyConsultation => "政府信息公开第三方意见征询函",
            LetterKind::AgencyConsultation => "政府信息公开征求意见函",
            LetterKind::FeeNotice => "政府信息公开信息处理费收费通知",
            LetterKind::Reply => "政府信息公开申请答复告知书",
            LetterKind::ThirdPartyDecision => "政府信息公开决定告知书",
        }
    }

    pub fn default_body(self) -> &'static str {
        match self {
            LetterKind::Receipt => {
                "{申请人}：\n\
                 本机关已收到您提出的政府信息公开申请，申请获取：{申请内容}。查询码：{查询码}。\n\
                 根据《中华人民共和国政府信息公开条例》第三十一条的规定，{收到方式}。本机关收到申请之日为{收到日期}。\n\
                 根据条例第三十三条的规定，本机关将自收到申请之日起20个工作日内（至{答复期限}止）作出答复；需要补正、征求意见或者缴纳信息处理费的，答复期限依法重新计算或者相应期间不计算在内，本机关将另行书面告知。\n\
                 您可以凭查询码和查询密码查询办理进度。"
            }
            LetterKind::Correction => {
                "{申请人}：\n\
                 本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），申请获取：{申请内容}。\n\
                 经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下事项作出补正：{补正事项}\n\
                 请您自收到本告知书之日起{补正期限}内（至{补正截止日期}止）提交补正材料。答复期限自本机关收到补正之日起重新计算。\n\
                 无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
            }
            LetterKind::Extension => {
                "{申请人}：\n\
                 本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），申请获取：{申请内容}。\n\
                 因需要延长答复期限，经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，答复期限延长{延长天数}，本机关最迟于{延长后期限}作出答复。\n\
                 特此告知。"
            }
            LetterKind::ThirdPartyConsultation => {
                "{征求对象}：\n\
                 本机关于{收到日期}收到申请人提出的政府信息公开申请，申请获取：{申请内容}。\n\
                 经审查，该政府信息的公开可能损害您的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您的意见。\n\
                 请您自收到本函之日起15个工作日内（至{征询截止日期}止）提出意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
            }
            LetterKind::AgencyConsultation => {
                "{征求对象}：\n\
                 本机关于{收到日期}收到申请人提出的政府信息公开申请，申请获取：{申请内容}。\n\
                 该政府信息的公开需要征求贵机关的意见。根据《中华人民共和国政府信息公开条例》第三十四条的规定，请贵机关自收到本函之日起15个工作日内（至{征询截止日期}止）提出意见，逾期未提出意见的视为同意公开。"
            }
            LetterKind::FeeNotice => {
                "{申请人}：\n\
                 本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），申请获取：{申请内容}。\n\
                 根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本机关{计费方式}，标准金额{标准金额}元，应缴金额{应缴金额}元。{减免说明}\n\
                 请您自收到本通知之次日起20个工作日内（至{缴费截止日期}止）缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。\n\
                 缴费期间不计算在答复期限内。"
            }
            LetterKind::Reply => {
                "{申请人}：\n\
                 本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），申请获取：{申请内容}。\n\
                 经审查，现答复如下：{答复结果}。\n\
                 理由：{理由}\n\
                 依据：{依据}。\n\
                 如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，或者自知道该行政行为之日起6个月内依法向人民法院提起行政诉讼。"
            }
            LetterKind::ThirdPartyDecision => {
                "{征求对象}：\n\
                 本机关于{收到日期}收到申请人提出的政府信息公开申请，申请获取：{申请内容}。本机关曾就该信息的公开书面征求您的意见，您不同意公开。\n\
                 经审查，本机关认为不公开可能对公共利益造成重大影响。根据《中华人民共和国政府信息公开条例》第三十二条的规定，本机关决定予以公开（{答复结果}）。理由：{公开理由}\n\
                 本机关将于{公开日期}向申请人公开上述政府信息。\n\
                 如对本决定不服，可以自收到本告知书之日起60日内依法申请行政复议，或者自知道该行政行为之日起6个月内依法向人民法院提起行政诉讼。"
            }
        }
    }
}

/// The placeholders used in `text` (`{名称}`), in order, with repeats.
pub fn placeholders_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if !after[..j].contains('{') => {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Checks a template an agency admin typed: a title, a body, only known placeholders; a reply must state both
/// remedies and must not carry the old (wrong) 3-month period of litigation.
pub fn check_template(kind: LetterKind, title: &str, body: &str) -> Result<(), Invalid> {
    if title.trim().is_empty() || title.chars().count() > 60 {
        return Err(Invalid::new("请填写文书标题（不超过60个字）"));
    }
    if body.trim().is_empty() || body.chars().count() > 5000 {
        return Err(Invalid::new("请填写文书正文（不超过5000个字）"));
    }
    let known = kind.placeholders();
    let all = format!("{title}\n{body}");
    let unknown: Vec<&str> = placeholders_in(&all).into_iter().filter(|p| !known.iter().any(|(k, _)| k == p)).collect();
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|p| format!("{{{p}}}")).collect();
        return Err(Invalid::new(format!("模板中有无法识别的占位符：{}", list.join("、"))));
    }
    if kind == LetterKind::Reply && !(body.contains("行政复议") && body.contains("行政诉讼")) {
        return Err(Invalid::new("答复告知书须告知救济途径：行政复议和行政诉讼"));
    }
    if matches!(kind, LetterKind::Reply | LetterKind::ThirdPartyDecision)
        && (body.contains("3个月") || body.contains("三个月"))
    {
        return Err(Invalid::new("提起行政诉讼的期限为6个月（行政诉讼法第四十六条），请勿写“3个月”"));
    }
    Ok(())
}

/// Fills the placeholders of `text` with `values`; a placeholder without a value is left as it is (staff see it
/// in the draft and can complete it by hand).
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// What follows a date in a letter when it depends on a year whose holiday notice is not loaded
/// (docs/law/calendar.md §4.1a); [`is_provisional_text`] looks for its opening.
const PROVISIONAL_OPENING: &str = "（临时日期：";

/// A date of a letter as provisional: `2027年1月4日（临时日期：2027年放假安排尚未公布，如有调整，本机关将另行告知）`.
pub fn provisional_date_zh(date: &str, years: &[i32]) -> String {
    let years: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    format!("{date}{PROVISIONAL_OPENING}{}放假安排尚未公布，如有调整，本机关将另行告知）", years.join("、"))
}

/// Whether a letter's text states a provisional date (made by [`provisional_date_zh`]).
pub fn is_provisional_text(text: &str) -> bool {
    text.contains(PROVISIONAL_OPENING)
}

/// How an agency's 文号 are made, e.g. `义政办公开〔{year}〕{seq}号`: `{seq}` (required) is the number in the
/// agency's sequence of the year, `{year}` the year of sending, `{agency}` the agency's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNoTemplate(String);

impl DocNoTemplate {
    /// The default keeps the numbering replies had before templates existed.
    pub const DEFAULT: &'static str = "{agency}依申请公开〔{year}〕{seq}号";

    pub fn parse(s: &str) -> Result<DocNoTemplate, Invalid> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 60 {
            return Err(Invalid::new("请填写文号模板（不超过60个字）"));
        }
        let used = placeholders_in(s);
        if let Some(bad) = used.iter().find(|p| !["seq", "year", "agency"].contains(p)) {
            return Err(Invalid::new(format!("文号模板只能使用{{year}}、{{seq}}和{{agency}}，不能使用{{{bad}}}")));
        }
        if used.iter().filter(|p| **p == "seq").count() != 1 {
            return Err(Invalid::new("文号模板须包含一次{seq}（序号），以保证文号不重复"));
        }
        if !used.contains(&"year") {
            return Err(Invalid::new("文号模板须包含{year}（年份），序号每年重新开始"));
        }
        Ok(DocNoTemplate(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn format(&self, agency: &str, year: i32, seq: i64) -> String {
        self.0.replace("{agency}", agency).replace("{year}", &year.to_string()).replace("{seq}", &seq.to_string())
    }
}

impl Default for DocNoTemplate {
    fn default() -> Self {
        DocNoTemplate(Self::DEFAULT.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_templates_use_only_their_placeholders_and_pass_the_check() {
        for k in LetterKind::ALL {
            check_template(k, k.default_title(), k.default_body()).unwrap_or_else(|e| panic!("{k:?}: {e}"));
            assert_eq!(LetterKind::parse(k.as_str()).unwrap(), k);
        }
    }

    #[test]
    fn unknown_placeholders_and_wrong_remedies_are_refused() {
        let e = check_template(LetterKind::Correction, "补正", "{申请人}：请补正{补正事向}").unwrap_err();
        assert!(e.0.contains("{补正事向}"), "{}", e.0);
        // Placeholders of another kind are unknown here.
        assert!(check_template(LetterKind::Correction, "补正", "{答复结果}").is_err());
        let e = check_template(LetterKind::Reply, "答复", "可在3个月内提起行政诉讼，或申请行政复议").unwrap_err();
        assert!(e.0.contains("6个月"));
        assert!(check_template(LetterKind::Reply, "答复", "{答复结果}").is_err(), "remedies missing");
    }

    #[test]
    fn filling_replaces_every_occurrence() {
        let t = "{申请人}：{申请人}，{未知}";
        assert_eq!(fill(t, &[("申请人", "张三".into())]), "张三：张三，{未知}");
        assert_eq!(placeholders_in("a{x}b{y}{"), vec!["x", "y"]);
    }

    #[test]
    fn doc_no_templates() {
        let t = DocNoTemplate::parse("义政办公开〔{year}〕{seq}号").unwrap();
        assert_eq!(t.format("义马市人民政府办公室", 2026, 12), "义政办公开〔2026〕12号");
        assert_eq!(
            DocNoTemplate::default().format("义马市人民政府办公室", 2026, 1),
            "义马市人民政府办公室依申请公开〔2026〕1号"
        );
        assert!(DocNoTemplate::parse("义政办公开〔{year}〕号").is_err(), "no sequence number");
        assert!(DocNoTemplate::parse("义政办〔{seq}〕").is_err(), "no year: numbers would repeat next year");
        assert!(DocNoTemplate::parse("{year}{seq}{seq}").is_err());
        assert!(DocNoTemplate::parse("{year}{seq}{n}").is_err());
    }
}
