//! `gongkai user add|list`: an office onboards a 经办人 from the command line, without SQL.

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn add_with_password(dir: &std::path::Path, db: Option<&str>, args: &[&str], password: &str) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir").arg(dir);
    if let Some(url) = db {
        c.arg("--database").arg(url);
    }
    let mut child = c
        .args(args)
        .env_remove("GONGKAI_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

cli_test! {
    fn a_staff_user_is_added_with_a_role_and_listed(db) {
        let dir = temp_dir();
        let db = db.as_deref();
        assert!(gongkai(&dir, db, &["demo"]).status.success());
        let add = [
            "user", "add", "--username", "jingban", "--name", "王经办", "--agency", "yima-edu", "--role", "case_handler",
            "--password-stdin",
        ];
        let out = add_with_password(&dir, db, &add, "a-long-enough-password-2026");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("已创建用户 jingban（王经办），在义马市教育局担任经办人"), "{text}");
        assert!(!text.contains("密码（仅显示这一次）"), "a password read from stdin is not printed");

        let out = gongkai(&dir, db, &["user", "list", "--agency", "yima-edu", "--json"]);
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let users: Vec<&str> = v.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
        assert_eq!(users, ["jingban"], "only the agency's staff");
        assert_eq!(v[0]["roles"][0]["agency"], "yima-edu");
        assert_eq!(v[0]["roles"][0]["role"], "case_handler");
        let all: Value = serde_json::from_slice(&gongkai(&dir, db, &["user", "list", "--json"]).stdout).unwrap();
        assert!(all.as_array().unwrap().iter().any(|u| u["username"] == "admin" && u["platform_admin"] == true));

        // The same name again, an unknown role, a weak password: refused with a reason, nothing created.
        let again = add_with_password(&dir, db, &add, "a-long-enough-password-2026");
        assert!(!again.status.success());
        let mut bad_role = add;
        bad_role[3] = "second";
        bad_role[9] = "boss";
        let out = add_with_password(&dir, db, &bad_role, "a-long-enough-password-2026");
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("角色“boss”无效"), "{}", String::from_utf8_lossy(&out.stderr));
        let mut weak = add;
        weak[3] = "third";
        assert!(!add_with_password(&dir, db, &weak, "123").status.success());
        let all: Value = serde_json::from_slice(&gongkai(&dir, db, &["user", "list", "--json"]).stdout).unwrap();
        assert!(!all.as_array().unwrap().iter().any(|u| u["username"] == "second" || u["username"] == "third"));
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn form_token(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a form token") + "name=\"csrf\" value=\"".len();
    html[i..i + html[i..].find('"').unwrap()].to_owned()
}

cli_test! {
    /// Issue 15 (a): a user added on the command line (generated password) signs in, must change the password
    /// first, then sees only its agency.
    fn a_user_added_on_the_command_line_changes_the_password_then_sees_only_its_agency(db) {
        let dir = temp_dir();
        let db = db.as_deref();
        assert!(gongkai(&dir, db, &["demo"]).status.success());
        let add = ["user", "add", "--username", "edu-clerk", "--name", "赵文", "--agency", "yima-edu", "--role", "editor"];
        let out = gongkai(&dir, db, &add);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let password = text.split("密码（仅显示这一次）：").nth(1).expect("the generated password").trim().to_owned();
        assert!(text.contains("首次登录后须修改密码"), "{text}");

        let server = crate::cli::Server::start(&dir, db);
        let base = format!("http://{}", server.addr);
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let get = |path: &str| c.get(format!("{base}{path}")).send();
            let token = form_token(&get("/console/login").await.unwrap().text().await.unwrap());
            let r = c
                .post(format!("{base}/console/login"))
                .form(&[("username", "edu-clerk"), ("password", password.as_str()), ("csrf", token.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303);
            let r = get("/console/yima-edu/").await.unwrap();
            assert_eq!(r.status(), 303);
            assert_eq!(r.headers()["location"], "/console/account/password");

            let token = form_token(&get("/console/account/password").await.unwrap().text().await.unwrap());
            let r = c
                .post(format!("{base}/console/account/password"))
                .form(&[
                    ("current", password.as_str()),
                    ("password", "zhao-wen-own-2026"),
                    ("confirm", "zhao-wen-own-2026"),
                    ("csrf", token.as_str()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303);
            assert_eq!(get("/console/yima-edu/").await.unwrap().status(), 200);
            assert_eq!(get("/console/yima-office/").await.unwrap().status(), 404);
            assert_eq!(get("/console/yima/").await.unwrap().status(), 404);
        });
        drop(server);
        let _ = std::fs::remove_dir_all(dir);
    }
}
