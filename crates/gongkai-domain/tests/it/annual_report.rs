//! The annual-report model, the checks R1–R8 and the `gongkai.annual-report/v1` JSON.

use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn, Finding, ReportFormat, Rule, Sections, Severity, T3Row, T4Column, T4Group, Table3,
    Table4, check, check_cross_year, from_json, to_json,
};

/// A consistent report: every rule holds.
fn good() -> AnnualReport {
    let mut t3 = Table3::zeros();
    let set = |t3: &mut Table3, row: T3Row, np: u32, biz: u32| {
        t3.set(row, ApplicantColumn::NaturalPerson, Some(np));
        t3.set(row, ApplicantColumn::Business, Some(biz));
        t3.set(row, ApplicantColumn::Total, Some(np + biz));
    };
    set(&mut t3, T3Row::New, 10, 2);
    set(&mut t3, T3Row::CarriedIn, 1, 0);
    set(&mut t3, T3Row::Disclosed, 6, 1);
    set(&mut t3, T3Row::NotHeld, 3, 0);
    set(&mut t3, T3Row::FeeUnpaid, 1, 0);
    set(&mut t3, T3Row::Total, 10, 1);
    set(&mut t3, T3Row::CarriedOut, 1, 1);
    let mut t4 = Table4::zeros();
    t4.set(T4Group::Review, T4Column::Upheld, Some(1));
    t4.set(T4Group::Review, T4Column::Total, Some(1));
    let mut r = AnnualReport {
        agency: Some("某区司法局".into()),
        year: Some(2023),
        format: ReportFormat::V2021,
        t3,
        t4,
        sections: Sections {
            one: Some(
                "（二）依申请公开：全年新收政府信息公开申请12件，予以公开7件。政府信息公开行政复议1件，行政诉讼0件。"
                    .into(),
            ),
            five: Some("人员不足。".into()),
            six: Some("本年度发出收费通知1件，收取信息处理费0元。".into()),
        },
        ..AnnualReport::default()
    };
    r.t2.rules.issued = Some(0);
    r.t2.rules.repealed = Some(0);
    r.t2.rules.in_force = Some(2);
    r.t2.normative.issued = Some(3);
    r.t2.normative.repealed = Some(1);
    r.t2.normative.in_force = Some(20);
    r.t2.licensing = Some(5);
    r.t2.penalty = Some(0);
    r.t2.coercion = Some(0);
    r.t2.fees = Some(1.5);
    r
}

fn found(findings: &[Finding]) -> Vec<(Rule, Severity, &str)> {
    let mut v: Vec<_> = findings.iter().map(|f| (f.rule, f.severity, f.location.as_str())).collect();
    v.sort();
    v
}

#[test]
fn rows_and_columns_have_the_official_keys_and_labels() {
    let keys: Vec<&str> = T3Row::ALL.iter().map(|r| r.key()).collect();
    assert_eq!(
        keys,
        [
            "一",
            "二",
            "（一）",
            "（二）",
            "（三）1",
            "（三）2",
            "（三）3",
            "（三）4",
            "（三）5",
            "（三）6",
            "（三）7",
            "（三）8",
            "（四）1",
            "（四）2",
            "（四）3",
            "（五）1",
            "（五）2",
            "（五）3",
            "（五）4",
            "（五）5",
            "（六）1",
            "（六）2",
            "（六）3",
            "（七）",
            "四"
        ]
    );
    assert_eq!(T3Row::LEAVES.len(), 21);
    assert!(!T3Row::LEAVES.contains(&T3Row::Total));
    assert_eq!(T3Row::EndangersSecurity.label(), "3.危及“三安全一稳定”");
    assert_eq!(T3Row::PartlyDisclosed.label(), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
    assert_eq!(
        T3Row::FeeUnpaid.full_label(),
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    );
    for row in T3Row::ALL {
        assert_eq!(T3Row::from_key(row.key()), Some(row));
    }
    let cols: Vec<&str> = ApplicantColumn::ALL.iter().map(|c| c.key()).collect();
    assert_eq!(cols, ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]);
}

#[test]
fn a_consistent_report_has_no_findings() {
    assert_eq!(check(&good()), vec![]);
}

