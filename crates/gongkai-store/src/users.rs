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
    /// Set when someone else chose the password (a console create or reset, `gongkai user add`): the user must
    /// choose their own at the next sign-in.
    pub must_change_password: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub platform_admin: bool,
    pub must_change_password: bool,
}

const COLUMNS: &str = "id, username, display_name, platform_admin, active, created_at, must_change_password";

pub async fn create(tx: &mut Tx, u: &NewUser) -> Result<User> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, platform_admin, active, created_at, \
         must_change_password) VALUES ($1, $2, $3, $4, TRUE, $5, $6) \
         RETURNING id, username, display_name, platform_admin, active, created_at, must_change_password",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.platform_admin)
    .bind(crate::now())
    .bind(u.must_change_password)
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

/// Sets the password hash; `must_change` when someone else chose the password.
pub async fn set_password(tx: &mut Tx, user_id: i64, password_hash: &str, must_change: bool) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
    )
        .bind(password_hash)
        .bind(must_change)
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

/// The password hash of a user, to check the current password before a change.
pub async fn password_hash(db: &Db, user_id: i64) -> Result<Option<String>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(p)
        .await?))
}

/// Enables or disables an account; `NotFound` for an unknown id.
pub async fn set_active(tx: &mut Tx, user_id: i64, active: bool) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(user_id)
        .execute(c)
        .await?.rows_affected());
    if done == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

/// Changes the name shown in the console and the audit trail; `NotFound` for an unknown id.
pub async fn set_display_name(tx: &mut Tx, user_id: i64, display_name: &str) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(display_name)
        .bind(user_id)
        .execute(c)
        .await?.rows_affected());
    if done == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}
