//! Demo cases of 2026 (依申请公开) in the demo agencies other than 义马市人民政府办公室, whose 2023 figures must
//! stay those of its published report. A realistic spread: answered, partly disclosed, refused, 补正 (received
//! and expired), consultations, an extension, fees, a withdrawal, 复议/诉讼 (upheld, pending, corrected and
//! reopened), and open cases, some overdue as of 2026-11-26.
//!
//! Every step goes through the same checks as staff's (state machine and clock), so the data is consistent:
//! no decision before receipt, every period respected unless the case is meant to be overdue. The letters the
//! steps produce are sent on the step's day, in date order per agency, so their 文号 follow the calendar.
//! People and organisations are anonymised (张某, 某公司) and carry made-up "其他身份证明" numbers (`DEMO-…`):
//! never an invented 身份证 number or 统一社会信用代码, which could belong to someone real.

use crate::applications::{ApplicationForm, CaseStep, check_form};
use crate::{App, AppError, Result};
use gongkai_domain::application::letters::LetterKind;
use gongkai_domain::application::{CaseEventKind, FeeMethod, Outcome, ReviewKind, ReviewResult};
use gongkai_domain::clock::Channel;
use gongkai_store::Actor;
use gongkai_store::applications::{self as store, ListFilter};
use time::Date;
use time::macros::date;

/// The demo's "today": nothing is dated after it.
const DEMO_TODAY: Date = date!(2026 - 11 - 26);

struct Spec {
    agency: &'static str,
    applicant_type: &'static str,
    name: &'static str,
    /// (document type, number)
    id: (&'static str, &'static str),
    channel: Channel,
    submitted: Date,
    /// The signing day of 邮寄 (the receipt date of Art. 31).
    signed: Option<Date>,
    description: &'static str,
    steps: Vec<(Date, CaseEventKind)>,
}

fn decided(outcome: Outcome, reasons: &str) -> CaseEventKind {
    CaseEventKind::Decided { outcome, reasons: reasons.into() }
}

fn person(name: &'static str, n: &'static str) -> (&'static str, &'static str, (&'static str, &'static str)) {
    ("natural_person", name, ("other", n))
}

