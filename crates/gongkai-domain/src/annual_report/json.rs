//! `gongkai.annual-report/v1`: the JSON shape of docs/law/report-json.md (auditor output, generator output, and what an
//! agency submits to its 主管部门).

use serde_json::{Map, Value, json};

use super::model::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, Sections, Severity, T2Doc, T3Row, T4Column, T4Group,
    Table2,
};

pub const SCHEMA: &str = "gongkai.annual-report/v1";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("不是 {SCHEMA} 文档（schema 为 {0}）")]
    Schema(String),
    #[error("缺少字段 {0}")]
    Missing(String),
    #[error("字段 {path} 无效：{reason}")]
    Invalid { path: String, reason: String },
}

fn count(v: Option<u32>) -> Value {
    v.map_or(Value::Null, Value::from)
}

fn decimal(v: Option<f64>) -> Value {
    match v {
        // whole amounts as integers (0 rather than 0.0)
        Some(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => Value::from(x as i64),
        Some(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
        None => Value::Null,
    }
}

fn doc_json(d: &T2Doc) -> Value {
    let mut m = Map::new();
    for (i, col) in T2Doc::COLUMNS.iter().enumerate() {
        m.insert((*col).into(), count([d.issued, d.repealed, d.in_force][i]));
    }
    Value::Object(m)
}

/// One finding as in `findings[]` (`rule`, `severity`, `where`, `message`, and `quote` when there is one).
pub fn finding_to_json(f: &Finding) -> Value {
    let mut m = Map::new();
    m.insert("rule".into(), f.rule.id().into());
    m.insert("severity".into(), f.severity.as_str().into());
    m.insert("where".into(), f.location.clone().into());
    m.insert("message".into(), f.message.clone().into());
    if let Some(q) = &f.quote {
        m.insert("quote".into(), q.clone().into());
    }
    Value::Object(m)
}

/// The report and its findings as a `gongkai.annual-report/v1` document. Blank cells are `null`.
pub fn to_json(report: &AnnualReport, findings: &[Finding]) -> Value {
    let t2 = &report.t2;
    let mut t2m = Map::new();
    t2m.insert("规章".into(), doc_json(&t2.rules));
    t2m.insert("行政规范性文件".into(), doc_json(&t2.normative));
    for name in Table2::COUNT_ROWS {
        t2m.insert(name.into(), count(t2.count(name)));
    }
    t2m.insert("行政事业性收费".into(), decimal(t2.fees));

    let mut t3m = Map::new();
    for row in T3Row::ALL {
        let mut r = Map::new();
        for col in ApplicantColumn::ALL {
            r.insert(col.key().into(), count(report.t3.get(row, col)));
        }
        t3m.insert(row.key().into(), Value::Object(r));
    }
    let mut t4m = Map::new();
    for g in T4Group::ALL {
        let mut r = Map::new();
        for c in T4Column::ALL {
            r.insert(c.key().into(), count(report.t4.get(g, c)));
        }
        t4m.insert(g.key().into(), Value::Object(r));
    }
    let s = &report.sections;
    json!({
        "schema": SCHEMA,
        "agency": report.agency,
        "year": report.year,
        "format": report.format.as_str(),
        "tables": {"t2": t2m, "t3": t3m, "t4": t4m},
        "sections": {"一": s.one, "五": s.five, "六": s.six},
        "findings": findings.iter().map(finding_to_json).collect::<Vec<_>>(),
    })
}

fn get<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Value, JsonError> {
    v.get(key).ok_or_else(|| JsonError::Missing(format!("{path}{key}")))
}

fn invalid(path: impl Into<String>, reason: &str) -> JsonError {
    JsonError::Invalid { path: path.into(), reason: reason.into() }
}

fn cell(v: &Value, path: &str) -> Result<Option<u32>, JsonError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_u64() {
            Some(x) => u32::try_from(x).map(Some).map_err(|_| invalid(path, "数值过大")),
            None => Err(invalid(path, "应为非负整数或 null")),
        },
        _ => Err(invalid(path, "应为非负整数或 null")),
    }
}

fn opt_string(v: Option<&Value>, path: &str) -> Result<Option<String>, JsonError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(path, "应为字符串或 null")),
    }
}

