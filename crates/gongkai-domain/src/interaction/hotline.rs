//! 12345 work orders (工单) on the 承办单位 side: docs/law/public-interaction.md §3 (states, limits), §7 (import
//! format), §8 (rates).
//!
//! - [`model`]: states, 满意度, deadlines (default limits per type, a deadline in the file always wins), on time,
//!   masking of personal data, and the local steps staff record.
//! - [`import`]: the rows of an imported file (header aliases, dates, types) checked as a whole, every problem
//!   named by its spreadsheet row and column.
//!
//! The rates of §8 (按时办结率, 办结率, 满意率) are [`super::stats`]'s, for every channel.

pub mod import;
pub mod model;

pub use import::{Column, OrderRow, RowProblem, parse_datetime, parse_orders};
pub use model::{
    Deadline, OrderStatus, Satisfaction, Step, StepKind, beijing, beijing_date, default_limit_days, due_date,
    extended_due, mask_name, mask_phone, on_time, return_window_end, sign_due,
};
