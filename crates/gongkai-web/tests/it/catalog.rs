use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::{audit, catalog};

const XSS_TITLE: &str = "<script>alert(1)</script>关于做好政府信息公开工作的通知";
const XSS_BODY: &str = r#"<p>各单位要认真落实政府信息公开条例。</p><img src="x" onerror="alert(2)"><script>alert(3)</script><a href="javascript:alert(4)">链接</a>"#;

/// No page may carry the payloads as live markup.
fn assert_neutralised(path: &str, html: &str) {
    for bad in ["<script>alert", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{path} contains {bad}");
    }
}

/// Posts `fields` to `action` with the CSRF token of `page`, expecting a redirect; returns its target.
pub(crate) async fn post_ok(t: &TestApp, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let r = t.post_form(page, action, fields).await;
    let status = r.status();
    let loc = location(&r);
    assert_eq!(status, 303, "POST {action}: {}", r.text().await.unwrap());
    loc
}

/// Posts one file as `multipart/form-data` (built by hand: the test client has no multipart feature).
pub(crate) async fn upload_file(t: &TestApp, action: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    let boundary = "gongkai-test-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    t.client
        .post(t.url(action))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn editor_drafts_reviewer_publishes_portal_and_search_follow_then_unpublish_removes_it() {
    TestApp::each(async |t| {
        let editor = t.staff("bianji", "yima-office", Role::Editor).await;
        let reviewer = t.staff("shenhe", "yima-office", Role::Reviewer).await;

        // The editor drafts an item (with hostile markup in the title and body) and submits it.
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let new = "/console/yima-office/catalog/new";
        let loc = post_ok(
            &t,
            new,
            new,
            &[
                ("title", XSS_TITLE),
                ("column", "tzgg"),
                ("doc_no", "义政办〔2026〕7号"),
                ("genre", "通知"),
                ("written_on", "2026-01-05"),
                ("body", XSS_BODY),
            ],
        )
        .await;
        let id: i64 =
            loc.trim_start_matches("/console/yima-office/catalog/").split('?').next().unwrap().parse().unwrap();
        let page = format!("/console/yima-office/catalog/{id}");
        let stored = catalog::by_id_any_agency(&t.db, id).await.unwrap().unwrap();
        assert!(!stored.fields.body_html.contains("onerror") && !stored.fields.body_html.contains("<script"));
        // Attachments: the type is sniffed, so HTML dressed up as a PDF is refused.
        let token = t.csrf_from(&page).await;
        let upload = format!("{page}/attachments?csrf={token}");
        let r = upload_file(&t, &upload, "伪装.pdf", b"<html><script>alert(5)</script></html>").await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("不符"));
        // Starts like a PDF but does not parse: refused (PDFs must parse).
        let r = upload_file(&t, &upload, "坏文件.pdf", b"%PDF-1.4\n% demo attachment\n%%EOF\n").await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("附件“坏文件.pdf”无法解析"));
        let pdf = include_bytes!("../fixtures/one-page.pdf");
        let r = upload_file(&t, &upload, "附件1：工作方案.pdf", pdf).await;
        assert_eq!(r.status(), 303);
        post_ok(&t, &page, &format!("{page}/submit"), &[]).await;
        // An editor cannot approve their own work.
        let r = t.post_form(&page, &format!("{page}/approve"), &[("note", "同意")]).await;
        assert_eq!(r.status(), 403);
        t.logout().await;

        // The reviewer records the 保密审查 and publishes.
        assert_eq!(t.login_as(&reviewer, PASSWORD).await.status(), 303);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("待审核"));
        post_ok(&t, &page, &format!("{page}/approve"), &[("note", "经保密审查，同意公开")]).await;
        post_ok(&t, &page, &format!("{page}/publish"), &[]).await;
        let e = catalog::by_id_any_agency(&t.db, id).await.unwrap().unwrap();
        let reviewer_id = gongkai_store::users::by_username(&t.db, &reviewer).await.unwrap().unwrap().id;
        assert_eq!((e.reviewer_id, e.review_note.as_str()), (Some(reviewer_id), "经保密审查，同意公开"));
        let year = gongkai_app::catalog::beijing_date(gongkai_store::now()).year();
        assert_eq!(e.index_no.as_deref(), Some(format!("yima-office/{year}-00001").as_str()));
        for action in [
            AuditAction::CatalogCreate,
            AuditAction::CatalogSubmit,
            AuditAction::CatalogReview,
            AuditAction::CatalogPublish,
        ] {
            assert_eq!(audit::by_action(&t.db, action).await.unwrap().len(), 1, "{action}");
        }

        // On the portal at once; in search once the queued index job has run.
        let article = format!("/yima-office/tzgg/{id}");
        let (status, html) = t.get_text(&article).await;
        assert_eq!(status, 200, "{html}");
        for needle in [
            "索引号",
            &format!("yima-office/{year}-00001"),
            "发布机构",
            "义马市人民政府办公室",
            "义政办〔2026〕7号",
            "成文日期",
            "2026年1月5日",
            "各单位要认真落实政府信息公开条例",
        ] {
            assert!(html.contains(needle), "article lacks {needle}");
        }
        assert!(html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"), "the title is shown as text");
        // The attachment can be downloaded (条例 Art. 24), with its sniffed type and its name.
        let href = format!("/yima-office/tzgg/{id}/files/");
        let i = html.find(&href).expect("attachment link");
        let link: String = html[i..].chars().take_while(|c| *c != '"').collect();
        assert!(html.contains("附件1：工作方案.pdf"));
        let r = t.get(&link).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename*=UTF-8''"));
        assert_eq!(r.bytes().await.unwrap().as_ref(), include_bytes!("../fixtures/one-page.pdf"));
        let (_, html) = t.get_text("/search?q=政府信息公开").await;
        assert!(html.contains("找到 0 条结果"), "not indexed before the job runs");
        assert!(t.run_jobs().await >= 1);
        let (status, html) = t.get_text("/search?q=政府信息公开").await;
        assert_eq!(status, 200);
        assert!(html.contains("找到 1 条结果"), "{html}");
        assert!(html.contains("<mark>"), "highlighted");
        assert!(html.contains(&format!(r#"href="{article}""#)));
        let (_, html) = t.get_text("/search?q=义政办〔2026〕7号").await;
        assert!(html.contains("找到 1 条结果"), "exact 文号");
        let (_, html) = t.get_text("/yima-office/search?q=政府信息公开").await;
        assert!(html.contains("找到 1 条结果"));
        let (_, html) = t.get_text("/yima-edu/search?q=政府信息公开").await;
        assert!(html.contains("找到 0 条结果"), "agency search is scoped");

        // Every page that shows the item keeps the payload inert.
        for path in [
            article.as_str(),
            "/yima-office/",
            "/yima-office/tzgg/",
            "/search?q=政府信息公开",
            "/console/yima-office/catalog",
            &page,
        ] {
            let (status, html) = t.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains("工作的通知"), "{path} shows the item");
            assert_neutralised(path, &html);
        }

        // The column's Atom feed and the sitemap carry it, escaped.
        let r = t.get("/yima-office/tzgg/feed.atom").await;
        assert_eq!(r.headers()["content-type"], "application/atom+xml; charset=utf-8");
        let xml = r.text().await.unwrap();
        assert!(xml.contains(&format!(r#"href="{article}""#)) && xml.contains("工作的通知"), "{xml}");
        assert_neutralised("feed.atom", &xml);
        let (status, xml) = t.get_text("/sitemap.xml").await;
        assert_eq!(status, 200);
        assert!(xml.contains(&format!("{article}</loc>")) && xml.contains("/yima-office/tzgg/</loc>"), "{xml}");

        // Unpublishing needs a reason, then removes it (and its attachments) from the portal and, after the job, from search.
        let r = t.post_form(&page, &format!("{page}/unpublish"), &[("note", " ")]).await;
        assert_eq!(r.status(), 400);
        post_ok(&t, &page, &format!("{page}/unpublish"), &[("note", "内容需要更新")]).await;
        assert_eq!(t.get(&article).await.status(), 404);
        assert_eq!(t.get(&link).await.status(), 404);
        let (_, html) = t.get_text("/yima-office/tzgg/").await;
        assert!(!html.contains("政府信息公开工作的通知"));
        t.run_jobs().await;
        let (_, html) = t.get_text("/search?q=政府信息公开").await;
        assert!(html.contains("找到 0 条结果"));
        assert_eq!(audit::by_action(&t.db, AuditAction::CatalogUnpublish).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn other_agencies_staff_and_the_public_cannot_touch_drafts() {
    TestApp::each(async |t| {
        let editor = t.staff("bianji2", "yima-edu", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        // Another agency's console answers 404, not 403 (its existence is not confirmed).
        assert_eq!(t.get("/console/yima-office/catalog/new").await.status(), 404);
        let new = "/console/yima-edu/catalog/new";
        let r = t.post_form(new, new, &[("title", ""), ("column", "tzgg")]).await;
        assert_eq!(r.status(), 400, "a title is required");
        let loc = post_ok(&t, new, new, &[("title", "草稿标题"), ("column", "gzdt"), ("body", "<p>草稿</p>")]).await;
        let id = loc.trim_start_matches("/console/yima-edu/catalog/").split('?').next().unwrap().to_owned();
        // A draft formed long ago is flagged against 条例 Art. 26 in the console.
        let late =
            post_ok(&t, new, new, &[("title", "逾期草稿"), ("column", "gzdt"), ("formed_on", "2023-03-06")]).await;
        let late = late.split('?').next().unwrap().to_owned();
        let (_, html) = t.get_text(&late).await;
        assert!(html.contains("2023年4月3日前") && html.contains("已超期"), "{html}");
        let (_, html) = t.get_text("/console/yima-edu/catalog").await;
        assert!(html.contains("已超期"));
        // Drafts are not on the portal.
        assert_eq!(t.other_browser().get(t.url(&format!("/yima-edu/gzdt/{id}"))).send().await.unwrap().status(), 404);
        assert_eq!(t.get("/yima-edu/nosuch/").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn demo_content_fills_the_portal_and_marks_the_repealed_document() {
    TestApp::each(async |t| {
        assert_eq!(t.app.load_demo_content().await.unwrap(), 227 + 4);
        assert_eq!(t.app.load_demo_content().await.unwrap(), 0, "idempotent");
        let office = t.app.agency_by_code("yima-office").await.unwrap();
        assert_eq!(catalog::count_published(&t.db, office.id).await.unwrap(), 227);
        let mut numbers = vec![];
        for e in catalog::for_console(&t.db, office.id, 1000, 0).await.unwrap() {
            assert_eq!(gongkai_app::catalog::beijing_date(e.published_at.unwrap()).year(), 2023);
            assert_eq!(e.fields.doc_class, gongkai_domain::catalog::DocClass::Ordinary, "the office issued none");
            numbers.push(e.index_no.unwrap());
        }
        numbers.sort();
        assert_eq!(numbers.first().unwrap(), "yima-office/2023-00001");
        assert_eq!(numbers.last().unwrap(), "yima-office/2023-00227");
        numbers.dedup();
        assert_eq!(numbers.len(), 227);

        // The agency home lists the newest items per column; a column pages through the rest.
        let (_, html) = t.get_text("/yima-office/").await;
        assert!(html.contains("工作动态") && html.contains("更多工作动态"));
        let (status, html) = t.get_text("/yima-office/gzdt/?page=4").await;
        assert_eq!(status, 200);
        assert!(html.contains("共 79 条，第 4 / 4 页") && html.contains("上一页") && !html.contains("下一页"));

        // The repealed 规范性文件 says so on its own page and links to the repealing act.
        let edu = t.app.agency_by_code("yima-edu").await.unwrap();
        let (list, _) =
            catalog::published_in_column(&t.db, edu.id, t.app.column(&edu, "zcwj").await.unwrap().id, 10, 0)
                .await
                .unwrap();
        let old = list.iter().find(|e| e.fields.doc_no == "义教〔2021〕12号").unwrap();
        let new = list.iter().find(|e| e.fields.doc_no == "义教〔2023〕8号").unwrap();
        let (_, html) = t.get_text(&format!("/yima-edu/zcwj/{}", old.id)).await;
        assert!(html.contains("本文件已废止"), "{html}");
        assert!(html.contains(&format!(r#"<a href="/yima-edu/zcwj/{}">"#, new.id)));
        let (_, html) = t.get_text(&format!("/yima-edu/zcwj/{}", new.id)).await;
        assert!(html.contains("现行有效") && !html.contains("本文件已废止"));

        // The library filters by validity, issuing agency, year and 文号; the office has none.
        let count = |html: &str| html.matches("<tr><td><a href=").count();
        let (status, html) = t.get_text("/library").await;
        assert_eq!((status, count(&html)), (200, 4));
        let (_, html) = t.get_text("/library?validity=repealed").await;
        assert_eq!(count(&html), 1);
        assert!(html.contains("义教〔2021〕12号") && html.contains("已废止"));
        let (_, html) = t.get_text("/library?agency=yima-edu&validity=in_force").await;
        assert_eq!(count(&html), 1);
        assert_eq!(count(&t.get_text("/library?year=2023").await.1), 2);
        assert_eq!(count(&t.get_text("/library?doc_no=义卫").await.1), 1);
        assert_eq!(count(&t.get_text("/library?agency=yima-office").await.1), 0);

        // Search covers the demo after the queued rebuild; the year and 体裁 filters narrow it.
        t.run_jobs().await;
        let (_, html) = t.get_text("/search?q=政府信息公开").await;
        assert!(!html.contains("找到 0 条结果"), "{html}");
        assert!(html.contains("2023年</a> (") && html.contains("义马市人民政府办公室</a> ("));
        let (_, all) = t.get_text("/yima-office/search?q=政务快报").await;
        assert!(all.contains("找到 30 条结果"), "{all}");
        let (_, html) = t.get_text("/search?q=义教〔2023〕8号").await;
        assert!(html.contains("校外培训机构监督管理办法"));
        // 有效性 as a filter: the repealed measures are told apart from those in force.
        let (_, html) = t.get_text("/search?q=校外培训机构").await;
        assert!(html.contains("找到 2 条结果") && html.contains("已废止</a> (1)") && html.contains("现行有效</a> (1)"));
        let (_, html) = t.get_text(&format!("/search?q=校外培训机构&validity={}", "%E5%B7%B2%E5%BA%9F%E6%AD%A2")).await;
        assert!(html.contains("找到 1 条结果") && html.contains("义教〔2021〕12号"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn pre_publication_lint_blocks_misstatements_and_dead_links() {
    let mut config = gongkai_app::AppConfig::default();
    config.lint.misstatements = vec![("国务院总经理".into(), "国务院总理".into())];
    config.lint.sensitive_words = vec!["绝密".into()];
    TestApp::each_configured(config, async |t| {
        let editor = t.staff("bianji3", "yima-office", Role::Editor).await;
        let reviewer = t.staff("shenhe3", "yima-office", Role::Reviewer).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let new = "/console/yima-office/catalog/new";
        let body = r#"<p>国务院总经理指出，详见<a href="/yima-office/tzgg/999999">此前通知</a>和<a href="/yima-office/">首页</a>。</p>"#;
        let loc = post_ok(&t, new, new, &[("title", "学习资料"), ("column", "xxzl"), ("body", body)]).await;
        let page = loc.split('?').next().unwrap().to_owned();
        post_ok(&t, &page, &format!("{page}/submit"), &[]).await;
        t.logout().await;
        assert_eq!(t.login_as(&reviewer, PASSWORD).await.status(), 303);
        let r = t.post_form(&page, &format!("{page}/approve"), &[("note", "同意")]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("发布前检查未通过"), "{html}");
        assert!(html.contains("“国务院总经理”应为“国务院总理”") && html.contains("站内链接无效：/yima-office/tzgg/999999"));
        assert!(!html.contains("站内链接无效：/yima-office/<"), "the agency home link resolves");
        // Still waiting for review; the reviewer sends it back.
        post_ok(&t, &page, &format!("{page}/return"), &[("note", "请更正领导职务表述和失效链接")]).await;
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("草稿"));
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_repeals_a_normative_document_and_the_original_page_says_so() {
    TestApp::each(async |t| {
        t.app.load_demo_content().await.unwrap();
        let reviewer = t.staff("shenhe4", "yima-health", Role::Reviewer).await;
        assert_eq!(t.login_as(&reviewer, PASSWORD).await.status(), 303);
        let health = t.app.agency_by_code("yima-health").await.unwrap();
        let col = t.app.column(&health, "zcwj").await.unwrap();
        let (docs, _) = catalog::published_in_column(&t.db, health.id, col.id, 10, 0).await.unwrap();
        let old = &docs[0];
        let edu = t.app.agency_by_code("yima-edu").await.unwrap();
        let edu_col = t.app.column(&edu, "zcwj").await.unwrap();
        let (edu_docs, _) = catalog::published_in_column(&t.db, edu.id, edu_col.id, 10, 0).await.unwrap();
        let act = &edu_docs[0];
        let page = format!("/console/yima-health/catalog/{}", old.id);
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("更新有效性"));
        // Repealing needs the repealing act.
        let r = t.post_form(&page, &format!("{page}/validity"), &[("validity", "repealed"), ("by_act", "")]).await;
        assert_eq!(r.status(), 400);
        let act_url = format!("/yima-edu/zcwj/{}", act.id);
        post_ok(&t, &page, &format!("{page}/validity"), &[("validity", "repealed"), ("by_act", &act_url)]).await;
        let (_, html) = t.get_text(&format!("/yima-health/zcwj/{}", old.id)).await;
        assert!(html.contains("本文件已废止"));
        assert!(html.contains(&format!(r#"<a href="{act_url}">"#)));
        let (_, html) = t.get_text("/library?validity=repealed").await;
        assert!(html.contains(&old.fields.doc_no));
        assert_eq!(audit::by_action(&t.db, AuditAction::CatalogValidity).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn interpretations_link_both_ways_and_the_console_lists_policies_lacking_one() {
    TestApp::each(async |t| {
        t.app.load_demo_content().await.unwrap();
        let admin = t.staff("edu-admin", "yima-edu", Role::Admin).await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let (_, html) = t.get_text("/console/yima-edu/catalog").await;
        assert!(html.contains("尚无政策解读的政策文件（2）"), "{html}");
        let edu = t.app.agency_by_code("yima-edu").await.unwrap();
        let col = t.app.column(&edu, "zcwj").await.unwrap();
        let (docs, _) = catalog::published_in_column(&t.db, edu.id, col.id, 10, 0).await.unwrap();
        let policy = docs.iter().find(|e| e.fields.doc_no == "义教〔2023〕8号").unwrap();
        let policy_url = format!("/yima-edu/zcwj/{}", policy.id);

        let new = "/console/yima-edu/catalog/new";
        let loc = post_ok(
            &t,
            new,
            new,
            &[
                ("title", "《义马市校外培训机构监督管理办法》政策解读"),
                ("column", "zcjd"),
                ("body", "<p>一、制定背景……</p>"),
            ],
        )
        .await;
        let page = loc.split('?').next().unwrap().to_owned();
        let id = page.rsplit('/').next().unwrap().to_owned();
        post_ok(&t, &page, &format!("{page}/interprets"), &[("policy", &policy_url)]).await;
        for step in ["submit", "approve", "publish"] {
            post_ok(&t, &page, &format!("{page}/{step}"), &[("note", "同意")]).await;
        }
        let (_, html) = t.get_text(&policy_url).await;
        assert!(html.contains("政策解读") && html.contains(&format!(r#"<a href="/yima-edu/zcjd/{id}">"#)), "{html}");
        let (_, html) = t.get_text(&format!("/yima-edu/zcjd/{id}")).await;
        assert!(html.contains("本文解读") && html.contains(&format!(r#"<a href="{policy_url}">"#)));
        let (_, html) = t.get_text("/console/yima-edu/catalog").await;
        assert!(html.contains("尚无政策解读的政策文件（1）"));
    })
    .await;
}

#[tokio::test]
async fn three_level_review_needs_a_different_reviewer_at_each_step() {
    let config = gongkai_app::AppConfig { review_levels: 3, ..Default::default() };
    TestApp::each_configured(config, async |t| {
        let editor = t.staff("bianji5", "yima-office", Role::Editor).await;
        let a = t.staff("shenhe5a", "yima-office", Role::Reviewer).await;
        let b = t.staff("shenhe5b", "yima-office", Role::Reviewer).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        let new = "/console/yima-office/catalog/new";
        let loc = post_ok(&t, new, new, &[("title", "三审测试"), ("column", "gzdt"), ("body", "<p>正文</p>")]).await;
        let page = loc.split('?').next().unwrap().to_owned();
        post_ok(&t, &page, &format!("{page}/submit"), &[]).await;
        t.logout().await;
        let approve = format!("{page}/approve");
        assert_eq!(t.login_as(&a, PASSWORD).await.status(), 303);
        post_ok(&t, &page, &approve, &[("note", "一审同意")]).await;
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("待审核（已完成1/3级审核）"), "{html}");
        assert_eq!(t.post_form(&page, &approve, &[("note", "再审")]).await.status(), 400, "not twice in a row");
        t.logout().await;
        assert_eq!(t.login_as(&b, PASSWORD).await.status(), 303);
        post_ok(&t, &page, &approve, &[("note", "二审同意")]).await;
        t.logout().await;
        assert_eq!(t.login_as(&a, PASSWORD).await.status(), 303);
        post_ok(&t, &page, &approve, &[("note", "三审同意")]).await;
        post_ok(&t, &page, &format!("{page}/publish"), &[]).await;
        let (_, html) = t.get_text(&page).await;
        assert!(html.contains("已发布"));
        assert_eq!(audit::by_action(&t.db, AuditAction::CatalogReview).await.unwrap().len(), 3);
    })
    .await;
}
