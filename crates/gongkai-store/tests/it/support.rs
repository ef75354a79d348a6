use gongkai_domain::agency::{AgencyCode, AgencyKind};
use gongkai_store::agencies::{self, Agency, NewAgency};
use gongkai_store::{Db, users};

pub fn new_agency(code: &str, parent: Option<i64>) -> NewAgency {
    NewAgency {
        code: AgencyCode::parse(code).unwrap(),
        name: format!("{code}机构"),
        identifier: None,
        kind: AgencyKind::Department,
        parent_id: parent,
        sort_order: 0,
    }
}

pub async fn add_agency(db: &Db, code: &str, parent: Option<i64>) -> Agency {
    let mut tx = db.begin().await.unwrap();
    let a = agencies::create(&mut tx, &new_agency(code, parent)).await.unwrap();
    tx.commit().await.unwrap();
    a
}

pub async fn add_user(db: &Db, username: &str) -> users::User {
    let mut tx = db.begin().await.unwrap();
    let u = users::create(
        &mut tx,
        &users::NewUser {
            username: username.into(),
            display_name: "测试用户".into(),
            password_hash: "x".into(),
            platform_admin: false,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    u
}
