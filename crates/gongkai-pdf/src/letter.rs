//! A 文书 of 依申请公开 as typst markup, laid out like the DOCX: title, 文号, salutation, paragraphs indented
//! by two characters, the agency and the date on the right. Every text goes in as a typst string literal.

use std::fmt::Write as _;

use gongkai_report::letters::Letter;

use crate::markup::string;

const SERIF: &str = "Noto Serif CJK SC";
const SANS: &str = "Noto Sans CJK SC";

pub(crate) fn document(l: &Letter) -> String {
    let (salutation, paragraphs) = l.parts();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"#set document(title: {title})
#set page(paper: "a4", margin: (top: 3.7cm, bottom: 3.5cm, left: 2.8cm, right: 2.6cm))
#set text(font: {serif}, size: 14pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 1em, spacing: 1em)

#align(center, text(font: {sans}, size: 20pt, {title}))
#v(0.5em)
#align(center, {doc_no})
#v(1em)
#par({salutation})
"#,
        title = string(&l.title),
        serif = string(SERIF),
        sans = string(SANS),
        doc_no = string(&l.doc_no),
        salutation = string(&salutation),
    );
    for p in &paragraphs {
        let _ = writeln!(out, "#par(first-line-indent: (amount: 2em, all: true), {})", string(p));
    }
    let _ = writeln!(out, "#v(2em)\n#align(right, {})", string(&l.agency_name));
    if !l.dated.is_empty() {
        let _ = writeln!(out, "#align(right, {})", string(&l.dated));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_stays_a_string() {
        let l = Letter {
            title: "答复告知书".into(),
            doc_no: "〔2026〕1号".into(),
            body: "张三：\n#set text(red) \"]".into(),
            agency_name: "某机关".into(),
            dated: String::new(),
        };
        let src = document(&l);
        assert!(src.contains(r##"#par(first-line-indent: (amount: 2em, all: true), "#set text(red) \"]")"##), "{src}");
    }
}
