//! Backup archives (`gongkai backup`, `gongkai restore`): one ZIP file with
//!
//! - `database.sqlite` (SQLite: a `VACUUM INTO` copy) or `database.postgres` (PostgreSQL: one line per row,
//!   `table<TAB>row as JSON`, all rows of one snapshot, tables in foreign-key order);
//! - `files/<sha256>`: every file of the file store (content-addressed, so the name is the checksum);
//! - `manifest.json`, written last: format version, gongkai version, schema (migration) version, backend, time,
//!   and the size and SHA-256 of every other entry.
//!
//! The database is read first, then the files: the file store only ever gains files, and a file is stored before
//! the row that names it commits, so every file the snapshot references is in the archive (files stored after
//! the snapshot may be too, unreferenced). Restoring checks every checksum before writing anything.

use crate::files::FileStore;
pub use crate::progress::{Progress, Quiet};
use crate::{App, AppError, Result};
use gongkai_store::{Backend, Db, backup as dump};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// The archive format this build writes and reads.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SQLITE_ENTRY: &str = "database.sqlite";
pub const POSTGRES_ENTRY: &str = "database.postgres";
pub const FILES_PREFIX: &str = "files/";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub gongkai_version: String,
    /// The newest migration applied to the database that was saved.
    pub schema_version: i64,
    /// `sqlite` or `postgres`: a backup is restored on the backend it was made on.
    pub backend: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub entries: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn files(&self) -> impl Iterator<Item = &ManifestEntry> {
        self.entries.iter().filter(|e| e.path.starts_with(FILES_PREFIX))
    }

    pub fn total_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }
}

pub fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn bad(msg: impl Into<String>) -> AppError {
    AppError::Invalid { field: None, message: msg.into() }
}

fn io(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Invalid { field: None, message: format!("{what}：{e}") }
}

/// A writer that counts and hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Self {
        Self { inner, hasher: Sha256::new(), size: 0 }
    }
    fn entry(self, path: &str) -> ManifestEntry {
        ManifestEntry { path: path.into(), size: self.size, sha256: format!("{:x}", self.hasher.finalize()) }
    }
}

type ZipOut = zip::ZipWriter<std::fs::File>;

fn start(zip: &mut ZipOut, name: &str, compress: bool) -> Result<()> {
    let method = if compress { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method).large_file(true);
    zip.start_file(name, opts).map_err(|e| io("无法写入备份文件", e))
}

