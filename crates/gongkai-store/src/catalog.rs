//! The disclosure catalog: columns (栏目) per agency, catalog entries (公开目录条目) and 索引号 sequences.
//! Every read of tenant data takes the agency id.

use crate::{Db, Result, StoreError, Tx};
use gongkai_domain::catalog::{ColumnSeed, DocClass, EntryStatus, Validity};
use time::{Date, OffsetDateTime};

/// A column of one agency.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Column {
    pub id: i64,
    pub agency_id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
    /// Expected update interval in days.
    pub update_days: i64,
    pub sort_order: i64,
}

const COLUMN_COLS: &str = "id, agency_id, slug, name, parent_id, update_days, sort_order";

/// Creates the columns of `seeds` the agency does not have yet (by slug); returns how many were created.
pub async fn seed_columns(tx: &mut Tx, agency_id: i64, seeds: &[ColumnSeed]) -> Result<usize> {
    let mut created = 0;
    for (i, s) in seeds.iter().enumerate() {
        let parent_id: Option<i64> = match s.parent {
            Some(p) => on_tx!(tx, c => sqlx::query_scalar(
                "SELECT id FROM catalog_columns WHERE agency_id = $1 AND slug = $2",
            )
            .bind(agency_id)
            .bind(p)
            .fetch_optional(c)
            .await?),
            None => None,
        };
        let n = on_tx!(tx, c => sqlx::query(
            "INSERT INTO catalog_columns (agency_id, slug, name, parent_id, update_days, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, slug) DO NOTHING",
        )
        .bind(agency_id)
        .bind(s.slug)
        .bind(s.name)
        .bind(parent_id)
        .bind(i64::from(s.update_days))
        .bind(i as i64)
        .execute(c)
        .await?
        .rows_affected());
        created += n as usize;
    }
    Ok(created)
}

/// The agency's columns, parents before children, in seed order.
pub async fn columns(db: &Db, agency_id: i64) -> Result<Vec<Column>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMN_COLS} FROM catalog_columns WHERE agency_id = $1 ORDER BY sort_order, id"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?))
}

pub async fn column_by_slug(db: &Db, agency_id: i64, slug: &str) -> Result<Option<Column>> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMN_COLS} FROM catalog_columns WHERE agency_id = $1 AND slug = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(slug).fetch_optional(p).await?))
}

pub async fn column_by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Column>> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMN_COLS} FROM catalog_columns WHERE agency_id = $1 AND id = $2"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(id).fetch_optional(p).await?))
}

/// The checked, editable fields of an entry (the service parses and sanitises user input into this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields {
    pub column_id: i64,
    pub title: String,
    /// 文号, empty when the item has none.
    pub doc_no: String,
    /// 发布机构
    pub publisher: String,
    /// 联合发文机构, comma-separated.
    pub joint_publishers: String,
    pub doc_class: DocClass,
    pub validity: Option<Validity>,
    /// 成文日期
    pub written_on: Option<Date>,
    /// 实施日期
    pub effective_on: Option<Date>,
    /// 废止/失效日期
    pub expires_on: Option<Date>,
    /// 形成/变更日期 (条例 Art. 26 counts 20 working days from it)
    pub formed_on: Option<Date>,
    /// 主题分类, two levels separated by `\`
    pub topic: String,
    /// 体裁分类 (通知/决定/意见/办法/公告…)
    pub genre: String,
    pub keywords: String,
    /// 内容概述
    pub summary: String,
    /// 公开属性
    pub disclosure: String,
    /// 正文, already sanitised.
    pub body_html: String,
}

