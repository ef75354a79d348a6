//! Top-k by the title first, exactly (a form of MaxScore), and the matches counted on bit sets.
//!
//! A query of one or two plain words is `∧ (title:w^3 ∨ body:w)`, where a word of one token is that term and a
//! longer word all of its adjacent pairs (`words`). Frequent words are in most bodies, so such a query matches
//! most documents, and scoring every match costs about four times as much as only enumerating them (which the
//! totals and facets need anyway). But the best-scored matches have the words in the title: a frequent word's
//! body score is tiny (its idf is near zero) next to a title's, boosted threefold.
//!
//! So the top k is first looked for among the *candidates*, the documents with a word in the title, walking
//! the title postings only. A candidate's title scores are exact; adding the largest possible body score of
//! each word gives an upper bound, and a candidate whose bound is below the k-th best score so
//! far is passed over without reading its body postings. The others are checked against the query and
//! scored exactly as tantivy scores the full query (the same term scorers, summed in pairs, as its unions and
//! intersections do, so the sums are the same to the bit). A match that is not a candidate has only body
//! terms, so its score is at most [`Plan::bound`]: when the k-th best candidate scores above that, no other
//! match can enter the top k; otherwise the caller scores every match.
//!
//! The matches themselves (for the total and the facets) are worked out on bit sets ([`Plan::matches`]). In the
//! scope of an agency that holds under an eighth of the documents there is no plan: tantivy's intersection led
//! by the agency's postings reads less.
//!
//! The largest possible score of a term is BM25's limit as the term frequency grows, idf × (k1 + 1) × boost,
//! with the idf tantivy uses (over the searcher's documents, deleted ones included), and a margin for f32.

use crate::facets::SearchCollector;
use crate::schema::Fields;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// Segments of at least this many documents are counted in a range per search thread (small in the tests, so
/// that they cut segments too).
const SPLIT_AT: DocId = if cfg!(test) { 256 } else { 65_536 };

/// BM25's k1 in tantivy.
const K1: f64 = 1.2;
use crate::words::TITLE_BOOST;

pub(crate) struct Plan {
    /// Per word: (title terms, body terms, the body terms' largest score, the title terms'). A word of one
    /// token has that token's terms, a longer one its adjacent pairs' (all must match; see `words`).
    words: Vec<(Vec<Term>, Vec<Term>, Score, Score)>,
    /// No match outside the candidates scores above this.
    pub bound: Score,
    /// The agency scope: only its documents match.
    scope: Option<Term>,
}

/// Words the query parser reads as plain terms: no query syntax, no operator.
pub(crate) fn plain(word: &str) -> bool {
    !matches!(word, "AND" | "OR" | "NOT" | "IN" | "TO")
        && word.chars().all(|c| c.is_alphanumeric() && (!c.is_ascii() || c.is_ascii_alphanumeric()))
}

/// The plan for `text` when it is one or two plain words of one token each, and none of the 文号/索引号
/// alternatives `nos` is in the index (they would add to the scores).
pub(crate) fn title_first(
    searcher: &Searcher,
    f: &Fields,
    text: &str,
    nos: &[(Field, String)],
    scope: Option<&Term>,
) -> tantivy::Result<Option<Plan>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 2 || !words.iter().all(|w| plain(w)) {
        return Ok(None);
    }
    for (field, no) in nos {
        if searcher.doc_freq(&Term::from_field_text(*field, no))? > 0 {
            return Ok(None);
        }
    }
    let docs = searcher.segment_readers().iter().map(|s| u64::from(s.max_doc())).sum::<u64>();
    // The bit sets decode every posting of the words: for an agency that holds few of the documents, tantivy's
    // intersection led by the agency's postings skips most of them and is cheaper (measured on both corpora).
    if let Some(scope) = scope
        && searcher.doc_freq(scope)? * 8 < docs
    {
        return Ok(None);
    }
    let max_score = |term: &Term| -> tantivy::Result<Score> {
        let df = searcher.doc_freq(term)?.min(docs);
        let idf = (1.0 + ((docs - df) as f64 + 0.5) / (df as f64 + 0.5)).ln();
        Ok((idf * (1.0 + K1) * 1.001 + 1e-6) as Score)
    };
    let mut plan = Plan { words: Vec::new(), bound: 0.0, scope: scope.cloned() };
    for word in words {
        // As `words::word_query` reads it: a word of one token is that term in the title or the body, a longer
        // one all its pairs in the title's pairs or all in the body's.
        let tokens = crate::words::tokens(word);
        let (terms, (title_field, body_field)) = match &tokens[..] {
            [] => return Ok(None),
            [one] => (vec![one.clone()], (f.title, f.body)),
            _ => (crate::words::pairs(&tokens), (f.title_pairs, f.body_pairs)),
        };
        let title: Vec<Term> = terms.iter().map(|t| Term::from_field_text(title_field, t)).collect();
        let body: Vec<Term> = terms.iter().map(|t| Term::from_field_text(body_field, t)).collect();
        let mut body_max = 0.0;
        for t in &body {
            body_max += max_score(t)?;
        }
        plan.bound += body_max;
        let mut title_max = 0.0;
        for t in &title {
            title_max += max_score(t)? * TITLE_BOOST;
        }
        plan.words.push((title, body, body_max, title_max));
    }
    // Sums in f32 round: a little more room.
    plan.bound = plan.bound * 1.001 + 1e-5;
    Ok(Some(plan))
}

