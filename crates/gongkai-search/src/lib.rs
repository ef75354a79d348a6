//! gongkai-search: full-text search of published catalog entries (条例 Art. 24: 检索、查阅、下载).
//!
//! tantivy with jieba segmentation for Chinese. One [`SearchIndex`] per process owns the single index writer;
//! the app feeds it from the job queue when an entry is published or unpublished, and `gongkai reindex`
//! rebuilds it from the database. Queries combine the words of the query (all must match), an exact match on
//! 文号, and filters on agency, year and 体裁, and return highlighted snippets.

mod facets;
mod plan;
mod schema;
mod text;
mod words;

pub use schema::{SCHEMA_VERSION, VERSION_FILE};
pub use text::{doc_no_key, escape};

use facets::{Facets, SearchCollector};
use schema::{Fields, JIEBA, schema};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, Warmer};
use text::snippet;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("search index writer poisoned")]
    Poisoned,
    #[error("search index writer closed")]
    Closed,
    #[error("search index rebuild abandoned: {0}")]
    Abandoned(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// What is indexed of one published entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    pub id: u64,
    pub agency_code: String,
    pub agency_name: String,
    pub column_slug: String,
    pub column_name: String,
    pub title: String,
    /// The body as plain text (tags removed).
    pub body_text: String,
    /// 文号
    pub doc_no: String,
    /// 索引号
    pub index_no: String,
    /// 体裁
    pub genre: String,
    /// 主题分类, first level (e.g. `卫生、体育`).
    pub topic: String,
    /// 有效性 of a 规章/规范性文件 (`现行有效` …), empty for other items.
    pub validity: String,
    /// Publication year (Beijing time).
    pub year: u64,
    /// Publication date as shown, e.g. `2023年5月6日`.
    pub published: String,
}

/// A query from the search page.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Only this agency (agency search page, or the 发布机构 filter).
    pub agency: Option<String>,
    pub year: Option<u64>,
    pub genre: Option<String>,
    pub topic: Option<String>,
    pub validity: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One result, with the title and a fragment of the body highlighted as HTML (`<mark>`); everything else in
/// both strings is escaped.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: SearchDoc,
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Exact counts over all the matches of the words (and the agency scope), ignoring the year, 体裁, 主题 and
    /// 有效性 filters so that the other choices stay visible: by agency (code, name), by year (newest first),
    /// and by 体裁, 主题 and 有效性 (items without that label are not counted); each by count, then by name.
    pub agencies: Vec<(String, String, usize)>,
    pub years: Vec<(u64, usize)>,
    pub genres: Vec<(String, usize)>,
    pub topics: Vec<(String, usize)>,
    pub validities: Vec<(String, usize)>,
}

/// How a search found its top k (see `plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TopK {
    /// Every match scored.
    AllScored,
    /// Among the candidates of the title-first plan, certainly the best.
    TitleFirst,
    /// The title-first plan could not tell; every match scored after all.
    Fallback,
}

/// The commit payload that records the change-feed position: `feed:<id>`.
const FEED_PAYLOAD: &str = "feed:";

/// One change to apply from the database's change feed.
#[derive(Debug, Clone)]
pub enum Change {
    /// Index (or re-index) a published document.
    Upsert(Box<SearchDoc>),
    /// Drop a document (unpublished, deleted, or never published).
    Remove(u64),
}

/// The index and its single writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// `None` only while [`SearchIndex::wait_merges`] replaces it.
    writer: Mutex<Option<IndexWriter>>,
    /// Facet labels and per-segment tables, kept up to date by the reader (a warmer).
    facets: Arc<Facets>,
    f: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

