//! 考核评估 page of a supervising agency: the year's scheme (editable by its 监督人 until scoring starts), the grid
//! of its agencies × indicators with totals, grades and ranks, the platform's counts explained, and the manual
//! scoring form (监督人 and third-party evaluators). docs/law/supervision.md §5, §10.7–§10.12.
//!
//! Third-party evaluators see no other console page, so this page does not use `ConsolePage` (which admits only
//! agencies visible in the console): `App::evaluation_agency` resolves the agency for both.

use crate::console_page::Staff;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::evaluation::{Board, EVALUATORS, IndicatorForm, evaluator_label};
use gongkai_app::model::Agency;
use gongkai_app::{AppError, Caller};
use gongkai_domain::agency::Role;
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::evaluation::{AutoSource, Method, fmt_points};
use serde::Deserialize;

const NOTICES: &[(&str, &str)] = &[
    ("created", "已按默认指标体系创建考核方案，可在评分开始前调整指标。"),
    ("indicator", "考核指标已保存。"),
    ("removed", "考核指标已删除。"),
    ("scored", "评分已保存。"),
];

/// An indicator row of the scheme table.
struct IndicatorRow {
    code: String,
    name: String,
    method: &'static str,
    weight: String,
    cap: String,
    source: &'static str,
}

/// One evaluated agency's row of the grid.
struct UnitRow {
    rank: usize,
    code: String,
    name: String,
    /// Per indicator: (shown points, title text).
    cells: Vec<(String, String)>,
    total: String,
    grade: &'static str,
    pending: usize,
    /// (indicator name, explanation, who and when) for every explained cell.
    notes: Vec<(String, String, String)>,
}

/// What the scoring form shows again after an error.
#[derive(Default, Deserialize)]
pub struct ScoreForm {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    evidence: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    code: String,
    year: i32,
    years: Vec<i32>,
    has_scheme: bool,
    evaluator: &'static str,
    evaluators: Vec<(&'static str, &'static str)>,
    is_supervisor: bool,
    editable: bool,
    warnings: Vec<String>,
    indicators: Vec<IndicatorRow>,
    /// (code, name) of the manual indicators, for the scoring form.
    manual: Vec<(String, String)>,
    methods: Vec<(&'static str, &'static str)>,
    sources: Vec<(&'static str, &'static str)>,
    evaluated_on: String,
    units: Vec<UnitRow>,
    score: ScoreForm,
    score_error: Option<String>,
    ind: IndicatorForm,
    ind_error: Option<String>,
    scheme_error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

/// What a failed form shows again.
#[derive(Default)]
struct Again {
    score: ScoreForm,
    score_error: Option<String>,
    ind: IndicatorForm,
    ind_error: Option<String>,
    scheme_error: Option<String>,
}

fn layout(staff: &Staff, a: &Agency) -> Layout {
    let l = staff.layout(format!("{}：考核评估", a.name));
    // A third-party evaluator cannot open the agency's console page: no crumb to it.
    if staff.p.can_view(a.id) { l.crumb(format!("/console/{}/", a.code), a.name.clone()) } else { l }
}

fn form_error(e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Invalid { message, .. } | AppError::Conflict(message) => Ok(message),
        other => Err(other.into()),
    }
}

fn units(board: &Board) -> Vec<UnitRow> {
    board
        .units
        .iter()
        .map(|u| {
            let cells = board
                .scheme
                .indicators
                .iter()
                .zip(&u.cells)
                .map(|(i, c)| {
                    let shown = if !c.auto && c.raw.is_none() && i.method != Method::Bonus {
                        "未评".to_owned()
                    } else {
                        fmt_points(c.points)
                    };
                    (shown, format!("{}：{}", i.name, c.explanation))
                })
                .collect();
            let notes = board
                .scheme
                .indicators
                .iter()
                .zip(&u.cells)
                .filter(|(_, c)| !c.explanation.is_empty())
                .map(|(i, c)| {
                    let who = match c.scored_at {
                        Some(at) => format!("{}，{}", c.scored_by, datetime_zh(at)),
                        None => c.scored_by.clone(),
                    };
                    (format!("{} {}", i.code, i.name), c.explanation.clone(), who)
                })
                .collect();
            UnitRow {
                rank: u.rank,
                code: u.agency.code.to_string(),
                name: u.agency.name.clone(),
                cells,
                total: fmt_points(u.total),
                grade: u.grade,
                pending: u.pending,
                notes,
            }
        })
        .collect()
}

