//! 依申请公开: public intake and lookup, the staff case list and case actions.
//!
//! The case log is the record; the stage and the statutory clock are recomputed from it on every read
//! (`replay` and `clock::compute`), so a deadline shown is always what the events imply on today's date.

use crate::access::{CASE_READERS, CASE_WORKERS, EXTENSION_APPROVERS};
use crate::random_bytes;
use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Invalid;
use gongkai_domain::application::{
    ApplicantType, Attachment, CaseEvent, CaseEventKind, CaseState, FeeMethod, MAX_ATTACHMENTS, Outcome, QueryPassword,
    Stage, TrackingCode, check_attachment, clean_file_name, clock_events, mask, replay,
};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::clock::{self, Channel, ClockConfig, ClockState, ClockStatus};
use gongkai_store::agencies::Agency;
use gongkai_store::applications::{self as store, Application, EventRecord, ListFilter, NewApplication};
use gongkai_store::{Actor, NewAuditEvent, audit};
use serde_json::json;
use time::Date;
use time::macros::date;

mod case;
mod cases;
mod demo;
mod intake;
mod track;

pub use gongkai_domain::application::form::{ApplicationForm, CHANNELS, Checked, channel_code, parse_channel};

/// [`gongkai_domain::application::form::check_form`], its problems as one `InvalidFields` error.
pub(crate) fn check_form(f: &ApplicationForm) -> Result<Checked> {
    gongkai_domain::application::form::check_form(f).map_err(AppError::InvalidFields)
}

impl App {
    /// The working-day calendar cases are counted with: the one in the database. Deadlines are computed from the
    /// case log on every read, so importing a year's notice (`App::import_calendar`, audited) recomputes every
    /// open case's deadlines at once.
    pub(crate) async fn case_calendar(&self) -> Result<Calendar> {
        self.calendar().await
    }
}

/// A file as uploaded (name as given by the browser).
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the applicant gets back once, on submission.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: TrackingCode,
    pub query_password: QueryPassword,
    pub agency_name: String,
}

/// A deadline as shown on the case page and to the applicant.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    pub label: &'static str,
    pub date: Date,
    /// How it was computed (start, days counted, days skipped with holiday names, pauses, restarts).
    pub explanation: String,
}

/// A case with everything derived from its log.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub application: Application,
    pub events: Vec<EventRecord>,
    pub state: CaseState,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub receipt_date: Option<Date>,
    pub deadlines: Vec<DeadlineView>,
    pub status_zh: String,
    /// The deadline in force, if any.
    pub effective_deadline: Option<Date>,
    pub overdue: bool,
    pub due_soon: bool,
    /// Set when the log and the clock disagree (should never happen; shown to staff rather than hidden).
    pub clock_problem: Option<String>,
}

impl CaseView {
    pub fn id_masked(&self) -> String {
        mask(&self.application.id_number)
    }

    pub fn applicant_type(&self) -> Option<ApplicantType> {
        ApplicantType::parse(&self.application.applicant_type).ok()
    }
}

fn status_zh(s: &ClockStatus) -> String {
    match s {
        ClockStatus::NotStarted => "尚未确认收到申请，答复期限未开始计算".into(),
        ClockStatus::Running => "办理中".into(),
        ClockStatus::Suspended { reason } => format!("期限暂停：{reason}"),
        ClockStatus::DueSoon { working_days_left } => format!("即将到期（还剩{working_days_left}个工作日）"),
        ClockStatus::Overdue { working_days_over } => format!("已超期（超过{working_days_over}个工作日）"),
        ClockStatus::Closed => "已办结".into(),
    }
}

fn deadlines(c: &ClockState, state: &CaseState) -> Vec<DeadlineView> {
    let mut out = Vec::new();
    let mut push = |label: &'static str, due: &Option<gongkai_domain::calendar::Due>| {
        if let Some(d) = due {
            let mut explanation = d.explanation.to_zh();
            if state.reopened > 0 {
                // After a 纠正 result the clock restarts on the day it was recorded (see `clock_events`).
                explanation = explanation.replace("（收到申请之日）", "（复议或诉讼结果纠正、重新办理之日）");
            }
            out.push(DeadlineView { label, date: d.date, explanation });
        }
    };
    if !state.correction_requested && state.received && !state.closed {
        push("补正告知期限", &c.correction_notice_deadline);
    }
    push("补正期限", &c.correction_deadline);
    push("征求意见期限", &c.consultation_deadline);
    push("缴费期限", &c.fee_payment_deadline);
    push("答复期限", &c.reply_deadline);
    push("延长后的答复期限", &c.extended_deadline);
    if let Some((date, reason)) = &c.custom_deadline {
        out.push(DeadlineView {
            label: "合理答复期限（条例第三十五条）", date: *date, explanation: reason.clone()
        });
    }
    out
}

