//! Indexes N synthetic Chinese documents into an on-disk index and measures the indexing rate and the latency
//! percentiles of portal queries (each with its exact total and facet counts, and its first ten hits with
//! highlighted snippets), for two corpora (see `corpus.rs`).
//!
//! Environment:
//! - `BENCH_DOCS`: documents (default 10 000, at most 1 000 000);
//! - `BENCH_CORPUS`: `adversarial`, `zipf` or `both` (default);
//! - `BENCH_QUERIES`: queries per corpus (default 300); each is run once untimed (page cache, CPU caches:
//!   reported as `cold_*`), then timed;
//! - `BENCH_JSON`: a file to which one JSON object per corpus is appended (what `bench/search.sh` reads);
//! - `BENCH_PG_DIR`: also write `<corpus>-<N>.tsv` (the documents) and `<corpus>-<N>.sql` (the same queries
//!   with ILIKE, `\timing` on) there, for the PostgreSQL anchor;
//! - `BENCH_INDEX_DIR`: keep the index in `<dir>/<corpus>-<N>` and reuse it when it is there (profiling runs);
//!   by default it is built in the temp dir and removed;
//! - `BENCH_CLASSES`: also print the p50 and largest latency per kind of query (one word, two words, a 文号;
//!   with or without an agency and a year) on standard error.
//!
//! A summary is printed to standard output.

mod corpus;
mod pg;

use corpus::{Corpus, Kind};
use gongkai_search::{SearchIndex, SearchQuery};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bytes of the files directly in `dir` (a tantivy index is flat).
fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// CPU time of all the threads of this process so far, in ms (Linux schedstat; 0 elsewhere). A query's CPU time
/// does not grow when other processes take the cores, its wall time does.
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0.0 };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

/// Resident memory of this process, in MB (Linux; 0 elsewhere): `VmRSS` (all), or `RssAnon` (heap, without the
/// pages of the memory-mapped index files, which the kernel may drop and read again).
fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn anon_mb() -> f64 {
    status_mb("RssAnon:")
}

fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

struct Run {
    /// One-minute load average when the queries started (-1: unknown).
    load: f64,
    index_secs: f64,
    index_bytes: u64,
    /// Sorted latencies of the timed pass, and of the first (untimed) pass.
    ms: Vec<f64>,
    /// Sorted CPU time of the timed pass's queries (all threads).
    cpu: Vec<f64>,
    cold_ms: Vec<f64>,
    /// Share of the documents each query matched (its total), averaged; and the largest.
    mean_match: f64,
    max_match: f64,
    /// The slowest queries: (ms, total, query).
    slowest: Vec<(f64, usize, SearchQuery)>,
    /// Whether the index of an earlier run was opened (BENCH_INDEX_DIR): then `rss_open_mb` is the memory of a
    /// process that just opened an index of N documents (as a server at rest holds it).
    reused: bool,
    rss_open_mb: f64,
    rss_after_queries_mb: f64,
    anon_after_queries_mb: f64,
}

