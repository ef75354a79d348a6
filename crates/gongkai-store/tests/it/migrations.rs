use gongkai_store::Db;
use gongkai_store::db_test;

#[test]
fn migration_version_lists_are_equal() {
    let (sqlite, postgres) = Db::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must list the same versions");
}

#[test]
fn migration_files_pair_up_by_name() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let names = |b: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{dir}/{b}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

db_test! {
    async fn migrating_twice_is_harmless(db: Db) {
        db.migrate().await.unwrap();
        db.migrate().await.unwrap();
        db.ping().await.unwrap();
    }
}
