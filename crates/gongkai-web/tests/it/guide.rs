//! The 公开指南 (console form → 公开指南 column of the portal) and the 公共企事业单位 directory.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::audit;

/// Every field of the guide form, with `overrides` replacing some values.
fn guide_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("office", "义马市教育局办公室"),
        ("address", "义马市测试路1号"),
        ("postcode", "472300"),
        ("hours", "工作日8:30—12:00，15:00—18:00"),
        ("phone", "0398-0000001"),
        ("fax", ""),
        ("email", "gk@example.org"),
        ("categories", "机构职能\n法规文件"),
        ("channels", "本平台“信息公开”栏目"),
        ("apply", "在线、信函或当面提交申请"),
        ("process", "自收到申请之日起20个工作日内答复"),
        ("fees", "不收取费用"),
        ("remedies", "可以依法申请行政复议或者提起行政诉讼"),
    ];
    for (k, v) in overrides {
        if let Some(slot) = f.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        }
    }
    f
}

#[tokio::test]
async fn the_agency_admin_writes_the_guide_and_the_portal_shows_it() {
    TestApp::each(async |t| {
        let (status, html) = t.get_text("/yima-edu/gkzn/").await;
        assert_eq!(status, 200);
        assert!(html.contains("义马市教育局政府信息公开指南") && html.contains("本机构尚未发布政府信息公开指南"));
        let r = t.get("/yima-edu/guide").await;
        assert_eq!((r.status().as_u16(), location(&r)), (308, "/yima-edu/gkzn/".to_owned()));

        // An editor may not change the guide; the administrator may.
        let editor = t.staff("edu-editor", "yima-edu", Role::Editor).await;
        assert_eq!(t.login_as(&editor, PASSWORD).await.status(), 303);
        assert_eq!(t.get("/console/yima-edu/guide").await.status(), 403);
        t.logout().await;
        let admin = t.staff("edu-admin", "yima-edu", Role::Admin).await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let form = "/console/yima-edu/guide";

        // The phone number is required (Art. 12); the form comes back with what was typed.
        let r = t.post_form(form, form, &guide_fields(&[("phone", " ")])).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写联系电话") && html.contains(r#"value="义马市测试路1号""#), "{html}");
        let r = t.post_form(form, form, &guide_fields(&[("postcode", "4723")])).await;
        assert!(r.text().await.unwrap().contains("邮政编码应为6位数字"));

        let hostile = "<script>alert(1)</script>可以投诉";
        let r = t.post_form(form, form, &guide_fields(&[("remedies", hostile)])).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/console/yima-edu/guide?notice=saved".to_owned()));
        let (_, html) = t.get_text("/console/yima-edu/guide?notice=saved").await;
        assert!(html.contains("公开指南已保存") && html.contains(r#"value="0398-0000001""#));
        assert_eq!(audit::by_action(&t.db, AuditAction::GuideSave).await.unwrap().len(), 1);

        // A new visitor (no session) sees the guide on the 公开指南 column.
        let r = t.other_browser().get(t.url("/yima-edu/gkzn/")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        for part in [
            "一、受理机构与联系方式",
            "<dt>受理机构</dt><dd>义马市教育局办公室</dd>",
            "<dt>联系电话</dt><dd>0398-0000001</dd>",
            "<dt>邮政编码</dt><dd>472300</dd>",
            "二、主动公开",
            "<p>机构职能</p><p>法规文件</p>",
            "三、依申请公开",
            "<h3>收费</h3>",
            "四、监督和救济",
            "&#60;script&#62;alert(1)&#60;/script&#62;可以投诉",
            r#"<a href="/yima-edu/apply">在线提交政府信息公开申请</a>"#,
        ] {
            assert!(html.contains(part), "missing {part}");
        }
        assert!(!html.contains("<dt>传真</dt>"), "empty fields are left out");
        assert!(!html.contains("<script>alert"));
        // Another agency's guide is untouched.
        assert!(t.get_text("/yima-nr/gkzn/").await.1.contains("本机构尚未发布政府信息公开指南"));
    })
    .await;
}

#[tokio::test]
async fn the_admin_registers_public_units_and_the_directory_lists_them() {
    TestApp::each(async |t| {
        let (status, html) = t.get_text("/directory").await;
        assert_eq!(status, 200);
        assert!(html.contains("暂无登记的单位"));
        let admin = t.staff("health-admin", "yima-health", Role::Admin).await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let new = "/console/yima-health/units/new";
        let fields = |name: &'static str, website: &'static str| {
            vec![
                ("name", name),
                ("category", "hospital"),
                ("address", "义马市测试路2号"),
                ("phone", "0398-0000002"),
                ("website", website),
                ("summary", "二级综合医院。"),
                ("extra_duties", "预约挂号方式\n医疗服务项目与价格"),
            ]
        };
        let r = t.post_form(new, new, &fields("测试医院", "javascript:alert(1)")).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("信息公开网址应以 http:// 或 https:// 开头") && html.contains(r#"value="测试医院""#));
        let r = t.post_form(new, new, &fields("测试医院", "https://example.org/gk")).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/console/yima-health/units?notice=saved".to_owned()));
        let r = t.post_form(new, new, &fields(" 测试医院 ", "")).await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("本机构已登记同名单位"));
        assert_eq!(audit::by_action(&t.db, AuditAction::UnitCreate).await.unwrap().len(), 1);

        let (_, html) = t.get_text("/directory").await;
        assert!(html.contains("测试医院") && html.contains(r#"<a href="/yima-health/">义马市卫生健康委员会</a>"#));
        assert!(t.get_text("/directory?category=hospital").await.1.contains("测试医院"));
        let (_, html) = t.get_text("/directory?category=water").await;
        assert!(!html.contains("测试医院") && html.contains("暂无登记的单位"));
        assert_eq!(t.get("/directory?category=nosuch").await.status(), 400);

        let health = t.app.agency_by_code("yima-health").await.unwrap();
        let unit = t.app.units_of(&health).await.unwrap().remove(0);
        let (status, html) = t.get_text(&format!("/directory/{}", unit.id)).await;
        assert_eq!(status, 200);
        // The hospital defaults (5 items) plus the one the agency added; the duplicate is listed once.
        assert_eq!(html.matches("<li>").count(), 6, "{html}");
        assert!(html.contains("<li>药品和医用耗材价格</li>") && html.contains("<li>预约挂号方式</li>"));
        assert!(html.contains(r#"<a href="https://example.org/gk" rel="nofollow noopener noreferrer">"#));
        assert!(html.contains("<dt>单位类别</dt><dd>医院</dd>"));
        assert!(
            t.get_text("/yima-health/ggqy/")
                .await
                .1
                .contains(&format!(r#"<a href="/directory/{}">测试医院</a>"#, unit.id))
        );
        let (_, xml) = t.get_text("/sitemap.xml").await;
        assert!(xml.contains(&format!("/directory/{}</loc>", unit.id)) && xml.contains("/directory</loc>"), "{xml}");
        assert_eq!(t.get("/directory/999999").await.status(), 404);
        assert_eq!(t.get("/directory/abc").await.status(), 404);

        // The admin edits it; another agency's admin cannot even see it.
        let edit = format!("/console/yima-health/units/{}", unit.id);
        let r = t.post_form(&edit, &edit, &[("name", "测试人民医院"), ("category", "hospital")]).await;
        assert_eq!(r.status(), 303);
        assert!(t.get_text("/directory").await.1.contains("测试人民医院"));
        t.logout().await;
        let other = t.staff("edu-admin2", "yima-edu", Role::Admin).await;
        assert_eq!(t.login_as(&other, PASSWORD).await.status(), 303);
        assert_eq!(t.get(&format!("/console/yima-edu/units/{}", unit.id)).await.status(), 404);
        let r = t
            .post_form(
                "/console/yima-edu/units",
                &format!("/console/yima-edu/units/{}", unit.id),
                &[("name", "改名"), ("category", "hospital")],
            )
            .await;
        assert_eq!(r.status(), 404);
        assert!(t.get_text("/directory").await.1.contains("测试人民医院"));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_guides_units_and_downloadable_attachments() {
    TestApp::each(async |t| {
        t.app.load_demo_content().await.unwrap();
        let (_, html) = t.get_text("/yima-office/gkzn/").await;
        assert!(html.contains("义马市人民政府办公室政府信息公开指南") && html.contains("四、监督和救济"));
        // The guide column's own item is listed under the guide.
        assert!(html.contains("本栏目信息"));
        let (_, html) = t.get_text("/directory").await;
        assert_eq!(html.matches("<tr><td><a href=\"/directory/").count(), 9);

        // Budgets carry a Word document; it downloads as an attachment with its name.
        let office = t.app.agency_by_code("yima-office").await.unwrap();
        let col = t.app.column(&office, "czzj").await.unwrap();
        let (items, _) = gongkai_store::catalog::published_in_column(&t.db, office.id, col.id, 10, 0).await.unwrap();
        assert_eq!(items.len(), 4);
        let e = &items[0];
        let (_, html) = t.get_text(&format!("/yima-office/czzj/{}", e.id)).await;
        let name = format!("{}.docx", e.fields.title);
        assert!(html.contains(&name), "{html}");
        let files = gongkai_store::catalog::attachments(&t.db, e.id).await.unwrap();
        assert_eq!(files.len(), 1);
        let r = t.get(&format!("/yima-office/czzj/{}/files/{}", e.id, files[0].id)).await;
        assert_eq!(r.status(), 200);
        let cd = r.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(cd.starts_with("attachment; filename*=UTF-8''"), "{cd}");
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        // Idempotent: loading again adds no second guide, unit or attachment.
        t.app.load_demo_content().await.unwrap();
        assert_eq!(t.get_text("/directory").await.1.matches("<tr><td><a href=\"/directory/").count(), 9);
        assert_eq!(gongkai_store::catalog::attachments(&t.db, e.id).await.unwrap().len(), 1);
    })
    .await;
}
