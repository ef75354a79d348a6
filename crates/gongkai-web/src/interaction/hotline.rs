//! 12345 work orders in the console: the year's orders with their deadlines, the upload of the platform's export
//! (the same all-or-nothing import as `gongkai hotline import`), and an order's page where staff record 签收,
//! 退回申请, 延期申请, 办结 and 回访 (docs/law/public-interaction.md §3, §7).

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::{Layout, datetime_zh};
use crate::page::no_store;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::applications::parse_date;
use gongkai_domain::calendar::format_date_zh;
use gongkai_domain::interaction::hotline::{Satisfaction, Step};
use serde::Deserialize;

pub struct Row {
    order_no: String,
    title: String,
    kind: &'static str,
    dispatched: String,
    due: String,
    status: &'static str,
    closed: String,
    late: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/hotline.html")]
struct ListPage {
    layout: Layout,
    code: String,
    year: String,
    rows: Vec<Row>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    year: String,
    notice: String,
}

async fn render_list(
    s: &WebState,
    cp: &ConsolePage,
    year: &str,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let y = year.trim().parse::<i32>().ok();
    let today = s.app.today();
    let rows = s
        .app
        .hotline_orders((&cp.p).into(), &cp.agency, y)
        .await?
        .into_iter()
        .map(|o| Row {
            late: o.on_time == Some(false) || (o.closed_on.is_none() && today > o.due),
            kind: o.kind.label_zh(),
            dispatched: datetime_zh(o.dispatched_at),
            due: format_date_zh(o.due),
            status: o.status.label_zh(),
            closed: o.closed_on.map(format_date_zh).unwrap_or_default(),
            order_no: o.order_no,
            title: o.title,
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok(no_store((
        status,
        ListPage {
            layout: cp.layout(format!("{}：12345热线工单", cp.agency.name)),
            code: cp.code().to_owned(),
            year: y.map(|y| y.to_string()).unwrap_or_default(),
            rows,
            notice,
            errors,
        },
    )))
}

pub async fn list(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let notice = (q.notice == "step").then(|| "已记录。".to_owned());
    render_list(&s, &cp, &q.year, notice, Vec::new()).await
}

/// Imports an uploaded export (multipart, field `file`; the CSRF token in `?csrf=`): the summary, or every problem
/// with its row and column and nothing imported.
pub async fn upload(
    State(s): State<WebState>,
    cp: ConsolePage,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let broken = || "上传未完成或格式有误，请重新选择文件上传。".to_owned();
    let mut file = None;
    if let Ok(mut mp) = multipart {
        while let Ok(Some(field)) = mp.next_field().await {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("orders.csv").to_owned();
                match field.bytes().await {
                    Ok(b) if !b.is_empty() => file = Some((name, b.to_vec())),
                    Ok(_) => {}
                    Err(_) => return render_list(&s, &cp, "", None, vec![broken()]).await,
                }
                break;
            }
        }
    }
    let Some((name, bytes)) = file else {
        return render_list(&s, &cp, "", None, vec!["请选择要导入的工单文件（CSV 或 XLSX）。".into()]).await;
    };
    match s.app.import_hotline((&cp.p).into(), &cp.agency, &bytes, &name).await {
        Ok(summary) => render_list(&s, &cp, "", Some(format!("已导入：{}。", summary.to_zh())), Vec::new()).await,
        Err(AppError::InvalidFields(problems)) => {
            let mut lines = vec![format!("有 {} 处问题，未导入任何工单：", problems.len())];
            lines.extend(problems.into_iter().map(|(_, m)| m));
            render_list(&s, &cp, "", None, lines).await
        }
        Err(AppError::Invalid { message, .. }) => render_list(&s, &cp, "", None, vec![message]).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/hotline_order.html")]
struct OrderPage {
    layout: Layout,
    code: String,
    order_no: String,
    title: String,
    content: String,
    kind: &'static str,
    dispatched: String,
    due: String,
    status: &'static str,
    reply: String,
    contact: String,
    log: Vec<(String, String, &'static str, String)>,
    today: String,
    error: Option<String>,
    satisfactions: Vec<(&'static str, &'static str)>,
}

async fn render_order(s: &WebState, cp: &ConsolePage, no: &str, error: Option<String>) -> Result<Response, WebError> {
    let o = s.app.hotline_order((&cp.p).into(), &cp.agency, no).await?;
    let log = s
        .app
        .hotline_steps((&cp.p).into(), &cp.agency, no)
        .await?
        .into_iter()
        .map(|e| (format_date_zh(e.on_date), e.actor_label, e.step.kind().label_zh(), e.note))
        .collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(no_store((
        status,
        OrderPage {
            layout: cp.layout(format!("工单 {}", o.order_no)).crumb(cp.href("hotline"), "12345热线工单"),
            code: cp.code().to_owned(),
            kind: o.kind.label_zh(),
            dispatched: datetime_zh(o.dispatched_at),
            due: format_date_zh(o.due),
            status: o.status.label_zh(),
            contact: format!("{} {}", o.contact_name, o.contact_phone),
            order_no: o.order_no,
            title: o.title,
            content: o.content,
            reply: o.reply,
            log,
            today: s.app.today().to_string(),
            error,
            satisfactions: Satisfaction::ALL.iter().map(|x| (x.as_str(), x.label_zh())).collect(),
        },
    )))
}

pub async fn order(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, no)): Path<(String, String)>,
) -> Result<Response, WebError> {
    render_order(&s, &cp, &no, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
    date: String,
    note: String,
    reason: String,
    basis: String,
    days: String,
    reply: String,
    satisfaction: String,
}

pub async fn step(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, no)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let bad = |m: &str| AppError::Invalid { field: None, message: m.to_owned() };
    let parsed = (|| -> Result<(time::Date, Step), AppError> {
        let on = if f.date.trim().is_empty() { s.app.today() } else { parse_date(&f.date).map_err(|e| bad(&e.0))? };
        let step = match f.step.as_str() {
            "sign" => Step::Sign,
            "request_return" => Step::RequestReturn { reason: f.reason.trim().into(), basis: f.basis.trim().into() },
            "request_extension" => Step::RequestExtension {
                days: f.days.trim().parse().map_err(|_| bad("请填写延期的工作日数（不超过10个）"))?,
                reason: f.reason.trim().into(),
            },
            "close" => Step::Close { reply: f.reply.trim().into() },
            "visit" => Step::Visit {
                satisfaction: Satisfaction::parse(&f.satisfaction).ok_or_else(|| bad("请选择回访结果"))?,
            },
            _ => return Err(bad("未知的办理操作")),
        };
        Ok((on, step))
    })();
    let result = match parsed {
        Ok((on, step)) => {
            s.app.record_hotline_step((&cp.p).into(), &cp.agency, &no, on, &step, f.note.trim()).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&cp.href(&format!("hotline/{no}?notice=step"))).into_response()),
        Err(AppError::Invalid { message, .. } | AppError::Conflict(message)) => {
            render_order(&s, &cp, &no, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}
