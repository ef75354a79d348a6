//! The 分工方案 after import and the 政务新媒体 quarterly checks, through the services (docs/law/supervision.md
//! §3.4, §4, §6, §10.13–§10.18), and the figures they give the annual report's 一（五）.

use gongkai_app::supervision::new_media::AccountForm;
use gongkai_app::supervision::new_media_checks::CheckForm;
use gongkai_app::supervision::workplan::{PlanMeta, TaskForm};
use gongkai_app::supervision::workplan_progress::ProgressForm;
use gongkai_app::{AgencyForm, App, AppConfig, AppError, Caller, Principal, UserForm};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_domain::new_media::Step;
use gongkai_store::audit;
use gongkai_store::db_test;
use std::collections::HashMap;
use time::macros::date;

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

async fn staff(app: &App, username: &str, a: &gongkai_app::model::Agency, role: Role) -> Principal {
    let form = UserForm {
        username: username.into(),
        display_name: "测试用户".into(),
        password: "correct-horse-battery-staple-42".into(),
    };
    let u = app.create_user(Caller::System("cli"), &form, false).await.unwrap();
    app.grant_role(Caller::System("cli"), a, username, role).await.unwrap();
    app.principal(u.id).await.unwrap().unwrap()
}

fn xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
    let headers = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "时限要求"];
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect();
    gongkai_report::xlsx::table_workbook("分工方案", &headers, &rows).unwrap()
}

const TASKS: [[&str; 6]; 5] = [
    ["1", "公开财政预决算", "按时公开", "市财政局", "各部门", "9月底前"],
    ["2", "政策解读", "同步发布", "义马市人民政府办公室", "市教育局", "6月30日前"],
    ["3", "教育信息公开", "公开招生政策", "市教育局", "", "10月15日前"],
    ["4", "政务公开年度报告", "按时发布", "义马市人民政府办公室", "", "年底前"],
    ["5", "政务新媒体管理", "季度检查", "义马市人民政府办公室", "市教育局", "持续推进"],
];

fn progress(status: &str, note: &str) -> ProgressForm {
    ProgressForm { status: status.into(), note: note.into(), index_no: String::new(), url: String::new() }
}

