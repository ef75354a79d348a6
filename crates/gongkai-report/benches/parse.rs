//! Auditor throughput: reports parsed and checked per second, for HTML and browser-copied text.
//! Writes `bench/results/auditor.json`. Run: `cargo bench -p gongkai-report --bench parse [-- ITERATIONS]`.

#[path = "../tests/it/support.rs"]
mod support;

use std::time::Instant;

use gongkai_report::audit::audit_bytes;
use support::{FIXTURE, HtmlOpts, Style, chrome_text, docx, html, layout, pdf_text, rich_report};

fn main() {
    let iterations: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .or_else(|| std::env::var("GONGKAI_BENCH_ITERATIONS").ok()?.parse().ok())
        .unwrap_or(300);
    let rich = layout(&rich_report(), &Style::default());
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        (
            "html (Word markup, page chrome, rowspan/colspan)",
            html(&rich, HtmlOpts { word: true, chrome: true }).into_bytes(),
        ),
        ("html (plain tables)", html(&rich, HtmlOpts::default()).into_bytes()),
        ("text (fixture, browser copy)", FIXTURE.as_bytes().to_vec()),
        ("text (pdftotext-like)", pdf_text(&rich).into_bytes()),
        ("text (browser copy, generated)", chrome_text(&rich).into_bytes()),
        ("docx", docx(&rich)),
    ];
    let mut results = Vec::new();
    for (name, bytes) in &inputs {
        let audited = audit_bytes(bytes, None).expect("bench input is a report");
        assert!(audited.findings.is_empty(), "{name}: {:?}", audited.findings);
        for _ in 0..iterations.min(20) {
            std::hint::black_box(audit_bytes(std::hint::black_box(bytes), None).ok());
        }
        let start = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(audit_bytes(std::hint::black_box(bytes), None).ok());
        }
        let secs = start.elapsed().as_secs_f64();
        let per_second = f64::from(iterations) / secs;
        println!(
            "{name:<52} {:>8} bytes  {per_second:>10.1} reports/s  ({:.3} ms each)",
            bytes.len(),
            1000.0 / per_second
        );
        results.push(serde_json::json!({
            "input": name,
            "bytes": bytes.len(),
            "iterations": iterations,
            "seconds": secs,
            "reports_per_second": (per_second * 10.0).round() / 10.0,
        }));
    }
    let out = serde_json::json!({
        "bench": "auditor: gongkai_report::audit::audit_bytes (parse + checks R1–R8)",
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "threads": 1,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        "results": results,
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/results");
    std::fs::create_dir_all(&dir).expect("bench/results");
    let path = dir.join("auditor.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap() + "\n").expect("write results");
    println!("written to bench/results/auditor.json");
}
