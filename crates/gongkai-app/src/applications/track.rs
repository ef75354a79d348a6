//! The applicant's own view: looking an application up by tracking code and query password.

use super::*;

impl App {
    /// The application and its agency for the applicant's code and password. An unknown code and a wrong
    /// password get the same answer, after the same work.
    pub(crate) async fn application_for_applicant(&self, code: &str, password: &str) -> Result<(Application, Agency)> {
        let refused =
            || AppError::Invalid { field: Some("password"), message: "查询码或查询密码不正确".into() };
        let found = match TrackingCode::parse(code) {
            Ok(c) => store::by_tracking_code(&self.db, c.as_str()).await?,
            Err(_) => None,
        };
        let typed = QueryPassword::normalise(password);
        if !self.verify_query_password(&typed, found.as_ref().map(|a| a.password_hash.as_str())).await? {
            return Err(refused());
        }
        let a = found.ok_or_else(refused)?;
        let agency = gongkai_store::agencies::by_id(&self.db, a.agency_id).await?.ok_or(AppError::NotFound("机构"))?;
        Ok((a, agency))
    }

    /// The applicant's lookup (see [`App::application_for_applicant`]).
    pub async fn track_application(&self, code: &str, password: &str) -> Result<PublicStatus> {
        let (a, agency) = self.application_for_applicant(code, password).await?;
        let letters = self.public_letters(a.id).await?;
        let events = store::events(&self.db, a.id).await?;
        let v = view(&self.case_calendar().await?, a, events, self.today());
        let channel = v
            .events
            .first()
            .and_then(|e| match &e.event.kind {
                CaseEventKind::Submitted { channel, .. } => Some(*channel),
                _ => None,
            })
            .unwrap_or(Channel::Online);
        Ok(PublicStatus {
            tracking_code: v.application.tracking_code.clone(),
            agency_name: agency.name,
            applicant_name: v.application.applicant_name.clone(),
            submitted_on: v.application.submitted_on,
            channel,
            stage: v.stage,
            status_zh: v.status_zh.clone(),
            receipt_date: v.receipt_date,
            deadlines: v.deadlines.clone(),
            outcome: v.outcome,
            timeline: v.events.iter().map(|e| (e.event.date, e.event.kind.name_zh())).collect(),
            letters,
        })
    }
}
