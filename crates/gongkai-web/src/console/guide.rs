//! The console forms of the 公开指南 and of the 公共企事业单位 an agency supervises (its administrators edit
//! them; the app checks).

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::guide::UnitForm;
use gongkai_domain::agency::Role;
use gongkai_domain::guide::{GUIDE_FIELDS, Guide, UnitCategory};

#[derive(Template, WebTemplate)]
#[template(path = "console/guide.html")]
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

/// `{agency}：{title}`, below the agency.
fn titled(cp: &ConsolePage, title: &str) -> Layout {
    cp.layout(format!("{}：{title}", cp.agency.name))
}

pub async fn guide_form(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let g = s.app.guide_for_edit(&cp.p, &cp.agency).await?;
    let notice = n.text(&[("saved", "公开指南已保存并在门户公布。")], None);
    Ok(guide_form_page(titled(&cp, "政府信息公开指南"), cp.code().to_owned(), &g, None, notice))
}

pub async fn guide_save(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(g): Form<Guide>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.save_guide(p, a, g.clone()).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/guide?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            Ok(guide_form_page(titled(&cp, "政府信息公开指南"), code.to_owned(), &g, Some(message), None))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/units.html")]
struct UnitsListPage {
    layout: Layout,
    code: String,
    /// (console href, name, category)
    rows: Vec<(String, String, &'static str)>,
    is_admin: bool,
    notice: Option<String>,
}

pub async fn units_list(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let (a, code) = (&cp.agency, cp.code());
    let rows = s
        .app
        .units_of(a)
        .await?
        .into_iter()
        .map(|u| (format!("/console/{code}/units/{}", u.id), u.name, u.category.label_zh()))
        .collect();
    let l = titled(&cp, "公共企事业单位");
    let is_admin = cp.may(&[Role::Admin]);
    let notice = n.text(&[("saved", "单位信息已保存。")], None);
    Ok(no_store(UnitsListPage { layout: l, code: code.to_owned(), rows, is_admin, notice }))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/unit.html")]
struct UnitFormPage {
    layout: Layout,
    action: String,
    form: UnitForm,
    categories: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    public_href: Option<String>,
}

fn unit_form_page(cp: &ConsolePage, id: Option<i64>, form: UnitForm, error: Option<String>) -> Response {
    let title = if id.is_some() { "编辑公共企事业单位" } else { "登记公共企事业单位" };
    let l = titled(cp, title).crumb(cp.href("units"), "公共企事业单位");
    let action = match id {
        Some(id) => cp.href(&format!("units/{id}")),
        None => cp.href("units/new"),
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
    no_store((status, page))
}

pub async fn unit_new(State(s): State<WebState>, cp: ConsolePage) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let form = s.app.new_unit_form(p, a)?;
    Ok(unit_form_page(&cp, None, form, None))
}

pub async fn unit_create(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.create_unit(p, a, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/units?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => Ok(unit_form_page(&cp, None, f, Some(message))),
        Err(e) => Err(e.into()),
    }
}

pub async fn unit_edit(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let (p, a) = (&cp.p, &cp.agency);
    let u = s.app.unit_for_edit(p, a, id).await?;
    Ok(unit_form_page(&cp, Some(id), UnitForm::from_unit(&u), None))
}

pub async fn unit_save(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    let (p, a, code) = (&cp.p, &cp.agency, cp.code());
    match s.app.update_unit(p, a, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/units?notice=saved")).into_response()),
        Err(AppError::Invalid { message, .. }) => Ok(unit_form_page(&cp, Some(id), f, Some(message))),
        Err(e) => Err(e.into()),
    }
}
