//! 行政复议 and 行政诉讼 against the handling of an application: the rows and columns of table 四.

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};

/// The rows of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// 行政复议
    AdministrativeReview,
    /// 未经复议直接起诉
    DirectSuit,
    /// 复议后起诉
    SuitAfterReview,
}

impl ReviewKind {
    pub const ALL: [ReviewKind; 3] =
        [ReviewKind::AdministrativeReview, ReviewKind::DirectSuit, ReviewKind::SuitAfterReview];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::AdministrativeReview => "administrative_review",
            ReviewKind::DirectSuit => "direct_suit",
            ReviewKind::SuitAfterReview => "suit_after_review",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| Invalid::new("请选择复议或诉讼的类型"))
    }

    /// The row key of table 四 in `gongkai.annual-report/v1`.
    pub fn t4_key(self) -> &'static str {
        match self {
            ReviewKind::AdministrativeReview => "行政复议",
            ReviewKind::DirectSuit => "未经复议直接起诉",
            ReviewKind::SuitAfterReview => "复议后起诉",
        }
    }

    pub fn label_zh(self) -> &'static str {
        self.t4_key()
    }
}

/// The result columns of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewResult {
    /// 结果维持
    Upheld,
    /// 结果纠正 (reopens the application)
    Corrected,
    /// 其他结果
    Other,
    /// 尚未审结
    Pending,
}

impl ReviewResult {
    pub const ALL: [ReviewResult; 4] =
        [ReviewResult::Upheld, ReviewResult::Corrected, ReviewResult::Other, ReviewResult::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewResult::Upheld => "upheld",
            ReviewResult::Corrected => "corrected",
            ReviewResult::Other => "other",
            ReviewResult::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| Invalid::new("请选择审理结果"))
    }

    /// The column key of table 四.
    pub fn t4_column(self) -> &'static str {
        match self {
            ReviewResult::Upheld => "结果维持",
            ReviewResult::Corrected => "结果纠正",
            ReviewResult::Other => "其他结果",
            ReviewResult::Pending => "尚未审结",
        }
    }
}
