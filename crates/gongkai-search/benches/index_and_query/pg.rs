//! The PostgreSQL anchor's input: the documents as a tab-separated file for `\copy docs FROM` (text format) and
//! the same queries as SQL for `psql` with `\timing` (see `bench/search.sh`, which loads, indexes and times them).
//!
//! Each query is one statement: every word of the query (split on spaces, as the query parser does) must be in
//! the title or the body (`ILIKE '%word%'`, which a trigram index can serve), or the whole text is the 文号 or
//! the 索引号; the agency and year filters as equalities; the exact number of matches and the ten newest.
//! Columns: id, agency_code, year, genre, title, body, doc_no, index_no.

use gongkai_search::{SearchDoc, SearchQuery};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct Writer {
    tsv: BufWriter<File>,
    sql: PathBuf,
}

/// A value in COPY's text format.
fn field(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A LIKE pattern that finds `s` anywhere (`%`, `_` and `\` in `s` taken literally).
fn contains(s: &str) -> String {
    literal(&format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
}

impl Writer {
    pub fn create(dir: &Path, corpus: &str, n: u64) -> Self {
        std::fs::create_dir_all(dir).expect("BENCH_PG_DIR");
        let tsv = File::create(dir.join(format!("{corpus}-{n}.tsv"))).expect("BENCH_PG_DIR");
        Self { tsv: BufWriter::new(tsv), sql: dir.join(format!("{corpus}-{n}.sql")) }
    }

    pub fn doc(&mut self, d: &SearchDoc) {
        let row = [
            d.id.to_string(),
            field(&d.agency_code),
            d.year.to_string(),
            field(&d.genre),
            field(&d.title),
            field(&d.body_text),
            field(&d.doc_no),
            field(&d.index_no),
        ];
        writeln!(self.tsv, "{}", row.join("\t")).expect("write tsv");
    }

    pub fn finish(mut self, queries: &[SearchQuery]) {
        self.tsv.flush().expect("write tsv");
        let mut sql = String::from("\\pset pager off\n\\o /dev/null\n\\timing on\n");
        for q in queries {
            let text = q.text.trim();
            let words: Vec<String> = text
                .split_whitespace()
                .map(|w| format!("(title ILIKE {p} OR body ILIKE {p})", p = contains(w)))
                .collect();
            let mut filter =
                format!("(({}) OR doc_no = {t} OR index_no = {t})", words.join(" AND "), t = literal(text));
            if let Some(a) = &q.agency {
                filter.push_str(&format!(" AND agency_code = {}", literal(a)));
            }
            if let Some(y) = q.year {
                filter.push_str(&format!(" AND year = {y}"));
            }
            sql.push_str(&format!(
                "SELECT id, title, count(*) OVER () AS total FROM docs WHERE {filter} ORDER BY id DESC LIMIT {};\n",
                q.limit
            ));
        }
        std::fs::write(&self.sql, sql).expect("write sql");
    }
}
