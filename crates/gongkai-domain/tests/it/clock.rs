//! The statutory clock: each rule of docs/law/applications.md, with expected dates worked out by hand from
//! holidays-cn.json (reasoning above each assertion).

use gongkai_domain::calendar::Calendar;
use gongkai_domain::clock::{
    Channel, ClockConfig, ClockError, ClockEvent, ClockState, ClockStatus, ClosureKind, compute,
};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

use ClockEvent as E;

fn cal() -> Calendar {
    Calendar::seeded()
}

fn run_at(events: &[ClockEvent], today: Date) -> Result<ClockState, ClockError> {
    compute(&cal(), events, today, &ClockConfig::default())
}

/// Far enough after every event used here.
const LATER: Date = date!(2026 - 06 - 30);

fn run(events: &[ClockEvent]) -> ClockState {
    run_at(events, LATER).unwrap()
}

fn reason(events: &[ClockEvent]) -> String {
    match run_at(events, LATER) {
        Ok(s) => panic!("expected an error, got {s:?}"),
        Err(e) => e.to_string(),
    }
}

fn in_person(d: Date) -> ClockEvent {
    E::Submitted { date: d, channel: Channel::InPerson }
}

/// Mon 2025-03-03, in person. No holiday in March 2025, so the reply deadline is the 20th weekday
/// after it: 03-04..07 (4), 03-10..14 (9), 03-17..21 (14), 03-24..28 (19), Mon 03-31 (20).
const R: Date = date!(2025 - 03 - 03);
const R_DUE: Date = date!(2025 - 03 - 31);

// ---------------------------------------------------------------------------------------------
// Receipt date per channel (Art. 31)

#[test]
fn receipt_in_person_is_the_submission_day() {
    let s = run(&[in_person(R)]);
    assert_eq!(s.receipt_date, Some(R));
    assert_eq!(s.reply_deadline.as_ref().unwrap().date, R_DUE);
    // Confirming on the same day is harmless; on another day it is an error.
    assert_eq!(run(&[in_person(R), E::ReceiptConfirmed { date: R }]).receipt_date, Some(R));
    let r = reason(&[in_person(R), E::ReceiptConfirmed { date: date!(2025 - 03 - 04) }]);
    assert!(r.contains("以提交之日为收到申请之日"), "{r}");
}

#[test]
fn receipt_by_post_and_online_is_the_confirmation_day() {
    for channel in [Channel::PostSigned, Channel::PostPlain, Channel::Online, Channel::Email, Channel::Fax] {
        let submitted = E::Submitted { date: date!(2025 - 02 - 28), channel };
        // Not yet signed for / confirmed: the clock has not started.
        let s = run(std::slice::from_ref(&submitted));
        assert_eq!(s.receipt_date, None, "{channel:?}");
        assert_eq!(s.reply_deadline, None);
        assert_eq!(s.status, ClockStatus::NotStarted);
        // Signed for / confirmed on Mon 03-03: the reply deadline counts from 03-03 → 03-31.
        let s = run(&[submitted.clone(), E::ReceiptConfirmed { date: R }]);
        assert_eq!(s.receipt_date, Some(R), "{channel:?}");
        assert_eq!(s.reply_deadline.unwrap().date, R_DUE);
        // Only once.
        let r = reason(&[submitted, E::ReceiptConfirmed { date: R }, E::ReceiptConfirmed { date: R }]);
        assert!(r.contains("不能重复确认"), "{r}");
        assert!(!channel.receipt_rule_zh().is_empty());
    }
    assert!(Channel::PostSigned.receipt_rule_zh().contains("签收之日"));
    assert!(Channel::Online.receipt_rule_zh().contains("双方确认之日"));
}

#[test]
fn worked_example_via_clock() {
    // docs/law/calendar.md: received Thu 2023-09-28 → due 2023-11-01.
    let s = run(&[in_person(date!(2023 - 09 - 28))]);
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2023 - 11 - 01));
    assert!(due.explanation.to_zh().contains("自2023年9月28日（收到申请之日）次日起算"));
    // 补正 notice window, 7 wd: 09-29..10-06 off; Sat 10-07, Sun 10-08 (调休, 1, 2); 10-09..13 (3..7).
    assert_eq!(s.correction_notice_deadline.unwrap().date, date!(2023 - 10 - 13));
}

