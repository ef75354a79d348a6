//! `gongkai evaluation score` on the demo data: the city's 2026 third-party scheme over its seven agencies, with
//! the demo's manual scores (`crates/gongkai-app/src/evaluation/demo.rs`); loading the demo twice adds nothing.

use super::cli::{cli_test, gongkai, temp_dir};
use serde_json::Value;

cli_test! {
    fn the_demo_scheme_scores_the_city_s_agencies(db) {
        let dir = temp_dir();
        for _ in 0..2 {
            let out = gongkai(&dir, db.as_deref(), &["demo"]);
            assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
        }
        let out = gongkai(&dir, db.as_deref(), &["evaluation", "score", "--agency", "yima", "--year", "2026", "--json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["evaluator"], "third_party");
        assert_eq!(v["indicators"].as_array().unwrap().len(), 11);
        let units = v["units"].as_array().unwrap();
        assert_eq!(units.len(), 7);
        let office = units.iter().find(|u| u["agency"] == "yima-office").unwrap();
        let score = |code: &str| office["scores"].as_array().unwrap().iter().find(|s| s["indicator"] == code).unwrap().clone();
        assert_eq!((score("A02")["points"].as_f64(), score("A02")["scored"].as_bool()), (Some(9.0), Some(true)));
        assert_eq!(score("A08")["points"].as_f64(), Some(8.5));
        assert_eq!(score("A04")["scored"], false);
        // Eight manual indicators, three scored for the office.
        assert_eq!(office["pending"], 5);
        // Ranks start at 1 and follow the totals.
        let mut ranked: Vec<(u64, f64)> =
            units.iter().map(|u| (u["rank"].as_u64().unwrap(), u["total"].as_f64().unwrap())).collect();
        ranked.sort_by_key(|r| r.0);
        assert_eq!(ranked[0].0, 1);
        assert!(ranked.windows(2).all(|w| w[0].1 >= w[1].1), "{ranked:?}");

        let out = gongkai(&dir, db.as_deref(), &["evaluation", "score", "--agency", "yima", "--year", "2025"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("没有2025年度考核方案"));
    }
}
