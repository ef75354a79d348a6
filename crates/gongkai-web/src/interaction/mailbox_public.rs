//! The public side of the 市长信箱: write a letter, look it up and rate the reply, read the published letters.

use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::lockout::{self, ClientAddr, guarded};
use crate::page::locked_page;
use crate::page::{PORTAL_CACHE, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::interaction::mailbox::WriterView;
use gongkai_app::model::Agency;
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::mailbox::{LetterForm, Satisfaction};
use serde::Deserialize;
use tower_sessions::Session;

/// The form as typed (checkboxes arrive as `on` or not at all).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TypedLetter {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub publish_consent: Option<String>,
    pub confidential: Option<String>,
}

/// What the template shows back.
pub struct FormValues {
    pub kind: String,
    pub title: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub publish_consent: bool,
    pub confidential: bool,
}

impl TypedLetter {
    fn form(&self) -> LetterForm {
        LetterForm {
            kind: self.kind.clone(),
            title: self.title.clone(),
            content: self.content.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            publish_consent: self.publish_consent.is_some(),
            confidential: self.confidential.is_some(),
        }
    }

    fn values(self) -> FormValues {
        FormValues {
            publish_consent: self.publish_consent.is_some(),
            confidential: self.confidential.is_some(),
            kind: self.kind,
            title: self.title,
            content: self.content,
            name: self.name,
            phone: self.phone,
            email: self.email,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_form.html")]
struct FormPage {
    layout: Layout,
    code: String,
    agency_name: String,
    form: FormValues,
    errors: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, &'static str)>,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<String> {
        let msgs: Vec<&str> = self.errors.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str()).collect();
        (!msgs.is_empty()).then(|| msgs.join("；"))
    }
}

async fn layout(s: &WebState, session: &Session, a: &Agency, title: &str) -> Result<Layout, WebError> {
    let mut l =
        Layout::new(&s.app.config.site_name, title).crumb("/", "首页").crumb(format!("/{}/", a.code), a.name.clone());
    l.csrf = csrf::token(session).await?;
    Ok(l)
}

async fn render_form(
    s: &WebState,
    session: &Session,
    a: &Agency,
    typed: TypedLetter,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = FormPage {
        layout: layout(s, session, a, "市长信箱").await?,
        code: a.code.to_string(),
        agency_name: a.name.clone(),
        form: typed.values(),
        errors,
        kinds: Kind::MAILBOX.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
    };
    Ok(no_store((status, page)))
}

/// The empty form (咨询 preselected, consent to publication offered but not ticked).
pub async fn form(State(s): State<WebState>, session: Session, Path(code): Path<String>) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    render_form(&s, &session, &a, TypedLetter { kind: "consult".into(), ..Default::default() }, Vec::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_done.html")]
struct DonePage {
    layout: Layout,
    agency_name: String,
    query_code: String,
    password: String,
    due: String,
}

/// Submits a letter: field errors re-render the form with what was typed; success shows the code and password
/// once.
pub async fn submit(
    State(s): State<WebState>,
    session: Session,
    Path(code): Path<String>,
    Form(typed): Form<TypedLetter>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    match s.app.submit_mailbox_letter(&code, &typed.form()).await {
        Ok(r) => Ok(no_store((
            StatusCode::CREATED,
            DonePage {
                layout: layout(&s, &session, &a, "来信已提交").await?,
                agency_name: r.agency_name,
                query_code: r.query_code,
                password: r.password,
                due: format_date_zh(r.due_on),
            },
        ))),
        Err(AppError::InvalidFields(errors)) => render_form(&s, &session, &a, typed, errors).await,
        Err(e) => Err(e.into()),
    }
}

/// A letter prepared for the lookup page.
pub struct TrackView {
    code: String,
    agency: String,
    kind: &'static str,
    title: String,
    content: String,
    received: String,
    due: String,
    status: &'static str,
    reason: Option<String>,
    reply: Option<String>,
    replied: String,
    satisfaction: Option<&'static str>,
}

fn track_view(v: WriterView) -> TrackView {
    TrackView {
        code: v.query_code,
        agency: v.agency_name,
        kind: v.kind.label_zh(),
        title: v.title,
        content: v.content,
        received: format_date_zh(v.received_on),
        due: format_date_zh(v.due_on),
        status: v.status.label_zh(),
        reason: v.reject_reason,
        reply: v.reply,
        replied: v.replied_on.map(format_date_zh).unwrap_or_default(),
        satisfaction: v.satisfaction.map(Satisfaction::label_zh),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_track.html")]
struct TrackPage {
    layout: Layout,
    code: String,
    password: String,
    error: Option<String>,
    notice: Option<String>,
    view: Option<TrackView>,
    ratings: Vec<(&'static str, &'static str)>,
}

async fn track_page(
    s: &WebState,
    session: &Session,
    f: TrackForm,
    outcome: Result<(Option<WriterView>, Option<String>), String>,
) -> Result<Response, WebError> {
    let mut layout = Layout::new(&s.app.config.site_name, "来信办理情况查询").crumb("/", "首页");
    layout.csrf = csrf::token(session).await?;
    let (status, view, notice, error) = match outcome {
        Ok((v, notice)) => (StatusCode::OK, v.map(track_view), notice, None),
        Err(e) => (StatusCode::BAD_REQUEST, None, None, Some(e)),
    };
    let password = if view.is_some() { f.password } else { String::new() };
    let ratings = Satisfaction::ALL.iter().map(|r| (r.as_str(), r.label_zh())).collect();
    Ok(no_store((status, TrackPage { layout, code: f.code, password, error, notice, view, ratings })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackForm {
    code: String,
    password: String,
}

pub async fn track_form(State(s): State<WebState>, session: Session) -> Result<Response, WebError> {
    track_page(&s, &session, TrackForm::default(), Ok((None, None))).await
}

pub async fn track_submit(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    Form(f): Form<TrackForm>,
) -> Result<Response, WebError> {
    let lookup = s.app.track_mailbox_letter(&f.code, &f.password);
    let checked = match guarded(&s.lockout, addr, lockout::Kind::Mailbox, &f.code, lookup).await {
        Ok(checked) => checked,
        Err(wait) => return Ok(locked_page(wait)),
    };
    let outcome = match checked {
        Ok(v) => Ok((Some(v), None)),
        Err(AppError::Invalid { message, .. }) => Err(message),
        Err(e) => return Err(e.into()),
    };
    track_page(&s, &session, f, outcome).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RateForm {
    code: String,
    password: String,
    satisfaction: String,
}

/// The writer rates the reply; the page shows the letter again with the rating.
pub async fn rate(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    Form(f): Form<RateForm>,
) -> Result<Response, WebError> {
    let rated = s.app.rate_mailbox_letter(&f.code, &f.password, &f.satisfaction);
    let checked = match guarded(&s.lockout, addr, lockout::Kind::Mailbox, &f.code, rated).await {
        Ok(checked) => checked,
        Err(wait) => return Ok(locked_page(wait)),
    };
    let outcome = match checked {
        Ok(()) => Ok(Some("感谢您的评价。".to_owned())),
        Err(AppError::Invalid { message, .. }) => Err(message),
        Err(e) => return Err(e.into()),
    };
    let form = TrackForm { code: f.code, password: f.password };
    let outcome = match outcome {
        Ok(notice) => match s.app.track_mailbox_letter(&form.code, &form.password).await {
            Ok(v) => Ok((Some(v), notice)),
            Err(AppError::Invalid { message, .. }) => Err(message),
            Err(e) => return Err(e.into()),
        },
        Err(e) => Err(e),
    };
    track_page(&s, &session, form, outcome).await
}

/// A published letter prepared for the list.
pub struct ListRow {
    kind: &'static str,
    title: String,
    question: String,
    reply: String,
    received: String,
    replied: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_list.html")]
struct ListPage {
    layout: Layout,
    code: String,
    agency_name: String,
    letters: Vec<ListRow>,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 20;

/// The agency's published letters (来信选登): question, reply and dates, never the writer's name or number.
pub async fn letters(
    State(s): State<WebState>,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let page = q.page.unwrap_or(1).max(1);
    let (letters, total) = s.app.published_mailbox_letters(&a, page, PER_PAGE).await?;
    let layout = Layout::new(&s.app.config.site_name, "来信选登")
        .crumb("/", "首页")
        .crumb(format!("/{}/", a.code), a.name.clone());
    let page = ListPage {
        layout,
        code: a.code.to_string(),
        agency_name: a.name.clone(),
        letters: letters
            .into_iter()
            .map(|l| ListRow {
                kind: l.kind.label_zh(),
                title: l.title,
                question: l.question,
                reply: l.reply,
                received: format_date_zh(l.received_on),
                replied: l.replied_on.map(format_date_zh).unwrap_or_default(),
            })
            .collect(),
        total,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}
