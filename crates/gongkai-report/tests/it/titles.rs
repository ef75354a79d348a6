//! Agency and year from titles in the forms people have, else from the preamble or the 统计期限 sentence.

use gongkai_report::{SourceKind, parse};

fn agency_year(text: &str) -> (Option<String>, Option<i32>) {
    let body = "\n一、总体情况\n正文。\n二、主动公开政府信息情况\n| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 0 | 0 | 0 |\n\
                | 行政许可 | 0 |\n| 行政处罚 | 0 |\n| 行政强制 | 0 |\n| 行政事业性收费 | 0 |\n";
    let p = parse(format!("{text}{body}").as_bytes(), Some(SourceKind::Text)).unwrap();
    (p.report.agency, p.report.year)
}

fn want(agency: &str, year: i32) -> (Option<String>, Option<i32>) {
    (Some(agency.to_string()), Some(year))
}

#[test]
fn a_title_wrapped_over_two_lines() {
    assert_eq!(
        agency_year(
            "2025 年某市人民政府办公厅政府信息公开\n工作年度报告\n根据《条例》，现将某市人民政府办公厅2025年度政府信息公开工作年度报告公布如下。"
        ),
        want("某市人民政府办公厅", 2025)
    );
    // the agency on its own line above a title without one (a real page, 高平市)
    assert_eq!(
        agency_year("高平市人民政府办公室\n2023年政府信息公开工作年度报告\n本年度报告根据《条例》编制。"),
        want("高平市人民政府办公室", 2023)
    );
    // a county PDF: spaced out and wrapped twice
    assert_eq!(
        agency_year("某 县 人 民 政 府\n2023 年 政 府 信 息\n公 开 工 作 年 度 报 告"),
        want("某县人民政府", 2023)
    );
    // wrapped inside a word
    assert_eq!(agency_year("某县发展和改革局2023年政府信\n息公开工作年度报告"), want("某县发展和改革局", 2023));
}

#[test]
fn page_prefixes_are_stripped() {
    assert_eq!(agency_year("标题:某县发展和改革局2023年政府信息公开工作年度报告"), want("某县发展和改革局", 2023));
    assert_eq!(
        agency_year("| 标题 | 某县发展和改革局2023年政府信息公开工作年度报告 |"),
        want("某县发展和改革局", 2023)
    );
}

#[test]
fn the_preamble_names_the_agency_when_no_title_does() {
    assert_eq!(
        agency_year(
            "根据《中华人民共和国政府信息公开条例》规定，现公布子长市人民政府2023年度政府信息公开工作报告。本报告所列数据统计时限为2023年1月1日至12月31日。"
        ),
        want("子长市人民政府", 2023)
    );
    assert_eq!(agency_year("现将2024年度某县教育局政府信息公开工作年度报告公布如下。"), want("某县教育局", 2024));
    // `我局` is not a name; the year still comes from the 统计期限 sentence
    let (agency, year) =
        agency_year("现将我局政府信息公开工作情况报告如下。本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。");
    assert_eq!((agency, year), (None, Some(2022)));
}
