//! Server secrets shared by every app node (e.g. the key that signs the CSRF cookie of anonymous forms).

use crate::{Db, Result};

/// The secret `name`, stored as `fresh` when there is none yet. Two nodes starting at once both keep the first
/// value written (`ON CONFLICT DO NOTHING`, then read back).
pub async fn get_or_create(db: &Db, name: &str, fresh: &str) -> Result<String> {
    on_db!(db, p => sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .bind(crate::now())
    .execute(p)
    .await?
    .rows_affected());
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(p)
        .await?))
}
