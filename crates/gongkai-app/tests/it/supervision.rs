//! The 政务新媒体 register and the 分工方案 through the services (docs/law/supervision.md §3, §4).

use gongkai_app::supervision::new_media::AccountForm;
use gongkai_app::{AgencyForm, App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::new_media::{Status, Step};
use gongkai_store::audit;
use gongkai_store::db_test;
use time::macros::date;

async fn user(app: &App, username: &str) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, false).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

async fn agency(app: &App, code: &str, name: &str, kind: &str, parent: &str) -> gongkai_app::model::Agency {
    let form = AgencyForm {
        code: code.into(),
        name: name.into(),
        identifier: String::new(),
        kind: kind.into(),
        parent: parent.into(),
        sort_order: 0,
    };
    app.create_agency(Caller::System("cli"), &form).await.unwrap()
}

fn account() -> AccountForm {
    AccountForm {
        platform: "微信公众号".into(),
        name: "义马教育".into(),
        url: "https://mp.weixin.qq.com/yima-edu".into(),
        sponsor: "义马市教育局".into(),
        operator: "义马市教育局办公室".into(),
        verified_subject: "义马市教育局".into(),
        filing_no: "豫政新媒备001".into(),
        last_post_on: "2025-08-29".into(),
        interaction_on: Some("on".into()),
        note: "发布教育政策".into(),
    }
}

db_test! {
    async fn an_account_is_opened_run_and_closed_with_approvals_after_a_15_working_day_notice(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.seed_calendar_if_empty().await.unwrap();
        let city = agency(&app, "city", "义马市人民政府", "government", "").await;
        let dept = agency(&app, "edu", "义马市教育局", "department", "city").await;
        let staff = user(&app, "staff").await;
        let own_sup = user(&app, "own-sup").await;
        let sup = user(&app, "sup").await;
        app.grant_role(Caller::System("cli"), &dept, "staff", Role::Editor).await.unwrap();
        app.grant_role(Caller::System("cli"), &dept, "own-sup", Role::Supervisor).await.unwrap();
        app.grant_role(Caller::System("cli"), &city, "sup", Role::Supervisor).await.unwrap();
        let staff = app.principal(staff.user.id).await.unwrap().unwrap();
        let own_sup = app.principal(own_sup.user.id).await.unwrap().unwrap();
        let sup = app.principal(sup.user.id).await.unwrap().unwrap();

        app.set_today(Some(date!(2025 - 09 - 01)));
        // 申请开设: the supervisor of the agency itself may not ask, nor approve (the 主管单位 is above it).
        assert!(matches!(app.request_media_account(&sup, &dept, &account()).await, Err(AppError::Forbidden)));
        let bad = AccountForm { name: String::new(), ..account() };
        assert!(matches!(app.request_media_account(&staff, &dept, &bad).await, Err(AppError::InvalidFields(_))));
        let id = app.request_media_account(&staff, &dept, &account()).await.unwrap();
        assert!(app.public_media_accounts(&dept).await.unwrap().is_empty(), "not public before approval");
        assert!(matches!(app.media_step(&staff, &dept, id, Step::Approve, None, "").await, Err(AppError::Forbidden)));
        assert!(matches!(app.media_step(&own_sup, &dept, id, Step::Approve, None, "").await, Err(AppError::Forbidden)));
        assert_eq!(app.media_step(&sup, &dept, id, Step::Approve, None, "同意开设").await.unwrap(), Status::Running);
        assert_eq!(app.public_media_accounts(&dept).await.unwrap().len(), 1);

        // 变更 waits for approval, then applies.
        let renamed = AccountForm { name: "义马教育发布".into(), ..account() };
        let s = app.media_step(&staff, &dept, id, Step::RequestChange, Some(&renamed), "更名").await.unwrap();
        assert_eq!(s, Status::ChangeRequested);
        assert_eq!(app.media_accounts(&staff, &dept).await.unwrap()[0].name, "义马教育");
        app.media_step(&sup, &dept, id, Step::Approve, None, "").await.unwrap();
        let a = &app.media_accounts(&staff, &dept).await.unwrap()[0];
        assert_eq!((a.name.as_str(), a.pending.is_none()), ("义马教育发布", true));

        // 关停: asked, approved on Tue 2025-09-30, the notice runs 15 working days (国庆 skipped) to 10-28.
        app.media_step(&staff, &dept, id, Step::RequestClose, None, "无力维护").await.unwrap();
        app.set_today(Some(date!(2025 - 09 - 30)));
        assert_eq!(app.media_step(&sup, &dept, id, Step::Approve, None, "").await.unwrap(), Status::Notice);
        let a = &app.media_accounts(&staff, &dept).await.unwrap()[0];
        assert_eq!((a.notice_on, a.notice_until), (Some(date!(2025 - 09 - 30)), Some(date!(2025 - 10 - 28))));
        app.set_today(Some(date!(2025 - 10 - 28)));
        let early = app.media_step(&staff, &dept, id, Step::Deregister, None, "").await.unwrap_err();
        assert!(early.to_string().contains("最早可于2025年10月29日注销"), "{early}");
        app.set_today(Some(date!(2025 - 10 - 29)));
        assert_eq!(app.media_step(&staff, &dept, id, Step::Deregister, None, "").await.unwrap(), Status::Closed);
        assert!(app.public_media_accounts(&dept).await.unwrap().is_empty());
        assert!(app.media_step(&sup, &dept, id, Step::Approve, None, "").await.is_err());

        // Every step logged and audited.
        let steps: Vec<String> = app.media_events(&staff, &dept).await.unwrap().into_iter().map(|e| e.step).collect();
        assert_eq!(steps, ["request_open", "approve", "request_change", "approve", "request_close", "approve", "deregister"]);
        assert_eq!(audit::by_action(&db, AuditAction::MediaRequestOpen).await.unwrap().len(), 1);
        let events = audit::by_action(&db, AuditAction::MediaStep).await.unwrap();
        assert_eq!(events.len(), 6);
        assert!(events.iter().any(|e| e.actor_label == "sup" && e.details.0["notice_until"] == "2025-10-28"));
    }
}

