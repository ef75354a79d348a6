//! 依申请公开 end to end: public form and JSON API, status lookup, console case list and case page, the
//! statutory deadlines at every step, tenant isolation, and a restart between submission and lookup.

use crate::support::{PASSWORD, TestApp};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
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

/// A valid one-page PDF (with a correct cross-reference table).
const ONE_PAGE_PDF: &[u8] = include_bytes!("../fixtures/one-page.pdf");

/// The ids of the letters listed on a case page, in order (from their DOCX links).
fn letter_ids(html: &str, agency: &str, case: i64) -> Vec<i64> {
    let prefix = format!("/console/{agency}/applications/{case}/letters/");
    html.match_indices(&prefix)
        .filter_map(|(i, _)| {
            let rest = &html[i + prefix.len()..];
            let end = rest.find('/')?;
            (rest[end..].starts_with("/docx")).then(|| rest[..end].parse().ok()).flatten()
        })
        .collect()
}

/// The text of a DOCX's main part (the XML), after checking it is a valid OOXML zip.
fn docx_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("DOCX is a zip");
    let mut types = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("[Content_Types].xml").unwrap(), &mut types).unwrap();
    assert!(types.contains("wordprocessingml.document.main+xml"), "{types}");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}

/// The text of a PDF by `pdftotext` (Debian poppler-utils), whitespace removed (lines wrap).
fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let dir = std::env::temp_dir().join(format!("gongkai-web-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", rand_name()));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

fn rand_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    )
}

fn deadline(html: &str, label: &str) -> String {
    between(html, &format!("<tr class=\"deadline\"><td>{label}</td><td>"), "<").to_owned()
}

/// Must-show 1: online submission → 双方确认 → 补正 requested and received → third-party
/// consultation → 部分公开 → reply, every deadline checked against a date computed by hand.
///
/// Hand computation from crates/gongkai-domain/data/holidays-cn.json (2026: 清明 4月4日–6日 off; 劳动节 5月1日–5日 off,
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
///
/// Letters: the 补正告知书 (sent 3-30) states the 补正 deadline **4月14日**; the 征询函 (sent 4-13) the
/// consultation deadline **5月7日**. The agency's sequence of 2026 is empty before, so they get 1 and 2, and
/// the reply, sent with 送达答复 on 4-28, gets 3: `义马市人民政府办公室依申请公开〔2026〕3号` (default template).
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

        // The 双方确认 drafted the 登记回执 (left unsent here). The 补正告知书 is a draft filled from the case,
        // editable, then sent with the first number of 2026.
        let ids = letter_ids(&html, ag, id);
        assert_eq!(ids.len(), 2, "{html}");
        let corr = ids[1];
        assert!(html.contains("草稿（发出时编号）"));
        let page = format!("/console/{ag}/applications/{id}");
        let docx = t.get(&format!("{page}/letters/{corr}/docx")).await.bytes().await.unwrap();
        let xml = docx_xml(&docx);
        for s in [
            "政府信息公开申请补正告知书",
            "（草稿，发出时编号）",
            "张三：",
            "2026年3月26日",
            "10个工作日",
            "2026年4月14日",
            "请写明文件的具体名称或文号",
        ] {
            assert!(xml.contains(s), "{s} in the draft");
        }
        // A refused edit (no title) keeps what was typed in that letter's form, and stores nothing.
        let r = t
            .post_form(&page, &format!("{page}/letters/{corr}"), &[("title", " "), ("body", "张三：\n打了很久的正文")])
            .await;
        assert_eq!(r.status(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写文书标题（不超过60个字）"), "{html}");
        assert!(
            html.contains(&format!(
                "<textarea id=\"lb-{corr}\" name=\"body\" rows=\"8\">张三：\n打了很久的正文</textarea>"
            )),
            "{html}"
        );
        let xml = docx_xml(&t.get(&format!("{page}/letters/{corr}/docx")).await.bytes().await.unwrap());
        assert!(!xml.contains("打了很久的正文") && xml.contains("请写明文件的具体名称或文号"));
        let body = "张三：\n请写明文件的具体名称或文号，并提供联系电话。\n请于2026年4月14日前补正，逾期视为放弃申请。";
        // Sent as a browser sends a textarea (CRLF), stored with LF.
        let crlf = body.replace('\n', "\r\n");
        let r = t
            .post_form(
                &page,
                &format!("{page}/letters/{corr}"),
                &[("title", "政府信息公开申请补正告知书"), ("body", &crlf)],
            )
            .await;
        assert_eq!(r.status(), 303);
        let stored = gongkai_store::letters::of_application(&t.db, id).await.unwrap();
        assert_eq!(stored.iter().find(|l| l.id == corr).unwrap().body, body);
        let r = t.post_form(&page, &format!("{page}/letters/{corr}/send"), &[]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(
            html.contains(
                r#"<strong class="doc-no">义马市人民政府办公室依申请公开〔2026〕1号</strong> · 2026年3月30日"#
            ),
            "{html}"
        );
        let xml = docx_xml(&t.get(&format!("{page}/letters/{corr}/docx")).await.bytes().await.unwrap());
        assert!(xml.contains("并提供联系电话"), "the edited text was sent");
        assert!(xml.contains("义马市人民政府办公室依申请公开〔2026〕1号"));
        // Frozen once sent: edits and a second sending are refused with the reason, and nothing changed.
        let r =
            t.post_form(&page, &format!("{page}/letters/{corr}"), &[("title", "改"), ("body", "张三：\n改过的")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("发出的文书不能修改"));
        let r = t.post_form(&page, &format!("{page}/letters/{corr}/send"), &[]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("不能再次发出"));
        let xml = docx_xml(&t.get(&format!("{page}/letters/{corr}/docx")).await.bytes().await.unwrap());
        assert!(xml.contains("并提供联系电话") && !xml.contains("改过的"));

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
        // The 征询函 to the third party, with its 15-day window; sent on 4-13 as number 2.
        let consult = *letter_ids(&html, ag, id).last().unwrap();
        let xml = docx_xml(&t.get(&format!("{page}/letters/{consult}/docx")).await.bytes().await.unwrap());
        assert!(
            xml.contains("义马市某建设公司：") && xml.contains("2026年5月7日") && xml.contains("第三十二条"),
            "{xml}"
        );
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{consult}/send"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("义马市人民政府办公室依申请公开〔2026〕2号</strong> · 2026年4月13日"));
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

        // The decision made a reply draft (no number yet).
        let reply_letter = *letter_ids(&html, ag, id).last().unwrap();
        let xml = docx_xml(&t.get(&format!("{page}/reply.docx")).await.bytes().await.unwrap());
        assert!(xml.contains("（草稿，发出时编号）") && xml.contains("部分公开"), "{xml}");

        let html = t.step_ok(ag, id, date!(2026 - 04 - 28), &[("step", "reply_sent")]).await;
        assert!(html.contains("已办结"));
        assert_eq!(deadline(&html, "答复期限"), "2026年5月15日");
        assert!(html.contains("义马市人民政府办公室依申请公开〔2026〕3号</strong> · 2026年4月28日"), "{html}");

        // The reply letter: a valid DOCX (OOXML zip) with its 文号, the outcome and the remedies …
        let r = t.get(&format!("/console/{ag}/applications/{id}/reply.docx")).await;
        assert_eq!(r.status(), 200);
        let xml = docx_xml(&r.bytes().await.unwrap());
        assert!(xml.contains("义马市人民政府办公室依申请公开〔2026〕3号"), "{xml}");
        assert!(xml.contains("部分公开"));
        assert!(xml.contains("6个月内"));
        assert!(xml.contains("60日内"));
        assert!(xml.contains("涉及第三方商业秘密的部分不予公开"));
        assert!(xml.contains("2026年4月28日"));
        // … and the same as PDF, whose text pdftotext extracts.
        for path in [format!("{page}/reply.pdf"), format!("{page}/letters/{reply_letter}/pdf")] {
            let r = t.get(&path).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "application/pdf");
            let text = pdf_text(&r.bytes().await.unwrap());
            for s in [
                "政府信息公开申请答复告知书",
                "义马市人民政府办公室依申请公开〔2026〕3号",
                "部分公开",
                "涉及第三方商业秘密的部分不予公开",
                "6个月内",
                "2026年4月28日",
            ] {
                assert!(text.contains(s), "{s} in {text}");
            }
        }
        let sent = gongkai_store::audit::by_action(&t.db, AuditAction::LetterSend).await.unwrap();
        assert_eq!(sent.iter().filter(|e| e.details.0["application_id"] == json!(id)).count(), 3);

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
        // Letters sent to the applicant (not the 征询函 to the third party), with 文号 and date.
        let letters: Vec<(String, String, String)> = st["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["kind_zh"].as_str().unwrap().into(),
                    l["doc_no"].as_str().unwrap().into(),
                    l["sent_on"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            letters,
            vec![
                ("补正告知书".into(), "义马市人民政府办公室依申请公开〔2026〕1号".into(), "2026-03-30".into()),
                ("答复告知书".into(), "义马市人民政府办公室依申请公开〔2026〕3号".into(), "2026-04-28".into()),
            ]
        );
        // The applicant downloads the sent reply as PDF with the code and password; a wrong password gets nothing.
        let pdf = st["letters"][1]["pdf"].as_str().unwrap().to_owned();
        let r = t.client.get(t.url(&pdf)).header("X-Query-Password", &password).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(pdf_text(&r.bytes().await.unwrap()).contains("依申请公开〔2026〕3号"));
        let r = t.client.get(t.url(&pdf)).header("X-Query-Password", "WRONGPASS2").send().await.unwrap();
        assert_eq!(r.status(), 400);
        // The consultation letter is not the applicant's to download.
        let r = t
            .client
            .get(t.url(&format!("/api/v1/applications/{code}/letters/{consult}")))
            .header("X-Query-Password", &password)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        // The HTML status page lists the same letters, with a download form.
        let r = t.post_form("/track", "/track", &[("code", &code), ("password", &password)]).await;
        let html = r.text().await.unwrap();
        assert!(
            html.contains(
                "<td>答复告知书</td><td>义马市人民政府办公室依申请公开〔2026〕3号</td><td>2026年4月28日</td>"
            ),
            "{html}"
        );
        assert!(!html.contains("〔2026〕2号"));
        let r = t
            .post_form(
                "/track",
                "/track/letter",
                &[("code", &code), ("password", &password), ("letter", &reply_letter.to_string())],
            )
            .await;
        let status = r.status();
        let bytes = r.bytes().await.unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(pdf_text(&bytes).contains("部分公开"));

        // Every step is in the audit trail.
        let steps = gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationStep).await.unwrap();
        assert_eq!(steps.iter().filter(|e| e.object_id == id.to_string()).count(), 7);
    })
    .await;
}

