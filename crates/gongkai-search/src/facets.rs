//! One pass over every match of a search: exact facet counts read from fast-field columns, and the matches that
//! pass the year, 体裁, 主题 and 有效性 filters counted and handed on to the top-k collector.
//!
//! Facets ignore those four filters (so that the other choices stay visible) but not the words or the agency
//! scope, which are part of the query. Reading the filter fields' columns for the facets anyway, the collector
//! applies the filters itself instead of running the query a second time with them.
//!
//! Per segment, each facet is a column of small integers: the term ordinal of a string column (agency, 体裁,
//! 主题, 有效性) or the year itself. Matches are buffered in blocks of [`BLOCK`] documents; for each block the
//! columns are read in one batch and counted into dense arrays, and only when the segment is harvested are the
//! ordinals that were seen turned into strings (once each).

use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocId, Score, SegmentOrdinal, SegmentReader};

/// The fast field that holds `code` [`AGENCY_SEP`] `name` of a document's agency (counted per pair, as the
/// portal shows code and name).
pub(crate) const AGENCY_FACET: &str = "agency_facet";
pub(crate) const AGENCY_SEP: char = '\u{1f}';
pub(crate) const YEAR: &str = "year";
pub(crate) const GENRE: &str = "genre";
pub(crate) const TOPIC: &str = "topic";
pub(crate) const VALIDITY: &str = "validity";

const BLOCK: usize = COLLECT_BLOCK_BUFFER_LEN;
/// Years are counted in a dense array from the segment's smallest year; a segment spanning more than this many
/// years (bad data) counts the rest in a map.
const DENSE_YEARS: u64 = 512;

/// The filters of a query that narrow the results but not the facet counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    pub year: Option<u64>,
    pub genre: Option<String>,
    pub topic: Option<String>,
    pub validity: Option<String>,
}

/// Exact counts over every match of the query (words and agency scope).
#[derive(Debug, Default)]
pub(crate) struct FacetCounts {
    /// By `code` [`AGENCY_SEP`] `name`.
    pub agencies: HashMap<String, usize>,
    pub years: HashMap<u64, usize>,
    pub genres: HashMap<String, usize>,
    pub topics: HashMap<String, usize>,
    pub validities: HashMap<String, usize>,
}

/// Wraps the top-k collector `top`: counts facets over all matches, and counts and passes on those that pass
/// the filters. The fruit is (top-k, number of filtered matches, facet counts).
pub(crate) struct SearchCollector<T> {
    top: T,
    filters: Filters,
}

impl<T> SearchCollector<T> {
    pub(crate) fn new(top: T, filters: Filters) -> Self {
        Self { top, filters }
    }
}

impl<T: Collector> Collector for SearchCollector<T> {
    type Fruit = (T::Fruit, usize, FacetCounts);
    type Child = SegmentSearch<T::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let ff = reader.fast_fields();
        let year = ff.u64(YEAR)?;
        let want_year = self.filters.year.map_or(Want::Any, Want::Value);
        let (base, len) = (year.min_value(), (year.max_value().saturating_sub(year.min_value()) + 1).min(DENSE_YEARS));
        Ok(SegmentSearch {
            top: self.top.for_segment(ord, reader)?,
            docs: [0; BLOCK],
            scores: [0.0; BLOCK],
            len: 0,
            total: 0,
            year: Facet::new(Some(year), base, len as usize, want_year),
            agency: StrFacet::open(ff.str(AGENCY_FACET)?, None)?,
            genre: StrFacet::open(ff.str(GENRE)?, self.filters.genre.as_deref())?,
            topic: StrFacet::open(ff.str(TOPIC)?, self.filters.topic.as_deref())?,
            validity: StrFacet::open(ff.str(VALIDITY)?, self.filters.validity.as_deref())?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.top.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit<T::Child>>) -> tantivy::Result<Self::Fruit> {
        let mut tops = Vec::with_capacity(fruits.len());
        let mut total = 0;
        let mut counts = FacetCounts::default();
        for (top, n, f) in fruits {
            tops.push(top);
            total += n;
            for (key, n) in f.agencies {
                *counts.agencies.entry(key).or_default() += n;
            }
            for (year, n) in f.years {
                *counts.years.entry(year).or_default() += n;
            }
            for (map, values) in
                [(&mut counts.genres, f.genres), (&mut counts.topics, f.topics), (&mut counts.validities, f.validities)]
            {
                for (value, n) in values {
                    *map.entry(value).or_default() += n;
                }
            }
        }
        Ok((self.top.merge_fruits(tops)?, total, counts))
    }
}

type SegmentFruit<C> = (<C as SegmentCollector>::Fruit, usize, SegmentCounts);

/// One segment's counts, ordinals already turned into their values (only those seen).
pub(crate) struct SegmentCounts {
    agencies: Vec<(String, usize)>,
    years: Vec<(u64, usize)>,
    genres: Vec<(String, usize)>,
    topics: Vec<(String, usize)>,
    validities: Vec<(String, usize)>,
}

/// Which value of a column the filter asks for, in this segment's terms.
#[derive(Clone, Copy)]
enum Want {
    Any,
    /// This ordinal (string column) or value (year).
    Value(u64),
    /// The value is not in this segment at all.
    Nothing,
}

/// The counts of one column over the matches of one segment.
struct Facet {
    column: Option<Column<u64>>,
    /// The value counted at `counts[0]` (0 for ordinals).
    base: u64,
    counts: Vec<u32>,
    /// Values outside `base..base + counts.len()` (only years can be).
    overflow: HashMap<u64, u32>,
    want: Want,
    vals: [Option<u64>; BLOCK],
}

impl Facet {
    fn new(column: Option<Column<u64>>, base: u64, len: usize, want: Want) -> Self {
        Self { column, base, counts: vec![0; len], overflow: HashMap::new(), want, vals: [None; BLOCK] }
    }

