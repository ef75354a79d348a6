//! Runs queued jobs. Handlers are registered by kind; the server polls, tests call [`JobRunner::run_due`].

use crate::App;
use gongkai_store::jobs;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
pub type Handler = Arc<dyn Fn(App, Value) -> JobFuture + Send + Sync>;

/// Deletes expired web sessions.
pub const PURGE_SESSIONS: &str = "sessions.purge";
/// Job kind: drop search change-feed rows older than a week (queued daily by the server).
pub const PRUNE_SEARCH_FEED: &str = "search.prune_feed";

#[derive(Clone)]
pub struct JobRunner {
    app: App,
    handlers: HashMap<&'static str, Handler>,
}

impl JobRunner {
    /// A runner with the platform's built-in handlers.
    pub fn new(app: App) -> Self {
        let mut r = JobRunner { app, handlers: HashMap::new() };
        r.register(PURGE_SESSIONS, |app, _| {
            Box::pin(async move { app.purge_expired_sessions().await.map_err(|e| e.to_string()) })
        });
        r.register(crate::catalog::REVALIDATE, |app, _| {
            Box::pin(async move { app.reindex_changed_validity().await.map(|_| ()).map_err(|e| format!("{e:?}")) })
        });
        // Jobs of kinds earlier versions queued for the index become change-feed rows (every node applies them).
        r.register(crate::catalog::INDEX_ENTRY, |app, payload| {
            Box::pin(async move {
                let id = payload.get("entry_id").and_then(|v| v.as_i64()).ok_or("entry_id missing")?;
                app.record_search_change(Some(id)).await.map_err(|e| format!("{e:?}"))
            })
        });
        r.register(crate::catalog::REINDEX, |app, _| {
            Box::pin(async move { app.record_search_change(None).await.map_err(|e| format!("{e:?}")) })
        });
        r.register(PRUNE_SEARCH_FEED, |app, _| {
            Box::pin(async move { app.prune_search_feed(7).await.map(|_| ()).map_err(|e| format!("{e:?}")) })
        });
        r.register(crate::supervision::monitor_jobs::DAILY_CHECK, |app, payload| {
            Box::pin(async move {
                let ymd = time::macros::format_description!("[year]-[month]-[day]");
                let day = match payload.get("day").and_then(|v| v.as_str()) {
                    Some(s) => time::Date::parse(s, &ymd).map_err(|e| format!("day: {e}"))?,
                    None => app.today(),
                };
                app.record_daily_checks(day).await.map(|_| ()).map_err(|e| format!("{e:?}"))
            })
        });
        r.register(crate::supervision::monitor_jobs::PROBE, |app, _| {
            Box::pin(async move { app.run_probes().await.map(|_| ()).map_err(|e| format!("{e:?}")) })
        });
        r.register(crate::supervision::workplan_progress::REMIND, |app, _| {
            Box::pin(async move { app.write_workplan_reminders().await.map(|_| ()).map_err(|e| format!("{e:?}")) })
        });
        r
    }

    pub fn register(&mut self, kind: &'static str, f: impl Fn(App, Value) -> JobFuture + Send + Sync + 'static) {
        self.handlers.insert(kind, Arc::new(f));
    }

    /// Runs every job that is due now, one after another; returns how many ran (successfully or not).
    pub async fn run_due(&self) -> Result<usize, gongkai_store::StoreError> {
        let mut n = 0;
        while let Some(job) = jobs::claim(&self.app.db, time::Duration::minutes(5)).await? {
            n += 1;
            let outcome = match self.handlers.get(job.kind.as_str()) {
                Some(h) => h(self.app.clone(), job.payload.0.clone()).await,
                None => Err(format!("no handler for job kind {}", job.kind)),
            };
            match outcome {
                Ok(()) => jobs::complete(&self.app.db, job.id).await?,
                Err(e) => {
                    tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
                    jobs::fail(&self.app.db, &job, &e).await?
                }
            }
        }
        Ok(n)
    }

    /// Polls for due jobs until the process ends.
    pub async fn run_forever(self, every: std::time::Duration) {
        loop {
            if let Err(e) = self.run_due().await {
                tracing::error!(error = %e, "job queue unavailable");
            }
            tokio::time::sleep(every).await;
        }
    }
}

impl App {
    /// Queues a job (in its own transaction; services that change data enqueue inside their own).
    pub async fn enqueue(&self, kind: &str, payload: Value) -> crate::Result<i64> {
        let mut tx = self.db.begin().await?;
        let id = jobs::enqueue(&mut tx, kind, &payload, None).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn purge_expired_sessions(&self) -> crate::Result<()> {
        gongkai_store::sessions::purge_expired(&self.db).await?;
        Ok(())
    }
}