/// A catalog entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub agency_id: i64,
    pub status: EntryStatus,
    /// 索引号, assigned at first publication and kept for good.
    pub index_no: Option<String>,
    pub fields: EntryFields,
    /// The act that repealed this one (已废止).
    pub repealed_by: Option<i64>,
    /// For a 政策解读: the policy it interprets.
    pub interprets: Option<i64>,
    pub created_by: Option<i64>,
    /// 保密审查: who reviewed, when, with what note.
    pub reviewer_id: Option<i64>,
    pub reviewed_at: Option<OffsetDateTime>,
    pub review_note: String,
    /// Review levels passed so far in the current round (三审: editor → department head → office head).
    pub approvals: i64,
    pub published_at: Option<OffsetDateTime>,
    pub unpublish_reason: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    agency_id: i64,
    column_id: i64,
    status: String,
    title: String,
    index_no: Option<String>,
    doc_no: String,
    publisher: String,
    joint_publishers: String,
    doc_class: String,
    validity: Option<String>,
    written_on: Option<Date>,
    effective_on: Option<Date>,
    expires_on: Option<Date>,
    formed_on: Option<Date>,
    topic: String,
    genre: String,
    keywords: String,
    summary: String,
    disclosure: String,
    body_html: String,
    repealed_by: Option<i64>,
    interprets: Option<i64>,
    created_by: Option<i64>,
    reviewer_id: Option<i64>,
    reviewed_at: Option<OffsetDateTime>,
    review_note: String,
    approvals: i64,
    published_at: Option<OffsetDateTime>,
    unpublish_reason: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const ENTRY_COLS: &str = "id, agency_id, column_id, status, title, index_no, doc_no, publisher, joint_publishers, \
    doc_class, validity, written_on, effective_on, expires_on, formed_on, topic, genre, keywords, summary, \
    disclosure, body_html, repealed_by, interprets, created_by, reviewer_id, reviewed_at, review_note, approvals, published_at, \
    unpublish_reason, created_at, updated_at";

fn enc(e: gongkai_domain::agency::Invalid) -> StoreError {
    StoreError::Encoding(e.0)
}

