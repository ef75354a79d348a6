//! Demo letters, 12345 orders and calls of 2026 for 义马市人民政府办公室 (`serve --demo`): answered and published
//! letters, an extended one, a late one, a refused one, an overdue open one and one due soon; the orders of
//! `demo/hotline-yima-office-2026.csv` (imported as an office would); calls answered on the spot and with
//! follow-up. Nothing before 2026, so the office's 2023 report stays the published one.

use super::mailbox::MailboxStep;
use crate::{App, Result};
use gongkai_domain::interaction::mailbox::{LetterForm, Satisfaction};
use gongkai_store::Actor;
use gongkai_store::calls::{self, Call};
use time::Date;
use time::macros::date;

/// The 12345 platform's export of the office's 2026 orders (closed on time, late, open, one overdue).
pub const DEMO_HOTLINE_CSV: &str = include_str!("../../../../demo/hotline-yima-office-2026.csv");

/// One demo letter: type, title, content, consent, received, and its steps (day, step), then a rating.
struct DemoLetter {
    kind: &'static str,
    title: &'static str,
    content: &'static str,
    consent: bool,
    received: Date,
    steps: Vec<(Date, MailboxStep)>,
    rating: Option<Satisfaction>,
}

fn letters() -> Vec<DemoLetter> {
    let reply = |t: &str| MailboxStep::Reply { text: t.to_owned() };
    vec![
        DemoLetter {
            kind: "consult",
            title: "老旧小区改造范围",
            content: "请问2026年老旧小区改造包括千秋路哪几个小区？",
            consent: true,
            received: date!(2026 - 03 - 02),
            steps: vec![
                (date!(2026 - 03 - 05), reply("2026年改造千秋路一号院、二号院，详见市住建局公告。")),
                (
                    date!(2026 - 03 - 05),
                    MailboxStep::Publish {
                        question: "请问2026年老旧小区改造包括千秋路哪几个小区？".into(),
                        reply: "2026年改造千秋路一号院、二号院，详见市住建局公告。".into(),
                    },
                ),
            ],
            rating: Some(Satisfaction::Satisfied),
        },
        DemoLetter {
            kind: "complaint",
            title: "夜间施工噪声",
            content: "新区某工地夜间十一点后仍在施工，噪声很大，请有关部门处理。",
            consent: true,
            received: date!(2026 - 04 - 13),
            steps: vec![
                (date!(2026 - 04 - 17), MailboxStep::Extend { approver: "办公室主任".into() }),
                (date!(2026 - 04 - 28), reply("经市生态环境局核查，已责令该工地夜间停工，并将持续巡查。")),
                (
                    date!(2026 - 04 - 29),
                    MailboxStep::Publish {
                        question: "新区某工地夜间十一点后仍在施工，噪声很大，请有关部门处理。".into(),
                        reply: "经市生态环境局核查，已责令该工地夜间停工，并将持续巡查。".into(),
                    },
                ),
            ],
            rating: Some(Satisfaction::FairlySatisfied),
        },
        DemoLetter {
            kind: "suggestion",
            title: "建议增设公交站",
            content: "建议在千秋路与新义街交叉口增设公交站点，方便居民出行。",
            consent: false,
            received: date!(2026 - 06 - 01),
            steps: vec![(date!(2026 - 06 - 03), reply("您的建议已转市交通运输局研究，感谢您的关心。"))],
            rating: None,
        },
        DemoLetter {
            kind: "help",
            title: "老人办理社保卡",
            content: "家中老人行动不便，能否上门办理社保卡？",
            consent: false,
            received: date!(2026 - 09 - 14),
            steps: vec![(date!(2026 - 09 - 25), reply("市人社局提供预约上门服务，请拨打0398-0000000预约。"))],
            rating: Some(Satisfaction::Dissatisfied),
        },
        DemoLetter {
            kind: "report",
            title: "举报某单位",
            content: "举报某单位工作人员违规收取费用（演示数据）。",
            consent: false,
            received: date!(2026 - 11 - 16),
            steps: vec![(
                date!(2026 - 11 - 17),
                MailboxStep::Reject {
                    reason: "所反映事项属于纪检监察机关职责，请向市纪委监委反映。".into()
                },
            )],
            rating: None,
        },
        DemoLetter {
            kind: "consult",
            title: "公积金提取条件",
            content: "请问租房提取住房公积金需要哪些材料？",
            consent: true,
            received: date!(2026 - 11 - 23),
            steps: vec![],
            rating: None,
        },
        DemoLetter {
            kind: "complaint",
            title: "小区停水未通知",
            content: "本小区12月1日停水一天，事先没有任何通知。",
            consent: true,
            received: date!(2026 - 12 - 02),
            steps: vec![],
            rating: None,
        },
    ]
}

