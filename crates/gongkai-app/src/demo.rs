//! Demo data: 义马市人民政府 with its office, departments and streets, one administrator, and the office's
//! 2023 application (依申请公开).
//! Loading is idempotent: what exists is left as it is.

use crate::{AgencyForm, App, Caller, Result, UserForm};
use gongkai_domain::agency::Role;
use gongkai_store::agencies;

/// (code, name, kind, parent code)
pub const DEMO_AGENCIES: &[(&str, &str, &str, &str)] = &[
    ("yima", "义马市人民政府", "government", ""),
    ("yima-office", "义马市人民政府办公室", "department", "yima"),
    ("yima-edu", "义马市教育局", "department", "yima"),
    ("yima-nr", "义马市自然资源局", "department", "yima"),
    ("yima-health", "义马市卫生健康委员会", "department", "yima"),
    ("yima-xinqu", "义马市新区街道办事处", "subdistrict", "yima"),
    ("yima-qianqiu", "义马市千秋路街道办事处", "subdistrict", "yima"),
    ("yima-taishan", "义马市泰山路街道办事处", "subdistrict", "yima"),
];

pub const DEMO_ADMIN: &str = "admin";

#[derive(Debug)]
pub struct DemoOutcome {
    pub agencies_created: usize,
    /// Demo applications (依申请公开 cases) created now.
    pub applications_created: usize,
    /// The administrator's password when the account was created now (shown once, never stored in clear).
    pub admin_password: Option<String>,
}

impl App {
    pub async fn load_demo(&self) -> Result<DemoOutcome> {
        // The demo cases' deadlines are counted on the working-day calendar.
        self.seed_calendar_if_empty().await?;
        let mut created = 0;
        for (i, (code, name, kind, parent)) in DEMO_AGENCIES.iter().enumerate() {
            if agencies::by_code(&self.db, code).await?.is_some() {
                continue;
            }
            let form = AgencyForm {
                code: (*code).into(),
                name: (*name).into(),
                identifier: String::new(),
                kind: (*kind).into(),
                parent: (*parent).into(),
                sort_order: i as i64,
            };
            self.create_agency(Caller::System("demo"), &form).await?;
            created += 1;
        }
        let mut admin_password = None;
        if gongkai_store::users::by_username(&self.db, DEMO_ADMIN).await?.is_none() {
            let password = crate::random_token(16);
            let form =
                UserForm {
                    username: DEMO_ADMIN.into(), display_name: "平台管理员".into(), password: password.clone()
                };
            self.create_user(Caller::System("demo"), &form, true).await?;
            admin_password = Some(password);
        }
        // The platform administrator also supervises the city government and so sees every agency beneath it.
        let root = self.agency_by_code("yima").await?;
        self.grant_role(Caller::System("demo"), &root, DEMO_ADMIN, Role::Supervisor).await?;
        let applications_created = self.load_demo_applications().await? + self.load_demo_cases().await?;
        self.load_demo_reports().await?;
        Ok(DemoOutcome { agencies_created: created, applications_created, admin_password })
    }
}
