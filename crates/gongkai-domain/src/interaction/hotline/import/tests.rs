use super::*;
use time::macros::{date, datetime};

fn sheet(lines: &[&str]) -> Vec<Vec<String>> {
    lines.iter().map(|l| l.split(',').map(str::to_owned).collect()).collect()
}

const HEADER: &str =
    "工单编号,来电时间,诉求类型,诉求内容,承办单位,办理时限（工作日）,截止时间,诉求人,联系电话,满意度,办结时间";

#[test]
fn dates_in_the_usual_spellings() {
    assert_eq!(parse_datetime("2025-09-26 09:30"), Some(datetime!(2025-09-26 09:30)));
    assert_eq!(parse_datetime("2025-09-26 09:30:15"), Some(datetime!(2025-09-26 09:30:15)));
    assert_eq!(parse_datetime("2025/9/26 9:05"), Some(datetime!(2025-09-26 09:05)));
    assert_eq!(parse_datetime("2025-09-26T09:30:00.000"), Some(datetime!(2025-09-26 09:30)));
    assert_eq!(parse_datetime("2025年9月26日"), Some(datetime!(2025-09-26 00:00)));
    assert_eq!(parse_datetime("2025-09-26"), Some(datetime!(2025-09-26 00:00)));
    for bad in ["2025-13-01 09:00", "2025-02-30", "25-09-26", "2025-09-26 25:00", "昨天", "2025-09-26 9"] {
        assert_eq!(parse_datetime(bad), None, "{bad}");
    }
}

#[test]
fn headers_by_alias_and_a_good_file() {
    let rows = sheet(&[
        HEADER,
        "A001,2025-09-26 09:30,投诉,噪音扰民,市生态环境局,,,张三丰,13812345678,基本满意,2025-10-20 10:00",
        ",,,,,,,,,,",
        "A002,2025/09/30 10:00,表扬,表扬工作人员,市生态环境局,5,,李四,,,",
        "A003,2025-09-30 10:00,咨询,咨询政策,市生态环境局,3,2025-10-31,,,未评价,",
    ]);
    let orders = parse_orders(&rows).unwrap();
    assert_eq!(orders.len(), 3);
    let a = &orders[0];
    assert_eq!((a.row, a.order_no.as_str(), a.kind), (2, "A001", Kind::Complaint));
    assert_eq!(a.dispatched_at, datetime!(2025-09-26 09:30));
    assert_eq!(a.deadline, None);
    assert_eq!((a.contact_name.as_str(), a.contact_phone.as_str()), ("张**", "138****5678"));
    assert_eq!(a.raw.get("诉求人").map(String::as_str), Some("张**"), "the raw row is masked too");
    assert_eq!(a.raw.get("联系电话").map(String::as_str), Some("138****5678"));
    assert_eq!(a.satisfaction, Some(Satisfaction::BasicallySatisfied));
    assert_eq!(a.status, OrderStatus::Closed, "办结时间 without 工单状态");
    assert_eq!(a.title, "噪音扰民");
    let b = &orders[1];
    assert_eq!((b.row, b.kind, b.deadline), (4, Kind::Other, Some(Deadline::WorkingDays(5))));
    assert_eq!(b.status, OrderStatus::Pending);
    assert_eq!(orders[2].deadline, Some(Deadline::On(date!(2025 - 10 - 31))), "a date wins over 办理时限");
}

#[test]
fn every_problem_with_its_row_and_column() {
    let rows = sheet(&[
        HEADER,
        "A001,2025-09-26 09:30,投诉,噪音扰民,市生态环境局,,,,,,",
        "A002,2025-13-01 09:30,投诉,噪音扰民,市生态环境局,十五,,,,很好,",
        "A001,2025-09-27 09:30,咨询,,市生态环境局,,2025-09-01,,,,",
    ]);
    let problems = parse_orders(&rows).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "第3行“来电时间”列：“2025-13-01 09:30”不是有效的时间，应为YYYY-MM-DD HH:MM[:SS]，例如 2025-09-26 09:30",
            "第3行“办理时限（工作日）”列：“十五”不是有效的工作日数，应为1至365之间的整数，例如 15",
            "第3行“满意度”列：“很好”无法识别，应为满意、基本满意、不满意、未联系上或未评价",
            "第4行“诉求内容”列：不能为空",
            "第4行“截止时间”列：截止日期早于派单日期2025-09-27",
        ]
    );
}

#[test]
fn duplicates_missing_columns_and_title_lines() {
    let rows = sheet(&[
        "2025年9月工单导出,,,,",
        "工单编号,受理时间,工单类型,来电内容,办理单位",
        "A001,2025-09-26 09:30,求助,停水,自来水公司",
        "A001,2025-09-26 10:30,求助,停水,自来水公司",
    ]);
    let problems = parse_orders(&rows).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].to_string(), "第4行“工单编号”列：工单编号“A001”与第3行重复");

    let rows = sheet(&["工单编号,诉求类型,诉求内容", "A001,投诉,噪音"]);
    let problems = parse_orders(&rows).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "第1行“派单时间”列：缺少必填列（也可写作：来电时间、受理时间、派发时间）",
            "第1行“承办单位”列：缺少必填列（也可写作：办理单位）",
        ]
    );

    let problems = parse_orders(&sheet(&["编号,内容", "1,x"])).unwrap_err();
    assert!(problems[0].to_string().starts_with("第1行：未找到表头"), "{problems:?}");
    let problems = parse_orders(&sheet(&[HEADER])).unwrap_err();
    assert_eq!(problems[0].to_string(), "第2行：文件中没有工单数据");
}

#[test]
fn limits_and_flags() {
    assert_eq!(parse_limit("15"), Ok(15));
    assert_eq!(parse_limit("15个工作日"), Ok(15));
    assert!(parse_limit("24小时").unwrap_err().contains("截止时间"));
    assert!(parse_limit("0").is_err());
    assert_eq!(parse_flag("是"), Some(true));
    assert_eq!(parse_flag(""), Some(false));
    assert_eq!(parse_flag("也许"), None);
    assert_eq!(Column::of_header(" 办理时限(天) "), Some(Column::TimeLimit));
    assert_eq!(Column::of_header("*工单编号"), Some(Column::OrderNo));
}
