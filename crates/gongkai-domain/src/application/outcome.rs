//! 答复结果: exactly one per application, one of the 21 leaf rows of table 三 of the annual report.

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};

/// The outcome of an application, named by what the reply does; `t3_key` gives its table 三 row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// （一）予以公开 (Art. 36(一)(二))
    Disclosed,
    /// （二）部分公开 (Art. 37)
    PartlyDisclosed,
    /// （三）1 属于国家秘密 (Art. 14)
    StateSecret,
    /// （三）2 其他法律行政法规禁止公开 (Art. 14)
    ProhibitedByLaw,
    /// （三）3 危及"三安全一稳定" (Art. 14)
    EndangersSecurity,
    /// （三）4 保护第三方合法权益 (Art. 15, 32)
    ThirdPartyRights,
    /// （三）5 属于三类内部事务信息 (Art. 16¶1)
    InternalAffairs,
    /// （三）6 属于四类过程性信息 (Art. 16¶2)
    ProcessInformation,
    /// （三）7 属于行政执法案卷 (Art. 16¶2)
    EnforcementFile,
    /// （三）8 属于行政查询事项 (Art. 36(七))
    AdministrativeQuery,
    /// （四）1 本机关不掌握相关政府信息 (Art. 36(四)(五))
    NotHeld,
    /// （四）2 没有现成信息需要另行制作 (Art. 38)
    WouldNeedCreating,
    /// （四）3 补正后申请内容仍不明确 (Art. 30)
    UnclearAfterCorrection,
    /// （五）1 信访举报投诉类申请 (Art. 39¶1)
    PetitionOrComplaint,
    /// （五）2 重复申请 (Art. 36(六))
    Repeated,
    /// （五）3 要求提供公开出版物 (Art. 39¶2)
    Publication,
    /// （五）4 无正当理由大量反复申请 (Art. 35)
    UnreasonableVolume,
    /// （五）5 要求行政机关确认或重新出具已获取信息
    ConfirmOrReissue,
    /// （六）1 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 (Art. 30)
    NoCorrection,
    /// （六）2 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 (109号)
    FeeUnpaid,
    /// （六）3 其他 (incl. withdrawal)
    Other,
}

impl Outcome {
    pub const ALL: [Outcome; 21] = [
        Outcome::Disclosed,
        Outcome::PartlyDisclosed,
        Outcome::StateSecret,
        Outcome::ProhibitedByLaw,
        Outcome::EndangersSecurity,
        Outcome::ThirdPartyRights,
        Outcome::InternalAffairs,
        Outcome::ProcessInformation,
        Outcome::EnforcementFile,
        Outcome::AdministrativeQuery,
        Outcome::NotHeld,
        Outcome::WouldNeedCreating,
        Outcome::UnclearAfterCorrection,
        Outcome::PetitionOrComplaint,
        Outcome::Repeated,
        Outcome::Publication,
        Outcome::UnreasonableVolume,
        Outcome::ConfirmOrReissue,
        Outcome::NoCorrection,
        Outcome::FeeUnpaid,
        Outcome::Other,
    ];

