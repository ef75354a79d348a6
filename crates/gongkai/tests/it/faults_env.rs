//! Fault tests that change the machine around the server (see `faults.rs` for how they are run): a full disk
//! (the SQLite data dir on a small tmpfs) and a private PostgreSQL instance restarted under load.

use super::cli::temp_dir;
use super::faults::{Load, Serve, load, lost, ready, skipped, sqlite_url, submit, summary};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A tmpfs of `size` mounted on a new directory; unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let dir = temp_dir();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "gongkai-faults"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir(&dir);
            return Err(format!("mount -t tmpfs failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(Tmpfs { dir })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Fills the file system of `dir` to the last byte; returns the filler file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    for chunk in [1 << 20, 4096, 512, 1] {
        let buf = vec![0u8; chunk];
        while f.write_all(&buf).is_ok() {}
    }
    let _ = f.sync_all();
    path
}

/// Submits one by one until `n` in a row are refused, at most `max` times.
async fn submit_until_refused(addr: std::net::SocketAddr, n: usize, max: usize, l: &mut Load) {
    let mut in_a_row = 0;
    for i in 0..max {
        let (a, code) = submit(addr, 500_000 + i).await.expect("the server answers while the disk is full");
        in_a_row = if a.status == 201 { 0 } else { in_a_row + 1 };
        l.acknowledged.extend(code);
        l.answers.push(a);
        if in_a_row >= n {
            return;
        }
    }
}

#[test]
#[ignore = "fault test: run by scripts/faults"]
fn disk_full_answers_503_acknowledges_only_what_is_stored_and_recovers_sqlite() {
    let test = "disk full [sqlite]";
    let fs = match Tmpfs::mount("48m") {
        Ok(fs) => fs,
        Err(why) => return skipped(test, &why),
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut server = Serve::start(&fs.dir, None);
        let mut before = Load::default();
        for i in 0..3 {
            let (a, code) = submit(server.addr, i).await.unwrap();
            assert_eq!(a.status, 201, "{a:?}");
            before.acknowledged.extend(code);
        }

        let filler = fill(&fs.dir);
        let mut full = Load::default();
        submit_until_refused(server.addr, 10, 1500, &mut full).await;
        full.assert_clean(test);
        let refused = full.count(503);
        assert!(refused >= 10, "{test}: submissions are refused while the disk is full ({refused} refused)");
        let r = super::faults::request(server.addr, "POST", "/api/v1/yima-office/applications", "{}").await.unwrap();
        assert_ne!(r.status, 500, "{r:?}");
        let readyz_full = ready(server.addr).await;
        assert_eq!(readyz_full, 503, "{test}: /readyz while the disk is full");

        // Space is back: the same process takes submissions again, without a restart.
        std::fs::remove_file(&filler).unwrap();
        let freed = Instant::now();
        let mut after = Load::default();
        while after.acknowledged.is_empty() {
            assert!(freed.elapsed() < Duration::from_secs(30), "{test}: no success 30 s after space was freed");
            let (a, code) = submit(server.addr, 900_000 + after.answers.len()).await.unwrap();
            after.acknowledged.extend(code);
            after.answers.push(a);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let recovered_in = freed.elapsed();
        for i in 0..10 {
            let (a, code) = submit(server.addr, 950_000 + i).await.unwrap();
            assert_eq!(a.status, 201, "{test}: after recovery: {a:?}");
            after.acknowledged.extend(code);
        }
        after.assert_clean(test);
        // /readyz says ready again once no request has met a fault for 10 s (READY_AFTER_FAULT).
        let readyz_after = super::faults::ready_again(server.addr).await;
        assert_eq!(readyz_after, 200, "{test}: /readyz after space was freed");

        // Crash, then check that every acknowledged submission is stored.
        server.kill9();
        let acknowledged: Vec<String> =
            [before.acknowledged, full.acknowledged.clone(), after.acknowledged.clone()].concat();
        let lost = lost(&sqlite_url(&fs.dir), &acknowledged).await;
        summary(&format!(
            "{test}: while full {} acknowledged (201) and {refused} refused (503), /readyz {readyz_full}; space \
             freed: success after {} ms without restart, {} acknowledged; {} acknowledged in all, {} lost",
            full.acknowledged.len(),
            recovered_in.as_millis(),
            after.acknowledged.len(),
            acknowledged.len(),
            lost.len()
        ));
        assert!(lost.is_empty(), "{test}: acknowledged but not stored: {lost:?}");
    });
}

