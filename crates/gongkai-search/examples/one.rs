// Throwaway experiment (not committed): one query in a loop; wall and CPU (all threads) time per query.
fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap();
    let f: Vec<&str> = s.rsplit(')').next().unwrap().split_whitespace().collect();
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) * 10.0
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let i = gongkai_search::SearchIndex::open(std::path::Path::new(&a[1])).unwrap();
    let n: usize = a.get(5).map(|s| s.parse().unwrap()).unwrap_or(50);
    let q = gongkai_search::SearchQuery {
        text: a[2].clone(),
        agency: a.get(3).filter(|s| *s != "-").cloned(),
        year: a.get(4).filter(|s| *s != "-").map(|s| s.parse().unwrap()),
        limit: 10,
        ..Default::default()
    };
    let r = i.search(&q).unwrap();
    let (t, c) = (std::time::Instant::now(), cpu_ms());
    for _ in 0..n {
        std::hint::black_box(i.search(&q).unwrap());
    }
    println!(
        "{:?} {:?} {:?}: total {} wall {:.2} ms cpu {:.2} ms",
        q.text,
        q.agency,
        q.year,
        r.total,
        t.elapsed().as_secs_f64() * 1000.0 / n as f64,
        (cpu_ms() - c) / n as f64
    );
}
