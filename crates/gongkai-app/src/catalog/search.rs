//! The full-text index: search, the document of an entry, (re)indexing and validity re-indexing.

use super::*;
use std::collections::HashMap;

impl App {
    /// Searches published entries; `None` when the app runs without a search index.
    pub async fn search(&self, q: SearchQuery) -> Result<Option<SearchResults>> {
        let Some(index) = self.search.clone() else { return Ok(None) };
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map(Some)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    pub(super) async fn search_doc(&self, e: &Entry) -> Result<Option<SearchDoc>> {
        let Some(a) = agencies::by_id(&self.db, e.agency_id).await? else { return Ok(None) };
        let Some(c) = catalog::column_by_id(&self.db, a.id, e.fields.column_id).await? else { return Ok(None) };
        Ok(Some(self.search_doc_of(e, &a, &c)))
    }

    /// [`App::search_doc`], with each agency and column read once per rebuild.
    async fn search_doc_seen(&self, e: &Entry, seen: &mut Seen) -> Result<Option<SearchDoc>> {
        if let std::collections::hash_map::Entry::Vacant(v) = seen.agencies.entry(e.agency_id) {
            v.insert(agencies::by_id(&self.db, e.agency_id).await?);
        }
        let Some(Some(a)) = seen.agencies.get(&e.agency_id) else { return Ok(None) };
        let key = (a.id, e.fields.column_id);
        if let std::collections::hash_map::Entry::Vacant(v) = seen.columns.entry(key) {
            v.insert(catalog::column_by_id(&self.db, key.0, key.1).await?);
        }
        let Some(Some(c)) = seen.columns.get(&key) else { return Ok(None) };
        Ok(Some(self.search_doc_of(e, a, c)))
    }

    /// The document of an entry of agency `a` in column `c`.
    fn search_doc_of(&self, e: &Entry, a: &Agency, c: &Column) -> SearchDoc {
        let published = e.published_at.map(beijing_date);
        SearchDoc {
            id: e.id as u64,
            agency_code: a.code.to_string(),
            agency_name: a.name.clone(),
            column_slug: c.slug.clone(),
            column_name: c.name.clone(),
            title: e.fields.title.clone(),
            body_text: html_to_text(&e.fields.body_html),
            doc_no: e.fields.doc_no.clone(),
            index_no: e.index_no.clone().unwrap_or_default(),
            genre: e.fields.genre.clone(),
            topic: e.fields.topic.split('\\').next().unwrap_or("").trim().to_owned(),
            validity: self.validity_label_today(e),
            year: published.map(|d| d.year() as u64).unwrap_or_default(),
            published: published.map(date_zh).unwrap_or_default(),
        }
    }

    /// The 有效性 of an entry as of [`App::today`], as indexed and shown (empty for items without one).
    pub(super) fn validity_label_today(&self, e: &Entry) -> String {
        e.fields
            .validity
            .map(|v| Validity::on(self.today(), e.fields.effective_on, e.fields.expires_on, Some(v)).label_zh())
            .unwrap_or_default()
            .to_owned()
    }

    /// The daily `catalog.revalidate` job: validity changes without anyone acting when a date passes (尚未生效 →
    /// 现行有效 on the 实施日期, 现行有效 → 已失效 after the 失效日期). Re-indexes every published document whose
    /// validity today differs from what this node's index holds, so that the 有效性 facet stays true (through the
    /// change feed: every node re-indexes them); returns how many.
    pub async fn reindex_changed_validity(&self) -> Result<usize> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let mut changed = 0;
        for e in catalog::published_normative(&self.db, None, None, "").await? {
            let today = self.validity_label_today(&e);
            let idx = index.clone();
            let id = e.id as u64;
            let indexed = tokio::task::spawn_blocking(move || idx.indexed_validity(id))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if indexed.is_some_and(|v| v != today) {
                // Through the feed, so that every node's index learns the new validity.
                let mut tx = self.db.begin().await?;
                search_feed::record(&mut tx, e.id).await?;
                tx.commit().await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// What the index should hold for one entry now: its document when published, a removal otherwise.
    async fn change_for(&self, id: i64) -> Result<gongkai_search::Change> {
        let doc = match catalog::by_id_any_agency(&self.db, id).await? {
            Some(e) if e.status == EntryStatus::Published => self.search_doc(&e).await?,
            _ => None,
        };
        Ok(match doc {
            Some(d) => gongkai_search::Change::Upsert(Box::new(d)),
            None => gongkai_search::Change::Remove(id as u64),
        })
    }

    /// Brings this node's index up to date with the change feed (`search_changes`): applies every change after
    /// the position its last commit recorded, in batches, each batch committed together with its position. A
    /// node that has never followed the feed, or whose position is older than what the feed still keeps,
    /// rebuilds from the database first. Returns how many changes were applied (a rebuild counts as one).
    /// Every node runs this about once a second ([`App::follow_search`]); tests call it after `run_jobs`.
    pub async fn sync_search(&self) -> Result<usize> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let _one_at_a_time = self.search_sync.lock().await;
        let mut applied = 0;
        let mut position = match blocking(index.clone(), |i| i.position()).await? {
            Some(p) if search_feed::oldest(&self.db).await?.is_none_or(|oldest| p >= oldest - 1) => p,
            _ => {
                applied += 1;
                self.rebuild_from_feed().await?
            }
        };
        loop {
            let batch = search_feed::since(&self.db, position, 500).await?;
            let Some(last) = batch.last().map(|c| c.id) else { break };
            if batch.iter().any(|c| c.entry_id.is_none()) {
                // A bulk load asked for a rebuild: one rebuild covers the whole batch and everything before it.
                position = self.rebuild_from_feed().await?.max(last);
                applied += 1;
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            let mut changes = Vec::new();
            for id in batch.iter().filter_map(|c| c.entry_id) {
                if seen.insert(id) {
                    changes.push(self.change_for(id).await?);
                }
            }
            applied += batch.len();
            blocking(index.clone(), move |i| i.apply(changes, last)).await?;
            position = last;
        }
        if applied > 0 {
            // Published content changed (here or on another node), and search now shows it: pages cached
            // before are stale.
            self.content_changed();
        }
        Ok(applied)
    }

    /// Rebuilds the index from the database, recording the feed's newest id read *before* the rebuild (changes
    /// committed during it are applied again afterwards, which is harmless); returns that id.
    async fn rebuild_from_feed(&self) -> Result<i64> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let at = search_feed::latest(&self.db).await?;
        self.rebuild_index(index, at, &crate::progress::Quiet).await?;
        Ok(at)
    }

    /// Follows the change feed forever, every `period` (the server's background task on each node).
    pub async fn follow_search(self, period: std::time::Duration) {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = self.sync_search().await {
                tracing::warn!(error = %e, "search: could not follow the change feed");
            }
        }
    }

    /// How far this node's index is behind the change feed: changes not yet applied and the age of the oldest
    /// of them in seconds (`None` when the app runs without an index).
    pub async fn search_lag(&self) -> Result<Option<SearchLag>> {
        let Some(index) = self.search.clone() else { return Ok(None) };
        let position = blocking(index, |i| i.position()).await?.unwrap_or(0);
        let latest = search_feed::latest(&self.db).await?;
        let pending = search_feed::since(&self.db, position, 1).await?;
        let seconds = match pending.first() {
            Some(c) => search_feed::created_at(&self.db, c.id)
                .await?
                .map(|at| (gongkai_store::now() - at).as_seconds_f64().max(0.0))
                .unwrap_or(0.0),
            None => 0.0,
        };
        Ok(Some(SearchLag { changes: (latest - position).max(0), seconds }))
    }

    /// This node's content generation: a counter that moves whenever what public pages show may have changed —
    /// a staff write through this node ([`App::content_changed`], called by the web layer after the write) or
    /// a change of the feed written by any node, seen by [`App::sync_search`]. Caches of rendered pages keep
    /// an entry only while the generation it was rendered under is current.
    pub fn content_generation(&self) -> u64 {
        self.content_generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Moves the content generation on (see [`App::content_generation`]).
    pub fn content_changed(&self) {
        self.content_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// The content version: the newest id of the change feed, which every publish, edit, unpublish and
    /// validity change advances. The same on every node sharing the database.
    pub async fn content_version(&self) -> Result<i64> {
        Ok(search_feed::latest(&self.db).await?)
    }

    /// Records a change-feed row outside any other change: one entry, or `None` for a rebuild on every node.
    pub async fn record_search_change(&self, entry_id: Option<i64>) -> Result<()> {
        let mut tx = self.db.begin().await?;
        match entry_id {
            Some(id) => search_feed::record(&mut tx, id).await?,
            None => search_feed::record_all(&mut tx).await?,
        };
        tx.commit().await?;
        Ok(())
    }

    /// Drops feed rows older than `days` (the newest row is always kept). A node whose index is older than what
    /// is left rebuilds on its next sync.
    pub async fn prune_search_feed(&self, days: i64) -> Result<u64> {
        Ok(search_feed::prune(&self.db, gongkai_store::now() - time::Duration::days(days)).await?)
    }

    /// Rebuilds this node's search index from the database (`gongkai reindex`); returns how many entries it
    /// holds. The rebuild records the feed position, so the node follows on from there.
    pub async fn reindex(&self) -> Result<usize> {
        self.reindex_with(&crate::progress::Quiet).await
    }

    /// [`App::reindex`], reporting each entry read and then the index write.
    pub async fn reindex_with(&self, progress: &dyn crate::progress::Progress) -> Result<usize> {
        let Some(index) = self.search.clone() else {
            return Err(AppError::Internal("未配置检索索引".into()));
        };
        let _one_at_a_time = self.search_sync.lock().await;
        let at = search_feed::latest(&self.db).await?;
        self.rebuild_index(index, at, progress).await
    }

    /// Replaces the index with every published entry, read from the database a page at a time and handed to
    /// the index writer as it goes (memory stays flat however many entries there are; a rebuild of a million
    /// once held them all, several GB). A failed read abandons the rebuild: the index stays as it was.
    async fn rebuild_index(
        &self,
        index: std::sync::Arc<gongkai_search::SearchIndex>,
        at: i64,
        progress: &dyn crate::progress::Progress,
    ) -> Result<usize> {
        const PAGE: i64 = 500;
        progress.phase("正在重建检索索引", Some(catalog::count_all_published(&self.db).await? as u64));
        let (tx, mut rx) = tokio::sync::mpsc::channel::<std::result::Result<SearchDoc, String>>(PAGE as usize);
        let writer = blocking(index, move |i| i.rebuild_from(std::iter::from_fn(move || rx.blocking_recv()), Some(at)));
        let writer = tokio::spawn(writer);
        let mut seen = Seen::default();
        let mut failed = None;
        let mut after = 0;
        'pages: loop {
            let page = match catalog::published_after(&self.db, after, PAGE).await {
                Ok(page) if page.is_empty() => break,
                Ok(page) => page,
                Err(e) => {
                    failed = Some(AppError::from(e));
                    break;
                }
            };
            for e in page {
                after = e.id;
                progress.advance(1);
                match self.search_doc_seen(&e, &mut seen).await {
                    Ok(None) => {}
                    Ok(Some(d)) => {
                        if tx.send(Ok(d)).await.is_err() {
                            // The writer stopped (its error is below).
                            break 'pages;
                        }
                    }
                    Err(err) => {
                        failed = Some(err);
                        break 'pages;
                    }
                }
            }
        }
        if let Some(e) = &failed {
            let _ = tx.send(Err(e.to_string())).await;
        }
        drop(tx);
        let written = writer.await.map_err(|e| AppError::Internal(e.to_string()))?;
        match failed {
            Some(e) => Err(e),
            None => written,
        }
    }
}

/// Agencies and columns already read during a rebuild (`None`: not found).
#[derive(Default)]
struct Seen {
    agencies: HashMap<i64, Option<Agency>>,
    columns: HashMap<(i64, i64), Option<Column>>,
}

/// How far a node's search index is behind the change feed ([`App::search_lag`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchLag {
    /// Changes recorded but not yet applied here.
    pub changes: i64,
    /// Age of the oldest of them, in seconds (0 when none).
    pub seconds: f64,
}

/// Runs a blocking index operation off the async threads.
async fn blocking<T: Send + 'static>(
    index: std::sync::Arc<gongkai_search::SearchIndex>,
    f: impl FnOnce(&gongkai_search::SearchIndex) -> gongkai_search::Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || f(&index))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}