/// The `k` best scores so far.
struct Threshold {
    k: usize,
    best: BinaryHeap<Reverse<Key>>,
}

#[derive(PartialEq)]
struct Key(Score);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Threshold {
    fn push(&mut self, score: Score) {
        self.best.push(Reverse(Key(score)));
        if self.best.len() > self.k {
            self.best.pop();
        }
    }
    /// A document whose score is below this cannot enter the top k.
    fn min(&self) -> Score {
        match self.best.peek() {
            Some(Reverse(Key(s))) if self.best.len() == self.k => *s,
            _ => Score::NEG_INFINITY,
        }
    }
}

/// All of `terms` (one term, or their intersection, as `words::word_query` asks for them).
fn all(terms: &[Term], option: IndexRecordOption) -> Box<dyn Query> {
    let term = |t: &Term| Box::new(TermQuery::new(t.clone(), option)) as Box<dyn Query>;
    match terms {
        [one] => term(one),
        _ => Box::new(BooleanQuery::new(terms.iter().map(|t| (Occur::Must, term(t))).collect())),
    }
}

fn weight(searcher: &Searcher, terms: &[Term]) -> tantivy::Result<Box<dyn Weight>> {
    all(terms, IndexRecordOption::WithFreqs).weight(EnableScoring::enabled_from_searcher(searcher))
}

