use super::*;
use crate::application::FeeMethod;
use crate::clock::Channel;
use time::macros::date;

fn ev(date: Date, kind: CaseEventKind) -> CaseEvent {
    CaseEvent { date, kind }
}

fn submitted(date: Date, channel: Channel) -> CaseEvent {
    ev(date, CaseEventKind::Submitted { channel, attachments: Vec::new() })
}

fn decided(date: Date, outcome: Outcome) -> CaseEvent {
    ev(date, CaseEventKind::Decided { outcome, reasons: String::new() })
}

fn fee_notice(date: Date, amount: u64) -> CaseEvent {
    ev(
        date,
        CaseEventKind::FeeNoticeDelivered {
            method: FeeMethod::PerPage { pages: 300 },
            standard_amount: amount,
            amount,
            reduction_reason: String::new(),
        },
    )
}

#[test]
fn figures_are_checked_and_kept_in_canonical_form() {
    let count = figure_def("hotline_orders").unwrap();
    let amount = figure_def("行政事业性收费").unwrap();
    assert_eq!(count.key, "hotline_orders");
    assert_eq!(amount.key, "admin_fees");
    assert_eq!(parse_figure(count, " 3,100 ").as_deref(), Ok("3100"));
    assert_eq!(parse_figure(count, "007").as_deref(), Ok("7"));
    assert_eq!(parse_figure(count, "0").as_deref(), Ok("0"));
    assert_eq!(parse_figure(amount, "1.2500").as_deref(), Ok("1.25"));
    assert_eq!(parse_figure(amount, "12.0").as_deref(), Ok("12"));
    assert_eq!(parse_figure(count, "4294967295").as_deref(), Ok("4294967295"));
    for bad in ["", "-1", "1.5", "一百", "1e3", "4294967296", "99999999999999999"] {
        assert!(parse_figure(count, bad).is_err(), "{bad}");
    }
    for bad in ["-0.5", "1.23456", ".5", "1.", "abc"] {
        assert!(parse_figure(amount, bad).is_err(), "{bad}");
    }
    assert!(figure_def("unknown").is_none());
}

#[test]
fn placeholders_are_filled_and_unknown_braces_left_alone() {
    let mut v = BTreeMap::new();
    v.insert("收到申请", "12".to_string());
    v.insert("年份", "2025".to_string());
    assert_eq!(
        fill_placeholders("{年份}年收到申请{收到申请}件，{未知}与{不完整", &v),
        "2025年收到申请12件，{未知}与{不完整"
    );
    assert_eq!(fill_placeholders("{{收到申请}}", &v), "{12}");
}

#[test]
fn rollup_sum_of_too_large_counts_is_blank_not_wrapped() {
    let mut sum = AnnualReport::default();
    sum.t2.licensing = Some(u32::MAX);
    sum.t2.penalty = Some(2);
    let mut r = AnnualReport::default();
    r.t2.licensing = Some(1);
    r.t2.penalty = Some(3);
    add_tables(&mut sum, &r);
    assert_eq!(sum.t2.licensing, None);
    assert_eq!(sum.t2.penalty, Some(5));
}

#[test]
fn deadlines_follow_the_law_and_may_only_come_earlier() {
    let law = ReportDeadlines::default();
    assert_eq!(law.for_report(AgencyKind::Department, 2023), date!(2024 - 01 - 31));
    assert_eq!(law.for_report(AgencyKind::Government, 2023), date!(2024 - 03 - 31));
    assert!(ReportDeadlines::parse("02-01", "03-31").is_err());
    assert!(ReportDeadlines::parse("01-31", "04-01").is_err());
    assert!(ReportDeadlines::parse("01-32", "03-31").is_err());
    let local = ReportDeadlines::parse("01-15", " 03-20 ").unwrap();
    assert_eq!(local.for_report(AgencyKind::Department, 2023), date!(2024 - 01 - 15));
    assert_eq!(local.for_report(AgencyKind::Government, 2023), date!(2024 - 03 - 20));
}

#[test]
fn an_online_application_is_received_on_submission_and_counted_under_its_first_answer() {
    let events = [
        submitted(date!(2023 - 12 - 20), Channel::Online),
        decided(date!(2024 - 01 - 10), Outcome::Disclosed),
        decided(date!(2024 - 02 - 10), Outcome::PartlyDisclosed),
    ];
    let f = case_facts("business", date!(2023 - 12 - 20), &events);
    assert_eq!(f.column, ApplicantColumn::Business);
    assert_eq!(f.received, Some(date!(2023 - 12 - 20)));
    assert_eq!(f.answered, Some((date!(2024 - 01 - 10), Outcome::Disclosed)));

    // 2023: new and carried out. 2024: carried in and answered (予以公开), once.
    let t = table3(std::slice::from_ref(&f), 2023);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::Business), Some(1));
    assert_eq!(t.get(T3Row::CarriedOut, ApplicantColumn::Total), Some(1));
    assert_eq!(t.get(T3Row::Total, ApplicantColumn::Total), Some(0));
    let t = table3(std::slice::from_ref(&f), 2024);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::Total), Some(0));
    assert_eq!(t.get(T3Row::CarriedIn, ApplicantColumn::Business), Some(1));
    assert_eq!(t.get(T3Row::Disclosed, ApplicantColumn::Total), Some(1));
    assert_eq!(t.get(T3Row::PartlyDisclosed, ApplicantColumn::Total), Some(0));
    assert_eq!(t.get(T3Row::Total, ApplicantColumn::Total), Some(1));
}