db_test! {
    async fn a_plan_from_xlsx_is_assigned_reported_reminded_rolled_up_and_exported(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.seed_calendar_if_empty().await.unwrap();
        let city = agency(&app, "city", "义马市人民政府", "government", "").await;
        let office = agency(&app, "office", "义马市人民政府办公室", "department", "city").await;
        let edu = agency(&app, "edu", "义马市教育局", "department", "city").await;
        let street = agency(&app, "street", "义马市新区街道办事处", "subdistrict", "city").await;
        let cli = Caller::System("cli");
        app.set_today(Some(date!(2025 - 03 - 01)));

        // One bad row (an unreadable due phrase) imports nothing and names the row.
        let mut bad = TASKS.to_vec();
        bad[2][5] = "尽快";
        let problems = app.import_workplan(cli, &city, 2025, None, "", &xlsx(&bad)).await.unwrap().unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(text[0].starts_with("第4行“时限要求”：无法识别“尽快”"), "{}", text[0]);
        assert!(app.workplan(cli, &city, 2025).await.unwrap().is_none(), "nothing imported");

        let meta = PlanMeta {
            title: "义马市2025年政务公开工作要点分工方案".into(),
            doc_no: "义政办〔2025〕8号".into(),
            parent: "三门峡市2025年政务公开工作要点".into(),
            issued_on: "2025-03-01".into(),
        };
        let s = app.import_workplan_with(cli, &city, 2025, &meta, &xlsx(&TASKS)).await.unwrap().unwrap();
        assert_eq!((s.tasks, s.dated, s.ongoing), (5, 4, 1));
        assert_eq!(s.unmatched, ["各部门", "市财政局"]);
        let view = app.workplan_view(cli, &city, 2025).await.unwrap().unwrap();
        assert_eq!((view.plan.parent.as_str(), view.plan.issued_on), ("三门峡市2025年政务公开工作要点", Some(date!(2025 - 03 - 01))));
        let due: Vec<_> = view.tasks.iter().map(|t| t.task.due_on).collect();
        assert_eq!(due, [Some(date!(2025 - 09 - 30)), Some(date!(2025 - 06 - 30)), Some(date!(2025 - 10 - 15)), Some(date!(2025 - 12 - 31)), None]);
        let id = |no: &str| view.tasks.iter().find(|t| t.task.no == no).unwrap().task.id;
        let assigned: Vec<Vec<(String, bool)>> =
            view.tasks.iter().map(|t| t.agencies.iter().map(|(a, lead)| (a.code.to_string(), *lead)).collect()).collect();
        assert_eq!(assigned[0], []);
        assert_eq!(assigned[1], [("office".to_owned(), true), ("edu".to_owned(), false)]);
        assert_eq!(assigned[2], [("edu".to_owned(), true)]);

        // A task by hand is checked like a row of the file.
        let form = |no: &str, due: &str| TaskForm {
            no: no.into(), task: "主动公开目录维护".into(), requirement: String::new(), lead: "市教育局".into(),
            support: String::new(), due_text: due.into(),
        };
        assert!(matches!(app.add_workplan_task(cli, &city, 2025, &form("6", "尽快")).await, Err(AppError::InvalidFields(_))));
        assert!(matches!(app.add_workplan_task(cli, &city, 2025, &form("1", "11月底前")).await, Err(AppError::InvalidFields(_))));
        app.add_workplan_task(cli, &city, 2025, &form("6", "11月底前")).await.unwrap();
        assert_eq!(audit::by_action(&db, AuditAction::WorkplanEdit).await.unwrap().len(), 1);

        // Progress only by the assigned agency's staff.
        let edu_staff = staff(&app, "edu-staff", &edu, Role::Editor).await;
        let street_staff = staff(&app, "street-staff", &street, Role::Admin).await;
        app.set_today(Some(date!(2025 - 06 - 20)));
        let r = app.report_progress(&street_staff, &street, id("2"), &progress("done", "x"), None).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "not assigned");
        let r = app.report_progress(&edu_staff, &edu, id("1"), &progress("done", "x"), None).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "task 1 names no platform agency: only the city reports");
        let r = app.report_progress(&edu_staff, &office, id("2"), &progress("done", "x"), None).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "edu staff do not report for the office");
        let r = app.report_progress(&edu_staff, &edu, id("2"), &progress("", ""), None).await;
        assert!(matches!(r, Err(AppError::InvalidFields(ref e)) if e.len() == 2), "{r:?}");
        let evidence = ProgressForm { index_no: "000-不存在".into(), ..progress("done", "已同步发布解读") };
        assert!(matches!(app.report_progress(&edu_staff, &edu, id("2"), &evidence, None).await, Err(AppError::InvalidFields(_))));
        let with_link = ProgressForm { url: "https://example.cn/jiedu".into(), ..progress("done", "已同步发布解读") };
        app.report_progress(&edu_staff, &edu, id("2"), &with_link, None).await.unwrap();
        app.report_progress(&edu_staff, &edu, id("5"), &progress("ongoing", "二季度检查完成"), None).await.unwrap();
        assert_eq!(audit::by_action(&db, AuditAction::WorkplanProgress).await.unwrap().len(), 2);

        // Reminders: 9-30 → 9-17 (§7.6); 10-15 → 9-25 (国庆 skipped, 9-28 and 10-11 worked).
        app.set_today(Some(date!(2025 - 09 - 24)));
        assert_eq!(app.write_workplan_reminders().await.unwrap(), 1);
        app.set_today(Some(date!(2025 - 09 - 25)));
        assert_eq!(app.write_workplan_reminders().await.unwrap(), 1);
        assert_eq!(app.write_workplan_reminders().await.unwrap(), 0, "once per task");
        let view = app.workplan_view(cli, &city, 2025).await.unwrap().unwrap();
        let reminders: Vec<_> = view.reminders.iter().map(|(r, _)| (r.remind_on, r.due_on)).collect();
        assert_eq!(reminders, [(date!(2025 - 09 - 17), date!(2025 - 09 - 30)), (date!(2025 - 09 - 25), date!(2025 - 10 - 15))]);
        assert_eq!(view.tasks[2].remind_on, Some(date!(2025 - 09 - 25)));
        assert_eq!(audit::by_action(&db, AuditAction::WorkplanRemind).await.unwrap().len(), 2);

        // Roll-up on 10-20: office has 2, 4, 5 (2 done); edu has 2, 3, 5, 6 (2 done, 3 overdue).
        app.set_today(Some(date!(2025 - 10 - 20)));
        let view = app.workplan_view(cli, &city, 2025).await.unwrap().unwrap();
        let rollup: HashMap<String, (usize, usize, usize)> =
            view.rollup.iter().map(|r| (r.agency.code.to_string(), (r.tasks, r.done, r.overdue))).collect();
        assert_eq!(rollup["office"], (3, 1, 0));
        assert_eq!(rollup["edu"], (4, 1, 1));
        assert_eq!(rollup.len(), 2);
        let quarters = &view.tasks[4].quarters;
        assert_eq!(quarters, &["2025Q2"]);

        // The export read back.
        let city_admin = staff(&app, "city-admin", &city, Role::Admin).await;
        let (name, bytes) = app.export_workplan(&city_admin, &city, 2025).await.unwrap();
        assert_eq!(name, "city-2025-workplan.xlsx");
        let rows = gongkai_report::sheet::read_xlsx(&bytes).unwrap();
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0][7], "状态");
        let status: Vec<&str> = rows[1..].iter().map(|r| r[7].as_str()).collect();
        assert_eq!(status, ["逾期", "已完成", "逾期", "未开始", "持续推进", "未开始"]);
        assert_eq!(rows[2][8], "2025-06-20");
        assert_eq!(audit::by_action(&db, AuditAction::WorkplanExport).await.unwrap().len(), 1);

        // A plan with progress is not replaced by a new import.
        let again = app.import_workplan(cli, &city, 2025, None, "", &xlsx(&TASKS)).await.unwrap();
        assert!(again.unwrap_err()[0].message.contains("已有任务进展报告"));
    }
}

