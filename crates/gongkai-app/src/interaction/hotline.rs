//! 12345 work orders of an agency (docs/law/public-interaction.md §3, §7): importing the platform's export (CSV or
//! XLSX, all rows or none), the steps staff record locally, and the orders with their deadlines.
//!
//! Permissions: importing and recording steps need 经办人 or 管理员 of the agency (or the system: the command
//! line); reading needs a case reader (经办人, 审核人, 管理员, 监督人).

use crate::access::{CASE_READERS, CASE_WORKERS};
use crate::{App, AppError, Caller, Result};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::calendar::serde_ymd;
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::hotline::{OrderStatus, Satisfaction, Step, beijing, due_date, on_time, parse_orders};
use gongkai_domain::interaction::limits::Limits;
use gongkai_report::sheet;
use gongkai_store::agencies::Agency;
use gongkai_store::hotline::{self as store, Order, Upsert};
use gongkai_store::{NewAuditEvent, StoreError, audit};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// The largest file accepted (a month of a busy office's orders is a few megabytes).
pub const MAX_HOTLINE_FILE: usize = 20 * 1024 * 1024;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub batch_id: i64,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl ImportSummary {
    /// `新建 2 件，更新 0 件，未变 1 件`
    pub fn to_zh(&self) -> String {
        format!("新建 {} 件，更新 {} 件，未变 {} 件", self.created, self.updated, self.unchanged)
    }
}

/// An order as staff see it: its deadline (the file's, or the default of its type) and whether it was handled on
/// time as of today.
#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub id: i64,
    pub order_no: String,
    pub kind: Kind,
    pub title: String,
    pub content: String,
    pub unit: String,
    pub channel: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub urgency: String,
    pub category_code: String,
    pub category_name: String,
    /// 派单, in UTC; `dispatched_on` is its Beijing date.
    #[serde(with = "time::serde::rfc3339")]
    pub dispatched_at: OffsetDateTime,
    #[serde(with = "serde_ymd")]
    pub dispatched_on: Date,
    #[serde(with = "serde_ymd")]
    pub due: Date,
    /// Whether the file gave the deadline (§3.4) rather than the default of §3.3.
    pub due_from_file: bool,
    pub status: OrderStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    #[serde(with = "serde_ymd::option")]
    pub closed_on: Option<Date>,
    pub on_time: Option<bool>,
    pub reply: String,
    pub satisfaction: Option<Satisfaction>,
    pub duplicate: bool,
    pub invalid: bool,
}

fn view(o: Order, cal: &gongkai_domain::calendar::Calendar, limits: &Limits, today: Date) -> OrderView {
    let kind = Kind::parse(&o.kind).unwrap_or(Kind::Other);
    let file = o.file_deadline();
    let due = due_date(cal, o.dispatched_on, limits.hotline(kind), file);
    let closed_on = o.closed_on();
    OrderView {
        id: o.id,
        kind,
        due,
        due_from_file: file.is_some(),
        status: OrderStatus::parse(&o.status).unwrap_or(OrderStatus::Pending),
        closed_on,
        on_time: on_time(due, closed_on, today),
        satisfaction: o.satisfaction.as_deref().and_then(Satisfaction::parse),
        order_no: o.order_no,
        title: o.title,
        content: o.content,
        unit: o.unit,
        channel: o.channel,
        contact_name: o.contact_name,
        contact_phone: o.contact_phone,
        urgency: o.urgency,
        category_code: o.category_code,
        category_name: o.category_name,
        dispatched_at: o.dispatched_at,
        dispatched_on: o.dispatched_on,
        closed_at: o.closed_at,
        reply: o.reply,
        duplicate: o.duplicate,
        invalid: o.invalid,
    }
}

impl App {
    /// Imports the platform's export (CSV in UTF-8 or XLSX) of an agency's orders: the whole file is checked first
    /// and nothing is stored when any row is bad ([`AppError::InvalidFields`] lists every problem as
    /// `第N行“列”列：…`). Orders are upserted on 工单编号 in one transaction: an identical row changes nothing, a
    /// changed one updates the order and keeps its local steps. Audited `hotline.import`.
    pub async fn import_hotline(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        bytes: &[u8],
        file_name: &str,
    ) -> Result<ImportSummary> {
        self.import_hotline_with(by, agency, bytes, file_name, &crate::progress::Quiet).await
    }