#[test]
fn r1_r2_r3_follow_the_arithmetic() {
    let mut r = good();
    r.t3.set(T3Row::CarriedOut, ApplicantColumn::Business, Some(3)); // 四: row total 2 ≠ 4, 商业企业 2 ≠ 1+3
    assert_eq!(
        found(&check(&r)),
        [(Rule::R1, Severity::Error, "t3/商业企业"), (Rule::R2, Severity::Error, "t3/四/总计"),]
    );
    let mut r = good();
    r.t3.set(T3Row::Repeated, ApplicantColumn::Research, Some(2));
    assert_eq!(
        found(&check(&r)),
        [(Rule::R2, Severity::Error, "t3/（五）2/总计"), (Rule::R3, Severity::Error, "t3/（七）/科研机构"),]
    );
    let f = check(&r);
    let r3 = f.iter().find(|f| f.rule == Rule::R3).unwrap();
    assert_eq!(r3.message, "表三 科研机构 列：（七）总计为0，但各办理结果之和为2");
}

#[test]
fn r4_group_totals_of_table_four() {
    let mut r = good();
    r.t4.set(T4Group::DirectSuit, T4Column::Pending, Some(2));
    assert_eq!(found(&check(&r)), [(Rule::R4, Severity::Error, "t4/未经复议直接起诉/总计")]);
}

#[test]
fn r5_blank_is_a_warning_and_blocks_no_guess() {
    let mut r = good();
    r.t3.set(T3Row::Disclosed, ApplicantColumn::NaturalPerson, None);
    r.t2.fees = None;
    // the blank is not taken as 0: R2/R3 that involve it are not computed
    assert_eq!(
        found(&check(&r)),
        [(Rule::R5, Severity::Warning, "t2/行政事业性收费"), (Rule::R5, Severity::Warning, "t3/（一）/自然人"),]
    );
    r.t2.fees = Some(-1.0);
    assert!(check(&r).iter().any(|f| f.rule == Rule::R5 && f.is_error() && f.location == "t2/行政事业性收费"));
}

#[test]
fn r7_quotes_the_phrase_that_disagrees() {
    let mut r = good();
    r.sections.one =
        Some("全年新收政府信息公开申请15件，其中予以公开258件。政府信息公开行政复议、行政诉讼均为0件。".into());
    let f = check(&r);
    assert_eq!(
        found(&f),
        [
            (Rule::R7, Severity::Error, "t3/一/总计"),
            (Rule::R7, Severity::Error, "t3/（一）/总计"),
            (Rule::R7, Severity::Error, "t4/行政复议/总计"),
        ]
    );
    let quotes: Vec<&str> = f.iter().filter_map(|f| f.quote.as_deref()).collect();
    assert_eq!(quotes, ["新收政府信息公开申请15件", "予以公开258件", "行政复议、行政诉讼均为0件"]);
    assert_eq!(f[1].message, "正文称“予以公开258件”，但表三“（一）予以公开”总计为7");

    // received may count the carried-over ones (一+二 = 13): not an error
    r.sections.one = Some("共收到政府信息公开申请13件（含上年结转1件）。".into());
    assert_eq!(check(&r), vec![]);
    // hotline and mailbox figures, approximate figures and the agency's general 复议 work are not table figures
    r.sections.one = Some(
        "12345热线办理工单3100件，均按时办结；“市长信箱”76件。受理行政复议案件56件。约收到申请30件。全年发布信息227条。".into(),
    );
    assert_eq!(check(&r), vec![]);
    // no recognisable figures at all
    r.sections.one = Some("我局高度重视政府信息公开工作。".into());
    assert_eq!(check(&r), vec![]);
}

#[test]
fn r7_full_width_digits_and_other_rows() {
    let mut r = good();
    r.sections.one = Some("本年度不予公开２件，无法提供3件，结转下年度继续办理2件，上年结转1件。".into());
    assert_eq!(found(&check(&r)), [(Rule::R7, Severity::Error, "t3/（三）/总计")]);
}

#[test]
fn r8_fee_statement_against_fee_unpaid_row() {
    let mut r = good();
    r.sections.six = Some("本年度未发出收费通知，未收取信息处理费。".into());
    let f = check(&r);
    assert_eq!(found(&f), [(Rule::R8, Severity::Error, "t3/（六）2/总计")]);
    assert_eq!(f[0].quote.as_deref(), Some("本年度未发出收费通知"));
    r.sections.six = Some("无。".into());
    assert_eq!(found(&check(&r)), [(Rule::R8, Severity::Warning, "sections/六")]);
    r.t3.set(T3Row::FeeUnpaid, ApplicantColumn::NaturalPerson, Some(0));
    r.t3.set(T3Row::FeeUnpaid, ApplicantColumn::Total, Some(0));
    r.sections.six = Some("收取信息处理费的情况：本年度无发出收费通知，无收取信息处理费用。".into());
    // （六）2 is now 0 but the leaves changed: only R3 (the arithmetic), no R8
    assert!(check(&r).iter().all(|f| f.rule != Rule::R8));
}

