//! The rows of an imported 12345 file (docs/law/public-interaction.md §7): the header matched by aliases, every
//! row checked, and the whole file refused with every problem when one row is bad.
//!
//! The input is the sheet as text cells, row by row: index 0 is spreadsheet row 1. Reading CSV or XLSX bytes into
//! that shape is not the domain's business (`gongkai_report::sheet`).

use super::super::Kind;
use super::model::{Deadline, OrderStatus, Satisfaction, mask_name, mask_phone};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use time::{Date, Month, PrimitiveDateTime, Time};

/// A column gongkai reads from the file. Columns of §7.2 not listed here (签收时间, 退回原因, 回访意见 …) are kept
/// only in the stored raw row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    OrderNo,
    DispatchedAt,
    Kind,
    Content,
    Unit,
    TimeLimit,
    DueAt,
    ExtendedDueAt,
    Title,
    Channel,
    Petitioner,
    Phone,
    CategoryCode,
    CategoryName,
    Urgency,
    ClosedAt,
    Reply,
    Satisfaction,
    Status,
    Duplicate,
    Invalid,
}

impl Column {
    pub const ALL: [Column; 21] = [
        Column::OrderNo,
        Column::DispatchedAt,
        Column::Kind,
        Column::Content,
        Column::Unit,
        Column::TimeLimit,
        Column::DueAt,
        Column::ExtendedDueAt,
        Column::Title,
        Column::Channel,
        Column::Petitioner,
        Column::Phone,
        Column::CategoryCode,
        Column::CategoryName,
        Column::Urgency,
        Column::ClosedAt,
        Column::Reply,
        Column::Satisfaction,
        Column::Status,
        Column::Duplicate,
        Column::Invalid,
    ];

    /// The names the column goes by in platforms' exports (§7.1–§7.3); the first is the canonical one.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::OrderNo => &["工单编号", "工单号", "工单编码"],
            Column::DispatchedAt => &["派单时间", "来电时间", "受理时间", "派发时间"],
            Column::Kind => &["诉求类型", "工单类型", "来电类型"],
            Column::Content => &["诉求内容", "来电内容", "工单内容"],
            Column::Unit => &["承办单位", "办理单位"],
            Column::TimeLimit => &["办理时限", "处理时限"],
            Column::DueAt => &["截止时间", "办理截止时间", "截止日期", "办理截止日期"],
            Column::ExtendedDueAt => &["延期后截止时间", "延期后截止日期"],
            Column::Title => &["工单标题", "标题"],
            Column::Channel => &["受理渠道", "来源渠道"],
            Column::Petitioner => &["诉求人", "来电人", "联系人"],
            Column::Phone => &["联系电话", "来电号码", "联系方式"],
            Column::CategoryCode => &["问题分类编码"],
            Column::CategoryName => &["问题分类名称", "问题分类"],
            Column::Urgency => &["紧急程度"],
            Column::ClosedAt => &["办结时间"],
            Column::Reply => &["答复内容", "办理结果"],
            Column::Satisfaction => &["满意度", "最终满意度", "回访满意度"],
            Column::Status => &["工单状态"],
            Column::Duplicate => &["是否重复件"],
            Column::Invalid => &["是否无效件"],
        }
    }

    pub fn label(self) -> &'static str {
        self.aliases()[0]
    }

    /// §7.1. `办理时限`/`截止时间` is not required: without it the defaults of §3.3 apply.
    pub fn required(self) -> bool {
        matches!(self, Column::OrderNo | Column::DispatchedAt | Column::Kind | Column::Content | Column::Unit)
    }

    /// Personal data, masked before anything is stored (the raw row included).
    fn personal(self) -> bool {
        matches!(self, Column::Petitioner | Column::Phone)
    }

    /// The column a header names: spaces, a `*` (required mark) and a trailing unit in brackets
    /// (`办理时限（工作日）`) are ignored.
    pub fn of_header(header: &str) -> Option<Column> {
        let mut h: String = header.chars().filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '*').collect();
        for (open, close) in [('（', '）'), ('(', ')')] {
            if h.ends_with(close)
                && let Some(i) = h.rfind(open)
            {
                h.truncate(i);
            }
        }
        Column::ALL.into_iter().find(|c| c.aliases().contains(&h.as_str()))
    }
}

