//! The annual report as data: tables 二, 三, 四 and the narrative sections.

use serde::{Deserialize, Serialize};

/// Which official format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ReportFormat {
    /// 国办公开办函〔2021〕30号, in force since the 2021 reports.
    #[serde(rename = "2021")]
    #[default]
    V2021,
    /// The 2019 trial format (国办公开办函〔2019〕60号): different table 二, (六) without sub-rows.
    #[serde(rename = "2019")]
    V2019,
    /// Neither could be recognised.
    #[serde(rename = "unknown")]
    Unknown,
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2021 => "2021",
            Self::V2019 => "2019",
            Self::Unknown => "unknown",
        }
    }
}

/// 政府信息公开工作年度报告.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AnnualReport {
    /// The reporting agency as named in the title, e.g. `义马市人民政府办公室`.
    pub agency: Option<String>,
    /// The statistics year Y (the report is published in Y+1).
    pub year: Option<i32>,
    pub format: ReportFormat,
    /// 二、主动公开政府信息情况
    pub t2: Table2,
    /// 三、收到和处理政府信息公开申请情况
    pub t3: Table3,
    /// 四、政府信息公开行政复议、行政诉讼情况
    pub t4: Table4,
    pub sections: Sections,
}

/// Narrative sections, as plain text (paragraphs separated by `\n`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sections {
    /// 一、总体情况
    pub one: Option<String>,
    /// 五、存在的主要问题及改进情况
    pub five: Option<String>,
    /// 六、其他需要报告的事项 (in practice the 信息处理费 statement)
    pub six: Option<String>,
}

/// One row of 第二十条第（一）项: 规章 or 行政规范性文件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct T2Doc {
    /// 本年制发件数
    pub issued: Option<u32>,
    /// 本年废止件数
    pub repealed: Option<u32>,
    /// 现行有效件数
    pub in_force: Option<u32>,
}

impl T2Doc {
    pub const COLUMNS: [&'static str; 3] = ["本年制发件数", "本年废止件数", "现行有效件数"];

    pub fn get(&self, i: usize) -> Option<u32> {
        [self.issued, self.repealed, self.in_force].get(i).copied().flatten()
    }

    pub fn set(&mut self, i: usize, v: Option<u32>) {
        match i {
            0 => self.issued = v,
            1 => self.repealed = v,
            2 => self.in_force = v,
            _ => {}
        }
    }
}

/// Table 二 (主动公开): 第二十条第（一）（五）（六）（八）项.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Table2 {
    /// 规章
    pub rules: T2Doc,
    /// 行政规范性文件
    pub normative: T2Doc,
    /// 行政许可 (本年处理决定数量)
    pub licensing: Option<u32>,
    /// 行政处罚
    pub penalty: Option<u32>,
    /// 行政强制
    pub coercion: Option<u32>,
    /// 行政事业性收费 (本年收费金额, 万元; decimals allowed). Not the 信息处理费.
    pub fees: Option<f64>,
}

impl Table2 {
    /// Labels of the count rows, in table order, with their JSON paths (`t2/…`).
    pub const COUNT_ROWS: [&'static str; 3] = ["行政许可", "行政处罚", "行政强制"];

    pub fn count(&self, label: &str) -> Option<u32> {
        match label {
            "行政许可" => self.licensing,
            "行政处罚" => self.penalty,
            "行政强制" => self.coercion,
            _ => None,
        }
    }

    pub fn set_count(&mut self, label: &str, v: Option<u32>) {
        match label {
            "行政许可" => self.licensing = v,
            "行政处罚" => self.penalty = v,
            "行政强制" => self.coercion = v,
            _ => {}
        }
    }
}

/// 申请人情况: the seven numeric columns of table 三, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ApplicantColumn {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织 — 商业企业
    Business,
    /// 法人或其他组织 — 科研机构
    Research,
    /// 法人或其他组织 — 社会公益组织
    PublicInterest,
    /// 法人或其他组织 — 法律服务机构
    LegalService,
    /// 法人或其他组织 — 其他
    Other,
    /// 总计
    Total,
}

impl ApplicantColumn {
    pub const ALL: [ApplicantColumn; 7] = [
        Self::NaturalPerson,
        Self::Business,
        Self::Research,
        Self::PublicInterest,
        Self::LegalService,
        Self::Other,
        Self::Total,
    ];
    /// The six applicant types whose sum is 总计.
    pub const PARTS: [ApplicantColumn; 6] =
        [Self::NaturalPerson, Self::Business, Self::Research, Self::PublicInterest, Self::LegalService, Self::Other];

