//! The database side of `gongkai backup` / `gongkai restore`.
//!
//! SQLite: `VACUUM INTO` writes a consistent copy of the live database (other connections keep writing) and the
//! copy is restored as the data dir's database file. PostgreSQL: every table is dumped, one JSON object per row
//! (`row_to_json`), inside one `REPEATABLE READ, READ ONLY` transaction, so the dump is one snapshot; tables come
//! in foreign-key order (a table after the tables it references) so that the rows load as they are read. Loading
//! migrates an empty database to the dump's schema version, replaces the rows the migrations seeded, loads the
//! rows with `json_populate_recordset` and moves every identity sequence past the largest id.

use crate::{Db, Result, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The table of sqlx's migration bookkeeping: recreated by migrating, never dumped or compared.
pub const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Rows sent to PostgreSQL in one statement when loading.
const LOAD_BATCH: usize = 500;
/// Rows read from PostgreSQL in one query when dumping.
const DUMP_PAGE: i64 = 5000;

/// Statements built from table and column names read from the schema itself, each quoted by [`ident`].
fn safe(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The newest migration applied to the database (0 when none).
pub async fn schema_version(db: &Db) -> Result<i64> {
    let v: Option<i64> = on_db!(db, p => sqlx::query_scalar(
        "SELECT MAX(version) FROM _sqlx_migrations WHERE success"
    )
    .fetch_one(p)
    .await?);
    Ok(v.unwrap_or(0))
}

/// The newest migration this build knows.
pub fn latest_migration() -> i64 {
    Db::migration_versions().0.into_iter().max().unwrap_or(0)
}

/// The application's tables (without sqlx's bookkeeping), by name.
pub async fn tables(db: &Db) -> Result<Vec<String>> {
    let names: Vec<String> = match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(p)
            .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            )
            .fetch_all(p)
            .await?
        }
    };
    Ok(names.into_iter().filter(|n| n != MIGRATIONS_TABLE).collect())
}

/// Whether the database holds no table at all (a restore goes only into an empty database).
pub async fn is_empty(db: &Db) -> Result<bool> {
    let all: Vec<String> = match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .fetch_all(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(p)
            .await?
        }
    };
    Ok(all.is_empty())
}

/// The primary key columns of a table, in key order (empty when it has none).
async fn primary_key(db: &Db, table: &str) -> Result<Vec<String>> {
    Ok(match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk")
                .bind(table)
                .fetch_all(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT a.attname::text FROM pg_index i \
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                 WHERE i.indrelid = $1::regclass AND i.indisprimary \
                 ORDER BY array_position(i.indkey::int2[], a.attnum)",
            )
            .bind(ident(table))
            .fetch_all(p)
            .await?
        }
    })
}

async fn order_by(db: &Db, table: &str) -> Result<String> {
    let pk = primary_key(db, table).await?;
    Ok(if pk.is_empty() { "1".into() } else { pk.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ") })
}

/// Every row of every application table as text, tables by name and rows by primary key: what a restore must
/// reproduce exactly. SQLite rows are their columns' SQL literals (`quote()`), PostgreSQL rows `row_to_json`.
pub async fn table_rows(db: &Db) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for t in tables(db).await? {
        let order = order_by(db, &t).await?;
        let rows: Vec<String> = match db {
            Db::Sqlite(p) => {
                let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(&t)
                    .fetch_all(p)
                    .await?;
                let expr = cols.iter().map(|c| format!("quote({})", ident(c))).collect::<Vec<_>>().join(" || ',' || ");
                let order = if order == "1" { "rowid".into() } else { order };
                sqlx::query_scalar(safe(format!("SELECT {expr} FROM {} ORDER BY {order}", ident(&t))))
                    .fetch_all(p)
                    .await?
            }
            Db::Postgres(p) => {
                let order = if order == "1" { "row_to_json(t)::text".into() } else { order };
                sqlx::query_scalar(safe(format!("SELECT row_to_json(t)::text FROM {} t ORDER BY {order}", ident(&t))))
                    .fetch_all(p)
                    .await?
            }
        };
        out.insert(t, rows);
    }
    Ok(out)
}

/// SQLite: writes a consistent copy of the database to `dest` (which must not exist) while others may write.
pub async fn sqlite_snapshot(db: &Db, dest: &Path) -> Result<()> {
    let Db::Sqlite(p) = db else { return Err(StoreError::BadUrl("VACUUM INTO 仅适用于 SQLite".into())) };
    let dest = dest.to_str().ok_or_else(|| StoreError::Encoding("备份临时文件的路径不是 UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1").bind(dest).execute(p).await?;
    Ok(())
}

/// PostgreSQL: the foreign keys between the tables of the current schema, as (referencing, referenced).
async fn pg_references(p: &sqlx::PgPool) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT cl.relname::text, rf.relname::text FROM pg_constraint c \
         JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rf ON rf.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(p)
    .await?)
}

