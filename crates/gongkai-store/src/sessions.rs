//! Web sessions kept in the database, so that app nodes stay stateless (any node can serve any request).

use crate::{Db, Tx};
use async_trait::async_trait;
use sqlx::types::Json;
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{self, ExpiredDeletion, SessionStore};

/// The session key holding the signed-in user's id (written by the web layer at sign-in).
pub const USER_KEY: &str = "uid";

/// Ends every session of `user_id` (after a password reset): deletes the sessions whose data names the user.
/// Sessions are few (one per signed-in browser), so they are filtered here rather than with backend-specific JSON
/// SQL. Returns how many were ended.
pub async fn end_for_user(tx: &mut Tx, user_id: i64) -> crate::Result<usize> {
    let rows: Vec<(String, Json<Data>)> = on_tx!(tx, c => sqlx::query_as("SELECT id, data FROM sessions")
        .fetch_all(c)
        .await?);
    let ids: Vec<String> = rows
        .into_iter()
        .filter(|(_, Json(d))| d.get(USER_KEY).and_then(|v| v.as_i64()) == Some(user_id))
        .map(|(id, _)| id)
        .collect();
    for id in &ids {
        on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(c).await?.rows_affected());
    }
    Ok(ids.len())
}

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

type Data = HashMap<String, serde_json::Value>;

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts a new record, drawing a fresh id on the (astronomically unlikely) collision.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let done = on_db!(&self.db, p => sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(Json(&record.data))
            .bind(record.expiry_date)
            .execute(p)
            .await
            .map_err(backend)?.rows_affected());
            if done == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        on_db!(&self.db, p => sqlx::query(
            "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(Json(&record.data))
        .bind(record.expiry_date)
        .execute(p)
        .await
        .map_err(backend)?.rows_affected());
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(Json<Data>, OffsetDateTime)> = on_db!(&self.db, p => sqlx::query_as(
            "SELECT data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2",
        )
        .bind(id.to_string())
        .bind(crate::now())
        .fetch_optional(p)
        .await
        .map_err(backend)?);
        Ok(row.map(|(Json(data), expiry_date)| Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_db!(&self.db, p => sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(p)
            .await
            .map_err(backend)?.rows_affected());
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        purge_expired(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

/// Deletes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> crate::Result<u64> {
    Ok(on_db!(db, p => sqlx::query("DELETE FROM sessions WHERE expiry_date <= $1")
        .bind(crate::now())
        .execute(p)
        .await?
        .rows_affected()))
}

/// How many sessions are stored (expired ones included).
pub async fn count(db: &Db) -> crate::Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(p).await?))
}
