//! Annual reports: the frozen report is stored as the `gongkai.annual-report/v1` JSON of docs/law/report-json.md (not
//! the Rust model's serde shape) and read back unchanged; anything else stored there is a clear error.

use crate::support::add_agency;
use gongkai_domain::annual_report::{
    AnnualReport, ApplicantColumn as C, ReportFormat, Sections, T2Doc, T3Row, T4Column, T4Group, Table3, Table4,
};
use gongkai_store::db_test;
use gongkai_store::reports::{self, ReportStatus, Step};
use gongkai_store::{Db, reports::ReportRecord};
use serde_json::Value;

fn sample() -> AnnualReport {
    let mut r = AnnualReport {
        agency: Some("测试局".into()),
        year: Some(2025),
        format: ReportFormat::V2021,
        t3: Table3::zeros(),
        t4: Table4::zeros(),
        sections: Sections {
            one: Some("总体情况\n第二段".into()), five: None, six: Some("本年度无收费。".into())
        },
        ..Default::default()
    };
    r.t2.rules = T2Doc { issued: Some(1), repealed: Some(0), in_force: Some(4) };
    r.t2.normative = T2Doc { issued: None, repealed: Some(2), in_force: Some(9) };
    r.t2.licensing = Some(12);
    r.t2.penalty = None;
    r.t2.coercion = Some(0);
    r.t2.fees = Some(1.25);
    r.t3.set(T3Row::New, C::NaturalPerson, Some(3));
    r.t3.set(T3Row::New, C::Total, Some(3));
    r.t3.set(T3Row::Disclosed, C::Business, None);
    r.t4.set(T4Group::Review, T4Column::Corrected, Some(1));
    r
}

async fn raw_snapshot(db: &Db, id: i64) -> Value {
    let text: String = match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT snapshot FROM annual_reports WHERE id = $1").bind(id).fetch_one(p).await.unwrap()
        }
        Db::Postgres(p) => sqlx::query_scalar("SELECT snapshot::text FROM annual_reports WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await
            .unwrap(),
    };
    serde_json::from_str(&text).unwrap()
}

async fn get(db: &Db, agency_id: i64) -> ReportRecord {
    reports::get(db, agency_id, 2025).await.unwrap().unwrap()
}

db_test! {
    async fn the_snapshot_is_stored_as_v1_json_and_read_back_unchanged(db: Db) {
        let a = add_agency(&db, "office", None).await;
        let mut tx = db.begin().await.unwrap();
        let id = reports::create(&mut tx, a.id, 2025, "一", "五", "六").await.unwrap();
        let report = sample();
        let step = Step { snapshot: Some(&report), submitted: true, ..Default::default() };
        reports::transition(&mut tx, id, ReportStatus::Draft, ReportStatus::Submitted, &step).await.unwrap();
        tx.commit().await.unwrap();

        // Stored in the spec's shape: schema, Chinese keys, blanks as null.
        let v = raw_snapshot(&db, id).await;
        assert_eq!(v["schema"], "gongkai.annual-report/v1");
        assert_eq!(v["agency"], "测试局");
        assert_eq!(v["year"], 2025);
        assert_eq!(v["format"], "2021");
        assert_eq!(v["tables"]["t2"]["规章"]["现行有效件数"], 4);
        assert_eq!(v["tables"]["t2"]["行政规范性文件"]["本年制发件数"], Value::Null);
        assert_eq!(v["tables"]["t2"]["行政处罚"], Value::Null);
        assert_eq!(v["tables"]["t2"]["行政事业性收费"], 1.25);
        assert_eq!(v["tables"]["t3"]["一"]["自然人"], 3);
        assert_eq!(v["tables"]["t3"]["（一）"]["商业企业"], Value::Null);
        assert_eq!(v["tables"]["t3"]["（一）"]["自然人"], 0);
        assert_eq!(v["tables"]["t4"]["行政复议"]["结果纠正"], 1);
        assert_eq!(v["sections"]["一"], "总体情况\n第二段");
        assert_eq!(v["sections"]["五"], Value::Null);
        assert!(v.get("t3").is_none(), "not the model's serde shape");

        // Read back equal, field by field.
        assert_eq!(get(&db, a.id).await.snapshot, Some(report.clone()));

        // A damaged snapshot, or one in the model's serde shape (never the stored format), is a clear error, not a
        // panic.
        for bad in [
            serde_json::to_value(&report).unwrap(),
            serde_json::json!({"schema": "gongkai.annual-report/v1", "tables": {}}),
        ] {
            let broken = sqlx::types::Json(bad);
            match &db {
                Db::Sqlite(p) => sqlx::query("UPDATE annual_reports SET snapshot = $1 WHERE id = $2")
                    .bind(broken)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ()),
                Db::Postgres(p) => sqlx::query("UPDATE annual_reports SET snapshot = $1 WHERE id = $2")
                    .bind(broken)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ()),
            }
            .unwrap();
            let err = reports::get(&db, a.id, 2025).await.unwrap_err();
            assert!(err.to_string().contains("冻结版本无法读取"), "{err}");
        }
    }
}
