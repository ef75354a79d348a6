//! The content-addressed file store for attachments: `<root>/<aa>/<sha256>`. Writing the same bytes twice
//! stores them once; a file is written to a temporary name and renamed, so a reader never sees half a file.

use crate::{AppError, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, sha256: &str) -> Result<PathBuf> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::Internal(format!("bad file key {sha256}")));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }

    /// Stores `bytes` and returns their SHA-256 (hex), the key to read them back.
    pub async fn put(&self, bytes: &[u8]) -> Result<String> {
        let key = format!("{:x}", Sha256::digest(bytes));
        let path = self.path(&key)?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(key);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        tokio::fs::create_dir_all(dir).await.map_err(io)?;
        let tmp = dir.join(format!(".{key}.{}", crate::random_token(8)));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)?;
        Ok(key)
    }

    /// The keys of every stored file, sorted (for backups). Temporary files of writes in progress are skipped.
    pub async fn keys(&self) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        let mut top = match tokio::fs::read_dir(&self.root).await {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(keys),
            Err(e) => return Err(io(e)),
        };
        while let Some(d) = top.next_entry().await.map_err(io)? {
            if !d.file_type().await.map_err(io)?.is_dir() {
                continue;
            }
            let mut inner = tokio::fs::read_dir(d.path()).await.map_err(io)?;
            while let Some(f) = inner.next_entry().await.map_err(io)? {
                let name = f.file_name().to_string_lossy().into_owned();
                if self.path(&name).is_ok_and(|p| p == f.path()) {
                    keys.push(name);
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// Whether the store holds nothing yet (a restore writes only into an empty store).
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.keys().await?.is_empty())
    }

    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        tokio::fs::read(self.path(sha256)?).await.map_err(io)
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(format!("file store: {e}"))
}
