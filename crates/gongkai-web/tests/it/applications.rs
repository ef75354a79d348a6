//! 依申请公开 end to end: public form and JSON API, status lookup, console case list and case page, the
//! statutory deadlines at every step, tenant isolation, and a restart between submission and lookup.

use crate::support::{PASSWORD, TestApp};
use gongkai_domain::agency::Role;
use serde_json::{Value, json};
use time::Date;
use time::macros::date;

const VALID_ID: &str = "11010519491231002X";

fn form(id_type: &str, id_number: &str, applicant_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("applicant_type", applicant_type.into()),
        ("name", "张三".into()),
        ("id_type", id_type.into()),
        ("id_number", id_number.into()),
        ("phone", "0398-1234567".into()),
        ("email", "zhangsan@example.cn".into()),
        ("address", "河南省义马市千秋路1号".into()),
        ("description", "2023年义马市老旧小区改造项目的资金拨付文件（义政办〔2023〕5号）".into()),
        ("delivery", "email".into()),
    ]
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("{start} not in page")) + start.len();
    let j = html[i..].find(end).unwrap() + i;
    &html[i..j]
}

impl TestApp {
    /// Submits the public form of `agency` and returns (tracking code, query password).
    async fn submit_application(&self, agency: &str, fields: &[(&str, String)]) -> (String, String) {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = format!("/{agency}/apply");
        let r = self.post_form(&page, &page, &fields).await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let password = between(&html, r#"<strong id="query-password">"#, "<").to_owned();
        (code, password)
    }

    /// The console id of the case with this tracking code, from the agency's case list.
    async fn case_id(&self, agency: &str, code: &str) -> i64 {
        let (status, html) = self.get_text(&format!("/console/{agency}/applications")).await;
        assert_eq!(status, 200, "{html}");
        let href = format!("/console/{agency}/applications/");
        let at = html.find(&format!(">{code}</a>")).expect("case listed");
        let start = html[..at].rfind(&href).unwrap() + href.len();
        html[start..at - 1].parse().unwrap()
    }

    /// Records a step through the case page's form on `day` (the server's today is set to `day`).
    async fn step(&self, agency: &str, id: i64, day: Date, fields: &[(&str, &str)]) -> reqwest::Response {
        self.app.set_today(Some(day));
        let page = format!("/console/{agency}/applications/{id}");
        let mut all = fields.to_vec();
        let d = day.to_string();
        all.push(("date", &d));
        self.post_form(&page, &format!("{page}/steps"), &all).await
    }

    async fn step_ok(&self, agency: &str, id: i64, day: Date, fields: &[(&str, &str)]) -> String {
        let r = self.step(agency, id, day, fields).await;
        let status = r.status();
        assert_eq!(status, 303, "{fields:?}: {}", r.text().await.unwrap());
        let (status, html) = self.get_text(&format!("/console/{agency}/applications/{id}")).await;
        assert_eq!(status, 200);
        html
    }

    async fn api_track(&self, code: &str, password: &str) -> (u16, Value) {
        let r = self
            .client
            .get(self.url(&format!("/api/v1/applications/{code}")))
            .header("X-Query-Password", password)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }
}

fn deadline(html: &str, label: &str) -> String {
    between(html, &format!("<tr class=\"deadline\"><td>{label}</td><td>"), "<").to_owned()
}

/// Must-show 1 (without letters): online submission → 双方确认 → 补正 requested and received → third-party
/// consultation → 部分公开 → reply, every deadline checked against a date computed by hand.
///
/// Hand computation from spec/holidays-cn.json (2026: 清明 4月4日–6日 off; 劳动节 5月1日–5日 off,
/// 5月9日 Saturday is a 调休 workday; no other change in March–May). The trigger day never counts.
/// - Submitted online Wed 3-25; 双方确认 Thu 3-26 = receipt (Art. 31).
/// - 补正告知 window, 7 wd after 3-26: 3-27, 3-30, 3-31, 4-1, 4-2, 4-3, (4-4..6 清明), 4-7 → **4月7日**.
/// - Reply, 20 wd after 3-26: …4-7 (7), 4-8..4-10 (10), 4-13..4-17 (15), 4-20..4-24 (20) → **4月24日**.
/// - 补正 requested Mon 3-30 with 10 wd: 3-31, 4-1, 4-2, 4-3, 4-7, 4-8, 4-9, 4-10, 4-13, 4-14 → **4月14日**.
/// - 补正 received Thu 4-9: the 20 days restart after 4-9: 4-10 (1), 4-13..17 (6), 4-20..24 (11), 4-27..30 (15),
///   (5-1..5 劳动节), 5-6, 5-7, 5-8 (18), 5-9 调休 (19), 5-11 (20) → **5月11日**.
/// - Third party asked Mon 4-13, answered Fri 4-17: the start day counts, 4-14..4-17 (4 wd) do not.
///   Reply: 4-10 (1), 4-13 (2), 4-20..24 (7), 4-27..30 (11), 5-6..8 (14), 5-9 (15), 5-11..15 (20) → **5月15日**.
///   The consultation window, 15 wd after 4-13: 4-14..17 (4), 4-20..24 (9), 4-27..30 (13), 5-6, 5-7 → **5月7日**.
/// - Decided 部分公开 on 4-27, reply sent 4-28: within the period.
#[tokio::test]
async fn online_application_through_correction_consultation_and_partial_disclosure() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 25)));
        let (code, password) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let handler = t.staff("banli", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let id = t.case_id("yima-office", &code).await;
        let ag = "yima-office";

        let (_, html) = t.get_text(&format!("/console/{ag}/applications/{id}")).await;
        assert!(html.contains("待确认收到"), "{html}");
        assert!(html.contains("110*************2X"), "ID masked on the case page");
        assert!(!html.contains(VALID_ID));

        let html = t.step_ok(ag, id, date!(2026 - 03 - 26), &[("step", "receipt_confirmed")]).await;
        assert_eq!(deadline(&html, "补正告知期限"), "2026年4月7日");
        assert_eq!(deadline(&html, "答复期限"), "2026年4月24日");
        assert!(html.contains("清明节"), "the explanation names the skipped holiday");

        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 03 - 30),
                &[("step", "correction_requested"), ("period_wd", "10"), ("items", "请写明文件的具体名称或文号")],
            )
            .await;
        assert!(html.contains("待补正"));
        assert_eq!(deadline(&html, "补正期限"), "2026年4月14日");
        assert!(!html.contains("<td>答复期限</td>"), "no reply deadline while awaiting the 补正");

        let html = t.step_ok(ag, id, date!(2026 - 04 - 09), &[("step", "correction_received")]).await;
        assert_eq!(deadline(&html, "答复期限"), "2026年5月11日");
        assert!(html.contains("劳动节"));
        assert!(html.contains("2026年5月9日为调休上班日"), "{html}");

        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 04 - 13),
                &[("step", "third_party_consultation_started"), ("party", "义马市某建设公司")],
            )
            .await;
        assert!(html.contains("征求意见中"));
        assert_eq!(deadline(&html, "征求意见期限"), "2026年5月7日");
        let html = t.step_ok(ag, id, date!(2026 - 04 - 17), &[("step", "third_party_consultation_ended")]).await;
        assert_eq!(deadline(&html, "答复期限"), "2026年5月15日");
        assert!(html.contains("其间4个工作日不计入"), "{html}");

        // Replying before deciding is refused with the reason; the page keeps working.
        let r = t.step(ag, id, date!(2026 - 04 - 27), &[("step", "reply_sent")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("请先作出答复决定"));

        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 04 - 27),
                &[
                    ("step", "decided"),
                    ("outcome", "partly_disclosed"),
                    ("reasons", "涉及第三方商业秘密的部分不予公开"),
                ],
            )
            .await;
        assert!(html.contains("表三（二）"), "{html}");
        // Exactly one outcome.
        let r = t.step(ag, id, date!(2026 - 04 - 27), &[("step", "decided"), ("outcome", "disclosed")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("只能有一个答复结果"));

        let html = t.step_ok(ag, id, date!(2026 - 04 - 28), &[("step", "reply_sent")]).await;
        assert!(html.contains("已办结"));
        assert_eq!(deadline(&html, "答复期限"), "2026年5月15日");

        // The reply letter: a valid DOCX (OOXML zip) with its 文号, the outcome and the remedies.
        let r = t.get(&format!("/console/{ag}/applications/{id}/reply.docx")).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("DOCX is a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("义马市人民政府办公室依申请公开〔2026〕1号"), "{xml}");
        assert!(xml.contains("部分公开"));
        assert!(xml.contains("6个月内"));
        assert!(xml.contains("涉及第三方商业秘密的部分不予公开"));

        // The applicant sees the same, without internal notes.
        let (status, st) = t.api_track(&code, &password).await;
        assert_eq!(status, 200, "{st}");
        assert_eq!(st["stage"], "closed");
        assert_eq!(st["receipt_date"], "2026-03-26");
        assert_eq!(st["outcome"]["t3_key"], "（二）");
        let reply = st["deadlines"].as_array().unwrap().iter().find(|d| d["label"] == "答复期限").unwrap();
        assert_eq!(reply["date"], "2026-05-15");
        assert!(!st.to_string().contains("义马市某建设公司"), "details of consultations are internal");
        assert!(!st.to_string().contains(VALID_ID));

        // Every step is in the audit trail.
        let steps = gongkai_store::audit::by_action(&t.app.db, "application.step").await.unwrap();
        assert_eq!(steps.iter().filter(|e| e.object_id == id.to_string()).count(), 7);
    })
    .await;
}

