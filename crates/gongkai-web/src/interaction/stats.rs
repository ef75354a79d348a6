//! The figures of the interaction channels (docs/law/public-interaction.md §8): the console's statistics page
//! (a bar chart per month as server-rendered SVG, with the same numbers in a table), its XLSX, the public mailbox
//! statistics and `GET /api/v1/{agency}/interaction/stats?year=`.

use crate::api_schema;
use crate::console_page::ConsolePage;
use crate::error::{WebError, api_error};
use crate::layout::Layout;
use crate::page::{PORTAL_CACHE, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_app::AppError;
use gongkai_app::interaction::stats::InteractionStats;
use gongkai_domain::interaction::stats::ChannelStats;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 年度（2000–2100），默认为今年。
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    year: Option<String>,
}

impl YearQuery {
    /// The year asked for, else the current one; a malformed year is a field error.
    fn year(&self, today: time::Date) -> Result<i32, AppError> {
        match self.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
            None => Ok(today.year()),
            Some(y) => y
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or(AppError::Invalid {
                    field: Some("year"), message: "年度应为四位数字，如 2026".into()
                }),
        }
    }
}

/// The figures of one channel in a year (docs/law/public-interaction.md §8).
#[derive(Serialize, ToSchema)]
#[schema(description = "一个渠道的年度数字")]
pub struct ChannelFigures {
    /// 收到件数。
    received: u32,
    /// 办结件数。
    closed: u32,
    /// 按期办结件数。
    on_time: u32,
    /// 办结率（百分数；无件时为 null）。
    rate_closed: Option<f64>,
    /// 按期办结率（百分数）。
    rate_on_time: Option<f64>,
    /// 满意率（百分数）。
    satisfaction: Option<f64>,
    /// 按类型（consult、help、complaint、suggestion、report、other）的件数。
    by_type: BTreeMap<String, u32>,
}

/// The calls: received and closed.
#[derive(Serialize, ToSchema)]
#[schema(description = "来电：收到与办结件数")]
pub struct CallFigures {
    received: u32,
    closed: u32,
}

/// The figures of the three interaction channels in a year.
#[derive(Serialize, ToSchema)]
#[schema(description = "政民互动三个渠道的年度统计")]
pub struct InteractionFigures {
    year: i32,
    mailbox: ChannelFigures,
    hotline: ChannelFigures,
    calls: CallFigures,
}

fn channel_json(c: &ChannelStats) -> ChannelFigures {
    ChannelFigures {
        received: c.received,
        closed: c.closed,
        on_time: c.on_time,
        rate_closed: c.rate_closed(),
        rate_on_time: c.rate_on_time(),
        satisfaction: c.satisfaction(),
        by_type: c.by_kind.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect(),
    }
}

/// `GET /api/v1/{agency}/interaction/stats?year=YYYY`.
#[utoipa::path(
    get,
    path = "/api/v1/{agency}/interaction/stats",
    operation_id = "interaction_stats",
    tag = "政民互动",
    summary = "政民互动统计（市长信箱、12345热线、来电）",
    params(("agency" = String, Path, description = "机构代码", example = "yima-office"), YearQuery),
    responses(
        (status = 200, description = "该年度的统计", body = InteractionFigures),
        (status = 400, description = "年度格式有误", body = api_schema::ApiError),
        (status = 404, description = "机构不存在", body = api_schema::ApiError),
    )
)]
pub async fn api(State(s): State<WebState>, Path(code): Path<String>, Query(q): Query<YearQuery>) -> Response {
    let result = async {
        let a = s.app.agency_by_code(&code).await?;
        let year = q.year(s.app.today())?;
        s.app.interaction_stats(&a, year, None).await
    }
    .await;
    match result {
        Ok(st) => (
            [(header::CACHE_CONTROL, "public, max-age=60")],
            Json(InteractionFigures {
                year: st.year,
                mailbox: channel_json(&st.mailbox),
                hotline: channel_json(&st.hotline),
                calls: CallFigures { received: st.calls.received, closed: st.calls.closed },
            }),
        )
            .into_response(),
        Err(e) => api_error(e),
    }
}

/// One bar of the chart: x, y and height in the SVG's units, with its label and value.
pub struct Bar {
    x: u32,
    y: u32,
    height: u32,
    month: u8,
    value: u32,
}

/// The monthly chart of one channel.
pub struct Chart {
    title: &'static str,
    bars: Vec<Bar>,
    total: u32,
}

