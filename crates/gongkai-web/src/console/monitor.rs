//! 网站自查: the agency's site check as of a day (default today), its descendants' verdicts for a supervisor, and
//! the update class of each column (its administrator changes them; the app checks). docs/law/supervision.md §2.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::Caller;
use gongkai_domain::agency::Role;
use gongkai_domain::monitor::{Check, Kind, UpdateClass};
use serde::Deserialize;

/// One row of the findings table.
struct Row {
    kind: &'static str,
    kind_label: &'static str,
    indicator: &'static str,
    message: String,
    evidence: Vec<String>,
    /// "2026年11月3日起" when the daily results show the indicator failing since then.
    since: String,
}

/// (agency console href, agency name, verdict, failing indicators)
type Descendant = (String, String, &'static str, String);

#[derive(Template, WebTemplate)]
#[template(path = "console/monitor.html")]
struct MonitorPage {
    layout: crate::layout::Layout,
    code: String,
    date: String,
    verdict: &'static str,
    passed: bool,
    score: String,
    rows: Vec<Row>,
    descendants: Vec<Descendant>,
    /// (column id, name, class code, class label, is default)
    columns: Vec<(i64, String, &'static str, &'static str, bool)>,
    classes: Vec<(&'static str, &'static str)>,
    is_admin: bool,
    notice: Option<String>,
    /// Whether the user may see the 通报 list (an issuer or reviewer of the agency).
    sees_bulletins: bool,
    /// The probe URLs, one a line (or the refused text as typed).
    probe_text: String,
    probe_error: Option<String>,
}

#[derive(Deserialize)]
pub struct DateQuery {
    #[serde(default)]
    date: String,
}

/// "2026年11月3日起" for a failing indicator the daily results know about.
fn since_of(since: &std::collections::BTreeMap<String, time::Date>, code: &str) -> String {
    since.get(code).map(|d| format!("{}起", gongkai_domain::calendar::format_date_zh(*d))).unwrap_or_default()
}

fn score(c: &Check) -> String {
    c.score.map(|s| s.to_string()).unwrap_or_else(|| "—（单项否决）".into())
}

pub async fn show(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<DateQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(q.date.trim(), &format).unwrap_or_else(|_| s.app.today());
    let notice = n.text(&[("saved", "栏目更新类别已保存。"), ("probes", "探测地址已保存。")], None);
    render(&s, &cp, day, notice, None).await
}

/// The page as of `day`; `probe_error` is a refused probe list (the message, and the text as typed).
async fn render(
    s: &WebState,
    cp: &ConsolePage,
    day: time::Date,
    notice: Option<String>,
    probe_error: Option<(String, String)>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&cp.p);
    let c = s.app.site_check(by, &cp.agency, day).await?;
    let since = s.app.failing_since(by, &cp.agency, day).await?;
    let rows = c
        .findings
        .iter()
        .map(|f| Row {
            kind: f.kind.as_str(),
            kind_label: if f.kind == Kind::Deduct { "扣分" } else { f.kind.label_zh() },
            indicator: f.indicator.label_zh(),
            message: if f.points > 0 { format!("{}（扣{}分）", f.message, f.points) } else { f.message.clone() },
            evidence: f.evidence.clone(),
            since: if f.kind == Kind::Warn { String::new() } else { since_of(&since, f.indicator.as_str()) },
        })
        .collect();
    let mut descendants = Vec::new();
    for (a, c) in s.app.descendant_checks(by, &cp.agency, day).await? {
        let since = s.app.failing_since(by, &a, day).await?;
        let mut failing: Vec<String> = Vec::new();
        for f in c.findings.iter().filter(|f| f.kind != Kind::Warn) {
            let label = match since_of(&since, f.indicator.as_str()) {
                s if s.is_empty() => f.indicator.label_zh().to_owned(),
                s => format!("{}（{s}）", f.indicator.label_zh()),
            };
            if !failing.contains(&label) {
                failing.push(label);
            }
        }
        descendants.push((
            format!("/console/{}/monitor?date={day}", a.code),
            a.name,
            c.verdict.label_zh(),
            failing.join("、"),
        ));
    }
    let columns = s
        .app
        .column_classes(by, &cp.agency)
        .await?
        .into_iter()
        .map(|c| (c.column.id, c.column.name, c.class.as_str(), c.class.label_zh(), c.is_default))
        .collect();
    let page = MonitorPage {
        layout: cp.layout(format!("{}：网站自查", cp.agency.name)),
        code: cp.code().to_owned(),
        date: day.to_string(),
        verdict: c.verdict.label_zh(),
        passed: c.verdict == gongkai_domain::monitor::Verdict::Pass,
        score: score(&c),
        rows,
        descendants,
        columns,
        classes: UpdateClass::ALL.iter().map(|c| (c.as_str(), c.label_zh())).collect(),
        is_admin: cp.may(&[Role::Admin]),
        notice,
        sees_bulletins: cp.may(&[Role::Supervisor, Role::Admin, Role::Reviewer]),
        probe_text: match &probe_error {
            Some((_, typed)) => typed.clone(),
            None => s.app.probe_urls(by, &cp.agency).await?.join("\n"),
        },
        probe_error: probe_error.map(|(m, _)| m),
    };
    let status = if page.probe_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProbeForm {
    urls: String,
}

/// The administrator sets the URLs the probe job opens; a refused list is shown again as typed.
pub async fn set_probes(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<ProbeForm>,
) -> Result<Response, WebError> {
    match s.app.set_probe_urls(&cp.p, &cp.agency, &f.urls).await {
        Ok(_) => Ok(Redirect::to(&cp.href("monitor?notice=probes#probes")).into_response()),
        Err(gongkai_app::AppError::Invalid { message, .. }) => {
            render(&s, &cp, s.app.today(), None, Some((message, f.urls))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ClassForm {
    column_id: i64,
    class: String,
}

pub async fn set_class(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<ClassForm>,
) -> Result<Response, WebError> {
    s.app.set_column_class(&cp.p, &cp.agency, f.column_id, &f.class).await?;
    Ok(Redirect::to(&cp.href("monitor?notice=saved#classes")).into_response())
}

/// The 通报 of the descendants' check as of `?date=` (default today), as a DOCX or PDF draft.
pub async fn bulletin(
    State(s): State<WebState>,
    cp: ConsolePage,
    axum::extract::Path((_, format)): axum::extract::Path<(String, String)>,
    Query(q): Query<DateQuery>,
) -> Result<Response, WebError> {
    let format = match format.as_str() {
        "bulletin.docx" => gongkai_app::letters::LetterFormat::Docx,
        "bulletin.pdf" => gongkai_app::letters::LetterFormat::Pdf,
        _ => return Err(gongkai_app::AppError::NotFound("文件").into()),
    };
    let ymd = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(q.date.trim(), &ymd).unwrap_or_else(|_| s.app.today());
    let f = s.app.monitor_bulletin(Caller::Staff(&cp.p), &cp.agency, day, format).await?;
    Ok(crate::page::file_response(f))
}
