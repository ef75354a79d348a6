//! 勾稽关系: the checks R1–R8 of docs/law/annual-report.md, one report at a time, and R6 across two years.

use super::model::{AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, T3Row, T4Column, T4Group};
use super::narrative;

/// Checks R1–R5, R7 and R8 on one report. A report in the 2019 trial format is not checked: its tables
/// are not the 2021 tables (the parser says so with a `format` finding).
pub fn check(report: &AnnualReport) -> Vec<Finding> {
    if report.format == ReportFormat::V2019 {
        return Vec::new();
    }
    let mut out = Vec::new();
    r5_cells(report, &mut out);
    r1(report, &mut out);
    r2(report, &mut out);
    r3(report, &mut out);
    r4(report, &mut out);
    out.extend(narrative::check_text_vs_tables(report));
    out.extend(narrative::check_fee_statement(report));
    out
}

fn t3_loc(row: T3Row, col: ApplicantColumn) -> String {
    format!("t3/{}/{}", row.key(), col.key())
}

fn r5_cells(report: &AnnualReport, out: &mut Vec<Finding>) {
    let blank = |loc: String, label: String, out: &mut Vec<Finding>| {
        out.push(Finding::warning(Rule::R5, loc, format!("{label} 为空白（空白不等于0，应填写数字）")));
    };
    let t2 = &report.t2;
    for (name, doc) in [("规章", &t2.rules), ("行政规范性文件", &t2.normative)] {
        for (i, col) in super::model::T2Doc::COLUMNS.iter().enumerate() {
            if doc.get(i).is_none() {
                blank(format!("t2/{name}/{col}"), format!("表二 {name} {col}"), out);
            }
        }
    }
    for name in super::model::Table2::COUNT_ROWS {
        if t2.count(name).is_none() {
            blank(format!("t2/{name}"), format!("表二 {name}"), out);
        }
    }
    match t2.fees {
        None => blank("t2/行政事业性收费".into(), "表二 行政事业性收费".into(), out),
        Some(v) if !v.is_finite() || v < 0.0 => {
            out.push(Finding::error(Rule::R5, "t2/行政事业性收费", format!("表二 行政事业性收费 为 {v}，不是非负数")))
        }
        Some(_) => {}
    }
    for row in T3Row::ALL {
        for col in ApplicantColumn::ALL {
            if report.t3.get(row, col).is_none() {
                blank(t3_loc(row, col), format!("表三 {} {}", row.full_label(), col.key()), out);
            }
        }
    }
    for g in T4Group::ALL {
        for c in T4Column::ALL {
            if report.t4.get(g, c).is_none() {
                blank(format!("t4/{}/{}", g.key(), c.key()), format!("表四 {} {}", g.key(), c.key()), out);
            }
        }
    }
}

/// Sum of the given cells, or `None` when any is blank (a blank is flagged by R5, not guessed as 0).
fn sum(cells: impl IntoIterator<Item = Option<u32>>) -> Option<u64> {
    cells.into_iter().try_fold(0u64, |acc, c| c.map(|v| acc + u64::from(v)))
}

/// R1: 一 + 二 = （七）总计 + 四, per column.
fn r1(report: &AnnualReport, out: &mut Vec<Finding>) {
    let t3 = &report.t3;
    for col in ApplicantColumn::ALL {
        let (Some(a), Some(b)) = (
            sum([t3.get(T3Row::New, col), t3.get(T3Row::CarriedIn, col)]),
            sum([t3.get(T3Row::Total, col), t3.get(T3Row::CarriedOut, col)]),
        ) else {
            continue;
        };
        if a != b {
            out.push(Finding::error(
                Rule::R1,
                format!("t3/{}", col.key()),
                format!("表三 {} 列：一+二={a}，但（七）总计+四={b}", col.key()),
            ));
        }
    }
}

/// R2: 总计 = the six applicant types, every row.
fn r2(report: &AnnualReport, out: &mut Vec<Finding>) {
    for row in T3Row::ALL {
        let parts = sum(ApplicantColumn::PARTS.iter().map(|&c| report.t3.get(row, c)));
        let (Some(parts), Some(total)) = (parts, report.t3.get(row, ApplicantColumn::Total)) else {
            continue;
        };
        if parts != u64::from(total) {
            out.push(Finding::error(
                Rule::R2,
                t3_loc(row, ApplicantColumn::Total),
                format!("表三 {}：各类申请人之和为{parts}，但总计为{total}", row.full_label()),
            ));
        }
    }
}

