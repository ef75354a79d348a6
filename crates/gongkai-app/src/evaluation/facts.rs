//! The facts the auto indicators read, gathered from the platform's own data (docs/law/supervision.md §10.9):
//! catalog items published in the year and their metadata, the site check's vetoes, the annual report due in the
//! year, the year's answers to applications and the 复议/诉讼 corrections.

use crate::catalog::BEIJING;
use crate::{App, Caller, Result};
use gongkai_domain::annual_report::compute::case_facts;
use gongkai_domain::application::{CaseEventKind, ReviewResult, clock_events};
use gongkai_domain::clock::{self, ClockConfig, ClockStatus, ClosureKind};
use gongkai_domain::evaluation::{AutoFacts, missing_metadata};
use gongkai_domain::monitor::Kind;
use gongkai_store::agencies::Agency;
use gongkai_store::applications as cases;
use gongkai_store::evaluation as store;
use gongkai_store::reports::{self as reports, ReportStatus};
use std::collections::BTreeMap;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

fn day_start(d: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(BEIJING)
}

fn in_year(d: Date, year: i32, until: Date) -> bool {
    d.year() == year && d <= until
}

impl App {
    /// The day a year's evaluation is as of: its last day, or today while it runs.
    pub fn evaluation_day(&self, year: i32) -> Date {
        let end = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MIN);
        self.today().min(end)
    }

    /// The facts of one evaluated agency for `year`, as of `on` (no permission check: callers check; public for tests and the command line).
    pub async fn evaluation_facts(&self, unit: &Agency, year: i32, on: Date) -> Result<AutoFacts> {
        let mut f = AutoFacts { evaluated_on: Some(on), ..Default::default() };
        // Catalog: items published from 1 January through the evaluation day and still published.
        let from = day_start(Date::from_calendar_date(year, Month::January, 1).unwrap_or(on));
        let to = day_start(on.next_day().unwrap_or(on));
        for m in store::published_meta(&self.db, unit.id, from, to).await? {
            f.published += 1;
            let numbered = matches!(m.doc_class.as_str(), "rule" | "normative");
            let dated = m.written_on.or(m.formed_on).is_some();
            let missing = missing_metadata(
                m.index_no.as_deref().unwrap_or(""),
                &m.doc_no,
                numbered,
                &m.publisher,
                &m.disclosure,
                &m.summary,
                dated,
            );
            if missing.is_empty() {
                f.complete += 1;
            }
        }
        let check = self.site_check(Caller::System("evaluation"), unit, on).await?;
        f.site_veto = check.findings.iter().any(|x| x.kind == Kind::Veto);
        // The annual report due in the year is on the year before (due 31 January or 31 March).
        let report_year = year - 1;
        f.report_year = report_year;
        f.report_due = Some(self.config.report_deadlines.for_report(unit.kind, report_year));
        if let Some(r) = reports::get(&self.db, unit.id, report_year).await?
            && r.status == ReportStatus::Published
            && let Some(at) = r.published_at
        {
            let day = at.to_offset(BEIJING).date();
            if day <= on {
                f.report_published = Some(day);
                let (_, findings) = self.annual_report(unit, report_year).await?;
                f.report_errors = u32::try_from(findings.iter().filter(|x| x.is_error()).count()).unwrap_or(u32::MAX);
            }
        }
        // Applications: answers given in the year (on time or late), cases open past their deadline on the day,
        // and 复议/诉讼 decided in the year with 纠正.
        let cal = self.case_calendar().await?;
        let mut by_app: BTreeMap<i64, Vec<cases::EventRecord>> = BTreeMap::new();
        for e in cases::events_of_agency(&self.db, unit.id).await? {
            by_app.entry(e.application_id).or_default().push(e);
        }
        for a in cases::list(&self.db, unit.id, &Default::default()).await? {
            let log: Vec<_> = by_app
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.event)
                .filter(|e| e.date <= on)
                .collect();
            if log.is_empty() {
                continue;
            }
            let facts = case_facts(&a.applicant_type, a.submitted_on, log.iter());
            for (_, _, decided) in &facts.reviews {
                if let Some((d, ReviewResult::Corrected)) = decided
                    && in_year(*d, year, on)
                {
                    f.corrected += 1;
                }
            }
            // The first reply sent, against the deadline in force on its day (a later correction on review reopens
            // the case with a new deadline, which must not make the first answer look late or on time).
            if let Some(day) = log.iter().find(|e| matches!(e.kind, CaseEventKind::ReplySent)).map(|e| e.date)
                && in_year(day, year, on)
            {
                let upto: Vec<_> = log.iter().filter(|e| e.date <= day).cloned().collect();
                if let Ok(c) = clock::compute(&cal, &clock_events(&upto), day, &ClockConfig::default())
                    && c.closed
                        .is_some_and(|cl| matches!(cl.kind, ClosureKind::Replied | ClosureKind::RepliedOnTheSpot))
                {
                    if c.effective_deadline.is_some_and(|due| day > due) {
                        f.answered_late += 1;
                    } else {
                        f.answered_on_time += 1;
                    }
                }
            }
            // Open past its deadline on the evaluation day (never answered, or reopened and not answered again).
            if let Ok(c) = clock::compute(&cal, &clock_events(&log), on, &ClockConfig::default())
                && c.closed.is_none()
                && matches!(c.status, ClockStatus::Overdue { .. })
            {
                f.open_overdue += 1;
            }
        }
        Ok(f)
    }
}
