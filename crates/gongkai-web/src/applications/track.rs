//! The public status lookup `/track` (tracking code and query password) and the download of a sent letter.

use super::view::{DeadlineRow, deadline_rows};
use crate::csrf;
use crate::error::WebError;
use crate::layout::Layout;
use crate::lockout::{ClientAddr, Kind, guarded};
use crate::page::locked_page;
use crate::page::{file_response, no_store, opt_date_zh};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_app::AppError;
use gongkai_app::applications::PublicStatus;
use gongkai_domain::application::Outcome;
use gongkai_domain::calendar::format_date_zh;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template, WebTemplate)]
#[template(path = "portal/track.html")]
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

pub async fn track_form(State(s): State<WebState>, session: Session) -> Result<Response, WebError> {
    let layout = track_layout(&s, &session).await?;
    Ok(no_store(TrackPage { layout, code: String::new(), error: None, status: None }))
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

pub async fn track_submit(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    Form(f): Form<TrackForm>,
) -> Result<Response, WebError> {
    let layout = track_layout(&s, &session).await?;
    let outcome = match guarded(
        &s.lockout,
        addr,
        Kind::Application,
        &f.code,
        s.app.track_application(&f.code, &f.password),
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(wait) => return Ok(locked_page(wait)),
    };
    match outcome {
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

/// `POST /track/letter` with the tracking code, the query password and the letter's id: the sent letter as PDF.
pub async fn track_letter(
    State(s): State<WebState>,
    ClientAddr(addr): ClientAddr,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let letter: i64 = field("letter").trim().parse().map_err(|_| AppError::NotFound("文书"))?;
    let code = field("code");
    match guarded(&s.lockout, addr, Kind::Application, code, s.app.public_letter_pdf(code, field("password"), letter))
        .await
    {
        Ok(file) => Ok(file_response(file?)),
        Err(wait) => Ok(locked_page(wait)),
    }
}
