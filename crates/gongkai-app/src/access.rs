//! Who may do what where. A role granted in an agency applies there; a supervisor role also reaches every
//! agency beneath it (the 主管部门 watches its agencies); a platform administrator may do everything.

use crate::{App, AppError, Result};
use gongkai_domain::agency::Role;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::{Actor, grants, users, users::User};
use std::collections::{BTreeMap, BTreeSet};

/// Roles that may open cases: the handlers, the approvers, the agency's administrators and supervisors.
pub(crate) const CASE_READERS: &[Role] = &[Role::CaseHandler, Role::Reviewer, Role::Admin, Role::Supervisor];
/// Roles that record the steps of a case.
pub(crate) const CASE_WORKERS: &[Role] = &[Role::CaseHandler, Role::Admin];
/// 延期答复 needs the consent of the head of the disclosure office (条例 Art. 33¶2): on the platform that is a
/// user holding the **Reviewer** (审核人) or **Admin** (管理员) role in the agency — a case handler alone may not.
pub(crate) const EXTENSION_APPROVERS: &[Role] = &[Role::Reviewer, Role::Admin];
/// A signed-in staff user with the roles they hold in each agency they can reach.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    /// Effective roles by agency id (grants plus supervision inherited down the tree).
    roles: BTreeMap<i64, BTreeSet<Role>>,
    /// Agencies the user evaluates as a third party (第三方评估人, inherited down the tree). Kept apart from
    /// `roles`, so that the evaluator role makes no agency visible to any other page.
    evaluates: BTreeSet<i64>,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor::User { id: self.user.id, username: self.user.username.clone() }
    }

    pub fn is_platform_admin(&self) -> bool {
        self.user.platform_admin
    }

    /// The roles the user holds in `agency_id` (a platform administrator holds all of them everywhere).
    pub fn roles_in(&self, agency_id: i64) -> BTreeSet<Role> {
        if self.user.platform_admin {
            return Role::ALL.into_iter().collect();
        }
        self.roles.get(&agency_id).cloned().unwrap_or_default()
    }

    pub fn can_view(&self, agency_id: i64) -> bool {
        self.user.platform_admin || self.roles.contains_key(&agency_id)
    }

    /// Whether the user holds any of `roles` in the agency (for showing or hiding a control; the use case checks
    /// again).
    pub fn may(&self, agency_id: i64, roles: &[Role]) -> bool {
        let held = self.roles_in(agency_id);
        roles.iter().any(|r| held.contains(r))
    }

    /// Ok when the user holds any of `roles` in the agency; `Forbidden` otherwise.
    pub fn require(&self, agency_id: i64, roles: &[Role]) -> Result<()> {
        if self.may(agency_id, roles) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Whether the user supervises some agency (or administers the platform): the auditor is theirs.
    pub fn supervises_any(&self) -> bool {
        self.user.platform_admin || self.roles.values().any(|r| r.contains(&Role::Supervisor))
    }

    /// Whether the user may open the evaluation (考核) pages of the agency as a third-party evaluator.
    pub fn evaluates(&self, agency_id: i64) -> bool {
        self.user.platform_admin || self.evaluates.contains(&agency_id)
    }

    /// Agency ids where the user holds the third-party evaluator role (directly or inherited), for listing.
    pub fn evaluated_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.evaluates.iter().copied()
    }

    /// Agency ids the user can reach, for listing.
    pub fn agency_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.roles.keys().copied()
    }
}

/// Who asks for a use case: a signed-in staff member (always permission-checked) or the platform itself
/// (the command line, the demo loader, tests), named for the audit trail as `Actor::System(..)`.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    Staff(&'a Principal),
    /// The system and who runs it: `"cli"`, `"demo"` …
    System(&'static str),
}

impl<'a> From<&'a Principal> for Caller<'a> {
    fn from(p: &'a Principal) -> Self {
        Caller::Staff(p)
    }
}

impl Caller<'_> {
    /// The actor recorded in the audit trail.
    pub fn actor(&self) -> Actor {
        match self {
            Caller::Staff(p) => p.actor(),
            Caller::System(who) => Actor::System((*who).into()),
        }
    }

    /// Staff: ok when they hold any of `roles` in the agency. The system may do everything.
    pub fn require(&self, agency_id: i64, roles: &[Role]) -> Result<()> {
        match self {
            Caller::Staff(p) => p.require(agency_id, roles),
            Caller::System(_) => Ok(()),
        }
    }

    /// Staff: ok for a platform administrator only. The system may do everything.
    pub fn require_platform_admin(&self) -> Result<()> {
        match self {
            Caller::Staff(p) if !p.is_platform_admin() => Err(AppError::Forbidden),
            _ => Ok(()),
        }
    }
}

impl App {
    /// Loads the principal of a (session's) user id; `None` when the user no longer exists or is disabled.
    pub async fn principal(&self, user_id: i64) -> Result<Option<Principal>> {
        let Some(user) = users::by_id(&self.db, user_id).await? else { return Ok(None) };
        if !user.active {
            return Ok(None);
        }
        let mut roles: BTreeMap<i64, BTreeSet<Role>> = BTreeMap::new();
        let mut evaluates = BTreeSet::new();
        for g in grants::for_user(&self.db, user.id).await? {
            if g.role == Role::Evaluator {
                evaluates.extend(agencies::subtree_ids(&self.db, g.agency_id).await?);
            } else if g.role.reaches_descendants() {
                for id in agencies::subtree_ids(&self.db, g.agency_id).await? {
                    roles.entry(id).or_default().insert(g.role);
                }
            } else {
                roles.entry(g.agency_id).or_default().insert(g.role);
            }
        }
        Ok(Some(Principal { user, roles, evaluates }))
    }

    /// The agencies a principal can open in the console, in tree order.
    pub async fn console_agencies(&self, p: &Principal) -> Result<Vec<(Agency, BTreeSet<Role>)>> {
        let all = self.agency_tree().await?;
        Ok(all
            .into_iter()
            .filter(|(a, _)| p.can_view(a.id))
            .map(|(a, _)| {
                let roles = p.roles_in(a.id);
                (a, roles)
            })
            .collect())
    }

    /// Looks an agency up for a console page, refusing it (as not found, so that other tenants' codes are not
    /// confirmed) unless the principal may see it.
    pub async fn console_agency(&self, p: &Principal, code: &str) -> Result<Agency> {
        match agencies::by_code(&self.db, code).await? {
            Some(a) if p.can_view(a.id) => Ok(a),
            _ => Err(AppError::NotFound("机构")),
        }
    }
}
