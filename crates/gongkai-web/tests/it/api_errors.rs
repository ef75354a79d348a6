//! Everything under `/api/` answers JSON `{code, message}`, whatever refused it: the fallback 404, a wrong method,
//! the CSRF check, the throttle (with `Retry-After`). Pages keep the Chinese HTML error page.

use crate::support::TestApp;
use gongkai_store::testing::TestDb;
use gongkai_web::WebConfig;
use serde_json::Value;

async fn json_error(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/json"), "{status}: {ct}");
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn api_errors_are_json_and_a_throttled_call_says_when_to_retry() {
    let cfg = WebConfig { public_post_burst: 1, public_post_replenish_secs: 30, ..Default::default() };
    let t = TestApp::spawn_with(TestDb::sqlite().await, cfg).await;

    let (status, v) = json_error(t.get("/api/v1/no-such-thing").await).await;
    assert_eq!((status, v["code"].as_str()), (404, Some("not_found")));
    // A GET of a POST-only route (unsafe methods meet the CSRF check first).
    let r = t.get("/api/v1/yima-office/mailbox").await;
    let (status, v) = json_error(r).await;
    assert_eq!((status, v["code"].as_str()), (405, Some("method_not_allowed")));
    // A form post to the API carries no CSRF token: refused, in JSON.
    let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).form(&[("title", "x")]).send().await.unwrap();
    let (status, v) = json_error(r).await;
    assert_eq!((status, v["code"].as_str()), (403, Some("forbidden")));

    // The second call within the burst is throttled: 429, JSON, Retry-After.
    let body = serde_json::json!({"type": "consult"});
    let first = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 400, "field errors, but not throttled");
    let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&body).send().await.unwrap();
    assert_eq!(r.headers()["retry-after"], "30");
    let (status, v) = json_error(r).await;
    assert_eq!((status, v["code"].as_str()), (429, Some("too_many_requests")));

    // A page keeps the HTML error page.
    let r = t.get("/no/such/page/here/x").await;
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn an_unknown_field_in_a_json_body_is_refused_and_named() {
    let t = TestApp::spawn(TestDb::sqlite().await).await;
    let letter = serde_json::json!({"type": "consult", "titel": "错字段", "content": "内容足够长的来信", "name": "王五", "phone": "13912345678"});
    let (status, v) =
        json_error(t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&letter).send().await.unwrap()).await;
    assert_eq!((status, v["code"].as_str()), (400, Some("invalid")));
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("titel") && message.contains("title"), "{message}");
    let application = serde_json::json!({"applicant_type": "natural_person", "nmae": "x"});
    let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&application).send().await.unwrap();
    let (status, v) = json_error(r).await;
    assert_eq!(status, 400);
    assert!(v["message"].as_str().unwrap().contains("nmae"), "{v}");
    // Not an object at all.
    let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&serde_json::json!([1, 2])).send().await.unwrap();
    assert_eq!(json_error(r).await.0, 400);
}

#[tokio::test]
async fn password_lookups_are_throttled_per_address() {
    let cfg = WebConfig { public_post_burst: 2, public_post_replenish_secs: 30, ..Default::default() };
    let t = TestApp::spawn_with(TestDb::sqlite().await, cfg).await;
    for _ in 0..2 {
        let r =
            t.client.get(t.url("/api/v1/mailbox/1234567890")).header("X-Query-Password", "WRONG").send().await.unwrap();
        assert_eq!(r.status(), 400, "a wrong code or password, not throttled yet");
    }
    let r = t.client.get(t.url("/api/v1/applications/X?password=Y")).send().await.unwrap();
    assert_eq!(r.status(), 429, "the third lookup from the address within the burst");
    assert_eq!(r.headers()["retry-after"], "30");
    // The statistics are not a password check and stay open.
    assert_eq!(t.get("/api/v1/yima-office/interaction/stats?year=2026").await.status(), 200);
}

#[tokio::test]
async fn readyz_answers_whether_the_database_takes_a_write() {
    TestApp::each(async |t| {
        let r = t.get("/readyz").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "ready");
        // Twice: the row is rewritten, not inserted again.
        assert_eq!(t.get("/readyz").await.status(), 200);
        // A node whose database is gone is not ready (and not healthy).
        t.db.close().await;
        let r = t.get("/readyz").await;
        assert_eq!(r.status(), 503);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "unavailable");
        assert!(v["message"].as_str().unwrap().contains("无法写入"));
    })
    .await;
}

#[tokio::test]
async fn when_the_database_is_unavailable_requests_answer_503_in_chinese_and_nothing_is_acknowledged() {
    for db in TestDb::all().await {
        let t = TestApp::spawn(db).await;
        let application = serde_json::json!({
            "applicant_type": "natural_person", "name": "张三", "id_type": "id_card", "id_number": "11010519491231002X",
            "phone": "0398-1234567", "email": "zhangsan@example.cn", "address": "河南省义马市千秋路1号",
            "description": "2023年义马市老旧小区改造项目的资金拨付文件", "delivery": "email",
        });
        // The database goes away (a closed pool: as a server that is down, or a disk that refuses every write).
        t.db.close().await;
        let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&application).send().await.unwrap();
        assert_eq!(r.headers()["retry-after"], "30");
        let (status, v) = json_error(r).await;
        assert_eq!((status, v["code"].as_str()), (503, Some("unavailable")), "{v}");
        assert!(v["message"].as_str().unwrap().contains("暂时不可用"), "{v}");
        assert!(v.get("tracking_code").is_none());

        // A page: the Chinese error page, 503.
        let r = t.get("/yima-office/apply").await;
        assert_eq!(r.status(), 503);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = r.text().await.unwrap();
        assert!(html.contains("服务暂时不可用") && html.contains("请稍后再试"), "{html}");

        let r = t.get("/readyz").await;
        assert_eq!(r.status(), 503);
    }
}
