//! `gongkai backup` / `gongkai restore`: round trips on both backends, compared table by table and file by file,
//! and a backup taken while a running server takes submissions.

use crate::cli::{Server, cli_test, gongkai, temp_dir};
use gongkai_store::testing::TestDb;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// Lets the tests post as often as they like (the default throttles a client after 10 submissions).
const NO_THROTTLE: &[(&str, &str)] = &[("GONGKAI__PUBLIC__BURST", "100000")];

fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// Submits an application through the JSON API; returns (tracking code, query password).
fn submit(addr: &str, n: usize) -> (String, String) {
    let body = serde_json::json!({
        "applicant_type": "natural_person", "name": format!("申请人{n}"), "id_type": "id_card",
        "id_number": "11010519491231002X", "phone": "0398-1234567", "email": "zhangsan@example.cn",
        "address": "河南省义马市千秋路1号", "description": format!("第{n}件：2023年老旧小区改造项目的资金拨付文件"),
        "delivery": "email"
    });
    let (status, text) = request(
        addr,
        "POST",
        "/api/v1/yima-office/applications",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    );
    assert_eq!(status, 201, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    (v["tracking_code"].as_str().unwrap().to_owned(), v["query_password"].as_str().unwrap().to_owned())
}

fn track(addr: &str, code: &str, password: &str) -> (u16, String) {
    request(addr, "GET", &format!("/api/v1/applications/{code}"), &[("X-Query-Password", password)], "")
}

fn url_of(dir: &Path, db: &Option<String>) -> String {
    db.clone().unwrap_or_else(|| format!("sqlite://{}", dir.join("gongkai.db").display()))
}

/// Every row of every table (by primary key), read straight from the database.
fn rows(url: &str) -> BTreeMap<String, Vec<String>> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = gongkai_store::Db::connect(url).await.unwrap();
        let rows = gongkai_store::backup::table_rows(&db).await.unwrap();
        db.close().await;
        rows
    })
}

/// Every file under `<dir>/files`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, at: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(at) else { return };
        for e in rd.map(Result::unwrap) {
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&dir.join("files"), &dir.join("files"), &mut out);
    out
}