/// R3: （七）总计 = sum of the 21 leaf outcome rows, per column.
fn r3(report: &AnnualReport, out: &mut Vec<Finding>) {
    for col in ApplicantColumn::ALL {
        let leaves = sum(T3Row::LEAVES.iter().map(|&r| report.t3.get(r, col)));
        let (Some(leaves), Some(total)) = (leaves, report.t3.get(T3Row::Total, col)) else {
            continue;
        };
        if leaves != u64::from(total) {
            out.push(Finding::error(
                Rule::R3,
                t3_loc(T3Row::Total, col),
                format!("表三 {} 列：（七）总计为{total}，但各办理结果之和为{leaves}", col.key()),
            ));
        }
    }
}

/// R4: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, each group of 四.
fn r4(report: &AnnualReport, out: &mut Vec<Finding>) {
    for g in T4Group::ALL {
        let parts = sum(T4Column::ALL[..4].iter().map(|&c| report.t4.get(g, c)));
        let (Some(parts), Some(total)) = (parts, report.t4.get(g, T4Column::Total)) else {
            continue;
        };
        if parts != u64::from(total) {
            out.push(Finding::error(
                Rule::R4,
                format!("t4/{}/总计", g.key()),
                format!("表四 {}：维持、纠正、其他、尚未审结之和为{parts}，但总计为{total}", g.key()),
            ));
        }
    }
}

/// R6: the report of year Y (`cur`) against the report of Y−1 (`prev`) of the same agency.
///
/// `二、上年结转` of Y must equal `四、结转下年度继续办理` of Y−1 per column (error); `现行有效件数` of Y should be
/// the previous one + 本年制发 − 本年废止 (a warning: revisions and natural expiry blur it).
pub fn check_cross_year(prev: &AnnualReport, cur: &AnnualReport) -> Vec<Finding> {
    let mut out = Vec::new();
    if let (Some(p), Some(c)) = (prev.year, cur.year)
        && p.checked_add(1) != Some(c)
    {
        out.push(Finding::warning(Rule::R6, "year", format!("两份报告不是相邻年度（{p}年与{c}年），未做跨年度核对")));
        return out;
    }
    if let (Some(p), Some(c)) = (&prev.agency, &cur.agency)
        && super::text::normalize_label(p) != super::text::normalize_label(c)
    {
        out.push(Finding::warning(Rule::R6, "agency", format!("两份报告的机关不同（{p}与{c}），未做跨年度核对")));
        return out;
    }
    if prev.format == ReportFormat::V2019 || cur.format == ReportFormat::V2019 {
        return out;
    }
    let prev_year = prev.year.map(|y| format!("{y}年")).unwrap_or_else(|| "上一年度".into());
    for col in ApplicantColumn::ALL {
        let (Some(carried_in), Some(carried_out)) =
            (cur.t3.get(T3Row::CarriedIn, col), prev.t3.get(T3Row::CarriedOut, col))
        else {
            continue;
        };
        if carried_in != carried_out {
            out.push(Finding::error(
                Rule::R6,
                t3_loc(T3Row::CarriedIn, col),
                format!(
                    "表三 {} 列：本年“二、上年结转”为{carried_in}，但{prev_year}报告“四、结转下年度继续办理”为{carried_out}",
                    col.key()
                ),
            ));
        }
    }
    for (name, p, c) in
        [("规章", &prev.t2.rules, &cur.t2.rules), ("行政规范性文件", &prev.t2.normative, &cur.t2.normative)]
    {
        let (Some(before), Some(issued), Some(repealed), Some(now)) = (p.in_force, c.issued, c.repealed, c.in_force)
        else {
            continue;
        };
        let expected = i64::from(before) + i64::from(issued) - i64::from(repealed);
        if expected != i64::from(now) {
            out.push(Finding::warning(
                Rule::R6,
                format!("t2/{name}/现行有效件数"),
                format!(
                    "表二 {name}：上年现行有效{before}+本年制发{issued}−本年废止{repealed}={expected}，但本年现行有效为{now}（修订、自然失效可能造成差异）"
                ),
            ));
        }
    }
    out
}
