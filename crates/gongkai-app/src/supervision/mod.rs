//! Supervision (监督保障): the 政务新媒体 register and the yearly 工作要点 / 分工方案 (docs/law/supervision.md
//! §3, §4).

mod demo;
mod figures;
pub mod new_media;
pub mod new_media_checks;
pub mod workplan;
pub mod workplan_progress;

pub use figures::SupervisionFigures;
