//! Fault tests of the `gongkai serve` binary (issue 15): kill -9 under concurrent submissions, a full disk,
//! PostgreSQL restarted under load. They are slow and need root (tmpfs mount, a private PostgreSQL run as the
//! `postgres` OS user), so they are `#[ignore]`d in the ordinary test run and run by `scripts/faults`
//! (`cargo test -p gongkai --test it -- faults:: --ignored --test-threads=1`). Each prints one
//! `FAULT SUMMARY:` line; a test that cannot run here prints `FAULT SKIPPED:` with the reason, and fails instead
//! when `GONGKAI_REQUIRE_FAULTS=1` (CI).
//!
//! Submissions are `POST /api/v1/yima-office/applications`. The public throttle allows a burst per client
//! address, so every request comes from its own loopback address (127.x.y.z); `GONGKAI__PUBLIC__BURST` is set
//! too for when the throttle is configurable.

use super::cli::temp_dir;
use gongkai_store::Db;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_gongkai");
const AGENCY: &str = "yima-office";

/// A `gongkai serve --demo` process; `kill9` ends it as a crash would. Killed when dropped.
pub(crate) struct Serve {
    child: Child,
    pub(crate) addr: SocketAddr,
}

impl Serve {
    pub(crate) fn start(data_dir: &Path, db: Option<&str>) -> Serve {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(data_dir);
        if let Some(url) = db {
            c.arg("--database").arg(url);
        }
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path(data_dir)).unwrap();
        let mut child = c
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .env_remove("GONGKAI_DATABASE")
            .env("GONGKAI__PUBLIC__BURST", "100000")
            .env("GONGKAI__PUBLIC__REPLENISH_SECS", "1")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut addr = None;
        for line in out.lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("gongkai 已启动：http://") {
                addr = rest.split('/').next().and_then(|a| a.parse().ok());
                break;
            }
        }
        let addr = addr.unwrap_or_else(|| panic!("the server did not start; see {}", log_path(data_dir).display()));
        Serve { child, addr }
    }

    pub(crate) fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The server's log, kept next to (not inside) the data dir, which may be a tiny tmpfs.
fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.with_extension("serve.log")
}

static NEXT_CLIENT: AtomicU32 = AtomicU32::new(0);

/// A fresh loopback source address for every request, so that the per-address throttle never answers 429.
fn next_client() -> Ipv4Addr {
    let n = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed);
    Ipv4Addr::new(127, 100 + ((n / 62_500) % 100) as u8, ((n / 250) % 250) as u8 + 1, (n % 250) as u8 + 1)
}

#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: String,
}

/// One HTTP/1.1 request on a new connection from a new source address.
pub(crate) async fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<Answer> {
    let go = async {
        let sock = tokio::net::TcpSocket::new_v4()?;
        sock.bind(SocketAddr::new(next_client().into(), 0))?;
        let mut s = sock.connect(addr).await?;
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        let bad = || std::io::Error::other(format!("not an HTTP answer: {text:?}"));
        let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let content_type = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_owned()))
            .unwrap_or_default();
        Ok(Answer { status, content_type, body: body.to_owned() })
    };
    tokio::time::timeout(Duration::from_secs(30), go).await.unwrap_or_else(|_| Err(std::io::Error::other("timeout")))
}

fn application_json(n: usize) -> String {
    serde_json::json!({
        "applicant_type": "natural_person", "name": "张三", "id_type": "id_card", "id_number": "11010519491231002X",
        "phone": "0398-1234567", "email": "zhangsan@example.cn", "address": "河南省义马市千秋路1号",
        "description": format!("故障测试第{n}件：2023年义马市老旧小区改造项目的资金拨付文件"), "delivery": "email",
    })
    .to_string()
}

/// One submission: the answer, and the tracking code when it was acknowledged (201).
pub(crate) async fn submit(addr: SocketAddr, n: usize) -> std::io::Result<(Answer, Option<String>)> {
    let a = request(addr, "POST", &format!("/api/v1/{AGENCY}/applications"), &application_json(n)).await?;
    let code = (a.status == 201).then(|| {
        let v: serde_json::Value = serde_json::from_str(&a.body).expect("a 201 answers JSON");
        v["tracking_code"].as_str().expect("a 201 carries the tracking code").to_owned()
    });
    Ok((a, code))
}

/// What a load of concurrent submissions saw.
#[derive(Default, Debug)]
pub(crate) struct Load {
    pub(crate) answers: Vec<Answer>,
    pub(crate) acknowledged: Vec<String>,
    /// Connection refused or cut (the server was killed): not an answer, nothing acknowledged.
    pub(crate) cut: usize,
}

impl Load {
    pub(crate) fn count(&self, status: u16) -> usize {
        self.answers.iter().filter(|a| a.status == status).count()
    }