#[allow(clippy::too_many_lines)]
fn specs() -> Vec<Spec> {
    use CaseEventKind as K;
    let spec =
        |agency, who: (&'static str, &'static str, (&'static str, &'static str)), channel, submitted, description| {
            Spec {
                agency,
                applicant_type: who.0,
                name: who.1,
                id: who.2,
                channel,
                submitted,
                signed: None,
                description,
                steps: Vec::new(),
            }
        };
    let mut v = Vec::new();

    // 义马市教育局
    let mut s = spec(
        "yima-edu",
        person("李某", "DEMO-E001"),
        Channel::Online,
        date!(2026 - 01 - 12),
        "2026年义马市义务教育阶段招生入学工作实施方案",
    );
    // Reply due 2-10 (20 working days after 1-13); answered 2-4.
    s.steps = vec![
        (date!(2026 - 01 - 13), K::ReceiptConfirmed),
        (
            date!(2026 - 02 - 03),
            decided(Outcome::Disclosed, "该信息已在本机关门户网站主动公开，告知获取途径并提供电子文本"),
        ),
        (date!(2026 - 02 - 04), K::ReplySent),
    ];
    v.push(s);
    let mut s =
        spec("yima-edu", person("王某", "DEMO-E002"), Channel::InPerson, date!(2026 - 03 - 02), "学校招生政策文件");
    s.steps = vec![
        (
            date!(2026 - 03 - 04),
            K::CorrectionRequested {
                period_wd: 10, items: "请写明所需招生政策文件的年份、学段和学校名称".into()
            },
        ),
        (date!(2026 - 03 - 10), K::CorrectionReceived),
        (date!(2026 - 03 - 20), decided(Outcome::NotHeld, "经检索，本机关未制作或获取该学校2019年的招生简章")),
        (date!(2026 - 03 - 23), K::ReplySent),
        (
            date!(2026 - 04 - 15),
            K::ReviewFiled { kind: ReviewKind::AdministrativeReview, body: "义马市人民政府".into() },
        ),
        (
            date!(2026 - 06 - 10),
            K::ReviewDecided { kind: ReviewKind::AdministrativeReview, result: ReviewResult::Upheld },
        ),
    ];
    v.push(s);
    let mut s = spec(
        "yima-edu",
        ("business", "义马市某教育科技有限公司", ("other", "DEMO-E003")),
        Channel::PostSigned,
        date!(2026 - 05 - 11),
        "2026年校外培训机构年检结果及相关检查记录",
    );
    s.signed = Some(date!(2026 - 05 - 12));
    s.steps = vec![
        (date!(2026 - 05 - 13), K::ThirdPartyConsultationStarted { party: "义马市某培训学校".into() }),
        (date!(2026 - 05 - 27), K::ThirdPartyConsultationEnded),
        (
            date!(2026 - 06 - 05),
            decided(Outcome::PartlyDisclosed, "检查记录中涉及第三方商业秘密的部分不予公开，其余部分予以公开"),
        ),
        (date!(2026 - 06 - 08), K::ReplySent),
    ];
    v.push(s);
    // Open: reply due 2026-12-01.
    let mut s = spec(
        "yima-edu",
        person("赵某", "DEMO-E004"),
        Channel::Online,
        date!(2026 - 11 - 02),
        "2026年教师招聘考试成绩公示文件",
    );
    s.steps = vec![(date!(2026 - 11 - 03), K::ReceiptConfirmed)];
    v.push(s);
    // Open and overdue: received 10-19, reply due 11-16.
    v.push(spec(
        "yima-edu",
        person("孙某", "DEMO-E005"),
        Channel::InPerson,
        date!(2026 - 10 - 19),
        "义马市第二中学新校区建设项目批复文件",
    ));

    // 义马市自然资源局
    let mut s = spec(
        "yima-nr",
        ("legal_service", "河南某律师事务所", ("other", "DEMO-N001")),
        Channel::Email,
        date!(2026 - 02 - 24),
        "义马市2025年度国有建设用地供应计划及供地结果",
    );
    // 120 pages by 109号: 70 × ¥10 + 20 × ¥20 = ¥1,100; the days from notice to payment are not counted.
    s.steps = vec![
        (date!(2026 - 02 - 25), K::ReceiptConfirmed),
        (
            date!(2026 - 03 - 02),
            K::FeeNoticeDelivered {
                method: FeeMethod::PerPage { pages: 120 },
                standard_amount: 0,
                amount: 0,
                reduction_reason: String::new(),
            },
        ),
        (date!(2026 - 03 - 05), K::FeePaid),
        (date!(2026 - 03 - 16), decided(Outcome::Disclosed, "")),
        (date!(2026 - 03 - 17), K::ReplySent),
    ];
    v.push(s);
    let mut s = spec(
        "yima-nr",
        person("周某", "DEMO-N002"),
        Channel::InPerson,
        date!(2026 - 04 - 07),
        "某村集体土地征收补偿安置人员名单",
    );
    // Reply due 5-8 (劳动节 5-1..5 skipped); extended on 4-28 with the head's approval.
    s.steps = vec![
        (date!(2026 - 04 - 28), K::ExtensionApproved { days_wd: 20, approver: "局办公室主任".into() }),
        (
            date!(2026 - 05 - 20),
            decided(Outcome::ThirdPartyRights, "名单含个人身份信息和补偿金额，属于个人隐私，权利人不同意公开"),
        ),
        (date!(2026 - 05 - 21), K::ReplySent),
        (date!(2026 - 06 - 15), K::ReviewFiled { kind: ReviewKind::DirectSuit, body: "义马市人民法院".into() }),
    ];
    v.push(s);
    let mut s = spec(
        "yima-nr",
        ("business", "义马市某房地产开发有限公司", ("other", "DEMO-N003")),
        Channel::Online,
        date!(2026 - 07 - 01),
        "千秋路以南地块不动产登记簿",
    );
    s.steps = vec![
        (date!(2026 - 07 - 01), K::ReceiptConfirmed),
        (date!(2026 - 07 - 03), K::AgencyConsultationStarted { party: "义马市住房和城乡建设局".into() }),
        (date!(2026 - 07 - 10), K::AgencyConsultationEnded),
        (
            date!(2026 - 07 - 20),
            decided(
                Outcome::AdministrativeQuery,
                "不动产登记资料的查询另有规定，告知依照《不动产登记资料查询暂行办法》办理",
            ),
        ),
        (date!(2026 - 07 - 21), K::ReplySent),
    ];
    v.push(s);
    let mut s =
        spec("yima-nr", person("吴某", "DEMO-N004"), Channel::InPerson, date!(2026 - 09 - 14), "有关土地的文件");
    // 补正 period: 10 working days after 9-16, with 9-20 a 调休 workday and 中秋 9-25..27 off → 9-30.
    s.steps = vec![
        (
            date!(2026 - 09 - 16),
            K::CorrectionRequested {
                period_wd: 10, items: "请写明土地的坐落位置和所需文件的名称或文号".into()
            },
        ),
        (date!(2026 - 10 - 12), K::CorrectionExpired),
    ];
    v.push(s);
    // Open and overdue: received 10-27, reply due 11-24.
    let mut s = spec(
        "yima-nr",
        person("郑某", "DEMO-N005"),
        Channel::Online,
        date!(2026 - 10 - 26),
        "义马市国土空间总体规划（2021—2035年）批复",
    );
    s.steps = vec![(date!(2026 - 10 - 27), K::ReceiptConfirmed)];
    v.push(s);

    // 义马市卫生健康委员会
    let mut s = spec(
        "yima-health",
        ("research", "河南某医学研究院", ("other", "DEMO-H001")),
        Channel::Online,
        date!(2026 - 06 - 15),
        "义马市2025年各乡镇传染病发病率统计分析",
    );
    s.steps = vec![
        (date!(2026 - 06 - 16), K::ReceiptConfirmed),
        (
            date!(2026 - 07 - 06),
            decided(Outcome::WouldNeedCreating, "需要对现有统计数据进行加工、分析后方能形成，本机关不予提供"),
        ),
        (date!(2026 - 07 - 07), K::ReplySent),
    ];
    v.push(s);
    let mut s = spec(
        "yima-health",
        person("冯某", "DEMO-H002"),
        Channel::InPerson,
        date!(2026 - 08 - 03),
        "投诉某诊所违规收费并要求公开处理结果",
    );
    s.steps = vec![
        (date!(2026 - 08 - 12), decided(Outcome::PetitionOrComplaint, "属于投诉举报事项，已告知通过投诉举报渠道提出")),
        (date!(2026 - 08 - 13), K::ReplySent),
    ];
    v.push(s);
    // Open, awaiting payment: 40 pages → 10 × ¥10 = ¥100.
    let mut s = spec(
        "yima-health",
        person("陈某", "DEMO-H003"),
        Channel::InPerson,
        date!(2026 - 11 - 16),
        "义马市人民医院2025年度财务决算报告",
    );
    s.steps = vec![(
        date!(2026 - 11 - 18),
        K::FeeNoticeDelivered {
            method: FeeMethod::PerPage { pages: 40 },
            standard_amount: 0,
            amount: 0,
            reduction_reason: String::new(),
        },
    )];
    v.push(s);
    // Arrived by 平信 and not yet confirmed with the applicant.
    v.push(spec(
        "yima-health",
        ("public_welfare", "义马市某公益服务中心", ("other", "DEMO-H004")),
        Channel::PostPlain,
        date!(2026 - 11 - 20),
        "2026年基本公共卫生服务项目资金分配情况",
    ));

    // 义马市新区街道办事处
    let mut s = spec(
        "yima-xinqu",
        person("褚某", "DEMO-X001"),
        Channel::InPerson,
        date!(2026 - 04 - 20),
        "辖区老旧小区加装电梯补贴名单",
    );
    s.steps = vec![(date!(2026 - 04 - 24), K::Withdrawn)];
    v.push(s);
    // Answered, then corrected on review (11-2): handled again, reply due 11-30.
    let mut s = spec(
        "yima-xinqu",
        person("卫某", "DEMO-X002"),
        Channel::InPerson,
        date!(2026 - 09 - 01),
        "某社区2025年低保审核公示材料",
    );
    s.steps = vec![
        (date!(2026 - 09 - 10), decided(Outcome::Disclosed, "")),
        (date!(2026 - 09 - 11), K::ReplySent),
        (
            date!(2026 - 10 - 09),
            K::ReviewFiled { kind: ReviewKind::AdministrativeReview, body: "义马市人民政府".into() },
        ),
        (
            date!(2026 - 11 - 02),
            K::ReviewDecided { kind: ReviewKind::AdministrativeReview, result: ReviewResult::Corrected },
        ),
    ];
    v.push(s);

    // 义马市千秋路街道办事处
    let mut s = spec(
        "yima-qianqiu",
        person("蒋某", "DEMO-Q001"),
        Channel::Online,
        date!(2026 - 05 - 06),
        "千秋路街道2025年度财政预算执行情况",
    );
    s.steps = vec![
        (date!(2026 - 05 - 07), K::ReceiptConfirmed),
        (date!(2026 - 05 - 15), decided(Outcome::Repeated, "申请人已于2026年3月就同一信息提出申请，本机关已作出答复")),
        (date!(2026 - 05 - 15), K::ReplySent),
    ];
    v.push(s);

    // Open, awaiting the 补正: 15 working days after 11-18 → 12-9.
    let mut s = spec(
        "yima-qianqiu",
        person("韩某", "DEMO-Q002"),
        Channel::InPerson,
        date!(2026 - 11 - 16),
        "小区停车位规划文件",
    );
    s.steps = vec![(
        date!(2026 - 11 - 18),
        K::CorrectionRequested {
            period_wd: 15, items: "请写明小区名称和所需规划文件的名称或文号".into()
        },
    )];
    v.push(s);

    // 义马市泰山路街道办事处: reply due 11-9, extended on 11-5 by 20 working days to 12-7; open.
    let mut s = spec(
        "yima-taishan",
        person("沈某", "DEMO-T001"),
        Channel::InPerson,
        date!(2026 - 10 - 12),
        "泰山路街道背街小巷改造工程招标及验收材料",
    );
    s.steps = vec![(date!(2026 - 11 - 05), K::ExtensionApproved { days_wd: 20, approver: "街道党政办负责人".into() })];
    v.push(s);
    // Open, consulting a third party (the clock is suspended).
    let mut s = spec(
        "yima-taishan",
        ("business", "义马市某物业服务有限公司", ("other", "DEMO-T002")),
        Channel::Online,
        date!(2026 - 11 - 09),
        "泰山路某小区公共维修资金使用明细",
    );
    s.steps = vec![
        (date!(2026 - 11 - 10), K::ReceiptConfirmed),
        (date!(2026 - 11 - 12), K::ThirdPartyConsultationStarted { party: "某小区业主委员会".into() }),
    ];
    v.push(s);
    v
}