/// Reads a `gongkai.annual-report/v1` document (e.g. a submission to the 主管部门). Cells must be
/// non-negative integers (二(八) a non-negative number) or `null`; anything else is an error, not a guess.
pub fn from_json(v: &Value) -> Result<(AnnualReport, Vec<Finding>), JsonError> {
    match v.get("schema").and_then(Value::as_str) {
        Some(SCHEMA) => {}
        Some(other) => return Err(JsonError::Schema(other.to_string())),
        None => return Err(JsonError::Missing("schema".into())),
    }
    let mut r = AnnualReport {
        agency: opt_string(v.get("agency"), "agency")?,
        year: match v.get("year") {
            None | Some(Value::Null) => None,
            Some(y) => {
                Some(y.as_i64().and_then(|y| i32::try_from(y).ok()).ok_or_else(|| invalid("year", "应为整数年份"))?)
            }
        },
        format: match v.get("format").and_then(Value::as_str) {
            Some("2021") | None => ReportFormat::V2021,
            Some("2019") => ReportFormat::V2019,
            Some("unknown") => ReportFormat::Unknown,
            Some(_) => return Err(invalid("format", "应为 \"2021\"、\"2019\" 或 \"unknown\"")),
        },
        ..AnnualReport::default()
    };
    let tables = get(v, "tables", "")?;
    let t2 = get(tables, "t2", "tables/")?;
    for (name, doc) in [("规章", &mut r.t2.rules), ("行政规范性文件", &mut r.t2.normative)] {
        let d = get(t2, name, "t2/")?;
        for (i, col) in T2Doc::COLUMNS.iter().enumerate() {
            doc.set(i, cell(get(d, col, &format!("t2/{name}/"))?, &format!("t2/{name}/{col}"))?);
        }
    }
    for name in Table2::COUNT_ROWS {
        r.t2.set_count(name, cell(get(t2, name, "t2/")?, &format!("t2/{name}"))?);
    }
    r.t2.fees = match get(t2, "行政事业性收费", "t2/")? {
        Value::Null => None,
        Value::Number(n) => match n.as_f64() {
            Some(x) if x >= 0.0 && x.is_finite() => Some(x),
            _ => return Err(invalid("t2/行政事业性收费", "应为非负数或 null")),
        },
        _ => return Err(invalid("t2/行政事业性收费", "应为非负数或 null")),
    };
    let t3 = get(tables, "t3", "tables/")?;
    for row in T3Row::ALL {
        let rv = get(t3, row.key(), "t3/")?;
        for col in ApplicantColumn::ALL {
            let path = format!("t3/{}/{}", row.key(), col.key());
            r.t3.set(row, col, cell(get(rv, col.key(), &format!("t3/{}/", row.key()))?, &path)?);
        }
    }
    let t4 = get(tables, "t4", "tables/")?;
    for g in T4Group::ALL {
        let gv = get(t4, g.key(), "t4/")?;
        for c in T4Column::ALL {
            let path = format!("t4/{}/{}", g.key(), c.key());
            r.t4.set(g, c, cell(get(gv, c.key(), &format!("t4/{}/", g.key()))?, &path)?);
        }
    }
    if let Some(s) = v.get("sections") {
        r.sections = Sections {
            one: opt_string(s.get("一"), "sections/一")?,
            five: opt_string(s.get("五"), "sections/五")?,
            six: opt_string(s.get("六"), "sections/六")?,
        };
    }
    let mut findings = Vec::new();
    if let Some(list) = v.get("findings") {
        let list = list.as_array().ok_or_else(|| invalid("findings", "应为数组"))?;
        for (i, f) in list.iter().enumerate() {
            let path = format!("findings/{i}");
            let text = |k: &str| f.get(k).and_then(Value::as_str).map(str::to_string);
            let rule = text("rule").and_then(|r| Rule::from_id(&r)).ok_or_else(|| invalid(&path, "rule 无效"))?;
            let severity = match text("severity").as_deref() {
                Some("error") => Severity::Error,
                Some("warning") => Severity::Warning,
                _ => return Err(invalid(&path, "severity 应为 error 或 warning")),
            };
            findings.push(Finding {
                rule,
                severity,
                location: text("where").unwrap_or_default(),
                message: text("message").unwrap_or_default(),
                quote: text("quote"),
            });
        }
    }
    Ok((r, findings))
}
