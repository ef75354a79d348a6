//! The demo's application.

use super::*;

impl App {
    /// Demo data: the 2023 application of 义马市人民政府办公室 as its annual report tells it — one natural person,
    /// answered 予以公开 within the period. The applicant is anonymised and carries the example number of
    /// GB 11643 itself, so no real person's number is invented. Returns how many cases were created (0 when the
    /// office already has applications: loading is idempotent).
    pub(crate) async fn load_demo_applications(&self) -> Result<usize> {
        let agency = self.agency_by_code("yima-office").await?;
        if !store::list(&self.db, agency.id, &ListFilter::default()).await?.is_empty() {
            return Ok(0);
        }
        let form = ApplicationForm {
            applicant_type: "natural_person".into(),
            name: "张某".into(),
            id_type: "id_card".into(),
            id_number: "11010519491231002X".into(),
            email: "zhangmou@example.cn".into(),
            description: "义马市2023年老旧小区改造项目实施方案及资金安排文件".into(),
            delivery: "email".into(),
            ..Default::default()
        };
        let actor = Actor::System("demo".into());
        let c = check_form(&form)?;
        let done = self.intake(&agency, c, Channel::Online, date!(2023 - 03 - 06), None, &actor).await?;
        // 2023: 双方确认 on 3-7; reply due 4-4 (20 working days; 清明 on 4-5); answered on 3-28.
        let steps = [
            CaseEvent { date: date!(2023 - 03 - 07), kind: CaseEventKind::ReceiptConfirmed },
            CaseEvent {
                date: date!(2023 - 03 - 27),
                kind: CaseEventKind::Decided {
                    outcome: Outcome::Disclosed,
                    reasons: "所申请信息已主动公开，告知获取途径并提供电子文本".into(),
                },
            },
            CaseEvent { date: date!(2023 - 03 - 28), kind: CaseEventKind::ReplySent },
        ];
        let a = store::by_id(&self.db, agency.id, done.id).await?.ok_or(AppError::NotFound("申请"))?;
        for step in steps {
            let receipt = step.kind == CaseEventKind::ReceiptConfirmed;
            let date = step.date;
            let step = CaseStep { date, kind: step.kind, note: String::new() };
            self.apply_step(&agency, &a, step, &actor, date!(2023 - 12 - 31)).await?;
            // The 登记回执 goes out on the day of 双方确认 (the reply is sent by 送达答复).
            if receipt {
                self.send_demo_letter(&agency, &a, date, &actor).await?;
            }
        }
        Ok(1)
    }
}
