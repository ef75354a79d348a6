//! Staff administration (`/console/{agency}/staff`): the staff of the agency and those beneath it, with filters
//! and paging; creating an account (a generated password, shown once); one member's page (name, roles,
//! disabling and enabling, a password reset shown once). Who may do what is the app's (`gongkai_app::staff`).

use crate::console_page::ConsolePage;
use crate::error::WebError;
use crate::layout::Layout;
use crate::page::{Notice, no_store};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::AppError;
use gongkai_app::staff::{IssuedPassword, StaffFilter, StaffMember};
use gongkai_domain::agency::Role;
use serde::Deserialize;

/// One row of the list or the member page.
struct MemberRow {
    id: i64,
    username: String,
    display_name: String,
    active: bool,
    must_change: bool,
    platform_admin: bool,
    /// (agency code, agency name, role code, role label).
    roles: Vec<(String, String, &'static str, &'static str)>,
    manageable: bool,
}

fn row(m: StaffMember) -> MemberRow {
    MemberRow {
        id: m.user.id,
        username: m.user.username,
        display_name: m.user.display_name,
        active: m.user.active,
        must_change: m.user.must_change_password,
        platform_admin: m.user.platform_admin,
        roles: m.roles.into_iter().map(|(a, r)| (a.code.to_string(), a.name, r.as_str(), r.label_zh())).collect(),
        manageable: m.manageable,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/staff.html")]
struct ListPage {
    layout: Layout,
    code: String,
    rows: Vec<MemberRow>,
    total: usize,
    page: usize,
    pages: usize,
    query_base: String,
    filter: StaffFilter,
    agencies: Vec<(String, String)>,
    all_roles: Vec<(&'static str, &'static str)>,
    form: CreateForm,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    username: String,
    display_name: String,
    agency: String,
    role: String,
}

const NOTICES: &[(&str, &str)] = &[
    ("renamed", "已修改姓名。"),
    ("granted", "已授予角色。"),
    ("unchanged", "未作改动。"),
    ("revoked", "已撤销角色。"),
    ("disabled", "已停用该账号，其登录状态已全部退出。"),
    ("enabled", "已启用该账号。"),
];

fn all_roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label_zh())).collect()
}

async fn render_list(
    s: &WebState,
    cp: &ConsolePage,
    filter: StaffFilter,
    form: CreateForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let list = s.app.staff_of(&cp.p, &cp.agency, &filter).await?;
    let agencies =
        s.app.staff_agencies(&cp.p, &cp.agency).await?.into_iter().map(|a| (a.code.to_string(), a.name)).collect();
    let query_base = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &filter.q)
        .append_pair("role", &filter.role)
        .append_pair("status", &filter.status)
        .finish();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = ListPage {
        layout: cp.layout("工作人员管理"),
        code: cp.code().to_owned(),
        rows: list.members.into_iter().map(row).collect(),
        total: list.total,
        page: list.page,
        pages: list.pages,
        query_base,
        filter,
        agencies,
        all_roles: all_roles(),
        form,
        error,
        notice,
    };
    Ok(no_store((status, page)))
}