db_test! {
    async fn quarterly_media_checks_veto_and_the_report_quotes_the_year(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.seed_calendar_if_empty().await.unwrap();
        let city = agency(&app, "city", "义马市人民政府", "government", "").await;
        let office = agency(&app, "office", "义马市人民政府办公室", "department", "city").await;
        let editor = staff(&app, "editor", &office, Role::Editor).await;
        let sup = staff(&app, "sup", &city, Role::Supervisor).await;
        let admin = staff(&app, "office-admin", &office, Role::Admin).await;
        app.set_today(Some(date!(2026 - 02 - 25)));
        let form = AccountForm {
            platform: "微信公众号".into(),
            name: "义马发布".into(),
            url: String::new(),
            sponsor: office.name.clone(),
            operator: office.name.clone(),
            verified_subject: office.name.clone(),
            filing_no: String::new(),
            last_post_on: "2026-02-10".into(),
            interaction_on: Some("on".into()),
            note: String::new(),
        };
        let id = app.request_media_account(&editor, &office, &form).await.unwrap();
        app.media_step(&sup, &office, id, Step::Approve, None, "同意").await.unwrap();

        // §7.3: last post 02-10, checked 02-25 → 15 days → veto; the editor may not check.
        assert!(matches!(app.check_media_from_register(&editor, &office).await, Err(AppError::Forbidden)));
        assert_eq!(app.check_media_from_register(&sup, &office).await.unwrap(), (1, 1));
        let fresh = CheckForm { last_post_on: "2026-02-11".into(), interaction_ok: Some("on".into()), severe_error: None, note: String::new() };
        assert!(app.check_media_account(&admin, &office, id, &fresh).await.unwrap(), "14 days: within two weeks");
        let mute = CheckForm { interaction_ok: None, ..fresh.clone() };
        assert!(!app.check_media_account(&admin, &office, id, &mute).await.unwrap());
        let future = CheckForm { last_post_on: "2026-03-01".into(), ..fresh };
        assert!(matches!(app.check_media_account(&admin, &office, id, &future).await, Err(AppError::InvalidFields(_))));
        let checks = app.media_checks(&admin, &office).await.unwrap();
        let seen: Vec<(&str, bool, &str)> = checks.iter().map(|c| (c.quarter.as_str(), c.passed, c.vetoes.as_str())).collect();
        assert_eq!(seen, [("2026Q1", false, "no_interaction"), ("2026Q1", true, ""), ("2026Q1", false, "stale")]);
        assert_eq!(audit::by_action(&db, AuditAction::MediaCheck).await.unwrap().len(), 3);

        // The office's plan: two tasks, one done.
        let plan = "序号,工作任务,具体要求,牵头单位,配合单位,时限要求\n1,政策解读,,义马市人民政府办公室,,6月30日前\n2,年度报告,,义马市人民政府办公室,,年底前\n";
        let meta = PlanMeta { title: "义马市人民政府办公室2026年政务公开工作要点".into(), ..PlanMeta::default() };
        app.import_workplan_with(Caller::System("cli"), &office, 2026, &meta, plan.as_bytes()).await.unwrap().unwrap();
        let view = app.workplan_view(Caller::System("cli"), &office, 2026).await.unwrap().unwrap();
        app.report_progress(&editor, &office, view.tasks[0].task.id, &progress("done", "已完成"), None).await.unwrap();

        // 一（五）: the figures from the records; a typed figure (通报) fills what no record gives.
        app.import_report_figures(Caller::System("cli"), &office, 2026, "项目,数值\nbulletins,3\n".as_bytes()).await.unwrap();
        let (report, _) = app.annual_report(&office, 2026).await.unwrap();
        let one = report.sections.one.unwrap();
        assert!(
            one.contains("印发《义马市人民政府办公室2026年政务公开工作要点》，明确工作任务2项，截至年底已完成1项；对1个政府网站开展监测检查"),
            "{one}"
        );
        assert!(one.contains("发布检查通报3期；新开设政务新媒体账号1个、关停注销0个，开展季度检查3个次，不合格2个次。"), "{one}");
        // A typed figure overrides the count.
        app.import_report_figures(Caller::System("cli"), &office, 2026, "项目,数值\nmedia_checks,8\n".as_bytes()).await.unwrap();
        let one = app.annual_report(&office, 2026).await.unwrap().0.sections.one.unwrap();
        assert!(one.contains("开展季度检查8个次"), "{one}");
    }
}
