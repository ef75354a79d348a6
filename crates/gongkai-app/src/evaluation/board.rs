//! The board of a year's evaluation: every evaluated agency × every indicator, totals with caps, grades and ranks
//! (docs/law/supervision.md §5.1, §10.10), and its XLSX export.

use super::{Board, Cell, UnitResult, evaluator_label};
use crate::{App, AppError, Caller, Result};
use gongkai_domain::evaluation::{self as rules, Method};
use gongkai_store::agencies::Agency;
use gongkai_store::evaluation as store;
use std::collections::BTreeMap;

impl App {
    /// The year's board for the supervising agency (its 监督人, a third-party evaluator of it, or the system);
    /// `None` when the year has no scheme.
    pub async fn evaluation_board(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<Option<Board>> {
        let Some(scheme) = self.evaluation_scheme(by, agency, year).await? else { return Ok(None) };
        let on = self.evaluation_day(year);
        let ids: BTreeMap<i64, String> =
            store::indicators(&self.db, scheme.scheme.id).await?.into_iter().map(|r| (r.id, r.code)).collect();
        let mut manual: BTreeMap<(i64, String), store::ScoreRow> = BTreeMap::new();
        for s in store::scores(&self.db, scheme.scheme.id).await? {
            if let Some(code) = ids.get(&s.indicator_id) {
                manual.insert((s.unit_id, code.clone()), s);
            }
        }
        let mut units = Vec::new();
        for unit in self.evaluated_units(agency).await? {
            let facts = self.evaluation_facts(&unit, year, on).await?;
            let mut cells = Vec::new();
            let mut pending = 0;
            for i in &scheme.indicators {
                let cell = match i.auto {
                    Some(source) => {
                        let (raw, why) = rules::auto_raw(source, i, &facts);
                        Cell {
                            code: i.code.clone(),
                            points: rules::points(i, Some(raw)),
                            raw: Some(raw),
                            auto: true,
                            explanation: why,
                            scored_by: "平台".into(),
                            scored_at: None,
                        }
                    }
                    None => {
                        let s = manual.get(&(unit.id, i.code.clone()));
                        let raw = s.map(|s| i64::from(s.raw_tenths));
                        if raw.is_none() && i.method != Method::Bonus {
                            pending += 1;
                        }
                        Cell {
                            code: i.code.clone(),
                            points: rules::points(i, raw),
                            raw,
                            auto: false,
                            explanation: s.map(|s| s.evidence.clone()).unwrap_or_default(),
                            scored_by: s.map(|s| s.scored_by.clone()).unwrap_or_default(),
                            scored_at: s.map(|s| s.scored_at),
                        }
                    }
                };
                cells.push(cell);
            }
            let total = cells.iter().map(|c| c.points).sum();
            units.push(UnitResult { agency: unit, cells, total, grade: rules::grade(total), rank: 0, pending, facts });
        }
        let ranks = rules::rank(&units.iter().map(|u| u.total).collect::<Vec<_>>());
        for (u, r) in units.iter_mut().zip(ranks) {
            u.rank = r;
        }
        Ok(Some(Board { scheme, evaluated_on: on, units }))
    }

    /// The board as an XLSX workbook, ranked: (file name, bytes).
    pub async fn evaluation_xlsx(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<(String, Vec<u8>)> {
        let board = self.evaluation_board(by, agency, year).await?.ok_or(AppError::NotFound("考核方案"))?;
        let mut headers: Vec<String> = vec!["名次".into(), "单位".into()];
        for i in &board.scheme.indicators {
            let limit = if i.method == Method::Bonus { format!("+{}", i.cap) } else { i.weight.to_string() };
            headers.push(format!("{} {}（{}，{limit}分）", i.code, i.name, i.method.label_zh()));
        }
        headers.extend(["总分".into(), "等次".into(), "待评指标".into(), "说明".into()]);
        let mut order: Vec<&super::UnitResult> = board.units.iter().collect();
        order.sort_by_key(|u| u.rank);
        let rows: Vec<Vec<String>> = order
            .iter()
            .map(|u| {
                let mut r = vec![u.rank.to_string(), u.agency.name.clone()];
                r.extend(u.cells.iter().map(|c| match c.raw {
                    None if !c.auto => "未评".into(),
                    _ => rules::fmt_points(c.points),
                }));
                let notes: Vec<String> = board
                    .scheme
                    .indicators
                    .iter()
                    .zip(&u.cells)
                    .filter(|(_, c)| !c.explanation.is_empty())
                    .map(|(i, c)| format!("{}：{}", i.name, c.explanation))
                    .collect();
                r.extend([rules::fmt_points(u.total), u.grade.into(), u.pending.to_string(), notes.join("；")]);
                r
            })
            .collect();
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let sheet = format!("{year}年度{}", evaluator_label(&board.scheme.scheme.evaluator));
        let bytes = gongkai_report::xlsx::table_workbook(&sheet, &headers, &rows)
            .map_err(|e| AppError::Internal(format!("考核结果导出失败：{e}")))?;
        Ok((format!("{}-{year}-evaluation.xlsx", agency.code), bytes))
    }
}