fn run(kind: Kind, n: u64, nq: usize, pg_dir: Option<&Path>) -> Run {
    let (dir, keep) = match std::env::var_os("BENCH_INDEX_DIR") {
        Some(d) => (PathBuf::from(d).join(format!("{}-{n}", kind.name())), true),
        None => {
            (std::env::temp_dir().join(format!("gongkai-bench-search-{}-{}", kind.name(), std::process::id())), false)
        }
    };
    let index = SearchIndex::open(&dir).expect("open index");
    let rss_open_mb = rss_mb();
    let mut corpus = Corpus::new(kind);
    if kind == Kind::Zipf {
        let v = corpus.vocabulary();
        eprintln!("zipf vocabulary: {} words, the most frequent: {}", v.len(), v[..20].join(" "));
    }
    let mut pg = pg_dir.map(|d| pg::Writer::create(d, kind.name(), n));
    // Documents are generated as the writer takes them (never all in memory: 1M documents would need several
    // GB); the writer flushes a segment every 30 MB, so memory stays flat whatever N is. Generation is part of
    // the measured time, a small share next to tokenizing.
    let reuse = keep && index.num_docs() == n && pg.is_none();
    let start = Instant::now();
    if reuse {
        // Documents still drawn (not indexed): the queries continue the same random sequence.
        (0..n).for_each(|i| drop(corpus.doc(i)));
    } else {
        index
            .rebuild((0..n).map(|i| {
                let d = corpus.doc(i);
                if let Some(pg) = &mut pg {
                    pg.doc(&d);
                }
                d
            }))
            .expect("index");
        // Measured as a searcher would find the index some time after a rebuild: background merges done.
        index.wait_merges().expect("merges");
    }
    let index_secs = start.elapsed().as_secs_f64();
    let index_bytes = dir_size(&dir);

    let queries = corpus.queries(nq);
    // The machine is shared: its load when the queries start goes with the figures.
    let load = std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next()?.parse().ok());
    if let Some(pg) = pg {
        pg.finish(&queries);
    }
    let mut cold_ms = Vec::with_capacity(nq);
    let mut timed = Vec::with_capacity(nq);
    let mut cpu = Vec::with_capacity(nq);
    for pass in 0..2 {
        for q in &queries {
            let c = cpu_ms();
            let t = Instant::now();
            let r = index.search(q).expect("search");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(&r);
            if pass == 0 {
                cold_ms.push(ms);
            } else {
                cpu.push(cpu_ms() - c);
                timed.push((ms, r.total, q.clone()));
            }
        }
    }
    let rss_after_queries_mb = rss_mb();
    let anon_after_queries_mb = anon_mb();
    cpu.sort_by(f64::total_cmp);
    let totals: Vec<f64> = timed.iter().map(|t| t.1 as f64 / n.max(1) as f64).collect();
    let mut ms: Vec<f64> = timed.iter().map(|t| t.0).collect();
    ms.sort_by(f64::total_cmp);
    cold_ms.sort_by(f64::total_cmp);
    if std::env::var_os("BENCH_CLASSES").is_some() {
        let mut classes: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
        for (ms, _, q) in &timed {
            let kind = if q.text.contains('〔') {
                "docno".to_owned()
            } else {
                format!("{}w", q.text.split_whitespace().count())
            };
            classes
                .entry(format!("{kind} agency={} year={}", q.agency.is_some(), q.year.is_some()))
                .or_default()
                .push(*ms);
        }
        for (k, mut v) in classes {
            v.sort_by(f64::total_cmp);
            eprintln!("class {k}: n {} p50 {:.2} max {:.2}", v.len(), percentile(&v, 0.5), percentile(&v, 1.0));
        }
    }
    timed.sort_by(|a, b| b.0.total_cmp(&a.0));
    timed.truncate(5);
    drop(index);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Run {
        load: load.unwrap_or(-1.0),
        index_secs: if reuse { f64::NAN } else { index_secs },
        index_bytes,
        ms,
        cpu,
        cold_ms,
        mean_match: totals.iter().sum::<f64>() / totals.len().max(1) as f64,
        max_match: totals.iter().copied().fold(0.0, f64::max),
        slowest: timed,
        reused: reuse,
        rss_open_mb,
        rss_after_queries_mb,
        anon_after_queries_mb,
    }
}

