//! The report as a Word document (opens in Word and WPS): A4, fonts named as in government documents
//! (仿宋_GB2312 body, 黑体 title and headings; named only, not embedded), tables with gridSpan/vMerge.

use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Table as DocxTable, TableCell,
    TableRow, VAlignType, VMergeType, WidthType,
};
use gongkai_domain::annual_report::AnnualReport;

use super::layout::{Part, Slot, Table, parts, title};

const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
/// A4 in twips (1/1440 in).
const A4: (u32, u32) = (11906, 16838);
/// Margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm) in twips.
const MARGINS: (i32, i32, i32, i32) = (2098, 1984, 1587, 1474);
/// Text width: A4 width minus the side margins.
const TEXT_WIDTH: usize = 11906 - 1587 - 1474;
/// Sizes in half-points: 二号 22 pt (title), 三号 16 pt (body, headings), 五号 10.5 pt (tables).
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 21;

#[derive(Debug, thiserror::Error)]
#[error("无法生成 DOCX：{0}")]
pub struct DocxError(String);

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(name).hi_ansi(name)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// Column widths (twips) per table, summing to [`TEXT_WIDTH`].
fn widths(t: &Table) -> Vec<usize> {
    match t.columns {
        4 => {
            let first = TEXT_WIDTH - 3 * 2000;
            vec![first, 2000, 2000, 2000]
        }
        10 => {
            // 三、本年度办理结果 | （三）不予公开 | leaf label | 7 numbers
            let numbers = 7 * 620;
            vec![640, 900, TEXT_WIDTH - numbers - 640 - 900, 620, 620, 620, 620, 620, 620, 620]
        }
        n => {
            let w = TEXT_WIDTH / n;
            vec![w; n]
        }
    }
}

fn table(t: &Table) -> DocxTable {
    let widths = widths(t);
    let grid = t.grid();
    let rows = grid
        .iter()
        .map(|line| {
            let mut cells = Vec::new();
            for (c, slot) in line.iter().enumerate() {
                let (cell, merge) = match *slot {
                    Slot::Origin(cell) => (cell, (cell.rowspan > 1).then_some(VMergeType::Restart)),
                    // a rowspan continues: one <w:tc> with vMerge at the origin's first column only
                    Slot::Covered { row, col } if col == c => {
                        let Slot::Origin(origin) = grid[row][col] else {
                            unreachable!("a cell covers from its origin")
                        };
                        (origin, Some(VMergeType::Continue))
                    }
                    Slot::Covered { .. } => continue,
                };
                let width: usize = widths[c..c + cell.colspan].iter().sum();
                let mut p = Paragraph::new().align(if cell.content.is_label() && !cell.header && cell.rowspan == 1 {
                    AlignmentType::Left
                } else {
                    AlignmentType::Center
                });
                if merge != Some(VMergeType::Continue) {
                    let font = if cell.header { HEADING_FONT } else { BODY_FONT };
                    p = p.add_run(run(&cell.content.text(), font, TABLE_SIZE));
                }
                let mut tc =
                    TableCell::new().add_paragraph(p).width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
                if cell.colspan > 1 {
                    tc = tc.grid_span(cell.colspan);
                }
                if let Some(m) = merge {
                    tc = tc.vertical_merge(m);
                }
                cells.push(tc);
            }
            TableRow::new(cells).cant_split()
        })
        .collect();
    DocxTable::new(rows).set_grid(widths).width(TEXT_WIDTH, WidthType::Dxa)
}

/// The report as `.docx` bytes.
pub fn docx(r: &AnnualReport) -> Result<Vec<u8>, DocxError> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new().top(MARGINS.0).bottom(MARGINS.1).left(MARGINS.2).right(MARGINS.3).header(851).footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(&title(r), HEADING_FONT, TITLE_SIZE)));
    for part in parts(r) {
        doc = match part {
            Part::Heading(h) => doc.add_paragraph(
                Paragraph::new().indent(None, Some(SpecialIndentType::FirstLine(640)), None, None).add_run(run(
                    h,
                    HEADING_FONT,
                    BODY_SIZE,
                )),
            ),
            Part::Paragraph(p) => doc.add_paragraph(
                Paragraph::new()
                    .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                    .add_run(run(&p, BODY_FONT, BODY_SIZE)),
            ),
            Part::Table(t) => doc.add_table(table(&t)).add_paragraph(Paragraph::new()),
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| DocxError(e.to_string()))?;
    Ok(buf.into_inner())
}