// ---------------------------------------------------------------------------------------------
// 补正 (Art. 30)

/// Mon 2025-01-27 in person; 补正 window 7 wd → 2025-02-12 (docs/law/calendar.md).
const C: Date = date!(2025 - 01 - 27);

#[test]
fn correction_restarts_the_reply_period() {
    // Before any 补正: 01-28..02-04 off (春节); 02-05..07 (3); Sat 02-08 调休 (4); 02-10..14 (9),
    // 02-17..21 (14), 02-24..28 (19), Mon 03-03 (20).
    let s = run(&[in_person(C)]);
    assert_eq!(s.reply_deadline.unwrap().date, date!(2025 - 03 - 03));
    assert_eq!(s.correction_notice_deadline.unwrap().date, date!(2025 - 02 - 12));

    // 补正 notice on the last day of the window (02-12), 10 wd: 02-13, 14 (2), 02-17..21 (7),
    // 02-24, 25, 26 (10) → 2025-02-26.
    let asked = [in_person(C), E::CorrectionRequested { date: date!(2025 - 02 - 12), period_wd: 10 }];
    let s = run_at(&asked, date!(2025 - 02 - 14)).unwrap();
    assert_eq!(s.correction_deadline.as_ref().unwrap().date, date!(2025 - 02 - 26));
    // While the applicant corrects there is no reply deadline and the clock is suspended.
    assert_eq!(s.reply_deadline, None);
    assert!(matches!(&s.status, ClockStatus::Suspended { reason } if reason.contains("等待申请人补正")));

    // 补正 received Thu 02-20: 20 wd from then: 02-21 (1), 02-24..28 (6), 03-03..07 (11),
    // 03-10..14 (16), 03-17..20 (20) → 2025-03-20.
    let mut events = asked.to_vec();
    events.push(E::CorrectionReceived { date: date!(2025 - 02 - 20) });
    let s = run(&events);
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2025 - 03 - 20));
    assert_eq!(due.explanation.start, date!(2025 - 02 - 20));
    assert_eq!(due.explanation.restarts.len(), 1);
    let zh = due.explanation.to_zh();
    assert!(zh.contains("收到补正之日"), "{zh}");
    assert!(zh.contains("2025年2月20日 收到补正，答复期限自收到补正之日起重新计算"), "{zh}");
}

#[test]
fn correction_rules() {
    // Outside the 7-wd window (02-13 is the 8th working day after 01-27).
    let r = reason(&[in_person(C), E::CorrectionRequested { date: date!(2025 - 02 - 13), period_wd: 10 }]);
    assert!(r.contains("7个工作日内") && r.contains("2025年2月12日"), "{r}");
    // Only once.
    let req = E::CorrectionRequested { date: date!(2025 - 02 - 05), period_wd: 10 };
    let r = reason(&[in_person(C), req.clone(), E::CorrectionRequested { date: date!(2025 - 02 - 06), period_wd: 5 }]);
    assert!(r.contains("一次性"), "{r}");
    // A zero period is not a reasonable period.
    assert!(reason(&[in_person(C), E::CorrectionRequested { date: C, period_wd: 0 }]).contains("合理期限"));
    // From 02-05, 10 wd: 02-06, 07 (2), Sat 02-08 调休 (3), 02-10..14 (8), 02-17, 18 (10) → 02-18.
    let s = run(&[in_person(C), req.clone()]);
    assert_eq!(s.correction_deadline.unwrap().date, date!(2025 - 02 - 18));
    // 补正 after 02-18 is too late; recording 逾期未补正 on 02-18 is too early.
    let r = reason(&[in_person(C), req.clone(), E::CorrectionReceived { date: date!(2025 - 02 - 19) }]);
    assert!(r.contains("视为放弃"), "{r}");
    let r = reason(&[in_person(C), req.clone(), E::CorrectionExpired { date: date!(2025 - 02 - 18) }]);
    assert!(r.contains("尚未届满"), "{r}");
    // 逾期未补正 on 02-19 closes the application; no reply deadline remains.
    let s = run(&[in_person(C), req.clone(), E::CorrectionExpired { date: date!(2025 - 02 - 19) }]);
    assert_eq!(s.status, ClockStatus::Closed);
    assert_eq!(s.closed.unwrap().kind, ClosureKind::CorrectionExpired);
    assert_eq!(s.reply_deadline, None);
    // Past the period but not yet recorded: still suspended, with a prompt.
    let s = run_at(&[in_person(C), req.clone()], date!(2025 - 02 - 19)).unwrap();
    assert!(matches!(&s.status, ClockStatus::Suspended { reason } if reason.contains("应记录逾期未补正")));
    // No consultation while waiting for the 补正.
    let r = reason(&[in_person(C), req, E::ThirdPartyConsultationStarted { date: date!(2025 - 02 - 06) }]);
    assert!(r.contains("等待申请人补正"), "{r}");
    // 补正 received without a notice.
    assert!(reason(&[in_person(C), E::CorrectionReceived { date: C }]).contains("没有待补正"));
}

