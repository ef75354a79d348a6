//! Validity changes when a date passes, with nobody acting: the daily `catalog.revalidate` job re-indexes the
//! documents concerned so that the search's 有效性 facet stays true.
//!
//! Demo documents (see demo_content.rs): 义教〔2023〕8号 in force from 2023-05-01; 义卫〔2022〕15号 in force
//! 2022-07-01 to 2027-06-30; 义自然资〔2023〕3号 2023-04-01 to 2028-03-31; 义教〔2021〕12号 repealed.

use crate::support::TestApp;
use time::macros::date;

#[tokio::test]
async fn documents_are_reindexed_when_their_validity_changes_because_a_date_passed() {
    TestApp::each(async |t| {
        // Indexed on 20 April 2023: the 2023 education measures are not in force yet.
        t.app.set_today(Some(date!(2023 - 04 - 20)));
        t.app.load_demo_content().await.unwrap();
        t.run_jobs().await;
        let (_, html) = t.get_text("/search?q=校外培训机构").await;
        assert!(html.contains("尚未生效</a> (1)") && html.contains("已废止</a> (1)"), "{html}");
        assert!(!html.contains("现行有效</a>"));
        assert_eq!(t.app.reindex_changed_validity().await.unwrap(), 0, "nothing changed yet");

        // 1 May 2023, the 实施日期: 尚未生效 → 现行有效, and only that document changed.
        t.app.set_today(Some(date!(2023 - 05 - 01)));
        assert_eq!(t.app.reindex_changed_validity().await.unwrap(), 1);
        // Recorded in the change feed; each node's follower applies it (here, as the server's would).
        t.app.sync_search().await.unwrap();
        let (_, html) = t.get_text("/search?q=校外培训机构").await;
        assert!(html.contains("现行有效</a> (1)") && !html.contains("尚未生效"), "{html}");

        // 30 June 2027 is the health measures' last day in force; on 1 July they have lapsed. Through the job
        // queue, as the server runs it each day.
        t.app.set_today(Some(date!(2027 - 06 - 30)));
        t.app.enqueue(gongkai_app::catalog::REVALIDATE, serde_json::json!({})).await.unwrap();
        assert_eq!(t.run_jobs().await, 1);
        assert!(t.get_text("/search?q=绩效考核").await.1.contains("现行有效</a> (1)"));
        t.app.set_today(Some(date!(2027 - 07 - 01)));
        let (_, stale) = t.get_text("/search?q=绩效考核").await;
        assert!(stale.contains("现行有效</a> (1)"), "the index still holds the old validity until the job runs");
        t.app.enqueue(gongkai_app::catalog::REVALIDATE, serde_json::json!({})).await.unwrap();
        t.run_jobs().await;
        let (_, html) = t.get_text("/search?q=绩效考核").await;
        assert!(html.contains("已失效</a> (1)") && !html.contains("现行有效</a>"), "{html}");
        // Filtering by 已失效 finds it.
        let (_, html) = t.get_text(&format!("/search?q=绩效考核&validity={}", "%E5%B7%B2%E5%A4%B1%E6%95%88")).await;
        assert!(html.contains("找到 1 条结果"), "{html}");
        assert_eq!(t.app.reindex_changed_validity().await.unwrap(), 0);
    })
    .await;
}