/// Must-show 3: every case route, tried as staff of another agency, answers 404; roles are enforced.
#[tokio::test]
async fn cases_are_isolated_between_agencies() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 25)));
        let (code, _) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let owner = t.staff("office-handler", "yima-office", Role::CaseHandler).await;
        t.login_as(&owner, PASSWORD).await;
        let id = t.case_id("yima-office", &code).await;

        let other = TestApp::browser_for(&t);
        let outsider = t.staff("edu-handler", "yima-edu", Role::CaseHandler).await;
        let token = other.login(&outsider).await;
        for path in [
            "/console/yima-office/applications".to_owned(),
            "/console/yima-office/applications/new".to_owned(),
            format!("/console/yima-office/applications/{id}"),
            format!("/console/yima-edu/applications/{id}"),
            format!("/console/yima-office/applications/{id}/reply.docx"),
            format!("/console/yima-edu/applications/{id}/reply.docx"),
        ] {
            let r = other.client.get(t.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 404, "GET {path}");
        }
        for path in [
            format!("/console/yima-office/applications/{id}/steps"),
            format!("/console/yima-edu/applications/{id}/steps"),
            format!("/console/yima-office/applications/{id}/reveal-id"),
            format!("/console/yima-edu/applications/{id}/reveal-id"),
            "/console/yima-office/applications/new".to_owned(),
        ] {
            let r = other
                .client
                .post(t.url(&path))
                .form(&[("csrf", token.as_str()), ("step", "withdrawn"), ("date", "2026-03-25")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "POST {path}");
        }
        // The own agency's list is reachable and empty.
        let (status, html) = {
            let r = other.client.get(t.url("/console/yima-edu/applications")).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, 200);
        assert!(!html.contains(&code));

        // An editor of the agency may not open cases; a case handler may not approve an extension.
        t.step_ok("yima-office", id, date!(2026 - 03 - 26), &[("step", "receipt_confirmed")]).await;
        let r = t
            .step(
                "yima-office",
                id,
                date!(2026 - 03 - 27),
                &[("step", "extension_approved"), ("days_wd", "20"), ("approver", "x")],
            )
            .await;
        assert_eq!(r.status(), 403);
        let editor = t.staff("office-editor", "yima-office", Role::Editor).await;
        let ed = TestApp::browser_for(&t);
        ed.login(&editor).await;
        let r = ed.client.get(t.url(&format!("/console/yima-office/applications/{id}"))).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // A reviewer may approve it.
        let reviewer = t.staff("office-head", "yima-office", Role::Reviewer).await;
        let rv = TestApp::browser_for(&t);
        let token = rv.login(&reviewer).await;
        let r = rv
            .client
            .post(t.url(&format!("/console/yima-office/applications/{id}/steps")))
            .form(&[
                ("csrf", token.as_str()),
                ("step", "extension_approved"),
                ("date", "2026-03-27"),
                ("days_wd", "20"),
                ("approver", "办公室主任"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("延长后的答复期限"));
    })
    .await;
}

