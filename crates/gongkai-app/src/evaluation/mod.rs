//! Evaluation and 考核 (incl. 第三方评估), docs/law/supervision.md §5 and §10.7–§10.12: a supervising agency's scheme
//! per year over the agencies beneath it, indicators scored from the platform's data or by hand with evidence (by
//! its 监督人 or by a third-party evaluator, `Role::Evaluator`), totals, grades, ranks and an XLSX export.

mod board;
mod demo;
mod facts;

use crate::{App, AppError, Caller, Principal, Result};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::evaluation::{self as rules, AutoFacts, AutoSource, Indicator, Method};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::evaluation::{self as store, IndicatorRow, Scheme};
use gongkai_store::{NewAuditEvent, audit};
use serde_json::json;
use time::OffsetDateTime;

/// Who evaluates (§5.7): the supervising agency itself or a third party it engaged.
pub const EVALUATORS: [(&str, &str); 2] = [("internal", "内部考核"), ("third_party", "第三方评估")];

/// The Chinese label of a stored evaluator code.
pub fn evaluator_label(code: &str) -> &'static str {
    EVALUATORS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("内部考核")
}

/// A scheme with its indicators, as the page shows it.
#[derive(Debug, Clone)]
pub struct SchemeView {
    pub scheme: Scheme,
    pub indicators: Vec<Indicator>,
    /// Problems of the whole scheme (weights not summing to 100, duplicate codes).
    pub warnings: Vec<String>,
    /// Scoring has started: indicators can no longer be changed.
    pub locked: bool,
}

/// One agency's standing on one indicator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cell {
    pub code: String,
    /// Points the indicator contributes (tenths), caps applied.
    pub points: i64,
    /// The raw value scored (earned, deducted or added, tenths); `None` for a manual indicator not scored yet.
    pub raw: Option<i64>,
    pub auto: bool,
    /// For an auto indicator: how the platform counted; for a manual one: the evidence.
    pub explanation: String,
    pub scored_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub scored_at: Option<OffsetDateTime>,
}

/// One agency's result (§5.7 `Result {unit, total, grade, rank}`).
#[derive(Debug, Clone)]
pub struct UnitResult {
    pub agency: Agency,
    pub cells: Vec<Cell>,
    /// Tenths.
    pub total: i64,
    pub grade: &'static str,
    pub rank: usize,
    /// Manual indicators not scored yet.
    pub pending: usize,
    pub facts: AutoFacts,
}

/// The scheme and every evaluated agency's result, ranked.
#[derive(Debug, Clone)]
pub struct Board {
    pub scheme: SchemeView,
    pub evaluated_on: time::Date,
    /// In the tree's order (ranks are in each result).
    pub units: Vec<UnitResult>,
}

/// An indicator as typed in the scheme form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub cap: String,
    #[serde(default)]
    pub auto: String,
}

fn to_indicator(r: &IndicatorRow) -> Indicator {
    Indicator {
        code: r.code.clone(),
        name: r.name.clone(),
        method: Method::parse(&r.method).unwrap_or(Method::Weight),
        weight: i64::from(r.weight),
        cap: i64::from(r.cap),
        auto: r.auto_source.as_deref().and_then(|s| AutoSource::parse(s).ok().flatten()),
    }
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: Some("year"), message: format!("年度“{year}”应在2000至2100之间") })
    }
}

fn whole_points(s: &str, what: &'static str, field: &'static str) -> Result<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=100).contains(n))
        .ok_or_else(|| AppError::Invalid {
            field: Some(field), message: format!("{what}“{t}”应为0至100之间的整数")
        })
}

impl Principal {
    /// Whether the user may see and score the evaluation of `agency_id`: its 监督人 or a third-party evaluator.
    pub fn may_evaluate(&self, agency_id: i64) -> bool {
        self.may(agency_id, &[Role::Supervisor]) || self.evaluates(agency_id)
    }
}

impl Caller<'_> {
    fn require_evaluation(&self, agency_id: i64) -> Result<()> {
        match self {
            Caller::Staff(p) if !p.may_evaluate(agency_id) => Err(AppError::Forbidden),
            _ => Ok(()),
        }
    }
}

impl App {
    /// Looks an agency up for an evaluation page: found only when the user may see it in the console or
    /// evaluates it (404 otherwise, as for other console pages); 403 follows for a visible agency where the user
    /// neither supervises nor evaluates.
    pub async fn evaluation_agency(&self, p: &Principal, code: &str) -> Result<Agency> {
        let agency = agencies::by_code(&self.db, code).await?;
        let agency = agency.filter(|a| p.can_view(a.id) || p.evaluates(a.id)).ok_or(AppError::NotFound("机构"))?;
        if !p.may_evaluate(agency.id) {
            return Err(AppError::Forbidden);
        }
        Ok(agency)
    }

