//! Receiving an application: the public form and JSON API (with attachments) and staff intake (条例 Art. 29–31).

use super::*;

impl App {
    /// A public submission through the online form or the JSON API (channel 互联网): the receipt date is fixed
    /// later by 双方确认 (条例 Art. 31).
    pub async fn submit_application(&self, agency_code: &str, form: &ApplicationForm) -> Result<Submitted> {
        self.submit_application_with_files(agency_code, form, Vec::new()).await
    }

    /// The online form with attachments. Every problem of the form and of the files is reported at once; files
    /// are written to the content-addressed store only when everything is acceptable.
    pub async fn submit_application_with_files(
        &self,
        agency_code: &str,
        form: &ApplicationForm,
        uploads: Vec<Upload>,
    ) -> Result<Submitted> {
        let agency = self.agency_by_code(agency_code).await?;
        let mut errors = match check_form(form) {
            Ok(_) => Vec::new(),
            Err(AppError::InvalidFields(e)) => e,
            Err(e) => return Err(e),
        };
        let uploads: Vec<Upload> = uploads.into_iter().filter(|u| !(u.name.is_empty() && u.bytes.is_empty())).collect();
        if uploads.len() > MAX_ATTACHMENTS {
            errors.push(("attachments", format!("附件最多{MAX_ATTACHMENTS}个")));
        }
        if !uploads.is_empty() && self.files.is_none() {
            errors.push(("attachments", "本平台暂未开放附件上传，请在申请内容中说明".into()));
        }
        let mut checked = Vec::new();
        for u in &uploads {
            match check_attachment(&u.name, &u.bytes) {
                Ok(media) => match crate::pdf_upload::check_pdf_upload(&u.name, media, &u.bytes) {
                    Ok(()) => checked.push((u, media)),
                    Err(e) => errors.push(("attachments", e)),
                },
                Err(e) => errors.push(("attachments", e.0)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let c = check_form(form)?;
        let mut attachments = Vec::new();
        for (u, media) in checked {
            let files = self.files.as_ref().ok_or_else(|| AppError::Internal("no file store".into()))?;
            let sha256 = files.put(&u.bytes).await?;
            attachments.push(Attachment {
                name: clean_file_name(&u.name),
                media_type: media.into(),
                size: u.bytes.len() as u64,
                sha256,
            });
        }
        let today = self.today();
        self.intake_with(&agency, c, Channel::Online, today, None, attachments, &Actor::System("applicant".into()))
            .await
    }

    /// The empty staff intake form (a natural person, ID card, paper delivery); case workers only.
    pub fn new_intake_form(&self, p: &Principal, agency: &Agency) -> Result<ApplicationForm> {
        p.require(agency.id, CASE_WORKERS)?;
        Ok(ApplicationForm {
            applicant_type: "natural_person".into(),
            id_type: "id_card".into(),
            delivery: "paper".into(),
            ..Default::default()
        })
    }

    /// Staff intake of an application that arrived 当面, by post, 平信, 传真 or e-mail (or was given orally and
    /// written down, 条例 Art. 29). `received_on` is the receipt date of Art. 31 when already known: required for
    /// signed post (the signing day), the submission day itself for 当面; for 平信, 传真 and e-mail it may be
    /// recorded later with the 确认收到 step.
    pub async fn register_application(
        &self,
        p: &Principal,
        agency: &Agency,
        form: &ApplicationForm,
        channel: Channel,
        submitted_on: Date,
        received_on: Option<Date>,
    ) -> Result<Submitted> {
        p.require(agency.id, CASE_WORKERS)?;
        let c = check_form(form)?;
        let field_err = |field: &'static str, m: &str| AppError::Invalid { field: Some(field), message: m.into() };
        let received_on = match channel {
            Channel::InPerson => {
                if received_on.is_some_and(|r| r != submitted_on) {
                    return Err(field_err("received_on", "当面提交的，以提交之日为收到申请之日"));
                }
                None
            }
            Channel::PostSigned if received_on.is_none() => {
                return Err(field_err("received_on", "邮寄需签收的，请填写签收日期（即收到申请之日）"));
            }
            // 平常信函: the receipt date is the day staff confirm with the applicant, and they must confirm on
            // the day the letter arrives (see docs/law/applications.md, Art. 31).
            Channel::PostPlain => match received_on {
                None => {
                    return Err(field_err(
                        "received_on",
                        "平常信函须在信件到达当日与申请人确认，请填写确认日期（即收到申请之日）",
                    ));
                }
                Some(r) if r != submitted_on => {
                    return Err(field_err(
                        "received_on",
                        &format!(
                            "平常信函须在信件到达当日与申请人确认（条例第三十一条），确认日期应为{}",
                            gongkai_domain::calendar::format_date_zh(submitted_on)
                        ),
                    ));
                }
                r => r,
            },
            _ => received_on,
        };
        let mut log =
            vec![CaseEvent { date: submitted_on, kind: CaseEventKind::Submitted { channel, attachments: vec![] } }];
        if let Some(r) = received_on {
            log.push(CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed });
        }
        clock::compute(&self.case_calendar().await?, &clock_events(&log), self.today(), &ClockConfig::default())
            .map_err(|e| field_err("received_on", &e.reason))?;
        let agency = agency.clone();
        self.intake(&agency, c, channel, submitted_on, received_on, &p.actor()).await
    }

    pub(crate) async fn intake(
        &self,
        agency: &Agency,
        c: Checked,
        channel: Channel,
        today: Date,
        received_on: Option<Date>,
        actor: &Actor,
    ) -> Result<Submitted> {
        self.intake_with(agency, c, channel, today, received_on, Vec::new(), actor).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn intake_with(
        &self,
        agency: &Agency,
        c: Checked,
        channel: Channel,
        today: Date,
        received_on: Option<Date>,
        attachments: Vec<Attachment>,
        actor: &Actor,
    ) -> Result<Submitted> {
        let password = QueryPassword::generate(random_bytes());
        let password_hash = self.hash_query_password(password.as_str()).await?;
        // When the receipt date is fixed at intake (当面, or post with the date given), the case's clock for its
        // 登记回执, computed before the transaction.
        let receipt_clock = if channel.receipt_on_submission() || received_on.is_some() {
            let mut log =
                vec![CaseEvent { date: today, kind: CaseEventKind::Submitted { channel, attachments: vec![] } }];
            if let Some(r) = received_on {
                log.push(CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed });
            }
            let now = self.today().max(received_on.unwrap_or(today)).max(today);
            let c = clock::compute(&self.case_calendar().await?, &clock_events(&log), now, &ClockConfig::default())
                .map_err(|e| AppError::Invalid { field: Some("received_on"), message: e.reason })?;
            Some(c)
        } else {
            None
        };
        let mut tx = self.db.begin().await?;
        let applicant_id = store::upsert_applicant(
            &mut tx,
            c.document.kind.as_str(),
            &c.document.number,
            &c.name,
            c.applicant_type.as_str(),
        )
        .await?;
        let state = CaseState::new(channel.receipt_on_submission());
        // A collision of 40 random bits is practically impossible; retry once anyway rather than fail the citizen.
        let mut attempt = 0;
        let (id, code) = loop {
            let code = TrackingCode::generate(today.year(), random_bytes());
            let new = NewApplication {
                agency_id: agency.id,
                tracking_code: code.as_str(),
                password_hash: &password_hash,
                channel: channel_code(channel),
                applicant_type: c.applicant_type.as_str(),
                applicant_name: &c.name,
                id_type: c.document.kind.as_str(),
                id_number: &c.document.number,
                phone: &c.phone,
                email: &c.email,
                address: &c.address,
                description: &c.description,
                delivery: c.delivery.as_str(),
                submitted_on: today,
                stage: state.stage().as_str(),
            };
            match store::create(&mut tx, applicant_id, &new).await {
                Ok(id) => break (id, code),
                Err(gongkai_store::StoreError::Conflict(_)) if attempt == 0 => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        };
        let mut state = state;
        let event = CaseEvent { date: today, kind: CaseEventKind::Submitted { channel, attachments } };
        let first = store::append_event(&mut tx, id, 0, actor, &event, "", state.stage().as_str(), None).await?;
        let mut receipt_event = first;
        if let Some(r) = received_on {
            state
                .apply(&gongkai_domain::application::Action::ConfirmReceipt)
                .map_err(|e| AppError::Invalid { field: Some("received_on"), message: e.to_string() })?;
            let event = CaseEvent { date: r, kind: CaseEventKind::ReceiptConfirmed };
            receipt_event =
                store::append_event(&mut tx, id, first, actor, &event, "", state.stage().as_str(), None).await?;
        }
        if let Some(clock) = &receipt_clock {
            self.receipt_at_intake(&mut tx, agency, id, receipt_event, clock, actor).await?;
        }
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor,
                agency_id: Some(agency.id),
                action: AuditAction::ApplicationSubmit,
                object_type: "application",
                object_id: id.to_string(),
                // Never the identity number in the audit trail: masked.
                details: json!({"tracking_code": code.as_str(), "channel": channel_code(channel),
                    "applicant_type": c.applicant_type.as_str(), "id": c.document.masked()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Submitted { id, tracking_code: code, query_password: password, agency_name: agency.name.clone() })
    }
}
