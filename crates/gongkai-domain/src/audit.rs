//! The actions the audit trail records (条例 Art. 45: who did what and when is kept as a record).
//!
//! Every recorded event names one [`AuditAction`]; the stored code (`report.submit` …) never changes once
//! written, so a variant's [`AuditAction::as_str`] must stay as it is. Adding an action means adding a variant,
//! its code and its Chinese label; the exhaustive matches below make the compiler ask for both.

use std::fmt;

/// One kind of audited change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditAction {
    AgencyCreate,
    UserCreate,
    UserLogin,
    UserLoginFailed,
    UserPasswordReset,
    UserUpdate,
    UserDisable,
    UserEnable,
    UserPasswordChange,
    RoleGrant,
    RoleRevoke,
    CalendarSeed,
    CalendarImport,
    CatalogCreate,
    CatalogUpdate,
    CatalogSubmit,
    CatalogReturn,
    CatalogReview,
    CatalogPublish,
    CatalogUnpublish,
    CatalogValidity,
    CatalogAttach,
    CatalogInterprets,
    CatalogImport,
    CatalogRepeal,
    ApplicationSubmit,
    ApplicationStep,
    ApplicationAssign,
    ApplicationExport,
    ApplicationRevealId,
    ApplicationAttachmentDownload,
    LetterDraft,
    LetterEdit,
    LetterSend,
    LetterCorrect,
    LetterTemplateUpdate,
    LetterSettingsUpdate,
    ReportFigures,
    ReportFiguresImport,
    ReportEdit,
    ReportSubmit,
    ReportApprove,
    ReportReturn,
    ReportPublish,
    GuideSave,
    UnitCreate,
    UnitUpdate,
    MailboxSubmit,
    MailboxStep,
    MailboxRate,
    HotlineImport,
    HotlineStep,
    CallRecord,
    InteractionSettings,
    MediaRequestOpen,
    MediaStep,
    WorkplanImport,
    /// 网站自查: an administrator set a column's update class.
    MonitorColumnClass,
    /// 考核: a supervisor created the year's scheme.
    EvaluationSchemeCreate,
    /// 考核: a supervisor added or changed an indicator of a scheme.
    EvaluationIndicatorSave,
    /// 考核: a supervisor removed an indicator before scoring started.
    EvaluationIndicatorRemove,
    /// 考核: a supervisor or third-party evaluator entered a manual score with evidence.
    EvaluationScore,
    MonitorProbeUrls,
    BulletinDraft,
    BulletinEdit,
    BulletinSubmit,
    BulletinReturn,
    BulletinApprove,
    BulletinPublish,
    RectifyReport,
    RectifyReview,
    /// 分工方案: the plan's title, 文号, parent or issue day changed, or a task entered by hand.
    WorkplanEdit,
    /// 分工方案: an assigned agency reported progress on a task.
    WorkplanProgress,
    /// 分工方案: the daily job wrote the reminder of a task due in 10 working days.
    WorkplanRemind,
    /// 分工方案: the plan and its progress downloaded as XLSX.
    WorkplanExport,
    /// 政务新媒体: a quarterly check of an account recorded.
    MediaCheck,
}

impl AuditAction {
    /// Every action, in the order above.
    pub const ALL: [AuditAction; 76] = {
        use AuditAction::*;
        [
            AgencyCreate,
            UserCreate,
            UserLogin,
            UserLoginFailed,
            UserPasswordReset,
            UserUpdate,
            UserDisable,
            UserEnable,
            UserPasswordChange,
            RoleGrant,
            RoleRevoke,
            CalendarSeed,
            CalendarImport,
            CatalogCreate,
            CatalogUpdate,
            CatalogSubmit,
            CatalogReturn,
            CatalogReview,
            CatalogPublish,
            CatalogUnpublish,
            CatalogValidity,
            CatalogAttach,
            CatalogInterprets,
            CatalogImport,
            CatalogRepeal,
            ApplicationSubmit,
            ApplicationStep,
            ApplicationAssign,
            ApplicationExport,
            ApplicationRevealId,
            ApplicationAttachmentDownload,
            LetterDraft,
            LetterEdit,
            LetterSend,
            LetterCorrect,
            LetterTemplateUpdate,
            LetterSettingsUpdate,
            ReportFigures,
            ReportFiguresImport,
            ReportEdit,
            ReportSubmit,
            ReportApprove,
            ReportReturn,
            ReportPublish,
            GuideSave,
            UnitCreate,
            UnitUpdate,
            MailboxSubmit,
            MailboxStep,
            MailboxRate,
            HotlineImport,
            HotlineStep,
            CallRecord,
            InteractionSettings,
            MediaRequestOpen,
            MediaStep,
            WorkplanImport,
            MonitorColumnClass,
            EvaluationSchemeCreate,
            EvaluationIndicatorSave,
            EvaluationIndicatorRemove,
            EvaluationScore,
            MonitorProbeUrls,
            BulletinDraft,
            BulletinEdit,
            BulletinSubmit,
            BulletinReturn,
            BulletinApprove,
            BulletinPublish,
            RectifyReport,
            RectifyReview,
            WorkplanEdit,
            WorkplanProgress,
            WorkplanRemind,
            WorkplanExport,
            MediaCheck,
        ]
    };