/// A second browser signed in as another user, against the same server.
struct Browser<'a> {
    t: &'a TestApp,
    client: reqwest::Client,
}

impl TestApp {
    fn browser_for(t: &TestApp) -> Browser<'_> {
        Browser { t, client: t.other_browser() }
    }
}

impl Browser<'_> {
    /// Signs in and returns the session's CSRF token.
    async fn login(&self, username: &str) -> String {
        let html = self.client.get(self.t.url("/console/login")).send().await.unwrap().text().await.unwrap();
        let token = crate::support::csrf_in(&html).unwrap();
        let r = self
            .client
            .post(self.t.url("/console/login"))
            .form(&[("username", username), ("password", PASSWORD), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let html = self.client.get(self.t.url("/console/")).send().await.unwrap().text().await.unwrap();
        crate::support::csrf_in(&html).unwrap()
    }
}

/// Must-show 4: invalid 身份证 / 信用代码 → a clear message next to the field, everything typed kept.
#[tokio::test]
async fn invalid_identity_numbers_are_refused_with_the_form_kept() {
    TestApp::each(async |t| {
        let mut f = form("id_card", "110105194912310021", "natural_person");
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form("/yima-office/apply", "/yima-office/apply", &fields).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(r#"<span class="error" id="id_number-err">居民身份证号码校验位（第18位）不正确"#),
            "{html}"
        );
        assert!(html.contains(r#"value="张三""#));
        assert!(html.contains(r#"value="110105194912310021""#));
        assert!(html.contains("义政办〔2023〕5号）</textarea>"));
        assert!(html.contains(r#"<option value="email" selected>"#));

        // An organisation with a wrong check character of its credit code.
        f = form("credit_code", "91350100M000100Y44", "business");
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form("/yima-office/apply", "/yima-office/apply", &fields).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("统一社会信用代码校验位不正确"));
        assert!(html.contains(r#"<option value="business" selected>"#));
        assert!(html.contains(r#"value="91350100M000100Y44""#));

        // The JSON API says which field, and nothing was stored.
        let mut body = json!({});
        for (k, v) in form("id_card", "11010519490231002X", "natural_person") {
            body[k] = json!(v);
        }
        let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "invalid");
        assert_eq!(v["fields"][0]["field"], "id_number");
        assert!(v["fields"][0]["message"].as_str().unwrap().contains("出生日期"));
        let submitted = gongkai_store::audit::by_action(&t.app.db, "application.submit").await.unwrap();
        assert!(submitted.iter().all(|e| e.actor_label == "demo"), "only the demo case exists");
    })
    .await;
}

/// Must-show 5: submit through the JSON API, restart, look it up: unchanged. Wrong passwords are refused.
#[tokio::test]
async fn json_submission_survives_a_restart() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let mut body = json!({});
        for (k, v) in form("credit_code", "91350100M000100Y43", "legal_service") {
            body[k] = json!(v);
        }
        body["name"] = json!("某律师事务所");
        let r = t.client.post(t.url("/api/v1/yima-office/applications")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.unwrap();
        let code = created["tracking_code"].as_str().unwrap().to_owned();
        let password = created["query_password"].as_str().unwrap().to_owned();
        assert!(code.starts_with("2026-"), "{code}");

        let (status, before) = t.api_track(&code, &password).await;
        assert_eq!(status, 200, "{before}");
        assert_eq!(before["stage"], "awaiting_receipt");
        assert_eq!(before["submitted_on"], "2026-06-01");

        let t = t.restart().await;
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let (status, after) = t.api_track(&code, &password).await;
        assert_eq!(status, 200);
        assert_eq!(before, after);
        // Case and spaces of the code and password do not matter; a wrong password is refused like an unknown code.
        let (status, _) = t.api_track(&code.to_lowercase().replace('-', " "), &password.to_lowercase()).await;
        assert_eq!(status, 200);
        let (status, wrong) = t.api_track(&code, "WRONGPASS2").await;
        assert_eq!(status, 400);
        let (_, unknown) = t.api_track("2026-AAAA-AAAA", &password).await;
        assert_eq!(wrong, unknown);

        // The HTML lookup shows the same application.
        let r = t.post_form("/track", "/track", &[("code", &code), ("password", &password)]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("待确认收到"));
        assert!(html.contains("2026年6月1日"));
        assert!(html.contains("义马市人民政府办公室"));
        assert!(!html.contains("91350100M000100Y43"));
    })
    .await;
}

/// Staff intake applies the receipt-date rule of each channel (条例 Art. 31).
///
/// By hand (2026 calendar): signed for on Mon 2026-06-15; 20 wd after it: 6-16..6-18 (3), (6-19..21 端午节),
/// 6-22..26 (8), 6-29..7-3 (13), 7-6..10 (18), 7-13, 7-14 (20) → **7月14日**.
/// 当面 on Tue 2026-09-22: 9-23, 9-24 (2), (9-25..27 中秋节; 9-20 was the 调休 Sunday, before the start),
/// 9-28..30 (5), (10-1..7 国庆节), 10-8, 10-9 (7), 10-10 调休 Saturday (8), 10-12..16 (13), 10-19..23 (18),
/// 10-26, 10-27 (20) → **10月27日**.
#[tokio::test]
async fn staff_intake_applies_the_receipt_rule_of_each_channel() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 09 - 22)));
        let handler = t.staff("dengji", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let page = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "post_signed".into()));
        fields.push(("submitted_on", "2026-06-12".into()));
        fields.push(("received_on", "".into()));
        let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();

        // Signed post without the signing day: refused, form kept.
        let f = as_refs(&fields);
        let body: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form(page, page, &body).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写签收日期"), "{html}");
        assert!(html.contains(r#"<option value="post_signed" selected>"#));
        assert!(html.contains(r#"value="2026-06-12""#));

        fields.last_mut().unwrap().1 = "2026-06-15".into();
        let f = as_refs(&fields);
        let body: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form(page, page, &body).await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("<dt>收到申请之日</dt><dd>2026年6月15日</dd>"), "{html}");
        assert_eq!(deadline(&html, "答复期限"), "2026年7月14日");
        assert!(html.contains("端午节"));

        // 当面: received the day it is handed in, without a confirmation step.
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-09-22".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form(page, page, &body).await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("<dd id=\"stage\">办理中</dd>"));
        assert_eq!(deadline(&html, "答复期限"), "2026年10月27日");
        assert!(html.contains("国庆节"));

        // A signing day in the future is refused by the clock.
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "post_signed".into()));
        fields.push(("submitted_on", "2026-09-21".into()));
        fields.push(("received_on", "2026-09-30".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form(page, page, &body).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("晚于今天"));
    })
    .await;
}

