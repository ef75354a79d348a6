//! The platform's working-day calendar (工作日历) in the console: the loaded notice years with provenance, an
//! upload form for a new or corrected year, and the warning when a notice is missing. Platform administrators
//! only (the app refuses everyone else).

use crate::console_page::Staff;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_app::calendar::MAX_CALENDAR_FILE;
use gongkai_app::{AppError, beijing_today};
use tower_sessions::Session;

pub const PATH: &str = "/console/platform/calendar";

/// Session key of the import summary shown once after the redirect. The summary is a list of lines that depend
/// on the file (years, days changed), so it does not fit a `?notice=` code; this is the one page that keeps a
/// one-time session message.
const FLASH: &str = "calendar_imported";

pub fn router() -> Router<WebState> {
    Router::new()
        .route(PATH, get(show).post(upload))
        // Room for the file plus the multipart framing; anything larger is cut off while it streams in.
        .layer(DefaultBodyLimit::max(MAX_CALENDAR_FILE + 64 * 1024))
}

struct YearRow {
    year: i32,
    /// Only http(s) addresses become links (the URL comes from an uploaded file).
    notice_link: Option<String>,
    notice_text: Option<String>,
    off_days: usize,
    adjusted_workdays: usize,
    source: &'static str,
    loaded_at: String,
    loaded_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/calendar.html")]
struct CalendarPage {
    layout: Layout,
    years: Vec<YearRow>,
    warning: Option<String>,
    imported: Vec<String>,
    error: Option<String>,
    max_kb: usize,
}

async fn render(
    s: &WebState,
    staff: &Staff,
    status: StatusCode,
    imported: Vec<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let years = s
        .app
        .calendar_years((&staff.p).into())
        .await?
        .into_iter()
        .map(|y| {
            let url = y.data.notice_url.clone();
            let is_web = url.as_deref().is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
            YearRow {
                year: y.year(),
                notice_link: url.clone().filter(|_| is_web),
                notice_text: url.filter(|_| !is_web),
                off_days: y.data.off_days.len(),
                adjusted_workdays: y.data.adjusted_workdays.len(),
                source: y.source.label_zh(),
                loaded_at: datetime_zh(y.loaded_at),
                loaded_by: y.loaded_by,
            }
        })
        .collect();
    let warning = s.app.calendar_warning(beijing_today()).await?;
    let layout = staff.layout("工作日历");
    let page = CalendarPage { layout, years, warning, imported, error, max_kb: MAX_CALENDAR_FILE / 1024 };
    Ok(no_store((status, page)))
}

async fn show(State(s): State<WebState>, session: Session, staff: Staff) -> Result<Response, WebError> {
    let imported: Option<Vec<String>> = session.remove(FLASH).await?;
    render(&s, &staff, StatusCode::OK, imported.unwrap_or_default(), None).await
}

async fn upload(
    State(s): State<WebState>,
    session: Session,
    staff: Staff,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // Refused before the body is read.
    s.app.require_calendar_admin((&staff.p).into())?;
    let bytes = match read_file(multipart).await {
        Ok(b) => b,
        Err((status, message)) => return render(&s, &staff, status, Vec::new(), Some(message)).await,
    };
    match s.app.import_calendar((&staff.p).into(), &bytes).await {
        Ok(summary) => {
            session.insert(FLASH, summary.lines_zh()).await?;
            Ok(Redirect::to(PATH).into_response())
        }
        Err(AppError::Invalid { message, .. }) => {
            let message = format!("文件未导入（任何年份都未改动）：{message}");
            render(&s, &staff, StatusCode::BAD_REQUEST, Vec::new(), Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The bytes of the form's `file` field, at most one byte over the limit (the app then refuses it).
async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, (StatusCode, String)> {
    let broken = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            (status, format!("文件过大（不能超过{}KB），未导入。", MAX_CALENDAR_FILE / 1024))
        } else {
            (StatusCode::BAD_REQUEST, "上传未完成或格式有误，请重新选择文件上传。".to_owned())
        }
    };
    let mut multipart = multipart.map_err(|e| broken(e.status()))?;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| broken(e.status()))? {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| broken(e.status()))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_CALENDAR_FILE {
                return Err(broken(StatusCode::PAYLOAD_TOO_LARGE));
            }
        }
        if bytes.is_empty() {
            break;
        }
        return Ok(bytes);
    }
    Err((StatusCode::BAD_REQUEST, "请选择要导入的放假安排文件。".to_owned()))
}