impl TryFrom<Row> for Entry {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Entry> {
        Ok(Entry {
            id: r.id,
            agency_id: r.agency_id,
            status: EntryStatus::parse(&r.status).map_err(enc)?,
            index_no: r.index_no,
            fields: EntryFields {
                column_id: r.column_id,
                title: r.title,
                doc_no: r.doc_no,
                publisher: r.publisher,
                joint_publishers: r.joint_publishers,
                doc_class: DocClass::parse(&r.doc_class).map_err(enc)?,
                validity: r.validity.as_deref().map(Validity::parse).transpose().map_err(enc)?,
                written_on: r.written_on,
                effective_on: r.effective_on,
                expires_on: r.expires_on,
                formed_on: r.formed_on,
                topic: r.topic,
                genre: r.genre,
                keywords: r.keywords,
                summary: r.summary,
                disclosure: r.disclosure,
                body_html: r.body_html,
            },
            repealed_by: r.repealed_by,
            interprets: r.interprets,
            created_by: r.created_by,
            reviewer_id: r.reviewer_id,
            reviewed_at: r.reviewed_at,
            review_note: r.review_note,
            approvals: r.approvals,
            published_at: r.published_at,
            unpublish_reason: r.unpublish_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Creates a draft.
pub async fn create(tx: &mut Tx, agency_id: i64, f: &EntryFields, created_by: Option<i64>) -> Result<Entry> {
    let now = crate::now();
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO catalog_entries (agency_id, column_id, status, title, doc_no, publisher, joint_publishers, \
         doc_class, validity, written_on, effective_on, expires_on, formed_on, topic, genre, keywords, summary, \
         disclosure, body_html, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $20) RETURNING {ENTRY_COLS}"
    ));
    let row: Row = on_tx!(tx, c => sqlx::query_as(sql)
        .bind(agency_id)
        .bind(f.column_id)
        .bind(&f.title)
        .bind(&f.doc_no)
        .bind(&f.publisher)
        .bind(&f.joint_publishers)
        .bind(f.doc_class.as_str())
        .bind(f.validity.map(Validity::as_str))
        .bind(f.written_on)
        .bind(f.effective_on)
        .bind(f.expires_on)
        .bind(f.formed_on)
        .bind(&f.topic)
        .bind(&f.genre)
        .bind(&f.keywords)
        .bind(&f.summary)
        .bind(&f.disclosure)
        .bind(&f.body_html)
        .bind(created_by)
        .bind(now)
        .fetch_one(c)
        .await?);
    row.try_into()
}

/// Replaces the editable fields and sets the status to `status`, provided it is still in the status it was read in.
pub async fn update(tx: &mut Tx, e: &Entry, f: &EntryFields, status: EntryStatus) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET column_id = $3, title = $4, doc_no = $5, publisher = $6, joint_publishers = $7, \
         doc_class = $8, validity = $9, written_on = $10, effective_on = $11, expires_on = $12, formed_on = $13, \
         topic = $14, genre = $15, keywords = $16, summary = $17, disclosure = $18, body_html = $19, \
         status = $20, updated_at = $21, approvals = 0 WHERE id = $1 AND status = $2",
    )
    .bind(e.id)
    .bind(e.status.as_str())
    .bind(f.column_id)
    .bind(&f.title)
    .bind(&f.doc_no)
    .bind(&f.publisher)
    .bind(&f.joint_publishers)
    .bind(f.doc_class.as_str())
    .bind(f.validity.map(Validity::as_str))
    .bind(f.written_on)
    .bind(f.effective_on)
    .bind(f.expires_on)
    .bind(f.formed_on)
    .bind(&f.topic)
    .bind(&f.genre)
    .bind(&f.keywords)
    .bind(&f.summary)
    .bind(&f.disclosure)
    .bind(&f.body_html)
    .bind(status.as_str())
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

fn changed(n: u64) -> Result<()> {
    if n == 1 { Ok(()) } else { Err(StoreError::Conflict("条目状态已被他人改变".into())) }
}

/// Moves the entry from `from` to `to` (guarded: fails with `Conflict` when someone else moved it first).
/// Going back to draft starts the review over.
pub async fn set_status(tx: &mut Tx, id: i64, from: EntryStatus, to: EntryStatus) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET status = $3, updated_at = $4, \
         approvals = CASE WHEN $3 = 'draft' THEN 0 ELSE approvals END WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// Records one level of review (保密审查: reviewer, time, note); the entry becomes reviewed once `levels`
/// approvals are in, and stays submitted for the next level before that.
pub async fn mark_reviewed(tx: &mut Tx, id: i64, reviewer_id: i64, note: &str) -> Result<()> {
    record_approval(tx, id, reviewer_id, note, 1).await
}

pub async fn record_approval(tx: &mut Tx, id: i64, reviewer_id: i64, note: &str, levels: i64) -> Result<()> {
    let now = crate::now();
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET approvals = approvals + 1, \
         status = CASE WHEN approvals + 1 >= $5 THEN 'reviewed' ELSE 'submitted' END, \
         reviewer_id = $2, reviewed_at = $3, review_note = $4, updated_at = $3 WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(reviewer_id)
    .bind(now)
    .bind(note)
    .bind(levels)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// Publishes a reviewed entry at `at`, giving it `index_no` unless it already has one (numbers are kept).
pub async fn mark_published(tx: &mut Tx, id: i64, index_no: Option<&str>, at: OffsetDateTime) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET status = 'published', index_no = COALESCE(index_no, $2), published_at = $3, \
         unpublish_reason = '', updated_at = $4 WHERE id = $1 AND status = 'reviewed'",
    )
    .bind(id)
    .bind(index_no)
    .bind(at)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

pub async fn mark_unpublished(tx: &mut Tx, id: i64, reason: &str) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET status = 'unpublished', unpublish_reason = $2, updated_at = $3 \
         WHERE id = $1 AND status = 'published'",
    )
    .bind(id)
    .bind(reason)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// Marks a normative document repealed by (or amended by) another entry of the platform.
pub async fn set_validity(tx: &mut Tx, id: i64, validity: Validity, by: Option<i64>) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE catalog_entries SET validity = $2, repealed_by = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(validity.as_str())
    .bind(by)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// The next 索引号 sequence number of an agency in a year. Counters only grow, so a number is never reused,