/// Must-show 3: every case route (console pages, steps, letters, files, export, assignment, templates), tried
/// as staff of another agency — under the owner's agency code or under its own — answers 404; the public API
/// of a case gives nothing without the query password; roles are enforced.
#[tokio::test]
async fn cases_are_isolated_between_agencies() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 26)));
        let (code, _) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let owner = t.staff("office-handler", "yima-office", Role::CaseHandler).await;
        t.login_as(&owner, PASSWORD).await;
        let id = t.case_id("yima-office", &code).await;
        // A case with a letter (the 征询函 draft) to aim at.
        t.step_ok("yima-office", id, date!(2026 - 03 - 26), &[("step", "receipt_confirmed")]).await;
        let html = t
            .step_ok(
                "yima-office",
                id,
                date!(2026 - 03 - 26),
                &[("step", "third_party_consultation_started"), ("party", "某公司")],
            )
            .await;
        let lid = *letter_ids(&html, "yima-office", id).last().unwrap();
        let sha = "0".repeat(64);

        let other = TestApp::browser_for(&t);
        let outsider = t.staff("edu-handler", "yima-edu", Role::CaseHandler).await;
        let token = other.login(&outsider).await;
        let mut gets = vec![
            "/console/yima-office/applications".to_owned(),
            "/console/yima-office/applications/new".to_owned(),
            "/console/yima-office/applications/export.xlsx".to_owned(),
            "/console/yima-office/letter-templates".to_owned(),
        ];
        let mut posts = vec![
            "/console/yima-office/applications/new".to_owned(),
            "/console/yima-office/letter-templates".to_owned(),
            "/console/yima-office/letter-templates/doc-no".to_owned(),
        ];
        for ag in ["yima-office", "yima-edu"] {
            let case = format!("/console/{ag}/applications/{id}");
            for p in ["", "/reply.docx", "/reply.pdf", &format!("/attachments/{sha}")] {
                gets.push(format!("{case}{p}"));
            }
            for p in ["docx", "pdf"] {
                gets.push(format!("{case}/letters/{lid}/{p}"));
            }
            for p in [
                "/steps",
                "/reveal-id",
                "/assign",
                &format!("/letters/{lid}"),
                &format!("/letters/{lid}/send"),
                &format!("/letters/{lid}/correct"),
                "/letters/third-party-notice",
            ] {
                posts.push(format!("{case}{p}"));
            }
        }
        for path in gets {
            let r = other.client.get(t.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 404, "GET {path}");
        }
        for path in posts {
            let r = other
                .client
                .post(t.url(&path))
                .form(&[
                    ("csrf", token.as_str()),
                    ("step", "withdrawn"),
                    ("date", "2026-03-26"),
                    ("title", "x"),
                    ("body", "x"),
                    ("kind", "reply"),
                    ("doc_no_template", "x{year}{seq}"),
                    ("handler", ""),
                    ("reasons", "x"),
                    ("disclose_on", "2026-03-26"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "POST {path}");
        }
        // Nothing changed: the draft is still a draft, no step or letter event was written by the outsider.
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("草稿（发出时编号）") && html.contains("征求意见中"), "{html}");
        for action in [AuditAction::LetterEdit, AuditAction::LetterCorrect] {
            assert!(gongkai_store::audit::by_action(&t.db, action).await.unwrap().is_empty(), "{action}");
        }
        // The public API of a case: nothing without the right password, whoever is signed in.
        for path in [format!("/api/v1/applications/{code}"), format!("/api/v1/applications/{code}/letters/{lid}")] {
            let r = other.client.get(t.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 400, "GET {path}");
            let r = other.client.get(t.url(&path)).header("X-Query-Password", "WRONGPASS2").send().await.unwrap();
            assert_eq!(r.status(), 400, "GET {path} with a wrong password");
        }
        // The own agency's list is reachable and empty.
        let (status, html) = {
            let r = other.client.get(t.url("/console/yima-edu/applications")).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, 200);
        assert!(!html.contains(&code));

        // An editor of the agency may not open cases; a case handler may not approve an extension.
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
        // The 延期答复告知书 is the approvers' letter: a case handler may neither edit nor send it.
        let ext = *letter_ids(&html, "yima-office", id).last().unwrap();
        assert_ne!(ext, lid);
        let page = format!("/console/yima-office/applications/{id}");
        let r = t.post_form(&page, &format!("{page}/letters/{ext}/send"), &[]).await;
        assert_eq!(r.status(), 403);
        let r = rv
            .client
            .post(t.url(&format!("{page}/letters/{ext}/send")))
            .form(&[("csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("义马市人民政府办公室依申请公开〔2026〕1号</strong> · 2026年3月27日"), "{html}");
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
        let submitted = gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationSubmit).await.unwrap();
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
        // The query password is stored as a keyed hash (HMAC-SHA-256, hex), not argon2, and not in clear.
        let stored = gongkai_store::applications::by_tracking_code(&t.db, &code).await.unwrap().unwrap();
        let hex = stored.password_hash.strip_prefix("hmac-sha256$").expect(&stored.password_hash);
        assert!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{}", stored.password_hash);
        assert!(!stored.password_hash.contains(&password));

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
        // The 收费通知 draft (after the 登记回执 of the intake) states the basis, the amount and the last day to pay.
        let lid = letter_ids(&html, ag, id)[1];
        let xml = docx_xml(
            &t.get(&format!("/console/{ag}/applications/{id}/letters/{lid}/docx")).await.bytes().await.unwrap(),
        );
        for s in [
            "信息处理费收费通知",
            "国办函〔2020〕109号",
            "按量计收信息处理费（共250页）",
            "标准金额4700元",
            "至2026年7月2日止",
        ] {
            assert!(xml.contains(s), "{s} in {xml}");
        }
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
        // Its letters: the 登记回执 sent on the day of 双方确认 (3-7) is number 1 of 2023, the reply (3-28) 2.
        let href = "/console/yima-office/applications/";
        let at = html.find("张某").unwrap();
        let start = html[..at].rfind(href).unwrap() + href.len();
        let id: i64 = html[start..].split('"').next().unwrap().parse().unwrap();
        let (_, case) = t.get_text(&format!("{href}{id}")).await;
        assert!(case.contains("义马市人民政府办公室依申请公开〔2023〕1号</strong> · 2023年3月7日"), "{case}");
        assert!(case.contains("义马市人民政府办公室依申请公开〔2023〕2号</strong> · 2023年3月28日"), "{case}");
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
        let r = post(vec![("证明.pdf", ONE_PAGE_PDF.to_vec()), ("tool.exe", b"MZ\x90\x00".to_vec())]).await;
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

        // A PDF must parse, not only start like one: a truncated PDF and garbage behind a PDF header are refused
        // with the file named, the form kept.
        for (name, bytes) in [("截断.pdf", ONE_PAGE_PDF[..300].to_vec()), ("乱码.pdf", b"%PDF-1.4 ok".to_vec())] {
            let r = post(vec![(name, bytes)]).await;
            assert_eq!(r.status(), 400);
            let html = r.text().await.unwrap();
            assert!(html.contains(&format!("附件“{name}”无法解析，文件可能已损坏或不完整")), "{html}");
            assert!(html.contains(r#"value="张三""#));
        }

        let r = post(vec![("证明.pdf", ONE_PAGE_PDF.to_vec()), ("照片.png", b"\x89PNG\r\n\x1a\n".to_vec())]).await;
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
        for content in [ONE_PAGE_PDF, &b"\x89PNG\r\n\x1a\n"[..]] {
            let key: String =
                <sha2::Sha256 as sha2::Digest>::digest(content).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(files.get(&key).await.unwrap(), content);
        }
        // Staff of the agency download an attachment from the case page (audited); other agencies get 404.
        let pdf_key: String =
            <sha2::Sha256 as sha2::Digest>::digest(ONE_PAGE_PDF).iter().map(|b| format!("{b:02x}")).collect();
        let link = format!("/console/yima-office/applications/{id}/attachments/{pdf_key}");
        assert!(html.contains(&format!(r#"<a href="{link}">证明.pdf</a>"#)), "{html}");
        let r = t.get(&link).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("UTF-8''%E8%AF%81%E6%98%8E.pdf"));
        assert_eq!(&r.bytes().await.unwrap()[..], ONE_PAGE_PDF);
        let seen = gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationAttachmentDownload).await.unwrap();
        assert_eq!(seen.len(), 1);
        let other = TestApp::browser_for(&t);
        other.login(&t.staff("edu-reader", "yima-edu", Role::CaseHandler).await).await;
        for path in [link.clone(), link.replace("yima-office", "yima-edu")] {
            assert_eq!(other.client.get(t.url(&path)).send().await.unwrap().status(), 404, "{path}");
        }
    })
    .await;
}

/// Agency administrators edit the letter templates and the 文号 template; bad templates are refused with the
/// reason and the typed text kept; new drafts use them.
///
/// By hand: 当面 on Mon 2026-06-01 (receipt); 补正 requested Tue 6-2 with 10 working days: 6-3, 6-4, 6-5 (3),
/// 6-8..12 (8), 6-15, 6-16 (10) → **6月16日** (端午节 6-19 comes later).
#[tokio::test]
async fn agency_letter_templates_and_doc_numbers() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let handler = t.staff("mb-handler", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let page = "/console/yima-office/letter-templates";
        assert_eq!(t.get(page).await.status(), 403, "agency administrators only");
        t.logout().await;
        let admin = t.staff("mb-admin", "yima-office", Role::Admin).await;
        t.login_as(&admin, PASSWORD).await;
        let (status, html) = t.get_text(page).await;
        assert_eq!(status, 200);
        assert!(html.contains("补正告知书（默认模板）"), "{html}");
        assert!(html.contains("{year}"));

        let r = t.post_form(page, &format!("{page}/doc-no"), &[("doc_no_template", "义政办公开〔{year}〕号")]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("须包含一次{seq}"), "{html}");
        assert!(html.contains(r#"value="义政办公开〔{year}〕号""#), "typed value kept");
        let r =
            t.post_form(page, &format!("{page}/doc-no"), &[("doc_no_template", "义政办公开〔{year}〕{seq}号")]).await;
        assert_eq!(r.status(), 303);

        let bad = "{申请人}：\n请在{补正截止日期}前补正：{补正事向}。";
        let r = t.post_form(page, page, &[("kind", "correction"), ("title", "补正告知书"), ("body", bad)]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("模板中有无法识别的占位符：{补正事向}"), "{html}");
        assert!(html.contains("{补正事向}。</textarea>"), "typed text kept");
        let r = t
            .post_form(
                page,
                page,
                &[("kind", "reply"), ("title", "答复"), ("body", "可在3个月内提起行政诉讼或申请行政复议")],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("6个月"));
        let good = "{申请人}：\n请在{补正截止日期}前补正：{补正事项}";
        let r = t.post_form(page, page, &[("kind", "correction"), ("title", "补正通知书"), ("body", good)]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(page).await;
        assert!(html.contains("补正告知书（本机关模板）"));
        assert_eq!(gongkai_store::audit::by_action(&t.db, AuditAction::LetterTemplateUpdate).await.unwrap().len(), 1);
        assert_eq!(gongkai_store::audit::by_action(&t.db, AuditAction::LetterSettingsUpdate).await.unwrap().len(), 1);

        // A new case uses both.
        let intake = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-06-01".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = t.post_form(intake, intake, &body).await.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let html = t
            .step_ok(
                "yima-office",
                id,
                date!(2026 - 06 - 02),
                &[("step", "correction_requested"), ("period_wd", "10"), ("items", "请写明文件名称")],
            )
            .await;
        assert_eq!(deadline(&html, "补正期限"), "2026年6月16日");
        // [0] is the 登记回执 drafted at the 当面 intake.
        let lid = letter_ids(&html, "yima-office", id)[1];
        let case = format!("/console/yima-office/applications/{id}");
        assert_eq!(t.post_form(&case, &format!("{case}/letters/{lid}/send"), &[]).await.status(), 303);
        let xml = docx_xml(&t.get(&format!("{case}/letters/{lid}/docx")).await.bytes().await.unwrap());
        for s in [
            "补正通知书",
            "义政办公开〔2026〕1号",
            "张三：",
            "请在2026年6月16日前补正：请写明文件名称。<",
            "2026年6月2日",
        ] {
            assert!(xml.contains(s), "{s} in {xml}");
        }
    })
    .await;
}

/// `[site] base_url` fills the letter placeholder `{查询网址}` with the tracking page's absolute address.
#[tokio::test]
async fn letters_name_the_tracking_page_on_the_base_url() {
    let config = gongkai_app::AppConfig { base_url: Some("https://gk.example.cn".into()), ..Default::default() };
    TestApp::each_configured(config, async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let admin = t.staff("url-admin", "yima-office", Role::Admin).await;
        t.login_as(&admin, PASSWORD).await;
        let page = "/console/yima-office/letter-templates";
        let body = "{申请人}：\n请在{补正截止日期}前补正：{补正事项}\n查询：{查询网址}（查询码{查询码}）";
        let r = t.post_form(page, page, &[("kind", "correction"), ("title", "补正告知书"), ("body", body)]).await;
        assert_eq!(r.status(), 303);
        let intake = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-06-01".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = t.post_form(intake, intake, &body).await.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let html = t
            .step_ok(
                "yima-office",
                id,
                date!(2026 - 06 - 02),
                &[("step", "correction_requested"), ("period_wd", "10"), ("items", "请写明文件名称")],
            )
            .await;
        let lid = letter_ids(&html, "yima-office", id)[1];
        let case = format!("/console/yima-office/applications/{id}");
        assert_eq!(t.post_form(&case, &format!("{case}/letters/{lid}/send"), &[]).await.status(), 303);
        let xml = docx_xml(&t.get(&format!("{case}/letters/{lid}/docx")).await.bytes().await.unwrap());
        let expected = format!("查询：https://gk.example.cn/track（查询码{code}）");
        assert!(xml.contains(&expected), "{expected} in {xml}");
    })
    .await;
}

/// The case list: assignment (audited) and the handler filter (我的 / 未分配 / a person), and the XLSX export of
/// the filtered list with identity numbers masked.
#[tokio::test]
async fn case_assignment_handler_filter_and_xlsx_export() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 25)));
        let (first, _) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let (second, _) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let handler = t.staff("fenpei", "yima-office", Role::CaseHandler).await;
        t.staff("edu-someone", "yima-edu", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let id = t.case_id("yima-office", &first).await;
        let uid = gongkai_store::users::by_username(&t.db, &handler).await.unwrap().unwrap().id;
        let outsider = gongkai_store::users::by_username(&t.db, "edu-someone").await.unwrap().unwrap().id;
        let case = format!("/console/yima-office/applications/{id}");
        let r = t.post_form(&case, &format!("{case}/assign"), &[("handler", &outsider.to_string())]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("只能分配给本机关的经办人或管理员"));
        let r = t.post_form(&case, &format!("{case}/assign"), &[("handler", &uid.to_string())]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&case).await;
        assert!(html.contains(r#"<dd id="handler">fenpei同志"#), "{html}");
        let assigned = gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationAssign).await.unwrap();
        assert_eq!(assigned.len(), 1);
        assert_eq!(assigned[0].details.0["to"], json!(uid));

        let t = &t;
        let list = |q: String| async move { t.get_text(&format!("/console/yima-office/applications?{q}")).await.1 };
        let html = list("handler=mine".into()).await;
        assert!(html.contains("共1件") && html.contains(&first) && !html.contains(&second), "{html}");
        let html = list(format!("handler={uid}")).await;
        assert!(html.contains("共1件") && html.contains(&first));
        // Unassigned: the second one and the demo case of 2023.
        let html = list("handler=unassigned".into()).await;
        assert!(html.contains("共2件") && html.contains(&second) && !html.contains(&first), "{html}");

        let r = t.get("/console/yima-office/applications/export.xlsx?year=2026").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        let bytes = r.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX is a zip");
        let mut strings = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
        for s in [first.as_str(), second.as_str(), "110*************2X", "fenpei同志", "证件号码"] {
            assert!(strings.contains(s), "{s} in {strings}");
        }
        assert!(!strings.contains(VALID_ID), "never the full number");
        assert!(!strings.contains("张某"), "the 2023 demo case is filtered out by the year");
        assert_eq!(gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationExport).await.unwrap().len(), 1);
    })
    .await;
}

