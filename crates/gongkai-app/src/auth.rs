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

/// HMAC-SHA-256 (RFC 2104) of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    use hmac::{Mac, SimpleHmac};
    // Any key length is valid for HMAC, so `new_from_slice` cannot fail.
    let mut mac = <SimpleHmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Compares two strings in time that depends only on their lengths.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How a 查询密码 hash is stored: `hmac-sha256$` and the hex digest.
///
/// 查询密码 (of applications and of mailbox letters) are made by the server: 10 characters of 32, 50 random bits.
/// A slow hash (argon2) protects passwords people choose from guessing; here there is nothing to guess faster,
/// and argon2 cost tens of milliseconds of CPU per submission and per lookup — a lever for anyone sending
/// lookups. A keyed hash (HMAC-SHA-256 under the server secret `query_password`, kept in the database and so
/// shared by every node and by backups) is as safe for random passwords and costs microseconds. Hashes stored
/// by earlier versions (argon2 PHC strings) still verify.
pub(crate) const QUERY_HASH_PREFIX: &str = "hmac-sha256$";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored form of a 查询密码 under `key`.
pub(crate) fn query_hash(key: &[u8], password: &str) -> String {
    format!("{QUERY_HASH_PREFIX}{}", hex(&hmac_sha256(key, password.as_bytes())))
}

/// Whether `password` matches `stored`: a keyed hash of [`query_hash`], or an argon2 PHC string of an earlier
/// version (checked on the blocking pool).
pub(crate) async fn verify_query_hash(key: &[u8], password: &str, stored: &str) -> bool {
    match stored.strip_prefix(QUERY_HASH_PREFIX) {
        Some(_) => same_bytes(query_hash(key, password).as_bytes(), stored.as_bytes()),
        None => verify_password(password, stored).await,
    }
}

impl App {
    /// The key of the 查询密码 hashes, shared by every node (stored once, read once per process).
    async fn query_password_key(&self) -> Result<String> {
        let key = self
            .query_key
            .get_or_try_init(|| async {
                let fresh = crate::random_token(48);
                gongkai_store::secrets::get_or_create(&self.db, "query_password", &fresh).await
            })
            .await?;
        Ok(key.clone())
    }

    /// The stored form of a new 查询密码 (see [`QUERY_HASH_PREFIX`]).
    pub(crate) async fn hash_query_password(&self, password: &str) -> Result<String> {
        Ok(query_hash(self.query_password_key().await?.as_bytes(), password))
    }

    /// Whether a typed 查询密码 matches its stored hash; `None` (an unknown code) does the same work and fails.
    pub(crate) async fn verify_query_password(&self, password: &str, stored: Option<&str>) -> Result<bool> {
        let key = self.query_password_key().await?;
        Ok(match stored {
            Some(stored) => verify_query_hash(key.as_bytes(), password, stored).await,
            None => {
                let _ = same_bytes(query_hash(key.as_bytes(), password).as_bytes(), QUERY_HASH_PREFIX.as_bytes());
                false
            }
        })
    }
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

#[cfg(test)]
mod query_password_tests {
    use super::{QUERY_HASH_PREFIX, hash_password, hmac_sha256, query_hash, verify_query_hash};

    #[test]
    fn hmac_matches_rfc_4231_cases_2_and_6() {
        let hex = |b: [u8; 32]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Case 6: a key longer than the block size (131 bytes of 0xaa).
        assert_eq!(
            hex(hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[tokio::test]
    async fn a_query_password_verifies_under_its_key_only_and_old_argon2_hashes_still_verify() {
        let stored = query_hash(b"key-a", "7KQ3M9XD2A");
        assert!(stored.starts_with(QUERY_HASH_PREFIX) && stored.len() == QUERY_HASH_PREFIX.len() + 64, "{stored}");
        assert!(verify_query_hash(b"key-a", "7KQ3M9XD2A", &stored).await);
        assert!(!verify_query_hash(b"key-a", "7KQ3M9XD2B", &stored).await);
        assert!(!verify_query_hash(b"key-b", "7KQ3M9XD2A", &stored).await);
        // A hash stored by an earlier version (argon2id PHC string).
        let old = hash_password("7KQ3M9XD2A").await.unwrap();
        assert!(old.starts_with("$argon2"));
        assert!(verify_query_hash(b"key-a", "7KQ3M9XD2A", &old).await);
        assert!(!verify_query_hash(b"key-a", "7KQ3M9XD2B", &old).await);
    }
}