/// One problem of the file: the spreadsheet row (the header is row 1 when it is the first row), the column as the
/// file names it, and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "第{}行：{}", self.row, self.message)
        } else {
            write!(f, "第{}行“{}”列：{}", self.row, self.column, self.message)
        }
    }
}

/// One checked order of the file. Times are Beijing time as written (§7.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    /// The spreadsheet row it came from.
    pub row: usize,
    pub order_no: String,
    pub kind: Kind,
    pub title: String,
    pub content: String,
    /// 承办单位 as the platform names it.
    pub unit: String,
    pub dispatched_at: PrimitiveDateTime,
    /// The deadline the file gives, if any (`延期后截止时间` before `截止时间` before `办理时限`).
    pub deadline: Option<Deadline>,
    pub channel: String,
    /// 诉求人 and 联系电话, masked.
    pub contact_name: String,
    pub contact_phone: String,
    pub urgency: String,
    pub category_code: String,
    pub category_name: String,
    pub status: OrderStatus,
    pub closed_at: Option<PrimitiveDateTime>,
    pub reply: String,
    pub satisfaction: Option<Satisfaction>,
    pub duplicate: bool,
    pub invalid: bool,
    /// The row as imported: header → non-empty cell, personal data masked. Re-importing an identical row is
    /// recognised by it.
    pub raw: BTreeMap<String, String>,
}

/// The longest 工单编号 and 诉求内容 accepted (a real order is far shorter; this catches a shifted column).
const MAX_ORDER_NO: usize = 64;
const MAX_TEXT: usize = 20_000;
/// The header is looked for in the first rows (an export may start with a title line).
const HEADER_SEARCH_ROWS: usize = 10;

/// A date and time as written in an export: `YYYY-MM-DD HH:MM[:SS]`, also with `/` or `.`, `年月日`, a `T`, or
/// a date alone (midnight).
pub fn parse_datetime(s: &str) -> Option<PrimitiveDateTime> {
    let s = s.trim();
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let date = parse_date(date)?;
    let time = if time.is_empty() { Time::MIDNIGHT } else { parse_time(time)? };
    Some(PrimitiveDateTime::new(date, time))
}

fn number<T: std::str::FromStr>(s: &str, min_len: usize, max_len: usize) -> Option<T> {
    let ok = (min_len..=max_len).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

fn parse_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.trim_end_matches('日').split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let month = Month::try_from(number::<u8>(m, 1, 2)?).ok()?;
    Date::from_calendar_date(number(y, 4, 4)?, month, number(d, 1, 2)?).ok()
}

fn parse_time(s: &str) -> Option<Time> {
    let whole = s.split('.').next()?;
    let parts: Vec<&str> = whole.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (h, m, "0"),
        [h, m, s] => (h, m, *s),
        _ => return None,
    };
    Time::from_hms(number(h, 1, 2)?, number(m, 2, 2)?, number(sec, 1, 2)?).ok()
}

/// `办理时限` in working days: `15`, `15个工作日`, `15天`.
fn parse_limit(s: &str) -> Result<u32, String> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = s[digits.len()..].trim();
    if rest.contains("小时") {
        return Err(format!("“{s}”按小时计，无法换算为工作日；请在“截止时间”列填写截止时间"));
    }
    let unit_ok = ["", "个工作日", "工作日", "日", "天", "个工作日内", "工作日内"].contains(&rest);
    match digits.parse::<u32>() {
        Ok(n) if unit_ok && (1..=365).contains(&n) => Ok(n),
        _ => Err(format!("“{s}”不是有效的工作日数，应为1至365之间的整数，例如 15")),
    }
}

fn parse_flag(s: &str) -> Option<bool> {
    match s.trim() {
        "" | "否" | "N" | "n" | "no" | "No" | "NO" | "0" | "FALSE" | "false" => Some(false),
        "是" | "Y" | "y" | "yes" | "Yes" | "YES" | "1" | "TRUE" | "true" => Some(true),
        _ => None,
    }
}

/// The header row: the first of the first rows that names the 工单编号 column.
fn find_header(rows: &[Vec<String>]) -> Option<usize> {
    rows.iter().take(HEADER_SEARCH_ROWS).position(|r| r.iter().any(|h| Column::of_header(h) == Some(Column::OrderNo)))
}

