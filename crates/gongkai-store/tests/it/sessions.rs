use gongkai_store::db_test;
use gongkai_store::sessions::{DbSessionStore, purge_expired};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::SessionStore;

fn record(expiry: OffsetDateTime) -> Record {
    let mut data = HashMap::new();
    data.insert("uid".to_owned(), serde_json::json!(42));
    data.insert("csrf".to_owned(), serde_json::json!("token-中文"));
    Record { id: Id::default(), data, expiry_date: expiry }
}

db_test! {
    async fn create_load_save_delete(db: Db) {
        let store = DbSessionStore::new(db.clone());
        let mut r = record(gongkai_store::now() + Duration::hours(1));
        store.create(&mut r).await.unwrap();
        let got = store.load(&r.id).await.unwrap().expect("stored session");
        assert_eq!(got.data, r.data);
        assert_eq!(got.expiry_date, r.expiry_date);

        r.data.insert("uid".into(), serde_json::json!(7));
        store.save(&r).await.unwrap();
        assert_eq!(store.load(&r.id).await.unwrap().unwrap().data["uid"], 7);

        store.delete(&r.id).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
    }
}

db_test! {
    async fn expired_sessions_are_not_loaded_and_are_purged(db: Db) {
        let store = DbSessionStore::new(db.clone());
        let mut old = record(gongkai_store::now() - Duration::minutes(1));
        let mut live = record(gongkai_store::now() + Duration::hours(1));
        store.create(&mut old).await.unwrap();
        store.create(&mut live).await.unwrap();
        assert!(store.load(&old.id).await.unwrap().is_none());
        assert_eq!(purge_expired(&db).await.unwrap(), 1);
        assert!(store.load(&live.id).await.unwrap().is_some());
    }
}

db_test! {
    async fn a_server_secret_is_created_once_and_kept(db: Db) {
        let first = gongkai_store::secrets::get_or_create(&db, "csrf", "first-value").await.unwrap();
        assert_eq!(first, "first-value");
        let again = gongkai_store::secrets::get_or_create(&db, "csrf", "second-value").await.unwrap();
        assert_eq!(again, "first-value", "the stored secret is kept");
        assert_eq!(gongkai_store::sessions::count(&db).await.unwrap(), 0);
    }
}