/// Art. 35: a longer reasonable period, with its reason, later than the statutory one; recorded in the log.
///
/// By hand: 当面 on Mon 2026-06-01; 20 working days after it: 6-2..5 (4), 6-8..12 (9), 6-15..18 (13),
/// (6-19..21 端午节), 6-22..26 (18), 6-29, 6-30 (20) → the statutory reply period ends **6月30日**. A custom
/// deadline on that very day is not "longer" and is refused.
#[tokio::test]
async fn a_custom_deadline_needs_a_reason_and_must_be_later_than_the_statutory_one() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 01)));
        let handler = t.staff("heli", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let intake = "/console/yima-office/applications/new";
        let mut fields = form("id_card", VALID_ID, "natural_person");
        fields.push(("channel", "in_person".into()));
        fields.push(("submitted_on", "2026-06-01".into()));
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let html = t.post_form(intake, intake, &body).await.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let ag = "yima-office";
        let step = |deadline: &'static str, reasons: &'static str| {
            vec![("step", "custom_deadline_set"), ("deadline", deadline), ("reasons", reasons)]
        };
        let r = t.step(ag, id, date!(2026 - 06 - 10), &step("2026-08-31", "")).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("须写明理由"));
        let r = t.step(ag, id, date!(2026 - 06 - 10), &step("2026-06-30", "数量大")).await;
        assert_eq!(r.status(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("应晚于法定答复期限（2026年6月30日）"), "{html}");
        let html = t
            .step_ok(ag, id, date!(2026 - 06 - 10), &step("2026-08-31", "申请数量明显超过合理范围，说明的理由合理"))
            .await;
        assert_eq!(deadline(&html, "合理答复期限（条例第三十五条）"), "2026年8月31日");
        assert!(html.contains("确定合理答复期限"));
        assert!(
            html.contains("合理答复期限至2026年8月31日（条例第三十五条）；理由：申请数量明显超过合理范围"),
            "{html}"
        );
    })
    .await;
}

