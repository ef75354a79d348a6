use gongkai_store::db_test;
use gongkai_store::jobs;
use serde_json::json;
use time::Duration;

db_test! {
    async fn enqueue_claim_complete(db: Db) {
        let mut tx = db.begin().await.unwrap();
        let a = jobs::enqueue(&mut tx, "index", &json!({"doc": 1}), None).await.unwrap();
        let b = jobs::enqueue(&mut tx, "index", &json!({"doc": 2}), None).await.unwrap();
        let later =
            jobs::enqueue(&mut tx, "mail", &json!({}), Some(gongkai_store::now() + Duration::hours(1))).await.unwrap();
        tx.commit().await.unwrap();

        let j1 = jobs::claim(&db, Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!((j1.id, j1.attempts, j1.status.as_str()), (a, 1, jobs::RUNNING));
        assert_eq!(j1.payload.0["doc"], 1);
        let j2 = jobs::claim(&db, Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!(j2.id, b);
        // The future job is not due, the running ones are leased: nothing to claim.
        assert!(jobs::claim(&db, Duration::minutes(5)).await.unwrap().is_none());

        jobs::complete(&db, a).await.unwrap();
        assert_eq!(jobs::by_id(&db, a).await.unwrap().unwrap().status, jobs::DONE);
        assert_eq!(jobs::by_id(&db, later).await.unwrap().unwrap().status, jobs::QUEUED);
    }
}

db_test! {
    async fn uncommitted_jobs_do_not_exist(db: Db) {
        let mut tx = db.begin().await.unwrap();
        jobs::enqueue(&mut tx, "index", &json!({}), None).await.unwrap();
        drop(tx);
        assert!(jobs::claim(&db, Duration::minutes(5)).await.unwrap().is_none());
    }
}

db_test! {
    async fn expired_lease_is_claimed_again_and_failures_retry_then_give_up(db: Db) {
        let mut tx = db.begin().await.unwrap();
        let id = jobs::enqueue(&mut tx, "flaky", &json!({}), None).await.unwrap();
        tx.commit().await.unwrap();

        // A worker claims with a lease that has already run out (it "died"): the job is claimable again.
        let j = jobs::claim(&db, Duration::seconds(-1)).await.unwrap().unwrap();
        assert_eq!(j.id, id);
        let j = jobs::claim(&db, Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!((j.id, j.attempts), (id, 2));

        // A failure re-queues it for later, with the error kept.
        jobs::fail(&db, &j, "boom").await.unwrap();
        let stored = jobs::by_id(&db, id).await.unwrap().unwrap();
        assert_eq!(stored.status, jobs::QUEUED);
        assert_eq!(stored.last_error.as_deref(), Some("boom"));
        assert!(stored.run_at > gongkai_store::now());

        // At max_attempts it is marked failed.
        let exhausted = jobs::Job { attempts: stored.max_attempts, ..stored };
        jobs::fail(&db, &exhausted, "still boom").await.unwrap();
        assert_eq!(jobs::by_id(&db, id).await.unwrap().unwrap().status, jobs::FAILED);
        let counts = jobs::counts(&db).await.unwrap();
        assert_eq!(counts, vec![(jobs::FAILED.to_owned(), 1)]);
    }
}
