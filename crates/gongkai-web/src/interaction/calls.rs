//! 接访电话 in the console: quick entry and the log, with follow-ups that have a deadline (docs/law/public-interaction.md
//! §5); and the agency's time limits of the three channels, set by its administrator.

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::interaction::calls::CallForm;
use gongkai_app::{App, AppError};
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::calls::Handling;
use serde::Deserialize;

pub struct Row {
    id: i64,
    when: String,
    caller: String,
    number: String,
    kind: &'static str,
    summary: String,
    handling: &'static str,
    result: String,
    /// The follow-up's deadline and whether it is open / late.
    due: String,
    open: bool,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/calls.html")]
struct CallsPage {
    layout: Layout,
    code: String,
    rows: Vec<Row>,
    form: CallForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    handlings: Vec<(&'static str, &'static str)>,
}

impl CallsPage {
    fn err(&self, field: &str) -> Option<String> {
        let msgs: Vec<&str> = self.errors.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str()).collect();
        (!msgs.is_empty()).then(|| msgs.join("；"))
    }
}

async fn render(
    s: &WebState,
    cp: &ConsolePage,
    form: CallForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let today = s.app.today();
    let rows = s
        .app
        .calls(&cp.p, &cp.agency)
        .await?
        .into_iter()
        .map(|c| Row {
            id: c.id,
            when: format!("{} {}", format_date_zh(c.called_on), c.called_time),
            overdue: App::call_overdue(&c, today),
            open: c.closed_on.is_none(),
            due: c.due_on.map(format_date_zh).unwrap_or_default(),
            caller: c.caller,
            number: c.number_masked,
            kind: Kind::parse(&c.kind).map(Kind::label_zh).unwrap_or(""),
            summary: c.summary,
            handling: Handling::parse(&c.handling).map(Handling::label_zh).unwrap_or(""),
            result: c.result,
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok(no_store((
        status,
        CallsPage {
            layout: cp.layout(format!("{}：接访电话", cp.agency.name)),
            code: cp.code().to_owned(),
            rows,
            form,
            errors,
            notice,
            kinds: Kind::MAILBOX.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
            handlings: Handling::ALL.iter().map(|h| (h.as_str(), h.label_zh())).collect(),
        },
    )))
}

pub async fn list(State(s): State<WebState>, cp: ConsolePage, Query(n): Query<Notice>) -> Result<Response, WebError> {
    let form = CallForm { kind: "consult".into(), handling: "answered".into(), ..Default::default() };
    render(&s, &cp, form, Vec::new(), n.text(&[("saved", "来电已登记。"), ("closed", "跟进事项已办结。")], None)).await
}

pub async fn create(State(s): State<WebState>, cp: ConsolePage, Form(f): Form<CallForm>) -> Result<Response, WebError> {
    match s.app.record_call(&cp.p, &cp.agency, &f).await {
        Ok(_) => Ok(Redirect::to(&cp.href("calls?notice=saved")).into_response()),
        Err(AppError::InvalidFields(errors)) => render(&s, &cp, f, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    result: String,
}

pub async fn close(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CloseForm>,
) -> Result<Response, WebError> {
    match s.app.close_call(&cp.p, &cp.agency, id, &f.result).await {
        Ok(()) => Ok(Redirect::to(&cp.href("calls?notice=closed")).into_response()),
        Err(AppError::Invalid { field, message }) => {
            let form = CallForm { kind: "consult".into(), handling: "answered".into(), ..Default::default() };
            render(&s, &cp, form, vec![(field.unwrap_or("result"), message)], None).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the agency's time limits (its administrators) ----

#[derive(Template, WebTemplate)]
#[template(path = "console/interaction_settings.html")]
struct SettingsPage {
    layout: Layout,
    code: String,
    /// (field, label, value as typed)
    fields: Vec<(&'static str, &'static str, String)>,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
}

impl SettingsPage {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone())
    }
}

fn settings_page(
    cp: &ConsolePage,
    fields: Vec<(&'static str, &'static str, String)>,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    no_store((
        status,
        SettingsPage {
            layout: cp.layout(format!("{}：政民互动办理期限", cp.agency.name)),
            code: cp.code().to_owned(),
            fields,
            errors,
            notice,
        },
    ))
}

pub async fn settings(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let limits = s.app.interaction_limits(&cp.agency).await?;
    let fields = limits.fields().into_iter().map(|(f, l, v)| (f, l, v.to_string())).collect();
    Ok(settings_page(
        &cp,
        fields,
        Vec::new(),
        n.text(&[("saved", "已保存，新收的来信、来电和工单按新的期限计算。")], None),
    ))
}

pub async fn save_settings(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(typed): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    let current = s.app.interaction_limits(&cp.agency).await?;
    let mut errors = Vec::new();
    let mut map = serde_json::Map::new();
    for (field, label, _) in current.fields() {
        match typed.get(field).map(|v| v.trim().parse::<u32>()) {
            Some(Ok(v)) => {
                map.insert(field.to_owned(), v.into());
            }
            _ => errors.push((field, format!("“{label}”应为整数（工作日）"))),
        }
    }
    let typed_fields = |current: &gongkai_domain::interaction::limits::Limits| {
        current
            .fields()
            .into_iter()
            .map(|(f, l, _)| (f, l, typed.get(f).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    if !errors.is_empty() {
        return Ok(settings_page(&cp, typed_fields(&current), errors, None));
    }
    let limits = serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| AppError::Internal(format!("limits form: {e}")))?;
    match s.app.save_interaction_limits(&cp.p, &cp.agency, limits).await {
        Ok(()) => Ok(Redirect::to(&cp.href("interaction/settings?notice=saved")).into_response()),
        Err(AppError::InvalidFields(errors)) => Ok(settings_page(&cp, typed_fields(&current), errors, None)),
        Err(e) => Err(e.into()),
    }
}
