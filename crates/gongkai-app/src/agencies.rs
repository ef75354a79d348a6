//! Agencies: creating them (audited) and reading the tree.

use crate::{App, AppError, Caller, Result};
use gongkai_domain::agency::{AgencyCode, AgencyKind, parse_name};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::ids::AgencyIdentifier;
use gongkai_store::agencies::{self, Agency, NewAgency};
use gongkai_store::{NewAuditEvent, audit};
use serde_json::json;

/// An agency as typed in a form or given at the command line; checked by [`App::create_agency`].
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AgencyForm {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub identifier: String,
    pub kind: String,
    /// Code of the parent agency; empty for a top-level agency.
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub sort_order: i64,
}

impl App {
    /// Creates an agency. Only a platform administrator (or the system itself) may do so.
    pub async fn create_agency(&self, by: Caller<'_>, form: &AgencyForm) -> Result<Agency> {
        by.require_platform_admin()?;
        let code = AgencyCode::parse(&form.code).map_err(|e| AppError::invalid("code", e))?;
        let name = parse_name(&form.name, "机构名称", 60).map_err(|e| AppError::invalid("name", e))?;
        let identifier = match form.identifier.trim() {
            "" => None,
            s => Some(AgencyIdentifier::parse(s).map_err(|e| AppError::invalid("identifier", e))?.as_str().to_owned()),
        };
        let kind = AgencyKind::parse(&form.kind).map_err(|e| AppError::invalid("kind", e))?;
        let parent_id = match form.parent.trim() {
            "" => None,
            p => Some(
                agencies::by_code(&self.db, p)
                    .await?
                    .ok_or(AppError::Invalid {
                        field: Some("parent"), message: format!("上级机构“{p}”不存在")
                    })?
                    .id,
            ),
        };
        let actor = by.actor();
        let new = NewAgency { code, name, identifier, kind, parent_id, sort_order: form.sort_order };
        let mut tx = self.db.begin().await?;
        let agency = agencies::create(&mut tx, &new).await.map_err(|e| match e {
            gongkai_store::StoreError::Conflict(_) => AppError::Conflict(format!("机构代码“{}”已被使用", new.code)),
            e => e.into(),
        })?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::AgencyCreate,
                object_type: "agency",
                object_id: agency.id.to_string(),
                details: json!({"code": agency.code, "name": agency.name, "kind": agency.kind, "parent_id": agency.parent_id}),
            },
        )
        .await?;
        // Every agency starts with the default catalog columns (法定主动公开内容 and the others).
        gongkai_store::catalog::seed_columns(&mut tx, agency.id, gongkai_domain::catalog::DEFAULT_COLUMNS).await?;
        tx.commit().await?;
        Ok(agency)
    }

    pub async fn agency_by_code(&self, code: &str) -> Result<Agency> {
        agencies::by_code(&self.db, code).await?.ok_or(AppError::NotFound("机构"))
    }

    /// Every agency in tree order (depth-first, siblings by sort order), with its depth.
    pub async fn agency_tree(&self) -> Result<Vec<(Agency, usize)>> {
        let all = agencies::list_all(&self.db).await?;
        let mut out = Vec::with_capacity(all.len());
        fn walk(all: &[Agency], parent: Option<i64>, depth: usize, out: &mut Vec<(Agency, usize)>) {
            // Depth is bounded by the data; a cycle cannot be written (parents exist before children).
            for a in all.iter().filter(|a| a.parent_id == parent) {
                out.push((a.clone(), depth));
                walk(all, Some(a.id), depth + 1, out);
            }
        }
        walk(&all, None, 0, &mut out);
        Ok(out)
    }

    /// The parent of an agency (none for a top-level one).
    pub async fn agency_parent(&self, a: &Agency) -> Result<Option<Agency>> {
        match a.parent_id {
            Some(pid) => Ok(agencies::by_id(&self.db, pid).await?),
            None => Ok(None),
        }
    }

    /// The direct children of an agency.
    pub async fn agency_children(&self, id: i64) -> Result<Vec<Agency>> {
        Ok(agencies::children(&self.db, Some(id)).await?)
    }
}