impl App {
    /// Writes a backup of the database and the file store to `out` (a new file; refused if it exists), while
    /// the platform may keep running and writing. Returns the manifest.
    pub async fn backup(&self, out: &Path, progress: &dyn Progress) -> Result<Manifest> {
        if out.exists() {
            return Err(bad(format!("{} 已存在；请指定一个新的备份文件名", out.display())));
        }
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".gongkai-backup-{}.part", crate::random_token(8)));
        let result = self.write_archive(&tmp, dir, progress).await;
        match result {
            Ok(m) => {
                std::fs::rename(&tmp, out).map_err(|e| io("无法写入备份文件", e))?;
                Ok(m)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    async fn write_archive(&self, path: &Path, dir: &Path, progress: &dyn Progress) -> Result<Manifest> {
        let file = std::fs::File::create(path).map_err(|e| io(&format!("无法创建 {}", path.display()), e))?;
        let mut zip = zip::ZipWriter::new(file);
        let mut entries = Vec::new();
        let schema_version = dump::schema_version(&self.db).await?;
        match &self.db {
            Db::Sqlite(_) => {
                progress.phase("正在复制数据库（VACUUM INTO）", None);
                let snap = dir.join(format!(".gongkai-backup-{}.sqlite", crate::random_token(8)));
                let copied = dump::sqlite_snapshot(&self.db, &snap).await;
                let added = match copied {
                    Ok(()) => add_file(&mut zip, SQLITE_ENTRY, &snap, progress),
                    Err(e) => Err(e.into()),
                };
                let _ = std::fs::remove_file(&snap);
                entries.push(added?);
            }
            Db::Postgres(_) => {
                progress.phase("正在导出数据库（一个快照）", None);
                start(&mut zip, POSTGRES_ENTRY, true)?;
                let mut w = Hashing::new(&mut zip);
                let info = dump::pg_dump(&self.db, &mut |table, row| {
                    progress.advance(1);
                    writeln!(w, "{table}\t{row}").map_err(|e| e.to_string())
                })
                .await?;
                if info.schema_version != schema_version {
                    return Err(bad("备份期间数据库升级了版本，请重新备份"));
                }
                entries.push(w.entry(POSTGRES_ENTRY));
            }
        }
        if let Some(store) = &self.files {
            let keys = store.keys().await?;
            progress.phase("正在复制附件", Some(keys.len() as u64));
            for key in keys {
                let bytes = store.get(&key).await?;
                if format!("{:x}", Sha256::digest(&bytes)) != key {
                    return Err(bad(format!("文件库中的文件 {key} 已损坏（内容与校验值不符），备份中止")));
                }
                let name = format!("{FILES_PREFIX}{key}");
                start(&mut zip, &name, true)?;
                let mut w = Hashing::new(&mut zip);
                w.write_all(&bytes).map_err(|e| io("无法写入备份文件", e))?;
                entries.push(w.entry(&name));
                progress.advance(1);
            }
        }
        let manifest = Manifest {
            format: FORMAT,
            gongkai_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
            backend: backend_name(self.db.backend()).into(),
            created_at: gongkai_store::now()
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            entries,
        };
        start(&mut zip, MANIFEST, true)?;
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| AppError::Internal(e.to_string()))?;
        zip.write_all(&json).map_err(|e| io("无法写入备份文件", e))?;
        let file = zip.finish().map_err(|e| io("无法写入备份文件", e))?;
        file.sync_all().map_err(|e| io("无法写入备份文件", e))?;
        Ok(manifest)
    }
}

fn add_file(zip: &mut ZipOut, name: &str, src: &Path, progress: &dyn Progress) -> Result<ManifestEntry> {
    let mut f = std::fs::File::open(src).map_err(|e| io("无法读取数据库副本", e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    progress.phase("正在写入数据库副本", Some(len));
    start(zip, name, true)?;
    let mut w = Hashing::new(&mut *zip);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| io("无法读取数据库副本", e))?;
        if n == 0 {
            break;
        }
        w.write_all(&buf[..n]).map_err(|e| io("无法写入备份文件", e))?;
        progress.advance(n as u64);
    }
    Ok(w.entry(name))
}

/// An opened backup archive whose manifest was read.
pub struct Archive {
    path: PathBuf,
    zip: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
    pub manifest: Manifest,
}