impl App {
    /// Loads the demo cases; idempotent (nothing is loaded when 义马市教育局 already has applications).
    /// Returns how many cases were created.
    pub(crate) async fn load_demo_cases(&self) -> Result<usize> {
        let edu = self.agency_by_code("yima-edu").await?;
        if !store::list(&self.db, edu.id, &ListFilter::default()).await?.is_empty() {
            return Ok(0);
        }
        let actor = Actor::System("demo".into());
        let specs = specs();
        let mut cases = Vec::new();
        for s in &specs {
            let agency = self.agency_by_code(s.agency).await?;
            let form = ApplicationForm {
                applicant_type: s.applicant_type.into(),
                name: s.name.into(),
                id_type: s.id.0.into(),
                id_number: s.id.1.into(),
                phone: "0398-0000000".into(),
                address: "河南省义马市（演示数据）".into(),
                description: s.description.into(),
                delivery: "paper".into(),
                ..Default::default()
            };
            let c = check_form(&form)?;
            let done = self.intake(&agency, c, s.channel, s.submitted, s.signed, &actor).await?;
            let a = store::by_id(&self.db, agency.id, done.id).await?.ok_or(AppError::NotFound("申请"))?;
            cases.push((agency, a));
        }
        // Steps of all cases in date order (stable), so that each agency's letters are numbered in order. A case
        // received at intake (当面, signed post) sends its 登记回执 on its receipt day (`None` below), before any
        // step of that day.
        let intake_receipts = specs.iter().enumerate().filter_map(|(i, s)| {
            let day = s.signed.or(s.channel.receipt_on_submission().then_some(s.submitted))?;
            Some((day, i, None))
        });
        let mut steps: Vec<(Date, usize, Option<CaseEventKind>)> = specs
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.steps.iter().map(move |(d, k)| (*d, i, Some(k.clone()))))
            .chain(intake_receipts)
            .collect();
        steps.sort_by_key(|(d, i, k)| (*d, *i, k.is_some()));
        for (date, i, kind) in steps {
            let (agency, a) = &cases[i];
            let Some(kind) = kind else {
                self.send_demo_letter(agency, a, date, &actor).await?;
                continue;
            };
            let letter = crate::letters::letter_kind_of(&kind);
            self.apply_step(agency, a, CaseStep { date, kind, note: String::new() }, &actor, DEMO_TODAY)
                .await
                .map_err(|e| AppError::Internal(format!("demo case {} ({date}): {e}", specs[i].description)))?;
            // Letters other than the reply (sent with 送达答复) go out on the day of their step.
            if letter.is_some_and(|k| k != LetterKind::Reply) {
                self.send_demo_letter(agency, a, date, &actor).await?;
            }
        }
        Ok(cases.len())
    }

    pub(crate) async fn send_demo_letter(
        &self,
        agency: &gongkai_store::agencies::Agency,
        a: &gongkai_store::applications::Application,
        on: Date,
        actor: &Actor,
    ) -> Result<()> {
        let draft = gongkai_store::letters::of_application(&self.db, a.id)
            .await?
            .into_iter()
            .rev()
            .find(|l| !l.is_sent())
            .ok_or_else(|| AppError::Internal("demo letter missing".into()))?;
        let kind = LetterKind::parse(&draft.kind).map_err(|e| AppError::Internal(e.0))?;
        let mut tx = self.db.begin().await?;
        self.send_in_tx(&mut tx, agency, a, draft.id, kind, on, actor, false).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The office's 2023 figures come from its published report: no demo case may touch it.
    #[test]
    fn no_demo_case_in_the_office_and_none_after_today() {
        for s in specs() {
            assert_ne!(s.agency, "yima-office", "{}", s.description);
            assert_eq!(s.submitted.year(), 2026);
            assert!(s.steps.iter().all(|(d, _)| *d >= s.submitted && *d <= DEMO_TODAY), "{}", s.description);
        }
    }
}