    /// The code stored in `audit_events.action` (dotted: `object.verb`).
    pub const fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            AgencyCreate => "agency.create",
            UserCreate => "user.create",
            UserLogin => "user.login",
            UserLoginFailed => "user.login_failed",
            UserPasswordReset => "user.password_reset",
            UserUpdate => "user.update",
            UserDisable => "user.disable",
            UserEnable => "user.enable",
            UserPasswordChange => "user.password_change",
            RoleGrant => "role.grant",
            RoleRevoke => "role.revoke",
            CalendarSeed => "calendar.seed",
            CalendarImport => "calendar.import",
            CatalogCreate => "catalog.create",
            CatalogUpdate => "catalog.update",
            CatalogSubmit => "catalog.submit",
            CatalogReturn => "catalog.return",
            CatalogReview => "catalog.review",
            CatalogPublish => "catalog.publish",
            CatalogUnpublish => "catalog.unpublish",
            CatalogValidity => "catalog.validity",
            CatalogAttach => "catalog.attach",
            CatalogInterprets => "catalog.interprets",
            CatalogImport => "catalog.import",
            CatalogRepeal => "catalog.repeal",
            ApplicationSubmit => "application.submit",
            ApplicationStep => "application.step",
            ApplicationAssign => "application.assign",
            ApplicationExport => "application.export",
            ApplicationRevealId => "application.reveal_id",
            ApplicationAttachmentDownload => "application.attachment_download",
            LetterDraft => "letter.draft",
            LetterEdit => "letter.edit",
            LetterSend => "letter.send",
            LetterCorrect => "letter.correct",
            LetterTemplateUpdate => "letter_template.update",
            LetterSettingsUpdate => "letter_settings.update",
            ReportFigures => "report.figures",
            ReportFiguresImport => "report.figures_import",
            ReportEdit => "report.edit",
            ReportSubmit => "report.submit",
            ReportApprove => "report.approve",
            ReportReturn => "report.return",
            ReportPublish => "report.publish",
            GuideSave => "guide.save",
            UnitCreate => "unit.create",
            UnitUpdate => "unit.update",
            MailboxSubmit => "mailbox.submit",
            MailboxStep => "mailbox.step",
            MailboxRate => "mailbox.rate",
            HotlineImport => "hotline.import",
            HotlineStep => "hotline.step",
            CallRecord => "call.record",
            InteractionSettings => "interaction.settings",
            MediaRequestOpen => "media.request_open",
            MediaStep => "media.step",
            WorkplanImport => "workplan.import",
            MonitorColumnClass => "monitor.column_class",
            EvaluationSchemeCreate => "evaluation.scheme_create",
            EvaluationIndicatorSave => "evaluation.indicator_save",
            EvaluationIndicatorRemove => "evaluation.indicator_remove",
            EvaluationScore => "evaluation.score",
            MonitorProbeUrls => "monitor.probe_urls",
            BulletinDraft => "bulletin.draft",
            BulletinEdit => "bulletin.edit",
            BulletinSubmit => "bulletin.submit",
            BulletinReturn => "bulletin.return",
            BulletinApprove => "bulletin.approve",
            BulletinPublish => "bulletin.publish",
            RectifyReport => "rectify.report",
            RectifyReview => "rectify.review",
            WorkplanEdit => "workplan.edit",
            WorkplanProgress => "workplan.progress",
            WorkplanRemind => "workplan.remind",
            WorkplanExport => "workplan.export",
            MediaCheck => "media.check",
        }
    }

    /// What the console's audit page shows.
    pub const fn label_zh(self) -> &'static str {
        use AuditAction::*;
        match self {
            AgencyCreate => "创建机构",
            UserCreate => "创建用户",
            UserLogin => "登录",
            UserLoginFailed => "登录失败",
            UserPasswordReset => "重设密码",
            UserUpdate => "修改用户信息",
            UserDisable => "停用用户",
            UserEnable => "启用用户",
            UserPasswordChange => "修改本人密码",
            RoleGrant => "授予角色",
            RoleRevoke => "撤销角色",
            CalendarSeed => "载入随程序提供的放假安排",
            CalendarImport => "导入放假安排",
            CatalogCreate => "新建信息",
            CatalogUpdate => "修改信息",
            CatalogSubmit => "提交审核",
            CatalogReturn => "退回修改",
            CatalogReview => "审核通过（保密审查）",
            CatalogPublish => "发布信息",
            CatalogUnpublish => "撤销发布",
            CatalogValidity => "变更有效性",
            CatalogAttach => "上传附件",
            CatalogInterprets => "关联政策解读",
            CatalogImport => "导入已发布信息",
            CatalogRepeal => "标记文件废止",
            ApplicationSubmit => "登记申请",
            ApplicationStep => "办理申请",
            ApplicationAssign => "分配经办人",
            ApplicationExport => "导出申请列表",
            ApplicationRevealId => "查看完整证件号码",
            ApplicationAttachmentDownload => "下载申请附件",
            LetterDraft => "生成文书草稿",
            LetterEdit => "修改文书草稿",
            LetterSend => "发出文书",
            LetterCorrect => "更正已发出的文书",
            LetterTemplateUpdate => "修改文书模板",
            LetterSettingsUpdate => "修改文号模板",
            ReportFigures => "填报年度报告数据",
            ReportFiguresImport => "导入年度报告数据",
            ReportEdit => "修改年度报告",
            ReportSubmit => "提交年度报告审核",
            ReportApprove => "审核通过年度报告",
            ReportReturn => "退回年度报告",
            ReportPublish => "发布年度报告",
            GuideSave => "保存公开指南",
            UnitCreate => "登记公共企事业单位",
            UnitUpdate => "修改公共企事业单位信息",
            MailboxSubmit => "收到信箱来信",
            MailboxStep => "办理信箱来信",
            MailboxRate => "来信人评价答复",
            HotlineImport => "导入12345工单",
            HotlineStep => "记录12345工单办理",
            CallRecord => "登记接访电话",
            InteractionSettings => "修改政民互动办理期限",
            MediaRequestOpen => "申请开设政务新媒体",
            MediaStep => "办理政务新媒体账号（变更、审核、关停注销）",
            WorkplanImport => "导入工作要点分工方案",
            MonitorColumnClass => "设置栏目更新类别",
            EvaluationSchemeCreate => "创建考核方案",
            EvaluationIndicatorSave => "修改考核指标",
            EvaluationIndicatorRemove => "删除考核指标",
            EvaluationScore => "考核评分",
            MonitorProbeUrls => "设置网站探测地址",
            BulletinDraft => "起草检查通报",
            BulletinEdit => "修改检查通报草稿",
            BulletinSubmit => "报送检查通报审核",
            BulletinReturn => "退回检查通报",
            BulletinApprove => "审核检查通报并编号",
            BulletinPublish => "发布检查通报",
            RectifyReport => "报送整改情况",
            RectifyReview => "复核整改情况",
            WorkplanEdit => "修改工作要点分工方案",
            WorkplanProgress => "报送工作要点任务进展",
            WorkplanRemind => "生成工作要点任务到期提醒",
            WorkplanExport => "导出工作要点分工方案",
            MediaCheck => "记录政务新媒体季度检查",
        }
    }

    /// The action of a stored code; `None` for a code this version does not know.
    pub fn parse(code: &str) -> Option<AuditAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_action_round_trips_and_has_its_own_code_and_a_chinese_label() {
        let mut codes = BTreeSet::new();
        let mut labels = BTreeSet::new();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a), "{a:?}");
            assert!(codes.insert(a.as_str()), "two actions share the code {}", a.as_str());
            assert!(labels.insert(a.label_zh()), "two actions share the label {}", a.label_zh());
            assert_ne!(a.label_zh(), a.as_str());
            assert!(a.label_zh().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{a:?} has no Chinese label");
            let (object, verb) = a.as_str().split_once('.').expect("dotted code");
            assert!(!object.is_empty() && !verb.is_empty() && !verb.contains('.'), "{a:?}");
        }
        assert_eq!(codes.len(), AuditAction::ALL.len());
    }

    #[test]
    fn an_unknown_code_does_not_parse() {
        assert_eq!(AuditAction::parse("report.unknown"), None);
        assert_eq!(AuditAction::parse(""), None);
        assert_eq!(AuditAction::parse("Report.Submit"), None);
    }

    #[test]
    fn the_stored_codes_stay_as_they_were() {
        // Codes already written to audit trails; changing one would orphan the stored events.
        assert_eq!(AuditAction::ReportSubmit.as_str(), "report.submit");
        assert_eq!(AuditAction::ApplicationAttachmentDownload.as_str(), "application.attachment_download");
        assert_eq!(AuditAction::LetterSettingsUpdate.to_string(), "letter_settings.update");
    }
}
