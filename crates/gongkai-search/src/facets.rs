//! Exact facet counts over every match of a search, and the year, 体裁, 主题 and 有效性 filters, in the same pass.
//!
//! Each document has one fast field, [`FACET_KEY`]: its agency code and name, year, 体裁, 主题 and 有效性 joined
//! by [`SEP`]. In a segment that column holds, per document, the ordinal of its combination in the segment's
//! dictionary of combinations. [`Facets`] (a tantivy [`Warmer`], so it runs when a new searcher is made)
//! decodes each segment's dictionary once into a [`SegmentTable`]: per ordinal, the small ids of the six
//! labels, interned for the life of the index. A search reads one column value per match and counts it per
//! combination; when the segment is done, the combinations seen are added to the five facets, and the labels
//! are turned back into strings once, at the end.
//!
//! Facets ignore the year, 体裁, 主题 and 有效性 filters (so that the other choices stay visible) but not the
//! words or the agency scope. The filters are decided per combination (once per segment and query), so the
//! collector checks them with one lookup per match and hands the matches that pass to the top-k collector: the
//! query runs once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, ColumnValues};
use tantivy::index::SegmentId;
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer,
};

/// The fast field with the facet combination of a document.
pub(crate) const FACET_KEY: &str = "facet_key";
pub(crate) const SEP: char = '\u{1f}';

const BLOCK: usize = COLLECT_BLOCK_BUFFER_LEN;

/// The [`FACET_KEY`] value of a document.
pub(crate) fn facet_key(d: &crate::SearchDoc) -> String {
    let clean = |s: &str| s.replace(SEP, " ");
    format!(
        "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
        clean(&d.agency_code),
        clean(&d.agency_name),
        d.year,
        clean(&d.genre),
        clean(&d.topic),
        clean(&d.validity)
    )
}

/// Strings and their small ids, in the order first seen; ids never change.
#[derive(Default)]
struct Labels {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Labels {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }
}

/// The labels of one combination, as ids: agency code, (code, name), year, 体裁, 主题, 有效性.
#[derive(Clone, Copy, Default)]
struct Combo([u32; 6]);

const CODE: usize = 0;
/// Index of the first counted facet in a [`Combo`]: agency (code and name), year, 体裁, 主题, 有效性.
const COUNTED: std::ops::Range<usize> = 1..6;

/// One segment's combinations by ordinal.
pub(crate) struct SegmentTable {
    combos: Vec<Combo>,
    /// Per counted facet, one more than the largest id in `combos`.
    lens: [usize; 5],
    /// The live documents of a range, counted per combination, by (deleted documents, first, end): a match set
    /// that holds most of a range is counted as these less the documents that do not match
    /// ([`SegmentSearch::collect_all_but`]). Deletions only grow in a segment, so their number tells its live set.
    all: Mutex<HashMap<RangeKey, Arc<Vec<u32>>>>,
}

/// A range of a segment with its number of deleted documents: (deleted, first, end).
type RangeKey = (u32, DocId, DocId);

#[derive(Default)]
struct Registry {
    /// Agency code, `code SEP name`, year, 体裁, 主题, 有效性.
    labels: [Labels; 6],
    segments: HashMap<SegmentId, Arc<SegmentTable>>,
}

impl Registry {
    fn table(&mut self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        if let Some(t) = self.segments.get(&reader.segment_id()) {
            return Ok(t.clone());
        }
        let mut combos = Vec::new();
        if let Some(column) = reader.fast_fields().str(FACET_KEY)? {
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                let key = String::from_utf8_lossy(stream.key());
                let parts: Vec<&str> = key.split(SEP).collect();
                let part = |i: usize| parts.get(i).copied().unwrap_or_default();
                let agency = format!("{}{SEP}{}", part(0), part(1));
                let combo = Combo([
                    self.labels[0].id(part(0)),
                    self.labels[1].id(&agency),
                    self.labels[2].id(part(2)),
                    self.labels[3].id(part(3)),
                    self.labels[4].id(part(4)),
                    self.labels[5].id(part(5)),
                ]);
                let ord = stream.term_ord() as usize;
                if combos.len() <= ord {
                    combos.resize(ord + 1, Combo::default());
                }
                combos[ord] = combo;
            }
        }
        let mut lens = [0; 5];
        for c in &combos {
            for (len, id) in lens.iter_mut().zip(&c.0[COUNTED]) {
                *len = (*len).max(*id as usize + 1);
            }
        }
        let table = Arc::new(SegmentTable { combos, lens, all: Mutex::default() });
        self.segments.insert(reader.segment_id(), table.clone());
        Ok(table)
    }
}

