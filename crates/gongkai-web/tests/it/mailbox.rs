//! The 市长信箱 end to end (docs/law/public-interaction.md §4, §9.3): a letter sent through the JSON API is
//! extended, answered and published in the console; the writer sees the dates and the reply; the public list
//! shows question and reply without the writer's name or number.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use serde_json::{Value, json};
use time::macros::date;

const NAME: &str = "王小明";
const PHONE: &str = "13912345678";

fn letter() -> Value {
    json!({
        "type": "consult",
        "title": "老旧小区改造范围",
        "content": "请问今年老旧小区改造包括千秋路哪几个小区？",
        "name": NAME,
        "phone": PHONE,
        "email": "wang@example.cn",
        "publish_consent": true,
        "confidential": false,
    })
}

async fn lookup(t: &TestApp, code: &str, password: &str) -> (u16, Value) {
    let r = t
        .client
        .get(t.url(&format!("/api/v1/mailbox/{code}")))
        .header("X-Query-Password", password)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn a_letter_from_the_api_is_extended_answered_and_published_without_personal_data() {
    TestApp::each(async |t| {
        // Received Fri 2026-02-13: 5 working days → 2026-02-27 (Sat 02-14 is a 调休 working day, then 春节).
        t.app.set_today(Some(date!(2026 - 02 - 13)));
        let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&letter()).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        let code = v["query_code"].as_str().unwrap().to_owned();
        let password = v["password"].as_str().unwrap().to_owned();
        assert_eq!(code.len(), 10);
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        assert_eq!(v["due_on"], "2026-02-27");

        let (status, st) = lookup(&t, &code, &password).await;
        assert_eq!(status, 200, "{st}");
        assert_eq!((st["status"].as_str(), st["due_on"].as_str()), (Some("open"), Some("2026-02-27")));
        assert!(st["reply"].is_null());
        let (status, wrong) = lookup(&t, &code, "WRONGWRONG").await;
        assert_eq!((status, wrong["code"].as_str()), (400, Some("invalid")));

        // The office: a reviewer extends it (15 working days from receipt, counting Sat 02-28 → 2026-03-12).
        t.app.set_today(Some(date!(2026 - 02 - 25)));
        let reviewer = t.staff("shenhe", "yima-office", Role::Reviewer).await;
        let handler = t.staff("jingban", "yima-office", Role::CaseHandler).await;
        t.login_as(&reviewer, PASSWORD).await;
        let (status, html) = t.get_text("/console/yima-office/mailbox?show=open").await;
        assert_eq!(status, 200);
        assert!(html.contains(&code) && html.contains("2026年2月27日"), "{html}");
        let id: i64 = {
            let href = "/console/yima-office/mailbox/";
            let i = html.find(href).expect("link to the letter") + href.len();
            html[i..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
        };
        let page = format!("/console/yima-office/mailbox/{id}");
        let steps = format!("{page}/steps");
        // Without an approver the extension is refused and nothing changes.
        let r = t.post_form(&page, &steps, &[("step", "extend"), ("approver", " ")]).await;
        assert_eq!(r.status(), 400);
        let r = t.post_form(&page, &steps, &[("step", "extend"), ("approver", "李主任")]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), format!("{page}?notice=extend"));
        let (_, st) = lookup(&t, &code, &password).await;
        assert_eq!(st["due_on"], "2026-03-12");
        // A second extension is refused.
        let r = t.post_form(&page, &steps, &[("step", "extend"), ("approver", "李主任")]).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("已延期"));
        // A reviewer may not answer (case handlers and administrators do).
        let r = t.post_form(&page, &steps, &[("step", "reply"), ("text", "答复内容写在这里。")]).await;
        assert_eq!(r.status(), 403);
        t.logout().await;

        t.login_as(&handler, PASSWORD).await;
        let reply = "今年改造千秋路一号院和二号院，详见政府网站公告。";
        let r = t.post_form(&page, &steps, &[("step", "reply"), ("text", reply)]).await;
        assert_eq!(r.status(), 303);
        let (_, st) = lookup(&t, &code, &password).await;
        assert_eq!((st["status"].as_str(), st["reply"].as_str()), (Some("answered"), Some(reply)));
        assert_eq!(st["replied_on"], "2026-02-25");

        // Publish with the name taken out of the question.
        let question = "请问今年老旧小区改造包括千秋路哪几个小区？";
        let r = t.post_form(&page, &steps, &[("step", "publish"), ("question", question), ("text", reply)]).await;
        assert_eq!(r.status(), 303);
        t.logout().await;

        // The public list: question, reply and both dates; never the name or the number.
        let (status, html) = t.get_text("/yima-office/mailbox/letters").await;
        assert_eq!(status, 200);
        assert!(html.contains(question) && html.contains(reply), "{html}");
        assert!(html.contains("留言时间：2026年2月13日") && html.contains("答复时间：2026年2月25日"), "{html}");
        assert!(!html.contains(NAME) && !html.contains(PHONE) && !html.contains("wang@example.cn"), "{html}");

        // The writer rates the reply.
        let r = t
            .post_form(
                "/mailbox/track",
                "/mailbox/track/rate",
                &[("code", &code), ("password", &password), ("satisfaction", "satisfied")],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("感谢您的评价"));
        let (_, st) = lookup(&t, &code, &password).await;
        assert_eq!(st["satisfaction"], "satisfied");

        // Every step is in the audit trail.
        let steps = gongkai_store::audit::by_action(&t.db, AuditAction::MailboxStep).await.unwrap();
        let kinds: Vec<&str> = steps.iter().filter_map(|e| e.details.0["step"].as_str()).collect();
        assert_eq!(kinds, ["extend", "reply", "publish"]);
        assert_eq!(gongkai_store::audit::by_action(&t.db, AuditAction::MailboxSubmit).await.unwrap().len(), 1);
        assert_eq!(gongkai_store::audit::by_action(&t.db, AuditAction::MailboxRate).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_form_names_each_bad_field_keeps_the_input_and_the_api_answers_field_errors() {
    TestApp::each(async |t| {
        let r = t
            .post_form(
                "/yima-office/mailbox",
                "/yima-office/mailbox",
                &[
                    ("type", "consult"),
                    ("title", ""),
                    ("content", "太短"),
                    ("name", NAME),
                    ("phone", "123"),
                    ("publish_consent", "on"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写标题") && html.contains("至少5个字") && html.contains("有效的联系电话"), "{html}");
        assert!(html.contains(&format!("value=\"{NAME}\"")) && html.contains("value=\"123\""), "input kept: {html}");
        assert!(html.contains("id=\"publish_consent\" name=\"publish_consent\" value=\"on\" checked"), "{html}");

        let mut bad = letter();
        bad["type"] = json!("praise");
        bad["phone"] = json!("");
        let r = t.client.post(t.url("/api/v1/yima-office/mailbox")).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        let fields: Vec<&str> = v["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["type", "phone"], "{v}");

        // The HTML form works end to end and shows the code and password once.
        let r = t
            .post_form(
                "/yima-office/mailbox",
                "/yima-office/mailbox",
                &[
                    ("type", "suggestion"),
                    ("title", "建议增设公交站"),
                    ("content", "建议在千秋路增设公交站。"),
                    ("name", NAME),
                    ("phone", PHONE),
                ],
            )
            .await;
        assert_eq!(r.status(), 201);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"query-code\"") && html.contains("id=\"query-password\""), "{html}");
        // Another agency's console does not see it; a letter id of another agency is 404.
        let edu = t.staff("edu", "yima-edu", Role::CaseHandler).await;
        t.login_as(&edu, PASSWORD).await;
        let (_, html) = t.get_text("/console/yima-edu/mailbox").await;
        assert!(html.contains("没有符合条件的来信"), "{html}");
        assert_eq!(t.get("/console/yima-edu/mailbox/1").await.status(), 404);
        assert_eq!(t.get("/console/yima-office/mailbox").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn an_agency_sets_its_own_limits_and_new_letters_follow_them() {
    TestApp::each(async |t| {
        const SETTINGS: &str = "/console/yima-office/interaction/settings";
        let admin = t.staff("guanli", "yima-office", Role::Admin).await;
        let handler = t.staff("jingban2", "yima-office", Role::CaseHandler).await;
        // Only administrators change them.
        t.login_as(&handler, PASSWORD).await;
        let r = t.post_form(SETTINGS, SETTINGS, &[("mailbox_wd", "3")]).await;
        assert_eq!(r.status(), 400, "a form without the other fields names them");
        let fields: Vec<(&str, &str)> = vec![
            ("mailbox_wd", "3"),
            ("mailbox_extended_wd", "10"),
            ("call_follow_up_wd", "5"),
            ("hotline_consult_wd", "3"),
            ("hotline_help_wd", "5"),
            ("hotline_complaint_wd", "15"),
            ("hotline_suggestion_wd", "15"),
            ("hotline_report_wd", "15"),
            ("hotline_other_wd", "5"),
        ];
        assert_eq!(t.post_form(SETTINGS, SETTINGS, &fields).await.status(), 403);
        t.logout().await;
        t.login_as(&admin, PASSWORD).await;
        let mut bad = fields.clone();
        bad[0] = ("mailbox_wd", "0");
        let r = t.post_form(SETTINGS, SETTINGS, &bad).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("应为1至60个工作日") && html.contains("value=\"0\""), "{html}");
        let r = t.post_form(SETTINGS, SETTINGS, &fields).await;
        assert_eq!(r.status(), 303);
        t.logout().await;

        // Received Fri 2026-02-13: 3 working days = Sat 02-14 (调休), then 02-24, 02-25 after 春节.
        t.app.set_today(Some(date!(2026 - 02 - 13)));
        let v: Value = t
            .client
            .post(t.url("/api/v1/yima-office/mailbox"))
            .json(&letter())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["due_on"], "2026-02-25");
        // Another agency keeps the defaults (5 working days → 02-27).
        let v: Value = t
            .client
            .post(t.url("/api/v1/yima-edu/mailbox"))
            .json(&letter())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["due_on"], "2026-02-27");
        let events = gongkai_store::audit::by_action(&t.db, AuditAction::InteractionSettings).await.unwrap();
        assert_eq!(events.len(), 1);
    })
    .await;
}
