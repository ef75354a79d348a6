//! The public portal: homes, columns, articles, search, the library, the guide and the directory. Cacheable for a
//! minute; never shows anything session-specific. The public forms of 依申请公开 are in `applications`.

mod guide;
mod search;
mod site;

use crate::state::WebState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(site::home))
        .route("/search", get(search::platform_search))
        .route("/library", get(search::library))
        .route("/directory", get(guide::directory))
        .route("/directory/{id}", get(guide::unit_page))
        .route("/sitemap.xml", get(site::sitemap))
        .route("/{agency}", get(site::agency_redirect))
        .route("/{agency}/", get(site::agency_home))
        .route("/{agency}/search", get(search::agency_search))
        .route("/{agency}/guide", get(guide::guide_redirect))
        .route("/{agency}/{column}", get(site::column_redirect))
        .route("/{agency}/{column}/", get(site::column_page))
        .route("/{agency}/{column}/feed.atom", get(site::feed))
        .route("/{agency}/{column}/{id}", get(site::article))
        .route("/{agency}/{column}/{id}/files/{file}", get(site::download))
}
