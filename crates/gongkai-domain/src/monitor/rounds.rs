//! Check rounds after the check itself (docs/law/supervision.md §2.6, §2.7, §2.8.8–§2.8.12): the monthly or
//! quarterly 通报 and its lifecycle, the 整改 of each failing finding, and "since when" an agency fails an
//! indicator, read from the daily results.

use crate::agency::Invalid;
use std::collections::BTreeMap;
use time::Date;

/// The 文号 template of a 通报 (the agency's own sequence, restarting each year).
pub const BULLETIN_DOC_NO: &str = "{agency}政务公开通报〔{year}〕{seq}号";

/// Working days after the 通报 is issued by which a finding is to be rectified (the 通报's own 工作要求).
pub const RECTIFY_WORKING_DAYS: u32 = 10;

/// Probes of each configured URL a day: one an hour (§2.2.1 asks for at least 20 a day).
pub const PROBES_PER_DAY: u32 = 24;

/// A probe fails when the site has not answered within this many seconds (§2.2.1).
pub const PROBE_TIMEOUT_SECS: u64 = 15;

/// How often a 通报 is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    Monthly,
    Quarterly,
}

impl Round {
    pub const ALL: [Round; 2] = [Round::Monthly, Round::Quarterly];

    pub fn as_str(self) -> &'static str {
        match self {
            Round::Monthly => "monthly",
            Round::Quarterly => "quarterly",
        }
    }

    pub fn parse(s: &str) -> Result<Round, Invalid> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| Invalid::new("请选择月度或季度通报"))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Round::Monthly => "月度",
            Round::Quarterly => "季度",
        }
    }

    /// The period of the round that contains `d`: `2026-11` or `2026-Q4`.
    pub fn period_of(self, d: Date) -> String {
        match self {
            Round::Monthly => format!("{}-{:02}", d.year(), d.month() as u8),
            Round::Quarterly => format!("{}-Q{}", d.year(), (d.month() as u8 - 1) / 3 + 1),
        }
    }

    /// Checks a period of this round and gives its label: `2026-11` → 2026年11月, `2026-Q4` → 2026年第四季度.
    pub fn period_label(self, period: &str) -> Result<String, Invalid> {
        let bad = || match self {
            Round::Monthly => Invalid::new(format!("月度通报的期次应写作“2026-11”，不能是“{period}”")),
            Round::Quarterly => Invalid::new(format!("季度通报的期次应写作“2026-Q4”，不能是“{period}”")),
        };
        let (year, rest) = period.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=9999).contains(&year) {
            return Err(bad());
        }
        match self {
            Round::Monthly => {
                let m: u8 = rest.parse().map_err(|_| bad())?;
                if rest.len() != 2 || !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(format!("{year}年{m}月"))
            }
            Round::Quarterly => {
                let q = match rest {
                    "Q1" => "一",
                    "Q2" => "二",
                    "Q3" => "三",
                    "Q4" => "四",
                    _ => return Err(bad()),
                };
                Ok(format!("{year}年第{q}季度"))
            }
        }
    }
}

/// The title of the 通报 of a period.
pub fn bulletin_title(period_label: &str) -> String {
    format!("关于{period_label}政府网站检查情况的通报")
}

/// Where a 通报 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulletinStatus {
    /// 草稿: editable.
    Draft,
    /// 待审核: submitted for approval.
    Submitted,
    /// 已审核: approved and numbered.
    Approved,
    /// 已发布: published to a column of the portal.
    Published,
}

/// A step of a 通报.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulletinStep {
    Edit,
    Submit,
    Return,
    Approve,
    Publish,
}

impl BulletinStatus {
    pub const ALL: [BulletinStatus; 4] = [Self::Draft, Self::Submitted, Self::Approved, Self::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| Invalid::new(format!("未知的通报状态“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待审核",
            Self::Approved => "已审核编号",
            Self::Published => "已发布",
        }
    }

    /// The status after `step`, or why the step is not allowed now.
    pub fn apply(self, step: BulletinStep) -> Result<Self, Invalid> {
        use BulletinStatus::*;
        use BulletinStep::*;
        match (self, step) {
            (Draft, Edit) => Ok(Draft),
            (Draft, Submit) => Ok(Submitted),
            (Submitted, Return) => Ok(Draft),
            (Submitted, Approve) => Ok(Approved),
            (Approved, Publish) => Ok(Published),
            (_, Edit) => Err(Invalid::new(format!("通报当前为“{}”，只有草稿可以修改", self.label_zh()))),
            (_, Publish) => Err(Invalid::new(format!("通报当前为“{}”，须经审核编号后才能发布", self.label_zh()))),
            (_, Submit) => Err(Invalid::new(format!("通报当前为“{}”，只有草稿可以报送审核", self.label_zh()))),
            (_, Return | Approve) => {
                Err(Invalid::new(format!("通报当前为“{}”，只有待审核的通报可以审核或退回", self.label_zh())))
            }
        }
    }
}

/// Where the 整改 of one finding stands (§2.6.3). 复核未通过 returns the item to 待整改 with a new due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectStatus {
    /// 待整改
    Pending,
    /// 已报整改: the agency reported what it did.
    Reported,
    /// 复核通过
    Passed,
}

