//! Top-k by the title first, exactly (a form of MaxScore).
//!
//! A query of one or two plain words, each one token (most two-character words), without an agency scope, is
//! `∧ (title:w^3 ∨ body:w)`. Frequent words are in most bodies, so such a query matches most
//! documents, and scoring every match costs about four times as much as only enumerating them (which the totals
//! and facets need anyway). But the best-scored matches have the words in the title: a frequent word's body
//! score is tiny (its idf is near zero) next to a title's, boosted threefold.
//!
//! So the top k is first looked for among the *candidates*, the documents with a word in the title, walking
//! the title postings only. A candidate's title scores are exact; adding the largest possible body score of
//! each word gives an upper bound, and a candidate whose bound is below the k-th best score so
//! far is passed over without reading its body postings. The others are checked against the query and
//! scored exactly as tantivy scores the full query (the same term scorers, summed in pairs, as its unions and
//! intersections do, so the sums are the same to the bit). A match that is not a candidate has only body
//! terms, so its score is at most [`Plan::bound`]: when the k-th best candidate scores above that, no other
//! match can enter the top k; otherwise the caller scores every match. (In an agency scope tantivy's own
//! intersection, led by the agency's postings, was measured cheaper: no plan there.)
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
use tantivy::{
    BitSet, COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocId, DocSet, Index, Score, Searcher, SegmentReader, TERMINATED,
    Term,
};

/// BM25's k1 in tantivy.
const K1: f64 = 1.2;
const TITLE_BOOST: Score = 3.0;

pub(crate) struct Plan {
    /// Per word: (title term, body term, the body term's largest score, the title term's).
    words: Vec<(Term, Term, Score, Score)>,
    /// No match outside the candidates scores above this.
    pub bound: Score,
}

/// Words the query parser reads as plain terms: no query syntax, no operator.
fn plain(word: &str) -> bool {
    !matches!(word, "AND" | "OR" | "NOT" | "IN" | "TO")
        && word.chars().all(|c| c.is_alphanumeric() && (!c.is_ascii() || c.is_ascii_alphanumeric()))
}

/// The plan for `text` when it is one or two plain words of one token each, and none of the 文号/索引号
/// alternatives `nos` is in the index (they would add to the scores).
pub(crate) fn title_first(
    index: &Index,
    searcher: &Searcher,
    f: &Fields,
    text: &str,
    nos: &[(Field, String)],
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
    let max_score = |term: &Term| -> tantivy::Result<Score> {
        let df = searcher.doc_freq(term)?.min(docs);
        let idf = (1.0 + ((docs - df) as f64 + 0.5) / (df as f64 + 0.5)).ln();
        Ok((idf * (1.0 + K1) * 1.001 + 1e-6) as Score)
    };
    let mut analyzer = index.tokenizer_for_field(f.title)?;
    let mut plan = Plan { words: Vec::new(), bound: 0.0 };
    for word in words {
        let mut stream = analyzer.token_stream(word);
        let mut tokens = Vec::new();
        stream.process(&mut |t| tokens.push(t.text.clone()));
        let mut tokens = tokens.into_iter();
        let (Some(token), None) = (tokens.next(), tokens.next()) else { return Ok(None) };
        let (title, body) = (Term::from_field_text(f.title, &token), Term::from_field_text(f.body, &token));
        let body_max = max_score(&body)?;
        plan.bound += body_max;
        let title_max = max_score(&title)? * TITLE_BOOST;
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

/// One word's matches, `title:w ∨ body:w`, unscored.
fn word_matches(searcher: &Searcher, title: &Term, body: &Term) -> tantivy::Result<Box<dyn Weight>> {
    let term = |t: &Term| Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)) as Box<dyn Query>;
    BooleanQuery::new(vec![(Occur::Should, term(title)), (Occur::Should, term(body))])
        .weight(EnableScoring::disabled_from_searcher(searcher))
}

fn weight(searcher: &Searcher, term: &Term) -> tantivy::Result<Box<dyn Weight>> {
    TermQuery::new(term.clone(), IndexRecordOption::WithFreqs).weight(EnableScoring::enabled_from_searcher(searcher))
}

impl Plan {
    /// Hands every match of the query to `collector` (which counts the facets and the total): each word's matches as tantivy's plain union of its two postings, the second word's checked
    /// against a bit set of the first's (cheaper than tantivy's intersection of two unions, which seeks).
    pub(crate) fn matches<T: Collector>(
        &self,
        searcher: &Searcher,
        collector: &SearchCollector<'_, T>,
    ) -> tantivy::Result<<SearchCollector<'_, T> as Collector>::Fruit> {
        let words =
            self.words.iter().map(|w| word_matches(searcher, &w.0, &w.1)).collect::<tantivy::Result<Vec<_>>>()?;
        let segment = |(ord, reader): (usize, &SegmentReader)| {
            let mut child = collector.for_segment(ord as u32, reader)?;
            let mut first = None;
            if let [word, _] = &words[..] {
                let mut set = BitSet::with_max_value(reader.max_doc());
                word.for_each_no_score(reader, &mut |docs| {
                    for d in docs {
                        set.insert(*d);
                    }
                })?;
                first = Some(set);
            }
            let mut block = Vec::with_capacity(COLLECT_BLOCK_BUFFER_LEN);
            let last = words.last().expect("a plan has words");
            if first.is_none() && reader.alive_bitset().is_none() {
                last.for_each_no_score(reader, &mut |docs| child.collect_block(docs))?;
            } else {
                last.for_each_no_score(reader, &mut |docs| {
                    block.clear();
                    let alive = |d: &DocId| !reader.is_deleted(*d);
                    block.extend(docs.iter().filter(|d| first.as_ref().is_none_or(|s| s.contains(**d)) && alive(d)));
                    child.collect_block(&block);
                })?;
            }
            Ok(child.harvest())
        };
        let fruits = searcher.index().search_executor().map(segment, searcher.segment_readers().iter().enumerate())?;
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
        let segment = |(ord, reader): (usize, &SegmentReader)| {
            let mut child = collector.for_segment(ord as u32, reader)?;
            let mut titles: Vec<Box<dyn Scorer>> =
                titles.iter().map(|w| w.scorer(reader, TITLE_BOOST)).collect::<tantivy::Result<_>>()?;
            let mut bodies: Vec<Box<dyn Scorer>> =
                bodies.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<_>>()?;
            let mut threshold = Threshold { k, best: BinaryHeap::with_capacity(k + 1) };
            let mut title_scores: [Option<Score>; 2] = [None; 2];
            // The title scorers' current documents (fewer calls through the scorers' vtables).
            let mut at: Vec<DocId> = titles.iter().map(|s| s.doc()).collect();
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
                if doc == TERMINATED {
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
                if largest + rest < min || title_sum + rest < min || reader.is_deleted(doc) || !child.accepts(doc) {
                    continue;
                }
                let Some(score) = exact_score(doc, &title_scores, &mut bodies) else { continue };
                threshold.push(score);
                child.take(doc, score);
            }
            Ok(child.harvest())
        };
        // Segments in parallel, as tantivy runs the other passes.
        let fruits = searcher.index().search_executor().map(segment, searcher.segment_readers().iter().enumerate())?;
        let (top, _, _) = collector.merge_fruits(fruits)?;
        Ok(top.unwrap_or_default())
    }
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
