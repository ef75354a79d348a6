//! The site check: findings from facts the caller gathered (docs/law/supervision.md §2.1, §2.2, §2.4, §2.5).

use crate::catalog::FixedColumn;
use crate::monitor::{Thresholds, UpdateClass, Window, sub_months};
use time::{Date, Duration};

/// A column as the check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnFacts {
    pub slug: String,
    pub name: String,
    pub class: UpdateClass,
    /// 一级栏目 (no parent).
    pub top_level: bool,
    /// The day of its newest item published on or before the check day.
    pub last_published: Option<Date>,
    /// Whether it (or a sub-column, or the structured page it shows) ever had content.
    pub has_content: bool,
}

/// A message of the 政务咨询 channel (the 市长信箱).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFacts {
    pub label: String,
    pub received_on: Date,
    pub answered_on: Option<Date>,
    /// `false` for a letter turned down (不予受理), which is not a valid message.
    pub valid: bool,
}

/// One stored probe of the site: its day and whether the page opened in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub day: Date,
    pub ok: bool,
}

/// Everything the check needs, gathered by the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFacts {
    pub columns: Vec<ColumnFacts>,
    pub letters: Vec<LetterFacts>,
    pub probes: Vec<Probe>,
    /// 严重表述错误 in published items: (item URL, message).
    pub content_errors: Vec<(String, String)>,
    /// Internal links of published items that do not resolve: (item URL, link).
    pub broken_links: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    SiteUnreachable,
    HomeStale,
    ColumnsStale,
    ColumnsBlank,
    InteractionUnanswered,
    ContentError,
    LinksBroken,
    /// 办事指南要素缺失: not checked yet (the platform holds no 办事指南).
    GuideIncomplete,
}

impl Indicator {
    pub const ALL: [Indicator; 8] = [
        Self::SiteUnreachable,
        Self::HomeStale,
        Self::ColumnsStale,
        Self::ColumnsBlank,
        Self::InteractionUnanswered,
        Self::ContentError,
        Self::LinksBroken,
        Self::GuideIncomplete,
    ];

    /// The indicator of a stored code.
    pub fn parse(s: &str) -> Option<Indicator> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SiteUnreachable => "site.unreachable",
            Self::HomeStale => "home.stale",
            Self::ColumnsStale => "columns.stale",
            Self::ColumnsBlank => "columns.blank",
            Self::InteractionUnanswered => "interaction.unanswered",
            Self::ContentError => "content.error",
            Self::LinksBroken => "links.broken",
            Self::GuideIncomplete => "guide.incomplete",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::SiteUnreachable => "站点无法访问",
            Self::HomeStale => "首页不更新",
            Self::ColumnsStale => "栏目不更新",
            Self::ColumnsBlank => "空白栏目",
            Self::InteractionUnanswered => "互动回应差",
            Self::ContentError => "严重表述错误",
            Self::LinksBroken => "站内链接不可用",
            Self::GuideIncomplete => "办事指南要素缺失",
        }
    }
}

/// 单项否决, 扣分, or an amber early warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Veto,
    Deduct,
    Warn,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Veto => "veto",
            Self::Deduct => "deduct",
            Self::Warn => "warn",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Veto => "单项否决",
            Self::Deduct => "扣分",
            Self::Warn => "预警",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub indicator: Indicator,
    pub kind: Kind,
    /// Points deducted (only for [`Kind::Deduct`]).
    pub points: u32,
    pub message: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pass => "合格",
            Self::Fail => "不合格",
        }
    }
}

/// The result: findings, verdict, and the score (`None` when a veto hit: nothing else is scored, §2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub date: Date,
    pub findings: Vec<Finding>,
    pub verdict: Verdict,
    pub score: Option<u32>,
}

fn finding(indicator: Indicator, kind: Kind, message: String, evidence: Vec<String>) -> Finding {
    Finding { indicator, kind, points: 0, message, evidence }
}

fn day_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month() as u8, d.day())
}

