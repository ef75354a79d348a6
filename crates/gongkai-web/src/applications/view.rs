//! What the public form, the status page and the console's case pages share: the application form page (also
//! used for staff intake), deadline rows, and reading a form of string fields.

use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_app::applications::{ApplicationForm, DeadlineView};
use gongkai_app::model::Agency;
use gongkai_domain::application::{ApplicantType, DeliveryForm, IdDocumentType};
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template, WebTemplate)]
#[template(path = "portal/apply.html")]
pub struct ApplyPage {
    layout: Layout,
    action: String,
    staff: Option<StaffIntake>,
    agency_name: String,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
    applicant_types: Vec<(&'static str, &'static str)>,
    id_types: Vec<(&'static str, &'static str)>,
    deliveries: Vec<(&'static str, &'static str)>,
}

impl ApplyPage {
    fn err(&self, field: &str) -> Option<String> {
        let msgs: Vec<&str> = self.errors.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str()).collect();
        (!msgs.is_empty()).then(|| msgs.join("；"))
    }
}

/// The extra fields of staff intake (channel and the dates of Art. 31), as typed.
#[derive(Deserialize, Default, Clone)]
pub struct StaffIntake {
    #[serde(skip)]
    pub channels: Vec<(&'static str, &'static str)>,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub submitted_on: String,
    #[serde(default)]
    pub received_on: String,
}

/// The public application form of agency `a` (with `errors` under their fields: 400).
pub async fn render_apply(
    s: &WebState,
    session: &Session,
    a: &Agency,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let mut layout = Layout::new(&s.app.config.site_name, "依申请公开")
        .crumb("/", "首页")
        .crumb(format!("/{}/", a.code), a.name.clone());
    layout.csrf = csrf::token(session).await?;
    render_apply_with(layout, format!("/{}/apply", a.code), None, a, form, errors)
}

/// The application form page, public or staff intake (`staff` adds the intake fields).
pub fn render_apply_with(
    layout: Layout,
    action: String,
    staff: Option<StaffIntake>,
    a: &Agency,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = ApplyPage {
        layout,
        action,
        staff,
        agency_name: a.name.clone(),
        form,
        errors,
        applicant_types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
        id_types: IdDocumentType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
        deliveries: DeliveryForm::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
    };
    Ok(no_store((status, page)))
}

/// A deadline prepared for display.
pub struct DeadlineRow {
    pub label: &'static str,
    pub date: String,
    pub explanation: Vec<String>,
}

pub fn deadline_rows(d: &[DeadlineView]) -> Vec<DeadlineRow> {
    d.iter()
        .map(|d| DeadlineRow {
            label: d.label,
            date: format_date_zh(d.date),
            explanation: d.explanation.lines().map(str::to_owned).collect(),
        })
        .collect()
}

/// The intake fields with the channels staff may choose (every channel but the online form).
pub fn staff_fields(mut st: StaffIntake) -> StaffIntake {
    st.channels = gongkai_app::applications::CHANNELS
        .iter()
        .filter(|c| **c != gongkai_domain::clock::Channel::Online)
        .map(|c| (gongkai_app::applications::channel_code(*c), c.name_zh()))
        .collect();
    st
}

/// Reads a struct of string fields (all `#[serde(default)]`) from an urlencoded body; unknown keys are ignored.
pub fn serde_urlencoded_compat<T: serde::de::DeserializeOwned + Default>(encoded: &str) -> T {
    let map: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}