/// even when an entry is unpublished.
pub async fn next_seq(tx: &mut Tx, agency_id: i64, year: i32) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO index_sequences (agency_id, year, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (agency_id, year) DO UPDATE SET last_seq = index_sequences.last_seq + 1 RETURNING last_seq",
    )
    .bind(agency_id)
    .bind(i64::from(year))
    .fetch_one(c)
    .await?))
}

/// One entry of an agency, in any status.
pub async fn by_id(db: &Db, agency_id: i64, id: i64) -> Result<Option<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ENTRY_COLS} FROM catalog_entries WHERE agency_id = $1 AND id = $2"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(id).fetch_optional(p).await?);
    row.map(Entry::try_from).transpose()
}

/// One entry by id alone, for the search indexer (which works across agencies).
pub async fn by_id_any_agency(db: &Db, id: i64) -> Result<Option<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ENTRY_COLS} FROM catalog_entries WHERE id = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?);
    row.map(Entry::try_from).transpose()
}

/// The agency's entries in every status, most recently changed first (console).
pub async fn for_console(db: &Db, agency_id: i64, limit: i64, offset: i64) -> Result<Vec<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries WHERE agency_id = $1 ORDER BY updated_at DESC, id DESC \
         LIMIT $2 OFFSET $3"
    ));
    let rows: Vec<Row> =
        on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(limit).bind(offset).fetch_all(p).await?);
    rows.into_iter().map(Entry::try_from).collect()
}

/// Published entries of a column, newest first, with the total for paging.
pub async fn published_in_column(
    db: &Db,
    agency_id: i64,
    column_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Entry>, i64)> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries WHERE agency_id = $1 AND column_id = $2 AND status = 'published' \
         ORDER BY published_at DESC, id DESC LIMIT $3 OFFSET $4"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql)
        .bind(agency_id)
        .bind(column_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await?);
    let total: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM catalog_entries WHERE agency_id = $1 AND column_id = $2 AND status = 'published'",
    )
    .bind(agency_id)
    .bind(column_id)
    .fetch_one(p)
    .await?);
    Ok((rows.into_iter().map(Entry::try_from).collect::<Result<_>>()?, total))
}

/// The `per` newest published entries of each column of the agency (agency home page).
pub async fn latest_per_column(db: &Db, agency_id: i64, per: i64) -> Result<Vec<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY column_id \
         ORDER BY published_at DESC, id DESC) AS rn FROM catalog_entries \
         WHERE agency_id = $1 AND status = 'published') t WHERE rn <= $2 ORDER BY column_id, published_at DESC, id DESC"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(per).fetch_all(p).await?);
    rows.into_iter().map(Entry::try_from).collect()
}

/// Ids of every published entry on the platform (for rebuilding the search index).
pub async fn published_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT id FROM catalog_entries WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(p)
    .await?))
}

/// Published entries of every agency with an id above `after_id`, by id, at most `limit` (a whole index rebuilt
/// page by page, never all entries in memory at once).
pub async fn published_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).bind(after_id).bind(limit).fetch_all(p).await?);
    rows.into_iter().map(Entry::try_from).collect()
}

/// Number of published entries of every agency (the progress of an index rebuild).
pub async fn count_all_published(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM catalog_entries WHERE status = 'published'")
        .fetch_one(p)
        .await?))
}

/// Number of published entries of an agency (demo loading, statistics).
pub async fn count_published(db: &Db, agency_id: i64) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM catalog_entries WHERE agency_id = $1 AND status = 'published'",
    )
    .bind(agency_id)
    .fetch_one(p)
    .await?))
}

