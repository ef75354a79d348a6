use crate::support::{add_agency, new_agency};
use gongkai_store::db_test;
use gongkai_store::{StoreError, agencies};

db_test! {
    async fn tree_and_lookup(db: Db) {
        let root = add_agency(&db, "city", None).await;
        let dept = add_agency(&db, "city-dept", Some(root.id)).await;
        let street = add_agency(&db, "city-street", Some(root.id)).await;
        let sub = add_agency(&db, "city-dept-unit", Some(dept.id)).await;
        let other = add_agency(&db, "other", None).await;

        let got = agencies::by_code(&db, "city-dept").await.unwrap().unwrap();
        assert_eq!(got, dept);
        assert_eq!(agencies::by_id(&db, street.id).await.unwrap().unwrap().code.as_str(), "city-street");
        assert!(agencies::by_code(&db, "nope").await.unwrap().is_none());

        let mut subtree = agencies::subtree_ids(&db, root.id).await.unwrap();
        subtree.sort();
        assert_eq!(subtree, vec![root.id, dept.id, street.id, sub.id]);
        assert_eq!(agencies::subtree_ids(&db, dept.id).await.unwrap(), vec![dept.id, sub.id]);
        assert_eq!(agencies::subtree_ids(&db, other.id).await.unwrap(), vec![other.id]);

        let top: Vec<_> = agencies::children(&db, None).await.unwrap().into_iter().map(|a| a.id).collect();
        assert_eq!(top, vec![root.id, other.id]);
        assert_eq!(agencies::count(&db).await.unwrap(), 5);
    }
}

db_test! {
    async fn duplicate_code_is_a_conflict_and_bad_parent_a_constraint(db: Db) {
        add_agency(&db, "dup", None).await;
        let mut tx = db.begin().await.unwrap();
        let e = agencies::create(&mut tx, &new_agency("dup", None)).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
        drop(tx);

        let mut tx = db.begin().await.unwrap();
        let e = agencies::create(&mut tx, &new_agency("orphan", Some(999_999))).await.unwrap_err();
        assert!(matches!(e, StoreError::Constraint(_)), "{e:?}");
    }
}
