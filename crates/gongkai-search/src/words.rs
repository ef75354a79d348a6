//! The words of a query, and the index of adjacent-token pairs that answers a word of several tokens without
//! reading token positions.
//!
//! Most Chinese query words are several jieba tokens (政府信息公开: 政府 信息 公开). Matched as a phrase, each
//! document holding the tokens has its token positions read and compared: on a corpus where the phrase is common,
//! that is most of the search's time. So each title and body is also indexed in a second field of *pairs*: every
//! substring that spans two adjacent tokens of jieba's search-mode cut (a token, and a token that starts where it
//! ends: 政府信息, 信息公开; search mode also gives a long word's parts, 北京大学 beside 北京 and 大学, so the word
//! and its parts each pair with their neighbours). A query word of n tokens (jieba's default
//! cut, the coarsest) then matches the documents that hold each of its n − 1 adjacent pairs: one term for a word
//! of two tokens (exactly the phrase), the conjunction of pair terms for longer ones (every phrase match, and the
//! rare document that has the pairs apart: 政府信息 … 信息公开). A word of one token is a plain term, as before.

use crate::schema::Fields;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

/// The name of the pair tokenizer in the index's tokenizer manager.
pub(crate) const PAIRS: &str = "jieba_pairs";
/// Title matches weigh three times a body's.
pub(crate) const TITLE_BOOST: f32 = 3.0;

/// A token that can be part of a word: letters and digits (CJK ideographs are alphabetic), no punctuation or space.
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphanumeric)
}

/// Emits, for a text, each substring that spans two adjacent tokens of jieba's search-mode cut, once per place.
#[derive(Clone, Default)]
pub(crate) struct PairTokenizer;

/// A token stream over tokens made in advance.
pub(crate) struct Tokens {
    tokens: Vec<Token>,
    /// One past the current token (0: before the first).
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next >= self.tokens.len() {
            return false;
        }
        self.next += 1;
        true
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next.saturating_sub(1)]
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        // Byte spans of the word tokens, by start: search mode gives a long word and its sub-words, so several
        // tokens can start (or end) at one place.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        JiebaTokenizer::new().token_stream(text).process(&mut |t| {
            if is_word(&t.text) {
                spans.push((t.offset_from, t.offset_to));
            }
        });
        spans.sort_unstable();
        spans.dedup();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &(start, end) in &spans {
            let from = spans.partition_point(|s| s.0 < end);
            pairs.extend(spans[from..].iter().take_while(|s| s.0 == end).map(|s| (start, s.1)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let tokens = pairs
            .into_iter()
            .enumerate()
            .map(|(position, (from, to))| Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text[from..to].to_owned(),
                position_length: 1,
            })
            .collect();
        Tokens { tokens, next: 0 }
    }
}

/// The tokens of a query word as jieba cuts it by default (no search-mode sub-words), in order, without
/// punctuation.
pub(crate) fn tokens(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    JiebaTokenizer::with_search_mode(false).token_stream(word).process(&mut |t| {
        if is_word(&t.text) {
            out.push(t.text.clone());
        }
    });
    out
}

/// The pair terms of a word's tokens: each two neighbours joined.
pub(crate) fn pairs(tokens: &[String]) -> Vec<String> {
    tokens.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect()
}

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

/// One word: in the title (weighed [`TITLE_BOOST`] times) or in the body; a word of one token as its term, a
/// longer one as all its pairs. `None` for a word without any word token.
pub(crate) fn word_query(f: &Fields, word: &str) -> Option<Box<dyn Query>> {
    let tokens = tokens(word);
    let (title, body): (Box<dyn Query>, Box<dyn Query>) = match &tokens[..] {
        [] => return None,
        [one] => (term(f.title, one), term(f.body, one)),
        _ => {
            let all = |field| -> Box<dyn Query> {
                let pairs = pairs(&tokens);
                match &pairs[..] {
                    [one] => term(field, one),
                    _ => Box::new(BooleanQuery::new(pairs.iter().map(|p| (Occur::Must, term(field, p))).collect())),
                }
            };
            (all(f.title_pairs), all(f.body_pairs))
        }
    };
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(BoostQuery::new(title, TITLE_BOOST))),
        (Occur::Should, body),
    ])))
}

/// The query of plain words (all must match), and the tokens the snippets mark (each word's tokens). `None`
/// when no word has a word token.
pub(crate) fn words_query(f: &Fields, words: &[&str]) -> Option<(Box<dyn Query>, Vec<String>)> {
    let mut each: Vec<Box<dyn Query>> = words.iter().filter_map(|w| word_query(f, w)).collect();
    let query: Box<dyn Query> = match each.len() {
        0 => return None,
        1 => each.pop().expect("one word"),
        _ => Box::new(BooleanQuery::new(each.into_iter().map(|q| (Occur::Must, q)).collect())),
    };
    let mut marked: Vec<String> = words.iter().flat_map(|w| tokens(w)).collect();
    marked.sort_unstable();
    marked.dedup();
    Some((query, marked))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair_texts(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        PairTokenizer.token_stream(text).process(&mut |t| out.push(t.text.clone()));
        out
    }

    #[test]
    fn pairs_span_two_adjacent_tokens_and_skip_punctuation() {
        let p = pair_texts("推进政府信息公开，加强安全生产。");
        for want in ["政府信息", "信息公开", "安全生产"] {
            assert!(p.iter().any(|t| t == want), "{want} in {p:?}");
        }
        // Across the comma there is no pair.
        assert!(!p.iter().any(|t| t.contains('，') || t == "公开加强"), "{p:?}");
        // Each pair is the text between its offsets.
        let text = "义务教育招生工作";
        let mut ok = true;
        PairTokenizer.token_stream(text).process(&mut |t| ok &= text[t.offset_from..t.offset_to] == t.text);
        assert!(ok);
        assert!(pair_texts(text).iter().any(|t| t == "义务教育招生"), "{:?}", pair_texts(text));
    }

    #[test]
    fn a_query_word_is_cut_coarsely_and_paired() {
        let t = tokens("政府信息公开");
        assert!(t.len() >= 2, "{t:?}");
        assert_eq!(t.concat(), "政府信息公开");
        let p = pairs(&t);
        assert_eq!(p.len(), t.len() - 1);
        // Every pair of the query word is among the document's pairs where the word is written.
        let doc = pair_texts("各单位要做好政府信息公开工作");
        for pair in &p {
            assert!(doc.contains(pair), "{pair} in {doc:?}");
        }
        assert_eq!(tokens("，。"), Vec::<String>::new());
    }
}
