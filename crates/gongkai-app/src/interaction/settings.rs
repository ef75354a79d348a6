//! The agency's time limits of the interaction channels (docs/law/public-interaction.md: every limit is
//! configurable per tenant), set by its administrator.

use crate::{App, AppError, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::interaction::limits::Limits;
use gongkai_store::agencies::Agency;
use gongkai_store::audit::{self, NewAuditEvent};
use serde_json::json;

impl App {
    /// The agency's limits: what its administrator set, else the law file's defaults.
    pub async fn interaction_limits(&self, agency: &Agency) -> Result<Limits> {
        Ok(gongkai_store::calls::limits(&self.db, agency.id).await?.unwrap_or_default())
    }

    /// Sets the agency's limits (its administrators); each value checked, every problem with its field. New
    /// letters, calls and orders without a deadline in the file use them; letters already received keep theirs.
    pub async fn save_interaction_limits(&self, p: &Principal, agency: &Agency, limits: Limits) -> Result<()> {
        p.require(agency.id, &[Role::Admin])?;
        limits.check().map_err(AppError::InvalidFields)?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        gongkai_store::calls::save_limits(&mut tx, agency.id, &limits, actor.label()).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::InteractionSettings,
                object_type: "agency",
                object_id: agency.id.to_string(),
                details: json!({"name": agency.name, "limits": limits}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
