//! Staff accounts added for an agency: the new user signs in and sees only that agency; an agency administrator
//! adds staff to its own agency, not to others.

use gongkai_app::{App, AppConfig, AppError, Caller, UserForm};
use gongkai_domain::agency::Role;
use gongkai_store::db_test;

fn form(username: &str) -> UserForm {
    UserForm {
        username: username.into(),
        display_name: "新同事".into(),
        password: "a-long-enough-password-2026".into(),
    }
}

db_test! {
    async fn an_added_staff_user_signs_in_and_sees_only_its_agency(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let edu = app.agency_by_code("yima-edu").await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let u = app.add_staff(Caller::System("cli"), &form("edu-admin"), &edu, Role::Admin).await.unwrap();
        let signed_in = app.login("edu-admin", "a-long-enough-password-2026").await.unwrap();
        assert_eq!(signed_in.id, u.id);
        let p = app.principal(u.id).await.unwrap().unwrap();
        assert!(p.can_view(edu.id) && !p.can_view(office.id));
        assert!(app.console_agency(&p, "yima-office").await.is_err());

        // The agency's administrator adds a 经办人 to its own agency, not to another one.
        let added = app.add_staff(Caller::Staff(&p), &form("edu-handler"), &edu, Role::CaseHandler).await.unwrap();
        assert_eq!(added.username, "edu-handler");
        let refused = app.add_staff(Caller::Staff(&p), &form("office-x"), &office, Role::Editor).await;
        assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
        assert!(gongkai_store::users::by_username(&db, "office-x").await.unwrap().is_none(), "nothing left behind");
        let staff = app.staff_list(Caller::Staff(&p), Some(&edu)).await.unwrap();
        let names: Vec<&str> = staff.iter().map(|s| s.username.as_str()).collect();
        assert_eq!(names, ["edu-admin", "edu-handler"]);
    }
}

db_test! {
    /// Issue 15: an administrator manages the staff of its agency and the agencies beneath it, never someone with
    /// power elsewhere, a platform administrator, or their own account's status.
    async fn an_administrator_manages_its_subtree_and_nobody_above_it(db: Db) {
        let app = App::new(db.clone(), AppConfig::default());
        app.load_demo().await.unwrap();
        let city = app.agency_by_code("yima").await.unwrap();
        let edu = app.agency_by_code("yima-edu").await.unwrap();
        let office = app.agency_by_code("yima-office").await.unwrap();
        let chief = app.add_staff(Caller::System("cli"), &form("city-admin"), &city, Role::Admin).await.unwrap();
        assert!(chief.must_change_password, "a password set by the command line must be changed");
        let city_admin = app.principal(chief.id).await.unwrap().unwrap();
        let edu_admin_user = app.add_staff(Caller::System("cli"), &form("edu-admin"), &edu, Role::Admin).await.unwrap();
        let edu_admin = app.principal(edu_admin_user.id).await.unwrap().unwrap();

        // The city's administrator creates a user in a department beneath it; the department's cannot go sideways.
        let made = app.create_staff_member(&city_admin, &city, "edu-editor", "钱编辑", "yima-edu", Role::Editor).await.unwrap();
        assert!(made.user.must_change_password);
        assert!(app.login("edu-editor", &made.password).await.is_ok());
        let sideways = app.create_staff_member(&edu_admin, &edu, "x1", "某某", "yima-office", Role::Editor).await;
        assert!(matches!(sideways, Err(AppError::Invalid { .. })), "{sideways:?}");
        assert!(matches!(app.staff_of(&edu_admin, &city, &Default::default()).await, Err(AppError::Forbidden)));
        let listed = app.staff_of(&city_admin, &city, &Default::default()).await.unwrap();
        let names: Vec<&str> = listed.members.iter().map(|m| m.user.username.as_str()).collect();
        // The demo's platform administrator holds 监督人 in the city, so it is listed too.
        assert_eq!(names, ["admin", "city-admin", "edu-admin", "edu-editor"]);

        // The department's administrator manages the editor, not the city's administrator (power above it).
        let editor = gongkai_store::users::by_username(&db, "edu-editor").await.unwrap().unwrap();
        app.set_staff_active(&edu_admin, &edu, editor.id, false).await.unwrap();
        assert!(matches!(app.login("edu-editor", &made.password).await, Err(AppError::Invalid { .. })));
        app.grant_staff_role(&city_admin, &city, chief.id, "yima-edu", Role::Editor).await.unwrap();
        let over = app.set_staff_active(&edu_admin, &edu, chief.id, false).await;
        assert!(matches!(over, Err(AppError::Forbidden)), "{over:?}");
        let own = app.set_staff_active(&edu_admin, &edu, edu_admin_user.id, false).await;
        assert!(matches!(own, Err(AppError::Invalid { .. })), "{own:?}");
        // A user of another agency only is not found from this agency's page.
        let off = app.add_staff(Caller::System("cli"), &form("office-clerk"), &office, Role::Editor).await.unwrap();
        assert!(matches!(app.staff_member(&edu_admin, &edu, off.id).await, Err(AppError::NotFound(_))));
        // Every step is in the audit trail.
        let disabled = gongkai_store::audit::by_action(&db, gongkai_domain::audit::AuditAction::UserDisable).await.unwrap();
        assert_eq!(disabled.len(), 1);
        assert_eq!(disabled[0].actor_label, "edu-admin");
    }
}
