//! The audit trail is a legal record (条例 Art. 45): the console's audit page names every action in Chinese,
//! never as the stored code (`report.submit` …), and every stored action is one the code knows.

use crate::support::{PASSWORD, TestApp};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::audit;

const PAGE: &str = "/console/yima-office/reports/2023";

/// The action cells (third column) of an audit page's table.
fn action_cells(html: &str) -> Vec<String> {
    html.split("<tr><td>")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap();
            let cells: Vec<&str> = row.split("</td><td>").collect();
            assert!(cells.len() >= 4, "an audit row has four cells: {row}");
            cells[2].to_owned()
        })
        .collect()
}

/// A dotted lowercase code such as `report.submit` anywhere in `s`.
fn raw_code_in(s: &str) -> Option<String> {
    s.split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == '.'))
        .find(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 2 && parts.iter().all(|p| !p.is_empty())
        })
        .map(str::to_owned)
}

#[tokio::test]
async fn the_audit_page_names_every_action_in_chinese_after_the_report_workflow() {
    TestApp::each(async |t| {
        let editor = t.staff("bianji", "yima-office", Role::Editor).await;
        let supervisor = t.staff("zhuguan", "yima", Role::Supervisor).await;
        let flow = format!("{PAGE}/workflow");

        // Submit, return, submit again, approve.
        t.login_as(&editor, PASSWORD).await;
        assert_eq!(t.post_form(PAGE, &flow, &[("action", "submit")]).await.status(), 303);
        t.logout().await;
        t.login_as(&supervisor, PASSWORD).await;
        let r = t.post_form(PAGE, &flow, &[("action", "return"), ("comments", "请补充平台建设情况。")]).await;
        assert_eq!(r.status(), 303);
        t.logout().await;
        t.login_as(&editor, PASSWORD).await;
        assert_eq!(t.post_form(PAGE, &flow, &[("action", "submit")]).await.status(), 303);
        t.logout().await;
        t.login_as(&supervisor, PASSWORD).await;
        assert_eq!(t.post_form(PAGE, &flow, &[("action", "approve"), ("comments", "同意")]).await.status(), 303);
        t.logout().await;

        // Every stored event's action is one the code knows.
        let events = audit::all(&t.db).await.unwrap();
        for e in &events {
            assert!(e.action().is_some(), "event {} has the unknown action {}", e.id, e.action);
        }
        for a in [AuditAction::ReportSubmit, AuditAction::ReportReturn, AuditAction::ReportApprove] {
            assert!(!audit::by_action(&t.db, a).await.unwrap().is_empty(), "{a} recorded");
        }

        // The office's audit page, every page of it, as the platform administrator.
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let labels: Vec<&str> = AuditAction::ALL.iter().map(|a| a.label_zh()).collect();
        let mut shown = Vec::new();
        let mut path = "/console/yima-office/audit".to_owned();
        loop {
            let (status, html) = t.get_text(&path).await;
            assert_eq!(status, 200, "{html}");
            let cells = action_cells(&html);
            assert!(!cells.is_empty(), "{path} lists events");
            for cell in cells {
                assert!(labels.contains(&cell.as_str()), "the action “{cell}” on {path} has no Chinese label");
                shown.push(cell);
            }
            // No raw code anywhere in the table (the table is all there is between <table> and </table>).
            let table = html.split("<table>").nth(1).unwrap().split("</table>").next().unwrap();
            assert_eq!(raw_code_in(table), None, "a raw action code on {path}");
            match html.split("audit?before=").nth(1) {
                Some(rest) => {
                    let before: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    path = format!("/console/yima-office/audit?before={before}");
                }
                None => break,
            }
        }
        for a in [AuditAction::ReportSubmit, AuditAction::ReportReturn, AuditAction::ReportApprove] {
            let n = shown.iter().filter(|s| *s == a.label_zh()).count();
            let expected = if a == AuditAction::ReportSubmit { 2 } else { 1 };
            assert_eq!(n, expected, "{a} shown as “{}”", a.label_zh());
        }
    })
    .await;
}

#[test]
fn a_raw_code_is_found_and_a_label_is_not() {
    assert_eq!(raw_code_in("<td>report.submit</td>"), Some("report.submit".into()));
    assert_eq!(raw_code_in("<td>提交年度报告审核</td><td>2026年1月5日 10:00</td>"), None);
}
