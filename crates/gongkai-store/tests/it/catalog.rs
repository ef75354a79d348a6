use crate::support::{add_agency, add_user};
use gongkai_domain::catalog::{DEFAULT_COLUMNS, DocClass, EntryStatus, Validity};
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::db_test;
use gongkai_store::{Db, StoreError};
use time::macros::date;

fn fields(column_id: i64, title: &str) -> EntryFields {
    EntryFields {
        column_id,
        title: title.into(),
        doc_no: "义政办〔2023〕5号".into(),
        publisher: "测试机构".into(),
        joint_publishers: String::new(),
        doc_class: DocClass::Normative,
        validity: Some(Validity::InForce),
        written_on: Some(date!(2023 - 02 - 01)),
        effective_on: Some(date!(2023 - 03 - 01)),
        expires_on: None,
        formed_on: Some(date!(2023 - 02 - 01)),
        topic: "城乡建设、环境保护\\城市规划".into(),
        genre: "通知".into(),
        keywords: "规划".into(),
        summary: "概述".into(),
        disclosure: "主动公开".into(),
        body_html: "<p>正文</p>".into(),
    }
}

async fn seeded(db: &Db, code: &str) -> (i64, Vec<catalog::Column>) {
    let a = add_agency(db, code, None).await;
    let mut tx = db.begin().await.unwrap();
    assert_eq!(catalog::seed_columns(&mut tx, a.id, DEFAULT_COLUMNS).await.unwrap(), DEFAULT_COLUMNS.len());
    // Seeding again creates nothing.
    assert_eq!(catalog::seed_columns(&mut tx, a.id, DEFAULT_COLUMNS).await.unwrap(), 0);
    tx.commit().await.unwrap();
    (a.id, catalog::columns(db, a.id).await.unwrap())
}

db_test! {
    async fn columns_form_a_tree_per_agency(db: Db) {
        let (a, cols) = seeded(&db, "col-a").await;
        let xxgk = cols.iter().find(|c| c.slug == "xxgk").unwrap();
        let fgwj = cols.iter().find(|c| c.slug == "fgwj").unwrap();
        assert_eq!(fgwj.parent_id, Some(xxgk.id));
        assert_eq!(cols.iter().find(|c| c.slug == "gzdt").unwrap().update_days, 14);
        let (b, _) = seeded(&db, "col-b").await;
        // Another agency's column is not found through this agency.
        assert!(catalog::column_by_id(&db, b, xxgk.id).await.unwrap().is_none());
        assert!(catalog::column_by_slug(&db, a, "gzdt").await.unwrap().is_some());
    }
}

