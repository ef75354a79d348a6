//! The 公开指南 and the 公共企事业单位 directory: public reads, and edits by the agency's administrator (each
//! edit audited in its transaction).

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::guide::{Guide, UnitCategory, UnitDetails, unit_name};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::guide::{self, StoredGuide, Unit};
use gongkai_store::{Actor, NewAuditEvent, StoreError, Tx, audit};
use serde_json::json;

/// The unit form as typed (kept on rejection).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct UnitForm {
    pub name: String,
    pub category: String,
    pub address: String,
    pub phone: String,
    pub website: String,
    pub summary: String,
    pub extra_duties: String,
}

impl UnitForm {
    pub fn from_unit(u: &Unit) -> Self {
        Self {
            name: u.name.clone(),
            category: u.category.as_str().to_owned(),
            address: u.details.address.clone(),
            phone: u.details.phone.clone(),
            website: u.details.website.clone(),
            summary: u.details.summary.clone(),
            extra_duties: u.details.extra_duties.clone(),
        }
    }

    fn checked(&self) -> Result<(String, UnitCategory, UnitDetails)> {
        let name = unit_name(&self.name).map_err(|e| AppError::invalid("name", e))?;
        let category = UnitCategory::parse(self.category.trim()).map_err(|e| AppError::invalid("category", e))?;
        let details = UnitDetails {
            address: self.address.clone(),
            phone: self.phone.clone(),
            website: self.website.clone(),
            summary: self.summary.clone(),
            extra_duties: self.extra_duties.clone(),
        }
        .checked()
        .map_err(|(f, e)| AppError::invalid(f, e))?;
        Ok((name, category, details))
    }
}

fn duplicate(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => {
            AppError::Invalid { field: Some("name"), message: "本机构已登记同名单位".into() }
        }
        e => e.into(),
    }
}

async fn record(tx: &mut Tx, actor: &Actor, agency_id: i64, action: AuditAction, object: (&str, String)) -> Result<()> {
    audit::record(
        tx,
        &NewAuditEvent {
            actor,
            agency_id: Some(agency_id),
            action,
            object_type: object.0,
            object_id: object.1,
            details: json!({}),
        },
    )
    .await?;
    Ok(())
}

impl App {
    /// The agency's 公开指南, if it has one (public).
    pub async fn guide(&self, a: &Agency) -> Result<Option<StoredGuide>> {
        Ok(guide::guide(&self.db, a.id).await?)
    }

    /// The 公开指南 as the agency's administrator edits it (an empty one before the first save).
    pub async fn guide_for_edit(&self, by: &Principal, a: &Agency) -> Result<Guide> {
        by.require(a.id, &[Role::Admin])?;
        Ok(self.guide(a).await?.map(|sg| sg.guide).unwrap_or_default())
    }

    /// The agency's administrator writes its 公开指南.
    pub async fn save_guide(&self, by: &Principal, a: &Agency, g: Guide) -> Result<()> {
        by.require(a.id, &[Role::Admin])?;
        self.write_guide(&by.actor(), Some(by.user.id), a, g).await
    }

    pub(crate) async fn write_guide(&self, actor: &Actor, by: Option<i64>, a: &Agency, g: Guide) -> Result<()> {
        let g = g.checked().map_err(|(f, e)| AppError::invalid(f, e))?;
        let mut tx = self.db.begin().await?;
        guide::save_guide(&mut tx, a.id, &g, by).await?;
        let e = NewAuditEvent {
            actor,
            agency_id: Some(a.id),
            action: AuditAction::GuideSave,
            object_type: "disclosure_guide",
            object_id: a.id.to_string(),
            details: json!({"office": g.office, "phone": g.phone}),
        };
        audit::record(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 公共企事业单位 an agency supervises (public).
    pub async fn units_of(&self, a: &Agency) -> Result<Vec<Unit>> {
        Ok(guide::units_of(&self.db, a.id).await?)
    }

    /// The platform's directory, optionally of one category (`""` for all), with each unit's agency.
    pub async fn unit_directory(&self, category: &str) -> Result<Vec<(Unit, Agency)>> {
        let category = match category.trim() {
            "" => None,
            c => Some(UnitCategory::parse(c).map_err(|e| AppError::invalid("category", e))?),
        };
        let all = agencies::list_all(&self.db).await?;
        Ok(guide::all_units(&self.db, category)
            .await?
            .into_iter()
            .filter_map(|u| all.iter().find(|a| a.id == u.agency_id).cloned().map(|a| (u, a)))
            .collect())
    }

    /// One unit with its supervising agency (public).
    pub async fn unit(&self, id: i64) -> Result<(Unit, Agency)> {
        let u = guide::unit_by_id(&self.db, id).await?.ok_or(AppError::NotFound("单位"))?;
        let a = agencies::by_id(&self.db, u.agency_id).await?.ok_or(AppError::NotFound("单位"))?;
        Ok((u, a))
    }

    /// A unit of this agency, for its staff (404 for another agency's unit).
    pub async fn unit_for_staff(&self, by: &Principal, a: &Agency, id: i64) -> Result<Unit> {
        if !by.can_view(a.id) {
            return Err(AppError::NotFound("单位"));
        }
        match guide::unit_by_id(&self.db, id).await? {
            Some(u) if u.agency_id == a.id => Ok(u),
            _ => Err(AppError::NotFound("单位")),
        }
    }

    /// The empty form for registering a unit; the agency's administrator only.
    pub fn new_unit_form(&self, by: &Principal, a: &Agency) -> Result<UnitForm> {
        by.require(a.id, &[Role::Admin])?;
        Ok(UnitForm::default())
    }

    /// A unit of this agency as its administrator edits it (404 for another agency's unit).
    pub async fn unit_for_edit(&self, by: &Principal, a: &Agency, id: i64) -> Result<Unit> {
        let u = self.unit_for_staff(by, a, id).await?;
        by.require(a.id, &[Role::Admin])?;
        Ok(u)
    }

    /// The agency's administrator registers a unit it supervises.
    pub async fn create_unit(&self, by: &Principal, a: &Agency, f: &UnitForm) -> Result<i64> {
        by.require(a.id, &[Role::Admin])?;
        self.insert_unit(&by.actor(), a, f).await
    }

    pub(crate) async fn insert_unit(&self, actor: &Actor, a: &Agency, f: &UnitForm) -> Result<i64> {
        let (name, category, details) = f.checked()?;
        let mut tx = self.db.begin().await?;
        let id = guide::create_unit(&mut tx, a.id, &name, category, &details).await.map_err(duplicate)?;
        record(&mut tx, actor, a.id, AuditAction::UnitCreate, ("public_unit", id.to_string())).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agency's administrator changes a unit's record.
    pub async fn update_unit(&self, by: &Principal, a: &Agency, id: i64, f: &UnitForm) -> Result<()> {
        self.unit_for_staff(by, a, id).await?;
        by.require(a.id, &[Role::Admin])?;
        let (name, category, details) = f.checked()?;
        let mut tx = self.db.begin().await?;
        guide::update_unit(&mut tx, a.id, id, &name, category, &details).await.map_err(duplicate)?;
        record(&mut tx, &by.actor(), a.id, AuditAction::UnitUpdate, ("public_unit", id.to_string())).await?;
        tx.commit().await?;
        Ok(())
    }
}