/// Checks the whole file and returns its orders, or every problem found (nothing is half-read). Empty rows are
/// skipped. See §7 for the columns; an unknown `诉求类型` becomes 其他 (§7.4).
pub fn parse_orders(rows: &[Vec<String>]) -> Result<Vec<OrderRow>, Vec<RowProblem>> {
    let Some(h) = find_header(rows) else {
        return Err(vec![RowProblem {
            row: 1,
            column: String::new(),
            message: format!(
                "未找到表头：第一行应为列名，至少包括{}",
                Column::ALL.into_iter().filter(|c| c.required()).map(Column::label).collect::<Vec<_>>().join("、")
            ),
        }]);
    };
    let headers: Vec<String> = rows[h].iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    let mut index: HashMap<Column, usize> = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        if let Some(c) = Column::of_header(name) {
            index.entry(c).or_insert(i);
        }
    }
    let mut problems = Vec::new();
    for c in Column::ALL.into_iter().filter(|c| c.required() && !index.contains_key(c)) {
        let also = &c.aliases()[1..];
        let also = if also.is_empty() { String::new() } else { format!("（也可写作：{}）", also.join("、")) };
        problems.push(RowProblem { row: h + 1, column: c.label().into(), message: format!("缺少必填列{also}") });
    }
    let keys = raw_keys(&headers);
    let mut orders = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, cells) in rows.iter().enumerate().skip(h + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut r = RowReader { row: i + 1, cells, headers: &headers, index: &index, problems: &mut problems };
        if let Some(order) = r.order(&keys) {
            if let Some(first) = seen.get(&order.order_no) {
                r.problem(Column::OrderNo, format!("工单编号“{}”与第{first}行重复", order.order_no));
            } else {
                seen.insert(order.order_no.clone(), order.row);
                orders.push(order);
            }
        }
    }
    if orders.is_empty() && problems.is_empty() {
        problems.push(RowProblem { row: h + 2, column: String::new(), message: "文件中没有工单数据".into() });
    }
    if problems.is_empty() { Ok(orders) } else { Err(problems) }
}

/// The keys of the raw row: the header as written, `第N列` for an unnamed one, `#2` … for a repeated one.
fn raw_keys(headers: &[String]) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let base = if h.is_empty() { format!("第{}列", i + 1) } else { h.clone() };
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}#{n}") }
        })
        .collect()
}

struct RowReader<'a> {
    row: usize,
    cells: &'a [String],
    headers: &'a [String],
    index: &'a HashMap<Column, usize>,
    problems: &'a mut Vec<RowProblem>,
}

