//! 文书 of 依申请公开 rendered to DOCX. The text is built from the case's (append-only) log, so a letter that was
//! sent renders the same again. Fonts are named (方正小标宋简体, 仿宋_GB2312), not embedded.

use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts};

/// Any letter as it is printed: title, 文号, the salutation and paragraphs (the first line of `body` is the
/// salutation, each further non-empty line a paragraph), then the agency and the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub title: String,
    /// 文号, or a note that the draft is numbered when sent.
    pub doc_no: String,
    pub body: String,
    pub agency_name: String,
    /// `2026年4月28日`, or empty for an unsent draft.
    pub dated: String,
}

impl Letter {
    /// (salutation, paragraphs).
    pub fn parts(&self) -> (String, Vec<String>) {
        let mut lines = self.body.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or_default().to_owned();
        (first, lines.map(str::to_owned).collect())
    }
}

/// Renders any letter to DOCX bytes (A4, 仿宋 body, 小标宋 title).
pub fn letter_docx(l: &Letter) -> Result<Vec<u8>, String> {
    let mut doc = Docx::new()
        .add_paragraph(Paragraph::new().add_run(run(&l.title, 44, true)).align(AlignmentType::Center))
        .add_paragraph(Paragraph::new().add_run(run(&l.doc_no, 32, false)).align(AlignmentType::Center));
    let (salutation, paragraphs) = l.parts();
    doc = doc.add_paragraph(Paragraph::new().add_run(run(&salutation, 32, false)));
    for p in &paragraphs {
        doc = doc.add_paragraph(body(p));
    }
    doc = doc.add_paragraph(Paragraph::new().add_run(run(&l.agency_name, 32, false)).align(AlignmentType::Right));
    if !l.dated.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(&l.dated, 32, false)).align(AlignmentType::Right));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// 政府信息公开申请答复告知书: facts, outcome, legal basis, reasons, and the remedies.
#[derive(Debug, Clone)]
pub struct ReplyLetter {
    pub agency_name: String,
    /// 文号, e.g. `义马市人民政府办公室依申请公开〔2026〕3号`.
    pub doc_no: String,
    pub applicant_name: String,
    /// `2026年3月26日`
    pub received_on: String,
    pub description: String,
    pub outcome_label: String,
    pub legal_basis: String,
    pub reasons: String,
    /// `2026年4月28日`
    pub dated: String,
}

fn run(text: &str, size_half_points: usize, title: bool) -> Run {
    let font = if title { "方正小标宋简体" } else { "仿宋_GB2312" };
    Run::new().add_text(text).size(size_half_points).fonts(RunFonts::new().east_asia(font).ascii(font))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, 32, false)).indent(
        None,
        Some(docx_rs::SpecialIndentType::FirstLine(640)),
        None,
        None,
    )
}

/// The paragraphs of the letter as plain text (also used to check the rendering).
pub fn reply_paragraphs(l: &ReplyLetter) -> Vec<String> {
    vec![
        format!("{}：", l.applicant_name),
        format!(
            "本机关于{}收到您提出的政府信息公开申请，申请获取：{}。",
            l.received_on, l.description
        ),
        format!("经审查，现答复如下：{}。", l.outcome_label),
        if l.reasons.is_empty() { String::new() } else { format!("理由：{}", l.reasons) },
        format!("依据：{}。", l.legal_basis),
        "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，或者自知道该行政行为之日起6个月内依法向人民法院提起行政诉讼。"
            .to_owned(),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect()
}

/// Renders the reply letter to DOCX bytes.
pub fn reply_docx(l: &ReplyLetter) -> Result<Vec<u8>, String> {
    let mut doc = Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(run("政府信息公开申请答复告知书", 44, true)).align(AlignmentType::Center),
        )
        .add_paragraph(Paragraph::new().add_run(run(&l.doc_no, 32, false)).align(AlignmentType::Center));
    let paragraphs = reply_paragraphs(l);
    for (i, p) in paragraphs.iter().enumerate() {
        doc = doc.add_paragraph(if i == 0 { Paragraph::new().add_run(run(p, 32, false)) } else { body(p) });
    }
    doc = doc
        .add_paragraph(Paragraph::new().add_run(run(&l.agency_name, 32, false)).align(AlignmentType::Right))
        .add_paragraph(Paragraph::new().add_run(run(&l.dated, 32, false)).align(AlignmentType::Right));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_letter_is_a_docx_with_its_paragraphs() {
        let l = Letter {
            title: "政府信息公开申请补正告知书".into(),
            doc_no: "义政办公开〔2026〕3号".into(),
            body: "张三：\n请补正文件名称。\n\n  逾期视为放弃。  ".into(),
            agency_name: "义马市人民政府办公室".into(),
            dated: "2026年3月30日".into(),
        };
        assert_eq!(l.parts(), ("张三：".to_owned(), vec!["请补正文件名称。".to_owned(), "逾期视为放弃。".to_owned()]));
        let bytes = letter_docx(&l).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        for s in ["补正告知书", "义政办公开〔2026〕3号", "请补正文件名称。", "2026年3月30日"] {
            assert!(xml.contains(s), "{s}");
        }
    }

    #[test]
    fn reply_letter_is_a_docx_with_the_number_and_the_remedies() {
        let l = ReplyLetter {
            agency_name: "义马市人民政府办公室".into(),
            doc_no: "义马市人民政府办公室依申请公开〔2026〕1号".into(),
            applicant_name: "张三".into(),
            received_on: "2026年3月26日".into(),
            description: "某文件".into(),
            outcome_label: "部分公开".into(),
            legal_basis: "《政府信息公开条例》第三十七条".into(),
            reasons: "涉及商业秘密的部分不予公开".into(),
            dated: "2026年4月28日".into(),
        };
        let bytes = reply_docx(&l).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = reply_paragraphs(&l).join("\n");
        assert!(text.contains("6个月内"));
        assert!(!text.contains("3个月"));
    }
}