    /// Counts the values of `docs` and clears `pass[i]` for each document the filter rules out.
    #[inline]
    fn count(&mut self, docs: &[DocId], pass: &mut [bool]) {
        let vals = &mut self.vals[..docs.len()];
        vals.fill(None);
        if let Some(column) = &self.column {
            column.first_vals(docs, vals);
        }
        for (val, pass) in vals.iter().zip(pass.iter_mut()) {
            if let Some(v) = *val {
                match self.counts.get_mut(v.wrapping_sub(self.base) as usize) {
                    Some(n) => *n += 1,
                    None => *self.overflow.entry(v).or_default() += 1,
                }
            }
            *pass &= match self.want {
                Want::Any => true,
                Want::Value(w) => *val == Some(w),
                Want::Nothing => false,
            };
        }
    }

    /// The values seen and their counts.
    fn seen(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        let dense = self.counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (self.base + i as u64, *n));
        dense.chain(self.overflow.iter().map(|(v, n)| (*v, *n))).map(|(v, n)| (v, n as usize))
    }
}

/// A [`Facet`] over the term ordinals of a string column, with its dictionary.
struct StrFacet {
    facet: Facet,
    column: Option<StrColumn>,
}

impl StrFacet {
    fn open(column: Option<StrColumn>, filter: Option<&str>) -> tantivy::Result<Self> {
        let want = match (filter, &column) {
            (None, _) => Want::Any,
            (Some(_), None) => Want::Nothing,
            (Some(value), Some(c)) => c.dictionary().term_ord(value)?.map_or(Want::Nothing, Want::Value),
        };
        let facet = match &column {
            Some(c) => Facet::new(Some(c.ords().clone()), 0, c.num_terms(), want),
            None => Facet::new(None, 0, 0, want),
        };
        Ok(Self { facet, column })
    }

    /// The strings seen and their counts; `skip_empty` leaves out the empty string (an item without that label).
    fn seen(&self, skip_empty: bool) -> Vec<(String, usize)> {
        let Some(column) = &self.column else { return Vec::new() };
        let mut out = Vec::new();
        for (ord, n) in self.facet.seen() {
            let mut s = String::new();
            // An ordinal read from the column is always in its dictionary; a failed read is left out.
            if column.ord_to_str(ord, &mut s).unwrap_or(false) && !(skip_empty && s.is_empty()) {
                out.push((s, n));
            }
        }
        out
    }
}

pub(crate) struct SegmentSearch<C> {
    top: C,
    docs: [DocId; BLOCK],
    scores: [Score; BLOCK],
    len: usize,
    total: usize,
    year: Facet,
    agency: StrFacet,
    genre: StrFacet,
    topic: StrFacet,
    validity: StrFacet,
}

impl<C: SegmentCollector> SegmentSearch<C> {
    fn flush(&mut self) {
        let n = self.len;
        self.len = 0;
        let docs = &self.docs[..n];
        let mut pass = [true; BLOCK];
        let pass = &mut pass[..n];
        self.agency.facet.count(docs, pass);
        self.year.count(docs, pass);
        self.genre.facet.count(docs, pass);
        self.topic.facet.count(docs, pass);
        self.validity.facet.count(docs, pass);
        for ((doc, score), pass) in docs.iter().zip(&self.scores[..n]).zip(pass.iter()) {
            if *pass {
                self.total += 1;
                self.top.collect(*doc, *score);
            }
        }
    }
}

impl<C: SegmentCollector> SegmentCollector for SegmentSearch<C> {
    type Fruit = (C::Fruit, usize, SegmentCounts);

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
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let counts = SegmentCounts {
            agencies: self.agency.seen(false),
            years: self.year.seen().collect(),
            genres: self.genre.seen(true),
            topics: self.topic.seen(true),
            validities: self.validity.seen(true),
        };
        (self.top.harvest(), self.total, counts)
    }
}
