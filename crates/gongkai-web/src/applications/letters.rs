//! 文书 in the console: editing, sending and correcting a case's letters, their DOCX/PDF, and the agency's letter
//! templates and 文号 template (agency administrators). The applicant's download is in `track` and `api`.

use super::case::{Shown, case_again};
use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, file_response, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::letters::LetterFormat;
use gongkai_domain::application::letters::LetterKind;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub async fn edit(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, lid)): Path<(String, i64, i64)>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    s.app.case(p, a, id).await?;
    match s.app.edit_letter(p, a, id, lid, &f.title, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=letter#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let letter_input = Some((lid, f.title, f.body));
            case_again(&s, &cp, id, Shown { error: Some(message), letter_input, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct SendForm {
    /// The checkbox “确认按临时日期发出” of a draft that states a provisional date.
    #[serde(default)]
    confirm_provisional: Option<String>,
}

pub async fn send(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, lid)): Path<(String, i64, i64)>,
    Form(f): Form<SendForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    s.app.case(p, a, id).await?;
    let confirmed = f.confirm_provisional.is_some_and(|v| !v.is_empty());
    match s.app.send_letter(p, a, id, lid, confirmed).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=sent#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_again(&s, &cp, id, Shown::error(message)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn correct(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    s.app.case(p, a, id).await?;
    match s.app.correct_letter(p, a, id, lid).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=correct#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_again(&s, &cp, id, Shown::error(message)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ThirdPartyNoticeForm {
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    disclose_on: String,
}

pub async fn third_party_notice(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ThirdPartyNoticeForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    s.app.case(p, a, id).await?;
    let result = match gongkai_app::applications::parse_date(&f.disclose_on) {
        Ok(day) => s.app.third_party_decision_notice(p, a, id, &f.reasons, day).await,
        Err(_) => Err(AppError::Invalid { field: Some("disclose_on"), message: "请填写公开日期".into() }),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=letter#letters")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let tpn_input = Some((f.reasons, f.disclose_on));
            case_again(&s, &cp, id, Shown { error: Some(message), tpn_input, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn letter_file(
    s: &WebState,
    cp: &ConsolePage,
    id: i64,
    lid: i64,
    format: LetterFormat,
) -> Result<Response, WebError> {
    Ok(file_response(s.app.letter_file(&cp.p, &cp.agency, id, lid, format).await?))
}

pub async fn docx(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    letter_file(&s, &cp, id, lid, LetterFormat::Docx).await
}

pub async fn pdf(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, lid)): Path<(String, i64, i64)>,
) -> Result<Response, WebError> {
    letter_file(&s, &cp, id, lid, LetterFormat::Pdf).await
}

pub async fn reply_docx(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    Ok(file_response(s.app.reply_letter(p, a, id, LetterFormat::Docx).await?))
}

pub async fn reply_pdf(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    Ok(file_response(s.app.reply_letter(p, a, id, LetterFormat::Pdf).await?))
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
#[template(path = "console/letter_templates.html")]
struct TemplatesPage {
    layout: Layout,
    code: String,
    doc_no_template: String,
    rows: Vec<TemplateRow>,
    error: Option<String>,
    notice: Option<String>,
}

/// What the templates page shows besides the templates: a refusal or a notice, and what was typed into a
/// refused form (a template: kind, title, body; or the 文号 template).
#[derive(Default)]
struct TemplatesShown {
    error: Option<String>,
    notice: Option<String>,
    typed: Option<(LetterKind, String, String)>,
    typed_doc_no: Option<String>,
}

async fn render_templates(s: &WebState, cp: &ConsolePage, shown: TemplatesShown) -> Result<Response, WebError> {
    let TemplatesShown { error, notice, typed, typed_doc_no } = shown;
    let a = &cp.agency;
    let (templates, doc_no) = s.app.letter_templates(&cp.p, a).await?;
    let layout = cp.layout("文书模板");
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

pub async fn templates_page(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render_templates(&s, &cp, TemplatesShown { notice: n.text(&[], Some("已保存。")), ..Default::default() }).await
}

#[derive(Deserialize, Default)]
pub struct TemplateForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub async fn save_template(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<TemplateForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let kind = LetterKind::parse(&f.kind).map_err(|e| AppError::invalid("kind", e))?;
    match s.app.save_letter_template(p, a, kind, &f.title, &f.body).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/letter-templates?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let typed = Some((kind, f.title, f.body));
            render_templates(&s, &cp, TemplatesShown { error: Some(message), typed, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct DocNoForm {
    #[serde(default)]
    doc_no_template: String,
}

pub async fn save_doc_no(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<DocNoForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.save_doc_no_template(p, a, &f.doc_no_template).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/letter-templates?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let typed_doc_no = Some(f.doc_no_template);
            render_templates(&s, &cp, TemplatesShown { error: Some(message), typed_doc_no, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}
