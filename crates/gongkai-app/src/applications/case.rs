//! One case: its steps (the state machine), the reply letter, revealing the full ID number, fee notices.

use super::*;

impl App {
    /// The 答复告知书 of a decided case as DOCX or PDF: the case's latest reply letter (a draft until the
    /// 送达答复 step sends it with the next 文号 of the agency's sequence).
    ///
    /// Replies sent before letters were stored have no letter: they are rendered from the log, with the
    /// number they always had — their position among the agency's replies of that year in the append-only log.
    /// The migration started each agency's sequence after those replies, so no number is given twice.
    pub async fn reply_letter(
        &self,
        p: &Principal,
        agency: &Agency,
        id: i64,
        format: crate::letters::LetterFormat,
    ) -> Result<crate::letters::LetterFile> {
        use gongkai_domain::application::letters::LetterKind;
        use gongkai_domain::calendar::format_date_zh;
        let v = self.case(p, agency, id).await?;
        // The reply as sent (the latest, i.e. a sent correction if there is one), else the draft.
        let replies: Vec<_> = gongkai_store::letters::of_application(&self.db, id)
            .await?
            .into_iter()
            .filter(|l| l.kind == LetterKind::Reply.as_str())
            .collect();
        let stored = replies.iter().rev().find(|l| l.is_sent()).or(replies.last());
        if let Some(l) = stored {
            return self.letter_file(p, agency, id, l.id, format).await;
        }
        let decided = v.events.iter().rev().find_map(|e| match &e.event.kind {
            CaseEventKind::Decided { outcome, reasons } => Some((*outcome, reasons.clone(), e.event.date)),
            _ => None,
        });
        let Some((outcome, reasons, decided_on)) = decided.filter(|_| v.outcome.is_some()) else {
            return Err(AppError::Invalid {
                field: None, message: "尚未作出答复决定，不能生成答复告知书".into()
            });
        };
        let last_decision = v.events.iter().rposition(|e| matches!(e.event.kind, CaseEventKind::Decided { .. }));
        let sent = v
            .events
            .iter()
            .enumerate()
            .rev()
            .find(|(i, e)| matches!(e.event.kind, CaseEventKind::ReplySent) && Some(*i) > last_decision)
            .map(|(_, e)| e);
        let doc_no = match sent {
            Some(s) => {
                let year = s.event.date.year();
                let replies: Vec<i64> = store::events_of_agency(&self.db, agency.id)
                    .await?
                    .into_iter()
                    .filter(|e| matches!(e.event.kind, CaseEventKind::ReplySent) && e.event.date.year() == year)
                    .map(|e| e.id)
                    .collect();
                let n = replies.iter().filter(|i| **i <= s.id).count();
                format!("{}依申请公开〔{year}〕{n}号", agency.name)
            }
            None => crate::letters::DRAFT_NO.to_owned(),
        };
        let reply = gongkai_report::letters::ReplyLetter {
            agency_name: agency.name.clone(),
            doc_no: doc_no.clone(),
            applicant_name: v.application.applicant_name.clone(),
            received_on: v.receipt_date.map(format_date_zh).unwrap_or_default(),
            description: v.application.description.clone(),
            outcome_label: outcome.letter_label_zh().to_owned(),
            legal_basis: outcome.legal_basis_zh().to_owned(),
            reasons,
            dated: format_date_zh(sent.map_or(decided_on, |s| s.event.date)),
        };
        let letter = gongkai_report::letters::Letter {
            title: "政府信息公开申请答复告知书".into(),
            doc_no,
            body: gongkai_report::letters::reply_paragraphs(&reply).join("\n"),
            agency_name: agency.name.clone(),
            dated: reply.dated.clone(),
        };
        Self::render_letter(&letter, &format!("reply-{}", v.application.tracking_code), format)
    }

