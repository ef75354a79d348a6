//! 文书 over HTTP: editing, sending and downloading a case's letters (console), the agency's templates and
//! 文号 template (agency administrators), and the applicant's download of a sent letter.

use crate::applications::{
    PasswordQuery, api_password, case_with_letter_input, case_with_message, case_with_notice_input, no_store,
};
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::layout::Layout;
use crate::{WebState, csrf};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_app::AppError;
use gongkai_app::letters::{LetterFile, LetterFormat};
use gongkai_domain::application::letters::LetterKind;
use serde::Deserialize;
use tower_sessions::Session;

/// Console routes; the public download is in [`public_router`] (throttled with the other public POSTs).
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/applications/{id}/letters/{lid}", post(edit))
        .route("/console/{agency}/applications/{id}/letters/{lid}/send", post(send))
        .route("/console/{agency}/applications/{id}/letters/{lid}/correct", post(correct))
        .route("/console/{agency}/applications/{id}/letters/third-party-notice", post(third_party_notice))
        .route("/console/{agency}/applications/{id}/letters/{lid}/docx", get(docx))
        .route("/console/{agency}/applications/{id}/letters/{lid}/pdf", get(pdf))
        .route("/console/{agency}/applications/{id}/reply.docx", get(reply_docx))
        .route("/console/{agency}/applications/{id}/reply.pdf", get(reply_pdf))
        .route("/console/{agency}/letter-templates", get(templates_page).post(save_template))
        .route("/console/{agency}/letter-templates/doc-no", post(save_doc_no))
        .route("/api/v1/applications/{code}/letters/{lid}", get(api_letter))
}

pub fn public_router() -> Router<WebState> {
    Router::new().route("/track/letter", post(track_letter))
}

pub(crate) fn file_response(f: LetterFile) -> Response {
    let ascii: String = f.file_name.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        f.bytes,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn edit(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id, lid)): Path<(String, i64, i64)>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    s.app.case(&p, &a, id).await?;
    match s.app.edit_letter(&p, &a, id, lid, &f.title, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=letter#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            case_with_letter_input(&s, &session, &p, &a, id, message, (lid, f.title, f.body)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn send(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    s.app.case(&p, &a, id).await?;
    match s.app.send_letter(&p, &a, id, lid).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=sent#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_with_message(&s, &session, &p, &a, id, message).await,
        Err(e) => Err(e.into()),
    }
}

async fn correct(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    s.app.case(&p, &a, id).await?;
    match s.app.correct_letter(&p, &a, id, lid).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=correct#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_with_message(&s, &session, &p, &a, id, message).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct ThirdPartyNoticeForm {
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    disclose_on: String,
}