fn main() {
    let n: u64 = env("BENCH_DOCS").unwrap_or(10_000).min(1_000_000);
    let nq: usize = env("BENCH_QUERIES").unwrap_or(300).max(1);
    let kinds = match std::env::var("BENCH_CORPUS").as_deref() {
        Ok("adversarial") => vec![Kind::Adversarial],
        Ok("zipf") => vec![Kind::Zipf],
        Ok("both") | Err(_) => vec![Kind::Zipf, Kind::Adversarial],
        Ok(other) => panic!("BENCH_CORPUS={other}: adversarial, zipf or both"),
    };
    let pg_dir = std::env::var_os("BENCH_PG_DIR").map(PathBuf::from);
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("gongkai-search benchmark ({cpus} logical CPUs, {} {})", std::env::consts::OS, std::env::consts::ARCH);
    for kind in kinds {
        let r = run(kind, n, nq, pg_dir.as_deref());
        let mut out = String::new();
        let _ = writeln!(out, "corpus {}: {n} documents", kind.name());
        let _ = writeln!(out, "  indexing: {:.2} s, {:.0} docs/s", r.index_secs, n as f64 / r.index_secs);
        let _ = writeln!(
            out,
            "  index size: {:.1} MB; load average at the queries {:.2}",
            r.index_bytes as f64 / 1e6,
            r.load
        );
        let _ = writeln!(
            out,
            "  queries: {} timed after one untimed pass; matches: mean {:.1}%, max {:.1}% of the documents",
            r.ms.len(),
            r.mean_match * 100.0,
            r.max_match * 100.0
        );
        for (label, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)] {
            let _ = writeln!(
                out,
                "  latency {label}: {:.2} ms (first pass {:.2} ms)",
                percentile(&r.ms, p),
                percentile(&r.cold_ms, p)
            );
        }
        let _ = writeln!(
            out,
            "  CPU time per query (all threads): p50 {:.2} ms, p99 {:.2} ms",
            percentile(&r.cpu, 0.5),
            percentile(&r.cpu, 0.99)
        );
        let _ = writeln!(
            out,
            "  memory (VmRSS): {:.0} MB after opening the index{}, {:.0} MB after the queries ({:.0} MB of it heap)",
            r.rss_open_mb,
            if r.reused { " of an earlier run (at rest)" } else { " (empty, before indexing)" },
            r.rss_after_queries_mb,
            r.anon_after_queries_mb
        );
        for (ms, total, q) in &r.slowest {
            let _ = writeln!(
                out,
                "  slow: {ms:.2} ms, {total} matches: {:?} agency {:?} year {:?}",
                q.text, q.agency, q.year
            );
        }
        print!("{out}");
        if let Some(path) = std::env::var_os("BENCH_JSON") {
            let json = format!(
                "{{\"corpus\":\"{}\",\"docs\":{n},\"queries\":{},\"p50_ms\":{:.3},\"p90_ms\":{:.3},\"p99_ms\":{:.3},\"max_ms\":{:.3},\"first_pass_p50_ms\":{:.3},\"first_pass_p99_ms\":{:.3},\"index_seconds\":{:.2},\"index_mb\":{:.1},\"mean_match_share\":{:.4},\"max_match_share\":{:.4},\"cpu_p50_ms\":{:.3},\"cpu_p99_ms\":{:.3},\"load_average_1m\":{:.2},\"reused_index\":{},\"rss_open_mb\":{:.0},\"rss_after_queries_mb\":{:.0},\"anon_after_queries_mb\":{:.0}}}\n",
                kind.name(),
                r.ms.len(),
                percentile(&r.ms, 0.5),
                percentile(&r.ms, 0.9),
                percentile(&r.ms, 0.99),
                percentile(&r.ms, 1.0),
                percentile(&r.cold_ms, 0.5),
                percentile(&r.cold_ms, 0.99),
                if r.index_secs.is_nan() { -1.0 } else { r.index_secs },
                r.index_bytes as f64 / 1e6,
                r.mean_match,
                r.max_match,
                percentile(&r.cpu, 0.5),
                percentile(&r.cpu, 0.99),
                r.load,
                r.reused,
                r.rss_open_mb,
                r.rss_after_queries_mb,
                r.anon_after_queries_mb,
            );
            use std::io::Write as _;
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).expect("BENCH_JSON");
            f.write_all(json.as_bytes()).expect("BENCH_JSON");
        }
    }
}
