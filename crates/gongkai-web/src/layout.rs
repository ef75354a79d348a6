//! What every page shares: title, breadcrumbs (a way back), the signed-in user, the CSRF token.

use time::{OffsetDateTime, UtcOffset};

/// Beijing time (UTC+8, no daylight saving).
const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    pub site_name: String,
    /// Breadcrumbs before the current page: (href, label).
    pub crumbs: Vec<(String, String)>,
    /// Display name of the signed-in user, if any.
    pub user: Option<String>,
    /// The session's CSRF token, for forms (empty on pages without forms).
    pub csrf: String,
    pub asset_version: &'static str,
}

impl Layout {
    pub fn new(site_name: &str, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            site_name: site_name.to_owned(),
            asset_version: crate::assets::version(),
            ..Default::default()
        }
    }

    pub fn crumb(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.crumbs.push((href.into(), label.into()));
        self
    }
}

/// `2026年1月5日 14:03` in Beijing time.
pub fn datetime_zh(t: OffsetDateTime) -> String {
    let t = t.to_offset(BEIJING);
    format!("{}年{}月{}日 {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_dates() {
        // 2026-01-04 17:30 UTC is already 5 January in Beijing.
        let t = time::macros::datetime!(2026-01-04 17:30 UTC);
        assert_eq!(datetime_zh(t), "2026年1月5日 01:30");
    }
}
