//! Publishing in the console (信息发布): the agency's entries, the draft form, and the workflow actions
//! (submit, return, approve with the 保密审查 note, publish, unpublish with a reason). Permission checks are in
//! the app; this module only translates HTTP.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_app::AppError;
use gongkai_app::catalog::EntryForm;
use gongkai_app::model::{Column, Entry};
use gongkai_domain::agency::Role;
use gongkai_domain::catalog::{DocClass, EntryStatus, Validity};
use serde::Deserialize;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/console/{agency}/catalog", get(list))
        .route("/console/{agency}/catalog/new", get(new_form).post(create))
        .route("/console/{agency}/catalog/{id}", get(edit_form).post(save))
        .route("/console/{agency}/catalog/{id}/attachments", post(upload))
        .route("/console/{agency}/catalog/{id}/validity", post(validity))
        .route("/console/{agency}/catalog/{id}/interprets", post(interprets))
        .route("/console/{agency}/catalog/{id}/{action}", post(act))
}

struct Row {
    id: i64,
    title: String,
    column: String,
    status: &'static str,
    index_no: String,
    updated: String,
    /// 条例 Art. 26 flag, if any.
    warning: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/catalog.html")]
struct ListPage {
    layout: Layout,
    code: String,
    rows: Vec<Row>,
    can_edit: bool,
    /// Published policies without an interpretation: (console href, title).
    lacking: Vec<(String, String)>,
}

fn column_name(columns: &[Column], id: i64) -> String {
    columns.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default()
}

fn column_slug(columns: &[Column], id: i64) -> String {
    columns.iter().find(|c| c.id == id).map(|c| c.slug.clone()).unwrap_or_default()
}

async fn list(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let entries = s.app.entries_for_staff(p, a, 0).await?;
    let columns = s.app.columns(a).await?;
    let rows = entries
        .iter()
        .map(|e| Row {
            id: e.id,
            title: e.fields.title.clone(),
            column: column_name(&columns, e.fields.column_id),
            status: e.status.label_zh(),
            index_no: e.index_no.clone().unwrap_or_default(),
            updated: datetime_zh(e.updated_at),
            warning: gongkai_app::catalog::timeliness(e).and_then(|t| t.warning_zh()),
        })
        .collect();
    let l = cp.layout(format!("{}：信息发布", a.name));
    let can_edit = p.require(a.id, &[Role::Editor, Role::Admin]).is_ok();
    let lacking = s
        .app
        .policies_lacking_interpretation(p, a)
        .await?
        .into_iter()
        .map(|e| (format!("/console/{code}/catalog/{}", e.id), e.fields.title))
        .collect();
    Ok(no_store(ListPage { layout: l, code: code.to_owned(), rows, can_edit, lacking }))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/entry.html")]
struct EntryPage {
    layout: Layout,
    code: String,
    /// `None` for a new entry.
    id: Option<i64>,
    form: EntryForm,
    error: Option<String>,
    notice: Option<String>,
    columns: Vec<(String, String, bool)>,
    classes: Vec<(&'static str, &'static str)>,
    validities: Vec<(&'static str, &'static str)>,
    editable: bool,
    status: Option<&'static str>,
    /// Multi-level review progress, e.g. `已完成1/3级审核`.
    progress: Option<String>,
    /// What the 保密审查 recorded: time and note.
    review: Option<(String, String)>,
    index_no: String,
    /// 条例 Art. 26: the deadline and, if any, the warning.
    deadline: Option<(String, Option<String>)>,
    unpublish_reason: String,
    portal_href: Option<String>,
    can_submit: bool,
    can_review: bool,
    can_publish: bool,
    can_unpublish: bool,
    /// The policy this entry interprets (its number), when the user may link one; `None` hides the form.
    interprets_form: Option<String>,
    /// A published 规章/规范性文件 whose validity the user may change: its current validity code.
    validity_form: Option<String>,
    /// (file name, size in KB) of each attachment.
    attachments: Vec<(String, String)>,
    /// The year of the annual report this entry publishes: the entry is frozen, changes go through the report.
    report_year: Option<i32>,
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    entry: Option<&Entry>,
    form: EntryForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let columns = s.app.columns(a).await?;
    let attachments = match entry {
        Some(e) => s
            .app
            .attachments(e)
            .await?
            .into_iter()
            .map(|f| (f.file_name, format!("{:.1}", f.size as f64 / 1024.0)))
            .collect(),
        None => vec![],
    };
    let report_year = match entry {
        Some(e) => s.app.report_of_entry(e).await?,
        None => None,
    };
    let frozen = report_year.is_some();
    let is_editor = p.require(a.id, &[Role::Editor, Role::Admin]).is_ok() && !frozen;
    let is_reviewer = p.require(a.id, &[Role::Reviewer, Role::Admin]).is_ok() && !frozen;
    let status = entry.map(|e| e.status);
    let editable = is_editor && matches!(status, None | Some(EntryStatus::Draft | EntryStatus::Unpublished));
    let title = match entry {
        Some(e) => e.fields.title.clone(),
        None => "新建信息".to_owned(),
    };
    let code = a.code.to_string();
    let l = cp.layout(title).crumb(cp.href("catalog"), "信息发布");
    let page = EntryPage {
        layout: l,
        id: entry.map(|e| e.id),
        columns: columns
            .iter()
            .map(|c| {
                let label = if c.parent_id.is_some() { format!("— {}", c.name) } else { c.name.clone() };
                (c.slug.clone(), label, c.slug == form.column)
            })
            .collect(),
        form,
        error: error.clone(),
        notice,
        classes: DocClass::ALL.iter().map(|c| (c.as_str(), c.label_zh())).collect(),
        validities: Validity::ALL.iter().map(|v| (v.as_str(), v.label_zh())).collect(),
        editable,
        status: status.map(EntryStatus::label_zh),
        progress: entry
            .filter(|e| e.status == EntryStatus::Submitted && s.app.config.review_levels > 1)
            .map(|e| format!("已完成{}/{}级审核", e.approvals, s.app.config.review_levels)),
        review: entry.and_then(|e| e.reviewed_at.map(|t| (datetime_zh(t), e.review_note.clone()))),
        index_no: entry.and_then(|e| e.index_no.clone()).unwrap_or_default(),
        deadline: entry
            .and_then(gongkai_app::catalog::timeliness)
            .map(|t| (gongkai_app::catalog::date_zh(t.deadline()), t.warning_zh())),
        unpublish_reason: entry.map(|e| e.unpublish_reason.clone()).unwrap_or_default(),
        portal_href: entry
            .filter(|e| e.status == EntryStatus::Published)
            .map(|e| format!("/{code}/{}/{}", column_slug(&columns, e.fields.column_id), e.id)),
        can_submit: is_editor && status == Some(EntryStatus::Draft),
        can_review: is_reviewer && status == Some(EntryStatus::Submitted),
        can_publish: is_reviewer && status == Some(EntryStatus::Reviewed),
        can_unpublish: is_reviewer && status == Some(EntryStatus::Published),
        attachments,
        interprets_form: entry
            .filter(|_| is_editor || is_reviewer)
            .filter(|e| {
                e.interprets.is_some()
                    || column_slug(&columns, e.fields.column_id)
                        == gongkai_domain::catalog::FixedColumn::Interpretations
            })
            .map(|e| e.interprets.map(|i| i.to_string()).unwrap_or_default()),
        validity_form: entry
            .filter(|e| is_reviewer && e.status == EntryStatus::Published && e.fields.doc_class.has_validity())
            .map(|e| e.fields.validity.map(|v| v.as_str().to_owned()).unwrap_or_default()),
        report_year,
        code,
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

async fn new_form(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let form = s.app.new_entry_form(p, a)?;
    render(&s, &cp, None, form, None, None).await
}

async fn create(State(s): State<WebState>, cp: ConsolePage, Form(f): Form<EntryForm>) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.create_entry(p, a, &f).await {
        Ok(e) => Ok(Redirect::to(&format!("/console/{code}/catalog/{}?notice=saved", e.id)).into_response()),
        Err(AppError::Invalid { message, .. }) => render(&s, &cp, None, f, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}

const NOTICES: &[(&str, &str)] = &[
    ("saved", "已保存。"),
    ("attached", "附件已上传。"),
    ("validity", "有效性已更新。"),
    ("interprets", "已关联所解读的政策。"),
    ("submit", "已提交审核。"),
    ("return", "已退回修改。"),
    ("approve", "已审核通过，保密审查意见已记录。"),
    ("publish", "已发布。"),
    ("unpublish", "已撤销发布。"),
];

async fn edit_form(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render_stored(&s, &cp, id, None, n.text(NOTICES, None)).await
}

/// A stored entry's page with its form filled from what is stored: after an action, or when one was refused.
async fn render_stored(
    s: &WebState,
    cp: &ConsolePage,
    id: i64,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let e = s.app.entry_for_staff(&cp.p, &cp.agency, id).await?;
    let columns = s.app.columns(&cp.agency).await?;
    let form = EntryForm::from_entry(&e, &column_slug(&columns, e.fields.column_id));
    render(s, cp, Some(&e), form, error, notice).await
}

async fn save(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<EntryForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.update_entry(p, a, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/catalog/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let e = s.app.entry_for_staff(p, a, id).await?;
            render(&s, &cp, Some(&e), f, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct ActionForm {
    #[serde(default)]
    note: String,
}

async fn act(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id, action)): Path<(String, i64, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let outcome = match action.as_str() {
        "submit" => s.app.submit_entry(p, a, id).await,
        "return" => s.app.return_entry(p, a, id, &f.note).await,
        "approve" => s.app.approve_entry(p, a, id, &f.note).await,
        "publish" => s.app.publish_entry(p, a, id).await.map(|_| ()),
        "unpublish" => s.app.unpublish_entry(p, a, id, &f.note).await,
        _ => Err(AppError::NotFound("操作")),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/catalog/{id}?notice={action}")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_stored(&s, &cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}

/// Uploads one attachment (multipart; the CSRF token comes in `?csrf=`).
async fn upload(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    let mut outcome = Err(AppError::Invalid { field: Some("file"), message: "请选择要上传的附件".into() });
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|_| WebError::TooLarge)?;
        if name.is_empty() && bytes.is_empty() {
            break;
        }
        outcome = s.app.add_attachment(p, a, id, &name, &bytes).await.map(|_| ());
        break;
    }
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/catalog/{id}?notice=attached")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_stored(&s, &cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct ValidityForm {
    #[serde(default)]
    validity: String,
    #[serde(default)]
    by_act: String,
}

async fn validity(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ValidityForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.change_validity(p, a, id, &f.validity, &f.by_act).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/catalog/{id}?notice=validity")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_stored(&s, &cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct InterpretsForm {
    #[serde(default)]
    policy: String,
}

async fn interprets(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<InterpretsForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.link_interpretation(p, a, id, &f.policy).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/catalog/{id}?notice=interprets")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_stored(&s, &cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}