// ---------------------------------------------------------------------------------------------
// Consultations (Art. 32, 34): not counted

#[test]
fn third_party_consultation_pauses_the_clock() {
    // Started Mon 03-10 (still counted), answered Fri 03-14: 03-11..14 = 4 wd not counted.
    // 03-31 + 4 wd: 04-01, 02, 03 (3); 04-04..06 off (清明节); Mon 04-07 (4) → 2025-04-07.
    let events = [
        in_person(R),
        E::ThirdPartyConsultationStarted { date: date!(2025 - 03 - 10) },
        E::ThirdPartyConsultationAnswered { date: date!(2025 - 03 - 14) },
    ];
    let s = run(&events);
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2025 - 04 - 07));
    assert_eq!(due.explanation.pauses.len(), 1);
    assert_eq!(due.explanation.pauses[0].working_days, 4);
    let zh = due.explanation.to_zh();
    assert!(zh.contains("暂停：征求第三方意见"), "{zh}");
    assert!(zh.contains("自2025年3月10日次日起至2025年3月14日，其间4个工作日不计入"), "{zh}");
    assert!(zh.contains("2025年4月4日至4月6日 清明节"), "{zh}");
    // The third party's window, 15 wd from 03-10: 03-11..14 (4), 03-17..21 (9), 03-24..28 (14),
    // 03-31 (15).
    assert_eq!(s.consultation_deadline.unwrap().date, date!(2025 - 03 - 31));
    // On LATER (2026-06-30) the case is long past 2025-04-07 and still open.
    assert!(matches!(s.status, ClockStatus::Overdue { .. }), "{:?}", s.status);
}

#[test]
fn consultation_in_progress_suspends_and_assumes_the_full_window() {
    let events = [in_person(R), E::ThirdPartyConsultationStarted { date: date!(2025 - 03 - 10) }];
    let s = run_at(&events, date!(2025 - 03 - 12)).unwrap();
    assert!(matches!(&s.status, ClockStatus::Suspended { reason } if reason.contains("征求第三方意见中")));
    // Unanswered: paused through the window's end 03-31 (15 wd). Counted: 03-04..07 (4), 03-10 (5);
    // then 04-01..03 (8), 04-04..06 off (清明节), 04-07..11 (13), 04-14..18 (18), 04-21, 22 (20).
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2025 - 04 - 22));
    assert!(due.explanation.pauses[0].ongoing);
    assert!(due.explanation.to_zh().contains("尚未结束（至迟至2025年3月31日）"));
    // After the window (no answer, silence): the clock runs again, same deadline.
    let s = run_at(&events, date!(2025 - 04 - 01)).unwrap();
    assert_eq!(s.reply_deadline.unwrap().date, date!(2025 - 04 - 22));
    assert_eq!(s.status, ClockStatus::Running);
    // A late answer (04-02) does not extend the pause beyond the window.
    let mut late = events.to_vec();
    late.push(E::ThirdPartyConsultationAnswered { date: date!(2025 - 04 - 02) });
    assert_eq!(run(&late).reply_deadline.unwrap().date, date!(2025 - 04 - 22));
}

