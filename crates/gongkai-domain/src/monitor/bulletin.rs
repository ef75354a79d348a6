//! The 通报 of a check round (docs/law/supervision.md §2; the reference report's "日常监测…及通报"): 总体情况,
//! 主要问题 naming each failing site and what failed, 工作要求. The text is a draft that staff may edit; gongkai
//! renders it as DOCX and PDF like any letter.

use super::check::{Check, Kind, Verdict};
use time::Date;

/// Title and body (first line the salutation, then paragraphs) of the 通报 of the sites in `checks`, checked as of
/// `date` by `issuer`.
pub fn bulletin(issuer: &str, date: Date, checks: &[(String, Check)]) -> (String, String) {
    let day = format!("{}年{}月{}日", date.year(), date.month() as u8, date.day());
    let title = format!("关于{day}政府网站检查情况的通报");
    let failing: Vec<&(String, Check)> = checks.iter().filter(|(_, c)| c.verdict == Verdict::Fail).collect();
    let mut body = vec!["各有关单位：".to_owned()];
    body.push("一、总体情况".into());
    body.push(format!(
        "{issuer}依据《政府网站与政务新媒体检查指标》，于{day}对{}个政府网站（栏目）进行了检查，合格{}个，不合格{}个。",
        checks.len(),
        checks.len() - failing.len(),
        failing.len()
    ));
    body.push("二、主要问题".into());
    if failing.is_empty() {
        body.push("本次检查未发现单项否决问题。".into());
    }
    for (i, (name, c)) in failing.iter().enumerate() {
        let problems: Vec<String> = c
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Veto)
            .map(|f| format!("{}（{}）", f.indicator.label_zh(), f.message))
            .collect();
        body.push(format!("{}. {name}：{}。", i + 1, problems.join("；")));
    }
    body.push("三、工作要求".into());
    body.push(
        "请存在问题的单位于收到通报之日起10个工作日内完成整改，并将整改情况报送本机关。各单位要落实网站日常监测责任，\
         及时更新动态要闻、通知公告和政策文件等栏目，认真办理网民留言，确保网站内容准确、安全、实用。"
            .into(),
    );
    (title, body.join("\n"))
}

#[cfg(test)]
mod tests {
    use crate::monitor::{Check, Finding, Indicator, Kind, Verdict, bulletin};
    use time::macros::date;

    #[test]
    fn names_each_failing_site_with_its_vetoes() {
        let fail = Check {
            date: date!(2024 - 02 - 08),
            findings: vec![Finding {
                indicator: Indicator::HomeStale,
                kind: Kind::Veto,
                points: 0,
                message: "首页42天未更新".into(),
                evidence: vec![],
            }],
            verdict: Verdict::Fail,
            score: None,
        };
        let pass = Check { findings: vec![], verdict: Verdict::Pass, score: Some(100), ..fail.clone() };
        let (title, body) =
            bulletin("义马市人民政府", date!(2024 - 02 - 08), &[("甲局".into(), fail), ("乙局".into(), pass)]);
        assert_eq!(title, "关于2024年2月8日政府网站检查情况的通报");
        assert!(body.contains("对2个政府网站（栏目）进行了检查，合格1个，不合格1个"), "{body}");
        assert!(body.contains("1. 甲局：首页不更新（首页42天未更新）。"), "{body}");
        assert!(!body.contains("乙局："), "{body}");
    }
}
