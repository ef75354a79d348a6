//! Configuration: built-in defaults, then `gongkai.toml` (data dir or `--config`), then environment variables
//! `GONGKAI__SECTION__KEY` (e.g. `GONGKAI__SERVER__ADDR=0.0.0.0:8080`). Command-line options win over all.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub server: Server,
    pub database: Database,
    pub site: Site,
    pub login: Login,
    /// The public form/API throttle and the query-password lockout.
    pub public: Public,
    /// Pre-publication checks: `sensitive_words = [..]`, `misstatements = [["错误表述", "正确表述"], ..]`.
    pub lint: gongkai_domain::catalog::LintRules,
    pub reports: Reports,
}

/// Annual report deadlines as `MM-DD` of the following year; local rules may set them earlier than the law.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Reports {
    pub department_deadline: String,
    pub government_deadline: String,
}

impl Default for Reports {
    fn default() -> Self {
        Self { department_deadline: "01-31".into(), government_deadline: "03-31".into() }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Server {
    pub addr: String,
    /// Set when the platform is served over HTTPS (behind a TLS-terminating proxy).
    pub secure_cookies: bool,
}

impl Default for Server {
    fn default() -> Self {
        Self { addr: "127.0.0.1:8080".into(), secure_cookies: false }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Database {
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Site {
    pub name: String,
    /// 索引号 template, e.g. `{org_code}/{year}-{seq:05}` (see the catalog spec for the parts).
    pub index_template: String,
    /// Review levels before publication (1, or 3 for 三审).
    pub review_levels: u8,
}

impl Default for Site {
    fn default() -> Self {
        Self {
            name: gongkai_app::AppConfig::default().site_name,
            index_template: gongkai_domain::catalog::DEFAULT_INDEX_TEMPLATE.into(),
            review_levels: 1,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Login {
    pub burst: u32,
    pub replenish_secs: u64,
}

impl Default for Login {
    fn default() -> Self {
        let w = gongkai_web::WebConfig::default();
        Self { burst: w.login_burst, replenish_secs: w.login_replenish_secs }
    }
}

/// `[public]`: submissions and lookups per client address (`burst`, one regained every `replenish_secs`), and
/// the lockout after `lockout_failures` wrong query passwords (per address and per code) for `lockout_secs`.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Public {
    pub burst: u32,
    pub replenish_secs: u64,
    pub lockout_failures: u32,
    pub lockout_secs: u64,
}

impl Default for Public {
    fn default() -> Self {
        let w = gongkai_web::WebConfig::default();
        Self {
            burst: w.public_post_burst,
            replenish_secs: w.public_post_replenish_secs,
            lockout_failures: w.lockout_failures,
            lockout_secs: w.lockout_secs,
        }
    }
}

/// `section.key` must lie in `range`: zero or an absurd value stops start-up rather than being clamped.
fn in_range(key: &str, value: u64, range: std::ops::RangeInclusive<u64>) -> Result<()> {
    if !range.contains(&value) {
        anyhow::bail!("配置项 {key} 应在{}至{}之间，现为{value}", range.start(), range.end());
    }
    Ok(())
}

impl Settings {
    pub fn load(data_dir: &Path, file: Option<&Path>) -> Result<Settings> {
        let mut b = config::Config::builder();
        match file {
            Some(f) => {
                b = b.add_source(config::File::from(f).required(true));
            }
            None => {
                b = b.add_source(config::File::from(data_dir.join("gongkai.toml")).required(false));
            }
        }
        b = b.add_source(
            config::Environment::with_prefix("GONGKAI").prefix_separator("__").separator("__").try_parsing(true),
        );
        b.build()
            .and_then(|c| c.try_deserialize())
            .context("配置有误（请检查 gongkai.toml 与 GONGKAI__ 开头的环境变量）")
    }

    pub fn app_config(&self) -> Result<gongkai_app::AppConfig> {
        let index_template = gongkai_domain::catalog::IndexTemplate::parse(&self.site.index_template)
            .map_err(|e| anyhow::anyhow!("配置项 site.index_template 有误：{e}"))?;
        // Out of range stops start-up rather than being silently clamped.
        if !(1..=5).contains(&self.site.review_levels) {
            anyhow::bail!(
                "配置项 site.review_levels 应为1至5（发布前的审核级数，三审为3），现为{}",
                self.site.review_levels
            );
        }
        if self.login.burst == 0 || self.login.replenish_secs == 0 {
            anyhow::bail!("配置项 login.burst 和 login.replenish_secs 应大于0");
        }
        in_range("public.burst", self.public.burst.into(), 1..=1_000_000)?;
        in_range("public.replenish_secs", self.public.replenish_secs, 1..=86_400)?;
        in_range("public.lockout_failures", self.public.lockout_failures.into(), 1..=1_000)?;
        in_range("public.lockout_secs", self.public.lockout_secs, 1..=86_400)?;
        Ok(gongkai_app::AppConfig {
            site_name: self.site.name.clone(),
            index_template,
            lint: self.lint.clone(),
            review_levels: self.site.review_levels,
            report_deadlines: gongkai_app::reports::ReportDeadlines::parse(
                &self.reports.department_deadline,
                &self.reports.government_deadline,
            )
            .map_err(|e| anyhow::anyhow!("配置项 reports 有误：{e}"))?,
        })
    }

    pub fn web_config(&self) -> gongkai_web::WebConfig {
        gongkai_web::WebConfig {
            secure_cookies: self.server.secure_cookies,
            login_burst: self.login.burst,
            login_replenish_secs: self.login.replenish_secs,
            public_post_burst: self.public.burst,
            public_post_replenish_secs: self.public.replenish_secs,
            lockout_failures: self.public.lockout_failures,
            lockout_secs: self.public.lockout_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    #[test]
    fn settings_out_of_range_stop_start_up() {
        let mut s = Settings::default();
        assert!(s.app_config().is_ok());
        s.site.review_levels = 99;
        let e = s.app_config().unwrap_err().to_string();
        assert!(e.contains("site.review_levels") && e.contains("99"), "{e}");
        s.site.review_levels = 3;
        assert_eq!(s.app_config().unwrap().review_levels, 3);
        s.login.burst = 0;
        assert!(s.app_config().unwrap_err().to_string().contains("login.burst"));
        s.login.burst = 10;
        s.public.lockout_failures = 0;
        let e = s.app_config().unwrap_err().to_string();
        assert!(e.contains("public.lockout_failures") && e.contains("现为0"), "{e}");
        s.public.lockout_failures = 5;
        s.public.replenish_secs = 100_000;
        let e = s.app_config().unwrap_err().to_string();
        assert!(e.contains("public.replenish_secs") && e.contains("100000"), "{e}");
        s.public.replenish_secs = 1;
        s.public.burst = 10_000;
        assert!(s.app_config().is_ok(), "a benchmark may raise the public throttle");
        let w = s.web_config();
        assert_eq!((w.public_post_burst, w.public_post_replenish_secs, w.lockout_failures), (10_000, 1, 5));
    }
}
