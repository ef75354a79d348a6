//! The deployment files: no container runtime runs on the test machines, so the systemd unit is checked by
//! starting the binary with the unit's own command line and environment (data directory and port moved to a
//! temporary directory and a free port) and waiting for `/readyz`.

use crate::cli::temp_dir;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const UNIT: &str = include_str!("../../../../deploy/gongkai.service");

fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    Some(buf)
}

#[test]
fn the_systemd_unit_is_hardened_and_its_command_line_serves() {
    let lines: Vec<&str> = UNIT.lines().map(str::trim).collect();
    for option in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/gongkai",
        "PrivateTmp=yes",
        "DynamicUser=yes",
        "ProtectHome=yes",
        "CapabilityBoundingSet=",
    ] {
        assert!(lines.contains(&option), "the unit sets {option}");
    }
    let exec = lines.iter().find_map(|l| l.strip_prefix("ExecStart=")).expect("ExecStart");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/gongkai"));
    let args: Vec<&str> = words.collect();
    assert_eq!(args, ["serve"]);
    let mut env: Vec<(String, String)> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("Environment="))
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("KEY=value");
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let data = env.iter().find(|(k, _)| k == "GONGKAI_DATA_DIR").map(|(_, v)| v.clone());
    assert_eq!(data.as_deref(), Some("/var/lib/gongkai"), "the data dir is the writable path");
    assert!(env.iter().any(|(k, v)| k == "GONGKAI__SERVER__SECURE_COOKIES" && v == "true"));

    // The same environment, with the data dir and the port of this test.
    let dir = temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    for (k, v) in env.iter_mut() {
        match k.as_str() {
            "GONGKAI_DATA_DIR" => *v = dir.display().to_string(),
            "GONGKAI__SERVER__ADDR" => *v = addr.clone(),
            _ => {}
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args(&args)
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut ready = None;
    while Instant::now() < deadline {
        if let Some(r) = get(&addr, "/readyz")
            && r.starts_with("HTTP/1.1 200")
        {
            ready = Some(r);
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let served_home = get(&addr, "/").unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready.is_some(), "/readyz answered 200 on {addr}");
    assert!(served_home.starts_with("HTTP/1.1 200"), "{served_home}");
    assert!(dir.join("gongkai.db").exists(), "the database went into the unit's data dir");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_container_and_compose_files_run_as_a_user_with_postgresql() {
    let containerfile = include_str!("../../../../deploy/Containerfile");
    assert_eq!(containerfile.lines().filter(|l| l.starts_with("FROM ")).count(), 2, "multi-stage");
    assert!(containerfile.lines().any(|l| l.starts_with("USER ") && !l.contains("root")), "non-root");
    assert!(containerfile.contains("fonts-noto-cjk"), "fonts for the PDFs");
    let compose = include_str!("../../../../deploy/compose.yaml");
    assert!(compose.contains("image: docker.io/library/postgres") && compose.contains("GONGKAI_DATABASE: postgres://"));
}
