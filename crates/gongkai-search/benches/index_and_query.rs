//! Indexes N synthetic Chinese documents into an on-disk index and measures the indexing rate and the latency
//! percentiles of typical portal queries. Results go to `bench/results/search-<N>.txt` (relative to the
//! workspace root) and to standard output.

use gongkai_search::{SearchDoc, SearchIndex, SearchQuery};
use std::fmt::Write as _;
use std::time::Instant;

const WORDS: &[&str] = &[
    "政府信息公开",
    "安全生产",
    "防汛抗旱",
    "优化营商环境",
    "政务服务",
    "乡村振兴",
    "生态环境保护",
    "财政预算",
    "行政许可",
    "行政处罚",
    "社会救助",
    "公共卫生",
    "食品安全",
    "教育资助",
    "就业创业",
    "重点项目",
    "城市管理",
    "土地征收",
    "房屋征收",
    "统计信息",
    "应急预案",
    "监督检查",
    "公务员招考",
    "规范性文件",
];
const GENRES: &[&str] = &["通知", "公告", "意见", "办法", "报告", "通报"];
const AGENCIES: &[&str] = &["yima", "yima-office", "yima-edu", "yima-nr", "yima-health", "yima-xinqu"];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
}

fn doc(i: u64, rng: &mut Rng) -> SearchDoc {
    let (a, b, c) = (rng.word(), rng.word(), rng.word());
    let body = (0..12)
        .map(|_| format!("为进一步做好{}工作，推进{}，各单位要加强{}。", rng.word(), rng.word(), rng.word()))
        .collect::<String>();
    let agency = AGENCIES[(i % AGENCIES.len() as u64) as usize];
    SearchDoc {
        id: i,
        agency_code: agency.into(),
        agency_name: format!("{agency}机构"),
        column_slug: "tzgg".into(),
        column_name: "通知公告".into(),
        title: format!("关于做好{a}和{b}工作的{}", GENRES[(i % GENRES.len() as u64) as usize]),
        body_text: format!("{body}{c}"),
        doc_no: format!("义政办〔{}〕{}号", 2019 + i % 6, i % 500 + 1),
        index_no: format!("{agency}/{}-{:05}", 2019 + i % 6, i),
        genre: GENRES[(i % GENRES.len() as u64) as usize].into(),
        topic: "综合政务".into(),
        validity: String::new(),
        year: 2019 + i % 6,
        published: String::new(),
    }
}

/// Bytes of the files directly in `dir` (a tantivy index is flat).
fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: u64 = std::env::var("BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000).min(1_000_000);
    let dir = std::env::temp_dir().join(format!("gongkai-bench-search-{}", std::process::id()));
    let index = SearchIndex::open(&dir).expect("open index");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Documents are generated as the writer takes them (never all in memory: 1M documents would need several
    // GB); the writer flushes a segment every 30 MB, so memory stays flat whatever N is. Generation is part of
    // the measured time, a small share next to tokenizing.
    let start = Instant::now();
    index.rebuild((0..n).map(|i| doc(i, &mut rng))).expect("index");
    let index_secs = start.elapsed().as_secs_f64();
    let index_bytes = dir_size(&dir);

    let queries: Vec<SearchQuery> = (0..300)
        .map(|i| SearchQuery {
            text: match i % 4 {
                0 => rng.word().to_owned(),
                1 => format!("{} {}", rng.word(), rng.word()),
                2 => format!("义政办〔{}〕{}号", 2019 + i % 6, i % 500 + 1),
                _ => "政府信息公开".to_owned(),
            },
            agency: (i % 3 == 0).then(|| AGENCIES[i % AGENCIES.len()].to_owned()),
            year: (i % 5 == 0).then_some(2023),
            genre: None,
            topic: None,
            validity: None,
            offset: 0,
            limit: 10,
        })
        .collect();
    let mut ms = Vec::with_capacity(queries.len());
    for q in &queries {
        let t = Instant::now();
        let r = index.search(q).expect("search");
        std::hint::black_box(r.total);
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);

    let mut out = String::new();
    let _ = writeln!(out, "gongkai-search benchmark (debug builds are far slower: use `cargo bench`)");
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let _ = writeln!(
        out,
        "machine: {cpus} logical CPUs ({} {}); one writer thread",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let _ = writeln!(out, "documents: {n}");
    let _ = writeln!(out, "indexing: {index_secs:.2} s, {:.0} docs/s", n as f64 / index_secs.max(1e-9));
    let _ = writeln!(out, "index size: {:.1} MB", index_bytes as f64 / 1e6);
    let _ = writeln!(out, "queries: {} (words, word pairs, exact 文号, with agency/year filters)", ms.len());
    for (label, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)] {
        let _ = writeln!(out, "latency {label}: {:.2} ms", percentile(&ms, p));
    }
    print!("{out}");
    let results = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/results");
    if std::fs::create_dir_all(&results).is_ok() {
        let _ = std::fs::write(results.join(format!("search-{n}.txt")), &out);
    }
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}
