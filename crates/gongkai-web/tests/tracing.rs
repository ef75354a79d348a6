//! Request tracing: every request is logged with method, matched route, agency, user, status and latency, and
//! what a handler logs carries the same fields. Its own test binary, because it installs the global subscriber.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use gongkai_domain::agency::Role;
use gongkai_store::testing::TestDb;
use std::io::Write;
use std::sync::{Arc, Mutex};
use support::{PASSWORD, TestApp};

/// A log sink the test can read.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap()).lines().map(str::to_owned).collect()
    }
}

#[tokio::test]
async fn each_request_is_logged_with_route_agency_user_status_and_latency() {
    let sink = Sink::default();
    let writer = sink.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .init();

    let t = TestApp::spawn(TestDb::sqlite().await).await;
    let user = t.staff("tracer", "yima-office", Role::Admin).await;
    assert_eq!(t.login_as(&user, PASSWORD).await.status(), 303);
    let uid = gongkai_store::users::by_username(&t.db, &user).await.unwrap().expect("user").id;
    assert_eq!(t.get("/console/yima-office/").await.status(), 200);
    assert_eq!(t.get("/console/no-such-agency/audit").await.status(), 404);
    assert_eq!(t.get("/no/such/page/at/all").await.status(), 404);

    let lines = sink.lines();
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle) && l.contains("status="))
            .unwrap_or_else(|| panic!("no request line with {needle:?} in:\n{}", lines.join("\n")))
            .clone()
    };
    let page = find("route=/console/{agency}/ ");
    for field in ["method=GET", "agency=yima-office", &format!("user={uid}"), "status=200", "latency_ms="] {
        assert!(page.contains(field), "{field} missing from: {page}");
    }
    let refused = find("route=/console/{agency}/audit");
    assert!(refused.contains("agency=no-such-agency") && refused.contains("status=404"), "{refused}");
    let unknown = lines
        .iter()
        .find(|l| l.contains("status=404") && !l.contains("route="))
        .unwrap_or_else(|| panic!("no line for the unrouted 404 in:\n{}", lines.join("\n")));
    assert!(unknown.contains("method=GET") && !unknown.contains("user="), "{unknown}");
}