impl Archive {
    /// Opens `path` and reads its manifest; refuses an archive of another format or a newer schema.
    pub fn open(path: &Path) -> Result<Archive> {
        let f = std::fs::File::open(path).map_err(|e| io(&format!("无法打开备份文件 {}", path.display()), e))?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f))
            .map_err(|e| io(&format!("{} 不是有效的备份文件", path.display()), e))?;
        let mut text = String::new();
        zip.by_name(MANIFEST)
            .map_err(|_| bad(format!("{} 中没有 {MANIFEST}，不是 gongkai 备份文件", path.display())))?
            .read_to_string(&mut text)
            .map_err(|e| io("无法读取备份清单", e))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| io("备份清单有误", e))?;
        if manifest.format != FORMAT {
            return Err(bad(format!("备份格式版本 {} 不受支持（本程序读取版本 {FORMAT}）", manifest.format)));
        }
        let latest = dump::latest_migration();
        if manifest.schema_version > latest {
            return Err(bad(format!(
                "备份的数据库版本（迁移 {}）比本程序（迁移 {latest}）新，请用 gongkai {} 或更新的版本恢复",
                manifest.schema_version, manifest.gongkai_version
            )));
        }
        Ok(Archive { path: path.to_owned(), zip, manifest })
    }

    /// Reads every entry and checks its size and SHA-256 against the manifest, and that the archive holds
    /// exactly the entries listed. Nothing is written.
    pub fn verify(&mut self, progress: &dyn Progress) -> Result<()> {
        let mut names: Vec<String> = self.zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
        names.retain(|n| n != MANIFEST);
        names.sort();
        let mut listed: Vec<String> = self.manifest.entries.iter().map(|e| e.path.clone()).collect();
        listed.sort();
        if names != listed {
            return Err(bad("备份文件内容与清单不一致（有多余或缺少的条目）"));
        }
        progress.phase("正在校验备份", Some(self.manifest.total_bytes()));
        for e in self.manifest.entries.clone() {
            let mut r = self.zip.by_name(&e.path).map_err(|x| io("无法读取备份条目", x))?;
            let mut w = Hashing::new(std::io::sink());
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = r.read(&mut buf).map_err(|x| io(&format!("备份条目 {} 无法读取", e.path), x))?;
                if n == 0 {
                    break;
                }
                let _ = w.write(&buf[..n]);
                progress.advance(n as u64);
            }
            let got = w.entry(&e.path);
            if got != e {
                return Err(bad(format!("备份条目 {} 的校验值不符，备份文件已损坏", e.path)));
            }
        }
        Ok(())
    }

    /// SQLite: writes the database copy to `dest` (which must not exist yet).
    pub fn extract_sqlite(&mut self, dest: &Path) -> Result<()> {
        let mut r = self.zip.by_name(SQLITE_ENTRY).map_err(|_| bad(format!("备份中没有 {SQLITE_ENTRY}")))?;
        let tmp = dest.with_extension(format!("restore-{}", crate::random_token(6)));
        let mut f = std::fs::File::create(&tmp).map_err(|e| io(&format!("无法创建 {}", tmp.display()), e))?;
        let copied = std::io::copy(&mut r, &mut f).and_then(|_| f.sync_all());
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("无法写入数据库文件", e));
        }
        std::fs::rename(&tmp, dest).map_err(|e| io("无法写入数据库文件", e))
    }

    /// PostgreSQL: loads the rows into `db`, an empty database, and migrates it to this build's schema.
    pub async fn load_postgres(&mut self, db: &Db, progress: &dyn Progress) -> Result<()> {
        progress.phase("正在载入数据库", None);
        let version = self.manifest.schema_version;
        let r = self.zip.by_name(POSTGRES_ENTRY).map_err(|_| bad(format!("备份中没有 {POSTGRES_ENTRY}")))?;
        let mut lines = std::io::BufReader::new(r).lines().map(|l| {
            let l = l.map_err(|e| format!("无法读取 {POSTGRES_ENTRY}：{e}"))?;
            l.split_once('\t')
                .map(|(t, j)| (t.to_owned(), j.to_owned()))
                .ok_or_else(|| format!("{POSTGRES_ENTRY} 中有一行格式不对"))
        });
        dump::pg_load(db, version, &mut lines, &mut |n| progress.advance(n)).await?;
        Ok(())
    }

    /// Writes every file of the archive to the file store (each checked against its name on the way).
    pub async fn restore_files(&mut self, store: &FileStore, progress: &dyn Progress) -> Result<usize> {
        let files: Vec<ManifestEntry> = self.manifest.files().cloned().collect();
        progress.phase("正在恢复附件", Some(files.len() as u64));
        for e in &files {
            let mut bytes = Vec::with_capacity(e.size as usize);
            self.zip
                .by_name(&e.path)
                .and_then(|mut r| r.read_to_end(&mut bytes).map_err(Into::into))
                .map_err(|x| io(&format!("无法读取备份条目 {}", e.path), x))?;
            let key = store.put(&bytes).await?;
            if format!("{FILES_PREFIX}{key}") != e.path {
                return Err(bad(format!("备份条目 {} 的内容与其名称不符", e.path)));
            }
            progress.advance(1);
        }
        Ok(files.len())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
