//! 政务公开工作要点 and its 分工方案: the task table and its due phrases (docs/law/supervision.md §4).
//!
//! A file is checked as a whole ([`check_table`]): either every row is a valid task, or nothing is imported
//! and every problem is listed with its row (spreadsheet numbering, the header is row 1) and column.

use crate::calendar::Calendar;
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

/// A task's standing on `today` when no progress is recorded (§10.6): a dated task is 未开始 until its due date
/// passes, then 逾期.
pub fn status_on(due: Option<Date>, today: Date) -> &'static str {
    standing(due, None, today).label_zh()
}

/// The working days between the reminder and the due date (§4.5).
pub const REMINDER_WD: u32 = 10;

/// The day of the reminder of a task due on `due` (§4.5, worked example §7.6): the 10th working day before it,
/// the due day not counted (a 调休 working weekend day counts, holidays and weekends do not).
pub fn reminder_on(cal: &Calendar, due: Date) -> Date {
    let mut d = due;
    let mut counted = 0;
    while counted < REMINDER_WD {
        let Some(prev) = d.previous_day() else { return d };
        d = prev;
        if cal.is_working_day(d) {
            counted += 1;
        }
    }
    d
}

/// What a progress report says (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// 推进中.
    Ongoing,
    /// 已完成.
    Done,
}

impl Progress {
    pub const fn as_str(self) -> &'static str {
        match self {
            Progress::Ongoing => "ongoing",
            Progress::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Progress> {
        match s {
            "ongoing" => Some(Progress::Ongoing),
            "done" => Some(Progress::Done),
            _ => None,
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Progress::Ongoing => "推进中",
            Progress::Done => "已完成",
        }
    }
}

/// Where a task stands (§4.3, §10.6, §10.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NotStarted,
    InProgress,
    Done,
    Overdue,
    /// 持续推进: no due date, reported quarterly.
    Ongoing,
}

impl Standing {
    pub const fn label_zh(self) -> &'static str {
        match self {
            Standing::NotStarted => "未开始",
            Standing::InProgress => "推进中",
            Standing::Done => "已完成",
            Standing::Overdue => "逾期",
            Standing::Ongoing => "持续推进",
        }
    }
}

/// A task's standing on `today` from its due date and its latest progress report (status and day): 已完成 once
/// reported done; otherwise 逾期 after the due date; 推进中 with a report; 未开始 without; 持续推进 when undated.
pub fn standing(due: Option<Date>, latest: Option<(Progress, Date)>, today: Date) -> Standing {
    match (due, latest) {
        (_, Some((Progress::Done, d))) if d <= today => Standing::Done,
        (Some(due), _) if today > due => Standing::Overdue,
        (None, _) => Standing::Ongoing,
        (Some(_), Some(_)) => Standing::InProgress,
        (Some(_), None) => Standing::NotStarted,
    }
}

/// The quarter of a day, as stored (`2026Q1`).
pub fn quarter(d: Date) -> String {
    format!("{}Q{}", d.year(), (u8::from(d.month()) - 1) / 3 + 1)
}

/// `2026Q1` as "2026年第1季度" (any other text as it is).
pub fn quarter_zh(q: &str) -> String {
    match q.split_once('Q') {
        Some((y, n)) => format!("{y}年第{n}季度"),
        None => q.to_owned(),
    }
}

/// The units named in a 牵头单位 or 配合单位 cell: split at 、，,；; and spaces, with "牵头落实"/"牵头"/"负责" dropped
/// from the end of each (§4.2: "XX牵头落实").
pub fn split_units(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', ';', ' ', '\u{3000}', '/', '／'])
        .map(|u| {
            let u = u.trim();
            let u = u.strip_suffix("牵头落实").or_else(|| u.strip_suffix("牵头")).unwrap_or(u);
            u.strip_suffix("负责").unwrap_or(u).trim().to_owned()
        })
        .filter(|u| !u.is_empty())
        .collect()
}

/// Which of `agencies` (id, name) a unit name means (§10.15): the agency of exactly that name, else the only one
/// whose name ends with it ("市财政局" → "义马市财政局"); `None` for group names (各部门) or ambiguous ones.
pub fn match_unit(unit: &str, agencies: &[(i64, String)]) -> Option<i64> {
    if let Some((id, _)) = agencies.iter().find(|(_, n)| n == unit) {
        return Some(*id);
    }
    if unit.chars().count() < 2 || unit.starts_with('各') {
        return None;
    }
    let mut hits = agencies.iter().filter(|(_, n)| n.ends_with(unit));
    match (hits.next(), hits.next()) {
        (Some((id, _)), None) => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::calendar::Calendar;
    use crate::workplan::{
        Due, Progress, Standing, check_table, match_unit, parse_due, reminder_on, split_units, standing,
    };
    use time::macros::date;

    #[test]
    fn reminders_count_working_days_back() {
        let cal = Calendar::seeded();
        // §7.6: due 2025-09-30; back 09-29, 28 (Sun, 调休), 26, 25, 24, 23, 22, 19, 18, 17.
        assert_eq!(reminder_on(&cal, date!(2025 - 09 - 30)), date!(2025 - 09 - 17));
        // Across 国庆 2025 (10-01…10-08 off, Sat 10-11 and Sun 09-28 worked): due 10-15; back 10-14, 13, 11, 10,
        // 09, 09-30, 29, 28, 26, 25.
        assert_eq!(reminder_on(&cal, date!(2025 - 10 - 15)), date!(2025 - 09 - 25));
        // Plain weeks: due Fri 2025-11-28 → Fri 11-14.
        assert_eq!(reminder_on(&cal, date!(2025 - 11 - 28)), date!(2025 - 11 - 14));
    }

    #[test]
    fn standing_follows_progress_and_due_date() {
        let due = Some(date!(2025 - 09 - 30));
        let on = date!(2025 - 09 - 01);
        let late = date!(2025 - 10 - 01);
        assert_eq!(standing(due, None, on), Standing::NotStarted);
        assert_eq!(standing(due, None, late), Standing::Overdue);
        assert_eq!(standing(due, Some((Progress::Ongoing, on)), on), Standing::InProgress);
        assert_eq!(standing(due, Some((Progress::Ongoing, on)), late), Standing::Overdue);
        assert_eq!(standing(due, Some((Progress::Done, on)), late), Standing::Done);
        assert_eq!(standing(None, None, late), Standing::Ongoing);
        assert_eq!(standing(None, Some((Progress::Done, on)), late), Standing::Done);
    }

    #[test]
    fn units_are_split_and_matched() {
        assert_eq!(split_units("市委网信办,各乡镇"), ["市委网信办", "各乡镇"]);
        assert_eq!(split_units("市财政局牵头落实、市审计局"), ["市财政局", "市审计局"]);
        let agencies =
            vec![(1, "义马市财政局".to_owned()), (2, "义马市人民政府办公室".to_owned()), (3, "新区财政局".to_owned())];
        assert_eq!(match_unit("义马市人民政府办公室", &agencies), Some(2));
        assert_eq!(match_unit("市人民政府办公室", &agencies), Some(2));
        assert_eq!(match_unit("财政局", &agencies), None, "two agencies end with it");
        assert_eq!(match_unit("市财政局", &agencies), Some(1));
        assert_eq!(match_unit("各部门", &agencies), None);
    }

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
