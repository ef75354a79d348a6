//! The content-addressed file store for attachments, keyed by the SHA-256 of the bytes: `<aa>/<sha256>`.
//! Writing the same bytes twice stores them once.
//!
//! Two places can hold the files:
//! - a local directory (the default, `<data-dir>/files`): a file is written to a temporary name and renamed, so a
//!   reader never sees half a file;
//! - an S3-compatible object store (`[files.s3]`), which several nodes share: an object appears whole or not at
//!   all (S3 PUT is atomic), so any node can serve what another stored.

use crate::{AppError, Result};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, path::Path as ObjectPath};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an S3-compatible object store is and how to sign in to it (`[files.s3]` in the configuration;
/// keep the secret in the environment: `GONGKAI__FILES__S3__SECRET_ACCESS_KEY`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct S3Config {
    pub bucket: String,
    /// e.g. `https://s3.cn-north-1.amazonaws.com.cn`, or a MinIO/moto address; empty: AWS's own for the region.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allow plain `http://` endpoints (a store inside the machine room, tests).
    pub allow_http: bool,
    /// Object names start with this prefix (several platforms in one bucket), e.g. `gongkai/`.
    pub prefix: String,
}

#[derive(Clone)]
enum Backend {
    Local(PathBuf),
    S3 { store: Arc<dyn ObjectStore>, prefix: String, bucket: String },
}

#[derive(Clone)]
pub struct FileStore {
    backend: Backend,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Local(root) => f.debug_tuple("FileStore::Local").field(root).finish(),
            Backend::S3 { bucket, prefix, .. } => {
                f.debug_struct("FileStore::S3").field("bucket", bucket).field("prefix", prefix).finish()
            }
        }
    }
}

impl FileStore {
    /// Files in a local directory.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { backend: Backend::Local(root.into()) }
    }

    /// Files in an S3-compatible object store. Nothing is contacted until the first read or write.
    pub fn s3(c: &S3Config) -> Result<Self> {
        if c.bucket.trim().is_empty() {
            return Err(AppError::Internal("files.s3.bucket 未配置".into()));
        }
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(c.bucket.trim())
            .with_allow_http(c.allow_http)
            .with_region(if c.region.trim().is_empty() { "us-east-1" } else { c.region.trim() });
        if !c.endpoint.trim().is_empty() {
            b = b.with_endpoint(c.endpoint.trim());
        }
        if !c.access_key_id.is_empty() {
            b = b.with_access_key_id(&c.access_key_id).with_secret_access_key(&c.secret_access_key);
        }
        let store = b.build().map_err(|e| AppError::Internal(format!("file store (S3): {e}")))?;
        let prefix = c.prefix.trim().trim_matches('/').to_owned();
        Ok(Self { backend: Backend::S3 { store: Arc::new(store), prefix, bucket: c.bucket.trim().to_owned() } })
    }

    /// Whether the files live in a shared object store (several nodes) rather than on this machine.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::S3 { .. })
    }

    fn check_key(sha256: &str) -> Result<()> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::Internal(format!("bad file key {sha256}")));
        }
        Ok(())
    }

    fn path(root: &Path, sha256: &str) -> Result<PathBuf> {
        Self::check_key(sha256)?;
        Ok(root.join(&sha256[..2]).join(sha256))
    }

    fn object(prefix: &str, sha256: &str) -> Result<ObjectPath> {
        Self::check_key(sha256)?;
        let name = if prefix.is_empty() {
            format!("{}/{sha256}", &sha256[..2])
        } else {
            format!("{prefix}/{}/{sha256}", &sha256[..2])
        };
        ObjectPath::parse(name).map_err(|e| AppError::Internal(format!("file store (S3): {e}")))
    }

    /// Stores `bytes` and returns their SHA-256 (hex), the key to read them back.
    pub async fn put(&self, bytes: &[u8]) -> Result<String> {
        let key = format!("{:x}", Sha256::digest(bytes));
        match &self.backend {
            Backend::Local(root) => {
                let path = Self::path(root, &key)?;
                if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Ok(key);
                }
                let dir = path.parent().unwrap_or(Path::new("."));
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                let tmp = dir.join(format!(".{key}.{}", crate::random_token(8)));
                tokio::fs::write(&tmp, bytes).await.map_err(io)?;
                tokio::fs::rename(&tmp, &path).await.map_err(io)?;
            }
            Backend::S3 { store, prefix, .. } => {
                let at = Self::object(prefix, &key)?;
                // Same key, same bytes: skip the upload when the object is already there.
                match store.head(&at).await {
                    Ok(_) => return Ok(key),
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(s3(e)),
                }
                store.put(&at, PutPayload::from(bytes.to_vec())).await.map_err(s3)?;
            }
        }
        Ok(key)
    }

    /// The keys of every stored file, sorted (for backups). Temporary files of writes in progress are skipped.
    pub async fn keys(&self) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        match &self.backend {
            Backend::Local(root) => {
                let mut top = match tokio::fs::read_dir(root).await {
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
                        if Self::path(root, &name).is_ok_and(|p| p == f.path()) {
                            keys.push(name);
                        }
                    }
                }
            }
            Backend::S3 { store, prefix, .. } => {
                // Two levels, as stored: `<prefix>/<aa>/<sha256>`.
                let base = if prefix.is_empty() { None } else { Some(ObjectPath::from(prefix.as_str())) };
                let top = store.list_with_delimiter(base.as_ref()).await.map_err(s3)?;
                for dir in top.common_prefixes {
                    let inner = store.list_with_delimiter(Some(&dir)).await.map_err(s3)?;
                    for o in inner.objects {
                        if let Some(name) = o.location.filename()
                            && Self::object(prefix, name).is_ok_and(|p| p == o.location)
                        {
                            keys.push(name.to_owned());
                        }
                    }
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
        match &self.backend {
            Backend::Local(root) => tokio::fs::read(Self::path(root, sha256)?).await.map_err(io),
            Backend::S3 { store, prefix, .. } => {
                let got = store.get(&Self::object(prefix, sha256)?).await.map_err(s3)?;
                Ok(got.bytes().await.map_err(s3)?.to_vec())
            }
        }
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

fn s3(e: object_store::Error) -> AppError {
    match e {
        // A key the database names but the bucket lacks is a fault of ours, not of the store.
        object_store::Error::NotFound { .. } => AppError::Internal(format!("file store (S3): {e}")),
        // The bucket cannot be reached or refused the request: the storage is unavailable (503, nothing kept).
        _ => AppError::Unavailable(format!("file store (S3): {e}")),
    }
}
