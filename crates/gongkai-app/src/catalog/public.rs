//! What the portal reads: published entries, column pages, links, the normative library, the sitemap.

use super::*;

impl App {
    /// A published entry of the agency, looked up through its column (anything else is 404).
    pub async fn published_entry(&self, agency: &Agency, column: &Column, id: i64) -> Result<Entry> {
        match catalog::by_id(&self.db, agency.id, id).await? {
            Some(e) if e.status == EntryStatus::Published && e.fields.column_id == column.id => Ok(e),
            _ => Err(AppError::NotFound("信息")),
        }
    }

    /// A page of a column's published entries (newest first) and the total.
    pub async fn column_page(
        &self,
        agency: &Agency,
        column: &Column,
        page: i64,
        per: i64,
    ) -> Result<(Vec<Entry>, i64)> {
        let per = per.clamp(1, 100);
        // The page number comes from the URL: a huge one must not overflow the offset.
        let offset = (page.max(1) - 1).saturating_mul(per);
        Ok(catalog::published_in_column(&self.db, agency.id, column.id, per, offset).await?)
    }

    /// The newest `per` entries of each column.
    pub async fn latest_per_column(&self, agency: &Agency, per: i64) -> Result<Vec<Entry>> {
        Ok(catalog::latest_per_column(&self.db, agency.id, per).await?)
    }

    /// A published entry of any agency with its agency code and column slug, for links between documents
    /// (the act that repealed or amended another may come from a different agency).
    pub async fn published_link(&self, id: i64) -> Result<Option<(Entry, String, String)>> {
        let Some(e) = catalog::by_id_any_agency(&self.db, id).await? else { return Ok(None) };
        if e.status != EntryStatus::Published {
            return Ok(None);
        }
        let Some(a) = agencies::by_id(&self.db, e.agency_id).await? else { return Ok(None) };
        let Some(c) = catalog::column_by_id(&self.db, a.id, e.fields.column_id).await? else { return Ok(None) };
        Ok(Some((e, a.code.to_string(), c.slug)))
    }

    /// The library of published 规章 and 规范性文件 with their validity today, filtered by agency code, year
    /// written, validity and 文号 text.
    pub async fn normative_library(&self, filter: &LibraryFilter) -> Result<Vec<LibraryItem>> {
        let agency = match filter.agency.trim() {
            "" => None,
            code => Some(agencies::by_code(&self.db, code).await?.ok_or(AppError::NotFound("机构"))?),
        };
        let validity = match filter.validity.trim() {
            "" => None,
            v => Some(Validity::parse(v).map_err(|e| AppError::invalid("validity", e))?),
        };
        let today = self.today();
        let entries =
            catalog::published_normative(&self.db, agency.as_ref().map(|a| a.id), filter.year, filter.doc_no.trim())
                .await?;
        let all = agencies::list_all(&self.db).await?;
        // Each agency's columns are read once, not once per item (the library may hold 2 000 items).
        let mut columns: std::collections::HashMap<i64, Vec<Column>> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for e in entries {
            let f = &e.fields;
            let now = Validity::on(today, f.effective_on, f.expires_on, f.validity);
            if validity.is_some_and(|v| v != now) {
                continue;
            }
            let Some(a) = all.iter().find(|a| a.id == e.agency_id) else { continue };
            let agency_columns = match columns.entry(a.id) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(catalog::columns(&self.db, a.id).await?),
            };
            let Some(c) = agency_columns.iter().find(|c| c.id == f.column_id) else { continue };
            out.push(LibraryItem {
                href: format!("/{}/{}/{}", a.code, c.slug, e.id),
                agency_name: a.name.clone(),
                validity: now,
                entry: e,
            });
        }
        Ok(out)
    }

    /// Portal paths of published entries with their last change (sitemap; at most 50 000, the format's limit).
    pub async fn published_locations(&self) -> Result<Vec<(String, OffsetDateTime)>> {
        Ok(catalog::published_locations(&self.db, 50_000)
            .await?
            .into_iter()
            .map(|(a, c, id, at)| (format!("/{a}/{c}/{id}"), at))
            .collect())
    }

    // ---- search ----
}