    /// The agencies whose evaluation the user may open as a third-party evaluator (the top of each granted
    /// subtree), for the dashboard.
    pub async fn evaluated_agencies(&self, p: &Principal) -> Result<Vec<Agency>> {
        let mut out = Vec::new();
        for g in gongkai_store::grants::for_user(&self.db, p.user.id).await? {
            if g.role == Role::Evaluator
                && let Some(a) = agencies::by_id(&self.db, g.agency_id).await?
            {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The years the agency has schemes for, newest first.
    pub async fn evaluation_years(&self, by: Caller<'_>, agency: &Agency) -> Result<Vec<i32>> {
        by.require_evaluation(agency.id)?;
        Ok(store::years(&self.db, agency.id).await?)
    }

    /// The agency's scheme of `year`, if any.
    pub async fn evaluation_scheme(&self, by: Caller<'_>, agency: &Agency, year: i32) -> Result<Option<SchemeView>> {
        by.require_evaluation(agency.id)?;
        let Some(scheme) = store::scheme(&self.db, agency.id, year).await? else { return Ok(None) };
        let indicators: Vec<Indicator> =
            store::indicators(&self.db, scheme.id).await?.iter().map(to_indicator).collect();
        let mut tx = self.db.begin().await?;
        let locked = store::has_scores(&mut tx, scheme.id).await?;
        tx.commit().await?;
        Ok(Some(SchemeView { warnings: rules::scheme_warnings(&indicators), scheme, indicators, locked }))
    }

    /// The supervisor creates the year's scheme from the default sheet (§5.4); `evaluator` is `internal` or
    /// `third_party`. Audited.
    pub async fn create_evaluation_scheme(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        evaluator: &str,
    ) -> Result<SchemeView> {
        by.require(agency.id, &[Role::Supervisor])?;
        check_year(year)?;
        let evaluator =
            EVALUATORS.iter().find(|(c, _)| *c == evaluator.trim()).map(|(c, _)| *c).ok_or(AppError::Invalid {
                field: Some("evaluator"),
                message: "请选择考核方式（内部考核或第三方评估）".into(),
            })?;
        let mut tx = self.db.begin().await?;
        let Some(id) = store::create_scheme(&mut tx, agency.id, year, evaluator).await? else {
            return Err(AppError::Conflict(format!("{}已有{year}年度考核方案", agency.name)));
        };
        for (seq, i) in rules::default_sheet().iter().enumerate() {
            store::save_indicator(&mut tx, &row(id, seq, i)).await?;
        }
        audit::record(
            &mut tx,
            &event(
                &by.actor(),
                agency,
                AuditAction::EvaluationSchemeCreate,
                id,
                json!({"year": year, "evaluator": evaluator}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.evaluation_scheme(by, agency, year).await?.ok_or(AppError::NotFound("考核方案"))
    }

    /// The supervisor adds an indicator or changes one (same code) before scoring starts. Audited.
    pub async fn save_evaluation_indicator(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        f: &IndicatorForm,
    ) -> Result<()> {
        by.require(agency.id, &[Role::Supervisor])?;
        let view = self.evaluation_scheme(by, agency, year).await?.ok_or(AppError::NotFound("考核方案"))?;
        let typed = Indicator {
            code: f.code.clone(),
            name: f.name.clone(),
            method: Method::parse(&f.method).map_err(|e| AppError::invalid("method", e))?,
            weight: whole_points(&f.weight, "分值", "weight")?,
            cap: whole_points(&f.cap, "上限", "cap")?,
            auto: AutoSource::parse(&f.auto).map_err(|e| AppError::invalid("auto", e))?,
        };
        let i = rules::check_indicator(&typed).map_err(|e| AppError::invalid("indicator", e))?;
        let seq = view.indicators.iter().position(|x| x.code == i.code).unwrap_or(view.indicators.len());
        let mut tx = self.db.begin().await?;
        if store::has_scores(&mut tx, view.scheme.id).await? {
            return Err(locked());
        }
        let id = store::save_indicator(&mut tx, &row(view.scheme.id, seq, &i)).await?;
        let details = json!({"year": year, "code": i.code, "name": i.name, "method": i.method.as_str(),
            "weight": i.weight, "cap": i.cap, "auto": i.auto.map(AutoSource::as_str)});
        audit::record(&mut tx, &event(&by.actor(), agency, AuditAction::EvaluationIndicatorSave, id, details)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The supervisor removes an indicator before scoring starts. Audited.
    pub async fn remove_evaluation_indicator(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        code: &str,
    ) -> Result<()> {
        by.require(agency.id, &[Role::Supervisor])?;
        let view = self.evaluation_scheme(by, agency, year).await?.ok_or(AppError::NotFound("考核方案"))?;
        let mut tx = self.db.begin().await?;
        if store::has_scores(&mut tx, view.scheme.id).await? {
            return Err(locked());
        }
        if !store::remove_indicator(&mut tx, view.scheme.id, code.trim()).await? {
            return Err(AppError::NotFound("考核指标"));
        }
        let details = json!({"year": year, "code": code.trim()});
        audit::record(
            &mut tx,
            &event(&by.actor(), agency, AuditAction::EvaluationIndicatorRemove, view.scheme.id, details),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A supervisor or third-party evaluator scores a manual indicator for one evaluated agency, with evidence
    /// (required). `points` is what the method scores: earned (权重赋分), deducted (扣分) or added (加分). Audited
    /// with the value it replaced.
    #[allow(clippy::too_many_arguments)]
    pub async fn score_evaluation(
        &self,
        by: Caller<'_>,
        agency: &Agency,
        year: i32,
        unit_code: &str,
        indicator_code: &str,
        points: &str,
        evidence: &str,
    ) -> Result<()> {
        by.require_evaluation(agency.id)?;
        let view = self.evaluation_scheme(by, agency, year).await?.ok_or(AppError::NotFound("考核方案"))?;
        let unit = self
            .evaluated_units(agency)
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == unit_code.trim())
            .ok_or(AppError::Invalid { field: Some("unit"), message: "请选择被考核单位".into() })?;
        let i = view
            .indicators
            .iter()
            .find(|i| i.code == indicator_code.trim())
            .ok_or(AppError::Invalid { field: Some("indicator"), message: "请选择考核指标".into() })?;
        if i.auto.is_some() {
            return Err(AppError::Invalid {
                field: Some("indicator"),
                message: format!("“{}”由平台根据数据计分，不能手工评分", i.name),
            });
        }
        let raw = rules::parse_points(points)
            .and_then(|r| rules::check_manual(i, r))
            .map_err(|e| AppError::invalid("points", e))?;
        let evidence = evidence.trim();
        if evidence.is_empty() {
            return Err(AppError::Invalid {
                field: Some("evidence"),
                message: "请填写评分依据（佐证材料、链接或说明）".into(),
            });
        }
        if evidence.chars().count() > 2000 {
            return Err(AppError::Invalid {
                field: Some("evidence"), message: "评分依据不能超过2000个字".into()
            });
        }
        let ids = store::indicators(&self.db, view.scheme.id).await?;
        let indicator_id = ids.iter().find(|r| r.code == i.code).map(|r| r.id).ok_or(AppError::NotFound("考核指标"))?;
        let actor = by.actor();
        let who = match &by {
            Caller::Staff(p) => p.user.username.clone(),
            Caller::System(s) => format!("system:{s}"),
        };
        let raw32 = i32::try_from(raw).unwrap_or(i32::MAX);
        let mut tx = self.db.begin().await?;
        let before = store::set_score(&mut tx, indicator_id, unit.id, raw32, evidence, &who).await?;
        let details = json!({"year": year, "unit": unit.code.as_str(), "unit_name": unit.name, "indicator": i.code,
            "name": i.name, "method": i.method.as_str(), "points": rules::fmt_points(raw),
            "before": before.map(|b| rules::fmt_points(i64::from(b))), "evidence": evidence});
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::EvaluationScore,
                object_type: "evaluation_score",
                object_id: format!("{}/{}", view.scheme.id, unit.id),
                details,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agencies a scheme of `agency` evaluates: every agency beneath it, depth-first in the tree's order.
    pub async fn evaluated_units(&self, agency: &Agency) -> Result<Vec<Agency>> {
        let mut out = Vec::new();
        let mut stack: Vec<Agency> = self.agency_children(agency.id).await?.into_iter().rev().collect();
        while let Some(a) = stack.pop() {
            stack.extend(self.agency_children(a.id).await?.into_iter().rev());
            out.push(a);
        }
        Ok(out)
    }
}

fn locked() -> AppError {
    AppError::Conflict("已开始评分，考核指标不能再修改".into())
}

fn row(scheme_id: i64, seq: usize, i: &Indicator) -> IndicatorRow {
    IndicatorRow {
        id: 0,
        scheme_id,
        seq: i32::try_from(seq).unwrap_or(i32::MAX),
        code: i.code.clone(),
        name: i.name.clone(),
        method: i.method.as_str().into(),
        weight: i32::try_from(i.weight).unwrap_or(0),
        cap: i32::try_from(i.cap).unwrap_or(0),
        auto_source: i.auto.map(|a| a.as_str().to_owned()),
    }
}

fn event<'a>(
    actor: &'a gongkai_store::Actor,
    agency: &Agency,
    action: AuditAction,
    id: i64,
    details: serde_json::Value,
) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor,
        agency_id: Some(agency.id),
        action,
        object_type: "evaluation_scheme",
        object_id: id.to_string(),
        details,
    }
}
