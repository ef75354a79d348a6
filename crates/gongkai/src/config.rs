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
    pub files: Files,
    pub log: Log,
    pub metrics: Metrics,
}

/// Where attachments are kept: `<data-dir>/files` unless `[files.s3]` names an S3-compatible bucket, which
/// several nodes must share (`GONGKAI__FILES__S3__BUCKET`, `…__ENDPOINT`, `…__SECRET_ACCESS_KEY`, …).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Files {
    pub s3: Option<gongkai_app::files::S3Config>,
}

/// `[log] format = "text"` (default: one readable line per event) or `"json"` (one JSON object per line, for a
/// log collector); env `GONGKAI__LOG__FORMAT`.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Log {
    pub format: LogFormat,
}

/// `[metrics] token`: with it, `GET /metrics` answers a request carrying `Authorization: Bearer <token>` from
/// anywhere; without it, only requests from the machine itself (env `GONGKAI__METRICS__TOKEN`).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Metrics {
    pub token: Option<String>,
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
    /// The public address of the platform (`https://gk.example.cn`), for the sitemap, feeds and letters. Unset:
    /// the sitemap uses the request's `Host`, feeds link by path and letters leave `{查询网址}` empty.
    pub base_url: Option<String>,
}

impl Default for Site {
    fn default() -> Self {
        Self {
            name: gongkai_app::AppConfig::default().site_name,
            index_template: gongkai_domain::catalog::DEFAULT_INDEX_TEMPLATE.into(),
            review_levels: 1,
            base_url: None,
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
        let base_url = match self.site.base_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => {
                let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
                if rest.is_none_or(|r| r.is_empty() || r.contains(['?', '#', ' '])) {
                    anyhow::bail!(
                        "配置项 site.base_url 应为以 https:// 或 http:// 开头的网址（如 https://gk.example.cn），现为“{u}”"
                    );
                }
                Some(u.trim_end_matches('/').to_owned())
            }
        };
        in_range("public.burst", self.public.burst.into(), 1..=1_000_000)?;
        in_range("public.replenish_secs", self.public.replenish_secs, 1..=86_400)?;
        in_range("public.lockout_failures", self.public.lockout_failures.into(), 1..=1_000)?;
        in_range("public.lockout_secs", self.public.lockout_secs, 1..=86_400)?;
        Ok(gongkai_app::AppConfig {
            base_url,
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

    /// The file store for attachments: the S3 bucket when configured, else `<data-dir>/files`.
    pub fn file_store(&self, data_dir: &Path) -> Result<gongkai_app::files::FileStore> {
        match &self.files.s3 {
            Some(c) if !c.bucket.trim().is_empty() => {
                gongkai_app::files::FileStore::s3(c).map_err(|e| anyhow::anyhow!("配置项 files.s3 有误：{e:?}"))
            }
            Some(_) => anyhow::bail!("配置项 files.s3.bucket 未填写"),
            None => Ok(gongkai_app::files::FileStore::new(data_dir.join("files"))),
        }
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
            metrics_token: self.metrics.token.clone().filter(|t| !t.trim().is_empty()),
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
        s.site.base_url = Some("https://gk.example.cn/".into());
        assert_eq!(s.app_config().unwrap().base_url.as_deref(), Some("https://gk.example.cn"));
        s.site.base_url = Some("gk.example.cn".into());
        assert!(s.app_config().unwrap_err().to_string().contains("site.base_url"));
        s.site.base_url = Some(String::new());
        assert_eq!(s.app_config().unwrap().base_url, None);
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