impl Plan {
    /// Hands every match of the query to `collector` (which counts the facets and the total). The matches are
    /// worked out on bit sets, one bit per document of the segment: each term's postings are decoded into one,
    /// and the sets are intersected and joined word by word (`∧` over the words of `title terms ∨ body terms`).
    /// The words of such queries are mostly frequent, so their postings are long and dense: decoding them whole
    /// and combining 64 documents at a time is cheaper than tantivy's intersections and unions, which seek and
    /// compare one document at a time.
    pub(crate) fn matches<T: Collector>(
        &self,
        searcher: &Searcher,
        collector: &SearchCollector<'_, T>,
    ) -> tantivy::Result<<SearchCollector<'_, T> as Collector>::Fruit> {
        let range = |(ord, reader, lo, hi): (usize, &SegmentReader, DocId, DocId)| {
            let mut child = collector.for_segment(ord as u32, reader)?;
            let mut all: Option<Bits> = None;
            for (title, body) in self.words.iter().map(|w| (&w.0, &w.1)) {
                let mut word = Bits::all_of(reader, title, lo, hi)?;
                word.or(&Bits::all_of(reader, body, lo, hi)?);
                match &mut all {
                    None => all = Some(word),
                    Some(a) => a.and(&word),
                }
            }
            let mut all = all.unwrap_or_else(|| Bits::new(lo, hi));
            if let Some(scope) = &self.scope {
                all.and(&Bits::all_of(reader, std::slice::from_ref(scope), lo, hi)?);
            }
            // A match set that holds most of the range is counted as the range less what does not match (the
            // range's own counts are kept with the segment): a frequent word needs no pass over its matches.
            if child.counts_only() && all.len() > (hi - lo) as usize / 2 {
                let mut not = Vec::new();
                all.for_each_missing(hi, |doc| {
                    if !reader.is_deleted(doc) {
                        not.push(doc);
                    }
                });
                child.collect_all_but(reader, lo, hi, &not);
                return Ok(child.harvest());
            }
            let mut block = Vec::with_capacity(COLLECT_BLOCK_BUFFER_LEN);
            all.for_each(|doc| {
                if !reader.is_deleted(doc) {
                    block.push(doc);
                    if block.len() == COLLECT_BLOCK_BUFFER_LEN {
                        child.collect_block(&block);
                        block.clear();
                    }
                }
            });
            child.collect_block(&block);
            Ok(child.harvest())
        };
        let fruits = searcher.index().search_executor().map(range, ranges(searcher, true).into_iter())?;
        collector.merge_fruits(fruits)
    }

    /// The best `k` candidates that pass the collector's filters, ranked by the full query's scores, as the
    /// collector's top-k fruit.
    pub(crate) fn top<T: Collector<Fruit = Vec<(Score, DocAddress)>>>(
        &self,
        searcher: &Searcher,
        collector: &SearchCollector<'_, T>,
        k: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let titles = self.words.iter().map(|w| weight(searcher, &w.0)).collect::<tantivy::Result<Vec<_>>>()?;
        let bodies = self.words.iter().map(|w| weight(searcher, &w.1)).collect::<tantivy::Result<Vec<_>>>()?;
        // Added to a candidate's title scores, the largest it can score.
        let rest: Score = self.words.iter().map(|w| w.2).sum();
        let rest = rest * 1.001 + 1e-5;
        // Each range finds its own best k (exactly, as below); the best k of theirs are the best k of all.
        let range = |(ord, reader, lo, hi): (usize, &SegmentReader, DocId, DocId)| {
            let mut child = collector.for_segment(ord as u32, reader)?;
            let scope = match &self.scope {
                Some(t) => Some(Bits::all_of(reader, std::slice::from_ref(t), lo, hi)?),
                None => None,
            };
            let mut titles: Vec<Box<dyn Scorer>> =
                titles.iter().map(|w| w.scorer(reader, TITLE_BOOST)).collect::<tantivy::Result<_>>()?;
            let mut bodies: Vec<Box<dyn Scorer>> =
                bodies.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<_>>()?;
            let mut threshold = Threshold { k, best: BinaryHeap::with_capacity(k + 1) };
            let mut title_scores: [Option<Score>; 2] = [None; 2];
            // The title scorers' current documents (fewer calls through the scorers' vtables).
            let mut at: Vec<DocId> =
                titles.iter_mut().map(|s| if s.doc() < lo { s.seek(lo) } else { s.doc() }).collect();
            // Once the k-th best score is above what one word's title can reach, a candidate needs both titles:
            // the title postings are then intersected (seeking) instead of merged.
            let one_title = self.words.iter().map(|w| w.3).fold(0.0, Score::max) + rest;
            loop {
                let min = threshold.min();
                if let ([a, b], [at_a, at_b]) = (&mut titles[..], &mut at[..])
                    && min > one_title
                {
                    while *at_a != *at_b && *at_a != TERMINATED && *at_b != TERMINATED {
                        if *at_a < *at_b {
                            *at_a = a.seek(*at_b);
                        } else {
                            *at_b = b.seek(*at_a);
                        }
                    }
                }
                let doc = at.iter().copied().min().unwrap_or(TERMINATED);
                if doc == TERMINATED || doc >= hi {
                    break;
                }
                // First with the title terms' largest scores (no scoring), then with their scores.
                let largest: Score = at.iter().zip(&self.words).filter(|(d, _)| **d == doc).map(|(_, w)| w.3).sum();
                let mut title_sum = 0.0;
                for ((s, d), t) in titles.iter_mut().zip(at.iter_mut()).zip(title_scores.iter_mut()) {
                    *t = None;
                    if *d == doc {
                        if largest + rest >= min {
                            let score = s.score();
                            title_sum += score;
                            *t = Some(score);
                        }
                        *d = s.advance();
                    }
                }
                if largest + rest < min
                    || title_sum + rest < min
                    || reader.is_deleted(doc)
                    || scope.as_ref().is_some_and(|s| !s.contains(doc))
                    || !child.accepts(doc)
                {
                    continue;
                }
                let Some(score) = exact_score(doc, &title_scores, &mut bodies) else { continue };
                threshold.push(score);
                child.take(doc, score);
            }
            Ok(child.harvest())
        };
        // Segments in parallel, as tantivy runs the other passes.
        let fruits = searcher.index().search_executor().map(range, ranges(searcher, false).into_iter())?;
        let (top, _, _) = collector.merge_fruits(fruits)?;
        Ok(top.unwrap_or_default())
    }
}