#[test]
fn agency_consultation_pauses_and_overlaps_count_once() {
    // Other agency 03-12 → answered Wed 03-19: 03-13, 14, 17, 18, 19 = 5 wd.
    // 03-31 + 5: 04-01..03 (3), 04-07, 08 (5) → 2025-04-08.
    let s = run(&[
        in_person(R),
        E::AgencyConsultationStarted { date: date!(2025 - 03 - 12) },
        E::AgencyConsultationAnswered { date: date!(2025 - 03 - 19) },
    ]);
    assert_eq!(s.reply_deadline.unwrap().date, date!(2025 - 04 - 08));
    // Together with the third party 03-10..14: union 03-11..14, 17..19 = 7 wd;
    // 03-31 + 7: 04-01..03 (3), 04-07..10 (7) → 2025-04-10.
    let s = run(&[
        in_person(R),
        E::ThirdPartyConsultationStarted { date: date!(2025 - 03 - 10) },
        E::AgencyConsultationStarted { date: date!(2025 - 03 - 12) },
        E::ThirdPartyConsultationAnswered { date: date!(2025 - 03 - 14) },
        E::AgencyConsultationAnswered { date: date!(2025 - 03 - 19) },
    ]);
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2025 - 04 - 10));
    assert_eq!(due.explanation.pauses.len(), 2);
    // Each pause keeps its own count (4 and 5), the union is 7.
    assert_eq!(due.explanation.pauses[0].working_days, 4);
    assert_eq!(due.explanation.pauses[1].working_days, 5);
    assert_eq!(due.explanation.paused_working_days, 7);
    assert!(due.explanation.to_zh().contains("合计7个工作日不计入"));
}

#[test]
fn consultation_rules() {
    // Answer without a start; a second open consultation of the same kind.
    assert!(reason(&[in_person(R), E::ThirdPartyConsultationAnswered { date: R }]).contains("没有尚未答复"));
    assert!(
        reason(&[
            in_person(R),
            E::AgencyConsultationStarted { date: R },
            E::AgencyConsultationAnswered { date: R },
            E::AgencyConsultationAnswered { date: R }
        ])
        .contains("没有尚未答复")
    );
    let r = reason(&[
        in_person(R),
        E::ThirdPartyConsultationStarted { date: R },
        E::ThirdPartyConsultationStarted { date: date!(2025 - 03 - 05) },
    ]);
    assert!(r.contains("尚未结束"), "{r}");
    // A consultation started after the deadline cannot revive it.
    let s = run(&[
        in_person(R),
        E::ThirdPartyConsultationStarted { date: date!(2025 - 04 - 01) },
        E::ThirdPartyConsultationAnswered { date: date!(2025 - 04 - 03) },
    ]);
    assert_eq!(s.reply_deadline.unwrap().date, R_DUE);
}

// ---------------------------------------------------------------------------------------------
// Fees (109号)

#[test]
fn fee_window_and_pause() {
    // Notice received Wed 03-05; 20 wd from the day after: 03-06, 07 (2), 03-10..14 (7),
    // 03-17..21 (12), 03-24..28 (17), 03-31 (18), 04-01, 02 (20) → 2025-04-02.
    let notice = [in_person(R), E::FeeNoticeDelivered { date: date!(2025 - 03 - 05) }];
    let s = run_at(&notice, date!(2025 - 03 - 10)).unwrap();
    assert_eq!(s.fee_payment_deadline.as_ref().unwrap().date, date!(2025 - 04 - 02));
    assert!(matches!(&s.status, ClockStatus::Suspended { reason } if reason.contains("信息处理费")));

    // Paid Fri 03-07: 03-06, 07 not counted (2 wd); 03-31 + 2 → 04-01, 04-02.
    let mut paid = notice.to_vec();
    paid.push(E::FeePaid { date: date!(2025 - 03 - 07) });
    let s = run(&paid);
    assert_eq!(s.reply_deadline.unwrap().date, date!(2025 - 04 - 02));
    // Configured not to pause: the plain deadline 03-31.
    let cfg = ClockConfig { fee_pauses_clock: false, ..ClockConfig::default() };
    let s = compute(&cal(), &paid, LATER, &cfg).unwrap();
    assert_eq!(s.reply_deadline.unwrap().date, R_DUE);

    // Paying on 04-03 is too late; 逾期未缴费 on 04-02 too early, on 04-03 closes.
    let mut late = notice.to_vec();
    late.push(E::FeePaid { date: date!(2025 - 04 - 03) });
    assert!(reason(&late).contains("缴费期限已于2025年4月2日届满"));
    let mut early = notice.to_vec();
    early.push(E::FeeExpired { date: date!(2025 - 04 - 02) });
    assert!(reason(&early).contains("尚未届满"));
    let mut expired = notice.to_vec();
    expired.push(E::FeeExpired { date: date!(2025 - 04 - 03) });
    let s = run(&expired);
    assert_eq!(s.status, ClockStatus::Closed);
    assert_eq!(s.closed.unwrap().kind, ClosureKind::FeeExpired);
    // One notice only.
    let mut twice = notice.to_vec();
    twice.push(E::FeeNoticeDelivered { date: date!(2025 - 03 - 06) });
    assert!(reason(&twice).contains("只能发出一次"));
}

