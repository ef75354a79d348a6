//! The working-day calendar as stored: one row per year of 国务院办公厅《关于Y年部分节假日安排的通知》
//! (the whole [`HolidayYear`] as JSON), with where it came from and who loaded it when.

use crate::{Actor, Db, Result, StoreError, Tx};
use gongkai_domain::calendar::HolidayYear;
use sqlx::types::Json;
use time::OffsetDateTime;

/// Where a stored year came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarSource {
    /// The data shipped with the program (2023–2026 at first).
    Seed,
    /// Imported by an administrator (console or command line).
    Import,
}

impl CalendarSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarSource::Seed => "seed",
            CalendarSource::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<CalendarSource> {
        match s {
            "seed" => Some(CalendarSource::Seed),
            "import" => Some(CalendarSource::Import),
            _ => None,
        }
    }

    /// 随程序提供 / 管理员导入
    pub fn label_zh(self) -> &'static str {
        match self {
            CalendarSource::Seed => "随程序提供",
            CalendarSource::Import => "管理员导入",
        }
    }
}

/// One stored year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredYear {
    pub data: HolidayYear,
    pub source: CalendarSource,
    pub loaded_at: OffsetDateTime,
    /// Label of who loaded it (username, `cli`, `system`).
    pub loaded_by: String,
}

impl StoredYear {
    pub fn year(&self) -> i32 {
        self.data.year
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    year: i32,
    data: Json<HolidayYear>,
    source: String,
    loaded_at: OffsetDateTime,
    loaded_by: String,
}

impl TryFrom<Row> for StoredYear {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<StoredYear> {
        let data = r.data.0;
        if data.year != r.year {
            return Err(StoreError::Encoding(format!("日历第{}年的数据标注为{}年", r.year, data.year)));
        }
        let source = CalendarSource::parse(&r.source)
            .ok_or_else(|| StoreError::Encoding(format!("未知的日历来源“{}”", r.source)))?;
        Ok(StoredYear { data, source, loaded_at: r.loaded_at, loaded_by: r.loaded_by })
    }
}

const COLUMNS: &str = "year, data, source, loaded_at, loaded_by";

/// Every stored year, oldest first.
pub async fn list(db: &Db) -> Result<Vec<StoredYear>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM calendar_years ORDER BY year"));
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    rows.into_iter().map(StoredYear::try_from).collect()
}

pub async fn get(db: &Db, year: i32) -> Result<Option<StoredYear>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM calendar_years WHERE year = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(year).fetch_optional(p).await?);
    row.map(StoredYear::try_from).transpose()
}

/// Inserts the year unless it is already stored (then nothing changes). Returns whether it was inserted.
pub async fn insert_if_absent(tx: &mut Tx, y: &HolidayYear, source: CalendarSource, by: &Actor) -> Result<bool> {
    let inserted: Option<i32> = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO calendar_years (year, notice_url, data, source, loaded_at, loaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (year) DO NOTHING RETURNING year",
    )
    .bind(y.year)
    .bind(&y.notice_url)
    .bind(Json(y))
    .bind(source.as_str())
    .bind(crate::now())
    .bind(by.label())
    .fetch_optional(c)
    .await?);
    Ok(inserted.is_some())
}

/// Stores the year, replacing what was stored for it; returns the replaced data (`None` if the year is new),
/// so that the caller can describe the change in the same transaction.
pub async fn upsert(tx: &mut Tx, y: &HolidayYear, source: CalendarSource, by: &Actor) -> Result<Option<HolidayYear>> {
    // Insert-or-nothing first: on PostgreSQL it waits for a concurrent insert of the same year, and on SQLite
    // it takes the write lock, so the previous data read below is the data this update replaces.
    if insert_if_absent(tx, y, source, by).await? {
        return Ok(None);
    }
    let lock = match tx {
        Tx::Sqlite(_) => "",
        Tx::Postgres(_) => " FOR UPDATE",
    };
    let sql = sqlx::AssertSqlSafe(format!("SELECT data FROM calendar_years WHERE year = $1{lock}"));
    let previous: Json<HolidayYear> = on_tx!(tx, c => sqlx::query_scalar(sql).bind(y.year).fetch_one(c).await?);
    on_tx!(tx, c => sqlx::query(
        "UPDATE calendar_years SET notice_url = $2, data = $3, source = $4, loaded_at = $5, loaded_by = $6 \
         WHERE year = $1",
    )
    .bind(y.year)
    .bind(&y.notice_url)
    .bind(Json(y))
    .bind(source.as_str())
    .bind(crate::now())
    .bind(by.label())
    .execute(c)
    .await?
    .rows_affected());
    Ok(Some(previous.0))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM calendar_years").fetch_one(p).await?))
}
