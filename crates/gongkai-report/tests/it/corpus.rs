//! The real-world corpus (`tests/corpus/`): published reports as they were stored from their public pages,
//! with their tables transcribed by hand (`*.expected.json`). Every expected cell is compared; every cell
//! the stored text does not hold (the excerpt ends, the row is cut) must stay null: nothing is guessed.
//!
//! `GONGKAI_BENCH_WRITE=1 cargo test -p gongkai-report --test it corpus` also writes the read rate to
//! `bench/results/auditor-corpus.json`.

use std::path::Path;

use gongkai_domain::annual_report::{ApplicantColumn, T3Row, T4Column, T4Group};
use gongkai_report::SourceKind;
use gongkai_report::audit::audit_bytes;
use serde_json::{Value, json};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

/// Every cell path of the three tables, as in `gongkai.annual-report/v1` (`t3/（一）/自然人`).
fn all_cells() -> Vec<String> {
    let mut out = Vec::new();
    for name in ["规章", "行政规范性文件"] {
        for col in gongkai_domain::annual_report::T2Doc::COLUMNS {
            out.push(format!("t2/{name}/{col}"));
        }
    }
    for name in ["行政许可", "行政处罚", "行政强制", "行政事业性收费"] {
        out.push(format!("t2/{name}"));
    }
    for row in T3Row::ALL {
        for col in ApplicantColumn::ALL {
            out.push(format!("t3/{}/{}", row.key(), col.key()));
        }
    }
    for g in T4Group::ALL {
        for c in T4Column::ALL {
            out.push(format!("t4/{}/{}", g.key(), c.key()));
        }
    }
    out
}

fn cell<'a>(doc: &'a Value, path: &str) -> &'a Value {
    path.split('/').fold(&doc["tables"], |v, k| &v[k])
}

fn same(got: &Value, want: &Value) -> bool {
    match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => (g - w).abs() < 1e-9,
        _ => got.is_null() && want.is_null(),
    }
}

#[test]
fn the_real_world_corpus_is_read_cell_by_cell() {
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".expected.json").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    let (mut cells, mut cells_ok, mut fields, mut fields_ok) = (0usize, 0usize, 0usize, 0usize);
    let mut wrong: Vec<String> = Vec::new();
    let mut per_report = Vec::new();
    for name in &names {
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(Path::new(DIR).join(format!("{name}.expected.json"))).unwrap(),
        )
        .unwrap();
        let text = std::fs::read(Path::new(DIR).join(format!("{name}.txt"))).unwrap();
        let a = audit_bytes(&text, Some(SourceKind::Text)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = a.to_json();
        let expected = want["cells"].as_object().unwrap();
        let (mut n, mut ok) = (0, 0);
        for path in all_cells() {
            let got = cell(&doc, &path);
            match expected.get(&path) {
                Some(w) => {
                    n += 1;
                    if same(got, w) {
                        ok += 1;
                    } else {
                        wrong.push(format!("{name} {path}: read {got}, published {w}"));
                    }
                }
                // not in the stored text: must not be invented
                None if !got.is_null() => {
                    wrong.push(format!("{name} {path}: read {got}, but the stored text has no such cell"))
                }
                None => {}
            }
        }
        let (mut m, mut m_ok) = (0, 0);
        for (field, got) in [("agency", json!(a.report.agency)), ("year", json!(a.report.year))] {
            if let Some(w) = want.get(field) {
                m += 1;
                if &got == w {
                    m_ok += 1;
                } else {
                    wrong.push(format!("{name} {field}: read {got}, published {w}"));
                }
            }
        }
        per_report.push(json!({
            "report": name, "source": want["source"], "form": want["form"],
            "cells": n, "cells_read_correctly": ok, "title_fields": m, "title_fields_read_correctly": m_ok,
            "verdict": a.verdict().as_str(),
        }));
        cells += n;
        cells_ok += ok;
        fields += m;
        fields_ok += m_ok;
    }
    let rate = cells_ok as f64 / cells as f64;
    let result = json!({
        "benchmark": "auditor-corpus",
        "what": "share of the hand-transcribed cells of real published reports (tests/corpus, text as stored from their public pages) that the parser reads correctly; cells the stored text does not hold must stay null",
        "reports": names.len(),
        "cells": cells,
        "cells_read_correctly": cells_ok,
        "cell_read_rate": (rate * 10000.0).round() / 10000.0,
        "title_fields": fields,
        "title_fields_read_correctly": fields_ok,
        "per_report": per_report,
    });
    if std::env::var_os("GONGKAI_BENCH_WRITE").is_some() {
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/results/auditor-corpus.json");
        std::fs::write(out, serde_json::to_string_pretty(&result).unwrap() + "\n").unwrap();
    }
    assert!(wrong.is_empty(), "{} of {cells} cells read correctly:\n{}", cells_ok, wrong.join("\n"));
    assert_eq!(fields_ok, fields);
}