/// Fees (109号): 按量 from the page count, the clock paused from notice to payment, a reduction needs a reason,
/// and 按件 is free for the applicant's first 10 applications of the month.
///
/// By hand: 当面 on Mon 2026-06-01 (receipt). Notice delivered Wed 6-3, paid Fri 6-5: 6-4 and 6-5 are not counted.
/// Reply, 20 wd after 6-1: 6-2, 6-3 (2), 6-8..12 (7), 6-15..18 (11), (6-19..21 端午节), 6-22..26 (16),
/// 6-29, 6-30, 7-1, 7-2 (20) → **7月2日**. The payment period: 20 wd after 6-3 → 6-4, 6-5, 6-8..12 (7),
/// 6-15..18 (11), 6-22..26 (16), 6-29..7-2 (20) → **7月2日** as well.
#[tokio::test]
async fn fee_notice_pauses_the_clock_until_payment() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let handler = t.staff("shoufei", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let page = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-06-01".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.post_form(page, page, &body).await;
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let ag = "yima-office";

        // 按件: the first application of the month is free, so no notice.
        let r = t
            .step(ag, id, date!(2026 - 06 - 03), &[("step", "fee_notice_delivered"), ("fee_method", "per_application")])
            .await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("前10件免费"));
        // A reduction without a reason is not a reduction; one above the standard is refused.
        let r = t
            .step(
                ag,
                id,
                date!(2026 - 06 - 03),
                &[
                    ("step", "fee_notice_delivered"),
                    ("fee_method", "per_page"),
                    ("pages", "250"),
                    ("reduced_amount", "5000"),
                    ("reduction_reason", "困难群众"),
                ],
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("应低于标准金额4700元"));

        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 06 - 03),
                &[("step", "fee_notice_delivered"), ("fee_method", "per_page"), ("pages", "250")],
            )
            .await;
        assert!(html.contains("按量计收（250页），应缴4700元"), "{html}");
        assert!(html.contains("待缴费"));
        assert_eq!(deadline(&html, "缴费期限"), "2026年7月2日");
        let r = t.step(ag, id, date!(2026 - 06 - 04), &[("step", "decided"), ("outcome", "disclosed")]).await;
        assert_eq!(r.status(), 409, "no decision while the fee is unpaid");

        let html = t.step_ok(ag, id, date!(2026 - 06 - 05), &[("step", "fee_paid")]).await;
        assert_eq!(deadline(&html, "答复期限"), "2026年7月2日");
        assert!(html.contains("<dd id=\"stage\">办理中</dd>"));
    })
    .await;
}

