//! Staff intake of applications received offline (Art. 31 dates: submitted and received).

use super::view::{StaffIntake, render_apply_with, serde_urlencoded_compat, staff_fields};
use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_app::AppError;
use gongkai_app::applications::{ApplicationForm, parse_date};

fn intake_page(
    cp: &ConsolePage,
    form: ApplicationForm,
    st: StaffIntake,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let layout = cp.layout("登记申请").crumb(cp.href("applications"), "依申请公开");
    render_apply_with(layout, cp.href("applications/new"), Some(staff_fields(st)), &cp.agency, form, errors)
}

/// The staff intake form (当面 / 邮寄 / 平信 / 传真 / 电子邮件), today preselected.
pub async fn intake_form(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let form = s.app.new_intake_form(p, a)?;
    let st = StaffIntake { channel: "in_person".into(), submitted_on: s.app.today().to_string(), ..Default::default() };
    intake_page(&cp, form, st, Vec::new())
}

#[derive(Template, WebTemplate)]
#[template(path = "console/intake_done.html")]
struct IntakeDonePage {
    layout: Layout,
    code: String,
    id: i64,
    tracking_code: String,
    query_password: String,
}

/// Registers an application received offline; the tracking code and password are shown once.
pub async fn intake_submit(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(both): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    // One urlencoded body carries both the applicant's form and the intake fields.
    let pairs: Vec<(String, String)> = both.into_iter().filter(|(k, _)| k != "csrf").collect();
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
    let form: ApplicationForm = serde_urlencoded_compat(&encoded);
    let st: StaffIntake = serde_urlencoded_compat(&encoded);
    let mut errors = Vec::new();
    let channel = gongkai_app::applications::parse_channel(&st.channel);
    if channel.is_none() {
        errors.push(("channel", "请选择提交方式".to_owned()));
    }
    let submitted_on = parse_date(&st.submitted_on).map_err(|e| errors.push(("submitted_on", e.0))).ok();
    let received_on = match st.received_on.trim() {
        "" => None,
        r => parse_date(r).map_err(|e| errors.push(("received_on", e.0))).ok(),
    };
    if let (Some(channel), Some(submitted_on), true) = (channel, submitted_on, errors.is_empty()) {
        match s.app.register_application(p, a, &form, channel, submitted_on, received_on).await {
            Ok(done) => {
                let layout = cp.layout("申请已登记").crumb(cp.href("applications"), "依申请公开");
                return Ok(no_store((
                    StatusCode::CREATED,
                    IntakeDonePage {
                        layout,
                        code: a.code.to_string(),
                        id: done.id,
                        tracking_code: done.tracking_code.to_string(),
                        query_password: done.query_password.as_str().to_owned(),
                    },
                )));
            }
            Err(AppError::InvalidFields(e)) => errors = e,
            Err(AppError::Invalid { field, message }) => errors.push((field.unwrap_or("form"), message)),
            Err(e) => return Err(e.into()),
        }
    }
    intake_page(&cp, form, st, errors)
}
