//! `[log] format = "json"` (here by `GONGKAI__LOG__FORMAT=json`): the server writes one JSON object per line on
//! stderr, and a request's line carries its matched route, status and latency.

use crate::cli::{http_get, temp_dir};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn json_logs_carry_route_status_and_latency() {
    let dir = temp_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env_remove("GONGKAI_DATABASE")
        .env_remove("RUST_LOG")
        .env("GONGKAI__LOG__FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let addr = out
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("gongkai 已启动：http://").map(|r| r.split('/').next().unwrap().to_owned()))
        .expect("the server printed its address");
    // stderr on a thread: every line, as it comes.
    let (tx, rx) = mpsc::channel::<String>();
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let body = http_get(&addr, "/yima-office/apply");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");

    let mut seen = Vec::new();
    let found = loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(10)) else { break None };
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        if v["span"]["route"] == "/{agency}/apply" && v["fields"]["message"] == "request" {
            break Some(v);
        }
        seen.push(line);
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let v = found.unwrap_or_else(|| panic!("no request line for the route in:\n{}", seen.join("\n")));
    assert_eq!(v["level"], "INFO");
    assert_eq!(v["fields"]["status"], 200);
    assert!(v["fields"]["latency_ms"].is_u64(), "{v}");
    assert_eq!(v["span"]["method"], "GET");
}