/// A private PostgreSQL cluster in a temporary directory, run as the `postgres` OS user on a free port, so the
/// shared server the other tests use is never touched. Stopped and removed when dropped.
struct PrivatePg {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl PrivatePg {
    fn create() -> Result<PrivatePg, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no /usr/lib/postgresql: {e}"))?
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").exists())
            .max()
            .ok_or("no initdb under /usr/lib/postgresql/*/bin")?;
        let dir = temp_dir();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let pg = PrivatePg { bin, dir, port };
        let ok = Command::new("chown").arg("postgres:postgres").arg(&pg.dir).status().is_ok_and(|s| s.success());
        if !ok {
            return Err("cannot give the temporary directory to the postgres user (chown)".into());
        }
        let data = pg.dir.join("data");
        pg.as_postgres(
            "initdb",
            &["-D", &data.to_string_lossy(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        )?;
        pg.start()?;
        Ok(pg)
    }

    fn as_postgres(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(tool))
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {tool} as postgres: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{tool} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let log = self.dir.join("postgres.log").to_string_lossy().into_owned();
        let mut all = vec!["-D", &data, "-l", &log, "-w"];
        all.extend_from_slice(args);
        self.as_postgres("pg_ctl", &all)
    }

    fn start(&self) -> Result<(), String> {
        let opts = format!("-p {} -c listen_addresses=127.0.0.1 -k {}", self.port, self.dir.display());
        self.pg_ctl(&["-o", &opts, "start"])
    }

    fn stop(&self) -> Result<(), String> {
        self.pg_ctl(&["-m", "fast", "stop"])
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
#[ignore = "fault test: run by scripts/faults"]
fn postgres_restarted_under_load_answers_503_then_succeeds_and_loses_nothing() {
    let test = "PostgreSQL restart under load";
    let pg = match PrivatePg::create() {
        Ok(pg) => pg,
        Err(why) => return skipped(test, &why),
    };
    let url = pg.url();
    let dir = temp_dir();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = Serve::start(&dir, Some(&url));
        let stop = Arc::new(AtomicBool::new(false));
        let running = tokio::spawn(load(server.addr, 6, stop.clone()));
        tokio::time::sleep(Duration::from_secs(2)).await;
        // Down for longer than the pool's acquire timeout (10 s), so that waiting requests give up with a 503.
        pg.stop().expect("stop the private PostgreSQL");
        let down = Instant::now();
        tokio::time::sleep(Duration::from_secs(12)).await;
        assert_ne!(ready(server.addr).await, 200, "{test}: /readyz while PostgreSQL is down");
        pg.start().expect("start the private PostgreSQL again");
        let downtime = down.elapsed();
        // Load goes on until submissions succeed again.
        let up = Instant::now();
        let recovered = loop {
            let (a, _) = submit(server.addr, 990_000).await.unwrap();
            if a.status == 201 {
                break up.elapsed();
            }
            assert!(up.elapsed() < Duration::from_secs(30), "{test}: no success 30 s after the restart: {a:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop.store(true, Ordering::Relaxed);
        let l = running.await.unwrap();
        l.assert_clean(test);
        let refused = l.count(503);
        assert!(refused >= 1, "{test}: requests during the downtime were refused with 503 ({refused})");
        assert_eq!(super::faults::ready_again(server.addr).await, 200, "{test}: /readyz after the restart");
        drop(server);
        let lost = lost(&url, &l.acknowledged).await;
        summary(&format!(
            "{test}: {} answers: {} acknowledged (201), {refused} refused (503), 0 others; down {} s; success \
             {} ms after the restart; {} lost",
            l.answers.len(),
            l.acknowledged.len(),
            downtime.as_secs(),
            recovered.as_millis(),
            lost.len()
        ));
        assert!(lost.is_empty(), "{test}: acknowledged but lost: {lost:?}");
    });
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
