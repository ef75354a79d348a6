//! The API's description (`/api/v1/openapi.json`, OpenAPI 3.1) covers every `/api/v1` route of the source, with
//! the coded fields as enums; its page renders; a field error of a coded field names the allowed values.

use crate::support::TestApp;
use gongkai_store::testing::TestDb;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// Every `(method, path)` of a `.route("/api/v1/…", get(…).post(…))` in the web crate's source.
fn api_routes_in_source() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for (i, _) in src.match_indices(".route(\"/api/v1/") {
                let rest = &src[i + ".route(\"".len()..];
                let path = &rest[..rest.find('"').unwrap()];
                // The handlers: up to the end of the line (a route per line in this crate).
                let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
                for method in ["get", "post", "put", "patch", "delete"] {
                    if line.contains(&format!("{method}(")) {
                        out.insert((method.to_owned(), path.to_owned()));
                    }
                }
            }
        }
    }
    out
}

fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

fn enum_of(doc: &Value, schema: &str, field: &str) -> Vec<String> {
    doc["components"]["schemas"][schema]["properties"][field]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{schema}.{field} has no enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_covers_every_api_route() {
    let t = TestApp::spawn(TestDb::sqlite().await).await;
    let r = t.get("/api/v1/openapi.json").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let in_source = api_routes_in_source();
    // The crate has these seven: a route lost from the scan would make the comparison below meaningless.
    assert_eq!(in_source.len(), 7, "{in_source:?}");
    assert!(in_source.contains(&("post".into(), "/api/v1/{agency}/applications".into())));
    assert_eq!(documented(&doc), in_source);

    // The coded fields are enums with the domain's codes.
    assert_eq!(
        enum_of(&doc, "ApplicationBody", "applicant_type"),
        ["natural_person", "business", "research", "public_welfare", "legal_service", "other_organisation"]
    );
    assert_eq!(enum_of(&doc, "ApplicationBody", "delivery"), ["paper", "email", "disc", "pick_up", "online"]);
    assert_eq!(enum_of(&doc, "LetterBody", "type"), ["consult", "help", "complaint", "suggestion", "report"]);
    assert!(enum_of(&doc, "ApiError", "code").contains(&"too_many_requests".to_owned()));
    // Every error status of every operation answers the error shape.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, resp) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        resp["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiError",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    // A submission links to its lookup (for clients and stateful testing), by an operation that exists.
    let link = &doc["paths"]["/api/v1/{agency}/applications"]["post"]["responses"]["201"]["links"]["查询办理情况"];
    assert_eq!(link["operationId"], "track_application");
    assert_eq!(doc["paths"]["/api/v1/applications/{code}"]["get"]["operationId"], "track_application");
    assert_eq!(link["parameters"]["password"], "$response.body#/query_password");
    // The query password: header or query parameter.
    let params = &doc["paths"]["/api/v1/applications/{code}"]["get"]["parameters"];
    let names: Vec<&str> = params.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["code", "X-Query-Password", "password"]);
}

#[tokio::test]
async fn the_api_page_shows_every_operation_in_chinese() {
    let t = TestApp::spawn(TestDb::sqlite().await).await;
    let (status, html) = t.get_text("/api/docs").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>接口说明（API）</h1>"), "{html}");
    for op in [
        "POST /api/v1/{agency}/applications",
        "GET /api/v1/applications/{code}",
        "GET /api/v1/applications/{code}/letters/{lid}",
        "POST /api/v1/{agency}/mailbox",
        "GET /api/v1/mailbox/{code}",
        "GET /api/v1/{agency}/interaction/stats",
    ] {
        assert!(html.contains(&format!("<code>{op}</code>")), "{op} missing");
    }
    assert!(
        html.contains("取值：natural_person、business、research、public_welfare、legal_service、other_organisation")
    );
    // No script and nothing from another host.
    assert!(!html.contains("<script"));
    assert!(!html.contains("https://"));
}

#[tokio::test]
async fn a_wrong_code_is_answered_with_the_allowed_values() {
    let t = TestApp::spawn(TestDb::sqlite().await).await;
    let body = json!({
        "applicant_type": "person", "name": "张三", "id_type": "passport", "id_number": "E12345678",
        "phone": "0398-1234567", "description": "2023年的财政预算", "delivery": "fax",
    });
    let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    let message = |field: &str| {
        v["fields"].as_array().unwrap().iter().find(|f| f["field"] == field).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        message("applicant_type"),
        "请选择申请人类型（可选值：natural_person、business、research、public_welfare、legal_service、other_organisation）"
    );
    assert_eq!(message("delivery"), "请选择获取信息的方式（可选值：paper、email、disc、pick_up、online）");

    let letter =
        json!({"type": "praise", "title": "路灯", "content": "路灯不亮", "name": "李四", "phone": "13800000000"});
    let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&letter).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    let f = v["fields"].as_array().unwrap().iter().find(|f| f["field"] == "type").unwrap();
    assert_eq!(
        f["message"],
        "请选择来信类型（咨询、求助、投诉、建议或举报）（可选值：consult、help、complaint、suggestion、report）"
    );
}