    /// Column key in `gongkai.annual-report/v1` (= the official header text).
    pub fn key(self) -> &'static str {
        match self {
            Self::NaturalPerson => "自然人",
            Self::Business => "商业企业",
            Self::Research => "科研机构",
            Self::PublicInterest => "社会公益组织",
            Self::LegalService => "法律服务机构",
            Self::Other => "其他",
            Self::Total => "总计",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// A row of table 三, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum T3Row {
    /// 一、本年新收政府信息公开申请数量
    New,
    /// 二、上年结转政府信息公开申请数量
    CarriedIn,
    /// （一）予以公开
    Disclosed,
    /// （二）部分公开
    PartlyDisclosed,
    /// （三）不予公开 1.属于国家秘密
    StateSecret,
    /// （三）2.其他法律行政法规禁止公开
    ProhibitedByLaw,
    /// （三）3.危及“三安全一稳定”
    EndangersSecurity,
    /// （三）4.保护第三方合法权益
    ThirdPartyRights,
    /// （三）5.属于三类内部事务信息
    InternalAffairs,
    /// （三）6.属于四类过程性信息
    ProcessInformation,
    /// （三）7.属于行政执法案卷
    EnforcementFile,
    /// （三）8.属于行政查询事项
    QueryMatter,
    /// （四）无法提供 1.本机关不掌握相关政府信息
    NotHeld,
    /// （四）2.没有现成信息需要另行制作
    NeedsCreation,
    /// （四）3.补正后申请内容仍不明确
    StillUnclear,
    /// （五）不予处理 1.信访举报投诉类申请
    Petition,
    /// （五）2.重复申请
    Repeated,
    /// （五）3.要求提供公开出版物
    Publication,
    /// （五）4.无正当理由大量反复申请
    MassRepeated,
    /// （五）5.要求行政机关确认或重新出具已获取信息
    Confirmation,
    /// （六）其他处理 1.申请人无正当理由逾期不补正…
    NoCorrection,
    /// （六）2.申请人逾期未按收费通知要求缴纳费用…
    FeeUnpaid,
    /// （六）3.其他 (includes withdrawals)
    OtherHandling,
    /// （七）总计
    Total,
    /// 四、结转下年度继续办理
    CarriedOut,
}

impl T3Row {
    pub const ALL: [T3Row; 25] = [
        Self::New,
        Self::CarriedIn,
        Self::Disclosed,
        Self::PartlyDisclosed,
        Self::StateSecret,
        Self::ProhibitedByLaw,
        Self::EndangersSecurity,
        Self::ThirdPartyRights,
        Self::InternalAffairs,
        Self::ProcessInformation,
        Self::EnforcementFile,
        Self::QueryMatter,
        Self::NotHeld,
        Self::NeedsCreation,
        Self::StillUnclear,
        Self::Petition,
        Self::Repeated,
        Self::Publication,
        Self::MassRepeated,
        Self::Confirmation,
        Self::NoCorrection,
        Self::FeeUnpaid,
        Self::OtherHandling,
        Self::Total,
        Self::CarriedOut,
    ];