    /// The row key of table 三 in `gongkai.annual-report/v1` (`（一）`, `（二）`, `（三）1` … `（六）3`).
    pub fn t3_key(&self) -> &'static str {
        match self {
            Outcome::Disclosed => "（一）",
            Outcome::PartlyDisclosed => "（二）",
            Outcome::StateSecret => "（三）1",
            Outcome::ProhibitedByLaw => "（三）2",
            Outcome::EndangersSecurity => "（三）3",
            Outcome::ThirdPartyRights => "（三）4",
            Outcome::InternalAffairs => "（三）5",
            Outcome::ProcessInformation => "（三）6",
            Outcome::EnforcementFile => "（三）7",
            Outcome::AdministrativeQuery => "（三）8",
            Outcome::NotHeld => "（四）1",
            Outcome::WouldNeedCreating => "（四）2",
            Outcome::UnclearAfterCorrection => "（四）3",
            Outcome::PetitionOrComplaint => "（五）1",
            Outcome::Repeated => "（五）2",
            Outcome::Publication => "（五）3",
            Outcome::UnreasonableVolume => "（五）4",
            Outcome::ConfirmOrReissue => "（五）5",
            Outcome::NoCorrection => "（六）1",
            Outcome::FeeUnpaid => "（六）2",
            Outcome::Other => "（六）3",
        }
    }

    pub fn from_t3_key(key: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.t3_key() == key)
    }

    /// Stable code for storage and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Disclosed => "disclosed",
            Outcome::PartlyDisclosed => "partly_disclosed",
            Outcome::StateSecret => "state_secret",
            Outcome::ProhibitedByLaw => "prohibited_by_law",
            Outcome::EndangersSecurity => "endangers_security",
            Outcome::ThirdPartyRights => "third_party_rights",
            Outcome::InternalAffairs => "internal_affairs",
            Outcome::ProcessInformation => "process_information",
            Outcome::EnforcementFile => "enforcement_file",
            Outcome::AdministrativeQuery => "administrative_query",
            Outcome::NotHeld => "not_held",
            Outcome::WouldNeedCreating => "would_need_creating",
            Outcome::UnclearAfterCorrection => "unclear_after_correction",
            Outcome::PetitionOrComplaint => "petition_or_complaint",
            Outcome::Repeated => "repeated",
            Outcome::Publication => "publication",
            Outcome::UnreasonableVolume => "unreasonable_volume",
            Outcome::ConfirmOrReissue => "confirm_or_reissue",
            Outcome::NoCorrection => "no_correction",
            Outcome::FeeUnpaid => "fee_unpaid",
            Outcome::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Outcome, Invalid> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s || o.t3_key() == s)
            .ok_or_else(|| Invalid::new("请选择答复结果（年度报告表三所列情形之一）"))
    }

    /// The row's wording in table 三.
    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Disclosed => "予以公开",
            Outcome::PartlyDisclosed => "部分公开（区分处理的，只计这一情形，不计其他情形）",
            Outcome::StateSecret => "不予公开：属于国家秘密",
            Outcome::ProhibitedByLaw => "不予公开：其他法律行政法规禁止公开",
            Outcome::EndangersSecurity => "不予公开：危及“三安全一稳定”",
            Outcome::ThirdPartyRights => "不予公开：保护第三方合法权益",
            Outcome::InternalAffairs => "不予公开：属于三类内部事务信息",
            Outcome::ProcessInformation => "不予公开：属于四类过程性信息",
            Outcome::EnforcementFile => "不予公开：属于行政执法案卷",
            Outcome::AdministrativeQuery => "不予公开：属于行政查询事项",
            Outcome::NotHeld => "无法提供：本机关不掌握相关政府信息",
            Outcome::WouldNeedCreating => "无法提供：没有现成信息需要另行制作",
            Outcome::UnclearAfterCorrection => "无法提供：补正后申请内容仍不明确",
            Outcome::PetitionOrComplaint => "不予处理：信访举报投诉类申请",
            Outcome::Repeated => "不予处理：重复申请",
            Outcome::Publication => "不予处理：要求提供公开出版物",
            Outcome::UnreasonableVolume => "不予处理：无正当理由大量反复申请",
            Outcome::ConfirmOrReissue => "不予处理：要求行政机关确认或重新出具已获取信息",
            Outcome::NoCorrection => "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            Outcome::FeeUnpaid => "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            Outcome::Other => "其他处理：其他",
        }
    }

    /// The outcome as a letter states it: the label without the table's counting note (部分公开's
    /// “区分处理的，只计这一情形…” is for the annual report, not for the applicant).
    pub fn letter_label_zh(self) -> &'static str {
        match self {
            Outcome::PartlyDisclosed => "部分公开",
            o => o.label_zh(),
        }
    }

    /// The article the reply rests on.
    pub fn legal_basis_zh(self) -> &'static str {
        match self {
            Outcome::Disclosed => "《政府信息公开条例》第三十六条第（一）（二）项",
            Outcome::PartlyDisclosed => "《政府信息公开条例》第三十七条",
            Outcome::StateSecret | Outcome::ProhibitedByLaw | Outcome::EndangersSecurity => {
                "《政府信息公开条例》第十四条"
            }
            Outcome::ThirdPartyRights => "《政府信息公开条例》第十五条、第三十二条",
            Outcome::InternalAffairs => "《政府信息公开条例》第十六条第一款",
            Outcome::ProcessInformation | Outcome::EnforcementFile => "《政府信息公开条例》第十六条第二款",
            Outcome::AdministrativeQuery => "《政府信息公开条例》第三十六条第（七）项",
            Outcome::NotHeld => "《政府信息公开条例》第三十六条第（四）（五）项",
            Outcome::WouldNeedCreating => "《政府信息公开条例》第三十八条",
            Outcome::UnclearAfterCorrection | Outcome::NoCorrection => "《政府信息公开条例》第三十条",
            Outcome::PetitionOrComplaint => "《政府信息公开条例》第三十九条第一款",
            Outcome::Repeated => "《政府信息公开条例》第三十六条第（六）项",
            Outcome::Publication => "《政府信息公开条例》第三十九条第二款",
            Outcome::UnreasonableVolume => "《政府信息公开条例》第三十五条",
            Outcome::ConfirmOrReissue => "《政府信息公开条例》",
            Outcome::FeeUnpaid => "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            Outcome::Other => "《政府信息公开条例》",
        }
    }

    /// Whether staff choose this outcome with 作出决定; the （六）1/2 rows follow from the clock
    /// (逾期未补正 / 逾期未缴费) and （六）3 may also follow from a withdrawal.
    pub fn is_decided_by_staff(self) -> bool {
        !matches!(self, Outcome::NoCorrection | Outcome::FeeUnpaid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn twenty_one_distinct_rows_of_table_three() {
        let keys: BTreeSet<&str> = Outcome::ALL.iter().map(Outcome::t3_key).collect();
        assert_eq!(keys.len(), 21);
        let expected = [
            "（一）",
            "（二）",
            "（三）1",
            "（三）2",
            "（三）3",
            "（三）4",
            "（三）5",
            "（三）6",
            "（三）7",
            "（三）8",
            "（四）1",
            "（四）2",
            "（四）3",
            "（五）1",
            "（五）2",
            "（五）3",
            "（五）4",
            "（五）5",
            "（六）1",
            "（六）2",
            "（六）3",
        ];
        assert_eq!(Outcome::ALL.map(|o| o.t3_key()), expected);
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()).unwrap(), o);
            assert_eq!(Outcome::from_t3_key(o.t3_key()), Some(o));
        }
        assert!(Outcome::parse("（七）").is_err());
    }
}