    /// Every answer is a 201 or a JSON 503 `unavailable` (never a 500, never HTML under /api).
    pub(crate) fn assert_clean(&self, what: &str) {
        for a in &self.answers {
            let ok = a.status == 201
                || (a.status == 503
                    && a.content_type.starts_with("application/json")
                    && a.body.contains("unavailable"));
            assert!(ok, "{what}: an answer that is neither 201 nor a JSON 503: {a:?}");
        }
    }
}

/// `workers` tasks submitting in a loop until `stop` is set.
pub(crate) async fn load(addr: SocketAddr, workers: usize, stop: Arc<AtomicBool>) -> Load {
    let mut tasks = Vec::new();
    for w in 0..workers {
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut l = Load::default();
            let mut n = w * 100_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                match submit(addr, n).await {
                    Ok((a, code)) => {
                        l.acknowledged.extend(code);
                        l.answers.push(a);
                    }
                    Err(_) => {
                        l.cut += 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
            l
        }));
    }
    let mut all = Load::default();
    for t in tasks {
        let l = t.await.unwrap();
        all.answers.extend(l.answers);
        all.acknowledged.extend(l.acknowledged);
        all.cut += l.cut;
    }
    all
}

/// How many of `codes` are not in the database at `url` (read through the store, as the server does).
pub(crate) async fn lost(url: &str, codes: &[String]) -> Vec<String> {
    let db = Db::connect(url).await.expect("open the database to check");
    let mut lost = Vec::new();
    for c in codes {
        if gongkai_store::applications::by_tracking_code(&db, c).await.unwrap().is_none() {
            lost.push(c.clone());
        }
    }
    db.close().await;
    lost
}

pub(crate) fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rw", dir.join("gongkai.db").display())
}

pub(crate) fn summary(line: &str) {
    println!("FAULT SUMMARY: {line}");
}

/// A fault test that cannot run on this machine: says so (never as a pass), and fails when required.
pub(crate) fn skipped(test: &str, why: &str) {
    println!("FAULT SKIPPED: {test}: {why}");
    if std::env::var("GONGKAI_REQUIRE_FAULTS").is_ok_and(|v| v == "1") {
        panic!("GONGKAI_REQUIRE_FAULTS=1 but {test} could not run: {why}");
    }
}

pub(crate) async fn ready(addr: SocketAddr) -> u16 {
    request(addr, "GET", "/readyz", "").await.map(|a| a.status).unwrap_or(0)
}

/// `/readyz` polled until it answers 200, for at most 20 s (it says not ready for 10 s after a storage fault).
pub(crate) async fn ready_again(addr: SocketAddr) -> u16 {
    let mut status = 0;
    for _ in 0..40 {
        status = ready(addr).await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    status
}

/// kill -9 under concurrent submissions, twice: after each restart every acknowledged submission is found.
async fn kill9_under_load(dir: &Path, db: Option<&str>, url: &str, backend: &str) {
    let mut acknowledged = Vec::new();
    let (mut answers, mut cut) = (0, 0);
    for _round in 0..2 {
        let mut server = Serve::start(dir, db);
        let stop = Arc::new(AtomicBool::new(false));
        let running = tokio::spawn(load(server.addr, 8, stop.clone()));
        tokio::time::sleep(Duration::from_millis(4000)).await;
        server.kill9();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::Relaxed);
        let l = running.await.unwrap();
        l.assert_clean(&format!("kill -9 [{backend}]"));
        answers += l.answers.len();
        cut += l.cut;
        acknowledged.extend(l.acknowledged);
    }
    assert!(acknowledged.len() >= 10, "the load did submit ({} acknowledged)", acknowledged.len());
    let server = Serve::start(dir, db);
    assert_eq!(ready(server.addr).await, 200, "ready after the restart");
    let (a, code) = submit(server.addr, 0).await.unwrap();
    assert_eq!(a.status, 201, "{a:?}");
    acknowledged.extend(code);
    drop(server);
    let lost = lost(url, &acknowledged).await;
    summary(&format!(
        "kill -9 under load [{backend}]: 2 kills, {answers} answers, {} acknowledged (201), {cut} requests cut by \
         the kill, {} lost",
        acknowledged.len(),
        lost.len()
    ));
    assert!(lost.is_empty(), "acknowledged but lost after kill -9 [{backend}]: {lost:?}");
}

#[test]
#[ignore = "fault test: run by scripts/faults"]
fn kill9_under_load_loses_nothing_acknowledged_sqlite() {
    let dir = temp_dir();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(kill9_under_load(&dir, None, &sqlite_url(&dir), "sqlite"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "fault test: run by scripts/faults"]
fn kill9_under_load_loses_nothing_acknowledged_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = rt.block_on(gongkai_store::testing::TestDb::postgres()) else {
        return skipped("kill -9 under load [postgres]", "PostgreSQL is not configured (TEST_DATABASE_URL)");
    };
    let dir = temp_dir();
    rt.block_on(kill9_under_load(&dir, Some(&pg.url), &pg.url, "postgres"));
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
