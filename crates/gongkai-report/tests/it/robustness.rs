//! The parser never panics: mutated reports in every form, and pathological shapes (deep nesting, huge spans).
//! (The cargo-fuzz target in `fuzz/` does this at scale; this is the cheap version that runs in CI.)

use gongkai_report::audit::audit_bytes;
use gongkai_report::{ParseError, SourceKind, parse};

use crate::support::{FIXTURE, HtmlOpts, Style, docx, firefox_text, html, layout, pdf_text, rich_report};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(v.len());
        match rng.below(4) {
            0 => v[at] = rng.next() as u8,
            1 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            2 => {
                let from = rng.below(v.len());
                let len = rng.below(128).min(v.len() - from);
                let chunk = v[from..from + len].to_vec();
                v.splice(at..at, chunk);
            }
            _ => v.insert(at, b"\t\n<>0123456789"[rng.below(14)]),
        }
        if v.is_empty() {
            v.push(b'x');
        }
    }
    v
}

#[test]
fn mutated_reports_never_panic() {
    let rich = layout(&rich_report(), &Style::default());
    let seeds: Vec<Vec<u8>> = vec![
        FIXTURE.as_bytes().to_vec(),
        html(&rich, HtmlOpts { word: true, chrome: false }).into_bytes(),
        firefox_text(&rich).into_bytes(),
        pdf_text(&rich).into_bytes(),
        docx(&rich),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..300 {
        let seed = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, seed);
        if let Ok(a) = audit_bytes(&input, None) {
            let _ = gongkai_domain::annual_report::to_json(&a.report, &a.findings);
        }
        let _ = parse(&input, Some(SourceKind::Text));
    }
}

#[test]
fn pathological_shapes_finish() {
    let deep = "<div><span>".repeat(20_000) + "一、总体情况" + &"</span></div>".repeat(20_000);
    assert_eq!(parse(deep.as_bytes(), None), Err(ParseError::TooDeep));
    let word = "<div><span>".repeat(60) + "一、总体情况" + &"</span></div>".repeat(60);
    assert!(parse(word.as_bytes(), None).is_ok(), "ordinary nesting is fine");
    let spans = format!(
        "<table>{}</table>",
        "<tr><td rowspan=65534 colspan=1000>x</td><td rowspan=0>三、本年度办理结果</td></tr>".repeat(2_000)
    );
    let _ = parse(spans.as_bytes(), None);
    let nested_tables = "<table><tr><td>".repeat(5_000) + "规章 1 2 3";
    let _ = parse(nested_tables.as_bytes(), None);
    let one_line = "收到政府信息公开申请1件，予以公开".repeat(20_000);
    let _ = audit_bytes(format!("一、总体情况\n{one_line}\n二、主动公开政府信息情况").as_bytes(), None);
    let many_values = format!("三、收到和处理政府信息公开申请情况\n{}", "一、本年新收 1 2 3\n".repeat(50_000));
    let _ = parse(many_values.as_bytes(), None);
}