/// The demo holds the 2023 application of 义马市人民政府办公室: one natural person, 予以公开 within the period.
#[tokio::test]
async fn demo_has_the_2023_application_of_the_office() {
    TestApp::each(async |t| {
        let admin = t.admin().await;
        t.login_as(&admin, PASSWORD).await;
        let (status, html) = t.get_text("/console/yima-office/applications?year=2023").await;
        assert_eq!(status, 200);
        assert!(html.contains("共1件"), "{html}");
        assert!(html.contains("张某"));
        assert!(html.contains("110*************2X"), "masked in the list");
        assert!(html.contains("已办结"));
        let (_, html) = t.get_text("/console/yima-office/applications?year=2024").await;
        assert!(html.contains("共0件"));
        // Loading again creates nothing.
        assert_eq!(t.app.load_demo().await.unwrap().applications_created, 0);
    })
    .await;
}

/// 复议/诉讼 records: a 纠正 result reopens the application, and the reply period runs again from that day.
///
/// By hand: 纠正 recorded Mon 2026-08-03; 20 wd after it (no holiday in August 2026): 8-4..7 (4), 8-10..14 (9),
/// 8-17..21 (14), 8-24..28 (19), 8-31 (20) → **8月31日**.
#[tokio::test]
async fn a_corrected_review_reopens_the_case() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 07 - 01)));
        let handler = t.staff("fuyi", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let page = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-07-01".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = t.post_form(page, page, &body).await.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let ag = "yima-office";
        t.step_ok(
            ag,
            id,
            date!(2026 - 07 - 10),
            &[("step", "decided"), ("outcome", "not_held"), ("reasons", "经检索未找到")],
        )
        .await;
        t.step_ok(ag, id, date!(2026 - 07 - 10), &[("step", "reply_sent")]).await;
        // Closed: ordinary steps are refused, a review may be filed.
        let r = t.step(ag, id, date!(2026 - 07 - 20), &[("step", "decided"), ("outcome", "disclosed")]).await;
        assert_eq!(r.status(), 409);
        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 07 - 20),
                &[("step", "review_filed"), ("review_kind", "administrative_review"), ("body", "义马市人民政府")],
            )
            .await;
        assert!(html.contains("行政复议，义马市人民政府"));
        // A result dated before the filing is refused.
        let r = t
            .step(
                ag,
                id,
                date!(2026 - 07 - 19),
                &[("step", "review_decided"), ("review_kind", "administrative_review"), ("review_result", "upheld")],
            )
            .await;
        assert_eq!(r.status(), 409);
        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 08 - 03),
                &[("step", "review_decided"), ("review_kind", "administrative_review"), ("review_result", "corrected")],
            )
            .await;
        assert!(html.contains("<dd id=\"stage\">办理中</dd>"), "{html}");
        assert!(html.contains("结果纠正，本申请重新办理"));
        assert_eq!(deadline(&html, "答复期限"), "2026年8月31日");
        assert!(html.contains("自2026年8月3日（复议或诉讼结果纠正、重新办理之日）次日起算"), "{html}");
        let html = t.step_ok(ag, id, date!(2026 - 08 - 10), &[("step", "decided"), ("outcome", "disclosed")]).await;
        assert!(html.contains("表三（一）"));
        let html = t.step_ok(ag, id, date!(2026 - 08 - 11), &[("step", "reply_sent")]).await;
        assert!(html.contains("已办结"));
    })
    .await;
}