/// The demo: cases of 2026 in the other agencies, some overdue on 2026-11-26, with numbered letters; the
/// office keeps only its 2023 case.
#[tokio::test]
async fn demo_cases_of_2026_in_the_other_agencies() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 11 - 26)));
        let admin = t.admin().await;
        t.login_as(&admin, PASSWORD).await;
        let (_, html) = t.get_text("/console/yima-office/applications").await;
        assert!(html.contains("共1件"), "{html}");
        let (_, html) = t.get_text("/console/yima-edu/applications?year=2026").await;
        assert!(html.contains("共5件"), "{html}");
        // Overdue by hand: 孙某 received Mon 10-19, due 11-16; 郑某 received Tue 10-27, due 11-24.
        let (_, html) = t.get_text("/console/yima-edu/applications?due=overdue").await;
        assert!(html.contains("共1件") && html.contains("孙某") && html.contains("2026年11月16日"), "{html}");
        let (_, html) = t.get_text("/console/yima-nr/applications?due=overdue").await;
        assert!(html.contains("共1件") && html.contains("郑某") && html.contains("2026年11月24日"), "{html}");
        // Open cases in each waiting stage.
        for (path, who) in [
            ("/console/yima-qianqiu/applications?stage=awaiting_correction", "韩某"),
            ("/console/yima-taishan/applications?stage=consulting", "义马市某物业服务有限公司"),
            ("/console/yima-health/applications?stage=awaiting_payment", "陈某"),
            ("/console/yima-health/applications?stage=awaiting_receipt", "义马市某公益服务中心"),
        ] {
            let (_, html) = t.get_text(path).await;
            assert!(html.contains("共1件") && html.contains(who), "{path}: {html}");
        }
        // The edu agency's letters of 2026 in date order, 登记回执 included.
        let (_, html) = t.get_text("/console/yima-edu/applications?outcome=not_held").await;
        let at = html.find("王某").unwrap();
        let href = "/console/yima-edu/applications/";
        let start = html[..at].rfind(href).unwrap() + href.len();
        let id: i64 = html[start..].split('"').next().unwrap().parse().unwrap();
        let (_, html) = t.get_text(&format!("/console/yima-edu/applications/{id}")).await;
        // 李某's 登记回执 (双方确认 1-13) is number 1 and the reply (2-4) 2; 王某's 登记回执 (当面 3-2) is 3, so the
        // 补正告知书 (3-4) is 4 and the reply (3-23) 5.
        assert!(html.contains("义马市教育局依申请公开〔2026〕3号</strong> · 2026年3月2日"), "{html}");
        assert!(html.contains("义马市教育局依申请公开〔2026〕4号</strong> · 2026年3月4日"), "{html}");
        assert!(html.contains("义马市教育局依申请公开〔2026〕5号</strong> · 2026年3月23日"), "{html}");
        assert!(!html.contains("草稿（发出时编号）"), "every letter of the closed case was sent");
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
        let seen = gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationRevealId).await.unwrap();
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
/// the import itself is audited). A letter whose date depends on the unloaded year says so, is marked 临时, and
/// is sent only with the confirmation box (docs/law/calendar.md §4.1, §4.1a).
///
/// By hand. Seed data: 2023–2026, so 2027 is not loaded.
/// - Case A, received Fri 2026-12-04: 12-07..11 (5), 12-14..18 (10), 12-21..25 (15), 12-28..31 (19); Fri 2027-01-01
///   is 元旦 (a fixed date of the 办法, off even without the notice), Jan 2–3 weekend → **Mon 2027-01-04** (20),
///   provisional. The (test) 2027 notice makes Jan 1–3 元旦: still 2027-01-04, no longer provisional.
/// - Case B, received Mon 2027-01-04: Jan 5–8 (4), 11–15 (9), 18–22 (14), 25–29 (19), Mon Feb 1 (20) without the
///   notice; the (test) notice makes Sun Jan 31 a working day (调休), so the 20th is **2027-01-31**.
#[tokio::test]
async fn unloaded_year_letters_are_provisional_and_import_recomputes_open_cases() {
    const TEST_2027: &str = include_str!("../../../gongkai-domain/tests/fixtures/holiday-cn-2027.test.json");
    TestApp::each(async |t| {
        let ag = "yima-office";
        let admin = t.admin().await;
        t.app.set_today(Some(date!(2026 - 12 - 04)));
        let (code_a, _) = t.submit_application(ag, &form("id_card", VALID_ID, "natural_person")).await;
        t.login_as(&admin, PASSWORD).await;
        let a = t.case_id(ag, &code_a).await;
        let html = t.step_ok(ag, a, date!(2026 - 12 - 04), &[("step", "receipt_confirmed")]).await;
        let receipt = letter_ids(&html, ag, a)[0];
        let page = format!("/console/{ag}/applications/{a}");
        assert!(html.contains(r#"<strong class="provisional">临时</strong>"#), "{html}");
        assert!(html.contains(r#"name="confirm_provisional""#), "{html}");
        let xml = docx_xml(&t.get(&format!("{page}/letters/{receipt}/docx")).await.bytes().await.unwrap());
        assert!(
            xml.contains(
                "20个工作日内（至2027年1月4日（临时日期：2027年放假安排尚未公布，如有调整，本机关将另行告知）止）"
            ),
            "{xml}"
        );
        assert!(!xml.contains("2027年1月1日"), "not due on 元旦: {xml}");

        // Sending without the box: refused in Chinese, the draft kept (no 文号).
        let r = t.post_form(&page, &format!("{page}/letters/{receipt}/send"), &[]).await;
        assert_eq!(r.status(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("勾选“确认按临时日期发出”"), "{html}");
        assert!(!html.contains(r#"class="doc-no""#), "{html}");
        // With it: sent, and the audit records the confirmation.
        let r = t.post_form(&page, &format!("{page}/letters/{receipt}/send"), &[("confirm_provisional", "1")]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains(r#"class="doc-no""#), "{html}");
        let sent = gongkai_store::audit::by_action(&t.db, AuditAction::LetterSend).await.unwrap();
        assert!(
            sent.iter()
                .any(|e| e.details.0["application_id"] == json!(a)
                    && e.details.0["provisional_confirmed"] == json!(true)),
            "audited with the confirmation"
        );

        t.app.set_today(Some(date!(2027 - 01 - 04)));
        let (code_b, _) = t.submit_application(ag, &form("id_card", VALID_ID, "natural_person")).await;
        let b = t.case_id(ag, &code_b).await;
        t.step_ok(ag, b, date!(2027 - 01 - 04), &[("step", "receipt_confirmed")]).await;

        let user = gongkai_store::users::by_username(&t.db, &admin).await.unwrap().unwrap();
        let p = t.app.principal(user.id).await.unwrap().unwrap();
        let agency = t.app.agency_by_code(ag).await.unwrap();
        let provisional =
            |v: &gongkai_app::applications::CaseView| v.deadlines.iter().any(|d| d.explanation.contains("临时"));
        let before_a = t.app.case(&p, &agency, a).await.unwrap();
        let before_b = t.app.case(&p, &agency, b).await.unwrap();
        assert_eq!(before_a.effective_deadline, Some(date!(2027 - 01 - 04)));
        assert_eq!(before_b.effective_deadline, Some(date!(2027 - 02 - 01)));
        assert!(provisional(&before_a) && provisional(&before_b), "marked provisional");

        t.app.import_calendar(gongkai_app::Caller::System("cli"), TEST_2027.as_bytes()).await.unwrap();
        let after_a = t.app.case(&p, &agency, a).await.unwrap();
        let after_b = t.app.case(&p, &agency, b).await.unwrap();
        assert_eq!(after_a.effective_deadline, Some(date!(2027 - 01 - 04)));
        assert_eq!(after_b.effective_deadline, Some(date!(2027 - 01 - 31)));
        assert!(!provisional(&after_a) && !provisional(&after_b), "no longer provisional");
        let (_, html) = t.get_text(&format!("/console/{ag}/applications/{b}")).await;
        assert!(html.contains("2027年1月31日"), "the case page shows the recomputed date");
        // The new 登记回执 of case B, drafted before the import, still says provisional: staff check it.
        assert!(html.contains(r#"<strong class="provisional">临时</strong>"#), "{html}");
    })
    .await;
}

/// The 登记回执 is drafted when the receipt date is fixed (双方确认 here), a sent letter that was wrong is
/// corrected (更正) by a new letter with its own 文号, and a decision to disclose despite the third party's
/// objection is told to the third party in writing (Art. 32).
///
/// By hand (dates as in the must-show test above): online Wed 3-25, 双方确认 Thu 3-26 = receipt; reply deadline
/// 20 wd after 3-26 → **2026年4月24日**. The office's sequence of 2026 is empty: the 登记回执 sent 3-26 is 1号,
/// its correction sent 3-27 is 2号, the notice to the third party sent 4-27 is 3号.
#[tokio::test]
async fn receipt_acknowledgement_corrected_letter_and_notice_to_the_third_party() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 03 - 25)));
        let (code, password) = t.submit_application("yima-office", &form("id_card", VALID_ID, "natural_person")).await;
        let handler = t.staff("banli", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let ag = "yima-office";
        let id = t.case_id(ag, &code).await;
        let page = format!("/console/{ag}/applications/{id}");
        let no = |n: u32| format!("义马市人民政府办公室依申请公开〔2026〕{n}号");

        let html = t.step_ok(ag, id, date!(2026 - 03 - 26), &[("step", "receipt_confirmed")]).await;
        let ids = letter_ids(&html, ag, id);
        assert_eq!(ids.len(), 1, "the 登记回执 draft: {html}");
        let receipt = ids[0];
        assert!(html.contains("登记回执：政府信息公开申请登记回执"), "{html}");
        let xml = docx_xml(&t.get(&format!("{page}/letters/{receipt}/docx")).await.bytes().await.unwrap());
        for s in [
            "政府信息公开申请登记回执",
            "张三：",
            &format!("查询码：{code}"),
            "以双方确认之日为收到申请之日",
            "本机关收到申请之日为2026年3月26日",
            "20个工作日内（至2026年4月24日止）",
        ] {
            assert!(xml.contains(s), "{s} in {xml}");
        }
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{receipt}/send"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains(&format!(r#"<strong class="doc-no">{}</strong> · 2026年3月26日"#, no(1))), "{html}");
        let pdf = pdf_text(&t.get(&format!("{page}/letters/{receipt}/pdf")).await.bytes().await.unwrap());
        assert!(pdf.contains(&no(1)) && pdf.contains("2026年4月24日"), "{pdf}");

        // 更正: a new draft naming the old 文号; only once at a time; the old stays as sent until it is sent.
        t.app.set_today(Some(date!(2026 - 03 - 27)));
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{receipt}/correct"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        let ids = letter_ids(&html, ag, id);
        assert_eq!(ids.len(), 2);
        let fixed = ids[1];
        assert!(html.contains(&format!("更正文书：更正 {}", no(1))), "{html}");
        assert!(!html.contains("<strong>已更正</strong>"), "not corrected before the correction is sent");
        let r = t.post_form(&page, &format!("{page}/letters/{receipt}/correct"), &[]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("已有更正草稿"));
        let xml = docx_xml(&t.get(&format!("{page}/letters/{fixed}/docx")).await.bytes().await.unwrap());
        let note = format!(
            "本机关于2026年3月26日发出的《政府信息公开申请登记回执》（{}）有误，现予更正，原文书作废，以本文书为准。",
            no(1)
        );
        assert!(xml.contains(&note) && xml.contains("政府信息公开申请登记回执（更正）"), "{xml}");
        let body = format!("张三：\n{note}\n本机关收到申请之日为2026年3月26日，答复期限至2026年4月24日止。");
        let r = t
            .post_form(
                &page,
                &format!("{page}/letters/{fixed}"),
                &[("title", "政府信息公开申请登记回执（更正）"), ("body", &body)],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{fixed}/send"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains(&format!(r#"<strong class="doc-no">{}</strong> · 2026年3月27日"#, no(2))), "{html}");
        assert!(html.contains(&format!("<strong>已更正</strong>：以 {} 为准", no(2))), "{html}");
        // The old letter is unchanged, still downloadable, and cannot be corrected twice.
        let old = docx_xml(&t.get(&format!("{page}/letters/{receipt}/docx")).await.bytes().await.unwrap());
        assert!(old.contains(&no(1)) && !old.contains("现予更正") && !old.contains(&no(2)));
        let r = t.post_form(&page, &format!("{page}/letters/{receipt}/correct"), &[]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains(&format!("该文书已被更正（{}）", no(2))));
        let audit = gongkai_store::audit::by_action(&t.db, AuditAction::LetterCorrect).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].details.0["corrects_doc_no"], json!(no(1)));
        // The applicant sees both, the old one marked 已更正.
        let (_, st) = t.api_track(&code, &password).await;
        let letters = st["letters"].as_array().unwrap();
        assert_eq!(letters.len(), 2, "{st}");
        assert_eq!(letters[0]["doc_no"], json!(no(1)));
        assert_eq!(letters[0]["corrected_by"], json!(no(2)));
        assert_eq!(letters[1]["corrects"], json!(no(1)));
        let html = t
            .post_form("/track", "/track", &[("code", code.as_str()), ("password", password.as_str())])
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("已更正（以{}为准）", no(2))), "{html}");

        // Art. 32: consult the third party, then decide to disclose in part.
        t.step_ok(
            ag,
            id,
            date!(2026 - 04 - 13),
            &[("step", "third_party_consultation_started"), ("party", "义马市某建设公司")],
        )
        .await;
        let html = t.step_ok(ag, id, date!(2026 - 04 - 17), &[("step", "third_party_consultation_ended")]).await;
        assert!(!html.contains("告知第三方公开决定（条例第三十二条）"), "no decision yet");
        let notice = format!("{page}/letters/third-party-notice");
        let r = t.post_form(&page, &notice, &[("reasons", "公共利益"), ("disclose_on", "2026-05-12")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("请先作出予以公开或部分公开的答复决定"));
        let html = t
            .step_ok(
                ag,
                id,
                date!(2026 - 04 - 27),
                &[("step", "decided"), ("outcome", "partly_disclosed"), ("reasons", "涉及商业秘密的部分不予公开")],
            )
            .await;
        assert!(html.contains("告知第三方公开决定（条例第三十二条）") && html.contains("义马市某建设公司"));
        // The outcome as staff and the applicant read it, without table 三's counting note.
        assert!(html.contains("部分公开（表三（二））") && !html.contains("只计这一情形"), "{html}");
        let r = t.post_form(&page, &notice, &[("reasons", " "), ("disclose_on", "2026-05-12")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("请写明决定公开的理由"));
        let r = t.post_form(&page, &notice, &[("reasons", "公共利益"), ("disclose_on", "2026-04-20")]).await;
        assert_eq!(r.status(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("公开日期不能早于今天"));
        assert!(html.contains(">公共利益</textarea>") && html.contains(r#"value="2026-04-20""#), "input kept");
        let r = t
            .post_form(
                &page,
                &notice,
                &[("reasons", "该工程的质量检测结论关系公共安全"), ("disclose_on", "2026-05-12")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(!html.contains("告知第三方公开决定（条例第三十二条）"), "offered once");
        let tp = *letter_ids(&html, ag, id).last().unwrap();
        let xml = docx_xml(&t.get(&format!("{page}/letters/{tp}/docx")).await.bytes().await.unwrap());
        for s in [
            "政府信息公开决定告知书",
            "义马市某建设公司：",
            "本机关于2026年3月26日收到申请人提出的政府信息公开申请",
            "第三十二条",
            "本机关决定予以公开（部分公开）",
            "理由：该工程的质量检测结论关系公共安全。",
            "本机关将于2026年5月12日向申请人公开上述政府信息。",
            "6个月内",
        ] {
            assert!(xml.contains(s), "{s} in {xml}");
        }
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{tp}/send"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains(&format!(r#"<strong class="doc-no">{}</strong> · 2026年4月27日"#, no(3))), "{html}");
        let pdf = pdf_text(&t.get(&format!("{page}/letters/{tp}/pdf")).await.bytes().await.unwrap());
        assert!(pdf.contains(&no(3)) && pdf.contains("本机关将于2026年5月12日"), "{pdf}");
        let r = t.post_form(&page, &notice, &[("reasons", "再来一次"), ("disclose_on", "2026-05-12")]).await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("已制作公开决定告知书"));
        // The notice goes to the third party, not to the applicant.
        let (_, st) = t.api_track(&code, &password).await;
        assert_eq!(st["letters"].as_array().unwrap().len(), 2, "{st}");
        assert!(!st.to_string().contains("third_party_decision"));

        // A sent reply is corrected the same way: the correction is sent from the letters panel (not by 送达答复),
        // gets 5号 (the reply took 4号 on 4-28), and the reply download then serves it.
        let html = t.step_ok(ag, id, date!(2026 - 04 - 28), &[("step", "reply_sent")]).await;
        assert!(html.contains(&format!(r#"<strong class="doc-no">{}</strong> · 2026年4月28日"#, no(4))), "{html}");
        // Letters in order: 登记回执, its correction, 征询函, the reply (drafted at the decision), the notice.
        let ids = letter_ids(&html, ag, id);
        assert_eq!(ids.len(), 5);
        let reply = ids[3];
        t.app.set_today(Some(date!(2026 - 04 - 29)));
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{reply}/correct"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        let fixed_reply = *letter_ids(&html, ag, id).last().unwrap();
        assert_eq!(t.post_form(&page, &format!("{page}/letters/{fixed_reply}/send"), &[]).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains(&format!("<strong>已更正</strong>：以 {} 为准", no(5))), "{html}");
        let xml = docx_xml(&t.get(&format!("{page}/reply.docx")).await.bytes().await.unwrap());
        assert!(xml.contains(&no(5)), "5: {xml}");
        assert!(xml.contains(&format!("（{}）有误，现予更正", no(4))), "text: {xml}");
    })
    .await;
}

/// 平常信函 (Art. 31; spec: staff must confirm on the day it arrives): staff intake refuses a 平信 without the
/// confirmation day or with another day than the arrival, keeping the form; on the arrival day it is received
/// and the 登记回执 drafted.
///
/// By hand: arrived and confirmed Fri 2026-06-12. 20 wd after it: 6-15..18 (4), (6-19 端午节), 6-22..26 (9),
/// 6-29..7-3 (14), 7-6..10 (19), 7-13 (20) → **2026年7月13日**.
#[tokio::test]
async fn plain_letters_are_confirmed_on_the_day_they_arrive() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 06 - 15)));
        let handler = t.staff("dengji", "yima-office", Role::CaseHandler).await;
        t.login_as(&handler, PASSWORD).await;
        let page = "/console/yima-office/applications/new";
        let post = async |received: &str| {
            let mut fields = form("id_card", VALID_ID, "natural_person");
            fields.push(("channel", "post_plain".into()));
            fields.push(("submitted_on", "2026-06-12".into()));
            fields.push(("received_on", received.into()));
            let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.post_form(page, page, &body).await
        };
        let submitted =
            async || gongkai_store::audit::by_action(&t.db, AuditAction::ApplicationSubmit).await.unwrap().len();
        let before = submitted().await;
        let r = post("").await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("平常信函须在信件到达当日与申请人确认"), "{html}");
        assert!(html.contains(r#"<option value="post_plain" selected>"#) && html.contains(r#"value="2026-06-12""#));
        let r = post("2026-06-15").await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("确认日期应为2026年6月12日"), "{html}");
        assert!(html.contains(r#"value="2026-06-15""#), "the typed day is kept");
        assert_eq!(submitted().await, before, "nothing registered");

        let r = post("2026-06-12").await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        let code = between(&html, r#"<strong id="tracking-code">"#, "<").to_owned();
        let id = t.case_id("yima-office", &code).await;
        let (_, html) = t.get_text(&format!("/console/yima-office/applications/{id}")).await;
        assert!(html.contains("<dt>收到申请之日</dt><dd>2026年6月12日</dd>"), "{html}");
        assert_eq!(deadline(&html, "答复期限"), "2026年7月13日");
        let ids = letter_ids(&html, "yima-office", id);
        assert_eq!(ids.len(), 1);
        let xml = docx_xml(
            &t.get(&format!("/console/yima-office/applications/{id}/letters/{}/docx", ids[0]))
                .await
                .bytes()
                .await
                .unwrap(),
        );
        assert!(xml.contains("以平常信函等无需签收的邮寄方式提交的") && xml.contains("至2026年7月13日止"), "{xml}");
    })
    .await;
}

/// A 平信 that arrived but was not recorded (the demo's case of 义马市卫生健康委员会, arrived Fri 2026-11-20) can
/// only be confirmed as of the day it arrived.
///
/// By hand: 20 wd after 11-20 (no holiday in November–December 2026): 11-23..27 (5), 11-30..12-4 (10),
/// 12-7..11 (15), 12-14..18 (20) → **2026年12月18日**.
#[tokio::test]
async fn a_plain_letter_is_confirmed_as_of_its_arrival() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2026 - 11 - 26)));
        let admin = t.admin().await;
        t.login_as(&admin, PASSWORD).await;
        let (_, html) = t.get_text("/console/yima-health/applications?stage=awaiting_receipt").await;
        let at = html.find("义马市某公益服务中心").unwrap();
        let href = "/console/yima-health/applications/";
        let start = html[..at].rfind(href).unwrap() + href.len();
        let id: i64 = html[start..].split('"').next().unwrap().parse().unwrap();
        // Only the steps legal now have a form: before receipt, confirming (and withdrawal), not a decision.
        let form_of = |step: &str| format!(r#"<input type="hidden" name="step" value="{step}">"#);
        let (_, html) = t.get_text(&format!("/console/yima-health/applications/{id}")).await;
        assert!(html.contains(&form_of("receipt_confirmed")) && html.contains(&form_of("withdrawn")), "{html}");
        assert!(!html.contains(&form_of("decided")) && !html.contains(&form_of("correction_requested")));
        let r = t.step("yima-health", id, date!(2026 - 11 - 26), &[("step", "receipt_confirmed")]).await;
        assert_eq!(r.status(), 409);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("平常信函须在信件到达当日与申请人确认（条例第三十一条），确认日期应为2026年11月20日")
        );
        let r = t.step("yima-health", id, date!(2026 - 11 - 20), &[("step", "receipt_confirmed")]).await;
        assert_eq!(r.status(), 303);
        t.app.set_today(Some(date!(2026 - 11 - 26)));
        let (_, html) = t.get_text(&format!("/console/yima-health/applications/{id}")).await;
        assert!(html.contains("<dt>收到申请之日</dt><dd>2026年11月20日</dd>"), "{html}");
        assert_eq!(deadline(&html, "答复期限"), "2026年12月18日");
        assert!(html.contains("登记回执："), "the 登记回执 is drafted");
        assert!(!html.contains(&form_of("receipt_confirmed")), "received: no second confirmation offered");
        assert!(html.contains(&form_of("decided")) && html.contains(&form_of("correction_requested")));
    })
    .await;
}
