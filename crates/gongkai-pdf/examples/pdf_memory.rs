//! Resident memory of a process that renders PDFs (issue 14, P6): the reference report rendered N times
//! (default 20), each time with another agency name and year, VmRSS before, after the first and after the last. `bench/memory.sh` runs it in release mode and
//! records the figures; run it by hand with `cargo run --release -p gongkai-pdf --example pdf_memory [N]`.

fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let text = include_str!("../../gongkai-report/tests/fixtures/yima-2023-annual-report.txt");
    let mut report = gongkai_report::parse(text.as_bytes(), None).expect("the fixture parses").report;
    let agency = report.agency.clone().unwrap_or_default();
    let before = rss_mb();
    let mut after_first = 0;
    let started = std::time::Instant::now();
    for i in 0..n {
        // A different document each time (as a server renders different reports and letters).
        report.agency = Some(format!("{agency}（第{i}份）"));
        report.year = Some(2000 + i as i32 % 30);
        let pdf = gongkai_pdf::render(&report).expect("render");
        assert!(pdf.starts_with(b"%PDF"));
        if i == 0 {
            after_first = rss_mb();
        }
    }
    let after = rss_mb();
    let ms = started.elapsed().as_millis() as f64 / n.max(1) as f64;
    println!(
        r#"{{"renders":{n},"rss_mb_before":{before},"rss_mb_after_first":{after_first},"rss_mb_after_last":{after},"ms_per_render":{ms:.0}}}"#
    );
}