async fn third_party_notice(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<ThirdPartyNoticeForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    s.app.case(&p, &a, id).await?;
    let result = match gongkai_app::applications::parse_date(&f.disclose_on) {
        Ok(day) => s.app.third_party_decision_notice(&p, &a, id, &f.reasons, day).await,
        Err(_) => Err(AppError::Invalid { field: Some("disclose_on"), message: "请填写公开日期".into() }),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=letter#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            case_with_notice_input(&s, &session, &p, &a, id, message, (f.reasons, f.disclose_on)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn letter_file(
    s: &WebState,
    p: &gongkai_app::Principal,
    code: &str,
    id: i64,
    lid: i64,
    format: LetterFormat,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(p, code).await?;
    Ok(file_response(s.app.letter_file(p, &a, id, lid, format).await?))
}

async fn docx(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path((code, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    letter_file(&s, &p, &code, id, lid, LetterFormat::Docx).await
}

async fn pdf(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path((code, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    letter_file(&s, &p, &code, id, lid, LetterFormat::Pdf).await
}

async fn reply_docx(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    Ok(file_response(s.app.reply_letter(&p, &a, id, LetterFormat::Docx).await?))
}

async fn reply_pdf(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    Ok(file_response(s.app.reply_letter(&p, &a, id, LetterFormat::Pdf).await?))
}

// ---- templates (agency administrators) ----

struct TemplateRow {
    kind: &'static str,
    label: &'static str,
    title: String,
    body: String,
    customised: bool,
    placeholders: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "letter_templates.html")]
struct TemplatesPage {
    layout: Layout,
    code: String,
    doc_no_template: String,
    rows: Vec<TemplateRow>,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    notice: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render_templates(
    s: &WebState,
    session: &Session,
    p: &gongkai_app::Principal,
    a: &gongkai_store::agencies::Agency,
    error: Option<String>,
    notice: Option<String>,
    typed: Option<(LetterKind, String, String)>,
    typed_doc_no: Option<String>,
) -> Result<Response, WebError> {
    let (templates, doc_no) = s.app.letter_templates(p, a).await?;
    let mut layout = Layout::new(&s.app.config.site_name, "文书模板")
        .crumb("/console/", "工作台")
        .crumb(format!("/console/{}/", a.code), a.name.clone());
    layout.user = Some(p.user.display_name.clone());
    layout.csrf = csrf::token(session).await?;
    let rows = templates
        .into_iter()
        .map(|t| {
            // What was typed is kept when it was refused.
            let (title, body) = match &typed {
                Some((k, title, body)) if *k == t.kind => (title.clone(), body.clone()),
                _ => (t.title, t.body),
            };
            TemplateRow {
                kind: t.kind.as_str(),
                label: t.kind.label_zh(),
                title,
                body,
                customised: t.customised,
                placeholders: t
                    .kind
                    .placeholders()
                    .iter()
                    .map(|(k, d)| format!("{{{k}}}：{d}"))
                    .collect::<Vec<_>>()
                    .join("；"),
            }
        })
        .collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((
        status,
        TemplatesPage {
            layout,
            code: a.code.to_string(),
            doc_no_template: typed_doc_no.unwrap_or(doc_no),
            rows,
            error,
            notice,
        },
    )))
}

async fn templates_page(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    render_templates(&s, &session, &p, &a, None, q.notice.map(|_| "已保存。".to_owned()), None, None).await
}

#[derive(Deserialize, Default)]
struct TemplateForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn save_template(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(f): Form<TemplateForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let kind = LetterKind::parse(&f.kind).map_err(|e| AppError::invalid("kind", e))?;
    match s.app.save_letter_template(&p, &a, kind, &f.title, &f.body).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/letter-templates?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            render_templates(&s, &session, &p, &a, Some(message), None, Some((kind, f.title, f.body)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct DocNoForm {
    #[serde(default)]
    doc_no_template: String,
}

async fn save_doc_no(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(f): Form<DocNoForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    match s.app.save_doc_no_template(&p, &a, &f.doc_no_template).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/letter-templates?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            render_templates(&s, &session, &p, &a, Some(message), None, None, Some(f.doc_no_template)).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the applicant's download ----

/// `POST /track/letter` with the tracking code, the query password and the letter's id: the sent letter as PDF.
async fn track_letter(State(s): State<WebState>, Form(f): Form<Vec<(String, String)>>) -> Result<Response, WebError> {
    let field = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let letter: i64 = field("letter").trim().parse().map_err(|_| AppError::NotFound("文书"))?;
    Ok(file_response(s.app.public_letter_pdf(field("code"), field("password"), letter).await?))
}

/// `GET /api/v1/applications/{code}/letters/{id}` with the password in `X-Query-Password`: the sent letter as
/// PDF (JSON errors like the rest of the API).
async fn api_letter(
    State(s): State<WebState>,
    Path((code, lid)): Path<(String, i64)>,
    Query(q): Query<PasswordQuery>,
    headers: HeaderMap,
) -> Response {
    let password = api_password(&headers, q);
    match s.app.public_letter_pdf(&code, &password, lid).await {
        Ok(f) => file_response(f),
        Err(e) => crate::applications::api_error(e),
    }
}
