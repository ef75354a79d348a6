//! Supervision (监督保障): the 政务新媒体 register, the yearly 工作要点 / 分工方案, and the rounds of website
//! self-monitoring (daily results, probes, 通报 and 整改) (docs/law/supervision.md §2–§4).

pub mod bulletins;
mod demo;
mod figures;
pub mod monitor_jobs;
pub mod new_media;
pub mod new_media_checks;
pub mod workplan;
pub mod workplan_progress;

pub use figures::SupervisionFigures;