/// Published 规章 and 规范性文件 (the library), optionally of one agency, written in one year, with 文号 containing
/// a text (Latin letters in any case, on both backends); newest first. Validity over time is computed by the caller
/// (`Validity::on`).
pub async fn published_normative(
    db: &Db,
    agency_id: Option<i64>,
    year: Option<i32>,
    doc_no_contains: &str,
) -> Result<Vec<Entry>> {
    let (from, to) =
        match year.and_then(|y| Some((Date::from_ordinal_date(y, 1).ok()?, Date::from_ordinal_date(y + 1, 1).ok()?))) {
            Some(r) => r,
            // Bounds both backends store (PostgreSQL dates start in 4713 BC).
            None => (time::macros::date!(1900 - 01 - 01), time::macros::date!(9999 - 12 - 31)),
        };
    let pattern = format!("%{}%", doc_no_contains.replace(['%', '_'], ""));
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries WHERE status = 'published' AND doc_class <> 'ordinary' \
         AND ($1 = 0 OR agency_id = $1) AND (written_on IS NULL OR (written_on >= $2 AND written_on < $3)) \
         AND lower(doc_no) LIKE lower($4) ORDER BY written_on DESC, id DESC LIMIT 2000"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql)
        .bind(agency_id.unwrap_or(0))
        .bind(from)
        .bind(to)
        .bind(&pattern)
        .fetch_all(p)
        .await?);
    rows.into_iter().map(Entry::try_from).collect()
}

/// Where every published entry lives on the portal, for the sitemap: (agency code, column slug, id, last change).
pub async fn published_locations(db: &Db, limit: i64) -> Result<Vec<(String, String, i64, OffsetDateTime)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT a.code, c.slug, e.id, e.updated_at FROM catalog_entries e \
         JOIN agencies a ON a.id = e.agency_id JOIN catalog_columns c ON c.id = e.column_id \
         WHERE e.status = 'published' ORDER BY e.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(p)
    .await?))
}

/// An attachment (附件) of an entry; its bytes are in the file store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub entry_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: OffsetDateTime,
}

pub async fn add_attachment(
    tx: &mut Tx,
    entry_id: i64,
    file_name: &str,
    content_type: &str,
    size: i64,
    sha256: &str,
) -> Result<Attachment> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "INSERT INTO catalog_attachments (entry_id, file_name, content_type, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, entry_id, file_name, content_type, size, sha256, created_at",
    )
    .bind(entry_id)
    .bind(file_name)
    .bind(content_type)
    .bind(size)
    .bind(sha256)
    .bind(crate::now())
    .fetch_one(c)
    .await?))
}

/// The attachments of an entry, in upload order.
pub async fn attachments(db: &Db, entry_id: i64) -> Result<Vec<Attachment>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT id, entry_id, file_name, content_type, size, sha256, created_at FROM catalog_attachments \
         WHERE entry_id = $1 ORDER BY id",
    )
    .bind(entry_id)
    .fetch_all(p)
    .await?))
}

/// Links a 政策解读 to the policy it interprets (or unlinks it with `None`).
pub async fn set_interprets(tx: &mut Tx, id: i64, policy: Option<i64>) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE catalog_entries SET interprets = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(policy)
        .bind(crate::now())
        .execute(c)
        .await?
        .rows_affected());
    changed(n)
}

/// Published interpretations of a policy.
pub async fn interpretations_of(db: &Db, policy: i64) -> Result<Vec<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries WHERE interprets = $1 AND status = 'published' ORDER BY id"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).bind(policy).fetch_all(p).await?);
    rows.into_iter().map(Entry::try_from).collect()
}

/// Published policies of an agency (its 规章, 规范性文件 and the items of its 政策文件 column) that no
/// published interpretation points to yet.
pub async fn policies_lacking_interpretation(db: &Db, agency_id: i64) -> Result<Vec<Entry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLS} FROM catalog_entries e WHERE e.agency_id = $1 AND e.status = 'published' \
         AND (e.doc_class <> 'ordinary' OR e.column_id IN \
              (SELECT id FROM catalog_columns WHERE agency_id = $1 AND slug = 'zcwj')) \
         AND NOT EXISTS (SELECT 1 FROM catalog_entries i WHERE i.interprets = e.id AND i.status = 'published') \
         ORDER BY e.published_at DESC, e.id DESC"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?);
    rows.into_iter().map(Entry::try_from).collect()
}
