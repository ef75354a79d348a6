//! The public portal's pages: platform home, agency homes, columns, articles and their attachments, Atom feeds
//! and the sitemap. Cacheable; never shows anything session-specific.

use super::guide;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{ItemRow, PORTAL_CACHE, upload_response};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::catalog::{beijing_date, date_zh, sanitize_html};
use gongkai_app::model::{Agency, Column};

/// An agency as listed on public pages.
pub struct AgencyItem {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/home.html")]
struct HomePage {
    layout: Layout,
    agencies: Vec<AgencyItem>,
}

pub async fn home(State(s): State<WebState>) -> Result<Response, WebError> {
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
#[template(path = "portal/agency.html")]
struct AgencyPage {
    layout: Layout,
    name: String,
    kind: &'static str,
    identifier: Option<String>,
    parent: Option<(String, String)>,
    children: Vec<AgencyItem>,
    code: String,
    /// Top-level columns (navigation).
    nav: Vec<(String, String)>,
    /// Columns with content, each with its newest items.
    blocks: Vec<ColumnBlock>,
}

/// A column on the agency home page with its newest items.
pub struct ColumnBlock {
    pub slug: String,
    pub name: String,
    pub items: Vec<ItemRow>,
}

pub async fn agency_redirect(Path(code): Path<String>) -> Redirect {
    Redirect::permanent(&format!("/{code}/"))
}

pub async fn agency_home(State(s): State<WebState>, Path(code): Path<String>) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let parent = s.app.agency_parent(&a).await?.map(|p| (p.code.to_string(), p.name));
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
    let columns = s.app.columns(&a).await?;
    let nav = columns.iter().filter(|c| c.parent_id.is_none()).map(|c| (c.slug.clone(), c.name.clone())).collect();
    let latest = s.app.latest_per_column(&a, 6).await?;
    let blocks = columns
        .iter()
        .filter_map(|c| {
            let items: Vec<ItemRow> = latest
                .iter()
                .filter(|e| e.fields.column_id == c.id)
                .map(|e| ItemRow::of(a.code.as_str(), &c.slug, e))
                .collect();
            (!items.is_empty()).then(|| ColumnBlock { slug: c.slug.clone(), name: c.name.clone(), items })
        })
        .collect();
    let page = AgencyPage {
        layout,
        code: a.code.to_string(),
        name: a.name,
        kind: a.kind.label_zh(),
        identifier: a.identifier,
        parent,
        children,
        nav,
        blocks,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

// ---- columns and articles ----

#[derive(Template, WebTemplate)]
#[template(path = "portal/column.html")]
struct ColumnPage {
    layout: Layout,
    code: String,
    column: String,
    children: Vec<(String, String)>,
    items: Vec<ItemRow>,
    page: i64,
    pages: i64,
    total: i64,
}

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 20;

pub async fn column_redirect(Path((code, column)): Path<(String, String)>) -> Redirect {
    Redirect::permanent(&format!("/{code}/{column}/"))
}

fn column_crumbs(layout: Layout, a: &Agency, parent: Option<&Column>) -> Layout {
    let mut l = layout.crumb("/", "首页").crumb(format!("/{}/", a.code), a.name.clone());
    if let Some(p) = parent {
        l = l.crumb(format!("/{}/{}/", a.code, p.slug), p.name.clone());
    }
    l
}

pub async fn column_page(
    State(s): State<WebState>,
    Path((code, slug)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let column = s.app.column(&a, &slug).await?;
    let columns = s.app.columns(&a).await?;
    let parent = columns.iter().find(|c| Some(c.id) == column.parent_id);
    let children =
        columns.iter().filter(|c| c.parent_id == Some(column.id)).map(|c| (c.slug.clone(), c.name.clone())).collect();
    let page = q.page.unwrap_or(1).max(1);
    let (entries, total) = s.app.column_page(&a, &column, page, PER_PAGE).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let layout = column_crumbs(Layout::new(&s.app.config.site_name, column.name.clone()), &a, parent);
    // Two columns carry structured content above their items: the 公开指南 and the 公共企事业单位 directory.
    use gongkai_domain::catalog::FixedColumn;
    if page == 1 && (column.slug == FixedColumn::Guide || column.slug == FixedColumn::PublicUnits) {
        let items = entries.iter().map(|e| ItemRow::of(a.code.as_str(), &column.slug, e)).collect();
        return if column.slug == FixedColumn::Guide {
            guide::guide_page(&s, &a, layout, items).await
        } else {
            guide::units_column(&s, &a, layout, items).await
        };
    }
    let page = ColumnPage {
        layout,
        code: a.code.to_string(),
        column: column.slug.clone(),
        children,
        items: entries.iter().map(|e| ItemRow::of(a.code.as_str(), &column.slug, e)).collect(),
        page,
        pages,
        total,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/article.html")]
struct ArticlePage {
    layout: Layout,
    title: String,
    /// (label, value) rows of the metadata table.
    meta: Vec<(&'static str, String)>,
    validity: Option<&'static str>,
    /// Link to the act that repealed or amended this one.
    superseded_by: Option<(String, String)>,
    body: String,
    publisher: String,
    date: String,
    /// (href, file name, size in KB)
    attachments: Vec<(String, String, String)>,
    /// Interpretations of this policy, and the policy this item interprets: (href, title).
    interpretations: Vec<(String, String)>,
    interprets: Option<(String, String)>,
}

pub async fn article(
    State(s): State<WebState>,
    Path((code, slug, id)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id: i64 = id.trim_end_matches(".html").parse().map_err(|_| gongkai_app::AppError::NotFound("信息"))?;
    let a = s.app.agency_by_code(&code).await?;
    let column = s.app.column(&a, &slug).await?;
    let e = s.app.published_entry(&a, &column, id).await?;
    let columns = s.app.columns(&a).await?;
    let parent = columns.iter().find(|c| Some(c.id) == column.parent_id);
    let layout = column_crumbs(Layout::new(&s.app.config.site_name, e.fields.title.clone()), &a, parent)
        .crumb(format!("/{}/{}/", a.code, column.slug), column.name.clone());
    let f = &e.fields;
    let d = |d: Option<time::Date>| d.map(date_zh).unwrap_or_default();
    let published = e.published_at.map(|t| date_zh(beijing_date(t))).unwrap_or_default();
    let mut meta = vec![
        ("索引号", e.index_no.clone().unwrap_or_default()),
        ("发布机构", f.publisher.clone()),
        ("文号", f.doc_no.clone()),
        ("成文日期", d(f.written_on)),
        ("发布日期", published.clone()),
        ("主题分类", f.topic.clone()),
        ("体裁分类", f.genre.clone()),
        ("公开属性", f.disclosure.clone()),
        ("目录分类", column.name.clone()),
    ];
    if !f.joint_publishers.is_empty() {
        meta.insert(2, ("联合发文机构", f.joint_publishers.clone()));
    }
    // Validity as of today: a document past its 失效日期 shows 已失效 even before anyone records it.
    let today = s.app.today();
    let validity = f
        .validity
        .map(|v| gongkai_domain::catalog::Validity::on(today, f.effective_on, f.expires_on, Some(v)).label_zh());
    if let Some(v) = validity {
        meta.push(("有效性", v.to_owned()));
        meta.push(("实施日期", d(f.effective_on)));
        if f.expires_on.is_some() {
            meta.push(("废止/失效日期", d(f.expires_on)));
        }
    }
    if !f.keywords.is_empty() {
        meta.push(("关键词", f.keywords.clone()));
    }
    let superseded_by = match e.repealed_by {
        Some(other) => s
            .app
            .published_link(other)
            .await?
            .map(|(o, acode, cslug)| (format!("/{acode}/{cslug}/{}", o.id), o.fields.title)),
        None => None,
    };
    let attachments = s
        .app
        .attachments(&e)
        .await?
        .into_iter()
        .map(|f| {
            (
                format!("/{}/{}/{}/files/{}", a.code, column.slug, e.id, f.id),
                f.file_name,
                format!("{:.1}", f.size as f64 / 1024.0),
            )
        })
        .collect();
    let interpretations = s.app.interpretations_of(&e).await?;
    let interprets = match e.interprets {
        Some(pid) => s
            .app
            .published_link(pid)
            .await?
            .map(|(p, acode, cslug)| (format!("/{acode}/{cslug}/{}", p.id), p.fields.title)),
        None => None,
    };
    let page = ArticlePage {
        interpretations,
        interprets,
        attachments,
        layout,
        title: f.title.clone(),
        meta,
        validity,
        superseded_by,
        // Stored sanitised; cleaned again here so that no stored HTML reaches a page unchecked.
        body: sanitize_html(&f.body_html),
        publisher: f.publisher.clone(),
        date: published,
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}

// ---- feeds and sitemap ----

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

pub struct FeedEntry {
    pub id: i64,
    pub href: String,
    pub title: String,
    pub updated: String,
    pub summary: String,
}

/// An Atom feed of a column's newest items (the `.xml` template name makes askama escape for XML).
#[derive(Template)]
#[template(path = "portal/feed.xml")]
struct Feed {
    feed_id: String,
    title: String,
    href: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

pub async fn feed(State(s): State<WebState>, Path((code, slug)): Path<(String, String)>) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let column = s.app.column(&a, &slug).await?;
    let (entries, _) = s.app.column_page(&a, &column, 1, 20).await?;
    let updated = entries.iter().filter_map(|e| e.published_at).max().map(rfc3339).unwrap_or_default();
    // Absolute links on the configured address; without one, links by path as before.
    let base = s.app.config.base_url.clone().unwrap_or_default();
    let feed = Feed {
        feed_id: format!("urn:gongkai:{}:{}", a.code, column.slug),
        title: format!("{} - {}", a.name, column.name),
        href: format!("{base}/{}/{}/", a.code, column.slug),
        updated,
        entries: entries
            .iter()
            .map(|e| FeedEntry {
                id: e.id,
                href: format!("{base}/{}/{}/{}", a.code, column.slug, e.id),
                title: e.fields.title.clone(),
                updated: rfc3339(e.published_at.unwrap_or(e.updated_at)),
                summary: e.fields.summary.clone(),
            })
            .collect(),
    };
    let xml = feed.render()?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, PORTAL_CACHE)], xml)
        .into_response())
}

#[derive(Template)]
#[template(path = "portal/sitemap.xml")]
struct Sitemap {
    urls: Vec<(String, Option<String>)>,
}

/// `/sitemap.xml`: home, library, the 公共企事业单位 directory, agencies, columns and every published item, as
/// absolute URLs on `[site] base_url`, or, when it is not set, on the host the request named.
pub async fn sitemap(State(s): State<WebState>, headers: axum::http::HeaderMap) -> Result<Response, WebError> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')))
        .unwrap_or("localhost");
    // The configured public address; without one, the host the request named.
    let base = s.app.config.base_url.clone().unwrap_or_else(|| format!("http://{host}"));
    let mut urls =
        vec![(format!("{base}/"), None), (format!("{base}/library"), None), (format!("{base}/directory"), None)];
    for (u, _) in s.app.unit_directory("").await? {
        urls.push((format!("{base}/directory/{}", u.id), Some(rfc3339(u.updated_at))));
    }
    for (a, _) in s.app.agency_tree().await? {
        urls.push((format!("{base}/{}/", a.code), None));
        for c in s.app.columns(&a).await? {
            urls.push((format!("{base}/{}/{}/", a.code, c.slug), None));
        }
    }
    for (path, at) in s.app.published_locations().await? {
        urls.push((format!("{base}{path}"), Some(rfc3339(at))));
    }
    let xml = Sitemap { urls }.render()?;
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8"), (header::CACHE_CONTROL, PORTAL_CACHE)], xml)
        .into_response())
}

/// Downloads an attachment of a published item, with its sniffed type and original name.
pub async fn download(
    State(s): State<WebState>,
    Path((code, slug, id, file)): Path<(String, String, i64, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let column = s.app.column(&a, &slug).await?;
    let (f, bytes) = s.app.published_attachment(&a, &column, id, file).await?;
    Ok(upload_response(f.content_type, &f.file_name, PORTAL_CACHE, bytes))
}