#[test]
fn a_posted_application_never_received_is_not_counted() {
    let f =
        case_facts("natural_person", date!(2023 - 03 - 01), &[submitted(date!(2023 - 03 - 01), Channel::PostPlain)]);
    assert_eq!(f.received, None);
    assert_eq!(table3(&[f], 2023).get(T3Row::New, ApplicantColumn::Total), Some(0));
}

#[test]
fn table_four_counts_reviews_open_in_the_year_by_their_result_in_it() {
    let events = [
        submitted(date!(2022 - 05 - 01), Channel::Online),
        decided(date!(2022 - 05 - 20), Outcome::Disclosed),
        ev(
            date!(2022 - 11 - 01),
            CaseEventKind::ReviewFiled { kind: ReviewKind::AdministrativeReview, body: String::new() },
        ),
        ev(
            date!(2023 - 02 - 01),
            CaseEventKind::ReviewDecided { kind: ReviewKind::AdministrativeReview, result: ReviewResult::Upheld },
        ),
    ];
    let f = case_facts("natural_person", date!(2022 - 05 - 01), &events);
    let t22 = table4(std::slice::from_ref(&f), 2022);
    assert_eq!(t22.get(T4Group::Review, T4Column::Pending), Some(1), "尚未审结 at the end of 2022");
    let t23 = table4(std::slice::from_ref(&f), 2023);
    assert_eq!(t23.get(T4Group::Review, T4Column::Upheld), Some(1));
    assert_eq!(t23.get(T4Group::Review, T4Column::Total), Some(1));
    let t24 = table4(&[f], 2024);
    assert_eq!(t24.get(T4Group::Review, T4Column::Total), Some(0), "decided before 2024: not counted");
}

#[test]
fn the_fee_statement_counts_notices_and_payments_of_the_year() {
    assert_eq!(fee_statement(&[], 2023), "本年度无发出收费通知，无收取信息处理费用。");
    let events = [
        submitted(date!(2023 - 03 - 01), Channel::Online),
        fee_notice(date!(2023 - 03 - 10), 100),
        ev(date!(2023 - 03 - 15), CaseEventKind::FeePaid),
    ];
    let paid = case_facts("natural_person", date!(2023 - 03 - 01), &events);
    assert_eq!(fee_statement(std::slice::from_ref(&paid), 2023), "本年度发出收费通知1件，收取信息处理费100元。");
    assert_eq!(fee_statement(&[paid], 2024), "本年度无发出收费通知，无收取信息处理费用。");
    let unpaid = case_facts(
        "natural_person",
        date!(2023 - 03 - 01),
        &[submitted(date!(2023 - 03 - 01), Channel::Online), fee_notice(date!(2023 - 04 - 01), 50)],
    );
    assert_eq!(fee_statement(&[unpaid], 2023), "本年度发出收费通知1件，未收取信息处理费用。");
}

#[test]
fn the_library_row_follows_issue_repeal_and_lapse() {
    let doc = |written: Date, effective: Date, expires: Option<Date>| LibraryDoc {
        class: DocClass::Normative,
        written_on: Some(written),
        effective_on: Some(effective),
        expires_on: expires,
        validity: None,
        ended_on: None,
    };
    let n1 = doc(date!(2022 - 05 - 01), date!(2022 - 06 - 01), None);
    let n2 = doc(date!(2023 - 03 - 01), date!(2023 - 04 - 01), Some(date!(2023 - 12 - 31)));
    let n3 = LibraryDoc {
        validity: Some(Validity::Repealed),
        ended_on: Some(date!(2023 - 07 - 01)),
        ..doc(date!(2021 - 01 - 10), date!(2021 - 02 - 01), None)
    };
    let rule = LibraryDoc { class: DocClass::Rule, ..doc(date!(2023 - 08 - 01), date!(2024 - 01 - 01), None) };
    let docs = [n1, n2, n3, rule];
    let row = |class, year| {
        let r = library_row(&docs, class, year);
        (r.issued, r.repealed, r.in_force)
    };
    // (本年制发, 本年废止, 现行有效 on 31 December), worked out by hand.
    assert_eq!(row(DocClass::Normative, 2022), (Some(1), Some(0), Some(2)));
    assert_eq!(row(DocClass::Normative, 2023), (Some(1), Some(1), Some(2)));
    assert_eq!(row(DocClass::Normative, 2024), (Some(0), Some(1), Some(1)));
    assert_eq!(row(DocClass::Rule, 2023), (Some(1), Some(0), Some(0)));
    assert_eq!(row(DocClass::Rule, 2024), (Some(0), Some(0), Some(1)));
}

