//! 年度报告: the yearly figures entered by staff (they come from systems outside the platform) and the report of
//! each (agency, year): narrative, workflow status, comments of the 主管部门 and the frozen report once submitted.

use crate::{Actor, Db, Result, StoreError, Tx};
use gongkai_domain::annual_report::{AnnualReport, from_json, to_json};
use serde_json::Value;
use sqlx::types::Json;
use time::OffsetDateTime;

/// One entered figure, with who entered it when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Figure {
    pub agency_id: i64,
    pub year: i32,
    #[sqlx(rename = "figure_key")]
    pub key: String,
    /// A non-negative decimal as typed (`3100`, `12.5`); checked by the app.
    pub value: String,
    pub entered_by: Option<i64>,
    pub entered_by_label: String,
    pub entered_at: OffsetDateTime,
}

const FIGURE_COLS: &str = "agency_id, year, figure_key, value, entered_by, entered_by_label, entered_at";

/// Sets (or replaces) a figure, in the caller's transaction; returns the previous value.
pub async fn set_figure(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
    key: &str,
    value: &str,
    by: &Actor,
) -> Result<Option<String>> {
    let previous: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT value FROM report_figures WHERE agency_id = $1 AND year = $2 AND figure_key = $3",
    )
    .bind(agency_id)
    .bind(year)
    .bind(key)
    .fetch_optional(c)
    .await?);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO report_figures (agency_id, year, figure_key, value, entered_by, entered_by_label, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agency_id, year, figure_key) DO UPDATE SET \
         value = excluded.value, entered_by = excluded.entered_by, entered_by_label = excluded.entered_by_label, \
         entered_at = excluded.entered_at",
    )
    .bind(agency_id)
    .bind(year)
    .bind(key)
    .bind(value)
    .bind(by.id())
    .bind(by.label())
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    Ok(previous)
}

/// The figures of an agency for a year, by key.
pub async fn figures(db: &Db, agency_id: i64, year: i32) -> Result<Vec<Figure>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {FIGURE_COLS} FROM report_figures WHERE agency_id = $1 AND year = $2 ORDER BY figure_key"
    ));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(year).fetch_all(p).await?))
}

/// Years for which an agency has entered figures.
pub async fn figure_years(db: &Db, agency_id: i64) -> Result<Vec<i32>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT DISTINCT year FROM report_figures WHERE agency_id = $1 ORDER BY year",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?))
}

/// Workflow status of a report (the app decides the transitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// 草稿
    Draft,
    /// 已报送主管部门
    Submitted,
    /// 已退回修改
    Returned,
    /// 主管部门已审核通过
    Approved,
    /// 已发布 (frozen)
    Published,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 5] = [Self::Draft, Self::Submitted, Self::Returned, Self::Approved, Self::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "已报送主管部门",
            Self::Returned => "已退回修改",
            Self::Approved => "主管部门已审核通过",
            Self::Published => "已发布",
        }
    }

    /// Whether the narrative and the figures may still be changed.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A stored report of one agency and year.
#[derive(Debug, Clone)]
pub struct ReportRecord {
    pub id: i64,
    pub agency_id: i64,
    pub year: i32,
    pub status: ReportStatus,
    /// Narrative 一, 五, 六 as edited (may hold `{placeholders}` filled from the figures).
    pub section_one: String,
    pub section_five: String,
    pub section_six: String,
    /// The 主管部门's comments when returning (or approving).
    pub comments: String,
    /// The report as submitted; published reports show this and nothing else. Stored as the
    /// `gongkai.annual-report/v1` JSON of docs/law/report-json.md, so a change of the Rust model cannot break it.
    pub snapshot: Option<AnnualReport>,
    /// The catalog entry (公开年报) it was published as.
    pub entry_id: Option<i64>,
    pub submitted_at: Option<OffsetDateTime>,
    pub decided_at: Option<OffsetDateTime>,
    pub published_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

type Row = (
    i64,
    i64,
    i32,
    String,
    String,
    String,
    String,
    String,
    Option<Json<Value>>,
    Option<i64>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    OffsetDateTime,
    OffsetDateTime,
);

const REPORT_COLS: &str = "id, agency_id, year, status, section_one, section_five, section_six, comments, snapshot, \
    entry_id, submitted_at, decided_at, published_at, created_at, updated_at";

fn record(r: Row) -> Result<ReportRecord> {
    let (id, agency_id, year, status, one, five, six, comments, snapshot, entry_id, sub, dec, publ, created, updated) =
        r;
    Ok(ReportRecord {
        id,
        agency_id,
        year,
        status: ReportStatus::parse(&status)
            .ok_or_else(|| StoreError::Encoding(format!("未知的年度报告状态“{status}”")))?,
        section_one: one,
        section_five: five,
        section_six: six,
        comments,
        snapshot: snapshot.map(|j| decode_snapshot(id, &j.0)).transpose()?,
        entry_id,
        submitted_at: sub,
        decided_at: dec,
        published_at: publ,
        created_at: created,
        updated_at: updated,
    })
}

/// A frozen report as stored: the v1 JSON (without findings: they are recomputed when read).
pub fn encode_snapshot(report: &AnnualReport) -> Value {
    to_json(report, &[])
}

/// Reads a stored snapshot (the v1 JSON); anything else is an `Encoding` error naming the report.
pub fn decode_snapshot(id: i64, v: &Value) -> Result<AnnualReport> {
    let bad = |e: String| StoreError::Encoding(format!("年度报告（编号{id}）的冻结版本无法读取：{e}"));
    from_json(v).map(|(r, _)| r).map_err(|e| bad(e.to_string()))
}

/// The report of an agency for a year, if one was started.
pub async fn get(db: &Db, agency_id: i64, year: i32) -> Result<Option<ReportRecord>> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {REPORT_COLS} FROM annual_reports WHERE agency_id = $1 AND year = $2"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).bind(year).fetch_optional(p).await?);
    row.map(record).transpose()
}