    /// The 21 leaf outcome rows whose sum is （七）总计.
    pub const LEAVES: [T3Row; 21] = [
        Self::Disclosed,
        Self::PartlyDisclosed,
        Self::StateSecret,
        Self::ProhibitedByLaw,
        Self::EndangersSecurity,
        Self::ThirdPartyRights,
        Self::InternalAffairs,
        Self::ProcessInformation,
        Self::EnforcementFile,
        Self::QueryMatter,
        Self::NotHeld,
        Self::NeedsCreation,
        Self::StillUnclear,
        Self::Petition,
        Self::Repeated,
        Self::Publication,
        Self::MassRepeated,
        Self::Confirmation,
        Self::NoCorrection,
        Self::FeeUnpaid,
        Self::OtherHandling,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Row key in `gongkai.annual-report/v1`.
    pub fn key(self) -> &'static str {
        match self {
            Self::New => "一",
            Self::CarriedIn => "二",
            Self::Disclosed => "（一）",
            Self::PartlyDisclosed => "（二）",
            Self::StateSecret => "（三）1",
            Self::ProhibitedByLaw => "（三）2",
            Self::EndangersSecurity => "（三）3",
            Self::ThirdPartyRights => "（三）4",
            Self::InternalAffairs => "（三）5",
            Self::ProcessInformation => "（三）6",
            Self::EnforcementFile => "（三）7",
            Self::QueryMatter => "（三）8",
            Self::NotHeld => "（四）1",
            Self::NeedsCreation => "（四）2",
            Self::StillUnclear => "（四）3",
            Self::Petition => "（五）1",
            Self::Repeated => "（五）2",
            Self::Publication => "（五）3",
            Self::MassRepeated => "（五）4",
            Self::Confirmation => "（五）5",
            Self::NoCorrection => "（六）1",
            Self::FeeUnpaid => "（六）2",
            Self::OtherHandling => "（六）3",
            Self::Total => "（七）",
            Self::CarriedOut => "四",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The official label of the row's own cell, character for character (docs/law/annual-report.md).
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "一、本年新收政府信息公开申请数量",
            Self::CarriedIn => "二、上年结转政府信息公开申请数量",
            Self::Disclosed => "（一）予以公开",
            Self::PartlyDisclosed => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            Self::StateSecret => "1.属于国家秘密",
            Self::ProhibitedByLaw => "2.其他法律行政法规禁止公开",
            Self::EndangersSecurity => "3.危及“三安全一稳定”",
            Self::ThirdPartyRights => "4.保护第三方合法权益",
            Self::InternalAffairs => "5.属于三类内部事务信息",
            Self::ProcessInformation => "6.属于四类过程性信息",
            Self::EnforcementFile => "7.属于行政执法案卷",
            Self::QueryMatter => "8.属于行政查询事项",
            Self::NotHeld => "1.本机关不掌握相关政府信息",
            Self::NeedsCreation => "2.没有现成信息需要另行制作",
            Self::StillUnclear => "3.补正后申请内容仍不明确",
            Self::Petition => "1.信访举报投诉类申请",
            Self::Repeated => "2.重复申请",
            Self::Publication => "3.要求提供公开出版物",
            Self::MassRepeated => "4.无正当理由大量反复申请",
            Self::Confirmation => "5.要求行政机关确认或重新出具已获取信息",
            Self::NoCorrection => "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            Self::FeeUnpaid => "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            Self::OtherHandling => "3.其他",
            Self::Total => "（七）总计",
            Self::CarriedOut => "四、结转下年度继续办理",
        }
    }

    /// The merged group cell a numbered leaf sits under, e.g. `（三）不予公开`.
    pub fn group_label(self) -> Option<&'static str> {
        use T3Row::*;
        match self {
            StateSecret | ProhibitedByLaw | EndangersSecurity | ThirdPartyRights | InternalAffairs
            | ProcessInformation | EnforcementFile | QueryMatter => Some("（三）不予公开"),
            NotHeld | NeedsCreation | StillUnclear => Some("（四）无法提供"),
            Petition | Repeated | Publication | MassRepeated | Confirmation => Some("（五）不予处理"),
            NoCorrection | FeeUnpaid | OtherHandling => Some("（六）其他处理"),
            _ => None,
        }
    }

    /// Group label and own label, for messages: `（三）不予公开 1.属于国家秘密`.
    pub fn full_label(self) -> String {
        match self.group_label() {
            Some(g) => format!("{g} {}", self.label()),
            None => self.label().to_string(),
        }
    }
}

/// Table 三: 25 rows × 7 columns, indexed by [`T3Row`] and [`ApplicantColumn`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table3 {
    pub cells: [[Option<u32>; 7]; 25],
}

impl Table3 {
    /// A table with every cell 0 (what a generator starts from).
    pub fn zeros() -> Self {
        Self { cells: [[Some(0); 7]; 25] }
    }

    pub fn get(&self, row: T3Row, col: ApplicantColumn) -> Option<u32> {
        self.cells[row.index()][col.index()]
    }

    pub fn set(&mut self, row: T3Row, col: ApplicantColumn, v: Option<u32>) {
        self.cells[row.index()][col.index()] = v;
    }

    pub fn row(&self, row: T3Row) -> &[Option<u32>; 7] {
        &self.cells[row.index()]
    }

    pub fn row_mut(&mut self, row: T3Row) -> &mut [Option<u32>; 7] {
        &mut self.cells[row.index()]
    }
}

