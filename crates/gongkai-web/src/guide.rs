//! The 公开指南 (shown on an agency's 公开指南 column, `/{agency}/gkzn/`) and the 公共企事业单位 directory
//! (`/directory`, `/directory/{id}`, and each agency's 公共企事业单位信息 column `/{agency}/ggqy/`), with their
//! console forms for the agency's administrator.

use crate::WebState;
use crate::auth::CurrentUser;
use crate::console::{layout, no_store};
use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::portal::ItemRow;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gongkai_app::guide::UnitForm;
use gongkai_app::{AppError, Principal};
use gongkai_domain::agency::Role;
use gongkai_domain::guide::{GUIDE_FIELDS, Guide, UnitCategory};
use gongkai_store::agencies::Agency;
use gongkai_store::guide::Unit;
use serde::Deserialize;
use tower_sessions::Session;

const PORTAL_CACHE: &str = "public, max-age=60";

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/directory", get(directory))
        .route("/directory/{id}", get(unit_page))
        .route("/{agency}/guide", get(guide_redirect))
        .route("/console/{agency}/guide", get(guide_form).post(guide_save))
        .route("/console/{agency}/units", get(units_list))
        .route("/console/{agency}/units/new", get(unit_new).post(unit_create))
        .route("/console/{agency}/units/{id}", get(unit_edit).post(unit_save))
}