    /// [`App::import_hotline`], reporting each order written (the command line draws a bar).
    pub async fn import_hotline_with(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        bytes: &[u8],
        file_name: &str,
        progress: &dyn crate::progress::Progress,
    ) -> Result<ImportSummary> {
        by.require(agency.id, CASE_WORKERS)?;
        if bytes.len() > MAX_HOTLINE_FILE {
            let mb = MAX_HOTLINE_FILE / 1024 / 1024;
            return Err(AppError::Invalid {
                field: Some("file"), message: format!("文件超过{mb}MB，请分批导入")
            });
        }
        let table = sheet::read_table(bytes).map_err(|e| AppError::Invalid { field: Some("file"), message: e.0 })?;
        let orders = parse_orders(&table)
            .map_err(|problems| AppError::InvalidFields(problems.iter().map(|p| ("file", p.to_string())).collect()))?;
        let hash = format!("{:x}", Sha256::digest(bytes));
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let batch_id = store::begin_batch(&mut tx, agency.id, file_name, &hash, &actor).await?;
        let mut s = ImportSummary { batch_id, rows: orders.len(), created: 0, updated: 0, unchanged: 0 };
        progress.phase("正在导入工单", Some(orders.len() as u64));
        for o in &orders {
            progress.advance(1);
            match store::upsert(&mut tx, agency.id, batch_id, o).await? {
                Upsert::Created(_) => s.created += 1,
                Upsert::Updated(_) => s.updated += 1,
                Upsert::Unchanged(_) => s.unchanged += 1,
            }
        }
        store::finish_batch(&mut tx, batch_id, [s.rows, s.created, s.updated, s.unchanged]).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::HotlineImport,
                object_type: "hotline_batch",
                object_id: batch_id.to_string(),
                details: json!({
                    "file_name": file_name, "file_hash": hash, "rows": s.rows,
                    "created": s.created, "updated": s.updated, "unchanged": s.unchanged,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The agency's orders received in `year` (all of them without), oldest first, with deadlines and on time as
    /// of [`App::today`].
    pub async fn hotline_orders(&self, by: Caller<'_>, agency: &Agency, year: Option<i32>) -> Result<Vec<OrderView>> {
        by.require(agency.id, CASE_READERS)?;
        let cal = self.calendar().await?;
        let limits = self.interaction_limits(agency).await?;
        let today = self.today();
        Ok(store::list(&self.db, agency.id, year).await?.into_iter().map(|o| view(o, &cal, &limits, today)).collect())
    }

    /// One order of the agency by 工单编号.
    pub async fn hotline_order(&self, by: Caller<'_>, agency: &Agency, order_no: &str) -> Result<OrderView> {
        by.require(agency.id, CASE_READERS)?;
        let order = store::by_no(&self.db, agency.id, order_no).await?.ok_or(AppError::NotFound("工单"))?;
        Ok(view(order, &self.calendar().await?, &self.interaction_limits(agency).await?, self.today()))
    }

    /// The local steps of an order, in order.
    pub async fn hotline_steps(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        order_no: &str,
    ) -> Result<Vec<store::EventRecord>> {
        by.require(agency.id, CASE_READERS)?;
        let order = store::by_no(&self.db, agency.id, order_no).await?.ok_or(AppError::NotFound("工单"))?;
        Ok(store::events(&self.db, order.id).await?)
    }

    /// Records a local step (签收, 退回申请, 延期申请, 办结, 回访) on an order, dated `on` (a Beijing date between
    /// 派单 and today). The step must fit the order's status (§3.2); it is appended, never changed, and audited
    /// `hotline.step`.
    pub async fn record_hotline_step(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        order_no: &str,
        on: Date,
        step: &Step,
        note: &str,
    ) -> Result<OrderView> {
        by.require(agency.id, CASE_WORKERS)?;
        let order = store::by_no(&self.db, agency.id, order_no).await?.ok_or(AppError::NotFound("工单"))?;
        let today = self.today();
        if on > today || on < order.dispatched_on {
            return Err(AppError::Invalid {
                field: Some("date"),
                message: format!("日期应在派单日（{}）与今天（{today}）之间", order.dispatched_on),
            });
        }
        let from = OrderStatus::parse(&order.status).unwrap_or(OrderStatus::Pending);
        let next = step.check(from).map_err(|message| AppError::Invalid { field: Some("step"), message })?;
        let after = store::events(&self.db, order.id).await?.last().map_or(0, |e| e.id);
        let closed_at = matches!(step, Step::Close { .. }).then(|| {
            if on == today { gongkai_store::now() } else { beijing(PrimitiveDateTime::new(on, Time::MIDNIGHT)) }
        });
        let actor = by.actor();
        let mut tx = self.db.begin().await?;
        let event = store::append_event(&mut tx, order.id, after, &actor, on, step, note, next.as_str(), closed_at)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::Conflict(m),
                e => e.into(),
            })?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::HotlineStep,
                object_type: "hotline_order",
                object_id: order.id.to_string(),
                details: json!({
                    "order_no": order.order_no, "event_id": event, "step": step.kind().as_str(),
                    "label": step.kind().label_zh(), "date": on.to_string(), "status": next.as_str(),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        self.hotline_order(by, agency, order_no).await
    }
}
