//! The official layout of the report (国办公开办函〔2021〕30号), once, for every renderer: the title, the
//! section headings and the three tables as grids of cells with their merges.

use gongkai_domain::annual_report::{AnnualReport, ApplicantColumn, T2Doc, T3Row, T4Column, T4Group};

/// Section headings 一–六, verbatim (annual-report.md § Sections).
pub const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// Top-left header cell of table 三.
pub const T3_CORNER: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// `{agency}{year}年政府信息公开工作年度报告`.
pub fn title(r: &AnnualReport) -> String {
    let year = r.year.map(|y| y.to_string()).unwrap_or_default();
    format!("{}{year}年政府信息公开工作年度报告", r.agency.as_deref().unwrap_or(""))
}

/// Paragraphs of a narrative section (blank lines dropped).
pub fn paragraphs(text: Option<&str>) -> impl Iterator<Item = &str> {
    text.unwrap_or("").split('\n').map(str::trim).filter(|p| !p.is_empty())
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A header or row label.
    Label(String),
    /// A count; `None` is a blank cell (never shown as 0).
    Count(Option<u32>),
    /// An amount in 万元 (二(八)); `None` is blank.
    Amount(Option<f64>),
}

impl Content {
    /// The cell as text: numbers without a trailing `.0`, blank cells empty.
    pub fn text(&self) -> String {
        match self {
            Self::Label(s) => s.clone(),
            Self::Count(v) => v.map(|n| n.to_string()).unwrap_or_default(),
            Self::Amount(v) => v.map(format_amount).unwrap_or_default(),
        }
    }

    pub fn is_label(&self) -> bool {
        matches!(self, Self::Label(_))
    }

    /// The number, for spreadsheets.
    pub fn number(&self) -> Option<f64> {
        match self {
            Self::Label(_) => None,
            Self::Count(v) => v.map(f64::from),
            Self::Amount(v) => *v,
        }
    }
}

fn format_amount(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { v.to_string() }
}

/// One cell and the grid slots it covers to the right (`colspan`) and below (`rowspan`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub content: Content,
    pub colspan: usize,
    pub rowspan: usize,
    /// A column or group header (rendered as `<th>`, bold).
    pub header: bool,
}

impl Cell {
    fn head(text: &str) -> Self {
        Self { content: Content::Label(text.to_string()), colspan: 1, rowspan: 1, header: true }
    }
    fn label(text: &str) -> Self {
        Self { header: false, ..Self::head(text) }
    }
    fn value(content: Content) -> Self {
        Self { content, colspan: 1, rowspan: 1, header: false }
    }
    fn cols(mut self, n: usize) -> Self {
        self.colspan = n;
        self
    }
    fn rows(mut self, n: usize) -> Self {
        self.rowspan = n;
        self
    }
}

/// A table as rows of the cells that start in each row, like HTML `<tr>`s.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name: `表二`, `表三`, `表四` (sheet names).
    pub name: &'static str,
    /// Number of grid columns.
    pub columns: usize,
    /// Leading rows that are headers (repeated on a new page).
    pub header_rows: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// A grid slot: the cell starting there, or covered by the cell starting at `(row, col)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot<'a> {
    Origin(&'a Cell),
    Covered { row: usize, col: usize },
}

impl Table {
    /// The table laid out on its grid: `grid[r][c]`.
    pub fn grid(&self) -> Vec<Vec<Slot<'_>>> {
        let mut grid: Vec<Vec<Option<Slot<'_>>>> = vec![vec![None; self.columns]; self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while grid[r][c].is_some() {
                    c += 1;
                }
                for (dr, line) in grid[r..r + cell.rowspan].iter_mut().enumerate() {
                    for (dc, slot) in line[c..c + cell.colspan].iter_mut().enumerate() {
                        *slot = Some(if dr == 0 && dc == 0 {
                            Slot::Origin(cell)
                        } else {
                            Slot::Covered { row: r, col: c }
                        });
                    }
                }
                c += cell.colspan;
            }
        }
        grid.into_iter().map(|line| line.into_iter().map(|s| s.expect("layout covers the grid")).collect()).collect()
    }
}

/// Table 二: four parts, each headed by its article (第二十条第（一）（五）（六）（八）项).
pub fn table2(r: &AnnualReport) -> Table {
    let t2 = &r.t2;
    let doc_row = |name: &str, d: &T2Doc| {
        let mut row = vec![Cell::label(name)];
        row.extend((0..3).map(|i| Cell::value(Content::Count(d.get(i)))));
        row
    };
    let single = |name: &str, content: Content| vec![Cell::label(name), Cell::value(content).cols(3)];
    let rows = vec![
        vec![Cell::head("第二十条第（一）项").cols(4)],
        vec![
            Cell::head("信息内容"),
            Cell::head("本年制发件数"),
            Cell::head("本年废止件数"),
            Cell::head("现行有效件数"),
        ],
        doc_row("规章", &t2.rules),
        doc_row("行政规范性文件", &t2.normative),
        vec![Cell::head("第二十条第（五）项").cols(4)],
        vec![Cell::head("信息内容"), Cell::head("本年处理决定数量").cols(3)],
        single("行政许可", Content::Count(t2.licensing)),
        vec![Cell::head("第二十条第（六）项").cols(4)],
        vec![Cell::head("信息内容"), Cell::head("本年处理决定数量").cols(3)],
        single("行政处罚", Content::Count(t2.penalty)),
        single("行政强制", Content::Count(t2.coercion)),
        vec![Cell::head("第二十条第（八）项").cols(4)],
        vec![Cell::head("信息内容"), Cell::head("本年收费金额（单位：万元）").cols(3)],
        single("行政事业性收费", Content::Amount(t2.fees)),
    ];
    Table { name: "表二", columns: 4, header_rows: 0, rows }
}

