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

    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        tokio::fs::read(self.path(sha256)?).await.map_err(io)
    }
}

fn io(e: std::io::Error) -> AppError {
    // A full disk or quota, or a read-only file system: the storage is unavailable, not the request wrong.
    let full = matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::ReadOnlyFilesystem)
        || matches!(e.raw_os_error(), Some(28 | 30 | 122)); // ENOSPC, EROFS, EDQUOT
    if full {
        return AppError::Unavailable(format!("file store: {e}"));
    }
    AppError::Internal(format!("file store: {e}"))
}