/// Must-show 4 (attachments): a disallowed or oversized file is refused with the rest of the form kept; accepted
/// files are stored by content and listed on the case.
#[tokio::test]
async fn attachments_are_checked_and_the_form_is_kept() {
    TestApp::each(async |t| {
        let post = |files: Vec<(&'static str, Vec<u8>)>| async {
            let token = t.csrf_from("/yima-office/apply").await;
            let mut mp = reqwest::multipart::Form::new();
            for (k, v) in form("id_card", VALID_ID, "natural_person") {
                mp = mp.text(k, v);
            }
            for (name, bytes) in files {
                mp = mp.part("attachments", reqwest::multipart::Part::bytes(bytes).file_name(name));
            }
            t.client.post(t.url(&format!("/yima-office/apply?csrf={token}"))).multipart(mp).send().await.unwrap()
        };
        let r = post(vec![("证明.pdf", b"%PDF-1.4 ok".to_vec()), ("tool.exe", b"MZ\x90\x00".to_vec())]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="attachments-err">附件“tool.exe”的类型不被接受"#), "{html}");
        assert!(html.contains(r#"value="张三""#));
        assert!(html.contains(r#"value="11010519491231002X""#));
        assert!(html.contains("义政办〔2023〕5号）</textarea>"));

        let mut big = b"%PDF-1.4".to_vec();
        big.resize(5 * 1024 * 1024 + 1, b' ');
        let r = post(vec![("扫描件.pdf", big)]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("附件“扫描件.pdf”超过5MB"));
        assert!(html.contains(r#"value="张三""#));

        let r = post(vec![("证明.pdf", b"%PDF-1.4 ok".to_vec()), ("照片.png", b"\x89PNG\r\n\x1a\n".to_vec())]).await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let admin = t.admin().await;
        t.login_as(&admin, PASSWORD).await;
        let id = t.case_id("yima-office", &code).await;
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("附件：证明.pdf（1KB）、照片.png（1KB）"), "{html}");
        // Both contents are in the content-addressed file store under their SHA-256.
        let files = t.app.files.as_ref().unwrap();
        for content in [&b"%PDF-1.4 ok"[..], &b"\x89PNG\r\n\x1a\n"[..]] {
            let key: String =
                <sha2::Sha256 as sha2::Digest>::digest(content).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(files.get(&key).await.unwrap(), content);
        }
    })
    .await;
}

/// A likely 重复申请 is suggested (never decided); the full ID number is shown only on request and audited;
/// the list filters by outcome.
#[tokio::test]
async fn duplicate_hint_audited_id_and_outcome_filter() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 02)));
        let (first, _) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let mut again = form("id_card", VALID_ID, "natural_person");
        again[6].1 = "请公开2023年义马市老旧小区改造项目的资金拨付文件（义政办〔2023〕5号）".into();
        let (second, _) = t.submit_application("yima-office", &again).await;
        let handler = t.staff("chachong", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let id = t.case_id("yima-office", &second).await;
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("可能的重复申请"), "{html}");
        assert!(html.contains(&format!(">{first}</a>")));
        assert!(!html.contains(VALID_ID));

        let page = format!("/console/yima-office/applications/{id}");
        let r = t.post_form(&page, &format!("{page}/reveal-id"), &[]).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains(&format!(r#"<span id="full-id">{VALID_ID}</span>"#)));
        let seen = gongkai_store::audit::by_action(&t.app.db, "application.reveal_id").await.unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].actor_label, "chachong");

        let (_, html) = t.get_text("/console/yima-office/applications?outcome=disclosed").await;
        assert!(html.contains("共1件"), "only the demo case was answered 予以公开");
        let (_, html) = t.get_text("/console/yima-office/applications?outcome=not_held").await;
        assert!(html.contains("共0件"));
    })
    .await;
}