fn view(cal: &Calendar, application: Application, events: Vec<EventRecord>, today: Date) -> CaseView {
    let log: Vec<CaseEvent> = events.iter().map(|e| e.event.clone()).collect();
    let (state, mut problem) = match replay(&log) {
        Ok(s) => (s, None),
        Err(r) => (CaseState::default(), Some(r.to_string())),
    };
    let clock = clock::compute(cal, &clock_events(&log), today, &ClockConfig::default());
    let (receipt_date, deadlines, status, effective, overdue, due_soon) = match &clock {
        Ok(c) => (
            c.receipt_date,
            deadlines(c, &state),
            status_zh(&c.status),
            c.effective_deadline,
            matches!(c.status, ClockStatus::Overdue { .. }),
            matches!(c.status, ClockStatus::DueSoon { .. }),
        ),
        Err(e) => {
            problem.get_or_insert(e.to_string());
            (None, Vec::new(), "期限无法计算".into(), None, false, false)
        }
    };
    CaseView {
        application,
        events,
        stage: state.stage(),
        outcome: state.outcome,
        state,
        receipt_date,
        deadlines,
        status_zh: status,
        effective_deadline: effective,
        overdue,
        due_soon,
        clock_problem: problem,
    }
}

/// What the applicant may see on the status page: never internal notes, never the full ID number.
#[derive(Debug, Clone)]
pub struct PublicStatus {
    pub tracking_code: String,
    pub agency_name: String,
    pub applicant_name: String,
    pub submitted_on: Date,
    pub channel: Channel,
    pub stage: Stage,
    pub status_zh: String,
    pub receipt_date: Option<Date>,
    pub deadlines: Vec<DeadlineView>,
    pub outcome: Option<Outcome>,
    /// (date, what happened) — event names only.
    pub timeline: Vec<(Date, &'static str)>,
    /// Sent letters addressed to the applicant (kind, 文号, date), never drafts.
    pub letters: Vec<crate::letters::PublicLetter>,
}

/// Deadline filters of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// 即将到期: within the configured number of working days.
    Soon,
    /// 已超期
    Overdue,
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub stage: Option<Stage>,
    pub applicant_type: Option<ApplicantType>,
    pub year: Option<i32>,
    pub outcome: Option<Outcome>,
    pub due: Option<DueFilter>,
    pub handler: HandlerChoice,
    /// 1-based.
    pub page: usize,
}

/// The handler filter of the case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HandlerChoice {
    #[default]
    Any,
    /// 未分配
    Unassigned,
    /// 我的: assigned to the signed-in user.
    Mine,
    User(i64),
}

pub const CASES_PER_PAGE: usize = 20;

#[derive(Debug, Clone)]
pub struct CasePage {
    pub cases: Vec<CaseView>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// One step recorded on a case by staff: the event and the day it happened (e.g. the day the 补正 arrived).
#[derive(Debug, Clone)]
pub struct CaseStep {
    pub date: Date,
    pub kind: CaseEventKind,
    /// Internal note (never shown to the applicant).
    pub note: String,
}

/// Descriptions this similar (in percent) are flagged as a possible 重复申请.
const SIMILAR_PERCENT: u32 = 60;

/// Similarity of two descriptions: Dice coefficient over character bigrams (punctuation and spaces ignored),
/// in percent. Chinese text has no spaces, so bigrams work better than words here.
pub fn similarity_percent(a: &str, b: &str) -> u32 {
    fn bigrams(s: &str) -> std::collections::BTreeMap<(char, char), u32> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut m = std::collections::BTreeMap::new();
        for w in chars.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    }
    let (x, y) = (bigrams(a), bigrams(b));
    let total: u32 = x.values().sum::<u32>() + y.values().sum::<u32>();
    if total == 0 {
        return 0;
    }
    let common: u32 = x.iter().map(|(k, n)| (*n).min(*y.get(k).unwrap_or(&0))).sum();
    200 * common / total
}

/// Parses a date typed as `2026-01-05` (the HTML date input), for step forms.
pub fn parse_date(s: &str) -> std::result::Result<Date, Invalid> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), fmt).map_err(|_| Invalid::new("日期格式不正确，应为 年-月-日，例如 2026-01-05"))
}

#[cfg(test)]
mod tests {
    use super::similarity_percent;

    #[test]
    fn similar_descriptions() {
        let a = "2023年义马市老旧小区改造项目的资金拨付文件";
        assert_eq!(similarity_percent(a, a), 100);
        assert!(similarity_percent(a, "请公开2023年义马市老旧小区改造项目资金拨付文件。") >= 60);
        assert!(similarity_percent(a, "义马市教育局2024年招生计划") < 30);
        assert_eq!(similarity_percent("", ""), 0);
    }
}
