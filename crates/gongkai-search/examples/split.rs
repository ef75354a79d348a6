// Throwaway experiment (not committed): cost split of heavy queries.
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::*;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Term};

fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let index = Index::open_in_dir(&dir).unwrap();
    index.tokenizers().register("jieba", tantivy_jieba::JiebaTokenizer::new());
    let reader = index.reader().unwrap();
    let s = reader.searcher();
    println!("segments: {}", s.segment_readers().len());
    let schema = index.schema();
    let title = schema.get_field("title").unwrap();
    let body = schema.get_field("body").unwrap();
    for text in std::env::args().skip(2) {
        let mut parser = QueryParser::for_index(&index, vec![title, body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(title, 3.0);
        let (q, _) = parser.parse_query_lenient(&text);
        println!("{text}: {q:?}");
        let flat: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(Term::from_field_text(title, &text), IndexRecordOption::WithFreqs)),
                    3.0,
                )) as Box<dyn Query>,
            ),
            (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(body, &text), IndexRecordOption::WithFreqs))),
        ]));
        for (name, q) in [("parsed", q.box_clone()), ("flat", flat)] {
            let t = |label: &str, f: &dyn Fn() -> usize| {
                let _ = f();
                let st = Instant::now();
                let mut n = 0;
                for _ in 0..5 {
                    n = f();
                }
                println!("  {name} {label}: {:.2} ms ({n})", st.elapsed().as_secs_f64() * 200.0);
            };
            t("count", &|| s.search(&*q, &Count).unwrap());
            t("top10", &|| s.search(&*q, &TopDocs::with_limit(10).order_by_score()).unwrap().len());
            t("top10+count", &|| s.search(&*q, &(TopDocs::with_limit(10).order_by_score(), Count)).unwrap().1);
        }
    }
}