// ---------------------------------------------------------------------------------------------
// Extension (Art. 33¶2) and Art. 35

fn extension(days_wd: u32) -> ClockEvent {
    E::ExtensionApproved { date: date!(2025 - 03 - 28), days_wd, approver: "张主任".into() }
}

#[test]
fn extension_cap_and_date() {
    // 20 wd allowed: 03-31 + 20 → 04-01..03 (3), 04-04..06 off (清明节), 04-07..11 (8),
    // 04-14..18 (13), 04-21..25 (18), Sun 04-27 调休 (19), Mon 04-28 (20) → 2025-04-28.
    let s = run(&[in_person(R), extension(20)]);
    assert_eq!(s.reply_deadline.as_ref().unwrap().date, R_DUE);
    let ext = s.extended_deadline.unwrap();
    assert_eq!(ext.date, date!(2025 - 04 - 28));
    assert_eq!(ext.date, cal().add_working_days(R_DUE, 20).date);
    assert_eq!(ext.explanation.adjusted_workdays, vec![date!(2025 - 04 - 27)]);
    assert!(ext.explanation.to_zh().contains("经张主任同意"));
    assert_eq!(s.effective_deadline, Some(date!(2025 - 04 - 28)));
    // 5 wd: 04-01..03 (3), 04-07, 08 (5).
    assert_eq!(run(&[in_person(R), extension(5)]).extended_deadline.unwrap().date, date!(2025 - 04 - 08));

    // 21 wd is over the cap; 0 is meaningless; twice is not allowed; an approver is required.
    let r = reason(&[in_person(R), extension(21)]);
    assert!(r.contains("不得超过20个工作日"), "{r}");
    assert!(reason(&[in_person(R), extension(0)]).contains("不得超过"));
    assert!(reason(&[in_person(R), extension(5), extension(5)]).contains("只能延长一次"));
    let anon = E::ExtensionApproved { date: date!(2025 - 03 - 28), days_wd: 5, approver: " ".into() };
    assert!(reason(&[in_person(R), anon]).contains("负责人同意"));
    // After the deadline (04-01 > 03-31) it is too late.
    let late = E::ExtensionApproved { date: date!(2025 - 04 - 01), days_wd: 5, approver: "张主任".into() };
    assert!(reason(&[in_person(R), late]).contains("已于2025年3月31日届满"));
    // A configured lower cap.
    let cfg = ClockConfig { max_extension_wd: 10, ..ClockConfig::default() };
    assert!(compute(&cal(), &[in_person(R), extension(11)], LATER, &cfg).is_err());
}

#[test]
fn custom_deadline_art_35() {
    let set = E::CustomDeadlineSet {
        date: date!(2025 - 03 - 20),
        deadline: date!(2025 - 05 - 30),
        reason: "申请数量明显超过合理范围，经说明理由后确定".into(),
    };
    let s = run_at(&[in_person(R), set], date!(2025 - 04 - 15)).unwrap();
    assert_eq!(s.custom_deadline.as_ref().unwrap().0, date!(2025 - 05 - 30));
    assert_eq!(s.effective_deadline, Some(date!(2025 - 05 - 30)));
    // 04-15 is past the statutory 03-31 but the Art. 35 deadline governs: not overdue.
    assert_eq!(s.status, ClockStatus::Running);
    // It must be later than the statutory deadline and have a reason.
    let short = E::CustomDeadlineSet { date: date!(2025 - 03 - 20), deadline: R_DUE, reason: "x".into() };
    assert!(reason(&[in_person(R), short]).contains("应晚于法定答复期限（2025年3月31日）"));
    let bare = E::CustomDeadlineSet { date: date!(2025 - 03 - 20), deadline: date!(2025 - 05 - 30), reason: "".into() };
    assert!(reason(&[in_person(R), bare]).contains("理由"));
}