/// The list with its filters, and the form to create an account.
pub async fn list(
    State(s): State<WebState>,
    cp: ConsolePage,
    Query(f): Query<StaffFilter>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    match render_list(&s, &cp, f, CreateForm::default(), None, n.text(NOTICES, None)).await {
        // A role filter that does not parse shows the whole list with the reason.
        Err(WebError::App(AppError::Invalid { message, .. })) => {
            render_list(&s, &cp, StaffFilter::default(), CreateForm::default(), Some(message), None).await
        }
        r => r,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/staff_issued.html")]
struct IssuedPage {
    layout: Layout,
    code: String,
    id: i64,
    username: String,
    display_name: String,
    password: String,
    created: bool,
}

fn issued(cp: &ConsolePage, done: IssuedPassword, created: bool) -> Response {
    let title = if created { "账号已创建" } else { "密码已重设" };
    no_store(IssuedPage {
        layout: cp.layout(title).crumb(cp.href("staff"), "工作人员管理"),
        code: cp.code().to_owned(),
        id: done.user.id,
        username: done.user.username,
        display_name: done.user.display_name,
        password: done.password,
        created,
    })
}

/// Creates an account; the generated password is shown once, on this answer only.
pub async fn create(
    State(s): State<WebState>,
    cp: ConsolePage,
    Form(f): Form<CreateForm>,
) -> Result<Response, WebError> {
    let outcome = match Role::parse(&f.role) {
        Ok(role) => s.app.create_staff_member(&cp.p, &cp.agency, &f.username, &f.display_name, &f.agency, role).await,
        Err(_) => Err(AppError::Invalid { field: Some("role"), message: "请选择角色".into() }),
    };
    match outcome {
        Ok(done) => Ok(issued(&cp, done, true)),
        Err(AppError::Invalid { message, .. } | AppError::Conflict(message)) => {
            render_list(&s, &cp, StaffFilter::default(), f, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/staff_member.html")]
struct MemberPage {
    layout: Layout,
    code: String,
    m: MemberRow,
    is_self: bool,
    agencies: Vec<(String, String)>,
    all_roles: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    notice: Option<String>,
}

async fn render_member(
    s: &WebState,
    cp: &ConsolePage,
    id: i64,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let m = s.app.staff_member(&cp.p, &cp.agency, id).await?;
    let agencies =
        s.app.staff_agencies(&cp.p, &cp.agency).await?.into_iter().map(|a| (a.code.to_string(), a.name)).collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = MemberPage {
        layout: cp.layout(format!("工作人员：{}", m.user.display_name)).crumb(cp.href("staff"), "工作人员管理"),
        code: cp.code().to_owned(),
        is_self: m.user.id == cp.p.user.id,
        m: row(m),
        agencies,
        all_roles: all_roles(),
        error,
        notice,
    };
    Ok(no_store((status, page)))
}

pub async fn member(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    render_member(&s, &cp, id, None, n.text(NOTICES, None)).await
}

/// After a change: back to the member's page with its notice, or the page again with the reason.
async fn after(s: &WebState, cp: &ConsolePage, id: i64, outcome: Result<&str, AppError>) -> Result<Response, WebError> {
    match outcome {
        Ok(notice) => Ok(Redirect::to(&cp.href(&format!("staff/{id}?notice={notice}"))).into_response()),
        Err(AppError::Invalid { message, .. }) => render_member(s, cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    display_name: String,
}

pub async fn rename(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<NameForm>,
) -> Result<Response, WebError> {
    let outcome = s.app.rename_staff(&cp.p, &cp.agency, id, &f.display_name).await.map(|()| "renamed");
    after(&s, &cp, id, outcome).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    agency: String,
    role: String,
}

pub async fn grant(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<RoleForm>,
) -> Result<Response, WebError> {
    let outcome = match Role::parse(&f.role) {
        Ok(role) => s.app.grant_staff_role(&cp.p, &cp.agency, id, &f.agency, role).await,
        Err(_) => Err(AppError::Invalid { field: Some("role"), message: "请选择角色".into() }),
    };
    after(&s, &cp, id, outcome.map(|added| if added { "granted" } else { "unchanged" })).await
}

pub async fn revoke(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<RoleForm>,
) -> Result<Response, WebError> {
    let outcome = match Role::parse(&f.role) {
        Ok(role) => s.app.revoke_staff_role(&cp.p, &cp.agency, id, &f.agency, role).await,
        Err(_) => Err(AppError::Invalid { field: Some("role"), message: "请选择角色".into() }),
    };
    after(&s, &cp, id, outcome.map(|removed| if removed { "revoked" } else { "unchanged" })).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    active: String,
}

pub async fn set_status(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    let active = f.active == "true";
    let outcome = s.app.set_staff_active(&cp.p, &cp.agency, id, active).await;
    after(&s, &cp, id, outcome.map(|()| if active { "enabled" } else { "disabled" })).await
}

/// A new generated password, shown once; the member's sessions end and they must change it at sign-in.
pub async fn reset_password(
    State(s): State<WebState>,
    cp: ConsolePage,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    match s.app.reset_staff_password(&cp.p, &cp.agency, id).await {
        Ok(done) => Ok(issued(&cp, done, false)),
        Err(AppError::Invalid { message, .. }) => render_member(&s, &cp, id, Some(message), None).await,
        Err(e) => Err(e.into()),
    }
}
