//! The audit trail is written in the same transaction as the change: both or neither.

use crate::support::{add_agency, add_user, new_agency};
use gongkai_domain::agency::Role;
use gongkai_domain::audit::AuditAction;
use gongkai_store::db_test;
use gongkai_store::{Actor, Db, NewAuditEvent, agencies, audit, grants};
use serde_json::json;

async fn create_with_audit(db: &Db, code: &str, actor: &Actor) -> Result<i64, gongkai_store::StoreError> {
    let mut tx = db.begin().await?;
    let a = agencies::create(&mut tx, &new_agency(code, None)).await?;
    audit::record(
        &mut tx,
        &NewAuditEvent {
            actor,
            agency_id: Some(a.id),
            action: AuditAction::AgencyCreate,
            object_type: "agency",
            object_id: a.id.to_string(),
            details: json!({"code": code}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(a.id)
}

db_test! {
    async fn change_and_event_commit_together(db: Db) {
        let id = create_with_audit(&db, "ok-agency", &Actor::System("test".into())).await.unwrap();
        let events = audit::by_action(&db, AuditAction::AgencyCreate).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].agency_id, Some(id));
        assert_eq!(events[0].actor_label, "test");
        assert_eq!(events[0].details.0["code"], "ok-agency");
    }
}

db_test! {
    async fn a_failed_audit_write_undoes_the_change(db: Db) {
        // The actor references a user that does not exist: the event insert fails after the agency insert
        // succeeded; the transaction must take the agency back with it.
        let ghost = Actor::User { id: 987_654, username: "ghost".into() };
        assert!(create_with_audit(&db, "rolled-back", &ghost).await.is_err());
        assert!(agencies::by_code(&db, "rolled-back").await.unwrap().is_none());
        assert_eq!(audit::count(&db).await.unwrap(), 0);
    }
}

db_test! {
    async fn a_failed_change_leaves_no_event(db: Db) {
        let a = add_agency(&db, "city", None).await;
        let u = add_user(&db, "clerk").await;
        let mut tx = db.begin().await.unwrap();
        audit::record(
            &mut tx,
            &NewAuditEvent {
                actor: &Actor::System("test".into()),
                agency_id: Some(a.id),
                action: AuditAction::RoleGrant,
                object_type: "user",
                object_id: u.id.to_string(),
                details: json!({}),
            },
        )
        .await
        .unwrap();
        // The change itself fails (no such agency) and the caller gives up: nothing may remain.
        assert!(grants::grant(&mut tx, u.id, 424_242, Role::Editor).await.is_err());
        drop(tx);
        assert_eq!(audit::count(&db).await.unwrap(), 0);
        assert!(grants::for_user(&db, u.id).await.unwrap().is_empty());
    }
}

db_test! {
    async fn events_are_append_only(db: Db) {
        create_with_audit(&db, "x-agency", &Actor::System("test".into())).await.unwrap();
        let (upd, del) = match &db {
            Db::Sqlite(p) => (
                sqlx::query("UPDATE audit_events SET action = 'forged'").execute(p).await.is_err(),
                sqlx::query("DELETE FROM audit_events").execute(p).await.is_err(),
            ),
            Db::Postgres(p) => (
                sqlx::query("UPDATE audit_events SET action = 'forged'").execute(p).await.is_err(),
                sqlx::query("DELETE FROM audit_events").execute(p).await.is_err(),
            ),
        };
        assert!(upd && del, "updates and deletes of audit events must be refused");
        assert_eq!(audit::by_action(&db, AuditAction::AgencyCreate).await.unwrap().len(), 1);
    }
}

db_test! {
    async fn agency_trail_pages_newest_first(db: Db) {
        let a = add_agency(&db, "paged", None).await;
        for i in 0..5 {
            let mut tx = db.begin().await.unwrap();
            audit::record(
                &mut tx,
                &NewAuditEvent {
                    actor: &Actor::System("test".into()),
                    agency_id: Some(a.id),
                    action: AuditAction::CatalogUpdate,
                    object_type: "step",
                    object_id: i.to_string(),
                    details: json!({"i": i}),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let first = audit::for_agency(&db, a.id, None, 2).await.unwrap();
        assert_eq!(first.iter().map(|e| e.object_id.as_str()).collect::<Vec<_>>(), ["4", "3"]);
        let next = audit::for_agency(&db, a.id, Some(first[1].id), 2).await.unwrap();
        assert_eq!(next.iter().map(|e| e.object_id.as_str()).collect::<Vec<_>>(), ["2", "1"]);
    }
}
