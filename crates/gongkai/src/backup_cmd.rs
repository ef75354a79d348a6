//! `gongkai backup --out FILE` and `gongkai restore FILE`: the archive is described in `gongkai_app::backup`.

use crate::progress::Bar;
use anyhow::{Context, Result, bail};
use gongkai_app::App;
use gongkai_app::backup::{Archive, Manifest};
use gongkai_app::files::FileStore;
use std::path::{Path, PathBuf};

/// The SQLite database file named by a `sqlite:` URL.
fn sqlite_file(url: &str) -> PathBuf {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn summary(m: &Manifest) -> String {
    format!(
        "{} 数据库（迁移版本 {}），附件 {} 个，共 {} 字节",
        if m.backend == "postgres" { "PostgreSQL" } else { "SQLite" },
        m.schema_version,
        m.files().count(),
        m.total_bytes()
    )
}

pub async fn backup(app: &App, out: &Path) -> Result<()> {
    let bar = Bar::new();
    let m = app.backup(out, &bar).await.with_context(|| format!("备份失败，未写入 {}", out.display()))?;
    bar.done();
    println!("备份已写入 {}：{}。", out.display(), summary(&m));
    Ok(())
}

/// Restores `file` into an empty target: the data directory's file store must be empty, and the database must
/// not exist (SQLite) or hold no table (PostgreSQL). Every checksum is checked before anything is written.
pub async fn restore(
    data_dir: &Path,
    db_url: &str,
    file: &Path,
    app_config: gongkai_app::AppConfig,
    files: FileStore,
) -> Result<()> {
    let bar = Bar::new();
    let mut archive = Archive::open(file)?;
    let target = if is_postgres(db_url) { "postgres" } else { "sqlite" };
    if archive.manifest.backend != target {
        bail!(
            "这是 {} 数据库的备份，不能恢复到 {} 数据库（请使用与备份时相同类型的数据库）",
            archive.manifest.backend,
            target
        );
    }
    if !files.is_empty().await? {
        bail!("数据目录 {} 中已有附件；恢复只能写入空的数据目录", data_dir.display());
    }
    let sqlite = sqlite_file(db_url);
    if target == "sqlite" {
        if std::fs::metadata(&sqlite).is_ok_and(|m| m.len() > 0) {
            bail!("数据库文件 {} 已存在；恢复只能写入空的数据目录", sqlite.display());
        }
    } else {
        let db = gongkai_store::Db::connect(db_url).await.context("无法连接数据库")?;
        let empty = gongkai_store::backup::is_empty(&db).await?;
        db.close().await;
        if !empty {
            bail!("目标数据库不是空的（已有数据表）；恢复只能写入新建的空数据库");
        }
    }
    archive.verify(&bar)?;
    if target == "sqlite" {
        // An empty file (left by an earlier start) is replaced; its journal files would not match the copy.
        for ext in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{ext}", sqlite.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("无法删除 {}", p.display()))?;
            }
        }
        archive.extract_sqlite(&sqlite)?;
    } else {
        let db = gongkai_store::Db::connect(db_url).await.context("无法连接数据库")?;
        archive.load_postgres(&db, &bar).await?;
        db.close().await;
    }
    // Migrates a backup of an older version to this one.
    let db = crate::open(db_url).await?;
    let n_files = archive.restore_files(&files, &bar).await?;
    let app = App::new(db, app_config).with_search(crate::search_index(data_dir)?);
    let indexed = app.reindex_with(&bar).await?;
    bar.done();
    println!(
        "已从 {} 恢复：{}；附件 {n_files} 个已写入，检索索引已重建（{indexed} 条信息）。",
        file.display(),
        summary(&archive.manifest)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_file_of_url() {
        assert_eq!(
            super::sqlite_file("sqlite://data/gongkai.db?mode=rwc"),
            std::path::PathBuf::from("data/gongkai.db")
        );
        assert_eq!(super::sqlite_file("sqlite:/tmp/x.db"), std::path::PathBuf::from("/tmp/x.db"));
    }
}
