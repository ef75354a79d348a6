//! gongkai-search: full-text search of published catalog entries (条例 Art. 24: 检索、查阅、下载).
//!
//! tantivy with jieba segmentation for Chinese. One [`SearchIndex`] per process owns the single index writer;
//! the app feeds it from the job queue when an entry is published or unpublished, and `gongkai reindex`
//! rebuilds it from the database. Queries combine the words of the query (all must match), an exact match on
//! 文号, and filters on agency, year and 体裁, and return highlighted snippets.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("search index writer poisoned")]
    Poisoned,
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
    /// Counts by agency (code, name), year and 体裁 among the matches of the words (up to [`FACET_SCAN`]).
    pub agencies: Vec<(String, String, usize)>,
    pub years: Vec<(u64, usize)>,
    pub genres: Vec<(String, usize)>,
    pub topics: Vec<(String, usize)>,
    pub validities: Vec<(String, usize)>,
}

/// How many matching documents facet counts look at; beyond this the counts are lower bounds.
pub const FACET_SCAN: usize = 2000;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    agency_code: Field,
    agency_name: Field,
    column_slug: Field,
    column_name: Field,
    title: Field,
    body: Field,
    doc_no: Field,
    index_no: Field,
    genre: Field,
    topic: Field,
    validity: Field,
    year: Field,
    published: Field,
}

const JIEBA: &str = "jieba";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(JIEBA)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        agency_code: b.add_text_field("agency_code", STRING | STORED),
        agency_name: b.add_text_field("agency_name", STORED),
        column_slug: b.add_text_field("column_slug", STORED),
        column_name: b.add_text_field("column_name", STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        doc_no: b.add_text_field("doc_no", STRING | STORED),
        index_no: b.add_text_field("index_no", STRING | STORED),
        genre: b.add_text_field("genre", STRING | STORED),
        topic: b.add_text_field("topic", STRING | STORED),
        validity: b.add_text_field("validity", STRING | STORED),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        published: b.add_text_field("published", STORED),
    };
    (b.build(), fields)
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
    writer: Mutex<IndexWriter>,
    f: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