impl<'a> RowReader<'a> {
    fn get(&self, c: Column) -> &'a str {
        self.index.get(&c).and_then(|&i| self.cells.get(i)).map(|s| s.trim()).unwrap_or("")
    }

    fn problem(&mut self, c: Column, message: String) {
        let column = self.index.get(&c).map(|&i| self.headers[i].clone()).unwrap_or_else(|| c.label().into());
        self.problems.push(RowProblem { row: self.row, column, message });
    }

    /// A required text of at most `max` characters.
    fn text(&mut self, c: Column, max: usize) -> Option<String> {
        let v = self.get(c).to_owned();
        if v.is_empty() {
            if self.index.contains_key(&c) {
                self.problem(c, "不能为空".into());
            }
            return None;
        }
        if v.chars().count() > max {
            self.problem(c, format!("超过{max}个字符"));
            return None;
        }
        Some(v)
    }

    fn datetime(&mut self, c: Column) -> Result<Option<PrimitiveDateTime>, ()> {
        let v = self.get(c);
        if v.is_empty() {
            return Ok(None);
        }
        match parse_datetime(v) {
            Some(t) => Ok(Some(t)),
            None => {
                let msg = format!("“{v}”不是有效的时间，应为YYYY-MM-DD HH:MM[:SS]，例如 2025-09-26 09:30");
                self.problem(c, msg);
                Err(())
            }
        }
    }

    fn flag(&mut self, c: Column) -> bool {
        let v = self.get(c).to_owned();
        parse_flag(&v).unwrap_or_else(|| {
            let msg = format!("“{v}”应为“是”或“否”");
            self.problem(c, msg);
            false
        })
    }

    fn order(&mut self, keys: &[String]) -> Option<OrderRow> {
        let before = self.problems.len();
        let order_no = self.text(Column::OrderNo, MAX_ORDER_NO);
        if let Some(no) = &order_no
            && no.chars().any(char::is_control)
        {
            self.problem(Column::OrderNo, "含有控制字符".into());
        }
        let dispatched = self.datetime(Column::DispatchedAt).ok().flatten();
        if dispatched.is_none()
            && self.get(Column::DispatchedAt).is_empty()
            && self.index.contains_key(&Column::DispatchedAt)
        {
            self.problem(Column::DispatchedAt, "不能为空".into());
        }
        let kind_text = self.text(Column::Kind, 50);
        let content = self.text(Column::Content, MAX_TEXT);
        let unit = self.text(Column::Unit, 200);
        let deadline = self.deadline(dispatched);
        let closed_at = self.datetime(Column::ClosedAt).ok().flatten();
        if let (Some(c), Some(d)) = (closed_at, dispatched)
            && c < d
        {
            self.problem(Column::ClosedAt, "办结时间早于派单时间".into());
        }
        let satisfaction = match Satisfaction::from_zh(self.get(Column::Satisfaction)) {
            Ok(s) => s,
            Err(msg) => {
                self.problem(Column::Satisfaction, msg);
                None
            }
        };
        let duplicate = self.flag(Column::Duplicate);
        let invalid = self.flag(Column::Invalid);
        if self.problems.len() > before {
            return None;
        }
        let (order_no, dispatched_at, content) = (order_no?, dispatched?, content?);
        let status = OrderStatus::from_zh(self.get(Column::Status)).unwrap_or(if closed_at.is_some() {
            OrderStatus::Closed
        } else {
            OrderStatus::Pending
        });
        let mut title = self.get(Column::Title).to_owned();
        if title.is_empty() {
            title = content.chars().take(30).collect();
        }
        Some(OrderRow {
            row: self.row,
            order_no,
            kind: Kind::from_zh(&kind_text?).unwrap_or(Kind::Other),
            title,
            content,
            unit: unit?,
            dispatched_at,
            deadline,
            channel: self.get(Column::Channel).into(),
            contact_name: mask_name(self.get(Column::Petitioner)),
            contact_phone: mask_phone(self.get(Column::Phone)),
            urgency: self.get(Column::Urgency).into(),
            category_code: self.get(Column::CategoryCode).into(),
            category_name: self.get(Column::CategoryName).into(),
            status,
            closed_at,
            reply: self.get(Column::Reply).into(),
            satisfaction,
            duplicate,
            invalid,
            raw: self.raw(keys),
        })
    }

    /// `延期后截止时间`, else `截止时间`, else `办理时限` (§3.4); a date before 派单 is refused.
    fn deadline(&mut self, dispatched: Option<PrimitiveDateTime>) -> Option<Deadline> {
        let extended = self.datetime(Column::ExtendedDueAt).ok().flatten();
        let due = self.datetime(Column::DueAt).ok().flatten();
        let limit = match self.get(Column::TimeLimit) {
            "" => None,
            v => {
                let v = v.to_owned();
                parse_limit(&v).map_err(|m| self.problem(Column::TimeLimit, m)).ok()
            }
        };
        for (c, t) in [(Column::ExtendedDueAt, extended), (Column::DueAt, due)] {
            if let (Some(t), Some(d)) = (t, dispatched)
                && t.date() < d.date()
            {
                self.problem(c, format!("截止日期早于派单日期{}", d.date()));
            }
        }
        extended.or(due).map(|t| Deadline::On(t.date())).or(limit.map(Deadline::WorkingDays))
    }

    fn raw(&self, keys: &[String]) -> BTreeMap<String, String> {
        let mut raw = BTreeMap::new();
        for (i, key) in keys.iter().enumerate() {
            let v = self.cells.get(i).map(|s| s.trim()).unwrap_or("");
            if v.is_empty() {
                continue;
            }
            let v = match Column::of_header(&self.headers[i]) {
                Some(c) if c.personal() && c == Column::Petitioner => mask_name(v),
                Some(c) if c.personal() => mask_phone(v),
                _ => v.to_owned(),
            };
            raw.insert(key.clone(), v);
        }
        raw
    }
}

#[cfg(test)]
mod tests;
