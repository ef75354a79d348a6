//! `gongkai user add|list`: staff accounts from the command line (an office onboards a 经办人 without SQL).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use gongkai_app::{App, Caller, UserForm};
use gongkai_domain::agency::Role;
use std::io::Read;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff user holding a role in an agency; the password is generated and shown once, or read from
    /// standard input. Either way someone else chose it, so the user must change it at the first sign-in.
    Add {
        #[arg(long)]
        username: String,
        /// 姓名 as shown in the console and the audit trail.
        #[arg(long)]
        name: String,
        #[arg(long)]
        agency: String,
        /// admin (管理员), editor (编辑), reviewer (审核人), case_handler (经办人), supervisor (监督人) or evaluator
        /// (第三方评估人: the evaluation pages of the agency and those beneath it, nothing else).
        #[arg(long)]
        role: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// The staff (of one agency with --agency), with their roles.
    List {
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: UserCommand) -> Result<()> {
    let by = Caller::System("cli");
    match command {
        UserCommand::Add { username, name, agency, role, password_stdin } => {
            let Ok(role) = Role::parse(&role) else {
                bail!("角色“{role}”无效，应为 admin、editor、reviewer、case_handler、supervisor 或 evaluator");
            };
            let agency = app.agency_by_code(&agency).await.with_context(|| format!("找不到机构“{agency}”"))?;
            let (password, generated) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).context("无法读取标准输入")?;
                (s.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (gongkai_app::random_token(16), true)
            };
            let form = UserForm { username: username.clone(), display_name: name, password: password.clone() };
            let user = app.add_staff(by, &form, &agency, role).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "已创建用户 {}（{}），在{}担任{}。",
                user.username,
                user.display_name,
                agency.name,
                role.label_zh()
            );
            println!("该用户首次登录后须修改密码。");
            if generated {
                println!("密码（仅显示这一次）：{password}");
            }
        }
        UserCommand::List { agency, json } => {
            let agency = match agency {
                Some(code) => Some(app.agency_by_code(&code).await.with_context(|| format!("找不到机构“{code}”"))?),
                None => None,
            };
            let staff = app.staff_list(by, agency.as_ref()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if json {
                let rows: Vec<serde_json::Value> = staff
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "username": s.username,
                            "name": s.display_name,
                            "platform_admin": s.platform_admin,
                            "active": s.active,
                            "roles": s.roles.iter().map(|(a, r)| serde_json::json!({"agency": a, "role": r})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for s in &staff {
                    let roles: Vec<String> = s.roles.iter().map(|(a, r)| format!("{a}:{r}")).collect();
                    let admin = if s.platform_admin { "（平台管理员）" } else { "" };
                    println!("{}  {}{admin}  {}", s.username, s.display_name, roles.join(" "));
                }
            }
        }
    }
    Ok(())
}