const WRITER_MEMORY: usize = 30_000_000;
/// At most this many threads search the segments of one index.
pub(crate) const SEARCH_THREADS: usize = 4;

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. Only one process may hold the writer of a directory. An index
    /// written with another schema ([`SCHEMA_VERSION`]) is replaced by an empty one, which has followed no
    /// change feed ([`SearchIndex::position`] is `None`): the app rebuilds it from the database.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::with_index(schema::open_dir(dir)?)
    }

    /// An index in memory (tests, and an app started without a data directory).
    pub fn in_memory() -> Result<Self> {
        Self::with_index(Index::create_in_ram(schema().0))
    }

    fn with_index(mut index: Index) -> Result<Self> {
        // Each search runs its segments on this many threads (one query uses them all; concurrent queries share
        // them): latency, not throughput.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(SEARCH_THREADS);
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        index.tokenizers().register(JIEBA, tantivy_jieba::JiebaTokenizer::new());
        index.tokenizers().register(words::PAIRS, words::PairTokenizer);
        let (_, f) = schema();
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let facets = Arc::new(Facets::default());
        let warmer: Arc<dyn Warmer> = facets.clone();
        // Each write below reloads at once (its change is visible when it returns); the reader also reloads by
        // itself when background merges change the segments.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        facets.warm(&reader.searcher())?;
        Ok(Self { index, reader, writer: Mutex::new(Some(writer)), facets, f })
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    /// Waits until the writer's background merges are done and reloads, so that searches see the merged
    /// segments (a benchmark after a rebuild; the reader also picks them up by itself once they are done).
    pub fn wait_merges(&self) -> Result<()> {
        let mut guard = self.writer()?;
        let old = guard.take().ok_or(SearchError::Closed)?;
        let waited = old.wait_merging_threads();
        // A new writer whatever happened to the merges: the lock was released with the old one.
        *guard = Some(self.index.writer_with_num_threads(1, WRITER_MEMORY)?);
        drop(guard);
        waited?;
        self.reader.reload()?;
        Ok(())
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, d.id);
        doc.add_text(f.agency_code, &d.agency_code);
        doc.add_text(f.agency_name, &d.agency_name);
        doc.add_text(f.facet_key, facets::facet_key(d));
        doc.add_text(f.column_slug, &d.column_slug);
        doc.add_text(f.column_name, &d.column_name);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body_text);
        doc.add_text(f.title_pairs, &d.title);
        doc.add_text(f.body_pairs, &d.body_text);
        doc.add_text(f.doc_no, d.doc_no.trim());
        // Also under its normal form (〔年份〕, no spaces), so that a 文号 typed with other brackets finds it. The
        // field is multi-valued: the stored first value stays as written.
        let key = doc_no_key(&d.doc_no);
        if key != d.doc_no.trim() {
            doc.add_text(f.doc_no, &key);
        }
        doc.add_text(f.index_no, &d.index_no);
        doc.add_text(f.genre, &d.genre);
        doc.add_text(f.topic, &d.topic);
        doc.add_text(f.validity, &d.validity);
        doc.add_u64(f.year, d.year);
        doc.add_text(f.published, &d.published);
        doc
    }

    /// Adds or replaces a document and makes it visible to searches before returning.
    pub fn upsert(&self, d: &SearchDoc) -> Result<()> {
        let mut guard = self.writer()?;
        let w = guard.as_mut().ok_or(SearchError::Closed)?;
        w.delete_term(Term::from_field_u64(self.f.id, d.id));
        w.add_document(self.to_document(d))?;
        w.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes a document (if indexed) and makes the removal visible before returning.
    pub fn remove(&self, id: u64) -> Result<()> {
        let mut guard = self.writer()?;
        let w = guard.as_mut().ok_or(SearchError::Closed)?;
        w.delete_term(Term::from_field_u64(self.f.id, id));
        w.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole index with `docs` in one commit; returns how many were indexed.
    pub fn rebuild(&self, docs: impl IntoIterator<Item = SearchDoc>) -> Result<usize> {
        self.rebuild_at(docs, None)
    }

    /// [`SearchIndex::rebuild`], recording `position` (the change-feed id the rebuild started from) with the
    /// commit, so that a restarted node knows where to follow on from.
    pub fn rebuild_at(&self, docs: impl IntoIterator<Item = SearchDoc>, position: Option<i64>) -> Result<usize> {
        self.rebuild_from(docs.into_iter().map(Ok), position)
    }

    /// [`SearchIndex::rebuild_at`] from documents read as they come (a database read page by page, so that a
    /// million entries are never all in memory): the first `Err` abandons the rebuild, and the index stays as
    /// it was.
    pub fn rebuild_from(
        &self,
        docs: impl IntoIterator<Item = std::result::Result<SearchDoc, String>>,
        position: Option<i64>,
    ) -> Result<usize> {
        let mut guard = self.writer()?;
        let w = guard.as_mut().ok_or(SearchError::Closed)?;
        w.delete_all_documents()?;
        let mut n = 0;
        for d in docs {
            let added = match d {
                Ok(d) => w.add_document(self.to_document(&d)).map_err(SearchError::from),
                Err(e) => Err(SearchError::Abandoned(e)),
            };
            if let Err(e) = added {
                w.rollback()?;
                return Err(e);
            }
            n += 1;
        }
        let mut c = w.prepare_commit()?;
        if let Some(p) = position {
            c.set_payload(&format!("{FEED_PAYLOAD}{p}"));
        }
        c.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(n)
    }

    /// Applies a batch of changes from the change feed in one commit that records `position`, the id of the last
    /// change applied: the index and its position are committed together, so a crash never loses or repeats a
    /// change (repeating one would be harmless anyway).
    pub fn apply(&self, changes: Vec<Change>, position: i64) -> Result<()> {
        let mut guard = self.writer()?;
        let w = guard.as_mut().ok_or(SearchError::Closed)?;
        for c in changes {
            match c {
                Change::Upsert(d) => {
                    w.delete_term(Term::from_field_u64(self.f.id, d.id));
                    w.add_document(self.to_document(&d))?;
                }
                Change::Remove(id) => {
                    w.delete_term(Term::from_field_u64(self.f.id, id));
                }
            }
        }
        let mut c = w.prepare_commit()?;
        c.set_payload(&format!("{FEED_PAYLOAD}{position}"));
        c.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-feed id the index has applied up to, as committed (`None`: never followed the feed).
    pub fn position(&self) -> Result<Option<i64>> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(|p| p.strip_prefix(FEED_PAYLOAD)).and_then(|n| n.parse().ok()))
    }

    /// The 有效性 label the index holds for a document (`None` when it is not indexed; empty for items that
    /// have no validity). The app compares it with today's to find documents a passing date has changed.
    pub fn indexed_validity(&self, id: u64) -> Result<Option<String>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(Term::from_field_u64(self.f.id, id), IndexRecordOption::Basic);
        let Some((_, addr)) = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?.into_iter().next() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(Some(self.read_document(&doc).validity))
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        Ok(self.search_with(q, true)?.0)
    }

    /// [`SearchIndex::search`], and how its top k was found; `title_first` false scores every match (tests
    /// compare both ways).
    fn search_with(&self, q: &SearchQuery, title_first: bool) -> Result<(SearchResults, TopK)> {
        let f = self.f;
        let searcher = self.reader.searcher();
        let text = q.text.trim();
        if text.is_empty() {
            return Ok((SearchResults::default(), TopK::AllScored));
        }
        // Plain words (what people type) are matched by `words`: a word of several tokens by its adjacent pairs,
        // no positions read. Anything else (quotes, operators, punctuation as in a 文号) goes through tantivy's
        // query parser; its syntax errors fall back to the lenient parse, never to an error page.
        let plain: Vec<&str> = text.split_whitespace().collect();
        let (words, marked) = match plain.iter().all(|w| plan::plain(w)) {
            true => match words::words_query(&f, &plain) {
                Some(both) => both,
                None => return Ok((SearchResults::default(), TopK::AllScored)),
            },
            false => {
                let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
                parser.set_conjunction_by_default();
                parser.set_field_boost(f.title, words::TITLE_BOOST);
                let (words, _) = parser.parse_query_lenient(text);
                // The snippets mark the words' terms in the title and the body.
                let mut marked = Vec::new();
                words.query_terms(&mut |term, _| {
                    if [f.title, f.body].contains(&term.field())
                        && let Some(t) = term.value().as_str()
                    {
                        marked.push(t.to_owned());
                    }
                });
                marked.sort_unstable();
                marked.dedup();
                (words, marked)
            }
        };
        // A 文号 as typed or in its normal form (`义教[2023]8号` finds `义教〔2023〕8号`), and an exact 索引号.
        let mut nos = vec![(f.doc_no, text.to_owned())];
        let key = doc_no_key(text);
        if key != text {
            nos.push((f.doc_no, key));
        }
        nos.push((f.index_no, text.to_owned()));
        let mut alternatives = vec![(Occur::Should, words.box_clone())];
        for (field, no) in &nos {
            let term = TermQuery::new(Term::from_field_text(*field, no), IndexRecordOption::Basic);
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), 10.0))));
        }
        let matched: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));

        // The words (and the agency scope) are the query; facets are counted over all its matches, and the year,
        // 体裁, 主题 and 有效性 filters are applied to the results as they are counted (see `facets`).
        let scope = q.agency.as_ref().map(|a| Term::from_field_text(f.agency_code, a));
        let query = match &scope {
            Some(t) => BooleanQuery::new(vec![
                (Occur::Must, matched),
                (Occur::Must, Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic))),
            ]),
            None => BooleanQuery::new(vec![(Occur::Must, matched)]),
        };
        let filters = self.facets.filters(q);
        let limit = q.limit.clamp(1, 100);
        let want = q.offset + limit;
        let top_docs = |n: usize| TopDocs::with_limit(n).order_by_score();
        let collect = |top, count_facets| SearchCollector::new(top, filters, &self.facets, count_facets);
        let plan = match title_first {
            true => plan::title_first(&searcher, &f, text, &nos, scope.as_ref())?,
            _ => None,
        };
        let (top, total, counts, how) = match plan {
            None => {
                let (top, total, counts) = searcher.search(&query, &collect(Some(top_docs(want)), true))?;
                (top.unwrap_or_default(), total, counts, TopK::AllScored)
            }
            Some(plan) => {
                // Totals and facets without scoring; the top k among the candidates (see `plan`).
                let no_top = false.then(|| top_docs(1));
                let (_, total, counts) = plan.matches(&searcher, &collect(no_top, true))?;
                let top = plan.top(&searcher, &collect(Some(top_docs(want)), false), want)?;
                let exact = top.len() == total || top.get(want - 1).is_some_and(|(score, _)| *score > plan.bound);
                match exact {
                    true => (top, total, counts, TopK::TitleFirst),
                    false => {
                        let top = searcher.search(&query, &collect(Some(top_docs(want)), false))?.0;
                        (top.unwrap_or_default(), total, counts, TopK::Fallback)
                    }
                }
            }
        };
        let top: Vec<_> = top.into_iter().skip(q.offset).collect();

        let mut hits = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let d = self.read_document(&doc);
            let title_html = snippet(&d.title, &marked, 300).unwrap_or_else(|| escape(&d.title));
            let snippet_html = snippet(&d.body_text, &marked, 160)
                .unwrap_or_else(|| escape(&d.body_text.chars().take(120).collect::<String>()));
            hits.push(Hit { doc: d, title_html, snippet_html });
        }

        let counts = self.facets.labelled(&counts);
        let mut agencies = counts.agencies;
        agencies.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
        let mut years = counts.years;
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
        let by_count = |mut v: Vec<(String, usize)>| {
            v.retain(|(label, _)| !label.is_empty());
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let results = SearchResults {
            total,
            hits,
            agencies,
            years,
            genres: by_count(counts.genres),
            topics: by_count(counts.topics),
            validities: by_count(counts.validities),
        };
        Ok((results, how))
    }

    fn read_document(&self, doc: &TantivyDocument) -> SearchDoc {
        let f = &self.f;
        let s = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let n = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or_default();
        SearchDoc {
            id: n(f.id),
            agency_code: s(f.agency_code),
            agency_name: s(f.agency_name),
            column_slug: s(f.column_slug),
            column_name: s(f.column_name),
            title: s(f.title),
            body_text: s(f.body),
            doc_no: s(f.doc_no),
            index_no: s(f.index_no),
            genre: s(f.genre),
            topic: s(f.topic),
            validity: s(f.validity),
            year: n(f.year),
            published: s(f.published),
        }
    }
}

#[cfg(test)]
mod tests;
