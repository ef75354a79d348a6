//! Several nodes behind one load balancer: two app instances (each with its own connection pool, search index
//! and port) on one database, sharing attachments through an S3-compatible object store (moto's server, started
//! here on a free local port). What one node stores or publishes, the other serves and finds.

use crate::catalog::{post_ok, upload_file};
use crate::support::{PASSWORD, TestApp};
use gongkai_app::files::{FileStore, S3Config};
use gongkai_domain::agency::Role;
use gongkai_store::testing::TestDb;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's S3-compatible server on a free local port; stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `moto_server` from PATH or from the virtualenv `.ci/run` installs it into (`~/.cache/gongkai/venv-s3`).
fn moto_server() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    let venv = home.join(".cache/gongkai/venv-s3/bin/moto_server");
    if venv.exists() {
        return Some(venv);
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join("moto_server"))
        .find(|p| p.exists())
}

/// Starts the S3 server with one bucket, or says why not: with `GONGKAI_REQUIRE_S3=1` (CI) a missing server
/// fails the test instead of skipping it.
async fn start_s3(bucket: &str) -> Option<S3Server> {
    let Some(bin) = moto_server() else {
        if std::env::var("GONGKAI_REQUIRE_S3").is_ok_and(|v| v == "1") {
            panic!("GONGKAI_REQUIRE_S3=1 but moto_server is not installed (pip install 'moto[server]')");
        }
        eprintln!("SKIPPED: moto_server not found; the S3 tests did not run (pip install 'moto[server]')");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // moto accepts unsigned requests: creating the bucket is a plain PUT.
        match client.put(format!("{}/{bucket}", server.endpoint)).send().await {
            Ok(r) if r.status().is_success() => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            other => panic!("moto_server did not come up: {other:?}"),
        }
    }
    Some(server)
}

fn s3_config(s3: &S3Server, bucket: &str) -> S3Config {
    S3Config {
        bucket: bucket.into(),
        endpoint: s3.endpoint.clone(),
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        allow_http: true,
        prefix: "gongkai".into(),
    }
}

/// A PNG header followed by bytes that differ from run to run, so the download is checked byte for byte.
fn png_bytes() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    let seed = gongkai_app::random_token(16);
    for i in 0..40_000u32 {
        b.push(seed.as_bytes()[(i as usize) % seed.len()] ^ (i as u8));
    }
    b
}

#[tokio::test]
async fn the_s3_file_store_keeps_bytes_by_their_hash() {
    let Some(s3) = start_s3("store-test").await else { return };
    let store = FileStore::s3(&s3_config(&s3, "store-test")).unwrap();
    assert!(store.is_shared());
    let bytes = png_bytes();
    let key = store.put(&bytes).await.unwrap();
    assert_eq!(key.len(), 64);
    assert_eq!(store.put(&bytes).await.unwrap(), key, "the same bytes, the same key");
    assert_eq!(store.get(&key).await.unwrap(), bytes);
    // Listed for backups, with nothing else of the bucket.
    assert_eq!(store.keys().await.unwrap(), vec![key.clone()]);
    assert!(!store.is_empty().await.unwrap());
    // Another store object on the same bucket (another node) reads it too; a missing key is an error.
    let other = FileStore::s3(&s3_config(&s3, "store-test")).unwrap();
    assert_eq!(other.get(&key).await.unwrap(), bytes);
    assert!(other.get(&"0".repeat(64)).await.is_err());
    assert!(FileStore::s3(&S3Config::default()).is_err(), "a bucket is required");
}

#[tokio::test]
async fn two_nodes_on_one_database_share_uploads_and_search() {
    let Some(s3) = start_s3("two-nodes").await else { return };
    for db in TestDb::all().await {
        let backend = db.db.backend();
        eprintln!("-- backend: {backend:?}");
        let a = TestApp::spawn_with_files(db, FileStore::s3(&s3_config(&s3, "two-nodes")).unwrap()).await;
        let b = a.second_node(FileStore::s3(&s3_config(&s3, "two-nodes")).unwrap()).await;
        assert_ne!(a.addr, b.addr);
        // Both nodes start level with the feed (each builds its own index).
        a.app.sync_search().await.unwrap();
        b.app.sync_search().await.unwrap();

        // On node A: an editor drafts an item with an attachment, a reviewer publishes it.
        let editor = a.staff("bianji", "yima-office", Role::Editor).await;
        let reviewer = a.staff("shenhe", "yima-office", Role::Reviewer).await;
        assert_eq!(a.login_as(&editor, PASSWORD).await.status(), 303);
        let new = "/console/yima-office/catalog/new";
        let loc = post_ok(
            &a,
            new,
            new,
            &[
                ("title", "关于推进多节点部署试点工作的通知"),
                ("column", "tzgg"),
                ("doc_no", "义政办〔2026〕31号"),
                ("genre", "通知"),
                ("written_on", "2026-03-02"),
                ("body", "<p>各单位要做好集约化平台多节点部署试点。</p>"),
            ],
        )
        .await;
        let id: i64 =
            loc.trim_start_matches("/console/yima-office/catalog/").split('?').next().unwrap().parse().unwrap();
        let page = format!("/console/yima-office/catalog/{id}");
        let token = a.csrf_from(&page).await;
        let bytes = png_bytes();
        let r = upload_file(&a, &format!("{page}/attachments?csrf={token}"), "试点示意图.png", &bytes).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        post_ok(&a, &page, &format!("{page}/submit"), &[]).await;
        a.logout().await;
        assert_eq!(a.login_as(&reviewer, PASSWORD).await.status(), 303);
        post_ok(&a, &page, &format!("{page}/approve"), &[("note", "同意公开")]).await;
        post_ok(&a, &page, &format!("{page}/publish"), &[]).await;

        // On node B: the article and its attachment, stored by A in the shared bucket.
        let article = format!("/yima-office/tzgg/{id}");
        let (status, html) = b.get_text(&article).await;
        assert_eq!(status, 200, "{backend:?}: {html}");
        let href = format!("/yima-office/tzgg/{id}/files/");
        let i = html.find(&href).expect("attachment link");
        let link: String = html[i..].chars().take_while(|c| *c != '"').collect();
        let r = b.get(&link).await;
        assert_eq!(r.status(), 200, "{backend:?}: the other node serves the upload");
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());

        // Search on B finds what was published on A once B's follower has read the change feed: the server
        // follows it every second; here B's follower runs as a task, as in `gongkai serve`.
        let follower = tokio::spawn(b.app.clone().follow_search(Duration::from_millis(200)));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, html) = b.get_text("/search?q=多节点部署").await;
            if html.contains("找到 1 条结果") {
                break;
            }
            assert!(Instant::now() < deadline, "{backend:?}: node B never found the item: {html}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Unpublishing on A takes it out of B's search too.
        post_ok(&a, &page, &format!("{page}/unpublish"), &[("note", "试点结束")]).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, html) = b.get_text("/search?q=多节点部署").await;
            if html.contains("找到 0 条结果") {
                break;
            }
            assert!(Instant::now() < deadline, "{backend:?}: node B still finds the unpublished item");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let lag = b.app.search_lag().await.unwrap().unwrap();
        assert_eq!(lag.changes, 0, "{backend:?}: B has applied everything");
        follower.abort();
    }
}