#[test]
fn r6_cross_year() {
    let prev = {
        let mut p = good();
        p.year = Some(2022);
        p.t2.normative.in_force = Some(17);
        p.t3.set(T3Row::CarriedOut, ApplicantColumn::NaturalPerson, Some(1));
        p.t3.set(T3Row::CarriedOut, ApplicantColumn::Business, Some(0));
        p.t3.set(T3Row::CarriedOut, ApplicantColumn::Total, Some(1));
        p
    };
    let cur = good(); // 二 = 1/0/…/1, 现行有效 20 = 17 + 3 − 1 ≠ 19
    assert_eq!(
        found(&check_cross_year(&prev, &cur)),
        [(Rule::R6, Severity::Warning, "t2/行政规范性文件/现行有效件数")]
    );
    let mut cur2 = cur.clone();
    cur2.t3.set(T3Row::CarriedIn, ApplicantColumn::Business, Some(2));
    cur2.t3.set(T3Row::CarriedIn, ApplicantColumn::Total, Some(3));
    let f = check_cross_year(&prev, &cur2);
    assert!(f.iter().any(|f| f.rule == Rule::R6 && f.is_error() && f.location == "t3/二/商业企业"));
    assert!(f.iter().any(|f| f.location == "t3/二/总计"));
    let mut far = prev.clone();
    far.year = Some(2020);
    assert_eq!(found(&check_cross_year(&far, &cur)), [(Rule::R6, Severity::Warning, "year")]);
    // Years come from uploaded JSON: the largest i32 is not adjacent to anything (and must not overflow).
    far.year = Some(i32::MAX);
    assert_eq!(found(&check_cross_year(&far, &cur)), [(Rule::R6, Severity::Warning, "year")]);
}

#[test]
fn json_has_the_v1_shape_and_reads_back() {
    let mut r = good();
    r.t3.set(T3Row::Publication, ApplicantColumn::Other, None);
    let findings = check(&r);
    let v = to_json(&r, &findings);
    assert_eq!(v["schema"], "gongkai.annual-report/v1");
    assert_eq!(v["format"], "2021");
    let t3 = v["tables"]["t3"].as_object().unwrap();
    assert_eq!(t3.len(), 25);
    for row in T3Row::ALL {
        let cols = t3[row.key()].as_object().unwrap();
        assert_eq!(cols.len(), 7, "{}", row.key());
    }
    assert!(v["tables"]["t3"]["（五）3"]["其他"].is_null(), "blank is null, never 0");
    assert_eq!(v["tables"]["t2"]["行政规范性文件"]["本年制发件数"], 3);
    assert_eq!(v["tables"]["t2"]["行政事业性收费"], 1.5);
    assert_eq!(v["tables"]["t4"]["行政复议"]["结果维持"], 1);
    assert_eq!(v["sections"]["五"], "人员不足。");
    assert_eq!(v["findings"][0]["rule"], "R5");
    assert_eq!(v["findings"][0]["severity"], "warning");
    assert_eq!(v["findings"][0]["where"], "t3/（五）3/其他");
    let (back, back_findings) = from_json(&v).unwrap();
    assert_eq!(back, r);
    assert_eq!(back_findings, findings);
}

#[test]
fn from_json_refuses_what_it_cannot_trust() {
    let v = to_json(&good(), &[]);
    let mut wrong = v.clone();
    wrong["schema"] = "other/v9".into();
    assert!(from_json(&wrong).unwrap_err().to_string().contains("other/v9"));
    let mut neg = v.clone();
    neg["tables"]["t3"]["一"]["自然人"] = (-1).into();
    assert_eq!(from_json(&neg).unwrap_err().to_string(), "字段 t3/一/自然人 无效：应为非负整数或 null");
    let mut missing = v.clone();
    missing["tables"]["t4"].as_object_mut().unwrap().remove("复议后起诉");
    assert_eq!(from_json(&missing).unwrap_err().to_string(), "缺少字段 t4/复议后起诉");
    let mut text = v;
    text["tables"]["t2"]["行政许可"] = "5".into();
    assert!(from_json(&text).is_err());
}

#[test]
fn the_2019_format_is_not_checked_against_2021_rules() {
    let r = AnnualReport { format: ReportFormat::V2019, ..AnnualReport::default() };
    assert_eq!(check(&r), vec![]);
}