/// Runs the check of `facts` as of `date`.
pub fn check(t: &Thresholds, date: Date, facts: &SiteFacts) -> Check {
    let mut out = Vec::new();
    probes(t, date, facts, &mut out);
    home(t, date, facts, &mut out);
    columns(t, date, facts, &mut out);
    letters(t, date, facts, &mut out);
    if !facts.content_errors.is_empty() {
        out.push(finding(
            Indicator::ContentError,
            Kind::Veto,
            format!("{}处已发布信息疑似严重表述错误", facts.content_errors.len()),
            facts.content_errors.iter().map(|(url, m)| format!("{url}：{m}")).collect(),
        ));
    }
    if !facts.broken_links.is_empty() {
        // The 2019 table's points for broken links were not read (§2.4.3): an amber warning [I].
        out.push(finding(
            Indicator::LinksBroken,
            Kind::Warn,
            format!("{}个站内链接指向不存在或未发布的页面", facts.broken_links.len()),
            facts.broken_links.iter().map(|(url, href)| format!("{url} → {href}")).collect(),
        ));
    }
    out.sort_by_key(|f| (f.kind, f.indicator));
    let vetoed = out.iter().any(|f| f.kind == Kind::Veto);
    let deducted: u32 = out.iter().filter(|f| f.kind == Kind::Deduct).map(|f| f.points).sum();
    let score = (!vetoed).then(|| 100u32.saturating_sub(deducted));
    let verdict = match score {
        Some(s) if s >= t.pass_score => Verdict::Pass,
        _ => Verdict::Fail,
    };
    Check { date, findings: out, verdict, score }
}

/// §2.2.1: failed probes of the last `probe_days` days; no probe data is no finding.
fn probes(t: &Thresholds, date: Date, facts: &SiteFacts, out: &mut Vec<Finding>) {
    let from = date.saturating_sub(Duration::days(i64::from(t.probe_days) - 1));
    let window: Vec<&Probe> = facts.probes.iter().filter(|p| p.day >= from && p.day <= date).collect();
    let total = window.len() as u64;
    let failed = window.iter().filter(|p| !p.ok).count() as u64;
    if total == 0 || failed == 0 {
        return;
    }
    let evidence = vec![format!("{}至{}：探测{total}次，失败{failed}次", day_zh(from), day_zh(date))];
    let percent = failed as f64 * 100.0 / total as f64;
    let message = format!("近{}天探测失败率{percent:.2}%", t.probe_days);
    if failed * 100 >= total * u64::from(t.probe_veto_percent) {
        out.push(finding(Indicator::SiteUnreachable, Kind::Veto, message, evidence));
    } else if failed * 100 >= total * u64::from(t.probe_warn_percent) {
        out.push(finding(Indicator::SiteUnreachable, Kind::Warn, message, evidence));
    }
}

/// §2.2.2: the homepage shows the newest items of every column, so its last update is the newest item.
fn home(t: &Thresholds, date: Date, facts: &SiteFacts, out: &mut Vec<Finding>) {
    let last = facts.columns.iter().filter_map(|c| c.last_published).max();
    let Some(last) = last else {
        out.push(finding(Indicator::HomeStale, Kind::Veto, "首页从未发布信息".into(), vec![]));
        return;
    };
    let days = (date - last).whole_days();
    let evidence = vec![format!("最新信息发布于{}", day_zh(last))];
    if days > i64::from(t.home_days) {
        out.push(finding(Indicator::HomeStale, Kind::Veto, format!("首页已{days}天无新增信息"), evidence));
    } else if days >= i64::from(t.home_warn_days) {
        let left = last.saturating_add(Duration::days(i64::from(t.home_days) + 1));
        out.push(finding(
            Indicator::HomeStale,
            Kind::Warn,
            format!("首页已{days}天无新增信息，{}起将单项否决", day_zh(left)),
            evidence,
        ));
    }
}