/// (day, time, kind, summary, handling, result, follow-up closed on: `Some(None)` open, `None` no follow-up).
type DemoCall = (Date, &'static str, &'static str, &'static str, &'static str, &'static str, Option<Option<Date>>);

fn demo_calls() -> Vec<DemoCall> {
    vec![
        (date!(2026 - 02 - 03), "09:12", "consult", "咨询春节后办事大厅上班时间", "answered", "已告知", None),
        (date!(2026 - 05 - 20), "15:40", "help", "求助查询失业登记办理地点", "answered", "已告知", None),
        (
            date!(2026 - 07 - 08),
            "10:05",
            "complaint",
            "反映路灯不亮",
            "transferred",
            "已转城管局，7月10日修复",
            Some(Some(date!(2026 - 07 - 10))),
        ),
        (
            date!(2026 - 10 - 12),
            "11:30",
            "consult",
            "咨询政府信息公开申请方式",
            "answered",
            "已告知依申请公开渠道",
            None,
        ),
        (date!(2026 - 12 - 01), "16:20", "complaint", "反映小区垃圾清运不及时", "transferred", "", Some(None)),
    ]
}

impl App {
    /// Loads the demo letters and calls; idempotent (nothing when the office already has letters). Returns how
    /// many letters were created.
    pub async fn load_demo_interaction(&self) -> Result<usize> {
        let office = self.agency_by_code("yima-office").await?;
        if !gongkai_store::mailbox::of_agency(&self.db, office.id).await?.is_empty() {
            return Ok(0);
        }
        let actor = Actor::System("demo".into());
        let all = letters();
        for l in &all {
            let form = LetterForm {
                kind: l.kind.into(),
                title: l.title.into(),
                content: l.content.into(),
                name: "演示来信人".into(),
                phone: "13800000000".into(),
                email: String::new(),
                publish_consent: l.consent,
                confidential: false,
            };
            self.receive_letter(&office, &form, l.received, &actor).await?;
            let letters = gongkai_store::mailbox::of_agency(&self.db, office.id).await?;
            let id = letters.iter().map(|x| x.id).max().unwrap_or_default();
            for (day, step) in &l.steps {
                self.apply_mailbox_step(&actor, &office, id, step.clone(), *day).await?;
            }
            if let Some(r) = l.rating {
                let stored = gongkai_store::mailbox::by_id(&self.db, office.id, id).await?;
                if let Some(stored) = stored {
                    self.rate_letter(stored, r).await?;
                }
            }
        }
        self.import_hotline(crate::Caller::System("demo"), &office, DEMO_HOTLINE_CSV.as_bytes(), "hotline-2026.csv")
            .await?;
        let cal = self.calendar().await?;
        let limits = self.interaction_limits(&office).await?;
        let mut tx = self.db.begin().await?;
        for (day, time, kind, summary, handling, result, follow_up) in demo_calls() {
            let due_on = follow_up.map(|_| cal.add_working_days(day, limits.call_follow_up_wd).date);
            calls::create(
                &mut tx,
                &Call {
                    id: 0,
                    agency_id: office.id,
                    called_on: day,
                    called_time: time.into(),
                    caller: "演示来电人".into(),
                    number_masked: "138****0000".into(),
                    kind: kind.into(),
                    summary: summary.into(),
                    handling: handling.into(),
                    result: result.into(),
                    due_on,
                    closed_on: match follow_up {
                        None => Some(day),
                        Some(closed) => closed,
                    },
                    recorded_by: "demo".into(),
                    created_at: gongkai_store::now(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(all.len())
    }
}
