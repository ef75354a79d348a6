//! The portal's rendered-page cache (issue 14, P1): validators and 304, gzip copies, and never a stale page — a
//! publish, an edit (a validity change) or an unpublish is on the next request of the node that made it, and on
//! a second node sharing the database within seconds.

use crate::catalog::post_ok;
use crate::support::{PASSWORD, TestApp};
use gongkai_domain::agency::Role;
use gongkai_store::testing::TestDb;
use std::io::Read;
use std::time::{Duration, Instant};

const TITLE: &str = "关于页面缓存试点的通知";

#[tokio::test]
async fn a_publish_an_edit_and_an_unpublish_show_at_once_here_and_within_seconds_on_another_node() {
    for db in TestDb::all().await {
        let backend = db.db.backend();
        // No uploads here: the nodes' file store is an unused folder.
        let files = std::env::temp_dir().join(format!("gongkai-page-cache-{}-{backend:?}", std::process::id()));
        let a = TestApp::spawn_with_files(db, gongkai_app::files::FileStore::new(&files)).await;
        let b = a.second_node(gongkai_app::files::FileStore::new(&files)).await;
        // The demo's content (its 规范性文件 are edited below).
        a.app.load_demo_content().await.unwrap();
        a.app.sync_search().await.unwrap();
        b.app.sync_search().await.unwrap();
        // Node B follows the change feed as `gongkai serve` does (every second there).
        let follower = tokio::spawn(b.app.clone().follow_search(Duration::from_millis(200)));

        // Both nodes have the column page cached, without the item.
        for node in [&a, &b] {
            for _ in 0..2 {
                let (status, html) = node.get_text("/yima-office/tzgg/").await;
                assert_eq!(status, 200);
                assert!(!html.contains(TITLE));
            }
        }

        // Drafted, reviewed and published through node A's console.
        let editor = a.staff("bianji", "yima-office", Role::Editor).await;
        let reviewer = a.staff("shenhe", "yima-office", Role::Reviewer).await;
        assert_eq!(a.login_as(&editor, PASSWORD).await.status(), 303);
        let new = "/console/yima-office/catalog/new";
        let loc = post_ok(
            &a,
            new,
            new,
            &[
                ("title", TITLE),
                ("column", "tzgg"),
                ("genre", "通知"),
                ("written_on", "2026-01-05"),
                ("body", "<p>试点。</p>"),
            ],
        )
        .await;
        let id: i64 =
            loc.trim_start_matches("/console/yima-office/catalog/").split('?').next().unwrap().parse().unwrap();
        let page = format!("/console/yima-office/catalog/{id}");
        post_ok(&a, &page, &format!("{page}/submit"), &[]).await;
        a.logout().await;
        assert_eq!(a.login_as(&reviewer, PASSWORD).await.status(), 303);
        post_ok(&a, &page, &format!("{page}/approve"), &[("note", "同意")]).await;
        post_ok(&a, &page, &format!("{page}/publish"), &[]).await;

        // Node A: on the very next request.
        let (_, html) = a.get_text("/yima-office/tzgg/").await;
        assert!(html.contains(TITLE), "{backend:?}: node A shows the published item at once");
        let article = format!("/yima-office/tzgg/{id}");
        let r = a.get(&article).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "public, no-cache");
        assert_eq!(r.headers()["vary"], "Accept-Encoding");
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 34, "{etag}");
        let plain = r.text().await.unwrap();
        assert!(plain.contains(TITLE));
        // Revalidation: the same validator gets a 304 without a body; another gets the page.
        let r = a.client.get(a.url(&article)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(r.status(), 304);
        assert_eq!(r.headers()["etag"], etag.as_str());
        assert!(r.bytes().await.unwrap().is_empty());
        let r = a.client.get(a.url(&article)).header("if-none-match", "\"other\"").send().await.unwrap();
        assert_eq!(r.status(), 200);
        // A client that accepts gzip gets the compressed copy of the same bytes, with its own validator.
        let r = a.client.get(a.url(&article)).header("accept-encoding", "gzip, br").send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-encoding"], "gzip");
        let gz_etag = r.headers()["etag"].to_str().unwrap().to_owned();
        assert_ne!(gz_etag, etag);
        let gz = r.bytes().await.unwrap();
        assert!(gz.len() < plain.len());
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(gz.as_ref()).read_to_string(&mut unzipped).unwrap();
        assert_eq!(unzipped, plain);
        let r = a
            .client
            .get(a.url(&article))
            .header("accept-encoding", "gzip")
            .header("if-none-match", &gz_etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304);

        // Node B: within seconds.
        let started = Instant::now();
        loop {
            let (_, html) = b.get_text("/yima-office/tzgg/").await;
            if html.contains(TITLE) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(5), "{backend:?}: node B still shows the old column");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(b.get(&article).await.status(), 200);

        // An edit of a published item — its validity, the one change a published 规范性文件 takes without being
        // withdrawn first (content edits go through unpublish and review): on A's next request, on B in seconds.
        // (The demo's 规范性文件 are the education bureau's: its reviewer makes the change.)
        let edu = a.app.agency_by_code("yima-edu").await.unwrap();
        let doc = gongkai_store::catalog::published_after(&a.db, 0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .find(|e| {
                e.agency_id == edu.id
                    && e.fields.doc_class.has_validity()
                    && e.fields.validity == Some(gongkai_domain::catalog::Validity::InForce)
            })
            .expect("the demo has a 规范性文件 in force");
        let column = gongkai_store::catalog::column_by_id(&a.db, edu.id, doc.fields.column_id).await.unwrap().unwrap();
        let doc_url = format!("/yima-edu/{}/{}", column.slug, doc.id);
        const PARTLY_INVALID: &str = "本文件部分失效";
        for node in [&a, &b] {
            for _ in 0..2 {
                let (status, html) = node.get_text(&doc_url).await;
                assert_eq!(status, 200);
                assert!(!html.contains(PARTLY_INVALID), "{backend:?}: {doc_url} is in force before the edit");
            }
        }
        let edu_reviewer = a.staff("shenhe-edu", "yima-edu", Role::Reviewer).await;
        a.logout().await;
        assert_eq!(a.login_as(&edu_reviewer, PASSWORD).await.status(), 303);
        let doc_page = format!("/console/yima-edu/catalog/{}", doc.id);
        post_ok(&a, &doc_page, &format!("{doc_page}/validity"), &[("validity", "partly_invalid"), ("by_act", "")])
            .await;
        assert!(a.get_text(&doc_url).await.1.contains(PARTLY_INVALID), "{backend:?}: node A shows the edit at once");
        let started = Instant::now();
        while !b.get_text(&doc_url).await.1.contains(PARTLY_INVALID) {
            assert!(started.elapsed() < Duration::from_secs(5), "{backend:?}: node B still shows the item unedited");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        a.logout().await;
        assert_eq!(a.login_as(&reviewer, PASSWORD).await.status(), 303);

        // Unpublished on node A: gone from A on the next request, from B within seconds.
        post_ok(&a, &page, &format!("{page}/unpublish"), &[("note", "试点结束")]).await;
        assert_eq!(a.get(&article).await.status(), 404);
        assert!(!a.get_text("/yima-office/tzgg/").await.1.contains(TITLE));
        let r = a.client.get(a.url(&article)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(r.status(), 404, "{backend:?}: a withdrawn page is not revalidated");
        let started = Instant::now();
        loop {
            let gone = b.get(&article).await.status() == 404;
            let (_, html) = b.get_text("/yima-office/tzgg/").await;
            if gone && !html.contains(TITLE) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(5), "{backend:?}: node B still shows the withdrawn item");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        follower.abort();
    }
}

/// A burst of requests for a page whose copy a write has made stale renders it once (single-flight): the first
/// request renders it, the others wait for that render and answer from its copy. Counted by the metrics'
/// `gongkai_page_renders`.
#[tokio::test]
async fn a_burst_on_an_invalidated_page_renders_it_once() {
    TestApp::each(async |t| {
        let renders = async || {
            let text = t.get("/metrics").await.text().await.unwrap();
            text.lines()
                .find_map(|l| l.strip_prefix("gongkai_page_renders_total ")?.parse::<f64>().ok())
                .unwrap_or_else(|| panic!("no gongkai_page_renders_total in\n{text}"))
        };
        let page = "/yima-office/";
        let (status, first) = t.get_text(page).await;
        assert_eq!(status, 200);
        let before = renders().await;
        // Answered from the copy: no render.
        assert_eq!(t.get_text(page).await.1, first);
        assert_eq!(renders().await, before);

        // A write elsewhere on this node: every copy is stale now.
        t.app.content_changed();
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..32 {
            let (client, url) = (t.client.clone(), t.url(page));
            burst.spawn(async move {
                let r = client.get(url).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            });
        }
        let answers = burst.join_all().await;
        assert!(answers.iter().all(|(status, html)| *status == 200 && *html == first), "every answer is the page");
        assert_eq!(renders().await - before, 1.0, "32 requests after the write, one render");
    })
    .await;
}