fn columns(t: &Thresholds, date: Date, facts: &SiteFacts, out: &mut Vec<Finding>) {
    let mut stale = Vec::new();
    let mut soon = Vec::new();
    let mut news_notice = 0;
    for c in &facts.columns {
        let (Some(w), Some(last)) = (c.class.window(t), c.last_published) else { continue };
        let fresh_until = w.last_fresh_day(last);
        let line = format!("{}（{}，最后更新{}）", c.name, w.label_zh(), day_zh(last));
        if date > fresh_until {
            let counts = match c.class {
                UpdateClass::News => true,
                UpdateClass::Notice => c.top_level,
                _ => false,
            };
            news_notice += usize::from(counts);
            if c.class == UpdateClass::Notice && c.top_level && is_policies(c) {
                out.push(Finding {
                    indicator: Indicator::ColumnsStale,
                    kind: Kind::Deduct,
                    points: t.policy_stale_points,
                    message: format!("政策文件栏目{}未更新", w.label_zh()),
                    evidence: vec![line.clone()],
                });
            }
            stale.push(line);
        } else if (fresh_until - date).whole_days() < i64::from(t.soon_days) {
            soon.push(format!("{}（{}起超期）", line, day_zh(fresh_until.next_day().unwrap_or(fresh_until))));
        }
    }
    let names = |v: &[String]| v.iter().map(|s| s.split('（').next().unwrap_or(s)).collect::<Vec<_>>().join("、");
    if news_notice >= t.stale_news_notice_veto || stale.len() >= t.stale_any_veto {
        out.push(finding(
            Indicator::ColumnsStale,
            Kind::Veto,
            format!("{}个栏目未按期更新：{}", stale.len(), names(&stale)),
            stale,
        ));
    } else if !stale.is_empty() {
        out.push(finding(
            Indicator::ColumnsStale,
            Kind::Warn,
            format!("{}个栏目未按期更新（尚未达到否决条件）：{}", stale.len(), names(&stale)),
            stale,
        ));
    }
    if !soon.is_empty() {
        out.push(finding(
            Indicator::ColumnsStale,
            Kind::Warn,
            format!("{}个栏目将在{}天内超期：{}", soon.len(), t.soon_days, names(&soon)),
            soon,
        ));
    }
    let blank: Vec<String> = facts.columns.iter().filter(|c| !c.has_content).map(|c| c.name.clone()).collect();
    if !blank.is_empty() {
        let kind = if blank.len() >= t.blank_veto { Kind::Veto } else { Kind::Warn };
        out.push(finding(
            Indicator::ColumnsBlank,
            kind,
            format!("{}个空白栏目：{}", blank.len(), blank.join("、")),
            blank,
        ));
    }
}

fn is_policies(c: &ColumnFacts) -> bool {
    c.slug == FixedColumn::Policies || c.name.contains("政策文件")
}

/// §2.2.5: a valid message of the year before the check unanswered for more than three months.
fn letters(t: &Thresholds, date: Date, facts: &SiteFacts, out: &mut Vec<Finding>) {
    let year_before = sub_months(date, 12);
    let window = Window::Months(t.unanswered_months);
    let (mut veto, mut warn) = (Vec::new(), Vec::new());
    for l in facts.letters.iter().filter(|l| l.valid && l.received_on >= year_before && l.received_on <= date) {
        if l.answered_on.is_some_and(|a| a <= date) {
            continue;
        }
        let line = format!("{}（{}收到，未答复）", l.label, day_zh(l.received_on));
        if date > window.last_fresh_day(l.received_on) {
            veto.push(line);
        } else if (date - l.received_on).whole_days() >= i64::from(t.unanswered_warn_days) {
            warn.push(line);
        }
    }
    if !veto.is_empty() {
        let message = format!("{}件留言超过{}未答复", veto.len(), window.label_zh());
        out.push(finding(Indicator::InteractionUnanswered, Kind::Veto, message, veto));
    }
    if !warn.is_empty() {
        let message = format!("{}件留言已{}天以上未答复", warn.len(), t.unanswered_warn_days);
        out.push(finding(Indicator::InteractionUnanswered, Kind::Warn, message, warn));
    }
}
