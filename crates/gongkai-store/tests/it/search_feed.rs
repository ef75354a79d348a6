use gongkai_store::db_test;
use gongkai_store::search_feed;
use std::time::Duration;

db_test! {
    async fn the_feed_lists_changes_in_order_and_prunes_all_but_the_newest(db: Db) {
        assert_eq!(search_feed::latest(&db).await.unwrap(), 0);
        assert_eq!(search_feed::oldest(&db).await.unwrap(), None);
        let mut tx = db.begin().await.unwrap();
        let a = search_feed::record(&mut tx, 7).await.unwrap();
        let b = search_feed::record_all(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        // Rolled back: no row, and no id a follower could wait for.
        let mut tx = db.begin().await.unwrap();
        search_feed::record(&mut tx, 8).await.unwrap();
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        let c = search_feed::record(&mut tx, 9).await.unwrap();
        tx.commit().await.unwrap();
        assert!(a < b && b < c);

        let all = search_feed::since(&db, 0, 10).await.unwrap();
        let rows: Vec<(i64, Option<i64>)> = all.iter().map(|ch| (ch.id, ch.entry_id)).collect();
        assert_eq!(rows, vec![(a, Some(7)), (b, None), (c, Some(9))]);
        assert_eq!(search_feed::since(&db, a, 1).await.unwrap()[0].id, b, "after a position, at most the limit");
        assert_eq!(search_feed::latest(&db).await.unwrap(), c);
        assert_eq!(search_feed::oldest(&db).await.unwrap(), Some(a));
        assert!(search_feed::created_at(&db, a).await.unwrap().is_some());

        // Pruning everything older than a moment from now keeps the newest row: it carries the version.
        let later = gongkai_store::now() + time::Duration::minutes(1);
        assert_eq!(search_feed::prune(&db, later).await.unwrap(), 2);
        assert_eq!(search_feed::oldest(&db).await.unwrap(), Some(c));
        assert_eq!(search_feed::latest(&db).await.unwrap(), c);
    }
}

db_test! {
    async fn a_writer_waits_for_an_earlier_uncommitted_change_so_ids_appear_in_order(db: Db) {
        // Writer 1 records a change and keeps its transaction open.
        let mut first = db.begin().await.unwrap();
        let id1 = search_feed::record(&mut first, 1).await.unwrap();
        // Writer 2 must not get a later id that becomes visible before id1 (a follower would skip id1).
        let db2 = db.clone();
        let second = tokio::spawn(async move {
            let mut tx = db2.begin().await.unwrap();
            let id = search_feed::record(&mut tx, 2).await.unwrap();
            tx.commit().await.unwrap();
            id
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "the second writer waits for the first to commit");
        assert!(search_feed::since(&db, 0, 10).await.unwrap().is_empty(), "nothing is visible yet");
        first.commit().await.unwrap();
        let id2 = second.await.unwrap();
        assert!(id2 > id1);
        let seen: Vec<i64> = search_feed::since(&db, 0, 10).await.unwrap().iter().map(|c| c.id).collect();
        assert_eq!(seen, vec![id1, id2]);
    }
}