/// Deadlines are computed from the case log on every read, with the calendar in the database: importing next
/// year's notice recomputes every open case at once (calendar issue: "changing a year recomputes open deadlines";
/// the import itself is audited).
#[tokio::test]
async fn importing_next_years_notice_recomputes_open_case_deadlines() {
    const TEST_2027: &str = include_str!("../../../gongkai-domain/tests/fixtures/holiday-cn-2027.test.json");
    TestApp::each(async |t| {
        let ag = "yima-office";
        t.app.set_today(Some(date!(2026 - 12 - 28)));
        let (code, _) = t.submit_application(ag, &form("id_card", VALID_ID, "natural_person")).await;
        let admin = t.admin().await;
        t.login_as(&admin, PASSWORD).await;
        let id = t.case_id(ag, &code).await;
        t.step_ok(ag, id, date!(2026 - 12 - 28), &[("step", "receipt_confirmed")]).await;

        let user = gongkai_store::users::by_username(&t.app.db, &admin).await.unwrap().unwrap();
        let p = t.app.principal(user.id).await.unwrap().unwrap();
        let agency = t.app.agency_by_code(ag).await.unwrap();
        // 2027 not loaded: plain weekends. Received Mon 2026-12-28; counted: Dec 29–31 (3), Fri Jan 1 (4),
        // Jan 4–8 (9), Jan 11–15 (14), Jan 18–22 (19), Mon Jan 25 (20).
        let before = t.app.case(&p, &agency, id).await.unwrap();
        assert_eq!(before.effective_deadline, Some(date!(2027 - 01 - 25)));
        assert!(before.deadlines.iter().any(|d| d.explanation.contains("临时")), "marked provisional");

        // The (test) 2027 notice makes Jan 1–3 元旦: Jan 1 no longer counts, so the 20th working day is Jan 26.
        t.app.import_calendar(None, TEST_2027.as_bytes()).await.unwrap();
        let after = t.app.case(&p, &agency, id).await.unwrap();
        assert_eq!(after.effective_deadline, Some(date!(2027 - 01 - 26)));
        assert!(!after.deadlines.iter().any(|d| d.explanation.contains("临时")), "no longer provisional");
        let (_, html) = t.get_text(&format!("/console/{ag}/applications/{id}")).await;
        assert!(html.contains("2027年1月26日"), "the case page shows the recomputed date");
    })
    .await;
}
