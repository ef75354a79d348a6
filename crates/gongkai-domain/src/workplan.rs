//! 政务公开工作要点 and its 分工方案: the task table and its due phrases (docs/law/supervision.md §4).
//!
//! A file is checked as a whole ([`check_table`]): either every row is a valid task, or nothing is imported
//! and every problem is listed with its row (spreadsheet numbering, the header is row 1) and column.

use time::{Date, Month};

/// The columns of the task table (§4.2), in the order of the template.
pub const COLUMNS: [&str; 6] = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "时限要求"];
/// Columns that must be filled in every row.
const REQUIRED: [&str; 4] = ["序号", "工作任务", "牵头单位", "时限要求"];

/// When a task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(Date),
    /// 持续推进 / 长期坚持: no due date, progress is reported quarterly (§4.4).
    Ongoing,
}

impl Due {
    pub fn date(self) -> Option<Date> {
        match self {
            Due::On(d) => Some(d),
            Due::Ongoing => None,
        }
    }
}

/// Parses a 时限要求 of a plan of `year` (§4.4 [I]): "9月底前" → 09-30, "年底前" → 12-31, "6月30日前" → 06-30,
/// "持续推进"/"长期坚持" → [`Due::Ongoing`]. A leading "YYYY年" must be the plan's year.
pub fn parse_due(phrase: &str, year: i32) -> Option<Due> {
    let p: String = phrase.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(p.as_str(), "持续推进" | "长期坚持" | "持续开展" | "长期") {
        return Some(Due::Ongoing);
    }
    let (with_year, p) = match p.split_once('年') {
        Some((y, rest)) if !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()) => {
            if y.parse::<i32>().ok() != Some(year) {
                return None;
            }
            (true, rest.to_owned())
        }
        _ => (false, p),
    };
    let p = p.strip_suffix('前').unwrap_or(&p);
    if matches!(p, "年底" | "年末") || (with_year && matches!(p, "底" | "末")) {
        return Some(Due::On(last_day(year, Month::December)));
    }
    let (m, rest) = p.split_once('月')?;
    let month = Month::try_from(number(m)?).ok()?;
    match rest {
        "底" | "末" => Some(Due::On(last_day(year, month))),
        _ => {
            let d = rest.strip_suffix('日').or_else(|| rest.strip_suffix('号'))?;
            Date::from_calendar_date(year, month, number(d)?).ok().map(Due::On)
        }
    }
}

/// "9", "09", "九", "十二", "三十" as a number up to 31.
fn number(s: &str) -> Option<u8> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| (1..=31).contains(n));
    }
    let digit = |c: char| "一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u8 + 1);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
    .filter(|n| (1..=31).contains(n))
}

fn last_day(year: i32, month: Month) -> Date {
    let first_next = match month {
        Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
        m => Date::from_calendar_date(year, m.next(), 1),
    };
    first_next.ok().and_then(|d| d.previous_day()).unwrap_or(Date::MAX)
}

/// One task of a 分工方案.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The spreadsheet row it came from.
    pub row: usize,
    /// 序号 as written ("1", "一", "3.2" …).
    pub no: String,
    pub task: String,
    pub requirement: String,
    pub lead: String,
    pub support: String,
    /// 时限要求 as written.
    pub due_text: String,
    pub due: Due,
}

/// A problem of the file: its row (spreadsheet numbering, header = 1; 0 for the file itself) and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<&'static str>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column) {
            (0, _) => write!(f, "{}", self.message),
            (r, Some(c)) => write!(f, "第{r}行“{c}”：{}", self.message),
            (r, None) => write!(f, "第{r}行：{}", self.message),
        }
    }
}