/// The three groups of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum T4Group {
    /// 行政复议
    Review,
    /// 行政诉讼 — 未经复议直接起诉
    DirectSuit,
    /// 行政诉讼 — 复议后起诉
    SuitAfterReview,
}

impl T4Group {
    pub const ALL: [T4Group; 3] = [Self::Review, Self::DirectSuit, Self::SuitAfterReview];

    pub fn key(self) -> &'static str {
        match self {
            Self::Review => "行政复议",
            Self::DirectSuit => "未经复议直接起诉",
            Self::SuitAfterReview => "复议后起诉",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The five columns of each group of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum T4Column {
    /// 结果维持
    Upheld,
    /// 结果纠正
    Corrected,
    /// 其他结果
    OtherResult,
    /// 尚未审结
    Pending,
    /// 总计
    Total,
}

impl T4Column {
    pub const ALL: [T4Column; 5] = [Self::Upheld, Self::Corrected, Self::OtherResult, Self::Pending, Self::Total];

    pub fn key(self) -> &'static str {
        match self {
            Self::Upheld => "结果维持",
            Self::Corrected => "结果纠正",
            Self::OtherResult => "其他结果",
            Self::Pending => "尚未审结",
            Self::Total => "总计",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Table 四: 3 groups × 5 columns, in table order (15 cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table4 {
    pub cells: [[Option<u32>; 5]; 3],
}

impl Table4 {
    pub fn zeros() -> Self {
        Self { cells: [[Some(0); 5]; 3] }
    }

    pub fn get(&self, g: T4Group, c: T4Column) -> Option<u32> {
        self.cells[g.index()][c.index()]
    }

    pub fn set(&mut self, g: T4Group, c: T4Column, v: Option<u32>) {
        self.cells[g.index()][c.index()] = v;
    }
}

/// Which check a finding comes from (docs/law/annual-report.md § 勾稽关系).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    /// 一 + 二 = （七）总计 + 四, per column of 三.
    R1,
    /// Row totals of 三.
    R2,
    /// （七）总计 = sum of the 21 leaf rows.
    R3,
    /// Table 四 group totals.
    R4,
    /// Blank, or not a non-negative number.
    R5,
    /// Cross-year consistency.
    R6,
    /// Narrative figures vs tables.
    R7,
    /// Section 六's fee statement.
    R8,
    /// Not the 2021 format.
    #[serde(rename = "format")]
    Format,
    /// A cell or part the parser could not read.
    #[serde(rename = "unread")]
    Unread,
}

impl Rule {
    pub const ALL: [Rule; 10] =
        [Self::R1, Self::R2, Self::R3, Self::R4, Self::R5, Self::R6, Self::R7, Self::R8, Self::Format, Self::Unread];

    /// The id used in JSON (`R1` … `R8`, `format`, `unread`).
    pub fn id(self) -> &'static str {
        match self {
            Self::R1 => "R1",
            Self::R2 => "R2",
            Self::R3 => "R3",
            Self::R4 => "R4",
            Self::R5 => "R5",
            Self::R6 => "R6",
            Self::R7 => "R7",
            Self::R8 => "R8",
            Self::Format => "format",
            Self::Unread => "unread",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Short Chinese description, for summaries.
    pub fn description(self) -> &'static str {
        match self {
            Self::R1 => "表三 一+二 应等于 （七）总计+四",
            Self::R2 => "表三 各行总计",
            Self::R3 => "表三 （七）总计 应等于各办理结果之和",
            Self::R4 => "表四 各项总计",
            Self::R5 => "空白或非非负数的单元格",
            Self::R6 => "与上一年度报告衔接",
            Self::R7 => "正文数字与表格不一致",
            Self::R8 => "第六部分收费说明",
            Self::Format => "非2021年格式",
            Self::Unread => "未能读取",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Where: `t3/自然人`, `t3/（三）1/总计`, `t4/行政复议/总计`, `sections/六`, `agency`…
    #[serde(rename = "where")]
    pub location: String,
    /// Chinese, for the supervisor.
    pub message: String,
    /// The phrase of the narrative the finding is about (R7, R8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

impl Finding {
    pub fn error(rule: Rule, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self { rule, severity: Severity::Error, location: location.into(), message: message.into(), quote: None }
    }

    pub fn warning(rule: Rule, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self { rule, severity: Severity::Warning, location: location.into(), message: message.into(), quote: None }
    }

    pub fn with_quote(mut self, quote: impl Into<String>) -> Self {
        self.quote = Some(quote.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