/// The labels of the index and the combination tables of its live segments.
#[derive(Default)]
pub(crate) struct Facets(Mutex<Registry>);

impl Warmer for Facets {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let mut r = self.lock();
        for segment in searcher.segment_readers() {
            r.table(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live.iter().flat_map(|g| g.segments().keys().copied()).collect();
        self.lock().segments.retain(|id, _| live.contains(id));
    }
}

impl Facets {
    fn lock(&self) -> MutexGuard<'_, Registry> {
        // The registry stays consistent whatever panicked while it was held (ids are only ever added).
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The filters as ids: a value the index has never seen matches nothing.
    pub(crate) fn filters(&self, q: &crate::SearchQuery) -> Filters {
        let r = self.lock();
        let want = |i: usize, v: Option<String>| match v {
            None => Want::Any,
            Some(v) => r.labels[i].ids.get(&v).map_or(Want::Never, |id| Want::Is(*id)),
        };
        Filters {
            scope: want(CODE, q.agency.clone()),
            soft: [
                want(2, q.year.map(|y| y.to_string())),
                want(3, q.genre.clone()),
                want(4, q.topic.clone()),
                want(5, q.validity.clone()),
            ],
        }
    }

    /// Counts by id turned into counts by label: agencies as (code, name), years, 体裁, 主题, 有效性; labels
    /// with a count of zero are left out.
    pub(crate) fn labelled(&self, counts: &FacetCounts) -> LabelledCounts {
        let r = self.lock();
        let named = |i: usize| -> Vec<(String, usize)> {
            counts.0[i - 1]
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(id, n)| (r.labels[i].names[id].clone(), *n as usize))
                .collect()
        };
        LabelledCounts {
            agencies: named(1)
                .into_iter()
                .map(|(key, n)| {
                    let (code, name) = key.split_once(SEP).unwrap_or((&key, ""));
                    (code.to_owned(), name.to_owned(), n)
                })
                .collect(),
            years: named(2).into_iter().map(|(y, n)| (y.parse().unwrap_or_default(), n)).collect(),
            genres: named(3),
            topics: named(4),
            validities: named(5),
        }
    }
}

pub(crate) struct LabelledCounts {
    pub agencies: Vec<(String, String, usize)>,
    pub years: Vec<(u64, usize)>,
    pub genres: Vec<(String, usize)>,
    pub topics: Vec<(String, usize)>,
    pub validities: Vec<(String, usize)>,
}

/// Which id a filter asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Any,
    Is(u32),
    /// A value the index does not have.
    Never,
}

