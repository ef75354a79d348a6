//! Staff users. Passwords are stored only as argon2id PHC strings (hashed in gongkai-app).

use crate::{Db, Result, Tx};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub platform_admin: bool,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub platform_admin: bool,
}

const COLUMNS: &str = "id, username, display_name, platform_admin, active, created_at";

pub async fn create(tx: &mut Tx, u: &NewUser) -> Result<User> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, platform_admin, active, created_at) \
         VALUES ($1, $2, $3, $4, TRUE, $5) \
         RETURNING id, username, display_name, platform_admin, active, created_at",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.platform_admin)
    .bind(crate::now())
    .fetch_one(c)
    .await?))
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?))
}

/// Every user, by username.
pub async fn all(db: &Db) -> Result<Vec<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users ORDER BY username"));
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE username = $1"));
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(username).fetch_optional(p).await?))
}

/// The user and their password hash, for signing in.
pub async fn credentials(db: &Db, username: &str) -> Result<Option<(User, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS}, password_hash FROM users WHERE username = $1"));
    let row: Option<Row> = on_db!(db, p => sqlx::query_as(sql).bind(username).fetch_optional(p).await?);
    Ok(row.map(|r| (r.user, r.password_hash)))
}

pub async fn set_password(tx: &mut Tx, user_id: i64, password_hash: &str) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(c)
        .await?.rows_affected());
    if done == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await?))
}