/// Tables ordered so that each comes after the tables it references (by name among equals; a cycle, which the
/// schema does not have, would leave its tables at the end by name).
pub fn foreign_key_order(tables: &[String], refs: &[(String, String)]) -> Vec<String> {
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = tables.iter().map(|t| (t.as_str(), BTreeSet::new())).collect();
    for (from, to) in refs {
        if from != to
            && waiting.contains_key(to.as_str())
            && let Some(deps) = waiting.get_mut(from.as_str())
        {
            deps.insert(to.as_str());
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(tables.len());
    while !waiting.is_empty() {
        let ready: Vec<&str> = waiting.iter().filter(|(_, d)| d.is_empty()).map(|(t, _)| *t).collect();
        let next = if ready.is_empty() { waiting.keys().copied().collect() } else { ready };
        for t in next {
            waiting.remove(t);
            for deps in waiting.values_mut() {
                deps.remove(t);
            }
            out.push(t.to_owned());
        }
    }
    out
}

/// What a PostgreSQL dump holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpInfo {
    pub schema_version: i64,
    /// Rows per table, in dump order.
    pub tables: Vec<(String, u64)>,
}

/// PostgreSQL: calls `row(table, json)` for every row of every table, all read in one snapshot, tables in
/// foreign-key order. `row` fails the dump by returning an error message.
pub async fn pg_dump(db: &Db, row: &mut dyn FnMut(&str, &str) -> std::result::Result<(), String>) -> Result<DumpInfo> {
    let Db::Postgres(p) = db else { return Err(StoreError::BadUrl("逻辑转储仅适用于 PostgreSQL".into())) };
    let mut tx = p.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    let schema_version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut *tx).await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let names: Vec<String> = names.into_iter().filter(|n| n != MIGRATIONS_TABLE).collect();
    let order = foreign_key_order(&names, &pg_references(p).await?);
    let mut counts = Vec::with_capacity(order.len());
    for t in order {
        let by = order_by(db, &t).await?;
        let by = if by == "1" { "row_to_json(t)::text".into() } else { by };
        let sql = format!("SELECT row_to_json(t)::text FROM {} t ORDER BY {by} LIMIT $1 OFFSET $2", ident(&t));
        let mut n: u64 = 0;
        loop {
            let page: Vec<String> =
                sqlx::query_scalar(safe(sql.clone())).bind(DUMP_PAGE).bind(n as i64).fetch_all(&mut *tx).await?;
            for r in &page {
                row(&t, r).map_err(StoreError::Encoding)?;
            }
            n += page.len() as u64;
            if (page.len() as i64) < DUMP_PAGE {
                break;
            }
        }
        counts.push((t, n));
    }
    tx.commit().await?;
    Ok(DumpInfo { schema_version: schema_version.unwrap_or(0), tables: counts })
}

/// PostgreSQL: loads a dump into an empty database. `rows` yields (table, row JSON) in dump order. The database
/// is migrated to `schema_version` first and to the newest migration after, so an older dump is upgraded.
pub async fn pg_load(
    db: &Db,
    schema_version: i64,
    rows: &mut dyn Iterator<Item = std::result::Result<(String, String), String>>,
    loaded: &mut dyn FnMut(u64),
) -> Result<()> {
    let Db::Postgres(p) = db else { return Err(StoreError::BadUrl("逻辑转储只能载入 PostgreSQL".into())) };
    if !is_empty(db).await? {
        return Err(StoreError::Conflict("目标数据库不是空的（恢复只能写入没有任何数据表的数据库）".into()));
    }
    if schema_version > latest_migration() {
        return Err(StoreError::Encoding(format!(
            "备份的数据库版本（迁移 {schema_version}）比本程序（迁移 {}）新，请用新版程序恢复",
            latest_migration()
        )));
    }
    db.migrate_to(schema_version).await?;
    let names = tables(db).await?;
    let known: BTreeSet<&str> = names.iter().map(|s| s.as_str()).collect();
    let order = foreign_key_order(&names, &pg_references(p).await?);
    let mut tx = p.begin().await?;
    // Rows the migrations seeded are replaced by those of the dump.
    for t in order.iter().rev() {
        sqlx::query(safe(format!("DELETE FROM {}", ident(t)))).execute(&mut *tx).await?;
    }
    let mut batch: Vec<String> = Vec::new();
    let mut current = String::new();
    async fn flush(tx: &mut sqlx::PgConnection, table: &str, batch: &mut Vec<String>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let json = format!("[{}]", batch.join(","));
        let t = ident(table);
        sqlx::query(safe(format!("INSERT INTO {t} SELECT * FROM json_populate_recordset(NULL::{t}, $1::json)")))
            .bind(json)
            .execute(tx)
            .await?;
        batch.clear();
        Ok(())
    }
    for item in rows {
        let (table, json) = item.map_err(StoreError::Encoding)?;
        if !known.contains(table.as_str()) {
            return Err(StoreError::Encoding(format!("备份中的数据表 {table} 在数据库中不存在")));
        }
        if table != current || batch.len() >= LOAD_BATCH {
            let n = batch.len() as u64;
            flush(&mut tx, &current, &mut batch).await?;
            loaded(n);
            current = table;
        }
        batch.push(json);
    }
    let n = batch.len() as u64;
    flush(&mut tx, &current, &mut batch).await?;
    loaded(n);
    let seqs: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, \
                pg_get_serial_sequence(quote_ident(table_name), column_name::text) \
         FROM information_schema.columns WHERE table_schema = current_schema() \
           AND pg_get_serial_sequence(quote_ident(table_name), column_name::text) IS NOT NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (t, c, seq) in seqs {
        sqlx::query(safe(format!(
            "SELECT setval($1, COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
            ident(&c),
            ident(&t)
        )))
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    db.migrate().await
}

#[cfg(test)]
mod tests {
    use super::foreign_key_order;

    #[test]
    fn tables_come_after_what_they_reference() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        // letters → applications → agencies; users → agencies; a self reference is ignored.
        let order = foreign_key_order(
            &t(&["applications", "agencies", "letters", "users"]),
            &r(&[
                ("letters", "applications"),
                ("applications", "agencies"),
                ("users", "agencies"),
                ("agencies", "agencies"),
            ]),
        );
        assert_eq!(order, t(&["agencies", "applications", "users", "letters"]));
        // A cycle does not lose tables.
        let order = foreign_key_order(&t(&["a", "b", "c"]), &r(&[("a", "b"), ("b", "a")]));
        assert_eq!(order, t(&["c", "a", "b"]));
    }
}