/// Checks a whole table (`rows[0]` is the header, spreadsheet row 1) of a plan of `year`. Blank rows are
/// skipped. Either every row is a task, or every problem is returned.
pub fn check_table(rows: &[Vec<String>], year: i32) -> Result<Vec<Task>, Vec<Problem>> {
    let file = |m: String| vec![Problem { row: 0, column: None, message: m }];
    let Some(header) = rows.first() else { return Err(file("文件为空：第1行应为表头".into())) };
    let header: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    let mut at = [0usize; 6];
    let mut missing = Vec::new();
    for (i, col) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| h == col) {
            Some(p) => at[i] = p,
            None => missing.push(*col),
        }
    }
    if !missing.is_empty() {
        return Err(vec![Problem {
            row: 1,
            column: None,
            message: format!("表头缺少列：{}（应为：{}）", missing.join("、"), COLUMNS.join("、")),
        }]);
    }
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate().skip(1) {
        let row = i + 1;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: usize| r.get(at[c]).map(|s| s.trim().to_owned()).unwrap_or_default();
        let [no, task, requirement, lead, support, due_text] = std::array::from_fn(cell);
        let values = [&no, &task, &requirement, &lead, &support, &due_text];
        for col in REQUIRED {
            let idx = COLUMNS.iter().position(|c| *c == col).unwrap_or(0);
            if values[idx].is_empty() {
                problems.push(Problem { row, column: Some(col), message: "不能为空".into() });
            }
        }
        if !no.is_empty()
            && let Some(first) = seen.insert(no.clone(), row)
        {
            problems.push(Problem { row, column: Some("序号"), message: format!("与第{first}行重复") });
        }
        let due = if due_text.is_empty() {
            None
        } else {
            let d = parse_due(&due_text, year);
            if d.is_none() {
                problems.push(Problem {
                    row,
                    column: Some("时限要求"),
                    message: format!(
                        "无法识别“{due_text}”，请写明{year}年内的日期（如“9月底前”“6月30日前”“年底前”）或“持续推进”"
                    ),
                });
            }
            d
        };
        if let Some(due) = due {
            tasks.push(Task { row, no, task, requirement, lead, support, due_text, due });
        }
    }
    if tasks.is_empty() && problems.is_empty() {
        return Err(file("文件中没有任务行".into()));
    }
    if problems.is_empty() { Ok(tasks) } else { Err(problems) }
}

/// A task's standing on `today` (§4.3; progress reports are not recorded yet, so a dated task is 未开始 until
/// its due date passes, then 逾期).
pub fn status_on(due: Option<Date>, today: Date) -> &'static str {
    match due {
        Some(d) if today > d => "逾期",
        Some(_) => "未开始",
        None => "持续推进",
    }
}

#[cfg(test)]
mod tests {
    use crate::workplan::{Due, check_table, parse_due};
    use time::macros::date;

    #[test]
    fn due_phrases() {
        let on = |p| parse_due(p, 2025).and_then(Due::date);
        assert_eq!(on("9月底前"), Some(date!(2025 - 09 - 30)));
        assert_eq!(on("2月底前"), Some(date!(2025 - 02 - 28)));
        assert_eq!(on("年底前"), Some(date!(2025 - 12 - 31)));
        assert_eq!(on("6月30日前"), Some(date!(2025 - 06 - 30)));
        assert_eq!(on("十一月底前"), Some(date!(2025 - 11 - 30)));
        assert_eq!(on("2025年9月底前"), Some(date!(2025 - 09 - 30)));
        assert_eq!(on("2025年底前"), Some(date!(2025 - 12 - 31)));
        assert_eq!(parse_due("持续推进", 2025), Some(Due::Ongoing));
        assert_eq!(parse_due("长期坚持", 2025), Some(Due::Ongoing));
        for bad in ["尽快", "2024年9月底前", "13月底前", "6月31日前", "下半年", "", "底前"] {
            assert_eq!(parse_due(bad, 2025), None, "{bad}");
        }
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    const HEADER: &[&str] = &["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "时限要求"];

    #[test]
    fn a_table_is_checked_as_a_whole() {
        let ok = table(&[HEADER, &["1", "公开预决算", "按时公开", "财政局", "", "9月底前"], &["", "", "", "", "", ""]]);
        let tasks = check_table(&ok, 2025).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!((tasks[0].row, tasks[0].due), (2, Due::On(date!(2025 - 09 - 30))));

        let bad = table(&[
            HEADER,
            &["1", "公开预决算", "", "财政局", "", "9月底前"],
            &["2", "政策解读", "", "", "", "尽快"],
            &["1", "x", "", "办公室", "", "年底前"],
        ]);
        let problems = check_table(&bad, 2025).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert_eq!(text[0], "第3行“牵头单位”：不能为空");
        assert!(text[1].starts_with("第3行“时限要求”：无法识别“尽快”"), "{}", text[1]);
        assert_eq!(text[2], "第4行“序号”：与第2行重复");

        let no_header = table(&[&["序号", "任务"]]);
        assert!(check_table(&no_header, 2025).unwrap_err()[0].message.contains("表头缺少列"));
    }
}
