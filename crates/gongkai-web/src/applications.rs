//! 依申请公开 over HTTP: the public application form and status lookup (portal), the JSON API under `/api/v1`,
//! and the case list and case page (console). Public POSTs are rate limited per client address.

use crate::auth::CurrentUser;
use crate::error::{WebError, page};
use crate::layout::Layout;
use crate::{WebConfig, WebState, csrf};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use gongkai_app::applications::{
    ApplicationForm, CaseFilter, CaseStep, CaseView, DeadlineView, DueFilter, HandlerChoice, PublicStatus, parse_date,
};
use gongkai_app::{AppError, Principal};
use gongkai_domain::application::{
    ApplicantType, CaseEventKind, DeliveryForm, FeeMethod, IdDocumentType, Outcome, QueryPassword, ReviewKind,
    ReviewResult, Stage,
};
use gongkai_domain::calendar::format_date_zh;
use gongkai_store::agencies::Agency;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use time::Date;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_sessions::Session;

pub fn router(cfg: &WebConfig) -> Router<WebState> {
    let public_posts = Router::new()
        .route(
            "/{agency}/apply",
            get(apply_form)
                .post(apply_submit)
                // Files are checked one by one (5 MB each) by the app; the whole body stays under the global limit.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/track", get(track_form).post(track_submit))
        .route("/api/v1/{agency}/applications", post(api_submit))
        .merge(crate::letters::public_router());
    let throttle = GovernorConfigBuilder::default()
        .per_second(cfg.public_post_replenish_secs.max(1))
        .burst_size(cfg.public_post_burst.max(1))
        .methods(vec![Method::POST])
        .finish()
        .map(Arc::new);
    let public_posts = match throttle {
        Some(conf) => public_posts.layer(GovernorLayer::new(conf).error_handler(|_| {
            page(StatusCode::TOO_MANY_REQUESTS, "提交过于频繁", "您提交得太频繁了，请稍候一分钟再试。")
        })),
        None => public_posts,
    };
    Router::new()
        .merge(public_posts)
        .route("/api/v1/applications/{code}", get(api_track))
        .route("/console/{agency}/applications", get(case_list))
        .route("/console/{agency}/applications/new", get(intake_form).post(intake_submit))
        .route("/console/{agency}/applications/{id}", get(case_page))
        .route("/console/{agency}/applications/{id}/steps", post(case_step))
        .route("/console/{agency}/applications/{id}/reveal-id", post(reveal_id))
        .route("/console/{agency}/applications/export.xlsx", get(case_export))
        .route("/console/{agency}/applications/{id}/assign", post(assign))
        .route("/console/{agency}/applications/{id}/attachments/{sha256}", get(attachment))
        .merge(crate::letters::router())
}

pub(crate) fn no_store(r: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], r).into_response()
}

fn opt_date_zh(d: &Option<Date>) -> String {
    d.map(format_date_zh).unwrap_or_else(|| "—".into())
}

// ---- public form ----

#[derive(Template, WebTemplate)]
#[template(path = "apply.html")]
struct ApplyPage {
    layout: Layout,
    action: String,
    staff: Option<StaffIntake>,
    agency_name: String,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
    applicant_types: Vec<(&'static str, &'static str)>,
    id_types: Vec<(&'static str, &'static str)>,
    deliveries: Vec<(&'static str, &'static str)>,
}

impl ApplyPage {
    fn err(&self, field: &str) -> Option<String> {
        let msgs: Vec<&str> = self.errors.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str()).collect();
        (!msgs.is_empty()).then(|| msgs.join("；"))
    }
}

/// The extra fields of staff intake (channel and the dates of Art. 31), as typed.
#[derive(Deserialize, Default, Clone)]
struct StaffIntake {
    #[serde(skip)]
    channels: Vec<(&'static str, &'static str)>,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    submitted_on: String,
    #[serde(default)]
    received_on: String,
}

async fn render_apply(
    s: &WebState,
    session: &Session,
    a: &Agency,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let mut layout = Layout::new(&s.app.config.site_name, "依申请公开")
        .crumb("/", "首页")
        .crumb(format!("/{}/", a.code), a.name.clone());
    layout.csrf = csrf::token(session).await?;
    render_apply_with(layout, format!("/{}/apply", a.code), None, a, form, errors)
}

fn render_apply_with(
    layout: Layout,
    action: String,
    staff: Option<StaffIntake>,
    a: &Agency,
    form: ApplicationForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = ApplyPage {
        layout,
        action,
        staff,
        agency_name: a.name.clone(),
        form,
        errors,
        applicant_types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
        id_types: IdDocumentType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
        deliveries: DeliveryForm::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect(),
    };
    Ok(no_store((status, page)))
}

async fn apply_form(
    State(s): State<WebState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let form = ApplicationForm {
        applicant_type: "natural_person".into(),
        id_type: "id_card".into(),
        delivery: "email".into(),
        ..Default::default()
    };
    render_apply(&s, &session, &a, form, Vec::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "apply_done.html")]
struct ApplyDonePage {
    layout: Layout,
    agency_name: String,
    tracking_code: String,
    query_password: String,
}

