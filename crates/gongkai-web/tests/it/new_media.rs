//! The 政务新媒体 register over HTTP (docs/law/supervision.md §3): staff ask, the supervising agency approves,
//! the public list shows the accounts in operation.

use crate::support::{PASSWORD, TestApp, location};
use gongkai_domain::agency::Role;
use time::macros::date;

const PAGE: &str = "/console/yima-office/new-media";

fn first_account_id(html: &str) -> String {
    let i = html.find("id=\"account-").expect("an account's row") + "id=\"account-".len();
    html[i..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn staff_ask_the_supervisor_above_approves_and_the_public_list_shows_it() {
    TestApp::each(async |t| {
        t.app.set_today(Some(date!(2025 - 09 - 01)));
        let r = t.get(PAGE).await;
        assert_eq!(r.status(), 303, "signed out: to the login page");
        assert!(location(&r).starts_with("/console/login"), "{}", location(&r));

        let editor = t.staff("xinmeiti", "yima-office", Role::Editor).await;
        let supervisor = t.staff("shangji", "yima", Role::Supervisor).await;
        t.login_as(&editor, PASSWORD).await;
        let (status, html) = t.get_text(PAGE).await;
        assert_eq!(status, 200);
        assert!(html.contains("申请开设账号") && html.contains("暂无登记的账号"), "{html}");
        assert_eq!(t.get("/console/yima/new-media").await.status(), 404, "an agency the editor cannot see");

        let fields = [
            ("platform", "微信公众号"),
            ("name", "义马政务"),
            ("url", "https://mp.weixin.qq.com/yima"),
            ("sponsor", "义马市人民政府办公室"),
            ("operator", "义马市人民政府办公室"),
            ("verified_subject", "义马市人民政府办公室"),
            ("filing_no", "豫001"),
            ("last_post_on", "2025-08-29"),
            ("interaction_on", "on"),
        ];
        let bad = t.post_form(PAGE, PAGE, &[("platform", "微博")]).await;
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains("请填写账号名称"));
        let r = t.post_form(PAGE, PAGE, &fields).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{PAGE}?notice=requested")));
        let (_, html) = t.get_text(PAGE).await;
        assert!(html.contains("申请开设（待审核）"), "{html}");
        let id = first_account_id(&html);
        let steps = format!("{PAGE}/{id}/steps");
        assert_eq!(t.post_form(PAGE, &steps, &[("step", "approve")]).await.status(), 403, "the agency cannot approve");
        let (_, public) = t.get_text("/yima-office/new-media").await;
        assert!(public.contains("暂无运行中的政务新媒体账号"), "{public}");

        t.logout().await;
        t.login_as(&supervisor, PASSWORD).await;
        let r = t.post_form(PAGE, &steps, &[("step", "approve"), ("note", "同意开设")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("{PAGE}?notice=approve")));
        let (_, html) = t.get_text(&format!("{PAGE}?notice=approve")).await;
        assert!(html.contains("已审核通过。") && html.contains("同意开设") && html.contains("shangji"), "{html}");

        let (status, public) = t.get_text("/yima-office/new-media").await;
        assert_eq!(status, 200);
        assert!(public.contains("义马政务") && public.contains("https://mp.weixin.qq.com/yima"), "{public}");
        assert!(public.contains("豫001") && public.contains("<td>运行</td>"), "{public}");

        let (_, audit) = t.get_text("/console/yima-office/audit").await;
        assert!(audit.contains("申请开设政务新媒体") && audit.contains("办理政务新媒体账号"), "{audit}");
    })
    .await;
}
