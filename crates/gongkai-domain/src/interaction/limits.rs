//! The time limits of the interaction channels, *configurable* per agency (docs/law/public-interaction.md: "every
//! limit is configurable per tenant"); the defaults are the law file's (§3.3 for 12345 orders, §4.4 for letters,
//! §5.2 for calls). A deadline in an imported 12345 file still wins over these (§3.4).

use super::Kind;
use serde::{Deserialize, Serialize};

/// Working days, counted from the day after receipt (派单, 收信, 来电).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// A mailbox letter's answer (§4.4).
    pub mailbox_wd: u32,
    /// A letter's answer after an approved extension, still from receipt (§4.4).
    pub mailbox_extended_wd: u32,
    /// A call that needs follow-up (§5.2).
    pub call_follow_up_wd: u32,
    /// 12345 办结 by type (§3.3): 咨询, 求助, 投诉, 建议, 举报, 其他.
    pub hotline_consult_wd: u32,
    pub hotline_help_wd: u32,
    pub hotline_complaint_wd: u32,
    pub hotline_suggestion_wd: u32,
    pub hotline_report_wd: u32,
    pub hotline_other_wd: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            mailbox_wd: super::mailbox::DEFAULT_LIMIT_WD,
            mailbox_extended_wd: super::mailbox::EXTENDED_LIMIT_WD,
            call_follow_up_wd: super::calls::FOLLOW_UP_WD,
            hotline_consult_wd: super::hotline::default_limit_days(Kind::Consult),
            hotline_help_wd: super::hotline::default_limit_days(Kind::Help),
            hotline_complaint_wd: super::hotline::default_limit_days(Kind::Complaint),
            hotline_suggestion_wd: super::hotline::default_limit_days(Kind::Suggestion),
            hotline_report_wd: super::hotline::default_limit_days(Kind::Report),
            hotline_other_wd: super::hotline::default_limit_days(Kind::Other),
        }
    }
}

/// The longest limit accepted (a quarter of a year of working days).
pub const MAX_WD: u32 = 60;

impl Limits {
    /// The 12345 办结 limit of an order of `kind` without a deadline in the file.
    pub fn hotline(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Consult => self.hotline_consult_wd,
            Kind::Help => self.hotline_help_wd,
            Kind::Complaint => self.hotline_complaint_wd,
            Kind::Suggestion => self.hotline_suggestion_wd,
            Kind::Report => self.hotline_report_wd,
            Kind::Other => self.hotline_other_wd,
        }
    }

    /// The settings form's fields: (field, label, value).
    pub fn fields(&self) -> Vec<(&'static str, &'static str, u32)> {
        vec![
            ("mailbox_wd", "市长信箱答复期限", self.mailbox_wd),
            ("mailbox_extended_wd", "市长信箱延期后的答复期限（自收信起算）", self.mailbox_extended_wd),
            ("call_follow_up_wd", "来电跟进期限", self.call_follow_up_wd),
            ("hotline_consult_wd", "12345工单办结期限：咨询", self.hotline_consult_wd),
            ("hotline_help_wd", "12345工单办结期限：求助", self.hotline_help_wd),
            ("hotline_complaint_wd", "12345工单办结期限：投诉", self.hotline_complaint_wd),
            ("hotline_suggestion_wd", "12345工单办结期限：建议", self.hotline_suggestion_wd),
            ("hotline_report_wd", "12345工单办结期限：举报", self.hotline_report_wd),
            ("hotline_other_wd", "12345工单办结期限：其他", self.hotline_other_wd),
        ]
    }

    /// Every limit 1–[`MAX_WD`] working days, and an extension longer than the limit it extends; each problem with
    /// its field, in Chinese.
    pub fn check(&self) -> Result<(), Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = self
            .fields()
            .into_iter()
            .filter(|(_, _, v)| !(1..=MAX_WD).contains(v))
            .map(|(f, label, _)| (f, format!("“{label}”应为1至{MAX_WD}个工作日")))
            .collect();
        if self.mailbox_extended_wd <= self.mailbox_wd && errors.is_empty() {
            errors.push(("mailbox_extended_wd", "延期后的答复期限应长于答复期限".into()));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_law_files_and_bounds_are_checked() {
        let d = Limits::default();
        assert_eq!((d.mailbox_wd, d.mailbox_extended_wd, d.call_follow_up_wd), (5, 15, 5));
        assert_eq!(Kind::ALL.map(|k| d.hotline(k)), [3, 5, 15, 15, 15, 5]);
        assert!(d.check().is_ok());
        let bad = Limits { mailbox_wd: 0, hotline_help_wd: 61, ..d };
        let fields: Vec<&str> = bad.check().unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["mailbox_wd", "hotline_help_wd"]);
        let short = Limits { mailbox_extended_wd: 5, ..d };
        assert_eq!(short.check().unwrap_err()[0].0, "mailbox_extended_wd");
    }

    #[test]
    fn a_stored_partial_setting_keeps_the_other_defaults() {
        let l: Limits = serde_json::from_str(r#"{"mailbox_wd": 3}"#).unwrap();
        assert_eq!((l.mailbox_wd, l.mailbox_extended_wd), (3, 15));
    }
}
