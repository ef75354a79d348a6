//! The public application form `/{agency}/apply` (依申请公开): multipart with attachments, or urlencoded.

use super::view::{render_apply, serde_urlencoded_compat};
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use gongkai_app::AppError;
use gongkai_app::applications::ApplicationForm;
use tower_sessions::Session;

/// The empty form (natural person, 身份证, delivery by e-mail preselected).
pub async fn apply_form(
    State(s): State<WebState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let form = ApplicationForm {
        applicant_type: "natural_person".into(),
        id_type: "id_card".into(),
        delivery: "email".into(),
        ..Default::default()
    };
    render_apply(&s, &session, &a, form, Vec::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/apply_done.html")]
struct ApplyDonePage {
    layout: Layout,
    agency_name: String,
    tracking_code: String,
    query_password: String,
}

/// The public form arrives as multipart (it may carry attachments); a urlencoded post (no files) is accepted too.
pub async fn apply_submit(
    State(s): State<WebState>,
    session: Session,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, WebError> {
    use axum::extract::FromRequest;
    let a = s.app.agency_by_code(&code).await?;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut uploads = Vec::new();
    if is_multipart {
        let bad = |_| {
            WebError::App(AppError::Invalid { field: None, message: "表单数据不完整，请重新提交".into() })
        };
        let mut mp = axum::extract::Multipart::from_request(req, &s).await.map_err(|_| WebError::TooLarge)?;
        while let Some(field) = mp.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_owned();
            if name == "attachments" {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                uploads.push(gongkai_app::applications::Upload { name: file_name, bytes: bytes.to_vec() });
            } else {
                fields.push((name, field.text().await.map_err(bad)?));
            }
        }
    } else {
        let Form(f) = Form::<Vec<(String, String)>>::from_request(req, &s)
            .await
            .map_err(|_| WebError::App(AppError::Invalid { field: None, message: "表单数据不完整".into() }))?;
        fields = f;
    }
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
    let form: ApplicationForm = serde_urlencoded_compat(&encoded);
    match s.app.submit_application_with_files(&code, &form, uploads).await {
        Ok(done) => {
            let layout = Layout::new(&s.app.config.site_name, "申请已提交")
                .crumb("/", "首页")
                .crumb(format!("/{}/", a.code), a.name.clone());
            // Shown once: the response is never cached, and the password is not kept anywhere in clear.
            Ok(no_store((
                StatusCode::CREATED,
                ApplyDonePage {
                    layout,
                    agency_name: done.agency_name,
                    tracking_code: done.tracking_code.to_string(),
                    query_password: done.query_password.as_str().to_owned(),
                },
            )))
        }
        Err(AppError::InvalidFields(errors)) => render_apply(&s, &session, &a, form, errors).await,
        Err(AppError::Invalid { field, message }) => {
            render_apply(&s, &session, &a, form, vec![(field.unwrap_or("form"), message)]).await
        }
        Err(e) => Err(e.into()),
    }
}
