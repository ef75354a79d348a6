//! The 公开指南 (shown on an agency's 公开指南 column, `/{agency}/gkzn/`) and the 公共企事业单位 directory
//! (`/directory`, `/directory/{id}`, and each agency's 公共企事业单位信息 column `/{agency}/ggqy/`). Their console
//! forms are in `console/guide.rs`.

use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{ItemRow, PORTAL_CACHE};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::model::{Agency, Unit};
use gongkai_domain::guide::{GUIDE_FIELDS, UnitCategory};
use serde::Deserialize;

/// Text typed in a textarea, as paragraphs.
fn paragraphs(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// A section of the guide: heading and (label, paragraphs) parts.
pub struct GuideSection {
    pub id: &'static str,
    pub heading: &'static str,
    pub parts: Vec<(&'static str, Vec<String>)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/guide.html")]
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

/// `/{agency}/guide` → the 公开指南 column.
pub async fn guide_redirect(Path(code): Path<String>) -> Redirect {
    Redirect::permanent(&format!("/{code}/gkzn/"))
}

fn label(field: &str) -> &'static str {
    GUIDE_FIELDS.iter().find(|(f, ..)| *f == field).map(|(_, l, ..)| *l).unwrap_or("")
}

/// The 公开指南 column page: the structured guide, then the column's items (e.g. earlier versions).
pub async fn guide_page(s: &WebState, a: &Agency, layout: Layout, items: Vec<ItemRow>) -> Result<Response, WebError> {
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
#[template(path = "portal/directory.html")]
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
pub struct DirectoryQuery {
    category: String,
}

/// The directory of 公共企事业单位 of the whole platform, by category.
pub async fn directory(State(s): State<WebState>, Query(q): Query<DirectoryQuery>) -> Result<Response, WebError> {
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
#[template(path = "portal/unit.html")]
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

/// One unit's page.
pub async fn unit_page(State(s): State<WebState>, Path(id): Path<String>) -> Result<Response, WebError> {
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
#[template(path = "portal/units_column.html")]
struct UnitsColumnPage {
    layout: Layout,
    rows: Vec<UnitRow>,
    items: Vec<ItemRow>,
}

/// The 公共企事业单位信息 column of an agency: the units it supervises, then the column's items.
pub async fn units_column(s: &WebState, a: &Agency, layout: Layout, items: Vec<ItemRow>) -> Result<Response, WebError> {
    let rows = s.app.units_of(a).await?.iter().map(|u| unit_row(u, a)).collect();
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], UnitsColumnPage { layout, rows, items }).into_response())
}