const CHART_H: u32 = 120;

fn chart(title: &'static str, months: &[InteractionStats], pick: fn(&InteractionStats) -> u32) -> Chart {
    let max = months.iter().map(pick).max().unwrap_or(0).max(1);
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let value = pick(m);
            let height = value * CHART_H / max;
            Bar { x: 30 + i as u32 * 40, y: 10 + CHART_H - height, height, month: m.month.unwrap_or(0), value }
        })
        .collect();
    Chart { title, total: months.iter().map(pick).sum(), bars }
}

/// A row of the figures table: label, then hotline, mailbox, calls.
pub type FigureRow = (&'static str, String, String, String);

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v}%")).unwrap_or_else(|| "—".into())
}

fn figure_rows(s: &InteractionStats) -> Vec<FigureRow> {
    let row = |label, f: &dyn Fn(&ChannelStats) -> String| (label, f(&s.hotline), f(&s.mailbox), f(&s.calls));
    vec![
        row("收到（件）", &|c| c.received.to_string()),
        row("办结（件）", &|c| c.closed.to_string()),
        row("按时办结（件）", &|c| c.on_time.to_string()),
        row("办结率", &|c| pct(c.rate_closed())),
        row("按时办结率", &|c| pct(c.rate_on_time())),
        row("满意率", &|c| pct(c.satisfaction())),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "console/interaction_stats.html")]
struct ConsoleStatsPage {
    layout: Layout,
    code: String,
    year: i32,
    rows: Vec<FigureRow>,
    charts: Vec<Chart>,
    by_kind: Vec<(&'static str, u32, u32, u32)>,
}

pub async fn console_page(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let year = q.year(s.app.today())?;
    let st = s.app.interaction_stats(&cp.agency, year, None).await?;
    let months = s.app.interaction_by_month(&cp.agency, year).await?;
    let charts = vec![
        chart("12345热线工单", &months, |m| m.hotline.received),
        chart("市长信箱来信", &months, |m| m.mailbox.received),
        chart("接访电话", &months, |m| m.calls.received),
    ];
    let by_kind = gongkai_domain::interaction::Kind::ALL
        .iter()
        .map(|k| {
            let n = |c: &ChannelStats| c.by_kind.get(k.label_zh()).copied().unwrap_or(0);
            (k.label_zh(), n(&st.hotline), n(&st.mailbox), n(&st.calls))
        })
        .collect();
    Ok(no_store(ConsoleStatsPage {
        layout: cp.layout(format!("{}：{year}年政民互动统计", cp.agency.name)),
        code: cp.code().to_owned(),
        year,
        rows: figure_rows(&st),
        charts,
        by_kind,
    }))
}

pub async fn console_xlsx(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let year = q.year(s.app.today())?;
    let st = s.app.interaction_stats(&cp.agency, year, None).await?;
    let bytes = s.app.interaction_xlsx(&st)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"interaction-{}-{year}.xlsx\"", cp.code())),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_stats.html")]
struct PublicStatsPage {
    layout: Layout,
    code: String,
    agency_name: String,
    year: i32,
    received: u32,
    closed: u32,
    rate_closed: String,
    rate_on_time: String,
    satisfaction: String,
    by_kind: Vec<(&'static str, u32)>,
}

/// The public statistics of the agency's mailbox for a year.
pub async fn public_page(
    State(s): State<WebState>,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let a = s.app.agency_by_code(&code).await?;
    let year = q.year(s.app.today())?;
    let st = s.app.interaction_stats(&a, year, None).await?;
    let m = &st.mailbox;
    let page = PublicStatsPage {
        layout: Layout::new(&s.app.config.site_name, format!("{year}年市长信箱统计"))
            .crumb("/", "首页")
            .crumb(format!("/{}/", a.code), a.name.clone()),
        code: a.code.to_string(),
        agency_name: a.name.clone(),
        year,
        received: m.received,
        closed: m.closed,
        rate_closed: pct(m.rate_closed()),
        rate_on_time: pct(m.rate_on_time()),
        satisfaction: pct(m.satisfaction()),
        by_kind: gongkai_domain::interaction::Kind::MAILBOX
            .iter()
            .map(|k| (k.label_zh(), m.by_kind.get(k.label_zh()).copied().unwrap_or(0)))
            .collect(),
    };
    Ok(([(header::CACHE_CONTROL, PORTAL_CACHE)], page).into_response())
}
