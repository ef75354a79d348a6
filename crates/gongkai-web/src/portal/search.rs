//! Search (the whole platform, or one agency) with facets and highlights, and the library of 规章 and
//! 行政规范性文件 with their validity.

use crate::error::WebError;
use crate::layout::Layout;
use crate::page::PORTAL_CACHE;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_app::catalog::date_zh;
use gongkai_app::model::Agency;

#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    genre: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    validity: String,
    page: Option<usize>,
}

/// A filter choice with its count and the link that applies it.
pub struct FacetLink {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub active: bool,
}

pub struct HitRow {
    pub href: String,
    pub title_html: String,
    pub snippet_html: String,
    pub agency: String,
    pub date: String,
    pub doc_no: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/search.html")]
struct SearchPage {
    layout: Layout,
    action: String,
    q: String,
    scope: Option<String>,
    enabled: bool,
    total: usize,
    hits: Vec<HitRow>,
    agencies: Vec<FacetLink>,
    years: Vec<FacetLink>,
    genres: Vec<FacetLink>,
    topics: Vec<FacetLink>,
    validities: Vec<FacetLink>,
    prev: Option<String>,
    next: Option<String>,
}

const SEARCH_PER_PAGE: usize = 10;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn platform_search(
    State(s): State<WebState>,
    axum::extract::Query(p): axum::extract::Query<SearchParams>,
) -> Result<Response, WebError> {
    search(s, None, p).await
}

pub async fn agency_search(
    State(s): State<WebState>,
    Path(code): Path<String>,
    axum::extract::Query(p): axum::extract::Query<SearchParams>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    search(s, Some(a), p).await
}

/// The filters of a search, as in its URL.
#[derive(Clone, Default)]
struct Filters {
    agency: Option<String>,
    year: Option<u64>,
    genre: Option<String>,
    topic: Option<String>,
    validity: Option<String>,
}

fn nonempty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn search(s: WebState, scope: Option<Agency>, p: SearchParams) -> Result<Response, WebError> {
    let action = match &scope {
        Some(a) => format!("/{}/search", a.code),
        None => "/search".to_owned(),
    };
    let current = Filters {
        agency: match &scope {
            Some(a) => Some(a.code.to_string()),
            None => nonempty(&p.agency),
        },
        year: p.year.trim().parse().ok(),
        genre: nonempty(&p.genre),
        topic: nonempty(&p.topic),
        validity: nonempty(&p.validity),
    };
    let page = p.page.unwrap_or(1).clamp(1, 100);
    let q = gongkai_search::SearchQuery {
        text: p.q.chars().take(100).collect(),
        agency: current.agency.clone(),
        year: current.year,
        genre: current.genre.clone(),
        topic: current.topic.clone(),
        validity: current.validity.clone(),
        offset: (page - 1) * SEARCH_PER_PAGE,
        limit: SEARCH_PER_PAGE,
    };
    let results = s.app.search(q).await?;
    let enabled = results.is_some();
    let r = results.unwrap_or_default();
    // A link to this search with the given filters.
    let link = |f: &Filters, page: usize| {
        let mut u = format!("{action}?q={}", enc(&p.q));
        if scope.is_none()
            && let Some(a) = &f.agency
        {
            u.push_str(&format!("&agency={}", enc(a)));
        }
        if let Some(y) = f.year {
            u.push_str(&format!("&year={y}"));
        }
        for (k, v) in [("genre", &f.genre), ("topic", &f.topic), ("validity", &f.validity)] {
            if let Some(v) = v {
                u.push_str(&format!("&{k}={}", enc(v)));
            }
        }
        if page > 1 {
            u.push_str(&format!("&page={page}"));
        }
        u
    };
    // Facet links toggle their value: choosing the active one removes the filter.
    let facet = |label: String, count: usize, active: bool, with: Filters| FacetLink {
        label,
        count,
        href: link(&with, 1),
        active,
    };
    let agencies = if scope.is_some() {
        vec![]
    } else {
        r.agencies
            .iter()
            .map(|(code, name, n)| {
                let active = current.agency.as_deref() == Some(code.as_str());
                let with = Filters { agency: (!active).then(|| code.clone()), ..current.clone() };
                facet(name.clone(), *n, active, with)
            })
            .collect()
    };
    let years = r
        .years
        .iter()
        .map(|(y, n)| {
            let active = current.year == Some(*y);
            facet(format!("{y}年"), *n, active, Filters { year: (!active).then_some(*y), ..current.clone() })
        })
        .collect();
    let strings =
        |values: &[(String, usize)], get: fn(&Filters) -> &Option<String>, set: fn(&mut Filters, Option<String>)| {
            values
                .iter()
                .map(|(v, n)| {
                    let active = get(&current).as_deref() == Some(v.as_str());
                    let mut with = current.clone();
                    set(&mut with, (!active).then(|| v.clone()));
                    facet(v.clone(), *n, active, with)
                })
                .collect::<Vec<_>>()
        };
    let genres = strings(&r.genres, |f| &f.genre, |f, v| f.genre = v);
    let topics = strings(&r.topics, |f| &f.topic, |f, v| f.topic = v);
    let validities = strings(&r.validities, |f| &f.validity, |f, v| f.validity = v);
    let hits = r
        .hits
        .into_iter()
        .map(|h| HitRow {
            href: format!("/{}/{}/{}", h.doc.agency_code, h.doc.column_slug, h.doc.id),
            title_html: h.title_html,
            snippet_html: h.snippet_html,
            agency: h.doc.agency_name,
            date: h.doc.published,
            doc_no: h.doc.doc_no,
        })
        .collect();
    let prev = (page > 1).then(|| link(&current, page - 1));
    let next = (page * SEARCH_PER_PAGE < r.total).then(|| link(&current, page + 1));
    let mut layout = Layout::new(&s.app.config.site_name, "检索").crumb("/", "首页");
    if let Some(a) = &scope {
        layout = layout.crumb(format!("/{}/", a.code), a.name.clone());
    }
    let page = SearchPage {
        layout,
        action,
        q: p.q,
        scope: scope.map(|a| a.name),
        enabled,
        total: r.total,
        hits,
        agencies,
        years,
        genres,
        topics,
        validities,
        prev,
        next,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

// ---- library of 规章 and 规范性文件 ----

pub struct LibraryRow {
    pub href: String,
    pub title: String,
    pub doc_no: String,
    pub agency: String,
    pub written: String,
    pub validity: &'static str,
    /// "将于…失效" when an in-force document lapses within 90 days.
    pub expiring: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/library.html")]
struct LibraryPage {
    layout: Layout,
    rows: Vec<LibraryRow>,
    agencies: Vec<(String, String)>,
    validities: Vec<(&'static str, &'static str)>,
    agency: String,
    year: String,
    validity: String,
    doc_no: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LibraryParams {
    agency: String,
    year: String,
    validity: String,
    doc_no: String,
}

pub async fn library(
    State(s): State<WebState>,
    axum::extract::Query(p): axum::extract::Query<LibraryParams>,
) -> Result<Response, WebError> {
    let filter = gongkai_app::catalog::LibraryFilter {
        agency: p.agency.clone(),
        year: p.year.trim().parse().ok(),
        validity: p.validity.clone(),
        doc_no: p.doc_no.chars().take(60).collect(),
    };
    let rows = s
        .app
        .normative_library(&filter)
        .await?
        .into_iter()
        .map(|i| LibraryRow {
            href: i.href,
            title: i.entry.fields.title,
            doc_no: i.entry.fields.doc_no,
            agency: i.agency_name,
            written: i.entry.fields.written_on.map(date_zh).unwrap_or_default(),
            validity: i.validity.label_zh(),
            expiring: gongkai_domain::catalog::expiring_soon(s.app.today(), i.validity, i.entry.fields.expires_on)
                .map(|d| format!("将于{}失效", date_zh(d))),
        })
        .collect();
    let agencies = s.app.agency_tree().await?.into_iter().map(|(a, _)| (a.code.to_string(), a.name)).collect();
    let page = LibraryPage {
        layout: Layout::new(&s.app.config.site_name, "规章和行政规范性文件").crumb("/", "首页"),
        rows,
        agencies,
        validities: gongkai_domain::catalog::Validity::ALL.iter().map(|v| (v.as_str(), v.label_zh())).collect(),
        agency: p.agency,
        year: p.year,
        validity: p.validity,
        doc_no: p.doc_no,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}
