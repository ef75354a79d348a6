//! Staff accounts and role grants (audited).

use crate::auth::{check_password_strength, hash_password};
use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::{Role, parse_name};
use gongkai_domain::audit::AuditAction;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::users::{self, NewUser, User};
use gongkai_store::{Actor, NewAuditEvent, StoreError, audit, grants};
use serde_json::json;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

fn parse_username(s: &str) -> Result<String> {
    let s = s.trim();
    let ok = (3..=32).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !ok {
        return Err(AppError::Invalid {
            field: Some("username"),
            message: "用户名须为3至32位字母、数字、下划线、连字符或点".into(),
        });
    }
    Ok(s.to_ascii_lowercase())
}

impl App {
    /// Creates a staff account: the system, a platform administrator or an agency administrator (who then grants
    /// roles in their agency).
    pub async fn create_user(&self, by: Caller<'_>, form: &UserForm, platform_admin: bool) -> Result<User> {
        self.create_account(by, form, platform_admin, false).await
    }

    /// [`App::create_user`], with `must_change_password` when someone else chose the password.
    pub(crate) async fn create_account(
        &self,
        by: Caller<'_>,
        form: &UserForm,
        platform_admin: bool,
        must_change_password: bool,
    ) -> Result<User> {
        if let Caller::Staff(p) = by {
            let may = p.is_platform_admin()
                || (!platform_admin && p.agency_ids().any(|a| p.require(a, &[Role::Admin]).is_ok()));
            if !may {
                return Err(AppError::Forbidden);
            }
        }
        let username = parse_username(&form.username)?;
        let display_name =
            parse_name(&form.display_name, "姓名", 40).map_err(|e| AppError::invalid("display_name", e))?;
        check_password_strength(&form.password)?;
        let password_hash = hash_password(&form.password).await?;
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let user = users::create(
            &mut tx,
            &NewUser { username, display_name, password_hash, platform_admin, must_change_password },
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict("该用户名已被使用".into()),
            e => e.into(),
        })?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: None,
                action: AuditAction::UserCreate,
                object_type: "user",
                object_id: user.id.to_string(),
                details: json!({
                    "username": user.username,
                    "platform_admin": platform_admin,
                    "must_change_password": must_change_password,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The command line's `create-admin`: creates the platform administrator `form.username`, or, when that
    /// user exists, sets the new password (the display name is then left as it is). Returns whether the account
    /// was created now.
    pub async fn create_or_reset_platform_admin(&self, by: Caller<'_>, form: &UserForm) -> Result<bool> {
        by.require_platform_admin()?;
        let username = form.username.trim().to_ascii_lowercase();
        if users::by_username(&self.db, &username).await?.is_some() {
            self.reset_password(&username, &form.password).await?;
            Ok(false)
        } else {
            self.create_user(by, form, true).await?;
            Ok(true)
        }
    }

    /// Sets a new password for an existing user (command line `create-admin` on an existing name).
    pub async fn reset_password(&self, username: &str, password: &str) -> Result<User> {
        check_password_strength(password)?;
        let user = users::by_username(&self.db, username).await?.ok_or(AppError::NotFound("用户"))?;
        let hash = hash_password(password).await?;
        let mut tx = self.db.begin().await?;
        // The platform administrator runs `create-admin` for themselves: no forced change.
        users::set_password(&mut tx, user.id, &hash, false).await?;
        // Whoever signed in with the old password is signed out.
        let ended = gongkai_store::sessions::end_for_user(&mut tx, user.id).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &Actor::System("cli".into()),
                agency_id: None,
                action: AuditAction::UserPasswordReset,
                object_type: "user",
                object_id: user.id.to_string(),
                details: json!({"sessions_ended": ended}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Grants a role in `agency` to the user named `username`. Needs the admin role in that agency
    /// (or the system: the command line, the demo loader).
    pub async fn grant_role(&self, by: Caller<'_>, agency: &Agency, username: &str, role: Role) -> Result<bool> {
        by.require(agency.id, &[Role::Admin])?;
        let user = users::by_username(&self.db, username.trim()).await?.ok_or(AppError::Invalid {
            field: Some("username"),
            message: format!("用户“{}”不存在", username.trim()),
        })?;
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let added = grants::grant(&mut tx, user.id, agency.id, role).await?;
        if added {
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &actor,
                    agency_id: Some(agency.id),
                    action: AuditAction::RoleGrant,
                    object_type: "user",
                    object_id: user.id.to_string(),
                    details: json!({"username": user.username, "role": role}),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    pub async fn revoke_role(&self, by: &Principal, agency: &Agency, user_id: i64, role: Role) -> Result<bool> {
        by.require(agency.id, &[Role::Admin])?;
        let mut tx = self.db.begin().await?;
        let removed = grants::revoke(&mut tx, user_id, agency.id, role).await?;
        if removed {
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &by.actor(),
                    agency_id: Some(agency.id),
                    action: AuditAction::RoleRevoke,
                    object_type: "user",
                    object_id: user_id.to_string(),
                    details: json!({"role": role}),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The agency's staff with their roles; needs the admin or supervisor role there.
    pub async fn agency_members(&self, by: &Principal, agency: &Agency) -> Result<Vec<grants::Member>> {
        by.require(agency.id, &[Role::Admin, Role::Supervisor])?;
        Ok(grants::members(&self.db, agency.id).await?)
    }

    /// The agency's audit trail, newest first; needs the admin or supervisor role there.
    pub async fn agency_audit(
        &self,
        by: &Principal,
        agency: &Agency,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<audit::AuditEvent>> {
        by.require(agency.id, &[Role::Admin, Role::Supervisor])?;
        Ok(audit::for_agency(&self.db, agency.id, before, limit.clamp(1, 200)).await?)
    }
}

/// A staff user with the roles held per agency, for listing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffEntry {
    pub username: String,
    pub display_name: String,
    pub platform_admin: bool,
    pub active: bool,
    /// (agency code, role code) of every grant.
    pub roles: Vec<(String, &'static str)>,
}

impl App {
    /// Creates a staff user holding `role` in `agency` (an administrator of that agency or above, a platform
    /// administrator, or the system: `gongkai user add`). Both steps are audited (`user.create`, `role.grant`).
    /// Someone else chose the password (generated or read from standard input), so the user must choose their
    /// own at the first sign-in.
    pub async fn add_staff(&self, by: Caller<'_>, form: &UserForm, agency: &Agency, role: Role) -> Result<User> {
        // Checked before the account exists, so that a refusal leaves nothing behind.
        by.require(agency.id, &[Role::Admin])?;
        let user = self.create_account(by, form, false, true).await?;
        self.grant_role(by, agency, &user.username, role).await?;
        Ok(user)
    }

    /// The staff of the platform (the system) or of one agency (its administrators and supervisors), by username.
    pub async fn staff_list(&self, by: Caller<'_>, agency: Option<&Agency>) -> Result<Vec<StaffEntry>> {
        match agency {
            Some(a) => by.require(a.id, &[Role::Admin, Role::Supervisor])?,
            None => by.require_platform_admin()?,
        }
        let codes: std::collections::HashMap<i64, String> =
            agencies::list_all(&self.db).await?.into_iter().map(|a| (a.id, a.code.to_string())).collect();
        let mut out = Vec::new();
        for u in users::all(&self.db).await? {
            let grants = grants::for_user(&self.db, u.id).await?;
            if let Some(a) = agency
                && !grants.iter().any(|g| g.agency_id == a.id)
            {
                continue;
            }
            out.push(StaffEntry {
                roles: grants
                    .iter()
                    .map(|g| (codes.get(&g.agency_id).cloned().unwrap_or_default(), g.role.as_str()))
                    .collect(),
                username: u.username,
                display_name: u.display_name,
                platform_admin: u.platform_admin,
                active: u.active,
            });
        }
        Ok(out)
    }
}
