//! The index schema, and what happens to an index written with another one.
//!
//! An index directory holds [`VERSION_FILE`] with [`SCHEMA_VERSION`]. When the version differs (or is missing,
//! as in indexes written before it existed) or the stored schema is not [`schema`]'s, the directory is emptied
//! and a new index is created: it has followed no change feed (`position()` is `None`), so the app's next sync
//! rebuilds it from the database, as it does for a new node.

use crate::facets::FACET_KEY;
use crate::words::PAIRS;
use crate::{Result, SearchError};
use std::path::Path;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

/// Bump whenever the schema or the way documents are analysed changes (a tokenizer, a field's content): an
/// index of another version is thrown away and rebuilt. 2: the facet combination as a fast field. 3: the fields
/// of adjacent-token pairs (`words`).
pub const SCHEMA_VERSION: u32 = 3;
/// The file in the index directory that holds the version the index was written with.
pub const VERSION_FILE: &str = "gongkai-schema-version";

pub(crate) const JIEBA: &str = "jieba";

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub agency_code: Field,
    pub agency_name: Field,
    pub facet_key: Field,
    pub column_slug: Field,
    pub column_name: Field,
    pub title: Field,
    pub body: Field,
    /// The title's and the body's adjacent-token pairs (`words`): indexed with frequencies, not stored.
    pub title_pairs: Field,
    pub body_pairs: Field,
    pub doc_no: Field,
    pub index_no: Field,
    pub genre: Field,
    pub topic: Field,
    pub validity: Field,
    pub year: Field,
    pub published: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(JIEBA)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let pairs = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(PAIRS).set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        agency_code: b.add_text_field("agency_code", STRING | STORED),
        agency_name: b.add_text_field("agency_name", STORED),
        // Agency, year, 体裁, 主题 and 有效性 in one fast (columnar) value: the facet counts over all matches, and
        // the filters, read it (see `facets`).
        facet_key: b.add_text_field(FACET_KEY, FAST),
        column_slug: b.add_text_field("column_slug", STORED),
        column_name: b.add_text_field("column_name", STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        title_pairs: b.add_text_field("title_pairs", pairs.clone()),
        body_pairs: b.add_text_field("body_pairs", pairs),
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

fn dir_error(dir: &Path, e: impl std::fmt::Display) -> SearchError {
    SearchError::Directory(format!("{}: {e}", dir.display()))
}

/// Opens the index in `dir`, or creates it; an index of another schema version is replaced by an empty one.
pub(crate) fn open_dir(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|e| dir_error(dir, e))?;
    let (schema, _) = schema();
    let mmap = MmapDirectory::open(dir).map_err(|e| dir_error(dir, e))?;
    let exists = Index::exists(&mmap).map_err(|e| dir_error(dir, e))?;
    let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
    let current = version.as_deref().map(str::trim) == Some(SCHEMA_VERSION.to_string().as_str());
    if exists {
        let old = Index::open(mmap.clone())?;
        if !current || old.schema() != schema {
            tracing::warn!(
                dir = %dir.display(),
                version = version.as_deref().map(str::trim).unwrap_or("none"),
                want = SCHEMA_VERSION,
                "search index written with another schema: emptied, to be rebuilt from the database"
            );
            // Taking the writer lock first makes sure no other process is using the index being thrown away.
            let writer = old.writer_with_num_threads::<TantivyDocument>(1, 15_000_000)?;
            drop(writer);
            drop(old);
            drop(mmap);
            empty_dir(dir)?;
            let mmap = MmapDirectory::open(dir).map_err(|e| dir_error(dir, e))?;
            return create(dir, mmap, schema);
        }
        return Ok(old);
    }
    create(dir, mmap, schema)
}

fn create(dir: &Path, mmap: MmapDirectory, schema: Schema) -> Result<Index> {
    let index = Index::create(mmap, schema, Default::default())?;
    // Written after the index: a crash in between leaves an index without a version, emptied again next time.
    std::fs::write(dir.join(VERSION_FILE), format!("{SCHEMA_VERSION}\n")).map_err(|e| dir_error(dir, e))?;
    Ok(index)
}

/// Removes everything in `dir` (a tantivy index directory is flat), keeping the directory itself.
fn empty_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| dir_error(dir, e))? {
        let path = entry.map_err(|e| dir_error(dir, e))?.path();
        let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        removed.map_err(|e| dir_error(&path, e))?;
    }
    Ok(())
}