// ---------------------------------------------------------------------------------------------
// Status on a given day

#[test]
fn status_running_due_soon_overdue() {
    let ev = [in_person(R)];
    // 03-21: 03-24..28, 03-31 left = 6 > 5.
    assert_eq!(run_at(&ev, date!(2025 - 03 - 21)).unwrap().status, ClockStatus::Running);
    // 03-24: 03-25..28, 03-31 left = 5.
    assert_eq!(run_at(&ev, date!(2025 - 03 - 24)).unwrap().status, ClockStatus::DueSoon { working_days_left: 5 });
    // Sat 03-29 and Mon 03-31 (the last day): 1 and 0 left.
    assert_eq!(run_at(&ev, date!(2025 - 03 - 29)).unwrap().status, ClockStatus::DueSoon { working_days_left: 1 });
    assert_eq!(run_at(&ev, R_DUE).unwrap().status, ClockStatus::DueSoon { working_days_left: 0 });
    // 04-01: one working day over. Sat 04-05 (清明节): 04-01..03 = 3. Mon 04-07: 4.
    assert_eq!(run_at(&ev, date!(2025 - 04 - 01)).unwrap().status, ClockStatus::Overdue { working_days_over: 1 });
    assert_eq!(run_at(&ev, date!(2025 - 04 - 05)).unwrap().status, ClockStatus::Overdue { working_days_over: 3 });
    assert_eq!(run_at(&ev, date!(2025 - 04 - 07)).unwrap().status, ClockStatus::Overdue { working_days_over: 4 });
    // A larger due-soon window.
    let cfg = ClockConfig { due_soon_wd: 6, ..ClockConfig::default() };
    let s = compute(&cal(), &ev, date!(2025 - 03 - 21), &cfg).unwrap();
    assert_eq!(s.status, ClockStatus::DueSoon { working_days_left: 6 });
    // With the 20-wd extension (due 04-28), on 04-01: 04-02, 03, 07..11, 14..18, 21..25, 27, 28 = 19.
    let s = run_at(&[in_person(R), extension(20)], date!(2025 - 04 - 01)).unwrap();
    assert_eq!(s.status, ClockStatus::Running);
    // Replied closes.
    let s = run(&[in_person(R), E::Replied { date: date!(2025 - 03 - 20) }]);
    assert_eq!(s.status, ClockStatus::Closed);
    assert_eq!(s.closed.unwrap().kind, ClosureKind::Replied);
    assert_eq!(s.reply_deadline.unwrap().date, R_DUE, "deadlines stay visible after closing");
    // Nothing submitted.
    assert_eq!(run(&[]).status, ClockStatus::NotStarted);
}

#[test]
fn replied_on_the_spot_and_withdrawn() {
    let s = run(&[in_person(R), E::RepliedOnTheSpot { date: R }]);
    assert_eq!(s.closed.unwrap().kind, ClosureKind::RepliedOnTheSpot);
    assert!(reason(&[in_person(R), E::RepliedOnTheSpot { date: date!(2025 - 03 - 04) }]).contains("当场答复"));
    // Withdrawal is possible before receipt is confirmed.
    let s = run(&[E::Submitted { date: R, channel: Channel::Online }, E::Withdrawn { date: date!(2025 - 03 - 04) }]);
    assert_eq!(s.closed.unwrap().kind, ClosureKind::Withdrawn);
}

