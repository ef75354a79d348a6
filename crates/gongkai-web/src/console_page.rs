//! The extractors of console pages. [`Staff`]: a signed-in user (else a redirect to the login page and back),
//! with the session's CSRF token for forms. [`ConsolePage`]: the same on one agency's pages
//! (`/console/{agency}/…`), with the agency resolved and its visibility checked once (404 when the user may not
//! see it, as for an agency that does not exist). Handlers then only translate HTTP to the app's use cases.

use crate::auth::CurrentUser;
use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::state::WebState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use gongkai_app::Principal;
use gongkai_app::model::Agency;
use gongkai_domain::agency::Role;
use tower_sessions::Session;

/// A signed-in staff user and the CSRF token of the session.
pub struct Staff {
    pub p: Principal,
    pub csrf: String,
    site_name: String,
}

impl Staff {
    /// The layout of a console page: 工作台 as the way back, the user's name, the CSRF token.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        let mut l = Layout::new(&self.site_name, title).crumb("/console/", "工作台");
        l.user = Some(self.p.user.display_name.clone());
        l.csrf = self.csrf.clone();
        l
    }
}

impl FromRequestParts<WebState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let CurrentUser(p) = CurrentUser::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let csrf = csrf::token(&session).await.map_err(IntoResponse::into_response)?;
        Ok(Staff { p, csrf, site_name: state.app.config.site_name.clone() })
    }
}

/// A console page of one agency: the signed-in user, the agency of `{agency}` (visible to the user), the CSRF
/// token, and the breadcrumbs 工作台 › agency.
pub struct ConsolePage {
    pub p: Principal,
    pub agency: Agency,
    pub csrf: String,
    site_name: String,
}

impl ConsolePage {
    /// The agency's code, as in its URLs.
    pub fn code(&self) -> &str {
        self.agency.code.as_str()
    }

    /// `/console/{agency}/{rest}`.
    pub fn href(&self, rest: &str) -> String {
        format!("/console/{}/{rest}", self.agency.code)
    }

    /// The layout of a page below the agency: 工作台 › agency as the way back.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        self.top_layout(title).crumb(self.href(""), self.agency.name.clone())
    }

    /// The layout of the agency's own page (工作台 only as the way back).
    pub fn top_layout(&self, title: impl Into<String>) -> Layout {
        let mut l = Layout::new(&self.site_name, title).crumb("/console/", "工作台");
        l.user = Some(self.p.user.display_name.clone());
        l.csrf = self.csrf.clone();
        l
    }

    /// Whether the user holds any of `roles` here (to show or hide a control; the app checks again).
    pub fn may(&self, roles: &[Role]) -> bool {
        self.p.may(self.agency.id, roles)
    }
}

impl FromRequestParts<WebState> for ConsolePage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let Staff { p, csrf, site_name } = Staff::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let code = params.iter().find(|(k, _)| *k == "agency").map(|(_, v)| v.to_owned()).unwrap_or_default();
        crate::trace::record(&parts.extensions, "agency", &code);
        let agency = state.app.console_agency(&p, &code).await.map_err(|e| WebError::from(e).into_response())?;
        Ok(ConsolePage { p, agency, csrf, site_name })
    }
}