/// Text typed in a textarea, as paragraphs.
fn paragraphs(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

// ---- portal: the guide ----

/// A section of the guide: heading and (label, paragraphs) parts.
pub struct GuideSection {
    pub id: &'static str,
    pub heading: &'static str,
    pub parts: Vec<(&'static str, Vec<String>)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "guide.html")]
struct GuidePage {
    layout: Layout,
    code: String,
    agency: String,
    /// (label, value) contact rows that are filled in.
    contact: Vec<(&'static str, String)>,
    sections: Vec<GuideSection>,
    updated: Option<String>,
    items: Vec<ItemRow>,
}

async fn guide_redirect(Path(code): Path<String>) -> Redirect {
    Redirect::permanent(&format!("/{code}/gkzn/"))
}

fn label(field: &str) -> &'static str {
    GUIDE_FIELDS.iter().find(|(f, ..)| *f == field).map(|(_, l, ..)| *l).unwrap_or("")
}

/// The 公开指南 column page: the structured guide, then the column's items (e.g. earlier versions).
pub(crate) async fn guide_page(
    s: &WebState,
    a: &Agency,
    layout: Layout,
    items: Vec<ItemRow>,
) -> Result<Response, WebError> {
    let stored = s.app.guide(a).await?;
    let (contact, sections, updated) = match &stored {
        Some(sg) => {
            let g = &sg.guide;
            let contact = ["office", "address", "postcode", "hours", "phone", "fax", "email"]
                .into_iter()
                .filter(|f| !g.get(f).is_empty())
                .map(|f| (label(f), g.get(f).to_owned()))
                .collect();
            let part = |f: &'static str| (label(f), paragraphs(g.get(f)));
            let sections = vec![
                GuideSection {
                    id: "zdgk", heading: "二、主动公开", parts: vec![part("categories"), part("channels")]
                },
                GuideSection {
                    id: "ysqgk",
                    heading: "三、依申请公开",
                    parts: vec![part("apply"), part("process"), part("fees")],
                },
                // One part only: the section heading says it all.
                GuideSection {
                    id: "jdjj", heading: "四、监督和救济", parts: vec![("", paragraphs(&g.remedies))]
                },
            ];
            (contact, sections, Some(gongkai_app::catalog::date_zh(gongkai_app::catalog::beijing_date(sg.updated_at))))
        }
        None => (vec![], vec![], None),
    };
    let page =
        GuidePage { layout, code: a.code.to_string(), agency: a.name.clone(), contact, sections, updated, items };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

// ---- portal: the directory ----

pub struct UnitRow {
    pub href: String,
    pub name: String,
    pub category: &'static str,
    pub agency: String,
    pub agency_href: String,
}

fn unit_row(u: &Unit, a: &Agency) -> UnitRow {
    UnitRow {
        href: format!("/directory/{}", u.id),
        name: u.name.clone(),
        category: u.category.label_zh(),
        agency: a.name.clone(),
        agency_href: format!("/{}/", a.code),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "directory.html")]
struct DirectoryPage {
    layout: Layout,
    /// (value, label, active) of every category, for the filter.
    categories: Vec<(&'static str, &'static str, bool)>,
    /// No category chosen.
    all: bool,
    rows: Vec<UnitRow>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DirectoryQuery {
    category: String,
}

async fn directory(State(s): State<WebState>, Query(q): Query<DirectoryQuery>) -> Result<Response, WebError> {
    let rows = s.app.unit_directory(&q.category).await?.iter().map(|(u, a)| unit_row(u, a)).collect();
    let categories =
        UnitCategory::ALL.iter().map(|c| (c.as_str(), c.label_zh(), q.category.trim() == c.as_str())).collect();
    let page = DirectoryPage {
        layout: Layout::new(&s.app.config.site_name, "公共企事业单位信息公开").crumb("/", "首页"),
        all: q.category.trim().is_empty(),
        categories,
        rows,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    layout: Layout,
    category: &'static str,
    agency: String,
    agency_href: String,
    address: String,
    phone: String,
    website: String,
    summary: Vec<String>,
    duties: Vec<String>,
}

async fn unit_page(State(s): State<WebState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("单位"))?;
    let (u, a) = s.app.unit(id).await?;
    let page = UnitPage {
        layout: Layout::new(&s.app.config.site_name, u.name.clone())
            .crumb("/", "首页")
            .crumb("/directory", "公共企事业单位信息公开"),
        category: u.category.label_zh(),
        agency_href: format!("/{}/ggqy/", a.code),
        agency: a.name,
        address: u.details.address.clone(),
        phone: u.details.phone.clone(),
        website: u.details.website.clone(),
        summary: paragraphs(&u.details.summary),
        duties: u.details.duties(u.category),
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "units_column.html")]
struct UnitsColumnPage {
    layout: Layout,
    rows: Vec<UnitRow>,
    items: Vec<ItemRow>,
}

/// The 公共企事业单位信息 column of an agency: the units it supervises, then the column's items.
pub(crate) async fn units_column(
    s: &WebState,
    a: &Agency,
    layout: Layout,
    items: Vec<ItemRow>,
) -> Result<Response, WebError> {
    let rows = s.app.units_of(a).await?.iter().map(|u| unit_row(u, a)).collect();
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], UnitsColumnPage { layout, rows, items }).into_response())
}

// ---- console: the guide form ----

#[derive(Template, WebTemplate)]
#[template(path = "console_guide.html")]
struct GuideFormPage {
    layout: Layout,
    code: String,
    /// (field, label, required, value, multi-line)
    fields: Vec<(&'static str, &'static str, bool, String, bool)>,
    error: Option<String>,
    notice: Option<String>,
}

fn guide_form_page(layout: Layout, code: String, g: &Guide, error: Option<String>, notice: Option<String>) -> Response {
    let fields = GUIDE_FIELDS.iter().map(|(f, l, req, max)| (*f, *l, *req, g.get(f).to_owned(), *max > 200)).collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    no_store((status, GuideFormPage { layout, code, fields, error, notice }))
}

async fn console_layout(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    title: &str,
) -> Result<Layout, WebError> {
    Ok(layout(s, Some(p), format!("{}：{title}", a.name), csrf::token(session).await?)
        .crumb(format!("/console/{}/", a.code), a.name.clone()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: String,
}

async fn guide_form(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let g = s.app.guide_for_edit(&p, &a).await?;
    let l = console_layout(&s, &session, &p, &a, "政府信息公开指南").await?;
    let notice = (q.notice == "saved").then(|| "公开指南已保存并在门户公布。".to_owned());
    Ok(guide_form_page(l, code, &g, None, notice))
}

async fn guide_save(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(g): Form<Guide>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    match s.app.save_guide(&p, &a, g.clone()).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/guide?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            let l = console_layout(&s, &session, &p, &a, "政府信息公开指南").await?;
            Ok(guide_form_page(l, code, &g, Some(message), None))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- console: units ----

#[derive(Template, WebTemplate)]
#[template(path = "console_units.html")]
struct UnitsListPage {
    layout: Layout,
    code: String,
    /// (console href, name, category)
    rows: Vec<(String, String, &'static str)>,
    is_admin: bool,
    notice: Option<String>,
}

async fn units_list(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let rows = s
        .app
        .units_of(&a)
        .await?
        .into_iter()
        .map(|u| (format!("/console/{code}/units/{}", u.id), u.name, u.category.label_zh()))
        .collect();
    let l = console_layout(&s, &session, &p, &a, "公共企事业单位").await?;
    let is_admin = p.require(a.id, &[Role::Admin]).is_ok();
    let notice = (q.notice == "saved").then(|| "单位信息已保存。".to_owned());
    Ok(no_store(UnitsListPage { layout: l, code, rows, is_admin, notice }))
}

#[derive(Template, WebTemplate)]
#[template(path = "console_unit.html")]
struct UnitFormPage {
    layout: Layout,
    action: String,
    form: UnitForm,
    categories: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    public_href: Option<String>,
}

async fn unit_form_page(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    id: Option<i64>,
    form: UnitForm,
    error: Option<String>,
) -> Result<Response, WebError> {
    let title = if id.is_some() { "编辑公共企事业单位" } else { "登记公共企事业单位" };
    let l =
        console_layout(s, session, p, a, title).await?.crumb(format!("/console/{}/units", a.code), "公共企事业单位");
    let action = match id {
        Some(id) => format!("/console/{}/units/{id}", a.code),
        None => format!("/console/{}/units/new", a.code),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = UnitFormPage {
        layout: l,
        action,
        form,
        categories: UnitCategory::ALL.iter().map(|c| (c.as_str(), c.label_zh())).collect(),
        error,
        public_href: id.map(|id| format!("/directory/{id}")),
    };
    Ok(no_store((status, page)))
}

async fn unit_new(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let form = s.app.new_unit_form(&p, &a)?;
    unit_form_page(&s, &session, &p, &a, None, form, None).await
}

async fn unit_create(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    match s.app.create_unit(&p, &a, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/units?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => unit_form_page(&s, &session, &p, &a, None, f, Some(message)).await,
        Err(e) => Err(e.into()),
    }
}

async fn unit_edit(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let u = s.app.unit_for_edit(&p, &a, id).await?;
    unit_form_page(&s, &session, &p, &a, Some(id), UnitForm::from_unit(&u), None).await
}

async fn unit_save(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    match s.app.update_unit(&p, &a, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/units?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            unit_form_page(&s, &session, &p, &a, Some(id), f, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}