/// The report published as catalog entry `entry_id`, if any.
pub async fn by_entry(db: &Db, entry_id: i64) -> Result<Option<ReportRecord>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {REPORT_COLS} FROM annual_reports WHERE entry_id = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(entry_id).fetch_optional(p).await?);
    row.map(record).transpose()
}

/// Every stored report of an agency, newest year first.
pub async fn of_agency(db: &Db, agency_id: i64) -> Result<Vec<ReportRecord>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLS} FROM annual_reports WHERE agency_id = $1 ORDER BY year DESC"
    ));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).bind(agency_id).fetch_all(p).await?);
    rows.into_iter().map(record).collect()
}

/// Creates the draft of (agency, year) with its starting narrative, in the caller's transaction.
pub async fn create(tx: &mut Tx, agency_id: i64, year: i32, one: &str, five: &str, six: &str) -> Result<i64> {
    let now = crate::now();
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO annual_reports (agency_id, year, status, section_one, section_five, section_six, comments, \
         created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, '', $6, $6) RETURNING id",
    )
    .bind(agency_id)
    .bind(year)
    .bind(one)
    .bind(five)
    .bind(six)
    .bind(now)
    .fetch_one(c)
    .await?))
}

fn changed(n: u64) -> Result<()> {
    if n == 1 { Ok(()) } else { Err(StoreError::Conflict("年度报告已被他人更新".into())) }
}

/// Saves the narrative, guarded by the status it was read in.
pub async fn save_sections(tx: &mut Tx, id: i64, from: ReportStatus, one: &str, five: &str, six: &str) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE annual_reports SET section_one = $3, section_five = $4, section_six = $5, updated_at = $6 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(one)
    .bind(five)
    .bind(six)
    .bind(crate::now())
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}

/// What a workflow step writes besides the status.
#[derive(Debug, Clone, Default)]
pub struct Step<'a> {
    /// Replaces the comments when set.
    pub comments: Option<&'a str>,
    /// Replaces the frozen report when set.
    pub snapshot: Option<&'a AnnualReport>,
    pub entry_id: Option<i64>,
    pub submitted: bool,
    pub decided: bool,
    pub published: bool,
}

/// Moves a report from `from` to `to` (guarded by `from`, so two people acting at once cannot both win).
pub async fn transition(tx: &mut Tx, id: i64, from: ReportStatus, to: ReportStatus, s: &Step<'_>) -> Result<()> {
    let now = crate::now();
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE annual_reports SET status = $3, comments = COALESCE($4, comments), \
         snapshot = COALESCE($5, snapshot), entry_id = COALESCE($6, entry_id), \
         submitted_at = CASE WHEN $7 THEN $10 ELSE submitted_at END, \
         decided_at = CASE WHEN $8 THEN $10 ELSE decided_at END, \
         published_at = CASE WHEN $9 THEN $10 ELSE published_at END, updated_at = $10 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(s.comments)
    .bind(s.snapshot.map(|r| Json(encode_snapshot(r))))
    .bind(s.entry_id)
    .bind(s.submitted)
    .bind(s.decided)
    .bind(s.published)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    changed(n)
}