/// The public form arrives as multipart (it may carry attachments); a urlencoded post (no files) is accepted too.
async fn apply_submit(
    State(s): State<WebState>,
    session: Session,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, WebError> {
    use axum::extract::FromRequest;
    let a = s.app.agency_by_code(&code).await?;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut uploads = Vec::new();
    if is_multipart {
        let bad = |_| {
            WebError::App(AppError::Invalid { field: None, message: "表单数据不完整，请重新提交".into() })
        };
        let mut mp = axum::extract::Multipart::from_request(req, &s).await.map_err(|_| WebError::TooLarge)?;
        while let Some(field) = mp.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_owned();
            if name == "attachments" {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                uploads.push(gongkai_app::applications::Upload { name: file_name, bytes: bytes.to_vec() });
            } else {
                fields.push((name, field.text().await.map_err(bad)?));
            }
        }
    } else {
        let Form(f) = Form::<Vec<(String, String)>>::from_request(req, &s)
            .await
            .map_err(|_| WebError::App(AppError::Invalid { field: None, message: "表单数据不完整".into() }))?;
        fields = f;
    }
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
    let form: ApplicationForm = serde_urlencoded_compat(&encoded);
    match s.app.submit_application_with_files(&code, &form, uploads).await {
        Ok(done) => {
            let layout = Layout::new(&s.app.config.site_name, "申请已提交")
                .crumb("/", "首页")
                .crumb(format!("/{}/", a.code), a.name.clone());
            // Shown once: the response is never cached, and the password is not kept anywhere in clear.
            Ok(no_store((
                StatusCode::CREATED,
                ApplyDonePage {
                    layout,
                    agency_name: done.agency_name,
                    tracking_code: done.tracking_code.to_string(),
                    query_password: done.query_password.as_str().to_owned(),
                },
            )))
        }
        Err(AppError::InvalidFields(errors)) => render_apply(&s, &session, &a, form, errors).await,
        Err(AppError::Invalid { field, message }) => {
            render_apply(&s, &session, &a, form, vec![(field.unwrap_or("form"), message)]).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- public status lookup ----

#[derive(Template, WebTemplate)]
#[template(path = "track.html")]
struct TrackPage {
    layout: Layout,
    code: String,
    error: Option<String>,
    status: Option<StatusView>,
}

/// A public status prepared for display.
struct StatusView {
    tracking_code: String,
    agency_name: String,
    stage: &'static str,
    status: String,
    submitted_on: String,
    channel: &'static str,
    receipt_date: String,
    deadlines: Vec<DeadlineRow>,
    outcome: Option<&'static str>,
    timeline: Vec<(String, &'static str)>,
    /// (id, kind, 文号, date, correction note) of the letters sent to the applicant.
    letters: Vec<(i64, &'static str, String, String, String)>,
    /// Kept to download a letter with the same code and password.
    password: String,
}

pub struct DeadlineRow {
    label: &'static str,
    date: String,
    explanation: Vec<String>,
}

fn deadline_rows(d: &[DeadlineView]) -> Vec<DeadlineRow> {
    d.iter()
        .map(|d| DeadlineRow {
            label: d.label,
            date: format_date_zh(d.date),
            explanation: d.explanation.lines().map(str::to_owned).collect(),
        })
        .collect()
}

/// 已更正 on a letter that a sent correction superseded; the correction names the letter it corrects.
fn correction_note(l: &gongkai_app::letters::PublicLetter) -> String {
    match (&l.corrected_by, &l.corrects) {
        (Some(by), _) => format!("已更正（以{by}为准）"),
        (None, Some(old)) => format!("更正{old}"),
        (None, None) => String::new(),
    }
}

fn status_view(p: PublicStatus, password: &str) -> StatusView {
    StatusView {
        letters: p
            .letters
            .iter()
            .map(|l| (l.id, l.kind.label_zh(), l.doc_no.clone(), format_date_zh(l.sent_on), correction_note(l)))
            .collect(),
        password: password.to_owned(),
        tracking_code: p.tracking_code,
        agency_name: p.agency_name,
        stage: p.stage.label_zh(),
        status: p.status_zh,
        submitted_on: format_date_zh(p.submitted_on),
        channel: p.channel.name_zh(),
        receipt_date: opt_date_zh(&p.receipt_date),
        deadlines: deadline_rows(&p.deadlines),
        outcome: p.outcome.map(Outcome::letter_label_zh),
        timeline: p.timeline.into_iter().map(|(d, n)| (format_date_zh(d), n)).collect(),
    }
}

async fn track_layout(s: &WebState, session: &Session) -> Result<Layout, WebError> {
    let mut l = Layout::new(&s.app.config.site_name, "申请办理进度查询").crumb("/", "首页");
    l.csrf = csrf::token(session).await?;
    Ok(l)
}

async fn track_form(State(s): State<WebState>, session: Session) -> Result<Response, WebError> {
    let layout = track_layout(&s, &session).await?;
    Ok(no_store(TrackPage { layout, code: String::new(), error: None, status: None }))
}

#[derive(Deserialize)]
struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

async fn track_submit(
    State(s): State<WebState>,
    session: Session,
    Form(f): Form<TrackForm>,
) -> Result<Response, WebError> {
    let layout = track_layout(&s, &session).await?;
    match s.app.track_application(&f.code, &f.password).await {
        Ok(st) => {
            Ok(no_store(TrackPage { layout, code: f.code, error: None, status: Some(status_view(st, &f.password)) }))
        }
        Err(AppError::Invalid { message, .. }) => Ok(no_store((
            StatusCode::BAD_REQUEST,
            TrackPage { layout, code: f.code, error: Some(message), status: None },
        ))),
        Err(e) => Err(e.into()),
    }
}

// ---- JSON API ----

pub(crate) fn api_error(e: AppError) -> Response {
    let (status, code) = match &e {
        AppError::Invalid { .. } | AppError::InvalidFields(_) => (StatusCode::BAD_REQUEST, "invalid"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    let message = if e.is_user_facing() {
        e.to_string()
    } else {
        tracing::error!(error = ?e, "internal error");
        "服务暂时出现问题，请稍后再试".into()
    };
    let mut body = json!({"code": code, "message": message});
    if let AppError::InvalidFields(errors) = &e {
        body["fields"] = errors.iter().map(|(f, m)| json!({"field": f, "message": m})).collect();
    }
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

async fn api_submit(
    State(s): State<WebState>,
    Path(code): Path<String>,
    body: Result<Json<ApplicationForm>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(form)) = body else {
        return api_error(AppError::Invalid {
            field: None, message: "请求体应为 JSON 格式的申请内容".into()
        });
    };
    match s.app.submit_application(&code, &form).await {
        Ok(done) => (
            StatusCode::CREATED,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "tracking_code": done.tracking_code.as_str(),
                "query_password": done.query_password.as_str(),
                "agency": done.agency_name,
            })),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct PasswordQuery {
    password: Option<String>,
}

/// The query password of an API call: the `X-Query-Password` header, else `?password=`, else empty.
pub(crate) fn api_password(headers: &HeaderMap, q: PasswordQuery) -> String {
    headers.get("x-query-password").and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.password).unwrap_or_default()
}

/// `GET /api/v1/applications/{code}` with the password in `X-Query-Password` (or `?password=`).
async fn api_track(
    State(s): State<WebState>,
    Path(code): Path<String>,
    Query(q): Query<PasswordQuery>,
    headers: HeaderMap,
) -> Response {
    let password = api_password(&headers, q);
    if QueryPassword::normalise(&password).is_empty() {
        return api_error(AppError::Invalid { field: Some("password"), message: "请提供查询密码".into() });
    }
    match s.app.track_application(&code, &password).await {
        Ok(p) => {
            let body = json!({
                "tracking_code": p.tracking_code,
                "agency": p.agency_name,
                "submitted_on": p.submitted_on.to_string(),
                "channel": p.channel,
                "stage": p.stage.as_str(),
                "stage_zh": p.stage.label_zh(),
                "status_zh": p.status_zh,
                "receipt_date": p.receipt_date.map(|d| d.to_string()),
                "deadlines": p.deadlines.iter().map(|d| json!({
                    "label": d.label, "date": d.date.to_string(), "explanation": d.explanation,
                })).collect::<Vec<_>>(),
                "outcome": p.outcome.map(|o| json!({"t3_key": o.t3_key(), "label": o.label_zh()})),
                "timeline": p.timeline.iter().map(|(d, n)| json!({"date": d.to_string(), "event": n}))
                    .collect::<Vec<_>>(),
                "letters": p.letters.iter().map(|l| json!({
                    "id": l.id, "kind": l.kind.as_str(), "kind_zh": l.kind.label_zh(), "doc_no": l.doc_no,
                    "sent_on": l.sent_on.to_string(), "corrected_by": l.corrected_by, "corrects": l.corrects,
                    "pdf": format!("/api/v1/applications/{}/letters/{}", p.tracking_code, l.id),
                })).collect::<Vec<_>>(),
            });
            ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(e) => api_error(e),
    }
}

// ---- console: case list ----

fn console_layout(s: &WebState, p: &Principal, a: &Agency, title: impl Into<String>, csrf: String) -> Layout {
    let mut l = Layout::new(&s.app.config.site_name, title)
        .crumb("/console/", "工作台")
        .crumb(format!("/console/{}/", a.code), a.name.clone());
    l.user = Some(p.user.display_name.clone());
    l.csrf = csrf;
    l
}

struct CaseRow {
    id: i64,
    tracking_code: String,
    applicant: String,
    applicant_type: &'static str,
    id_masked: String,
    submitted_on: String,
    stage: &'static str,
    deadline: String,
    status: String,
    overdue: bool,
    handler: String,
}

fn case_row(v: &CaseView) -> CaseRow {
    CaseRow {
        id: v.application.id,
        tracking_code: v.application.tracking_code.clone(),
        applicant: v.application.applicant_name.clone(),
        applicant_type: v.applicant_type().map(ApplicantType::column_zh).unwrap_or(""),
        id_masked: v.id_masked(),
        submitted_on: format_date_zh(v.application.submitted_on),
        stage: v.stage.label_zh(),
        deadline: opt_date_zh(&v.effective_deadline),
        status: v.status_zh.clone(),
        overdue: v.overdue,
        handler: v.application.handler_name.clone().unwrap_or_else(|| "未分配".into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases.html")]
struct CaseListPage {
    layout: Layout,
    code: String,
    rows: Vec<CaseRow>,
    total: usize,
    page: usize,
    pages: usize,
    q: ListQuery,
    stages: Vec<(&'static str, &'static str)>,
    applicant_types: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    handlers: Vec<(String, String)>,
    query_base: String,
    /// Agency administrators see the link to the letter templates.
    is_admin: bool,
}

#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    outcome: String,
    /// `mine`, `unassigned` or a user id.
    #[serde(default)]
    handler: String,
    #[serde(default)]
    page: Option<usize>,
}

fn case_filter(q: &ListQuery) -> CaseFilter {
    CaseFilter {
        stage: Stage::parse(&q.stage),
        applicant_type: ApplicantType::parse(&q.applicant_type).ok(),
        year: q.year.trim().parse().ok(),
        outcome: Outcome::parse(&q.outcome).ok(),
        due: match q.due.as_str() {
            "soon" => Some(DueFilter::Soon),
            "overdue" => Some(DueFilter::Overdue),
            _ => None,
        },
        handler: match q.handler.as_str() {
            "mine" => HandlerChoice::Mine,
            "unassigned" => HandlerChoice::Unassigned,
            h => h.parse().map(HandlerChoice::User).unwrap_or_default(),
        },
        page: q.page.unwrap_or(1),
    }
}

/// The filtered list (every page) as XLSX, identity numbers masked.
async fn case_export(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let bytes = s.app.cases_xlsx(&p, &a, &case_filter(&q)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"applications-{code}.xlsx\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

async fn case_list(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let result = s.app.cases(&p, &a, &case_filter(&q)).await?;
    let handlers = s.app.case_handlers(&p, &a).await?.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let query_base = format!(
        "stage={}&due={}&applicant_type={}&year={}&outcome={}&handler={}",
        enc(&q.stage),
        enc(&q.due),
        enc(&q.applicant_type),
        enc(&q.year),
        enc(&q.outcome),
        enc(&q.handler)
    );
    let layout = console_layout(&s, &p, &a, format!("{}：依申请公开", a.name), csrf::token(&session).await?);
    Ok(no_store(CaseListPage {
        layout,
        code,
        rows: result.cases.iter().map(case_row).collect(),
        total: result.total,
        page: result.page,
        pages: result.pages,
        q,
        stages: Stage::ALL.iter().map(|s| (s.as_str(), s.label_zh())).collect(),
        applicant_types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.column_zh())).collect(),
        outcomes: Outcome::ALL.iter().map(|o| (o.as_str(), o.t3_key())).collect(),
        handlers,
        query_base,
        is_admin: p.roles_in(a.id).contains(&gongkai_domain::agency::Role::Admin),
    }))
}

// ---- console: staff intake (当面 / 邮寄 / 平信 / 传真 / 电子邮件) ----

fn staff_fields(mut st: StaffIntake) -> StaffIntake {
    st.channels = gongkai_app::applications::CHANNELS
        .iter()
        .filter(|c| **c != gongkai_domain::clock::Channel::Online)
        .map(|c| (gongkai_app::applications::channel_code(*c), c.name_zh()))
        .collect();
    st
}

async fn intake_page(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    form: ApplicationForm,
    st: StaffIntake,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let layout = console_layout(s, p, a, "登记申请", csrf::token(session).await?)
        .crumb(format!("/console/{}/applications", a.code), "依申请公开");
    render_apply_with(layout, format!("/console/{}/applications/new", a.code), Some(staff_fields(st)), a, form, errors)
}

async fn intake_form(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let form = s.app.new_intake_form(&p, &a)?;
    let st = StaffIntake { channel: "in_person".into(), submitted_on: s.app.today().to_string(), ..Default::default() };
    intake_page(&s, &session, &p, &a, form, st, Vec::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "intake_done.html")]
struct IntakeDonePage {
    layout: Layout,
    code: String,
    id: i64,
    tracking_code: String,
    query_password: String,
}

async fn intake_submit(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path(code): Path<String>,
    Form(both): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    // One urlencoded body carries both the applicant's form and the intake fields.
    let pairs: Vec<(String, String)> = both.into_iter().filter(|(k, _)| k != "csrf").collect();
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
    let form: ApplicationForm = serde_urlencoded_compat(&encoded);
    let st: StaffIntake = serde_urlencoded_compat(&encoded);
    let mut errors = Vec::new();
    let channel = gongkai_app::applications::parse_channel(&st.channel);
    if channel.is_none() {
        errors.push(("channel", "请选择提交方式".to_owned()));
    }
    let submitted_on = parse_date(&st.submitted_on).map_err(|e| errors.push(("submitted_on", e.0))).ok();
    let received_on = match st.received_on.trim() {
        "" => None,
        r => parse_date(r).map_err(|e| errors.push(("received_on", e.0))).ok(),
    };
    if let (Some(channel), Some(submitted_on), true) = (channel, submitted_on, errors.is_empty()) {
        match s.app.register_application(&p, &a, &form, channel, submitted_on, received_on).await {
            Ok(done) => {
                let layout = console_layout(&s, &p, &a, "申请已登记", csrf::token(&session).await?)
                    .crumb(format!("/console/{}/applications", a.code), "依申请公开");
                return Ok(no_store((
                    StatusCode::CREATED,
                    IntakeDonePage {
                        layout,
                        code: a.code.to_string(),
                        id: done.id,
                        tracking_code: done.tracking_code.to_string(),
                        query_password: done.query_password.as_str().to_owned(),
                    },
                )));
            }
            Err(AppError::InvalidFields(e)) => errors = e,
            Err(AppError::Invalid { field, message }) => errors.push((field.unwrap_or("form"), message)),
            Err(e) => return Err(e.into()),
        }
    }
    intake_page(&s, &session, &p, &a, form, st, errors).await
}

/// Reads a struct of string fields (all `#[serde(default)]`) from an urlencoded body; unknown keys are ignored.
fn serde_urlencoded_compat<T: serde::de::DeserializeOwned + Default>(encoded: &str) -> T {
    let map: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

// ---- console: one case ----

struct TimelineRow {
    date: String,
    at: String,
    actor: String,
    what: &'static str,
    detail: String,
    note: String,
}

fn detail_zh(k: &CaseEventKind) -> String {
    match k {
        CaseEventKind::Submitted { channel, attachments } => {
            let files: Vec<String> =
                attachments.iter().map(|a| format!("{}（{}KB）", a.name, a.size.div_ceil(1024))).collect();
            if files.is_empty() {
                format!("渠道：{}", channel.name_zh())
            } else {
                format!("渠道：{}；附件：{}", channel.name_zh(), files.join("、"))
            }
        }
        CaseEventKind::CorrectionRequested { period_wd, items } => {
            format!("补正期限{period_wd}个工作日；补正事项：{items}")
        }
        CaseEventKind::ThirdPartyConsultationStarted { party } | CaseEventKind::AgencyConsultationStarted { party } => {
            format!("征求对象：{party}")
        }
        CaseEventKind::ExtensionApproved { days_wd, approver } => format!("延长{days_wd}个工作日，经{approver}同意"),
        CaseEventKind::FeeNoticeDelivered { method, standard_amount, amount, reduction_reason } => {
            let how = match method {
                FeeMethod::PerApplication { nth_in_month } => format!("按件计收（申请人本月第{nth_in_month}件）"),
                FeeMethod::PerPage { pages } => format!("按量计收（{pages}页）"),
            };
            if reduction_reason.is_empty() {
                format!("{how}，应缴{amount}元")
            } else {
                format!("{how}，标准{standard_amount}元，减免后应缴{amount}元（理由：{reduction_reason}）")
            }
        }
        CaseEventKind::Decided { outcome, reasons } => {
            format!(
                "{}（表三{}；依据{}）{}",
                outcome.letter_label_zh(),
                outcome.t3_key(),
                outcome.legal_basis_zh(),
                reasons
            )
        }
        CaseEventKind::ReviewFiled { kind, body } => format!("{}，{body}", kind.label_zh()),
        CaseEventKind::CustomDeadlineSet { deadline, reason } => {
            format!("合理答复期限至{}（条例第三十五条）；理由：{reason}", format_date_zh(*deadline))
        }
        CaseEventKind::ReviewDecided { kind, result } => {
            let reopen = if *result == ReviewResult::Corrected { "，本申请重新办理" } else { "" };
            format!("{}：{}{reopen}", kind.label_zh(), result.t4_column())
        }
        _ => String::new(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "case.html")]
struct CasePageT {
    layout: Layout,
    code: String,
    id: i64,
    tracking_code: String,
    applicant: String,
    applicant_type: &'static str,
    id_type: &'static str,
    id_masked: String,
    contact: String,
    description: String,
    delivery: &'static str,
    submitted_on: String,
    receipt_date: String,
    stage: &'static str,
    status: String,
    outcome: Option<String>,
    deadlines: Vec<DeadlineRow>,
    timeline: Vec<TimelineRow>,
    problem: Option<String>,
    error: Option<String>,
    notice: Option<String>,
    today: String,
    can_work: bool,
    can_extend: bool,
    open: bool,
    outcomes: Vec<(&'static str, String)>,
    similar: Vec<(i64, String, String, u32)>,
    /// The full identity number, only after an audited request.
    revealed_id: Option<String>,
    review_kinds: Vec<(&'static str, &'static str)>,
    review_results: Vec<(&'static str, &'static str)>,
    letters: Vec<LetterRow>,
    /// The third party to tell of a decision to disclose despite its objection (Art. 32), when the form applies.
    third_party_notice: Option<String>,
    /// What was typed into that form (kept when it is refused): reasons and disclosure day.
    tpn_input: (String, String),
    /// The steps the state machine allows now (their codes): only their forms are shown.
    allowed: Vec<&'static str>,
    handler: String,
    /// (user id, name, currently assigned)
    handlers: Vec<(i64, String, bool)>,
    /// (name, sha256, size in KB)
    attachments: Vec<(String, String, u64)>,
}

impl CasePageT {
    /// Whether the form of this step is offered now.
    fn may(&self, step: &str) -> bool {
        self.allowed.contains(&step)
    }
}

/// The case steps with a form on the case page, and the action each records.
fn allowed_steps(state: &gongkai_domain::application::CaseState) -> Vec<&'static str> {
    use gongkai_domain::application::Action as A;
    [
        ("receipt_confirmed", A::ConfirmReceipt),
        ("correction_requested", A::RequestCorrection),
        ("correction_received", A::ReceiveCorrection),
        ("correction_expired", A::ExpireCorrection),
        ("third_party_consultation_started", A::StartThirdPartyConsultation),
        ("third_party_consultation_ended", A::EndThirdPartyConsultation),
        ("agency_consultation_started", A::StartAgencyConsultation),
        ("agency_consultation_ended", A::EndAgencyConsultation),
        ("fee_notice_delivered", A::NoticeFee),
        ("fee_paid", A::PayFee),
        ("fee_expired", A::ExpireFee),
        ("extension_approved", A::Extend),
        ("decided", A::Decide(Outcome::Disclosed)),
        ("reply_sent", A::SendReply),
        ("withdrawn", A::Withdraw),
        ("custom_deadline_set", A::SetCustomDeadline),
    ]
    .into_iter()
    .filter(|(_, a)| state.check(a).is_ok())
    .map(|(code, _)| code)
    .collect()
}

struct LetterRow {
    id: i64,
    kind: &'static str,
    title: String,
    body: String,
    sent: bool,
    doc_no: String,
    sent_on: String,
    updated: String,
    is_reply: bool,
    /// Whether this user may edit and send it (the 延期 letter: approvers only).
    may_edit: bool,
    /// The 文号 of the sent correction that supersedes it (已更正), if any.
    corrected_by: Option<String>,
    /// The 文号 of the letter it corrects, if it is a corrected letter.
    corrects: Option<String>,
    /// Whether a correction draft of it exists (no second one is offered).
    correction_pending: bool,
}

/// The case page with the Art. 32 notice form refused (409), keeping what was typed.
pub(crate) async fn case_with_notice_input(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    id: i64,
    message: String,
    input: (String, String),
) -> Result<Response, WebError> {
    let v = s.app.case(p, a, id).await?;
    render_case_full(s, session, p, a, v, Some(message), None, None, Some(input), None).await
}

/// The case page again with a refusal of a letter edit, the typed title and body kept in that letter's form.
pub(crate) async fn case_with_letter_input(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    id: i64,
    message: String,
    input: (i64, String, String),
) -> Result<Response, WebError> {
    let v = s.app.case(p, a, id).await?;
    render_case_full(s, session, p, a, v, Some(message), None, None, None, Some(input)).await
}

/// The case page again with a refusal shown (409), e.g. a letter that can no longer be edited.
pub(crate) async fn case_with_message(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    id: i64,
    message: String,
) -> Result<Response, WebError> {
    let v = s.app.case(p, a, id).await?;
    render_case(s, session, p, a, v, Some(message), None).await
}

async fn render_case(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    v: CaseView,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    render_case_full(s, session, p, a, v, error, notice, None, None, None).await
}

#[allow(clippy::too_many_arguments)]
async fn render_case_full(
    s: &WebState,
    session: &Session,
    p: &Principal,
    a: &Agency,
    v: CaseView,
    error: Option<String>,
    notice: Option<String>,
    revealed_id: Option<String>,
    tpn_input: Option<(String, String)>,
    letter_input: Option<(i64, String, String)>,
) -> Result<Response, WebError> {
    use gongkai_domain::agency::Role;
    let similar = s
        .app
        .similar_applications(p, a, &v)
        .await?
        .into_iter()
        .map(|(o, pct)| (o.id, o.tracking_code, format_date_zh(o.submitted_on), pct))
        .collect();
    let roles = p.roles_in(a.id);
    let app = &v.application;
    let can_work = roles.contains(&Role::CaseHandler) || roles.contains(&Role::Admin);
    let can_extend = roles.contains(&Role::Reviewer) || roles.contains(&Role::Admin);
    let stored = s.app.case_letters(p, a, app.id).await?;
    let corrected = gongkai_app::letters::corrections(&stored);
    let doc_no_of = |id: i64| stored.iter().find(|l| l.id == id).and_then(|l| l.doc_no.clone());
    let pending: Vec<i64> = stored.iter().filter(|l| !l.is_sent()).filter_map(|l| l.corrects_id).collect();
    let letters = stored
        .iter()
        .map(|l| {
            let kind = gongkai_domain::application::letters::LetterKind::parse(&l.kind).ok();
            let is_extension = kind == Some(gongkai_domain::application::letters::LetterKind::Extension);
            // What was typed is kept when the edit was refused.
            let (title, body) = match &letter_input {
                Some((lid, title, body)) if *lid == l.id => (title.clone(), body.clone()),
                _ => (l.title.clone(), l.body.clone()),
            };
            LetterRow {
                id: l.id,
                kind: kind.map(|k| k.label_zh()).unwrap_or(""),
                title,
                body,
                sent: l.is_sent(),
                doc_no: l.doc_no.clone().unwrap_or_default(),
                sent_on: l.sent_on.map(format_date_zh).unwrap_or_default(),
                updated: format!("{} {}", l.updated_by, crate::layout::datetime_zh(l.updated_at)),
                is_reply: kind == Some(gongkai_domain::application::letters::LetterKind::Reply)
                    && l.corrects_id.is_none(),
                may_edit: if is_extension { can_extend } else { can_work },
                corrected_by: corrected.get(&l.id).cloned(),
                corrects: l.corrects_id.and_then(doc_no_of),
                correction_pending: pending.contains(&l.id),
            }
        })
        .collect();
    // The Art. 32 notice: offered after a decision to disclose (fully or in part) in a case that consulted a
    // third party, until one was drafted.
    let party = v.events.iter().rev().find_map(|e| match &e.event.kind {
        CaseEventKind::ThirdPartyConsultationStarted { party } => Some(party.clone()),
        _ => None,
    });
    let disclosing = v.events.iter().rev().find_map(|e| match &e.event.kind {
        CaseEventKind::Decided { outcome, .. } => {
            Some(matches!(outcome, Outcome::Disclosed | Outcome::PartlyDisclosed))
        }
        _ => None,
    });
    let drafted =
        stored.iter().any(|l| l.kind == gongkai_domain::application::letters::LetterKind::ThirdPartyDecision.as_str());
    let third_party_notice = party.filter(|_| disclosing == Some(true) && !drafted && can_work);
    let attachments = v
        .events
        .iter()
        .flat_map(|e| match &e.event.kind {
            CaseEventKind::Submitted { attachments, .. } => attachments.clone(),
            _ => Vec::new(),
        })
        .map(|f| (f.name, f.sha256, f.size.div_ceil(1024)))
        .collect();
    let handlers = s.app.case_handlers(p, a).await?;
    let contact = [app.phone.as_str(), app.email.as_str(), app.address.as_str()]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    let layout = console_layout(s, p, a, format!("申请 {}", app.tracking_code), csrf::token(session).await?)
        .crumb(format!("/console/{}/applications", a.code), "依申请公开");
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let page = CasePageT {
        layout,
        code: a.code.to_string(),
        id: app.id,
        tracking_code: app.tracking_code.clone(),
        applicant: app.applicant_name.clone(),
        applicant_type: v.applicant_type().map(ApplicantType::label_zh).unwrap_or(""),
        id_type: IdDocumentType::parse(&app.id_type).map(IdDocumentType::label_zh).unwrap_or(""),
        id_masked: v.id_masked(),
        contact,
        description: app.description.clone(),
        delivery: DeliveryForm::parse(&app.delivery).map(DeliveryForm::label_zh).unwrap_or(""),
        submitted_on: format_date_zh(app.submitted_on),
        receipt_date: opt_date_zh(&v.receipt_date),
        stage: v.stage.label_zh(),
        status: v.status_zh.clone(),
        outcome: v.outcome.map(|o| format!("{}（表三{}）", o.letter_label_zh(), o.t3_key())),
        deadlines: deadline_rows(&v.deadlines),
        timeline: v
            .events
            .iter()
            .map(|e| TimelineRow {
                date: format_date_zh(e.event.date),
                at: crate::layout::datetime_zh(e.at),
                actor: e.actor_label.clone(),
                what: e.event.kind.name_zh(),
                detail: detail_zh(&e.event.kind),
                note: e.note.clone(),
            })
            .collect(),
        problem: v.clock_problem.clone(),
        error,
        notice,
        today: s.app.today().to_string(),
        can_work,
        can_extend,
        letters,
        third_party_notice,
        tpn_input: tpn_input.unwrap_or_else(|| (String::new(), s.app.today().to_string())),
        allowed: allowed_steps(&v.state),
        handler: app.handler_name.clone().unwrap_or_else(|| "未分配".into()),
        handlers: handlers.into_iter().map(|(u, n)| (u, n, app.handler_id == Some(u))).collect(),
        attachments,
        open: v.stage != Stage::Closed,
        outcomes: Outcome::ALL
            .iter()
            .filter(|o| o.is_decided_by_staff())
            .map(|o| (o.as_str(), format!("{} {}", o.t3_key(), o.label_zh())))
            .collect(),
        similar,
        revealed_id,
        review_kinds: ReviewKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect(),
        review_results: ReviewResult::ALL
            .iter()
            .filter(|r| **r != ReviewResult::Pending)
            .map(|r| (r.as_str(), r.t4_column()))
            .collect(),
    };
    Ok(no_store((status, page)))
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn case_page(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let v = s.app.case(&p, &a, id).await?;
    let notice = q.notice.as_deref().map(|n| {
        match n {
            "letter" => "文书草稿已保存。",
            "sent" => "文书已发出并编号，此后不能再修改。",
            "correct" => "已生成更正文书草稿：请修改错误之处后发出，原文书保留并标注“已更正”。",
            "assigned" => "已分配经办人。",
            _ => "已记录。",
        }
        .to_owned()
    });
    render_case(&s, &session, &p, &a, v, None, notice).await
}

#[derive(Deserialize, Default)]
struct AssignForm {
    #[serde(default)]
    handler: String,
}

/// Assigns the case to a handler (empty: nobody); audited.
async fn assign(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    s.app.case(&p, &a, id).await?;
    let handler = match f.handler.trim() {
        "" => None,
        h => match h.parse() {
            Ok(h) => Some(h),
            Err(_) => return case_with_message(&s, &session, &p, &a, id, "请选择经办人".into()).await,
        },
    };
    match s.app.assign_case(&p, &a, id, handler).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=assigned")).into_response()),
        Err(AppError::Invalid { message, .. }) => case_with_message(&s, &session, &p, &a, id, message).await,
        Err(e) => Err(e.into()),
    }
}

/// An attachment of the case, for the agency's staff only (audited).
async fn attachment(
    State(s): State<WebState>,
    CurrentUser(p): CurrentUser,
    Path((code, id, sha256)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let (att, bytes) = s.app.case_attachment(&p, &a, id, &sha256).await?;
    let encoded: String = form_urlencoded::byte_serialize(att.name.as_bytes()).collect::<String>().replace('+', "%20");
    Ok((
        [
            (header::CONTENT_TYPE, att.media_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Shows the full identity number once, on this response only (audited).
async fn reveal_id(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    let v = s.app.case(&p, &a, id).await?;
    let full = s.app.reveal_id_number(&p, &a, id).await?;
    render_case_full(
        &s,
        &session,
        &p,
        &a,
        v,
        None,
        Some("已显示完整证件号码，本次查看已记录。".into()),
        Some(full),
        None,
        None,
    )
    .await
}

/// The fields of every step form; `step` says which one was submitted.
#[derive(Deserialize, Default)]
struct StepForm {
    step: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    period_wd: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    days_wd: String,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    fee_method: String,
    #[serde(default)]
    pages: String,
    #[serde(default)]
    reduced_amount: String,
    #[serde(default)]
    reduction_reason: String,
    #[serde(default)]
    review_kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    review_result: String,
    #[serde(default)]
    deadline: String,
}

fn number(s: &str, label: &str) -> Result<u32, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::Invalid { field: None, message: format!("请填写{label}（工作日数）") })
}

fn step_kind(f: &StepForm) -> Result<CaseEventKind, AppError> {
    let invalid = |m: &str| AppError::Invalid { field: None, message: m.to_owned() };
    Ok(match f.step.as_str() {
        "receipt_confirmed" => CaseEventKind::ReceiptConfirmed,
        "correction_requested" => CaseEventKind::CorrectionRequested {
            period_wd: number(&f.period_wd, "补正期限")?,
            items: f.items.trim().to_owned(),
        },
        "correction_received" => CaseEventKind::CorrectionReceived,
        "correction_expired" => CaseEventKind::CorrectionExpired,
        "third_party_consultation_started" => {
            CaseEventKind::ThirdPartyConsultationStarted { party: f.party.trim().to_owned() }
        }
        "third_party_consultation_ended" => CaseEventKind::ThirdPartyConsultationEnded,
        "agency_consultation_started" => CaseEventKind::AgencyConsultationStarted { party: f.party.trim().to_owned() },
        "agency_consultation_ended" => CaseEventKind::AgencyConsultationEnded,
        "extension_approved" => CaseEventKind::ExtensionApproved {
            days_wd: number(&f.days_wd, "延长天数")?,
            approver: f.approver.trim().to_owned(),
        },
        "decided" => CaseEventKind::Decided {
            outcome: Outcome::parse(&f.outcome).map_err(|e| invalid(&e.0))?,
            reasons: f.reasons.trim().to_owned(),
        },
        "fee_notice_delivered" => CaseEventKind::FeeNoticeDelivered {
            method: match f.fee_method.as_str() {
                "per_page" => FeeMethod::PerPage { pages: number(&f.pages, "页数")? },
                "per_application" => FeeMethod::PerApplication { nth_in_month: 0 },
                _ => return Err(invalid("请选择计费方式（按件或按量）")),
            },
            standard_amount: 0,
            amount: match f.reduced_amount.trim() {
                "" => 0,
                v => v.parse().map_err(|_| invalid("减免后的金额应为整数（元）"))?,
            },
            reduction_reason: f.reduction_reason.trim().to_owned(),
        },
        "fee_paid" => CaseEventKind::FeePaid,
        "fee_expired" => CaseEventKind::FeeExpired,
        "review_filed" => CaseEventKind::ReviewFiled {
            kind: ReviewKind::parse(&f.review_kind).map_err(|e| invalid(&e.0))?,
            body: f.body.trim().to_owned(),
        },
        "review_decided" => CaseEventKind::ReviewDecided {
            kind: ReviewKind::parse(&f.review_kind).map_err(|e| invalid(&e.0))?,
            result: ReviewResult::parse(&f.review_result).map_err(|e| invalid(&e.0))?,
        },
        "reply_sent" => CaseEventKind::ReplySent,
        "custom_deadline_set" => CaseEventKind::CustomDeadlineSet {
            deadline: parse_date(&f.deadline)
                .map_err(|e| AppError::Invalid { field: Some("deadline"), message: e.0 })?,
            reason: f.reasons.trim().to_owned(),
        },
        "withdrawn" => CaseEventKind::Withdrawn,
        _ => return Err(invalid("未知的办理操作")),
    })
}

async fn case_step(
    State(s): State<WebState>,
    session: Session,
    CurrentUser(p): CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let a = s.app.console_agency(&p, &code).await?;
    // Reading first: another agency's case is 404 before anything about the form is said.
    let current = s.app.case(&p, &a, id).await?;
    let step = step_kind(&f).and_then(|kind| {
        let date = if f.date.trim().is_empty() {
            s.app.today()
        } else {
            parse_date(&f.date).map_err(|e| AppError::Invalid { field: Some("date"), message: e.0 })?
        };
        Ok(CaseStep { date, kind, note: f.note.clone() })
    });
    let result = match step {
        Ok(step) => s.app.record_case_step(&p, &a, id, step).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/{code}/applications/{id}?notice=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => render_case(&s, &session, &p, &a, current, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}