const WRITER_MEMORY: usize = 30_000_000;

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. Only one process may hold the writer of a directory.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let mmap = MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let (schema, _) = schema();
        Self::with_index(Index::open_or_create(mmap, schema)?)
    }

    /// An index in memory (tests, and an app started without a data directory).
    pub fn in_memory() -> Result<Self> {
        Self::with_index(Index::create_in_ram(schema().0))
    }

    fn with_index(index: Index) -> Result<Self> {
        index.tokenizers().register(JIEBA, tantivy_jieba::JiebaTokenizer::new());
        let (_, f) = schema();
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, writer: Mutex::new(writer), f })
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, d.id);
        doc.add_text(f.agency_code, &d.agency_code);
        doc.add_text(f.agency_name, &d.agency_name);
        doc.add_text(f.column_slug, &d.column_slug);
        doc.add_text(f.column_name, &d.column_name);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body_text);
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
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_term(Term::from_field_u64(self.f.id, d.id));
        w.add_document(self.to_document(d))?;
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes a document (if indexed) and makes the removal visible before returning.
    pub fn remove(&self, id: u64) -> Result<()> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_term(Term::from_field_u64(self.f.id, id));
        w.commit()?;
        drop(w);
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
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_all_documents()?;
        let mut n = 0;
        for d in docs {
            w.add_document(self.to_document(&d))?;
            n += 1;
        }
        let mut c = w.prepare_commit()?;
        if let Some(p) = position {
            c.set_payload(&format!("{FEED_PAYLOAD}{p}"));
        }
        c.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(n)
    }

    /// Applies a batch of changes from the change feed in one commit that records `position`, the id of the last
    /// change applied: the index and its position are committed together, so a crash never loses or repeats a
    /// change (repeating one would be harmless anyway).
    pub fn apply(&self, changes: Vec<Change>, position: i64) -> Result<()> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
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
        drop(w);
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
        let f = self.f;
        let searcher = self.reader.searcher();
        let text = q.text.trim();
        if text.is_empty() {
            return Ok(SearchResults::default());
        }
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        // Users type plain words; query syntax errors fall back to the lenient parse, never to an error page.
        let (words, _) = parser.parse_query_lenient(text);
        // A 文号 as typed or in its normal form (`义教[2023]8号` finds `义教〔2023〕8号`), and an exact 索引号.
        let mut nos = vec![text.to_owned()];
        let key = doc_no_key(text);
        if key != text {
            nos.push(key);
        }
        let mut alternatives = vec![(Occur::Should, words.box_clone())];
        for no in nos {
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(Term::from_field_text(f.doc_no, &no), IndexRecordOption::Basic)),
                    10.0,
                )),
            ));
        }
        alternatives.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(Term::from_field_text(f.index_no, text), IndexRecordOption::Basic)),
                10.0,
            )),
        ));
        let matched: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));

        let mut base = vec![(Occur::Must, matched.box_clone())];
        if let Some(a) = &q.agency {
            base.push((Occur::Must, term_str(f.agency_code, a)));
        }
        let mut filtered = base.iter().map(|(o, q)| (*o, q.box_clone())).collect::<Vec<_>>();
        if let Some(y) = q.year {
            filtered.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(f.year, y), IndexRecordOption::Basic)),
            ));
        }
        for (field, value) in [(f.genre, &q.genre), (f.topic, &q.topic), (f.validity, &q.validity)] {
            if let Some(v) = value {
                filtered.push((Occur::Must, term_str(field, v)));
            }
        }
        let base = BooleanQuery::new(base);
        let filtered = BooleanQuery::new(filtered);

        let limit = q.limit.clamp(1, 100);
        let (top, total) =
            searcher.search(&filtered, &(TopDocs::with_limit(limit).and_offset(q.offset).order_by_score(), Count))?;

        let mut title_gen = SnippetGenerator::create(&searcher, &*words, f.title)?;
        title_gen.set_max_num_chars(300);
        let mut body_gen = SnippetGenerator::create(&searcher, &*words, f.body)?;
        body_gen.set_max_num_chars(160);
        let mut hits = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let d = self.read_document(&doc);
            let ts = title_gen.snippet(&d.title);
            let title_html = if ts.is_empty() { escape(&d.title) } else { highlight(&ts) };
            let bs = body_gen.snippet(&d.body_text);
            let snippet_html =
                if bs.is_empty() { escape(&d.body_text.chars().take(120).collect::<String>()) } else { highlight(&bs) };
            hits.push(Hit { doc: d, title_html, snippet_html });
        }

        // Facet counts among the matches of the words (and agency scope), ignoring the year and 体裁 filters
        // so that the other choices stay visible.
        let mut agencies: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut years: BTreeMap<u64, usize> = BTreeMap::new();
        let mut genres: BTreeMap<String, usize> = BTreeMap::new();
        let mut topics: BTreeMap<String, usize> = BTreeMap::new();
        let mut validities: BTreeMap<String, usize> = BTreeMap::new();
        for (_, addr) in searcher.search(&base, &TopDocs::with_limit(FACET_SCAN).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let d = self.read_document(&doc);
            *agencies.entry((d.agency_code, d.agency_name)).or_default() += 1;
            *years.entry(d.year).or_default() += 1;
            for (map, v) in [(&mut genres, d.genre), (&mut topics, d.topic), (&mut validities, d.validity)] {
                if !v.is_empty() {
                    *map.entry(v).or_default() += 1;
                }
            }
        }
        let mut agencies: Vec<_> = agencies.into_iter().map(|((c, n), k)| (c, n, k)).collect();
        agencies.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let by_count = |m: BTreeMap<String, usize>| {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        Ok(SearchResults {
            total,
            hits,
            agencies,
            years: years.into_iter().rev().collect(),
            genres: by_count(genres),
            topics: by_count(topics),
            validities: by_count(validities),
        })
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

/// The snippet as HTML with `<mark>` around the matches and everything else escaped. tantivy's own `to_html`
/// can panic on ranges that fall outside the fragment (seen with several query words), so ranges are checked,
/// sorted and merged here, and bad ones are skipped.
fn highlight(snippet: &tantivy::snippet::Snippet) -> String {
    let text = snippet.fragment();
    let mut ranges: Vec<std::ops::Range<usize>> = snippet
        .highlighted()
        .iter()
        .filter(|r| {
            r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for r in ranges {
        let start = r.start.max(at);
        if start >= r.end {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn term_str(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The normal form of a 文号 (GB/T 9704: the year in 六角括号 〔〕): a four-digit year in any other brackets
/// people type — `[2023]`, `【2023】`, `(2023)`, `（2023）`, `［2023］`, `〔2023〕` — becomes `〔2023〕`; spaces go.
pub fn doc_no_key(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let open = |c: char| matches!(c, '[' | '【' | '(' | '（' | '［' | '〔' | '﹝' | '{');
    let close = |c: char| matches!(c, ']' | '】' | ')' | '）' | '］' | '〕' | '﹞' | '}');
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i + 1..i + 5);
        if open(chars[i])
            && year.is_some_and(|y| y.iter().all(char::is_ascii_digit))
            && chars.get(i + 5).copied().is_some_and(close)
        {
            out.push('〔');
            out.extend(&chars[i + 1..i + 5]);
            out.push('〕');
            i += 6;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_in_any_brackets_have_one_normal_form() {
        for typed in [
            "义教[2023]8号",
            "义教【2023】8号",
            "义教(2023)8号",
            "义教（2023）8号",
            "义教 〔2023〕 8号",
            "义教［2023］8号",
        ] {
            assert_eq!(doc_no_key(typed), "义教〔2023〕8号", "{typed}");
        }
        // Brackets that do not hold a four-digit year are left alone.
        assert_eq!(doc_no_key("关于(试行)的通知"), "关于(试行)的通知");
        assert_eq!(doc_no_key("[202]"), "[202]");
        assert_eq!(doc_no_key("【2023"), "【2023");
        assert_eq!(doc_no_key(""), "");
    }

    /// The recall set: what people type, and the item each must find first.
    #[test]
    fn recall_of_what_people_type() {
        let i = SearchIndex::in_memory().unwrap();
        i.rebuild([
            doc(1, "edu", "关于做好2023年义务教育招生工作的通知", "招生工作安排。", "义教〔2023〕8号", "通知", 2023),
            doc(2, "edu", "关于印发学校安全管理办法的通知", "安全管理。", "义教〔2023〕9号", "通知", 2023),
            doc(3, "office", "义马市2023年防汛应急预案", "做好防汛准备。", "义政办〔2023〕2号", "预案", 2023),
            // Stored with ASCII brackets by whoever typed it in: found by the normal form too.
            doc(4, "office", "关于调整议事协调机构的通知", "机构调整。", "义政办[2022]15号", "通知", 2022),
        ])
        .unwrap();
        let cases: &[(&str, u64)] = &[
            ("义教〔2023〕8号", 1),
            ("义教[2023]8号", 1),
            ("义教【2023】8号", 1),
            ("义教(2023)8号", 1),
            ("义教（2023）8号", 1),
            ("义教〔2023〕9号", 2),
            ("x/2023-00003", 3),
            ("义政办〔2022〕15号", 4),
            ("义政办[2022]15号", 4),
            ("防汛应急预案", 3),
            ("义务教育招生", 1),
            ("议事协调机构", 4),
        ];
        for (typed, want) in cases {
            let r = i.search(&q(typed)).unwrap();
            assert_eq!(
                r.hits.first().map(|h| h.doc.id),
                Some(*want),
                "{typed}: {:?}",
                r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>()
            );
        }
        // The 文号 is shown as it was written.
        assert_eq!(i.search(&q("义政办〔2022〕15号")).unwrap().hits[0].doc.doc_no, "义政办[2022]15号");
    }

    fn doc(id: u64, agency: &str, title: &str, body: &str, doc_no: &str, genre: &str, year: u64) -> SearchDoc {
        SearchDoc {
            id,
            agency_code: agency.into(),
            agency_name: format!("{agency}机构"),
            column_slug: "tzgg".into(),
            column_name: "通知公告".into(),
            title: title.into(),
            body_text: body.into(),
            doc_no: doc_no.into(),
            index_no: format!("x/2023-{id:05}"),
            genre: genre.into(),
            topic: "综合政务".into(),
            validity: if genre == "通知" { "现行有效".into() } else { String::new() },
            year,
            published: "2023年5月6日".into(),
        }
    }

    fn q(text: &str) -> SearchQuery {
        SearchQuery { text: text.into(), limit: 10, ..Default::default() }
    }

    fn index() -> SearchIndex {
        let i = SearchIndex::in_memory().unwrap();
        i.rebuild([
            doc(
                1,
                "a",
                "关于做好政府信息公开工作的通知",
                "各单位要认真落实政府信息公开条例。",
                "义政办〔2023〕1号",
                "通知",
                2023,
            ),
            doc(2, "b", "义马市2023年防汛应急预案", "做好防汛准备，确保安全度汛。", "义政办〔2023〕2号", "预案", 2023),
            doc(3, "a", "关于公布行政事业性收费目录的公告", "收费项目目录见附件。政府信息公开。", "", "公告", 2024),
        ])
        .unwrap();
        i
    }

    #[test]
    fn changes_apply_with_their_feed_position_and_survive_a_reopen() {
        let dir = std::env::temp_dir().join(format!("gongkai-search-feed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let i = SearchIndex::open(&dir).unwrap();
            assert_eq!(i.position().unwrap(), None, "a new index has followed nothing");
            i.rebuild_at([doc(1, "a", "防汛通知", "防汛", "", "通知", 2023)], Some(4)).unwrap();
            assert_eq!(i.position().unwrap(), Some(4));
            i.apply(
                vec![Change::Upsert(Box::new(doc(2, "a", "防汛预案", "防汛", "", "预案", 2023))), Change::Remove(1)],
                7,
            )
            .unwrap();
            assert_eq!(i.position().unwrap(), Some(7));
            let ids: Vec<u64> = i.search(&q("防汛")).unwrap().hits.iter().map(|h| h.doc.id).collect();
            assert_eq!(ids, vec![2]);
        }
        let reopened = SearchIndex::open(&dir).unwrap();
        assert_eq!(reopened.position().unwrap(), Some(7), "the position is committed with the index");
        assert_eq!(reopened.num_docs(), 1);
        // A plain rebuild (no feed) records no position.
        reopened.rebuild([doc(3, "a", "x", "y", "", "通知", 2023)]).unwrap();
        assert_eq!(reopened.position().unwrap(), None);
        drop(reopened);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn chinese_words_match_and_are_highlighted() {
        let i = index();
        let r = i.search(&q("政府信息公开")).unwrap();
        assert_eq!(r.total, 2);
        assert_eq!(r.hits[0].doc.id, 1, "the title match ranks first");
        assert!(r.hits[0].title_html.contains("<mark>"), "{}", r.hits[0].title_html);
        assert!(r.hits[1].snippet_html.contains("<mark>"), "{}", r.hits[1].snippet_html);
        assert_eq!(r.years, vec![(2024, 1), (2023, 1)]);
        assert!(i.search(&q("防汛")).unwrap().hits.iter().any(|h| h.doc.id == 2));
        assert_eq!(i.search(&q("   ")).unwrap().total, 0);
    }

    #[test]
    fn filters_and_exact_doc_no() {
        let i = index();
        let mut query = q("政府信息公开");
        query.agency = Some("a".into());
        query.year = Some(2024);
        let r = i.search(&query).unwrap();
        assert_eq!(r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>(), vec![3]);
        assert_eq!(r.years.len(), 2, "facets ignore the year filter");
        query.year = None;
        query.genre = Some("通知".into());
        assert_eq!(i.search(&query).unwrap().total, 1);
        query.genre = None;
        query.validity = Some("现行有效".into());
        let r = i.search(&query).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.validities, vec![("现行有效".to_owned(), 1)]);
        assert_eq!(r.topics, vec![("综合政务".to_owned(), 2)]);
        let r = i.search(&q("义政办〔2023〕2号")).unwrap();
        assert_eq!(r.hits[0].doc.id, 2);
    }

    #[test]
    fn upsert_and_remove_are_visible_at_once() {
        let i = index();
        i.upsert(&doc(2, "b", "防汛预案（修订）", "更新。", "", "预案", 2023)).unwrap();
        assert_eq!(i.num_docs(), 3);
        assert_eq!(i.search(&q("修订")).unwrap().total, 1);
        i.remove(2).unwrap();
        assert_eq!(i.search(&q("防汛")).unwrap().total, 0);
        assert_eq!(i.num_docs(), 2);
    }

    #[test]
    fn several_words_in_long_bodies_do_not_break_snippets() {
        let i = SearchIndex::in_memory().unwrap();
        let body = "为进一步做好行政处罚工作，推进乡村振兴，各单位要加强财政预算。".repeat(20);
        i.rebuild([doc(1, "a", "关于做好安全生产和乡村振兴工作的通知", &body, "", "通知", 2023)]).unwrap();
        for text in ["乡村振兴 财政预算", "行政处罚 乡村振兴", "财政预算 行政处罚 安全生产"]
        {
            let r = i.search(&q(text)).unwrap();
            assert!(
                r.hits
                    .iter()
                    .all(|h| h.snippet_html.matches("<mark>").count() == h.snippet_html.matches("</mark>").count())
            );
        }
    }

    #[test]
    fn markup_in_documents_is_escaped_in_results() {
        let i = index();
        i.upsert(&doc(9, "a", "<script>alert(1)</script>公开", "<img src=x onerror=alert(1)>公开", "", "", 2023))
            .unwrap();
        let r = i.search(&q("公开")).unwrap();
        let h = r.hits.iter().find(|h| h.doc.id == 9).unwrap();
        assert!(!h.title_html.contains("<script"), "{}", h.title_html);
        assert!(!h.snippet_html.contains("<img"), "{}", h.snippet_html);
    }
}