db_test! {
    async fn workflow_round_trip_and_guards(db: Db) {
        let (a, cols) = seeded(&db, "wf").await;
        let col = cols.iter().find(|c| c.slug == "zcwj").unwrap().id;
        let mut tx = db.begin().await.unwrap();
        let e = catalog::create(&mut tx, a, &fields(col, "关于印发某办法的通知"), None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(e.status, EntryStatus::Draft);
        // What is read back equals what was written, on both backends.
        assert_eq!(catalog::by_id(&db, a, e.id).await.unwrap().unwrap(), e);

        let reviewer = add_user(&db, "shenhe").await;
        let mut tx = db.begin().await.unwrap();
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Submitted).await.unwrap();
        tx.commit().await.unwrap();
        // Publishing an unreviewed entry is refused by the guard (先审后发).
        let mut tx = db.begin().await.unwrap();
        let r = catalog::mark_published(&mut tx, e.id, Some("x"), gongkai_store::now()).await;
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        catalog::mark_reviewed(&mut tx, e.id, reviewer.id, "不涉密").await.unwrap();
        let seq = catalog::next_seq(&mut tx, a, 2023).await.unwrap();
        assert_eq!(seq, 1);
        catalog::mark_published(&mut tx, e.id, Some("wf/2023-00001"), gongkai_store::now()).await.unwrap();
        tx.commit().await.unwrap();
        let p = catalog::by_id(&db, a, e.id).await.unwrap().unwrap();
        assert_eq!(p.status, EntryStatus::Published);
        assert_eq!(p.index_no.as_deref(), Some("wf/2023-00001"));
        assert_eq!((p.reviewer_id, p.review_note.as_str()), (Some(reviewer.id), "不涉密"));
        assert!(p.reviewed_at.is_some() && p.published_at.is_some());
        let (list, total) = catalog::published_in_column(&db, a, col, 10, 0).await.unwrap();
        assert_eq!((list.len(), total), (1, 1));
        assert_eq!(catalog::latest_per_column(&db, a, 5).await.unwrap().len(), 1);

        // Unpublish, edit, review and publish again: the 索引号 is kept, and the counter never goes back.
        let mut tx = db.begin().await.unwrap();
        catalog::mark_unpublished(&mut tx, e.id, "内容有误").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(catalog::published_in_column(&db, a, col, 10, 0).await.unwrap().1, 0);
        let u = catalog::by_id(&db, a, e.id).await.unwrap().unwrap();
        assert_eq!(u.unpublish_reason, "内容有误");
        let mut tx = db.begin().await.unwrap();
        catalog::update(&mut tx, &u, &fields(col, "新标题"), EntryStatus::Draft).await.unwrap();
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Submitted).await.unwrap();
        catalog::mark_reviewed(&mut tx, e.id, reviewer.id, "不涉密").await.unwrap();
        catalog::mark_published(&mut tx, e.id, Some("wf/2023-00002"), gongkai_store::now()).await.unwrap();
        assert_eq!(catalog::next_seq(&mut tx, a, 2023).await.unwrap(), 2);
        assert_eq!(catalog::next_seq(&mut tx, a, 2024).await.unwrap(), 1);
        tx.commit().await.unwrap();
        let p = catalog::by_id(&db, a, e.id).await.unwrap().unwrap();
        assert_eq!((p.fields.title.as_str(), p.index_no.as_deref()), ("新标题", Some("wf/2023-00001")));
        assert_eq!(catalog::published_ids(&db).await.unwrap(), vec![e.id]);
        // Another agency cannot read it.
        let (b, _) = seeded(&db, "wf-other").await;
        assert!(catalog::by_id(&db, b, e.id).await.unwrap().is_none());
    }
}

db_test! {
    async fn index_numbers_are_unique(db: Db) {
        let (a, cols) = seeded(&db, "uniq").await;
        let col = cols[0].id;
        let mut ids = vec![];
        let mut tx = db.begin().await.unwrap();
        for t in ["甲", "乙"] {
            let e = catalog::create(&mut tx, a, &fields(col, t), None).await.unwrap();
            catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.unwrap();
            ids.push(e.id);
        }
        catalog::mark_published(&mut tx, ids[0], Some("same"), gongkai_store::now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let r = catalog::mark_published(&mut tx, ids[1], Some("same"), gongkai_store::now()).await;
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    }
}

db_test! {
    async fn library_doc_no_filter_ignores_latin_case_on_both_backends(db: Db) {
        let (a, cols) = seeded(&db, "lib-case").await;
        let col = cols.iter().find(|c| c.slug == "zcwj").unwrap().id;
        let mut tx = db.begin().await.unwrap();
        let e =
            catalog::create(&mut tx, a, &EntryFields { doc_no: "GZ〔2023〕7号".into(), ..fields(col, "规范") }, None)
                .await
                .unwrap();
        catalog::set_status(&mut tx, e.id, EntryStatus::Draft, EntryStatus::Reviewed).await.unwrap();
        catalog::mark_published(&mut tx, e.id, Some("lib-case/2023-00001"), gongkai_store::now()).await.unwrap();
        tx.commit().await.unwrap();
        let found = |text: &'static str| {
            let db = db.clone();
            async move { catalog::published_normative(&db, Some(a), None, text).await.unwrap().len() }
        };
        // SQLite's LIKE ignores ASCII case and PostgreSQL's does not: the library answers the same on both.
        assert_eq!(found("GZ").await, 1);
        assert_eq!(found("gz〔2023").await, 1);
        assert_eq!(found("Gz〔2024").await, 0);
        // LIKE wildcards typed by the public are dropped, not obeyed.
        assert_eq!(found("G_〔").await, 0);
    }
}