const PLAN: &str = "\u{feff}序号,工作任务,具体要求,牵头单位,配合单位,时限要求
1,公开财政预决算,按时公开部门预决算,市财政局,各部门,9月底前
2,政策解读,文件与解读同步发布,市政府办,,6月30日前
3,政务公开年度报告,按时发布,市政府办,,年底前
4,政务新媒体管理,开展季度检查,市政府办,市委网信办,持续推进
";

db_test! {
    async fn a_workplan_imports_whole_or_not_at_all(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        let city = agency(&app, "city", "义马市人民政府", "government", "").await;
        let cli = Caller::System("cli");
        let s = app.import_workplan(cli, &city, 2025, None, "义政办〔2025〕8号", PLAN.as_bytes()).await.unwrap().unwrap();
        assert_eq!((s.tasks, s.dated, s.ongoing, s.replaced), (4, 3, 1, false));
        app.set_today(Some(date!(2025 - 07 - 01)));
        let (plan, tasks) = app.workplan(cli, &city, 2025).await.unwrap().unwrap();
        assert_eq!(plan.title, "义马市人民政府2025年政务公开工作要点分工方案");
        let due: Vec<_> = tasks.iter().map(|t| (t.due.as_deref(), t.status)).collect();
        assert_eq!(due, [(Some("2025-09-30"), "未开始"), (Some("2025-06-30"), "逾期"), (Some("2025-12-31"), "未开始"), (None, "持续推进")]);

        let bad = PLAN.replace("年底前", "尽快").replace("2,政策解读,文件与解读同步发布,市政府办", "2,政策解读,文件与解读同步发布,");
        let problems = app.import_workplan(cli, &city, 2025, None, "", bad.as_bytes()).await.unwrap().unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert_eq!(text[0], "第3行“牵头单位”：不能为空");
        assert!(text[1].starts_with("第4行“时限要求”：无法识别“尽快”"), "{}", text[1]);
        // Nothing changed: the earlier import stands, and only it was audited.
        assert_eq!(app.workplan(cli, &city, 2025).await.unwrap().unwrap().1.len(), 4);
        assert_eq!(audit::by_action(&db, AuditAction::WorkplanImport).await.unwrap().len(), 1);

        let outsider = user(&app, "nobody").await;
        let r = app.import_workplan(Caller::Staff(&outsider), &city, 2025, None, "", PLAN.as_bytes()).await;
        assert!(matches!(r, Err(AppError::Forbidden)));
    }
}

db_test! {
    async fn the_demo_has_a_2026_plan_and_accounts_running_and_in_notice(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        app.set_today(Some(date!(2026 - 12 - 04)));
        app.load_demo_supervision().await.unwrap();
        app.load_demo_supervision().await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let (plan, tasks) = app.workplan(Caller::System("test"), &city, 2026).await.unwrap().expect("the 2026 plan");
        assert_eq!(plan.doc_no, "义政办〔2026〕3号");
        assert_eq!(tasks.len(), 6, "loading twice adds nothing");
        let status: Vec<&str> = tasks.iter().map(|t| t.status).collect();
        assert_eq!(status, ["逾期", "已完成", "推进中", "持续推进", "持续推进", "未开始"]);
        let view = app.workplan_view(Caller::System("test"), &city, 2026).await.unwrap().unwrap();
        // 12-15 less 10 working days is 12-01: its reminder is written; 年底前 reminds on 12-17.
        let reminders: Vec<_> = view.reminders.iter().map(|(r, _)| (r.remind_on, r.due_on)).collect();
        assert_eq!(reminders, [(date!(2026 - 12 - 01), date!(2026 - 12 - 15))]);
        let office = app.agency_by_code("yima-office").await.unwrap();
        let admin = app.principal(gongkai_store::users::by_username(&db, "admin").await.unwrap().unwrap().id).await.unwrap().unwrap();
        let checks: Vec<bool> = app.media_checks(&admin, &office).await.unwrap().iter().map(|c| c.passed).collect();
        assert_eq!(checks.len(), 2);
        assert!(checks.contains(&true) && checks.contains(&false), "{checks:?}");
        let public = app.public_media_accounts(&office).await.unwrap();
        let statuses: Vec<Status> = public.iter().map(gongkai_app::supervision::new_media::status_of).collect();
        assert!(statuses.contains(&Status::Running), "{statuses:?}");
        assert!(statuses.contains(&Status::Notice), "the account in its closing notice is listed: {statuses:?}");
    }
}