/// Table 三: 3 header rows, then 25 rows; `三、本年度办理结果` spans the 22 outcome rows.
pub fn table3(r: &AnnualReport) -> Table {
    let mut rows = vec![
        vec![Cell::head(T3_CORNER).cols(3).rows(3), Cell::head("申请人情况").cols(7)],
        vec![Cell::head("自然人").rows(2), Cell::head("法人或其他组织").cols(5), Cell::head("总计").rows(2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].into_iter().map(Cell::head).collect(),
    ];
    let outcome_rows = T3Row::ALL.len() - 3;
    for row in T3Row::ALL {
        let mut cells = Vec::new();
        match row {
            T3Row::New | T3Row::CarriedIn | T3Row::CarriedOut => cells.push(Cell::label(row.label()).cols(3)),
            T3Row::Disclosed => {
                cells.push(Cell::label("三、本年度办理结果").rows(outcome_rows));
                cells.push(Cell::label(row.label()).cols(2));
            }
            T3Row::PartlyDisclosed | T3Row::Total => cells.push(Cell::label(row.label()).cols(2)),
            _ => {
                let group = row.group_label();
                let members = T3Row::ALL.iter().filter(|r| r.group_label() == group);
                if members.clone().next() == Some(&row) {
                    cells.push(Cell::label(group.unwrap_or_default()).rows(members.count()));
                }
                cells.push(Cell::label(row.label()));
            }
        }
        cells.extend(ApplicantColumn::ALL.iter().map(|&c| Cell::value(Content::Count(r.t3.get(row, c)))));
        rows.push(cells);
    }
    Table { name: "表三", columns: 10, header_rows: 3, rows }
}

/// Table 四: 行政复议 (5 columns) and 行政诉讼 (未经复议直接起诉 5, 复议后起诉 5), one row of values.
pub fn table4(r: &AnnualReport) -> Table {
    let heads = || T4Column::ALL.iter().map(|c| Cell::head(c.key())).collect::<Vec<_>>();
    let mut second: Vec<Cell> = T4Column::ALL.iter().map(|c| Cell::head(c.key()).rows(2)).collect();
    second.push(Cell::head("未经复议直接起诉").cols(5));
    second.push(Cell::head("复议后起诉").cols(5));
    let mut third = heads();
    third.extend(heads());
    let values = T4Group::ALL
        .iter()
        .flat_map(|&g| T4Column::ALL.iter().map(move |&c| Cell::value(Content::Count(r.t4.get(g, c)))))
        .collect();
    Table {
        name: "表四",
        columns: 15,
        header_rows: 3,
        rows: vec![vec![Cell::head("行政复议").cols(5), Cell::head("行政诉讼").cols(10)], second, third, values],
    }
}

/// A part of the report in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Heading(&'static str),
    Paragraph(String),
    Table(Table),
}

/// The report below its title: headings 一–六 with their narrative or table.
pub fn parts(r: &AnnualReport) -> Vec<Part> {
    let para = |text: Option<&str>| paragraphs(text).map(|p| Part::Paragraph(p.to_string())).collect::<Vec<_>>();
    let mut out = vec![Part::Heading(HEADINGS[0])];
    out.extend(para(r.sections.one.as_deref()));
    out.push(Part::Heading(HEADINGS[1]));
    out.push(Part::Table(table2(r)));
    out.push(Part::Heading(HEADINGS[2]));
    out.push(Part::Table(table3(r)));
    out.push(Part::Heading(HEADINGS[3]));
    out.push(Part::Table(table4(r)));
    out.push(Part::Heading(HEADINGS[4]));
    out.extend(para(r.sections.five.as_deref()));
    out.push(Part::Heading(HEADINGS[5]));
    out.extend(para(r.sections.six.as_deref()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_fills_its_grid_exactly() {
        let r = AnnualReport::default();
        for t in [table2(&r), table3(&r), table4(&r)] {
            let grid = t.grid();
            assert!(grid.iter().all(|row| row.len() == t.columns), "{}", t.name);
        }
        assert_eq!(table3(&r).rows.len(), 28);
    }

    #[test]
    fn amounts_print_without_a_trailing_zero() {
        assert_eq!(Content::Amount(Some(3.0)).text(), "3");
        assert_eq!(Content::Amount(Some(12.35)).text(), "12.35");
        assert_eq!(Content::Count(None).text(), "");
    }
}
