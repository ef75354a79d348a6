//! `/metrics`: requests by matched route template and status with latency, the job queue, the search index's
//! backlog, open and overdue applications per agency; readable only from the machine itself or with the token.

use crate::support::TestApp;
use gongkai_store::testing::TestDb;
use gongkai_web::WebConfig;

/// The value of the sample line `series` (name and labels exactly), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')).and_then(|v| v.parse().ok()))
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_show_the_queue_and_cases() {
    TestApp::each(async |t| {
        for _ in 0..3 {
            assert_eq!(t.get("/yima-office/apply").await.status(), 200);
        }
        // A password of the wrong form: a field error.
        assert_eq!(t.get("/api/v1/applications/NOPE/letters/1?password=x").await.status(), 400);
        assert_eq!(t.get("/no/such/page/at/all").await.status(), 404);
        let open = r#"gongkai_applications_open{agency="yima-office"}"#;
        let overdue = r#"gongkai_applications_overdue{agency="yima-office"}"#;
        let before = t.get("/metrics").await.text().await.unwrap();
        assert_eq!(sample(&before, r#"gongkai_jobs{status="failed"}"#), Some(0.0), "{before}");
        // A change waiting in the search change feed (this node has not applied it yet).
        t.app.record_search_change(Some(999_999)).await.unwrap();
        let body = serde_json::json!({
            "applicant_type": "natural_person", "name": "张三", "id_type": "id_card", "id_number": "11010519491231002X",
            "phone": "0398-1234567", "description": "2023年义马市老旧小区改造项目的资金拨付文件", "delivery": "online",
        });
        let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

        let r = t.get("/metrics").await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
        let text = r.text().await.unwrap();
        let get = |series: &str| sample(&text, series).unwrap_or_else(|| panic!("{series} not in\n{text}"));
        assert_eq!(get(r#"gongkai_http_requests_total{method="GET",route="/{agency}/apply",status="200"}"#), 3.0);
        assert_eq!(
            get(r#"gongkai_http_requests_total{method="GET",route="/api/v1/applications/{code}/letters/{lid}",status="400"}"#),
            1.0
        );
        assert_eq!(get(r#"gongkai_http_requests_total{method="GET",route="unmatched",status="404"}"#), 1.0);
        assert_eq!(get(r#"gongkai_http_request_duration_seconds_count{method="GET",route="/{agency}/apply"}"#), 3.0);
        assert!(get(r#"gongkai_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/{agency}/apply"}"#)
            .eq(&3.0));
        // No raw path as a label.
        assert!(!text.contains("yima-office/apply"), "{text}");
        // The application just submitted: one more open, not overdue.
        assert_eq!(get(open), sample(&before, open).unwrap() + 1.0);
        assert_eq!(get(overdue), sample(&before, overdue).unwrap());
        assert_eq!(get(r#"gongkai_http_requests_total{method="POST",route="/api/v1/{agency}/applications",status="201"}"#), 1.0);
        // The earlier scrape counted too (the current one is counted once it has answered).
        assert_eq!(get(r#"gongkai_http_requests_total{method="GET",route="/metrics",status="200"}"#), 1.0);
        // The change waits.
        assert!(get("gongkai_search_index_lag_changes") >= 1.0, "{text}");
        assert!(get("gongkai_search_index_lag_seconds") >= 0.0);
        t.run_jobs().await;
        let text = t.get("/metrics").await.text().await.unwrap();
        let get = |series: &str| sample(&text, series).unwrap_or_else(|| panic!("{series} not in\n{text}"));
        // Applied (an entry that is gone is taken out of the index): nothing waits.
        assert_eq!(get("gongkai_search_index_lag_changes"), 0.0);
        assert_eq!(get("gongkai_search_index_lag_seconds"), 0.0);
        assert_eq!(get(r#"gongkai_jobs{status="queued"}"#), 0.0);
    })
    .await;
}

#[tokio::test]
async fn metrics_are_hidden_behind_a_proxy_and_need_the_token_when_one_is_set() {
    let t = TestApp::spawn(TestDb::sqlite().await).await;
    // A local reverse proxy passing a visitor on: refused like a page that does not exist.
    let r = t.client.get(t.url("/metrics")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("gongkai_http_requests"));

    let cfg = WebConfig { metrics_token: Some("metrics-secret-1".into()), ..Default::default() };
    let t = TestApp::spawn_with(TestDb::sqlite().await, cfg).await;
    assert_eq!(t.get("/metrics").await.status(), 404);
    let r = t.client.get(t.url("/metrics")).bearer_auth("wrong-secret-99").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = t.client.get(t.url("/metrics")).bearer_auth("metrics-secret-1").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("# TYPE gongkai_http_requests counter"));
}