/// The ranges of documents the passes work on, in order: (segment ordinal, segment, first, end). A large
/// segment is cut into one range per search thread (a fresh index of a million documents is often one
/// segment, which would leave the other threads idle); ranges start at multiples of 64 (see [`Bits`]).
///
/// The counting pass always cuts large segments (its work is the same however it is cut, and segments are
/// rarely of equal size); the top-k pass only when there are fewer segments than threads (each range finds its
/// own best k, so more ranges prune less).
fn ranges(searcher: &Searcher, counting: bool) -> Vec<(usize, &SegmentReader, DocId, DocId)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(crate::SEARCH_THREADS);
    let segments = searcher.segment_readers();
    let split = counting || segments.len() < threads;
    let mut out = Vec::new();
    for (ord, reader) in segments.iter().enumerate() {
        let max = reader.max_doc();
        let parts = if split && max >= SPLIT_AT { threads as DocId } else { 1 };
        let step = max.div_ceil(parts).div_ceil(64).max(1) * 64;
        let mut lo = 0;
        loop {
            out.push((ord, reader, lo, (lo + step).min(max)));
            lo += step;
            if lo >= max {
                break;
            }
        }
    }
    out
}

/// The full query's score of `doc`, given its title scores, when it matches the query (every word in the title
/// or the body): per word title + body (tantivy's union), then the words' sum (its intersection).
fn exact_score(doc: DocId, titles: &[Option<Score>; 2], bodies: &mut [Box<dyn Scorer>]) -> Option<Score> {
    let mut words = None::<Score>;
    for (title, body) in titles.iter().zip(bodies.iter_mut()) {
        if body.doc() < doc {
            body.seek(doc);
        }
        let body = (body.doc() == doc).then(|| body.score());
        let word = match (*title, body) {
            (Some(t), Some(b)) => t + b,
            (Some(s), None) | (None, Some(s)) => s,
            (None, None) => return None,
        };
        words = Some(words.map_or(word, |w| w + word));
    }
    words
}

/// A set of the documents of a range of a segment (from `base`, a multiple of 64), one bit each.
struct Bits {
    base: DocId,
    words: Vec<u64>,
}

impl Bits {
    fn new(lo: DocId, hi: DocId) -> Self {
        debug_assert!(lo.is_multiple_of(64));
        Bits { base: lo, words: vec![0; (hi.saturating_sub(lo) as usize).div_ceil(64)] }
    }

    /// The documents in `lo..hi` that hold every one of `terms` (none when `terms` is empty): each term's
    /// postings from `lo` (found through the skip list) to `hi`, decoded a block of 128 at a time.
    fn all_of(reader: &SegmentReader, terms: &[Term], lo: DocId, hi: DocId) -> tantivy::Result<Self> {
        let mut out: Option<Bits> = None;
        for term in terms {
            let mut set = Bits::new(lo, hi);
            let postings = reader.inverted_index(term.field())?.read_block_postings(term, IndexRecordOption::Basic)?;
            if let Some(mut block) = postings {
                let mut from = if lo > 0 { block.seek(lo) } else { 0 };
                'blocks: loop {
                    let docs = block.docs();
                    if from >= docs.len() {
                        if docs.is_empty() {
                            break;
                        }
                        from = 0;
                        block.advance();
                        continue;
                    }
                    for &d in &docs[from..] {
                        if d >= hi {
                            break 'blocks;
                        }
                        let at = (d - lo) as usize;
                        if let Some(w) = set.words.get_mut(at / 64) {
                            *w |= 1 << (at % 64);
                        }
                    }
                    from = 0;
                    block.advance();
                }
            }
            match &mut out {
                None => out = Some(set),
                Some(o) => o.and(&set),
            }
        }
        Ok(out.unwrap_or_else(|| Bits::new(lo, hi)))
    }

    fn contains(&self, doc: DocId) -> bool {
        let Some(at) = doc.checked_sub(self.base) else { return false };
        self.words.get(at as usize / 64).is_some_and(|w| w & (1 << (at % 64)) != 0)
    }

    fn and(&mut self, other: &Bits) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    fn or(&mut self, other: &Bits) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    /// How many documents the set holds.
    fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Each document of `base..hi` not in the set, in order.
    fn for_each_missing(&self, hi: DocId, mut f: impl FnMut(DocId)) {
        for (i, &word) in self.words.iter().enumerate() {
            let mut w = !word;
            while w != 0 {
                let doc = self.base + i as DocId * 64 + w.trailing_zeros();
                if doc >= hi {
                    return;
                }
                f(doc);
                w &= w - 1;
            }
        }
    }

    /// Each document in the set, in order.
    fn for_each(&self, mut f: impl FnMut(DocId)) {
        for (i, &word) in self.words.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                f(self.base + i as DocId * 64 + w.trailing_zeros());
                w &= w - 1;
            }
        }
    }
}