#[test]
fn compute_fills_the_narrative_from_the_tables_and_figures() {
    let cases = [case_facts(
        "natural_person",
        date!(2023 - 03 - 01),
        &[submitted(date!(2023 - 03 - 01), Channel::Online), decided(date!(2023 - 03 - 20), Outcome::Disclosed)],
    )];
    let figures: BTreeMap<String, String> = [
        ("licensing", "5"),
        ("admin_fees", "1.25"),
        ("hotline_orders", "30"),
        ("workplan_tasks", "12"),
        ("bulletins", "4"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let input = ReportInput {
        agency_name: "义马市人民政府办公室",
        year: 2023,
        cases: &CaseTally::of(&cases),
        library: &[],
        figures: &figures,
        narrative: None,
        texts: &[("工作要点", "《义马市2023年政务公开工作要点分工方案》".to_owned())].into_iter().collect(),
    };
    let r = compute(&input);
    assert_eq!(r.t2.licensing, Some(5));
    assert_eq!(r.t2.fees, Some(1.25));
    assert_eq!(r.t2.penalty, None, "not entered: blank, not 0");
    assert_eq!(r.t3.get(T3Row::Disclosed, ApplicantColumn::NaturalPerson), Some(1));
    let one = r.sections.one.unwrap();
    assert!(one.contains("2023年，义马市人民政府办公室认真贯彻落实"), "{one}");
    assert!(one.contains("新收政府信息公开申请1件") && one.contains("12345热线办理工单30件"), "{one}");
    assert!(one.contains("主动公开政府信息（未填写）条"), "{one}");
    assert!(
        one.contains("印发《义马市2023年政务公开工作要点分工方案》，明确工作任务12项，截至年底已完成（未填写）项"),
        "{one}"
    );
    assert!(one.contains("发布检查通报4期"), "{one}");
    assert_eq!(r.sections.six.unwrap(), "收取信息处理费的情况：本年度无发出收费通知，无收取信息处理费用。");
    let edited = ReportInput { narrative: Some(("{机关}{年份}", "五", "六{收费说明}")), ..input };
    assert_eq!(compute(&edited).sections.one.unwrap(), "义马市人民政府办公室2023");
}

#[test]
fn the_tally_groups_alike_cases_and_spans_their_years() {
    let open =
        case_facts("natural_person", date!(2022 - 06 - 01), &[submitted(date!(2022 - 06 - 01), Channel::InPerson)]);
    let answered = |d| {
        case_facts(
            "natural_person",
            date!(2023 - 03 - 01),
            &[submitted(date!(2023 - 03 - 01), Channel::Online), decided(d, Outcome::Disclosed)],
        )
    };
    let facts = [
        open.clone(),
        answered(date!(2023 - 04 - 01)),
        answered(date!(2023 - 05 - 01)),
        answered(date!(2024 - 01 - 05)),
    ];
    let tally = CaseTally::of(&facts);
    // Two answered in 2023 share a group; the one answered in 2024 and the open one have their own.
    assert_eq!(tally.groups.len(), 3, "{:?}", tally.groups);
    assert_eq!(tally.groups.iter().map(|g| g.count).sum::<u64>(), 4);
    assert!(tally.detailed.is_empty(), "no reviews or fees");
    // Open since 2022: every year up to today's; the others 2023–2024.
    assert_eq!(tally.years(2025).into_iter().collect::<Vec<_>>(), [2022, 2023, 2024, 2025]);
    let t = table3_of_groups(&tally.groups, 2023);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::NaturalPerson), Some(3));
    assert_eq!(t.get(T3Row::CarriedIn, ApplicantColumn::NaturalPerson), Some(1));
    assert_eq!(t.get(T3Row::Disclosed, ApplicantColumn::Total), Some(2));
    assert_eq!(t.get(T3Row::CarriedOut, ApplicantColumn::Total), Some(2));
    // A count beyond a cell's range is left blank (and so is every total it enters), not wrapped.
    let huge = [CaseGroup { count: u64::from(u32::MAX) + 1, received_year: 2023, ..tally.groups[0] }];
    let t = table3_of_groups(&huge, 2023);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::NaturalPerson), None);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::Total), None);
    assert_eq!(t.get(T3Row::New, ApplicantColumn::Business), Some(0));
}