    /// Shows the full identity number of a case's applicant; every viewing is written to the audit trail.
    pub async fn reveal_id_number(&self, p: &Principal, agency: &Agency, id: i64) -> Result<String> {
        p.require(agency.id, CASE_WORKERS)?;
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        let actor = p.actor();
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationRevealId,
                object_type: "application",
                object_id: a.id.to_string(),
                details: json!({"tracking_code": a.tracking_code}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(a.id_number)
    }

    /// Records one step of a case. Refused, with the reason, when the state machine or the statutory clock does
    /// not allow it (wrong stage, a date before the last event or after today, a 补正 outside its window …).
    pub async fn record_case_step(&self, p: &Principal, agency: &Agency, id: i64, step: CaseStep) -> Result<CaseView> {
        match &step.kind {
            CaseEventKind::ExtensionApproved { .. } => p.require(agency.id, EXTENSION_APPROVERS)?,
            _ => p.require(agency.id, CASE_WORKERS)?,
        }
        let refuse = |message: String| AppError::Invalid { field: None, message };
        match &step.kind {
            CaseEventKind::Submitted { .. } => return Err(refuse("提交申请不能由办理操作记录".into())),
            CaseEventKind::CorrectionRequested { items, .. } if items.trim().is_empty() => {
                return Err(AppError::Invalid {
                    field: Some("items"),
                    message: "补正告知须一次性列明需要补正的全部事项（条例第三十条）".into(),
                });
            }
            CaseEventKind::Decided { reasons, outcome }
                if reasons.trim().is_empty() && *outcome != Outcome::Disclosed =>
            {
                return Err(AppError::Invalid {
                    field: Some("reasons"),
                    message: "请写明答复的理由和依据（不予公开、部分公开等须说明理由）".into(),
                });
            }
            CaseEventKind::ReviewFiled { body, .. } if body.trim().is_empty() => {
                return Err(AppError::Invalid {
                    field: Some("body"), message: "请填写复议机关或人民法院".into()
                });
            }
            _ => {}
        }
        if let CaseEventKind::CustomDeadlineSet { reason, .. } = &step.kind
            && reason.trim().is_empty()
        {
            return Err(AppError::Invalid {
                field: Some("reasons"),
                message: "确定合理答复期限须写明理由（条例第三十五条）".into(),
            });
        }
        let a = store::by_id(&self.db, agency.id, id).await?.ok_or(AppError::NotFound("申请"))?;
        if step.kind == CaseEventKind::ReceiptConfirmed
            && a.channel == channel_code(Channel::PostPlain)
            && step.date != a.submitted_on
        {
            return Err(AppError::Invalid {
                field: Some("date"),
                message: format!(
                    "平常信函须在信件到达当日与申请人确认（条例第三十一条），确认日期应为{}",
                    gongkai_domain::calendar::format_date_zh(a.submitted_on)
                ),
            });
        }
        self.apply_step(agency, &a, step, &p.actor(), self.today()).await?;
        self.case(p, agency, id).await
    }

    /// Checks a step against the state machine and the clock and writes it, with the letters it produces and
    /// its audit event, in one transaction. No permission check: callers do that (or are the demo loader).
    pub(crate) async fn apply_step(
        &self,
        agency: &Agency,
        a: &Application,
        step: CaseStep,
        actor: &Actor,
        today: Date,
    ) -> Result<()> {
        let refuse = |message: String| AppError::Invalid { field: None, message };
        if step.date > today {
            return Err(refuse("日期不能晚于今天".into()));
        }
        let step = match step.kind {
            CaseEventKind::FeeNoticeDelivered { method, amount, reduction_reason, .. } => {
                let kind = self.fee_notice(a, method, amount, reduction_reason).await?;
                CaseStep { kind, ..step }
            }
            _ => step,
        };
        let records = store::events(&self.db, a.id).await?;
        let last_id = records.last().map_or(0, |e| e.id);
        let mut log: Vec<CaseEvent> = records.into_iter().map(|e| e.event).collect();
        if let Some(last) = log.last()
            && step.date < last.date
        {
            return Err(refuse(format!(
                "事项须按时间先后记录，日期不能早于上一事项（{}）",
                gongkai_domain::calendar::format_date_zh(last.date)
            )));
        }
        let mut state = replay(&log).map_err(|r| refuse(r.to_string()))?;
        let action = step.kind.action().ok_or_else(|| refuse("无效的办理操作".into()))?;
        state.apply(&action).map_err(|r| refuse(r.to_string()))?;
        log.push(CaseEvent { date: step.date, kind: step.kind.clone() });
        let clock_state =
            clock::compute(&self.case_calendar().await?, &clock_events(&log), today, &ClockConfig::default())
                .map_err(|e| refuse(format!("不能{}：{}", action.name_zh(), e.reason)))?;
        let mut tx = self.db.begin().await?;
        let event = log.last().cloned().unwrap_or(CaseEvent { date: step.date, kind: step.kind.clone() });
        let event_id = store::append_event(
            &mut tx,
            a.id,
            last_id,
            actor,
            &event,
            step.note.trim(),
            state.stage().as_str(),
            state.outcome.map(Outcome::as_str),
        )
        .await
        .map_err(|e| match e {
            gongkai_store::StoreError::Conflict(_) => AppError::Invalid {
                field: None,
                message: "本案件刚刚被他人更新，请刷新页面核对后重新操作".into(),
            },
            e => e.into(),
        })?;
        self.letters_for_step(&mut tx, agency, a, event_id, &event, &log, &clock_state, actor).await?;
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationStep,
                object_type: "application",
                object_id: a.id.to_string(),
                details: json!({"event": step.kind.code(), "date": step.date.to_string(),
                    "tracking_code": a.tracking_code}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    /// The fee of a 收费通知 by 109号. 按件 counts the applicant's applications in the calendar month of this one
    /// (to any agency of the platform, up to its submission day); 按量 uses the page count. The standard amount is
    /// always recorded; a lower amount charged needs a reduction/waiver reason (*configurable* practice).
    async fn fee_notice(
        &self,
        a: &Application,
        method: FeeMethod,
        amount: u64,
        reduction_reason: String,
    ) -> Result<CaseEventKind> {
        let method = match method {
            FeeMethod::PerApplication { .. } => {
                let n = store::count_in_month(&self.db, a.applicant_id, a.submitted_on).await?;
                FeeMethod::PerApplication { nth_in_month: u32::try_from(n).unwrap_or(u32::MAX) }
            }
            m => m,
        };
        let standard = method.amount();
        let reason = reduction_reason.trim().to_owned();
        let charged = if reason.is_empty() { standard } else { amount };
        let invalid = |field: &'static str, m: String| AppError::Invalid { field: Some(field), message: m };
        if charged > standard || (!reason.is_empty() && charged == standard) {
            return Err(invalid("reduced_amount", format!("减免后的金额应低于标准金额{standard}元")));
        }
        if standard == 0 {
            let why = match method {
                FeeMethod::PerApplication { nth_in_month } => {
                    format!("该申请人本月第{nth_in_month}件申请，按件计收每人每月前10件免费")
                }
                FeeMethod::PerPage { pages } => format!("共{pages}页，按量计收30页以内免费"),
            };
            return Err(invalid("fee_method", format!("{why}，无需发出收费通知（国办函〔2020〕109号）")));
        }
        Ok(CaseEventKind::FeeNoticeDelivered {
            method,
            standard_amount: standard,
            amount: charged,
            reduction_reason: reason,
        })
    }
}