impl Want {
    fn accepts(self, id: u32) -> bool {
        match self {
            Want::Any => true,
            Want::Is(w) => w == id,
            Want::Never => false,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Filters {
    /// The agency scope: matches outside it are neither counted nor returned.
    scope: Want,
    /// Year, 体裁, 主题, 有效性: matches outside them are counted in the facets, not returned.
    soft: [Want; 4],
}

/// What a match of a combination is, under the filters.
const OUT_OF_SCOPE: u8 = 0;
const COUNTED_ONLY: u8 = 1;
const RETURNED: u8 = 2;

impl Filters {
    /// Per combination of the segment, [`OUT_OF_SCOPE`], [`COUNTED_ONLY`] (in the facets, not in the results)
    /// or [`RETURNED`]; `None` when there are no filters (all are returned).
    fn classes(&self, table: &SegmentTable) -> Option<Vec<u8>> {
        if self.scope == Want::Any && self.soft.iter().all(|w| *w == Want::Any) {
            return None;
        }
        let class = |c: &Combo| match (
            self.scope.accepts(c.0[CODE]),
            self.soft.iter().zip(&c.0[2..]).all(|(w, id)| w.accepts(*id)),
        ) {
            (false, _) => OUT_OF_SCOPE,
            (true, false) => COUNTED_ONLY,
            (true, true) => RETURNED,
        };
        Some(table.combos.iter().map(class).collect())
    }
}

/// Counts by id of agency (code and name), year, 体裁, 主题, 有效性.
#[derive(Debug, Default)]
pub(crate) struct FacetCounts([Vec<u64>; 5]);

/// Runs beside an optional top-k collector `top`: counts the facets of the matches in the agency scope (unless
/// told not to), and counts and hands on to `top` those that pass the other filters too. The fruit is (top-k,
/// number of filtered matches, facet counts).
pub(crate) struct SearchCollector<'a, T> {
    top: Option<T>,
    filters: Filters,
    facets: &'a Facets,
    count_facets: bool,
}

impl<'a, T> SearchCollector<'a, T> {
    pub(crate) fn new(top: Option<T>, filters: Filters, facets: &'a Facets, count_facets: bool) -> Self {
        Self { top, filters, facets, count_facets }
    }
}

impl<T: Collector> Collector for SearchCollector<'_, T> {
    type Fruit = (Option<T::Fruit>, usize, FacetCounts);
    type Child = SegmentSearch<Option<T::Child>>;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let table = self.facets.lock().table(reader)?;
        let ords = reader.fast_fields().str(FACET_KEY)?.map(|c| c.ords().clone());
        // Every document has a combination, so the column is normally full: its values by document id.
        let full = ords.as_ref().filter(|c| matches!(c.index, ColumnIndex::Full)).map(|c| c.values.clone());
        Ok(SegmentSearch {
            top: self.top.for_segment(ord, reader)?,
            ranks: self.top.is_some(),
            docs: [0; BLOCK],
            scores: [0.0; BLOCK],
            vals: [None; BLOCK],
            raw: [0; BLOCK],
            len: 0,
            total: 0,
            counts: if self.count_facets { vec![0; table.combos.len()] } else { Vec::new() },
            classes: self.filters.classes(&table),
            table,
            ords,
            full,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.top.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<<Self::Child as SegmentCollector>::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut tops = Vec::with_capacity(fruits.len());
        let mut total = 0;
        let mut counts = FacetCounts::default();
        for (top, n, segment) in fruits {
            tops.push(top);
            total += n;
            for (all, seg) in counts.0.iter_mut().zip(segment) {
                if all.len() < seg.len() {
                    all.resize(seg.len(), 0);
                }
                for (a, s) in all.iter_mut().zip(seg) {
                    *a += s;
                }
            }
        }
        Ok((self.top.merge_fruits(tops)?, total, counts))
    }
}

pub(crate) struct SegmentSearch<C> {
    top: C,
    /// Whether matches go on to a top-k collector.
    ranks: bool,
    docs: [DocId; BLOCK],
    scores: [Score; BLOCK],
    vals: [Option<u64>; BLOCK],
    raw: [u64; BLOCK],
    len: usize,
    total: usize,
    table: Arc<SegmentTable>,
    ords: Option<Column<u64>>,
    full: Option<Arc<dyn ColumnValues<u64>>>,
    /// Matches per combination (empty when facets are not counted).
    counts: Vec<u32>,
    /// See [`Filters::classes`].
    classes: Option<Vec<u8>>,
}

impl<C: SegmentCollector> SegmentSearch<C> {
    /// Whether `doc` is in the agency scope and passes the other filters.
    pub(crate) fn accepts(&self, doc: DocId) -> bool {
        let ord = self.ords.as_ref().and_then(|c| c.first(doc)).map(|o| o as usize);
        let Some(o) = ord.filter(|o| *o < self.table.combos.len()) else { return false };
        self.classes.as_ref().is_none_or(|c| c[o] == RETURNED)
    }

    /// Whether [`SegmentSearch::collect_all_but`] may be used: counting only (no top k), with the column of
    /// combinations.
    pub(crate) fn counts_only(&self) -> bool {
        !self.ranks && self.ords.is_some()
    }

    /// Counts every live document of `lo..hi` but those of `not` (live documents that do not match, in order) as
    /// if each had been collected: the live documents' counts per combination (computed once per range and set
    /// of deletions, then kept with the segment's table) less those of `not`. For a match set that holds most of
    /// the range, much cheaper than collecting every match. Only for counting (nothing goes to a top-k).
    pub(crate) fn collect_all_but(&mut self, reader: &SegmentReader, lo: DocId, hi: DocId, not: &[DocId]) {
        self.flush();
        let key = (reader.num_deleted_docs(), lo, hi);
        let cached = self.table.all.lock().ok().and_then(|all| all.get(&key).cloned());
        let all = match cached {
            Some(all) => all,
            None => {
                let live: Vec<DocId> = (lo..hi).filter(|d| !reader.is_deleted(*d)).collect();
                let mut counts = vec![0u32; self.table.combos.len()];
                self.for_each_ord(&live, |o| counts[o] += 1);
                let counts = Arc::new(counts);
                if let Ok(mut all) = self.table.all.lock() {
                    // Counts of an older set of deletions are of no more use.
                    all.retain(|k, _| k.0 == key.0);
                    all.insert(key, counts.clone());
                }
                counts
            }
        };
        let mut counts = all.as_ref().clone();
        self.for_each_ord(not, |o| counts[o] = counts[o].saturating_sub(1));
        for (o, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
            let class = self.classes.as_ref().map_or(RETURNED, |c| c[o]);
            if class == OUT_OF_SCOPE {
                continue;
            }
            if let Some(c) = self.counts.get_mut(o) {
                *c += n;
            }
            if class == RETURNED {
                self.total += n as usize;
            }
        }
    }

    /// Calls `f` with the combination (ordinal, below the table's length) of each of `docs`.
    fn for_each_ord(&mut self, docs: &[DocId], mut f: impl FnMut(usize)) {
        let combos = self.table.combos.len();
        for chunk in docs.chunks(BLOCK) {
            let ords = &mut self.raw[..chunk.len()];
            match (&self.full, &self.ords) {
                (Some(values), _) => values.get_vals(chunk, ords),
                (None, Some(column)) => {
                    let vals = &mut self.vals[..chunk.len()];
                    vals.fill(None);
                    column.first_vals(chunk, vals);
                    for (o, v) in ords.iter_mut().zip(vals.iter()) {
                        *o = v.unwrap_or(u64::MAX);
                    }
                }
                (None, None) => return,
            }
            for o in ords.iter() {
                if (*o as usize) < combos {
                    f(*o as usize);
                }
            }
        }
    }

    /// Hands an accepted match straight to the top-k collector, not counted in the facets.
    pub(crate) fn take(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        self.top.collect(doc, score);
    }

    fn flush(&mut self) {
        let n = self.len;
        self.len = 0;
        let docs = &self.docs[..n];
        let ords = &mut self.raw[..n];
        match (&self.full, &self.ords) {
            (Some(values), _) => values.get_vals(docs, ords),
            (None, Some(column)) => {
                let vals = &mut self.vals[..n];
                vals.fill(None);
                column.first_vals(docs, vals);
                for (o, v) in ords.iter_mut().zip(vals.iter()) {
                    *o = v.unwrap_or(u64::MAX);
                }
            }
            (None, None) => return,
        }
        let combos = self.table.combos.len();
        for (i, o) in ords.iter().enumerate() {
            // Every document has a combination; one without (impossible) is neither counted nor returned.
            let o = *o as usize;
            if o >= combos {
                continue;
            }
            let class = self.classes.as_ref().map_or(RETURNED, |c| c[o]);
            if class == OUT_OF_SCOPE {
                continue;
            }
            if let Some(c) = self.counts.get_mut(o) {
                *c += 1;
            }
            if class == RETURNED {
                self.total += 1;
                self.top.collect(docs[i], self.scores[i]);
            }
        }
    }
}

impl<C: SegmentCollector> SegmentCollector for SegmentSearch<C> {
    type Fruit = (C::Fruit, usize, [Vec<u64>; 5]);

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs[self.len] = doc;
        self.scores[self.len] = score;
        self.len += 1;
        if self.len == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for chunk in docs.chunks(BLOCK) {
            if self.len + chunk.len() > BLOCK {
                self.flush();
            }
            self.docs[self.len..self.len + chunk.len()].copy_from_slice(chunk);
            self.scores[self.len..self.len + chunk.len()].fill(0.0);
            self.len += chunk.len();
            if self.len == BLOCK {
                self.flush();
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let mut by_facet = self.table.lens.map(|n| vec![0u64; if self.counts.is_empty() { 0 } else { n }]);
        for (combo, n) in self.table.combos.iter().zip(&self.counts) {
            if *n > 0 {
                for (counts, id) in by_facet.iter_mut().zip(&combo.0[COUNTED]) {
                    counts[*id as usize] += u64::from(*n);
                }
            }
        }
        (self.top.harvest(), self.total, by_facet)
    }
}
