//! The figures of the annual report's 一（五）监督保障 from the supervision records (docs/law/supervision.md §6,
//! §10.18): the 分工方案 (title, tasks, done by 12-31), the site checks of the agency and those beneath it as of
//! 12-31, the 通报 issued, and the 政务新媒体 accounts opened, closed and checked in the year. A typed figure wins
//! (the caller keeps typed values).

use crate::{App, Caller, Result};
use gongkai_domain::monitor::Verdict;
use gongkai_domain::workplan::{self as rules, Standing};
use gongkai_store::agencies::Agency;
use gongkai_store::{new_media, workplan};
use std::collections::BTreeMap;
use time::{Date, Month};

/// Figures (key → value, keys of `FIGURES`) and text placeholders counted from the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisionFigures {
    pub figures: BTreeMap<String, String>,
    pub texts: BTreeMap<&'static str, String>,
}

impl App {
    /// 一（五）'s figures of `agency` for `year` (nothing for a year that has not begun).
    pub async fn supervision_figures(&self, agency: &Agency, year: i32) -> Result<SupervisionFigures> {
        let mut out = SupervisionFigures::default();
        let today = self.today();
        let (Ok(first), Ok(last)) =
            (Date::from_calendar_date(year, Month::January, 1), Date::from_calendar_date(year, Month::December, 31))
        else {
            return Ok(out);
        };
        if today < first {
            return Ok(out);
        }
        let mut put = |k: &str, v: usize| {
            out.figures.insert(k.to_owned(), v.to_string());
        };
        if let Some(plan) = workplan::plan(&self.db, agency.id, year).await? {
            let tasks = workplan::tasks(&self.db, plan.id).await?;
            // Done at 12-31: reports after the year do not count.
            let progress: Vec<_> = workplan::progress_of_plan(&self.db, plan.id)
                .await?
                .into_iter()
                .filter(|p| p.reported_on <= last)
                .collect();
            let mut latest = std::collections::HashMap::new();
            for p in &progress {
                if let Some(s) = rules::Progress::parse(&p.status) {
                    latest.insert(p.task_id, (s, p.reported_on));
                }
            }
            let done = tasks
                .iter()
                .filter(|t| rules::standing(t.due_on, latest.get(&t.id).copied(), last) == Standing::Done)
                .count();
            put("workplan_tasks", tasks.len());
            put("workplan_done", done);
            out.texts.insert("工作要点", format!("《{}》", plan.title));
        }
        // Site checks as of the year's last day (or today within the year): the agency and those beneath it.
        let as_of = last.min(today);
        let by = Caller::System("report");
        let mut checks = vec![self.site_check(by, agency, as_of).await?];
        checks.extend(self.descendant_checks(by, agency, as_of).await?.into_iter().map(|(_, c)| c));
        put("sites_checked", checks.len());
        put("sites_failing", checks.iter().filter(|c| c.verdict == Verdict::Fail).count());
        if let Some(n) = self.bulletins_issued(agency, year).await? {
            put("bulletins", n);
        }
        let accounts = new_media::of_agency(&self.db, agency.id).await?;
        if !accounts.is_empty() {
            let in_year = |d: Option<Date>| d.is_some_and(|d| d.year() == year);
            put("media_opened", accounts.iter().filter(|a| in_year(a.opened_on)).count());
            put("media_closed", accounts.iter().filter(|a| in_year(a.closed_on)).count());
            let checks: Vec<_> = new_media::checks_of_agency(&self.db, agency.id)
                .await?
                .into_iter()
                .filter(|c| c.checked_on.year() == year)
                .collect();
            put("media_checks", checks.len());
            put("media_failing", checks.iter().filter(|c| !c.passed).count());
        }
        Ok(out)
    }

    /// The 通报 the agency issued in `year`: approved and numbered that year (§6). `None` when the agency has never
    /// drafted one (a department does not issue 通报), so its report shows "（未填写）" unless the figure is typed.
    async fn bulletins_issued(&self, agency: &Agency, year: i32) -> Result<Option<usize>> {
        let all = gongkai_store::bulletins::of_agency(&self.db, agency.id).await?;
        if all.is_empty() {
            return Ok(None);
        }
        Ok(Some(all.iter().filter(|b| b.issued_on.is_some_and(|d| d.year() == year)).count()))
    }
}
