//! Staff administration in the console (issue 15): the staff of an agency and its descendants, creating
//! accounts, names, roles, disabling and enabling, password resets, and one's own password.
//!
//! Who may manage whom: a platform administrator everyone (but never disables themselves); an agency's
//! administrator (管理员) the users whose every role lies in its agency or the agencies beneath it, and never a
//! platform administrator — so nobody raises someone above their own power, or lowers someone who holds power
//! elsewhere. A password chosen by someone else (created or reset here) must be changed at the next sign-in.

use crate::auth::{check_password_strength, hash_password, verify_password};
use crate::{App, AppError, Principal, Result, UserForm};
use gongkai_domain::agency::{Role, parse_name};
use gongkai_domain::audit::AuditAction;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::users::{self, User};
use gongkai_store::{NewAuditEvent, audit, grants, sessions};
use serde_json::json;
use std::collections::BTreeSet;

/// Rows per page of the staff list.
pub const STAFF_PAGE: usize = 50;

/// The filters of the staff list (all optional).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct StaffFilter {
    /// Part of the username or name.
    pub q: String,
    /// A role code (`admin` …); empty for any.
    pub role: String,
    /// `active`, `disabled`, or empty for both.
    pub status: String,
    /// 1-based.
    pub page: Option<usize>,
}

/// One user in the staff administration.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub user: User,
    /// (agency, role) of every grant, in the agency tree's order.
    pub roles: Vec<(Agency, Role)>,
    /// Whether the viewer may change this user (name, roles, status, password).
    pub manageable: bool,
}

/// A page of the staff list.
#[derive(Debug, Clone)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// A new account or a reset: the user and the password to hand over (shown once).
#[derive(Debug, Clone)]
pub struct IssuedPassword {
    pub user: User,
    pub password: String,
}

impl App {
    /// The agencies beneath and including `agency` (tree order) if `p` administers it or an agency above it.
    async fn admin_scope(&self, p: &Principal, agency: &Agency) -> Result<Vec<Agency>> {
        let tree = self.agency_tree().await?;
        let subtree: BTreeSet<i64> = agencies::subtree_ids(&self.db, agency.id).await?.into_iter().collect();
        if !self.administers(p, agency.id).await? {
            return Err(AppError::Forbidden);
        }
        Ok(tree.into_iter().map(|(a, _)| a).filter(|a| subtree.contains(&a.id)).collect())
    }

