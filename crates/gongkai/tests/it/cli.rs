use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

pub(crate) fn temp_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("gongkai-cli-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

pub(crate) fn gongkai(data_dir: &std::path::Path, db: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(data_dir);
    if let Some(url) = db {
        c.arg("--database").arg(url);
    }
    c.args(args).env_remove("GONGKAI_DATABASE").output().unwrap()
}

/// A running `gongkai serve` on a free port; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
}

impl Server {
    pub(crate) fn start(data_dir: &std::path::Path, db: Option<&str>) -> Server {
        Self::start_with_env(data_dir, db, &[])
    }

    fn start_with_env(data_dir: &std::path::Path, db: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut c = Command::new(BIN);
        c.envs(env.iter().copied());
        c.arg("--data-dir").arg(data_dir);
        if let Some(url) = db {
            c.arg("--database").arg(url);
        }
        let mut child = c
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut addr = None;
        for line in out.lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("gongkai 已启动：http://") {
                addr = Some(rest.split('/').next().unwrap().to_owned());
                break;
            }
        }
        Server { child, addr: addr.expect("the server printed its address") }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Declares a CLI test that runs once per backend, as `name::sqlite` (the default file in the data dir: no
/// `--database`) and `name::postgres` (a fresh database, if `TEST_DATABASE_URL` is set), so a failure names
/// its backend. The body sees `$db: Option<String>`, the `--database` argument.
macro_rules! cli_test {
    ($(#[$m:meta])* fn $name:ident($db:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[test]
            fn sqlite() {
                let $db: Option<String> = None;
                $body
            }

            $(#[$m])*
            #[test]
            fn postgres() {
                let rt = tokio::runtime::Runtime::new().unwrap();
                let Some(pg) = rt.block_on(gongkai_store::testing::TestDb::postgres()) else {
                    eprintln!("PostgreSQL is not configured (TEST_DATABASE_URL): this backend was NOT tested");
                    return;
                };
                let $db: Option<String> = Some(pg.url.clone());
                $body
                drop(pg);
            }
        }
    };
}
pub(crate) use cli_test;

cli_test! {
    fn serve_with_demo_serves_the_platform_home_and_is_healthy(db) {
        let dir = temp_dir();
        let server = Server::start(&dir, db.as_deref());
        let body = http_get(&server.addr, "/");
        assert!(body.starts_with("HTTP/1.1 200"), "{body}");
        assert!(body.contains("义马市人民政府") && body.contains("义马市人民政府办公室"), "{db:?}");

        let ok = gongkai(&dir, db.as_deref(), &["healthcheck", "--addr", &server.addr]);
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
        assert!(String::from_utf8_lossy(&ok.stdout).contains("运行正常"));
        drop(server);
        if db.is_none() {
            assert!(dir.join("gongkai.db").exists(), "SQLite file in the data dir by default");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn healthcheck_fails_when_nothing_listens() {
    let dir = temp_dir();
    // Bind and release a port so that nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = gongkai(&dir, None, &["healthcheck", "--addr", &format!("127.0.0.1:{port}")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("不健康"));
    let _ = std::fs::remove_dir_all(dir);
}

cli_test! {
    fn demo_is_idempotent_and_prints_the_password_once(db) {
        let dir = temp_dir();
        let first = gongkai(&dir, db.as_deref(), &["demo"]);
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        let text = String::from_utf8_lossy(&first.stdout);
        assert!(text.contains("新建机构 8 个"), "{text}");
        let password = text.lines().find_map(|l| l.split_once("请妥善保存）：").map(|(_, p)| p.trim().to_owned()));
        let password = password.expect("a generated password is printed");
        assert!(password.len() >= 12);

        // `demo` stores the demo attachments in <data-dir>/files: 4 budgets, 2 fee lists, 6 of the 25 notices
        // (every fourth is a draft for comment: items 3, 7 … 23) and the 4 规范性文件.
        let files = || {
            std::fs::read_dir(dir.join("files"))
                .map(|d| d.flatten().filter_map(|e| std::fs::read_dir(e.path()).ok()).map(|d| d.count()).sum())
                .unwrap_or(0usize)
        };
        assert_eq!(files(), 4 + 2 + 6 + 4);

        let second = gongkai(&dir, db.as_deref(), &["demo"]);
        let text = String::from_utf8_lossy(&second.stdout);
        assert!(text.contains("新建机构 0 个"), "{text}");
        assert!(!text.contains(&password), "the password is never printed again");
        assert_eq!(files(), 16);
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn migrate_and_create_admin() {
    let dir = temp_dir();
    let out = gongkai(&dir, None, &["migrate"]);
    assert!(out.status.success());
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(&dir)
        .args(["create-admin", "--username", "ops", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"short\n")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(!out.status.success(), "a too-short password is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("密码至少10位"));
    let out = gongkai(&dir, None, &["create-admin", "--username", "ops"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("已创建平台管理员 ops"));
    // Again on the same (differently cased) name: a new password, no second account.
    let out = gongkai(&dir, None, &["create-admin", "--username", "OPS"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("已为 OPS 设置新密码") && text.contains("密码（仅显示这一次）"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let dir = temp_dir();
    let out = gongkai(&dir, Some("mysql://x@localhost/db"), &["migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法打开数据库") && err.contains("sqlite: 或 postgres://"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    buf
}

const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../gongkai-report/tests/fixtures/yima-2023-annual-report.txt");

#[test]
fn audit_exit_codes_follow_the_findings() {
    let dir = temp_dir();
    // The published report as it is: no error, exit 0.
    let ok = gongkai(&dir, None, &["audit", FIXTURE]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("义马市人民政府办公室"));

    // 一、本年新收 for 自然人 changed from 1 to 2: the row total (R2) and 一+二 = (七)+四 (R1) break: exit 1.
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let at = text.find("一、本年新收政府信息公开申请数量").unwrap();
    let cell = at + text[at..].find("\t1\n").unwrap();
    let changed = format!("{}\t2\n{}", &text[..cell], &text[cell + 3..]);
    let bad = dir.join("changed.txt");
    std::fs::write(&bad, changed).unwrap();
    let out = gongkai(&dir, None, &["audit", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("R1") && stdout.contains("R2"), "{stdout}");

    // Not a report at all: exit 2. JSON for several files is an array.
    let junk = dir.join("junk.pdf");
    std::fs::write(&junk, b"%PDF-1.4 this is not a pdf").unwrap();
    let out = gongkai(&dir, None, &["audit", "--json", FIXTURE, junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(|a| a.len()), Some(2));
    assert_eq!(v[0]["schema"], "gongkai.annual-report/v1");
    assert_eq!(v[0]["tables"]["t3"]["一"]["自然人"], 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn configuration_file_and_environment_overrides() {
    let dir = temp_dir();
    std::fs::write(dir.join("gongkai.toml"), "[site]\nname = \"配置文件平台\"\n").unwrap();
    let server = Server::start(&dir, None);
    let body = http_get(&server.addr, "/");
    assert!(body.contains("<title>首页 - 配置文件平台</title>"), "{body}");
    drop(server);
    // The environment wins over the file.
    let server = Server::start_with_env(&dir, None, &[("GONGKAI__SITE__NAME", "环境变量平台")]);
    let body = http_get(&server.addr, "/");
    assert!(body.contains("<title>首页 - 环境变量平台</title>"), "{body}");
    drop(server);
    // A broken file is a clear error, not a silent default.
    std::fs::write(dir.join("gongkai.toml"), "[site\nname = ").unwrap();
    let out = gongkai(&dir, None, &["migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("配置有误"));
    let _ = std::fs::remove_dir_all(dir);
}
