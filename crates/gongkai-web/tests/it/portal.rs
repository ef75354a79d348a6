use crate::support::TestApp;

#[tokio::test]
async fn home_lists_the_agency_tree_in_chinese() {
    TestApp::each(async |t| {
        let r = t.get("/").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
        // Cacheable, but revalidated (the page cache answers 304 to its ETag), never served stale.
        assert_eq!(r.headers()["cache-control"], "public, no-cache");
        assert!(r.headers().contains_key("etag"));
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"<html lang="zh-CN">"#));
        for name in ["义马市人民政府", "义马市人民政府办公室", "义马市教育局", "义马市新区街道办事处"]
        {
            assert!(html.contains(name), "home page should list {name}");
        }
        // Children are listed beneath (after) their parent.
        assert!(html.find("义马市人民政府</a>").unwrap() < html.find("义马市人民政府办公室").unwrap());
    })
    .await;
}

#[tokio::test]
async fn agency_home_shows_parent_and_children() {
    TestApp::each(async |t| {
        let (status, html) = t.get_text("/yima/").await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>义马市人民政府</h1>"));
        assert!(html.contains(r#"href="/yima-office/""#));
        let (status, html) = t.get_text("/yima-office/").await;
        assert_eq!(status, 200);
        assert!(html.contains("上级机构"));
        assert!(html.contains(r#"<a href="/yima/">义马市人民政府</a>"#));
        // Without the trailing slash: a permanent redirect to the canonical address.
        let r = t.get("/yima-office").await;
        assert_eq!(r.status(), 308);
        assert_eq!(crate::support::location(&r), "/yima-office/");
    })
    .await;
}

#[tokio::test]
async fn unknown_pages_get_a_chinese_404() {
    TestApp::each(async |t| {
        for path in ["/no-such-agency/", "/yima/nothing/here", "/static/missing.js"] {
            let (status, html) = t.get_text(path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("页面不存在"), "{path}: {html}");
            assert!(html.contains(r#"href="/""#), "a way back home on {path}");
        }
    })
    .await;
}

#[tokio::test]
async fn security_headers_and_cached_assets() {
    TestApp::each(async |t| {
        let r = t.get("/").await;
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        let html = r.text().await.unwrap();
        let css = &html[html.find("/static/app.css?v=").unwrap()..];
        let css = &css[..css.find('"').unwrap()];
        let r = t.get(css).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let etag = r.headers()["etag"].clone();
        let r = t.client.get(t.url(css)).header("if-none-match", etag).send().await.unwrap();
        assert_eq!(r.status(), 304);
    })
    .await;
}

#[tokio::test]
async fn healthz_reports_the_database() {
    TestApp::each(async |t| {
        let r = t.get("/healthz").await;
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], "ok");
        let expected = match t.db.backend() {
            gongkai_store::Backend::Sqlite => "sqlite",
            gongkai_store::Backend::Postgres => "postgres",
        };
        assert_eq!(v["database"], expected);
    })
    .await;
}

#[tokio::test]
async fn malformed_requests_get_a_chinese_page_not_axums_english_text() {
    TestApp::each(async |t| {
        // Query strings that do not parse, and a method a route does not take (GET of the POST-only logout; an
        // unsafe method is refused earlier by the CSRF guard).
        for path in ["/search?q=%E6%94%BF&page=-1", "/search?q=x&page=99999999999999999999999"] {
            let r = t.get(path).await;
            assert_eq!(r.status(), 400, "{path}");
            assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8", "{path}");
            assert_eq!(r.headers()["x-content-type-options"], "nosniff", "security headers kept");
            let html = r.text().await.unwrap();
            assert!(html.contains("请求参数有误") && !html.contains("Failed to deserialize"), "{path}: {html}");
        }
        let r = t.get("/console/logout").await;
        assert_eq!(r.status(), 405);
        assert!(r.text().await.unwrap().contains("请求方式不被允许"));
    })
    .await;
}

#[tokio::test]
async fn a_huge_column_page_number_is_an_empty_page_not_a_crash() {
    TestApp::each(async |t| {
        // i64::MAX parses as a page number; (page - 1) * 20 would overflow the offset.
        let (status, html) = t.get_text("/yima-office/gzdt/?page=9223372036854775807").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("本栏目暂无信息") && !html.contains(r#"<ul class="items">"#), "{html}");
    })
    .await;
}

/// `[site] base_url`: the sitemap and the Atom feeds link on the configured address; unset, the sitemap uses the
/// request's `Host` and feeds link by path, as before.
#[tokio::test]
async fn base_url_makes_sitemap_and_feed_links_absolute() {
    let config = gongkai_app::AppConfig { base_url: Some("https://gk.example.cn".into()), ..Default::default() };
    TestApp::each_configured(config, async |t| {
        let (status, xml) = t.get_text("/sitemap.xml").await;
        assert_eq!(status, 200);
        assert!(xml.contains("<loc>https://gk.example.cn/</loc>"), "{xml}");
        assert!(xml.contains("<loc>https://gk.example.cn/yima-office/tzgg/</loc>"), "{xml}");
        assert!(!xml.contains("http://127.0.0.1"), "{xml}");
        let (status, feed) = t.get_text("/yima-office/tzgg/feed.atom").await;
        assert_eq!(status, 200);
        assert!(feed.contains(r#"href="https://gk.example.cn/yima-office/tzgg/""#), "{feed}");
    })
    .await;
    TestApp::each(async |t| {
        let (_, xml) = t.get_text("/sitemap.xml").await;
        assert!(xml.contains(&format!("<loc>http://{}/</loc>", t.addr)), "{xml}");
        let (_, feed) = t.get_text("/yima-office/tzgg/feed.atom").await;
        assert!(feed.contains(r#"href="/yima-office/tzgg/""#), "{feed}");
    })
    .await;
}