/// A second, empty target of the same backend: (its `--database`, the database kept alive for the test).
fn empty_target(db: &Option<String>) -> (Option<String>, Option<TestDb>) {
    if db.is_none() {
        return (None, None);
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let t = rt.block_on(TestDb::postgres_unmigrated()).expect("PostgreSQL for the restore target");
    let rt_db = t.db.clone();
    rt.block_on(rt_db.close());
    (Some(t.url.clone()), Some(t))
}

fn ok(out: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

cli_test! {
    /// Must show: backup → restore round trip identical (every table, every file), and the restored server answers
    /// a tracking-code lookup made before the backup.
    fn backup_restore_round_trip_is_identical(db) {
        let (a, b) = (temp_dir(), temp_dir());
        let server = Server::start_with_env(&a, db.as_deref(), NO_THROTTLE);
        let (code, password) = submit(&server.addr, 1);
        let (status, before) = track(&server.addr, &code, &password);
        assert_eq!(status, 200, "{before}");
        drop(server);

        let archive = a.join("backup.zip");
        let out = ok(&gongkai(&a, db.as_deref(), &["backup", "--out", archive.to_str().unwrap()]));
        // The newest migration's number is the version recorded.
        let newest = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/sqlite"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.split('_').next()?.parse::<u32>().ok())
            .max()
            .unwrap();
        assert!(out.contains("备份已写入") && out.contains(&format!("迁移版本 {newest}")), "{out}");
        // A second backup never overwrites the first.
        let again = gongkai(&a, db.as_deref(), &["backup", "--out", archive.to_str().unwrap()]);
        assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("已存在"));

        let (target, _keep) = empty_target(&db);
        let out = ok(&gongkai(&b, target.as_deref(), &["restore", archive.to_str().unwrap()]));
        assert!(out.contains("检索索引已重建"), "{out}");

        let (before_rows, after_rows) = (rows(&url_of(&a, &db)), rows(&url_of(&b, &target)));
        assert!(before_rows["applications"].len() > 1 && before_rows["catalog_entries"].len() > 100);
        assert_eq!(before_rows.keys().collect::<Vec<_>>(), after_rows.keys().collect::<Vec<_>>());
        for (table, rows) in &before_rows {
            assert!(rows == &after_rows[table], "table {table} differs after the round trip");
        }
        let (fa, fb) = (files(&a), files(&b));
        assert!(fa.len() >= 10, "the demo has attachments: {}", fa.len());
        assert!(fa == fb, "the file stores differ: {:?} vs {:?}", fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());

        // The restored platform answers the lookup as before, and a search finds demo items (index rebuilt).
        let server = Server::start(&b, target.as_deref());
        let (status, after) = track(&server.addr, &code, &password);
        assert_eq!((status, after), (200, before));
        let (status, html) = request(&server.addr, "GET", "/search?q=%E6%94%BF%E5%BA%9C", &[], "");
        assert_eq!(status, 200);
        assert!(html.contains("找到") && !html.contains("找到 0 条结果"), "{html}");
        drop(server);

        // Restore only into an empty target.
        let out = gongkai(&b, target.as_deref(), &["restore", archive.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("恢复只能写入"), "{}", String::from_utf8_lossy(&out.stderr));
        let _ = std::fs::remove_dir_all(a);
        let _ = std::fs::remove_dir_all(b);
    }
}

cli_test! {
    /// Must show: a backup taken while the server takes submissions holds every submission acknowledged before
    /// it started and none acknowledged after it ended, and restores (foreign keys and files consistent).
    fn backup_while_the_server_takes_submissions(db) {
        let (a, b) = (temp_dir(), temp_dir());
        let server = Server::start_with_env(&a, db.as_deref(), NO_THROTTLE);
        let addr = server.addr.clone();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (stop2, addr2) = (stop.clone(), addr.clone());
        let poster = std::thread::spawn(move || {
            let mut done = Vec::new();
            let mut n = 0;
            while !stop2.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let (code, password) = submit(&addr2, n);
                done.push((std::time::Instant::now(), code, password));
            }
            done
        });
        std::thread::sleep(Duration::from_millis(1500));
        let archive = a.join("live.zip");
        let started = std::time::Instant::now();
        ok(&gongkai(&a, db.as_deref(), &["backup", "--out", archive.to_str().unwrap()]));
        let ended = std::time::Instant::now();
        std::thread::sleep(Duration::from_millis(1000));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let acked = poster.join().unwrap();
        drop(server);
        let before: Vec<_> = acked.iter().filter(|(at, _, _)| *at < started).collect();
        let after: Vec<_> = acked.iter().filter(|(at, _, _)| *at > ended).collect();
        assert!(!before.is_empty() && !after.is_empty(), "{} before, {} after", before.len(), after.len());

        let (target, _keep) = empty_target(&db);
        ok(&gongkai(&b, target.as_deref(), &["restore", archive.to_str().unwrap()]));
        let restored = rows(&url_of(&b, &target));
        let codes: Vec<&String> = restored["applications"].iter().collect();
        let holds = |code: &str| codes.iter().any(|row| row.contains(&format!("'{code}'")) || row.contains(&format!("\"{code}\"")));
        for (_, code, _) in &before {
            assert!(holds(code), "{code}, acknowledged before the backup, is missing");
        }
        for (_, code, _) in &after {
            assert!(!holds(code), "{code}, acknowledged after the backup ended, is in it");
        }
        // Every attachment row names a file that was restored.
        let fb = files(&b);
        assert!(!restored["catalog_attachments"].is_empty());
        for row in &restored["catalog_attachments"] {
            let sha = fb.keys().find(|k| row.contains(k.rsplit('/').next().unwrap()));
            assert!(sha.is_some(), "{row} names a file that is not in the backup");
        }
        let server = Server::start(&b, target.as_deref());
        let (_, code, password) = before.last().unwrap();
        assert_eq!(track(&server.addr, code, password).0, 200);
        drop(server);
        let _ = std::fs::remove_dir_all(a);
        let _ = std::fs::remove_dir_all(b);
    }
}

#[test]
fn a_damaged_archive_is_refused_and_nothing_is_written() {
    let (a, b) = (temp_dir(), temp_dir());
    ok(&gongkai(&a, None, &["demo"]));
    let archive = a.join("backup.zip");
    ok(&gongkai(&a, None, &["backup", "--out", archive.to_str().unwrap()]));
    // Change one byte in the middle of the archive (inside the database copy or a file).
    let mut bytes = std::fs::read(&archive).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x5a;
    let damaged = a.join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    let out = gongkai(&b, None, &["restore", damaged.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("损坏") || err.contains("无法读取") || err.contains("校验"), "{err}");
    assert!(!b.join("gongkai.db").exists() && files(&b).is_empty(), "nothing restored");
    let _ = std::fs::remove_dir_all(a);
    let _ = std::fs::remove_dir_all(b);
}
