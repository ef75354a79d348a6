//! Figures for operations, read by the web layer's `/metrics`: the job queue, the search index's backlog, open
//! and overdue applications per agency. Read-only and without a caller: the web layer decides who may see them
//! (nothing personal is in them).

use crate::{App, Result};
use gongkai_store::{agencies, jobs};

/// One agency's applications: not yet closed, and of those past their deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCounts {
    /// The agency's code.
    pub agency: String,
    pub open: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone)]
pub struct OpsFigures {
    /// Jobs per status (`queued`, `running`, `done`, `failed`).
    pub jobs: Vec<(String, i64)>,
    /// Changes of the search change feed this node's index has not applied yet.
    pub index_pending: i64,
    /// Seconds since the oldest of them was recorded (0 when none is).
    pub index_oldest_secs: i64,
    /// Per agency, every agency listed (zeros included, so that a series does not vanish).
    pub cases: Vec<CaseCounts>,
}

impl App {
    pub async fn ops_figures(&self) -> Result<OpsFigures> {
        let jobs = jobs::counts(&self.db).await?;
        let lag = self.search_lag().await?;
        let index_pending = lag.map(|l| l.changes).unwrap_or_default();
        let index_oldest_secs = lag.map(|l| l.seconds as i64).unwrap_or_default();
        let mut cases = Vec::new();
        for a in agencies::list_all(&self.db).await? {
            let (open, overdue) = self.open_and_overdue(a.id).await?;
            cases.push(CaseCounts { agency: a.code.to_string(), open, overdue });
        }
        Ok(OpsFigures { jobs, index_pending, index_oldest_secs, cases })
    }
}