async fn render(
    s: &WebState,
    staff: &Staff,
    a: &Agency,
    year: i32,
    again: Again,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let by = Caller::Staff(&staff.p);
    let board = s.app.evaluation_board(by, a, year).await?;
    let failed = again.score_error.is_some() || again.ind_error.is_some() || again.scheme_error.is_some();
    let is_supervisor = staff.p.may(a.id, &[Role::Supervisor]);
    let (indicators, manual, warnings, editable, evaluator) = match &board {
        Some(b) => (
            b.scheme
                .indicators
                .iter()
                .map(|i| IndicatorRow {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    method: i.method.label_zh(),
                    weight: if i.method == Method::Bonus { "—".into() } else { i.weight.to_string() },
                    cap: if i.method == Method::Weight { "—".into() } else { i.cap.to_string() },
                    source: i.auto.map(AutoSource::label_zh).unwrap_or("人工评分（须填写依据）"),
                })
                .collect(),
            b.scheme.indicators.iter().filter(|i| i.auto.is_none()).map(|i| (i.code.clone(), i.name.clone())).collect(),
            b.scheme.warnings.clone(),
            !b.scheme.locked,
            evaluator_label(&b.scheme.scheme.evaluator),
        ),
        None => (Vec::new(), Vec::new(), Vec::new(), false, ""),
    };
    let mut years = s.app.evaluation_years(by, a).await?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|x, y| y.cmp(x));
    }
    let page = EvaluationPage {
        layout: layout(staff, a),
        code: a.code.to_string(),
        year,
        years,
        has_scheme: board.is_some(),
        evaluator,
        evaluators: EVALUATORS.to_vec(),
        is_supervisor,
        editable,
        warnings,
        indicators,
        manual,
        methods: Method::ALL.iter().map(|m| (m.as_str(), m.label_zh())).collect(),
        sources: AutoSource::ALL.iter().map(|a| (a.as_str(), a.label_zh())).collect(),
        evaluated_on: board.as_ref().map(|b| format_date_zh(b.evaluated_on)).unwrap_or_default(),
        units: board.as_ref().map(units).unwrap_or_default(),
        score: again.score,
        score_error: again.score_error,
        ind: again.ind,
        ind_error: again.ind_error,
        scheme_error: again.scheme_error,
        notice,
    };
    let status = if failed { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((status, page)))
}

fn year_of(s: &WebState, q: Option<&str>) -> i32 {
    q.and_then(|y| y.trim().parse().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| s.app.today().year())
}

pub async fn show(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    let year = year_of(&s, q.year.as_deref());
    render(&s, &staff, &a, year, Again::default(), n.text(NOTICES, None)).await
}

fn back(a: &Agency, year: i32, notice: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/console/{}/evaluation?year={year}&notice={notice}#{anchor}", a.code)).into_response()
}

#[derive(Deserialize)]
pub struct SchemeForm {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    evaluator: String,
}

pub async fn create_scheme(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<SchemeForm>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    match s.app.create_evaluation_scheme(Caller::Staff(&staff.p), &a, f.year, &f.evaluator).await {
        Ok(_) => Ok(back(&a, f.year, "created", "scheme")),
        Err(e) => {
            let again = Again { scheme_error: Some(form_error(e)?), ..Default::default() };
            render(&s, &staff, &a, year_of(&s, Some(&f.year.to_string())), again, None).await
        }
    }
}

#[derive(Deserialize)]
pub struct IndicatorPost {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    auto: String,
}

pub async fn save_indicator(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<IndicatorPost>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    let form =
        IndicatorForm { code: f.code, name: f.name, method: f.method, weight: f.weight, cap: f.cap, auto: f.auto };
    match s.app.save_evaluation_indicator(Caller::Staff(&staff.p), &a, f.year, &form).await {
        Ok(()) => Ok(back(&a, f.year, "indicator", "scheme")),
        Err(e) => {
            let again = Again { ind_error: Some(form_error(e)?), ind: form, ..Default::default() };
            render(&s, &staff, &a, f.year, again, None).await
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    code: String,
}

pub async fn remove_indicator(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    match s.app.remove_evaluation_indicator(Caller::Staff(&staff.p), &a, f.year, &f.code).await {
        Ok(()) => Ok(back(&a, f.year, "removed", "scheme")),
        Err(e) => {
            let again = Again { ind_error: Some(form_error(e)?), ..Default::default() };
            render(&s, &staff, &a, f.year, again, None).await
        }
    }
}

pub async fn score(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<ScoreForm>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    let by = Caller::Staff(&staff.p);
    match s.app.score_evaluation(by, &a, f.year, &f.unit, &f.indicator, &f.points, &f.evidence).await {
        Ok(()) => Ok(back(&a, f.year, "scored", "grid")),
        Err(e) => {
            let year = f.year;
            let again = Again { score_error: Some(form_error(e)?), score: f, ..Default::default() };
            render(&s, &staff, &a, year, again, None).await
        }
    }
}

/// The board as XLSX (`?year=`).
pub async fn export(
    State(s): State<WebState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let a = s.app.evaluation_agency(&staff.p, &code).await?;
    let year = year_of(&s, q.year.as_deref());
    let (name, bytes) = s.app.evaluation_xlsx(Caller::Staff(&staff.p), &a, year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