#[test]
fn illegal_sequences_are_errors() {
    // Nothing before submission.
    let e = run_at(&[E::Replied { date: R }], LATER).unwrap_err();
    assert_eq!(e.index, 0);
    assert!(e.to_string().contains("须先记录提交申请"), "{e}");
    // Submitted twice.
    assert!(reason(&[in_person(R), in_person(R)]).contains("重复"));
    // Out of order.
    let e = run_at(&[in_person(R), E::Replied { date: date!(2025 - 03 - 02) }], LATER).unwrap_err();
    assert_eq!(e.index, 1);
    assert!(e.to_string().starts_with("第2项事件（答复，2025年3月2日）不合规"), "{e}");
    // In the future.
    assert!(run_at(&[in_person(R)], date!(2025 - 03 - 02)).unwrap_err().to_string().contains("晚于今天"));
    // After closing.
    let r = reason(&[in_person(R), E::Replied { date: R }, E::FeeNoticeDelivered { date: R }]);
    assert!(r.contains("已于2025年3月3日办结"), "{r}");
    // Handling before receipt is confirmed.
    let r =
        reason(&[E::Submitted { date: R, channel: Channel::PostSigned }, E::ThirdPartyConsultationStarted { date: R }]);
    assert!(r.contains("尚未确认收到申请"), "{r}");
    // Confirmation without submission.
    assert!(reason(&[E::ReceiptConfirmed { date: R }]).contains("须先记录提交申请"));
}

#[test]
fn provisional_in_2026_december() {
    // Tue 2026-12-01 + 20 wd: 12-02..04 (3), 12-07..11 (8), 12-14..18 (13), 12-21..25 (18), 12-28, 29
    // (20) → 12-29, a day the (unloaded) 2027 notice may still change: provisional.
    let s = run_at(&[in_person(date!(2026 - 12 - 01))], date!(2026 - 12 - 01)).unwrap();
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2026 - 12 - 29));
    assert!(due.is_provisional());
    assert!(due.explanation.to_zh().contains("临时（未载入2027年放假安排）"));
}

#[test]
fn received_2026_12_04_is_not_due_on_new_years_day() {
    // Fri 2026-12-04 + 20 wd (2027 notice not loaded): 12-07..11 (5), 12-14..18 (10), 12-21..25 (15),
    // 12-28..31 (19); Fri 2027-01-01 is 元旦 (fixed date of the 办法) and Jan 2–3 a weekend → Mon 2027-01-04 (20).
    let s = run_at(&[in_person(date!(2026 - 12 - 04))], date!(2026 - 12 - 04)).unwrap();
    let due = s.reply_deadline.unwrap();
    assert_eq!(due.date, date!(2027 - 01 - 04));
    assert!(due.is_provisional());
    assert_eq!(due.explanation.provisional_years, vec![2027]);
    let zh = due.explanation.to_zh();
    assert!(zh.contains("2027年1月1日 元旦") && zh.contains("临时（未载入2027年放假安排）"), "{zh}");
}

