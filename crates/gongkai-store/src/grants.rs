//! Role grants: which user holds which role in which agency.

use crate::{Db, Result, StoreError, Tx};
use gongkai_domain::agency::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub agency_id: i64,
    pub role: Role,
}

/// A member of an agency's staff with the roles held there.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

fn role(s: &str) -> Result<Role> {
    Role::parse(s).map_err(|e| StoreError::Encoding(e.to_string()))
}

/// Grants `role`; returns false when the user already held it (nothing written).
pub async fn grant(tx: &mut Tx, user_id: i64, agency_id: i64, role: Role) -> Result<bool> {
    let done = on_tx!(tx, c => sqlx::query(
        "INSERT INTO role_grants (user_id, agency_id, role, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, agency_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(agency_id)
    .bind(role.as_str())
    .bind(crate::now())
    .execute(c)
    .await?.rows_affected());
    Ok(done == 1)
}

/// Revokes `role`; returns false when the user did not hold it.
pub async fn revoke(tx: &mut Tx, user_id: i64, agency_id: i64, role: Role) -> Result<bool> {
    let done = on_tx!(tx, c => sqlx::query(
        "DELETE FROM role_grants WHERE user_id = $1 AND agency_id = $2 AND role = $3",
    )
    .bind(user_id)
    .bind(agency_id)
    .bind(role.as_str())
    .execute(c)
    .await?.rows_affected());
    Ok(done == 1)
}

pub async fn for_user(db: &Db, user_id: i64) -> Result<Vec<Grant>> {
    let rows: Vec<(i64, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT agency_id, role FROM role_grants WHERE user_id = $1 ORDER BY agency_id, role",
    )
    .bind(user_id)
    .fetch_all(p)
    .await?);
    rows.into_iter().map(|(agency_id, r)| Ok(Grant { agency_id, role: role(&r)? })).collect()
}

/// Every grant of the platform as (user id, agency id, role), for the staff administration's list.
pub async fn all(db: &Db) -> Result<Vec<(i64, i64, Role)>> {
    let rows: Vec<(i64, i64, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT user_id, agency_id, role FROM role_grants ORDER BY user_id, agency_id, role",
    )
    .fetch_all(p)
    .await?);
    rows.into_iter().map(|(u, a, r)| Ok((u, a, role(&r)?))).collect()
}

/// The agency's own staff (grants held in this agency itself), by username.
pub async fn members(db: &Db, agency_id: i64) -> Result<Vec<Member>> {
    let rows: Vec<(i64, String, String, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, g.role FROM role_grants g JOIN users u ON u.id = g.user_id \
         WHERE g.agency_id = $1 ORDER BY u.username, g.role",
    )
    .bind(agency_id)
    .fetch_all(p)
    .await?);
    let mut out: Vec<Member> = Vec::new();
    for (user_id, username, display_name, r) in rows {
        let r = role(&r)?;
        match out.last_mut() {
            Some(m) if m.user_id == user_id => m.roles.push(r),
            _ => out.push(Member { user_id, username, display_name, roles: vec![r] }),
        }
    }
    Ok(out)
}
