//! The public portal: platform home and agency homes. Cacheable; never shows anything session-specific.

use crate::WebState;
use crate::error::WebError;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

pub fn router() -> Router<WebState> {
    Router::new().route("/", get(home)).route("/{agency}", get(agency_redirect)).route("/{agency}/", get(agency_home))
}

const PORTAL_CACHE: &str = "public, max-age=60";

/// An agency as listed on public pages.
pub struct AgencyItem {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    agencies: Vec<AgencyItem>,
}

async fn home(State(s): State<WebState>) -> Result<Response, WebError> {
    let agencies = s
        .app
        .agency_tree()
        .await?
        .into_iter()
        .map(|(a, depth)| AgencyItem { code: a.code.to_string(), name: a.name, kind: a.kind.label_zh(), depth })
        .collect();
    let page = HomePage { layout: Layout::new(&s.app.config.site_name, "首页"), agencies };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "agency.html")]
struct AgencyPage {
    layout: Layout,
    name: String,
    kind: &'static str,
    identifier: Option<String>,
    parent: Option<(String, String)>,
    children: Vec<AgencyItem>,
}

async fn agency_redirect(Path(code): Path<String>) -> Redirect {
    Redirect::permanent(&format!("/{code}/"))
}

async fn agency_home(State(s): State<WebState>, Path(code): Path<String>) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let parent = match a.parent_id {
        Some(pid) => gongkai_store::agencies::by_id(&s.app.db, pid)
            .await
            .map_err(gongkai_app::AppError::from)?
            .map(|p| (p.code.to_string(), p.name)),
        None => None,
    };
    let children = s
        .app
        .agency_children(a.id)
        .await?
        .into_iter()
        .map(|c| AgencyItem { code: c.code.to_string(), name: c.name, kind: c.kind.label_zh(), depth: 0 })
        .collect();
    let mut layout = Layout::new(&s.app.config.site_name, a.name.clone()).crumb("/", "首页");
    if let Some((pcode, pname)) = &parent {
        layout = layout.crumb(format!("/{pcode}/"), pname.clone());
    }
    let page = AgencyPage { layout, name: a.name, kind: a.kind.label_zh(), identifier: a.identifier, parent, children };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}