#[test]
fn events_serialize_with_readable_dates() {
    let ev = vec![
        in_person(R),
        extension(20),
        E::CustomDeadlineSet { date: R, deadline: date!(2025 - 05 - 30), reason: "r".into() },
    ];
    let json = serde_json::to_string(&ev).unwrap();
    assert!(json.contains(r#""type":"submitted","date":"2025-03-03","channel":"in_person""#), "{json}");
    let back: Vec<ClockEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ev);
}

// ---------------------------------------------------------------------------------------------
// Properties

fn any_date(from: Date, to: Date) -> impl Strategy<Value = Date> {
    (from.to_julian_day()..=to.to_julian_day()).prop_map(|j| Date::from_julian_day(j).unwrap())
}

fn arb_event() -> impl Strategy<Value = (u8, i64, u32)> {
    (0u8..17, 0i64..40, 0u32..30)
}

fn build(base: Date, raw: &[(u8, i64, u32)]) -> Vec<ClockEvent> {
    let mut d = base;
    let mut out = Vec::new();
    for (i, &(k, step, p)) in raw.iter().enumerate() {
        d = d.checked_add(time::Duration::days(step)).unwrap_or(d);
        // Mostly start legally, so that later events get exercised.
        let k = if i == 0 && p % 5 != 0 { 0 } else { k };
        let ev = match k {
            0 => E::Submitted {
                date: d,
                channel: [Channel::InPerson, Channel::Online, Channel::PostSigned][(p % 3) as usize],
            },
            1 => E::ReceiptConfirmed { date: d },
            2 => E::CorrectionRequested { date: d, period_wd: p },
            3 => E::CorrectionReceived { date: d },
            4 => E::CorrectionExpired { date: d },
            5 => E::ThirdPartyConsultationStarted { date: d },
            6 => E::ThirdPartyConsultationAnswered { date: d },
            7 => E::AgencyConsultationStarted { date: d },
            8 => E::AgencyConsultationAnswered { date: d },
            9 => E::FeeNoticeDelivered { date: d },
            10 => E::FeePaid { date: d },
            11 => E::FeeExpired { date: d },
            12 => E::ExtensionApproved { date: d, days_wd: p, approver: "甲".into() },
            13 => E::CustomDeadlineSet {
                date: d,
                deadline: d.checked_add(time::Duration::days(i64::from(p) * 3)).unwrap_or(d),
                reason: "乙".into(),
            },
            14 => E::RepliedOnTheSpot { date: d },
            15 => E::Replied { date: d },
            _ => E::Withdrawn { date: d },
        };
        out.push(ev);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A consultation that pauses k working days before the deadline moves it by exactly k.
    #[test]
    fn suspension_moves_deadline_by_k(
        receipt in any_date(date!(2023 - 01 - 01), date!(2026 - 06 - 30)),
        start_after in 0i64..45,
        k in 0u32..=15,
        agency in any::<bool>(),
    ) {
        let c = cal();
        let today = date!(2026 - 12 - 31);
        let cfg = ClockConfig::default();
        let base = compute(&c, &[in_person(receipt)], today, &cfg).unwrap().reply_deadline.unwrap();
        let start = receipt.checked_add(time::Duration::days(start_after)).unwrap();
        let answer = c.add_working_days(start, k).date;
        prop_assert_eq!(c.count_working_days(start, answer), k);
        let events = if agency {
            vec![in_person(receipt), E::AgencyConsultationStarted { date: start }, E::AgencyConsultationAnswered { date: answer }]
        } else {
            vec![in_person(receipt), E::ThirdPartyConsultationStarted { date: start }, E::ThirdPartyConsultationAnswered { date: answer }]
        };
        let moved = compute(&c, &events, today, &cfg).unwrap().reply_deadline.unwrap();
        if start < base.date {
            prop_assert_eq!(c.count_working_days(base.date, moved.date), k);
            prop_assert_eq!(moved.explanation.paused_working_days, k);
            prop_assert!(moved.date >= base.date);
            prop_assert!(c.is_working_day(moved.date));
        } else {
            prop_assert_eq!(moved.date, base.date);
        }
    }

    /// Any sequence of events on any dates 1900–2200: a result or an error, never a panic.
    #[test]
    fn compute_never_panics(
        base in any_date(date!(1900 - 01 - 01), date!(2200 - 12 - 31)),
        raw in proptest::collection::vec(arb_event(), 0..12),
        today_after in 0i64..2000,
    ) {
        let events = build(base, &raw);
        let today = base.checked_add(time::Duration::days(today_after)).unwrap();
        if let Ok(s) = compute(&cal(), &events, today, &ClockConfig::default()) {
            prop_assert_eq!(s.status == ClockStatus::Closed, s.closed.is_some());
            for due in [&s.reply_deadline, &s.extended_deadline, &s.correction_deadline, &s.fee_payment_deadline]
                .into_iter()
                .flatten()
            {
                let _ = due.explanation.to_zh();
            }
        }
    }

    /// Sequences that start legally: the reply deadline is a working day at least reply_wd after receipt.
    #[test]
    fn reply_deadline_is_a_working_day(
        receipt in any_date(date!(1900 - 01 - 01), date!(2200 - 12 - 31)),
    ) {
        let c = cal();
        let s = compute(&c, &[in_person(receipt)], receipt, &ClockConfig::default()).unwrap();
        let due = s.reply_deadline.unwrap();
        prop_assert!(c.is_working_day(due.date));
        prop_assert_eq!(c.count_working_days(receipt, due.date), 20);
        prop_assert!(s.effective_deadline == Some(due.date));
    }
}
