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