/// A step of a 整改 item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectStep {
    /// The failing agency reports what it did.
    Report,
    /// The supervisor's review: passed.
    Pass,
    /// The supervisor's review: not passed (back to 待整改).
    Fail,
}

impl RectStatus {
    pub const ALL: [RectStatus; 3] = [Self::Pending, Self::Reported, Self::Passed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Reported => "reported",
            Self::Passed => "passed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| Invalid::new(format!("未知的整改状态“{s}”")))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待整改",
            Self::Reported => "已报整改",
            Self::Passed => "复核通过",
        }
    }

    pub fn apply(self, step: RectStep) -> Result<Self, Invalid> {
        match (self, step) {
            (Self::Pending, RectStep::Report) => Ok(Self::Reported),
            (Self::Reported, RectStep::Pass) => Ok(Self::Passed),
            (Self::Reported, RectStep::Fail) => Ok(Self::Pending),
            (_, RectStep::Report) => {
                Err(Invalid::new(format!("整改事项当前为“{}”，只有待整改的事项可以报送整改情况", self.label_zh())))
            }
            (_, RectStep::Pass | RectStep::Fail) => {
                Err(Invalid::new(format!("整改事项当前为“{}”，只有已报整改的事项可以复核", self.label_zh())))
            }
        }
    }
}

/// For each indicator failing (veto or deduction) on the last recorded day, the first day of the unbroken run of
/// recorded days on which it failed. `days` are the daily results in order of day, each with the indicator codes
/// that failed; a day without a record does not break a run (the job may not have run), a recorded day without
/// the indicator does.
pub fn failing_since(days: &[(Date, Vec<String>)]) -> BTreeMap<&str, Date> {
    let mut out = BTreeMap::new();
    let Some((_, last)) = days.last() else { return out };
    for code in last {
        let mut since = None;
        for (day, failing) in days.iter().rev() {
            if !failing.contains(code) {
                break;
            }
            since = Some(*day);
        }
        if let Some(d) = since {
            out.insert(code.as_str(), d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods() {
        assert_eq!(Round::Monthly.period_of(date!(2026 - 11 - 30)), "2026-11");
        assert_eq!(Round::Quarterly.period_of(date!(2026 - 10 - 01)), "2026-Q4");
        assert_eq!(Round::Quarterly.period_of(date!(2026 - 03 - 31)), "2026-Q1");
        assert_eq!(Round::Monthly.period_label("2026-03").unwrap(), "2026年3月");
        assert_eq!(Round::Quarterly.period_label("2026-Q2").unwrap(), "2026年第二季度");
        for bad in ["2026-13", "2026-3", "2026", "x-01", "2026-Q1"] {
            assert!(Round::Monthly.period_label(bad).is_err(), "{bad}");
        }
        assert!(Round::Quarterly.period_label("2026-Q5").is_err());
        assert_eq!(bulletin_title("2026年11月"), "关于2026年11月政府网站检查情况的通报");
    }

    #[test]
    fn bulletin_steps() {
        use BulletinStatus::*;
        use BulletinStep::*;
        assert_eq!(Draft.apply(Submit).unwrap(), Submitted);
        assert_eq!(Submitted.apply(Return).unwrap(), Draft);
        assert_eq!(Submitted.apply(Approve).unwrap(), Approved);
        assert_eq!(Approved.apply(Publish).unwrap(), Published);
        assert!(Draft.apply(Publish).unwrap_err().0.contains("须经审核编号后才能发布"));
        assert!(Submitted.apply(Publish).is_err());
        assert!(Approved.apply(Edit).is_err());
        assert!(Draft.apply(Approve).is_err());
        assert!(Published.apply(Publish).is_err());
    }

    #[test]
    fn rectification_steps() {
        use RectStatus::*;
        assert_eq!(Pending.apply(RectStep::Report).unwrap(), Reported);
        assert_eq!(Reported.apply(RectStep::Fail).unwrap(), Pending);
        assert_eq!(Reported.apply(RectStep::Pass).unwrap(), Passed);
        assert!(Pending.apply(RectStep::Pass).is_err());
        assert!(Reported.apply(RectStep::Report).is_err());
        assert!(Passed.apply(RectStep::Fail).is_err());
        assert!(Passed.apply(RectStep::Report).is_err());
    }

    #[test]
    fn since_when_an_indicator_fails() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let days = vec![
            (date!(2026 - 11 - 01), s(&["home.stale"])),
            (date!(2026 - 11 - 02), s(&[])),
            (date!(2026 - 11 - 03), s(&["home.stale", "columns.blank"])),
            // 11-04 not recorded: the run goes on.
            (date!(2026 - 11 - 05), s(&["home.stale", "columns.blank"])),
            (date!(2026 - 11 - 06), s(&["home.stale"])),
        ];
        let since = failing_since(&days);
        assert_eq!(since.len(), 1);
        assert_eq!(since["home.stale"], date!(2026 - 11 - 03));
        assert!(failing_since(&[]).is_empty());
    }
}