    /// Whether `p` is a platform administrator or holds 管理员 in `agency_id` or an agency above it.
    async fn administers(&self, p: &Principal, agency_id: i64) -> Result<bool> {
        if p.is_platform_admin() {
            return Ok(true);
        }
        for a in p.agency_ids().filter(|a| p.roles_in(*a).contains(&Role::Admin)).collect::<Vec<_>>() {
            if agencies::subtree_ids(&self.db, a).await?.contains(&agency_id) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether `p` may change `user`, who holds `roles` (see the module's rules).
    async fn may_manage(&self, p: &Principal, user: &User, roles: &[(Agency, Role)]) -> Result<bool> {
        if p.is_platform_admin() {
            return Ok(true);
        }
        if user.platform_admin || roles.is_empty() {
            return Ok(false);
        }
        for (a, _) in roles {
            if !self.administers(p, a.id).await? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The staff holding a role in `agency` or beneath it, filtered and paged; needs its administrator.
    pub async fn staff_of(&self, p: &Principal, agency: &Agency, f: &StaffFilter) -> Result<StaffList> {
        let scope = self.admin_scope(p, agency).await?;
        let order: Vec<i64> = scope.iter().map(|a| a.id).collect();
        let role = match f.role.trim() {
            "" => None,
            r => Some(Role::parse(r).map_err(|e| AppError::invalid("role", e))?),
        };
        let q = f.q.trim().to_lowercase();
        let grants = grants::all(&self.db).await?;
        let mut members = Vec::new();
        for user in users::all(&self.db).await? {
            let mut roles: Vec<(Agency, Role)> = grants
                .iter()
                .filter(|(u, _, _)| *u == user.id)
                .filter_map(|(_, a, r)| scope.iter().find(|s| s.id == *a).map(|s| (s.clone(), *r)))
                .collect();
            if roles.is_empty()
                || role.is_some_and(|r| !roles.iter().any(|(_, held)| *held == r))
                || (f.status == "active" && !user.active)
                || (f.status == "disabled" && user.active)
                || (!q.is_empty()
                    && !user.username.to_lowercase().contains(&q)
                    && !user.display_name.to_lowercase().contains(&q))
            {
                continue;
            }
            roles.sort_by_key(|(a, r)| (order.iter().position(|id| *id == a.id), *r));
            let all_roles = self.roles_of(user.id).await?;
            let manageable = self.may_manage(p, &user, &all_roles).await?;
            members.push(StaffMember { user, roles, manageable });
        }
        let total = members.len();
        let pages = total.div_ceil(STAFF_PAGE).max(1);
        let page = f.page.unwrap_or(1).clamp(1, pages);
        let members = members.into_iter().skip((page - 1) * STAFF_PAGE).take(STAFF_PAGE).collect();
        Ok(StaffList { members, total, page, pages })
    }

    /// The agencies where `p` may create staff from `agency`'s page (the agency and those beneath it).
    pub async fn staff_agencies(&self, p: &Principal, agency: &Agency) -> Result<Vec<Agency>> {
        self.admin_scope(p, agency).await
    }

    /// Every grant of a user, with its agency.
    async fn roles_of(&self, user_id: i64) -> Result<Vec<(Agency, Role)>> {
        let mut out = Vec::new();
        for g in grants::for_user(&self.db, user_id).await? {
            if let Some(a) = agencies::by_id(&self.db, g.agency_id).await? {
                out.push((a, g.role));
            }
        }
        Ok(out)
    }

    /// One user of `agency`'s staff (holding a role there or beneath): not found otherwise, so that other
    /// tenants' users are not confirmed.
    pub async fn staff_member(&self, p: &Principal, agency: &Agency, user_id: i64) -> Result<StaffMember> {
        let scope = self.admin_scope(p, agency).await?;
        let user = users::by_id(&self.db, user_id).await?.ok_or(AppError::NotFound("用户"))?;
        let roles = self.roles_of(user.id).await?;
        if !roles.iter().any(|(a, _)| scope.iter().any(|s| s.id == a.id)) {
            return Err(AppError::NotFound("用户"));
        }
        let manageable = self.may_manage(p, &user, &roles).await?;
        Ok(StaffMember { user, roles, manageable })
    }

    /// A member `p` may change, or `Forbidden`.
    async fn manageable_member(&self, p: &Principal, agency: &Agency, user_id: i64) -> Result<StaffMember> {
        let m = self.staff_member(p, agency, user_id).await?;
        if !m.manageable {
            return Err(AppError::Forbidden);
        }
        Ok(m)
    }

    /// Creates a staff account holding `role` in `target` (the agency or one beneath it), with a generated
    /// password to hand over, which the user must change at the first sign-in.
    pub async fn create_staff_member(
        &self,
        p: &Principal,
        agency: &Agency,
        username: &str,
        display_name: &str,
        target: &str,
        role: Role,
    ) -> Result<IssuedPassword> {
        let scope = self.admin_scope(p, agency).await?;
        let target = scope
            .iter()
            .find(|a| a.code.as_str() == target.trim())
            .ok_or(AppError::Invalid { field: Some("agency"), message: "请选择本机构或下级机构".into() })?;
        let password = crate::random_token(16);
        let form = UserForm { username: username.into(), display_name: display_name.into(), password };
        // Checked above: `p` administers `target`; the account and its first role are audited.
        let user = self.create_account(p.into(), &form, false, true).await?;
        self.grant_in_scope(p, target, &user, role).await?;
        Ok(IssuedPassword { user, password: form.password })
    }

    /// Grants `role` in `target` to `user` (audited `role.grant`); `p` must administer `target`.
    async fn grant_in_scope(&self, p: &Principal, target: &Agency, user: &User, role: Role) -> Result<bool> {
        if !self.administers(p, target.id).await? {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        let added = grants::grant(&mut tx, user.id, target.id, role).await?;
        if added {
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &p.actor(),
                    agency_id: Some(target.id),
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

    /// Grants a role in `target` (the agency or beneath) to a member `p` may manage.
    pub async fn grant_staff_role(
        &self,
        p: &Principal,
        agency: &Agency,
        user_id: i64,
        target: &str,
        role: Role,
    ) -> Result<bool> {
        let m = self.manageable_member(p, agency, user_id).await?;
        let scope = self.admin_scope(p, agency).await?;
        let target = scope
            .iter()
            .find(|a| a.code.as_str() == target.trim())
            .ok_or(AppError::Invalid { field: Some("agency"), message: "请选择本机构或下级机构".into() })?;
        self.grant_in_scope(p, target, &m.user, role).await
    }

    /// Revokes a role of a member `p` may manage; nobody revokes their own 管理员 role (they would lock
    /// themselves out).
    pub async fn revoke_staff_role(
        &self,
        p: &Principal,
        agency: &Agency,
        user_id: i64,
        target: &str,
        role: Role,
    ) -> Result<bool> {
        let m = self.manageable_member(p, agency, user_id).await?;
        if m.user.id == p.user.id && role == Role::Admin {
            return Err(AppError::Invalid { field: None, message: "不能撤销本人的管理员角色".into() });
        }
        let Some((target, _)) = m.roles.iter().find(|(a, r)| a.code.as_str() == target && *r == role) else {
            return Ok(false);
        };
        if !self.administers(p, target.id).await? {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        let removed = grants::revoke(&mut tx, m.user.id, target.id, role).await?;
        if removed {
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &p.actor(),
                    agency_id: Some(target.id),
                    action: AuditAction::RoleRevoke,
                    object_type: "user",
                    object_id: m.user.id.to_string(),
                    details: json!({"username": m.user.username, "role": role}),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// Changes a member's name (audited `user.update`).
    pub async fn rename_staff(&self, p: &Principal, agency: &Agency, user_id: i64, name: &str) -> Result<()> {
        let m = self.manageable_member(p, agency, user_id).await?;
        let name = parse_name(name, "姓名", 40).map_err(|e| AppError::invalid("display_name", e))?;
        if name == m.user.display_name {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        users::set_display_name(&mut tx, m.user.id, &name).await?;
        self.record_user_event(
            &mut tx,
            p,
            agency,
            &m.user,
            AuditAction::UserUpdate,
            json!({
                "username": m.user.username, "from": m.user.display_name, "name": name,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (ending every session) or enables a member; nobody disables themselves.
    pub async fn set_staff_active(&self, p: &Principal, agency: &Agency, user_id: i64, active: bool) -> Result<()> {
        let m = self.manageable_member(p, agency, user_id).await?;
        if m.user.id == p.user.id && !active {
            return Err(AppError::Invalid { field: None, message: "不能停用本人的账号".into() });
        }
        if m.user.active == active {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        users::set_active(&mut tx, m.user.id, active).await?;
        let ended = if active { 0 } else { sessions::end_for_user(&mut tx, m.user.id).await? };
        let action = if active { AuditAction::UserEnable } else { AuditAction::UserDisable };
        let details = json!({"username": m.user.username, "sessions_ended": ended});
        self.record_user_event(&mut tx, p, agency, &m.user, action, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a generated password for a member (shown once), ending their sessions; they must change it at the
    /// next sign-in. One's own password is changed on the account page instead.
    pub async fn reset_staff_password(&self, p: &Principal, agency: &Agency, user_id: i64) -> Result<IssuedPassword> {
        let m = self.manageable_member(p, agency, user_id).await?;
        if m.user.id == p.user.id {
            return Err(AppError::Invalid {
                field: None, message: "请在“修改密码”页面修改本人的密码".into()
            });
        }
        let password = crate::random_token(16);
        let hash = hash_password(&password).await?;
        let mut tx = self.db.begin().await?;
        users::set_password(&mut tx, m.user.id, &hash, true).await?;
        let ended = sessions::end_for_user(&mut tx, m.user.id).await?;
        let details = json!({"username": m.user.username, "sessions_ended": ended});
        self.record_user_event(&mut tx, p, agency, &m.user, AuditAction::UserPasswordReset, details).await?;
        tx.commit().await?;
        Ok(IssuedPassword { user: m.user, password })
    }

    async fn record_user_event(
        &self,
        tx: &mut gongkai_store::Tx,
        p: &Principal,
        agency: &Agency,
        user: &User,
        action: AuditAction,
        details: serde_json::Value,
    ) -> Result<()> {
        audit::record(
            tx,
            &NewAuditEvent {
                actor: &p.actor(),
                agency_id: Some(agency.id),
                action,
                object_type: "user",
                object_id: user.id.to_string(),
                details,
            },
        )
        .await?;
        Ok(())
    }

    /// The signed-in user changes their own password (the current one is asked again). Every session of the
    /// user ends; the web layer keeps the one of the request under a new id.
    pub async fn change_own_password(&self, p: &Principal, current: &str, new: &str, confirm: &str) -> Result<()> {
        let hash = users::password_hash(&self.db, p.user.id).await?.ok_or(AppError::NotFound("用户"))?;
        if !verify_password(current, &hash).await {
            return Err(AppError::Invalid { field: Some("current"), message: "当前密码不正确".into() });
        }
        check_password_strength(new)?;
        if new != confirm {
            return Err(AppError::Invalid {
                field: Some("confirm"), message: "两次输入的新密码不一致".into()
            });
        }
        if new == current {
            return Err(AppError::Invalid {
                field: Some("password"), message: "新密码不能与当前密码相同".into()
            });
        }
        let hash = hash_password(new).await?;
        let mut tx = self.db.begin().await?;
        users::set_password(&mut tx, p.user.id, &hash, false).await?;
        let ended = sessions::end_for_user(&mut tx, p.user.id).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &p.actor(),
                agency_id: None,
                action: AuditAction::UserPasswordChange,
                object_type: "user",
                object_id: p.user.id.to_string(),
                details: json!({"username": p.user.username, "sessions_ended": ended}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The key that signs the CSRF cookie of anonymous forms, shared by every node (stored once, read once
    /// per process).
    pub async fn csrf_secret(&self) -> Result<String> {
        let secret = self
            .csrf_secret
            .get_or_try_init(|| async {
                let fresh = crate::random_token(48);
                gongkai_store::secrets::get_or_create(&self.db, "csrf", &fresh).await
            })
            .await?;
        Ok(secret.clone())
    }
}
