//! Passwords (argon2id) and signing in.

use crate::{App, AppError, Result};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use gongkai_domain::audit::AuditAction;
use gongkai_store::{Actor, NewAuditEvent, audit, users, users::User};
use serde_json::json;

/// Minimum length of a staff password.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub(crate) fn check_password_strength(pw: &str) -> Result<()> {
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid {
            field: Some("password"), message: format!("密码至少{MIN_PASSWORD_CHARS}位")
        });
    }
    if pw.chars().count() > 200 {
        return Err(AppError::Invalid { field: Some("password"), message: "密码过长".into() });
    }
    Ok(())
}

/// Hashes on the blocking pool: argon2 takes tens of milliseconds of CPU by design.
pub(crate) async fn hash_password(pw: &str) -> Result<String> {
    let pw = pw.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

pub(crate) async fn verify_password(pw: &str, phc: &str) -> bool {
    let (pw, phc) = (pw.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified against when the username is unknown so that the answer takes as
/// long as for a known user (no user enumeration by timing).
pub(crate) async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_init(|| async { hash_password(&crate::random_token(24)).await.unwrap_or_default() }).await
}

impl App {
    /// Checks a username and password. Success and failure are both written to the audit trail.
    pub async fn login(&self, username: &str, password: &str) -> Result<User> {
        let username = username.trim();
        let found = users::credentials(&self.db, username).await?;
        let ok = match &found {
            Some((_, hash)) => verify_password(password, hash).await,
            None => {
                verify_password(password, dummy_hash().await).await;
                false
            }
        };
        // A disabled account is told so, but only to whoever knows its password.
        let disabled = ok && found.as_ref().is_some_and(|(u, _)| !u.active);
        let ok = ok && !disabled;
        let mut tx = self.db.begin().await?;
        let (actor, action) = match (&found, ok) {
            (Some((u, _)), true) => (Actor::User { id: u.id, username: u.username.clone() }, AuditAction::UserLogin),
            _ => (Actor::System("anonymous".into()), AuditAction::UserLoginFailed),
        };
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: None,
                action,
                object_type: "user",
                object_id: username.chars().take(64).collect(),
                details: if disabled { json!({"disabled": true}) } else { json!({}) },
            },
        )
        .await?;
        tx.commit().await?;
        match (found, ok) {
            (Some((user, _)), true) => Ok(user),
            _ if disabled => Err(AppError::Invalid {
                field: None,
                message: "该账号已停用，请联系本机构管理员。".into(),
            }),
            _ => Err(AppError::BadCredentials),
        }
    }
}
