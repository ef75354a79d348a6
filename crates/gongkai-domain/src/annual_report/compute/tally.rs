//! The cases as the report reads them, in a form a database can aggregate: table 三 needs only, per case, its
//! applicant column, the year of receipt and the year and row of its first answer; table 四 and the fee statement
//! need the few cases with a 复议/诉讼 or a fee, whole. The store keeps one [`CaseSummary`] per application (the
//! projection `case_facts`, refreshed with every event) and counts them with `GROUP BY`, so a report of an agency
//! with a million applications reads a few dozen groups instead of every case log.

use super::{CaseFacts, t3_row};
use crate::annual_report::{ApplicantColumn, T3Row};
use time::Date;

/// Bump when [`super::case_facts`] or [`CaseSummary`] change meaning: the store then recomputes every stored
/// summary from the case logs when it next opens the database.
pub const CASE_FACTS_VERSION: i32 = 1;

/// Cases that count alike in table 三: same applicant column, year of receipt and first answer (year and row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseGroup {
    pub column: ApplicantColumn,
    pub received_year: i32,
    pub answered: Option<(i32, T3Row)>,
    pub count: u64,
}

/// What the projection keeps of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub column: ApplicantColumn,
    /// `None`: never received (not counted).
    pub received_year: Option<i32>,
    /// The first answer's year and table 三 row; `None` while open.
    pub answered: Option<(i32, T3Row)>,
    /// The whole facts when the case has a 复议/诉讼 or a fee (table 四, section 六), else `None`.
    pub detail: Option<CaseFacts>,
}

impl CaseFacts {
    /// Whether table 四 or the fee statement reads this case.
    pub fn has_detail(&self) -> bool {
        !self.reviews.is_empty() || !self.fee_notices.is_empty() || !self.fees_paid.is_empty()
    }

    pub fn summary(&self) -> CaseSummary {
        CaseSummary {
            column: self.column,
            received_year: self.received.map(Date::year),
            answered: self.answered.map(|(d, o)| (d.year(), t3_row(o))),
            detail: self.has_detail().then(|| self.clone()),
        }
    }
}

/// What cases of one [`CaseGroup`] share: column, year of receipt, first answer.
type GroupKey = (ApplicantColumn, i32, Option<(i32, T3Row)>);

/// The cases of an agency as [`super::compute`] reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTally {
    /// Groups of received cases (several groups with the same key add up).
    pub groups: Vec<CaseGroup>,
    /// The cases with a 复议/诉讼 or a fee.
    pub detailed: Vec<CaseFacts>,
}

impl CaseTally {
    /// The tally of cases held in memory (what the store's aggregation computes from its projection).
    pub fn of(facts: &[CaseFacts]) -> Self {
        let mut counts: std::collections::BTreeMap<GroupKey, u64> = Default::default();
        for s in facts.iter().map(CaseFacts::summary) {
            if let Some(received_year) = s.received_year {
                *counts.entry((s.column, received_year, s.answered)).or_default() += 1;
            }
        }
        CaseTally {
            groups: counts
                .into_iter()
                .map(|((column, received_year, answered), count)| CaseGroup { column, received_year, answered, count })
                .collect(),
            detailed: facts.iter().filter(|f| f.has_detail()).cloned().collect(),
        }
    }

    /// The years the cases span: from receipt to answer (to `today`'s year while open), and each 复议/诉讼 from
    /// filing to decision.
    pub fn years(&self, today: i32) -> std::collections::BTreeSet<i32> {
        let mut years = std::collections::BTreeSet::new();
        for g in &self.groups {
            let last = g.answered.map(|(y, _)| y).unwrap_or(today).max(g.received_year);
            years.extend(g.received_year..=last);
        }
        for (_, filed, decided) in self.detailed.iter().flat_map(|f| &f.reviews) {
            years.extend(filed.year()..=decided.map(|(d, _)| d.year()).unwrap_or(today).max(filed.year()));
        }
        years
    }
}
