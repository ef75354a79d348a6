//! The full-text index: search, the document of an entry, (re)indexing and validity re-indexing.

use super::*;

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
        let published = e.published_at.map(beijing_date);
        Ok(Some(SearchDoc {
            id: e.id as u64,
            agency_code: a.code.to_string(),
            agency_name: a.name,
            column_slug: c.slug,
            column_name: c.name,
            title: e.fields.title.clone(),
            body_text: html_to_text(&e.fields.body_html),
            doc_no: e.fields.doc_no.clone(),
            index_no: e.index_no.clone().unwrap_or_default(),
            genre: e.fields.genre.clone(),
            topic: e.fields.topic.split('\\').next().unwrap_or("").trim().to_owned(),
            validity: self.validity_label_today(e),
            year: published.map(|d| d.year() as u64).unwrap_or_default(),
            published: published.map(date_zh).unwrap_or_default(),
        }))
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
    /// validity today differs from what the index holds, so that the 有效性 facet stays true; returns how many.
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
                self.index_entry(e.id).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// The `catalog.index` job: index the entry when it is published, remove it from the index otherwise.
    pub async fn index_entry(&self, id: i64) -> Result<()> {
        let Some(index) = self.search.clone() else { return Ok(()) };
        let doc = match catalog::by_id_any_agency(&self.db, id).await? {
            Some(e) if e.status == EntryStatus::Published => self.search_doc(&e).await?,
            _ => None,
        };
        tokio::task::spawn_blocking(move || match doc {
            Some(d) => index.upsert(&d),
            None => index.remove(id as u64),
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Rebuilds the search index from the database (`gongkai reindex`); returns how many entries it holds.
    pub async fn reindex(&self) -> Result<usize> {
        self.reindex_with(&crate::progress::Quiet).await
    }

    /// [`App::reindex`], reporting each entry read and then the index write.
    pub async fn reindex_with(&self, progress: &dyn crate::progress::Progress) -> Result<usize> {
        let Some(index) = self.search.clone() else {
            return Err(AppError::Internal("未配置检索索引".into()));
        };
        let mut docs = Vec::new();
        let ids = catalog::published_ids(&self.db).await?;
        progress.phase("正在读取已发布信息", Some(ids.len() as u64));
        for id in ids {
            progress.advance(1);
            if let Some(e) = catalog::by_id_any_agency(&self.db, id).await?
                && let Some(d) = self.search_doc(&e).await?
            {
                docs.push(d);
            }
        }
        progress.phase("正在写入检索索引", None);
        tokio::task::spawn_blocking(move || index.rebuild(docs))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}
