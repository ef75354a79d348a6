use super::*;
use std::collections::HashMap;

#[test]
fn doc_numbers_in_any_brackets_have_one_normal_form() {
    for typed in
        ["义教[2023]8号", "义教【2023】8号", "义教(2023)8号", "义教（2023）8号", "义教 〔2023〕 8号", "义教［2023］8号"]
    {
        assert_eq!(doc_no_key(typed), "义教〔2023〕8号", "{typed}");
    }
    // Brackets that do not hold a four-digit year are left alone.
    assert_eq!(doc_no_key("关于(试行)的通知"), "关于(试行)的通知");
    assert_eq!(doc_no_key("[202]"), "[202]");
    assert_eq!(doc_no_key("【2023"), "【2023");
    assert_eq!(doc_no_key(""), "");
}

/// The recall set: what people type, and the item each must find first.
#[test]
fn recall_of_what_people_type() {
    let i = SearchIndex::in_memory().unwrap();
    i.rebuild([
        doc(1, "edu", "关于做好2023年义务教育招生工作的通知", "招生工作安排。", "义教〔2023〕8号", "通知", 2023),
        doc(2, "edu", "关于印发学校安全管理办法的通知", "安全管理。", "义教〔2023〕9号", "通知", 2023),
        doc(3, "office", "义马市2023年防汛应急预案", "做好防汛准备。", "义政办〔2023〕2号", "预案", 2023),
        // Stored with ASCII brackets by whoever typed it in: found by the normal form too.
        doc(4, "office", "关于调整议事协调机构的通知", "机构调整。", "义政办[2022]15号", "通知", 2022),
    ])
    .unwrap();
    let cases: &[(&str, u64)] = &[
        ("义教〔2023〕8号", 1),
        ("义教[2023]8号", 1),
        ("义教【2023】8号", 1),
        ("义教(2023)8号", 1),
        ("义教（2023）8号", 1),
        ("义教〔2023〕9号", 2),
        ("x/2023-00003", 3),
        ("义政办〔2022〕15号", 4),
        ("义政办[2022]15号", 4),
        ("防汛应急预案", 3),
        ("义务教育招生", 1),
        ("议事协调机构", 4),
    ];
    for (typed, want) in cases {
        let r = i.search(&q(typed)).unwrap();
        assert_eq!(
            r.hits.first().map(|h| h.doc.id),
            Some(*want),
            "{typed}: {:?}",
            r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>()
        );
    }
    // The 文号 is shown as it was written.
    assert_eq!(i.search(&q("义政办〔2022〕15号")).unwrap().hits[0].doc.doc_no, "义政办[2022]15号");
}

fn doc(id: u64, agency: &str, title: &str, body: &str, doc_no: &str, genre: &str, year: u64) -> SearchDoc {
    SearchDoc {
        id,
        agency_code: agency.into(),
        agency_name: format!("{agency}机构"),
        column_slug: "tzgg".into(),
        column_name: "通知公告".into(),
        title: title.into(),
        body_text: body.into(),
        doc_no: doc_no.into(),
        index_no: format!("x/2023-{id:05}"),
        genre: genre.into(),
        topic: "综合政务".into(),
        validity: if genre == "通知" { "现行有效".into() } else { String::new() },
        year,
        published: "2023年5月6日".into(),
    }
}

fn q(text: &str) -> SearchQuery {
    SearchQuery { text: text.into(), limit: 10, ..Default::default() }
}

fn index() -> SearchIndex {
    let i = SearchIndex::in_memory().unwrap();
    i.rebuild([
        doc(
            1,
            "a",
            "关于做好政府信息公开工作的通知",
            "各单位要认真落实政府信息公开条例。",
            "义政办〔2023〕1号",
            "通知",
            2023,
        ),
        doc(2, "b", "义马市2023年防汛应急预案", "做好防汛准备，确保安全度汛。", "义政办〔2023〕2号", "预案", 2023),
        doc(3, "a", "关于公布行政事业性收费目录的公告", "收费项目目录见附件。政府信息公开。", "", "公告", 2024),
    ])
    .unwrap();
    i
}

#[test]
fn changes_apply_with_their_feed_position_and_survive_a_reopen() {
    let dir = std::env::temp_dir().join(format!("gongkai-search-feed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let i = SearchIndex::open(&dir).unwrap();
        assert_eq!(i.position().unwrap(), None, "a new index has followed nothing");
        i.rebuild_at([doc(1, "a", "防汛通知", "防汛", "", "通知", 2023)], Some(4)).unwrap();
        assert_eq!(i.position().unwrap(), Some(4));
        i.apply(
            vec![Change::Upsert(Box::new(doc(2, "a", "防汛预案", "防汛", "", "预案", 2023))), Change::Remove(1)],
            7,
        )
        .unwrap();
        assert_eq!(i.position().unwrap(), Some(7));
        let ids: Vec<u64> = i.search(&q("防汛")).unwrap().hits.iter().map(|h| h.doc.id).collect();
        assert_eq!(ids, vec![2]);
    }
    let reopened = SearchIndex::open(&dir).unwrap();
    assert_eq!(reopened.position().unwrap(), Some(7), "the position is committed with the index");
    assert_eq!(reopened.num_docs(), 1);
    // A plain rebuild (no feed) records no position.
    reopened.rebuild([doc(3, "a", "x", "y", "", "通知", 2023)]).unwrap();
    assert_eq!(reopened.position().unwrap(), None);
    drop(reopened);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn chinese_words_match_and_are_highlighted() {
    let i = index();
    let r = i.search(&q("政府信息公开")).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.hits[0].doc.id, 1, "the title match ranks first");
    assert!(r.hits[0].title_html.contains("<mark>"), "{}", r.hits[0].title_html);
    assert!(r.hits[1].snippet_html.contains("<mark>"), "{}", r.hits[1].snippet_html);
    assert_eq!(r.years, vec![(2024, 1), (2023, 1)]);
    assert!(i.search(&q("防汛")).unwrap().hits.iter().any(|h| h.doc.id == 2));
    assert_eq!(i.search(&q("   ")).unwrap().total, 0);
}

#[test]
fn filters_and_exact_doc_no() {
    let i = index();
    let mut query = q("政府信息公开");
    query.agency = Some("a".into());
    query.year = Some(2024);
    let r = i.search(&query).unwrap();
    assert_eq!(r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>(), vec![3]);
    assert_eq!(r.years.len(), 2, "facets ignore the year filter");
    query.year = None;
    query.genre = Some("通知".into());
    assert_eq!(i.search(&query).unwrap().total, 1);
    query.genre = None;
    query.validity = Some("现行有效".into());
    let r = i.search(&query).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.validities, vec![("现行有效".to_owned(), 1)]);
    assert_eq!(r.topics, vec![("综合政务".to_owned(), 2)]);
    let r = i.search(&q("义政办〔2023〕2号")).unwrap();
    assert_eq!(r.hits[0].doc.id, 2);
}

#[test]
fn upsert_and_remove_are_visible_at_once() {
    let i = index();
    i.upsert(&doc(2, "b", "防汛预案（修订）", "更新。", "", "预案", 2023)).unwrap();
    assert_eq!(i.num_docs(), 3);
    assert_eq!(i.search(&q("修订")).unwrap().total, 1);
    i.remove(2).unwrap();
    assert_eq!(i.search(&q("防汛")).unwrap().total, 0);
    assert_eq!(i.num_docs(), 2);
}

#[test]
fn several_words_in_long_bodies_do_not_break_snippets() {
    let i = SearchIndex::in_memory().unwrap();
    let body = "为进一步做好行政处罚工作，推进乡村振兴，各单位要加强财政预算。".repeat(20);
    i.rebuild([doc(1, "a", "关于做好安全生产和乡村振兴工作的通知", &body, "", "通知", 2023)]).unwrap();
    for text in ["乡村振兴 财政预算", "行政处罚 乡村振兴", "财政预算 行政处罚 安全生产"] {
        let r = i.search(&q(text)).unwrap();
        assert!(
            r.hits
                .iter()
                .all(|h| h.snippet_html.matches("<mark>").count() == h.snippet_html.matches("</mark>").count())
        );
    }
}

#[test]
fn markup_in_documents_is_escaped_in_results() {
    let i = index();
    i.upsert(&doc(9, "a", "<script>alert(1)</script>公开", "<img src=x onerror=alert(1)>公开", "", "", 2023)).unwrap();
    let r = i.search(&q("公开")).unwrap();
    let h = r.hits.iter().find(|h| h.doc.id == 9).unwrap();
    assert!(!h.title_html.contains("<script"), "{}", h.title_html);
    assert!(!h.snippet_html.contains("<img"), "{}", h.snippet_html);
}

/// 3 000 matches (more than the 2 000 stored documents the counts once looked at), in several segments and with
/// deletions: every facet count equals the count of the documents themselves, with the agency scope and with
/// each filter.
#[test]
fn facet_counts_are_exact_over_all_matches() {
    let agencies = ["a", "b", "c", "d", "e", "f", "g"];
    let genres = ["通知", "公告", "意见", "办法", ""];
    let topics = ["综合政务", "卫生、体育", "教育"];
    let validities = ["现行有效", "已废止", ""];
    let make = |id: u64| {
        let k = id as usize;
        let mut d =
            doc(id, agencies[k % 7], "关于政府信息公开的通知", "政府信息公开。", "", "", 2018 + (k * 7 % 9) as u64);
        // Agency "g" changed its name half way: counted per (code, name), as shown.
        if d.agency_code == "g" && id > 1500 {
            d.agency_name = "g新机构".into();
        }
        d.genre = genres[k * 3 % 5].into();
        d.topic = topics[k / 11 % 3].into();
        d.validity = validities[k / 7 % 3].into();
        // Not a match of the words.
        if id % 10 == 9 {
            d.title = "防汛应急预案".into();
            d.body_text = "做好防汛准备。".into();
        }
        d
    };
    let i = SearchIndex::in_memory().unwrap();
    i.rebuild((0..2500).map(make)).unwrap();
    // A second and third segment, and deletions in the first.
    i.apply((2500..3300).map(|id| Change::Upsert(Box::new(make(id)))).collect(), 1).unwrap();
    i.apply((0..100).map(|id| Change::Remove(id * 3)).collect(), 2).unwrap();
    i.upsert(&make(3300)).unwrap();
    let live: Vec<SearchDoc> =
        (0..=3300).filter(|id| !(id % 3 == 0 && *id < 300)).map(make).filter(|d| d.id % 10 != 9).collect();
    assert!(live.len() > 2_800, "{}", live.len());

    let expect = |docs: &[&SearchDoc]| {
        let mut agencies = HashMap::new();
        let mut years = HashMap::new();
        let mut labels: [HashMap<String, usize>; 3] = Default::default();
        for d in docs {
            *agencies.entry((d.agency_code.clone(), d.agency_name.clone())).or_insert(0) += 1;
            *years.entry(d.year).or_insert(0) += 1;
            for (m, v) in labels.iter_mut().zip([&d.genre, &d.topic, &d.validity]) {
                if !v.is_empty() {
                    *m.entry(v.clone()).or_insert(0) += 1;
                }
            }
        }
        let mut agencies: Vec<_> = agencies.into_iter().map(|((c, n), k)| (c, n, k)).collect();
        agencies.sort_by(|a, b| b.2.cmp(&a.2).then((&a.0, &a.1).cmp(&(&b.0, &b.1))));
        let mut years: Vec<_> = years.into_iter().collect();
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
        let labels = labels.map(|m| {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        });
        (agencies, years, labels)
    };
    let check = |r: &SearchResults, docs: &[&SearchDoc]| {
        let (agencies, years, [genres, topics, validities]) = expect(docs);
        assert_eq!(r.agencies, agencies);
        assert_eq!(r.years, years);
        assert_eq!(r.genres, genres);
        assert_eq!(r.topics, topics);
        assert_eq!(r.validities, validities);
    };

    let all: Vec<&SearchDoc> = live.iter().collect();
    let r = i.search(&q("政府信息公开")).unwrap();
    assert_eq!(r.total, all.len());
    assert!(r.agencies.iter().any(|a| a.1 == "g新机构") && r.agencies.iter().any(|a| a.1 == "g机构"));
    check(&r, &all);

    // The agency scope narrows the facets too.
    let scoped: Vec<&SearchDoc> = live.iter().filter(|d| d.agency_code == "c").collect();
    let mut query = q("政府信息公开");
    query.agency = Some("c".into());
    let r = i.search(&query).unwrap();
    assert_eq!(r.total, scoped.len());
    check(&r, &scoped);

    // The other filters narrow the results and the total, not the facets.
    for (year, genre, topic, validity) in [
        (Some(2020), None, None, None),
        (None, Some("公告"), None, None),
        (None, None, Some("教育"), Some("已废止")),
        (None, Some("不存在"), None, None),
        (Some(2020), Some("意见"), Some("综合政务"), Some("现行有效")),
    ] {
        let mut query = q("政府信息公开");
        query.agency = Some("c".into());
        query.limit = 100;
        query.year = year;
        query.genre = genre.map(Into::into);
        query.topic = topic.map(Into::into);
        query.validity = validity.map(Into::into);
        let want: Vec<&SearchDoc> = scoped
            .iter()
            .copied()
            .filter(|d| {
                year.is_none_or(|y| d.year == y)
                    && genre.is_none_or(|g| d.genre == g)
                    && topic.is_none_or(|t| d.topic == t)
                    && validity.is_none_or(|v| d.validity == v)
            })
            .collect();
        let r = i.search(&query).unwrap();
        assert_eq!(r.total, want.len(), "{query:?}");
        assert_eq!(r.hits.len(), want.len().min(100), "{query:?}");
        assert!(r.hits.iter().all(|h| want.iter().any(|d| d.id == h.doc.id)), "{query:?}");
        check(&r, &scoped);
    }
}

/// An index written by an earlier version (another schema: no fast fields) opens as a new, empty index that
/// has followed no change feed, so the app rebuilds it; an index of this version is kept as it is.
#[test]
fn an_index_of_another_schema_is_emptied_to_be_rebuilt() {
    use tantivy::schema::{FAST, INDEXED, STORED, STRING, TEXT};
    let dir = std::env::temp_dir().join(format!("gongkai-search-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    {
        let mut b = tantivy::schema::Schema::builder();
        let id = b.add_u64_field("id", INDEXED | STORED | FAST);
        let title = b.add_text_field("title", TEXT | STORED);
        b.add_text_field("genre", STRING | STORED);
        let old = Index::create_in_dir(&dir, b.build()).unwrap();
        let mut w: IndexWriter = old.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut d = TantivyDocument::default();
        d.add_u64(id, 1);
        d.add_text(title, "old");
        w.add_document(d).unwrap();
        let mut c = w.prepare_commit().unwrap();
        c.set_payload("feed:9");
        c.commit().unwrap();
    }
    assert!(SearchIndex::open(&dir).is_ok_and(|i| i.position().unwrap().is_none() && i.num_docs() == 0));

    // Same schema but no version file (or another version): emptied too.
    {
        let i = SearchIndex::open(&dir).unwrap();
        i.rebuild_at([doc(1, "a", "防汛通知", "防汛", "", "通知", 2023)], Some(4)).unwrap();
    }
    std::fs::write(dir.join(VERSION_FILE), "1\n").unwrap();
    assert_eq!(SearchIndex::open(&dir).unwrap().position().unwrap(), None);

    // This version's index is kept.
    {
        let i = SearchIndex::open(&dir).unwrap();
        i.rebuild_at([doc(1, "a", "防汛通知", "防汛", "", "通知", 2023)], Some(5)).unwrap();
    }
    let i = SearchIndex::open(&dir).unwrap();
    assert_eq!(i.position().unwrap(), Some(5));
    assert_eq!(i.search(&q("防汛")).unwrap().total, 1);
    drop(i);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The title-first top k (see `plan`) is the top k of scoring every match: same hits in the same order, same
/// totals and facets, over one- and two-word queries with and without scope, filters and paging; and the test
/// corpus makes both outcomes of the plan happen (certain, and scored in full after all).
#[test]
fn title_first_top_k_equals_scoring_every_match() {
    const WORDS: &[&str] =
        &["安全", "生产", "教育", "卫生", "财政", "预算", "环境", "交通", "水利", "农业", "城市", "文化"];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    // Skewed: the first words are in most bodies.
    let mut word = move || WORDS[next(WORDS.len()).min(next(WORDS.len()))];
    let docs: Vec<SearchDoc> = (0..2500u64)
        .map(|id| {
            // Some words stand next to each other, so that words of several tokens match (by their pairs).
            let title = match id % 2 {
                0 => format!("关于{}和{}工作的通知", word(), word()),
                _ => format!("关于{}{}{}工作的通知", word(), word(), word()),
            };
            let body: String = (0..20)
                .map(|k| match k % 3 {
                    0 => format!("{}{}，", word(), word()),
                    _ => format!("{}，", word()),
                })
                .collect();
            let mut d = doc(id, ["a", "b", "c"][id as usize % 3], &title, &body, "", "通知", 2020 + id % 4);
            d.genre = ["通知", "公告"][id as usize % 2].into();
            d
        })
        .collect();
    // A word only in long titles (candidates that score little) and in short bodies that repeat it (no title
    // match, the best scores): the plan must not stop at the candidates.
    let long_title = |w: &str| format!("关于{w}{}的通知", "安全生产教育卫生财政预算".repeat(5));
    let special = (0..60u64).map(|k| {
        let (title, body) = match k % 2 {
            0 => (long_title("旅游"), "安全。".to_owned()),
            _ => ("关于安全的通知".to_owned(), "旅游，".repeat(30)),
        };
        doc(10_000 + k, "a", &title, &body, "", "通知", 2022)
    });
    for word in ["教育卫生", "卫生财政", "财政预算环境", "交通水利", "环境交通", "安全生产教育"]
    {
        assert!(crate::words::tokens(word).len() >= 2, "{word}: {:?}", crate::words::tokens(word));
    }
    let i = SearchIndex::in_memory().unwrap();
    i.rebuild(docs.into_iter().chain(special)).unwrap();
    // Deleted documents are neither counted nor returned.
    i.apply((0..2500).step_by(7).map(Change::Remove).chain([Change::Remove(10_001)]).collect(), 1).unwrap();
    let mut seen = HashMap::new();
    let mut matched = 0;
    let (mut long_matched, mut long_title_first) = (0, 0);
    for (n, text) in [
        "安全",
        "生产",
        "文化",
        "水利",
        "旅游",
        "安全 生产",
        "生产 教育",
        "文化 水利",
        "安全 安全",
        "旅游 安全",
        "x/2023-00007",
        // Words of several tokens (checked below): matched by their pairs.
        "教育卫生",
        "卫生财政",
        "财政预算环境",
        "交通水利 安全",
        "环境交通 文化",
        "安全生产教育 卫生财政",
    ]
    .iter()
    .enumerate()
    {
        for (agency, year, genre, offset) in [
            (None, None, None, 0),
            (Some("b"), None, None, 0),
            (None, Some(2021), Some("公告"), 0),
            (None, None, None, 20),
        ] {
            let mut query = q(text);
            query.agency = agency.map(Into::into);
            query.year = year;
            query.genre = genre.map(Into::into);
            query.offset = offset;
            query.limit = 10 + n;
            let (fast, how) = i.search_with(&query, true).unwrap();
            let (full, all) = i.search_with(&query, false).unwrap();
            assert_eq!(all, TopK::AllScored);
            *seen.entry(how).or_insert(0) += 1;
            let ids = |r: &SearchResults| r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>();
            assert_eq!(ids(&fast), ids(&full), "{query:?} ({how:?})");
            matched += usize::from(full.total > 0);
            if text.split_whitespace().any(|w| crate::words::tokens(w).len() > 1) {
                long_matched += usize::from(full.total > 0);
                long_title_first += usize::from(how == TopK::TitleFirst);
            }
            assert_eq!(fast.total, full.total, "{query:?}");
            assert_eq!(
                (&fast.agencies, &fast.years, &fast.genres),
                (&full.agencies, &full.years, &full.genres),
                "{query:?}"
            );
        }
    }
    assert!(matched > 30, "{matched}");
    assert!(long_matched > 10 && long_title_first > 3, "{long_matched} {long_title_first}");
    assert!(seen.get(&TopK::TitleFirst).is_some_and(|n| *n > 5), "{seen:?}");
    assert!(seen.contains_key(&TopK::Fallback), "{seen:?}");
}

#[test]
fn snippets_mark_the_query_tokens_in_the_best_fragment() {
    let tokens = ["政府".to_owned(), "信息公开".to_owned()];
    // Only the second half holds both tokens: the fragment starts at its first token.
    let text = format!("{}政府<b>的</b>信息公开。", "无关内容，".repeat(40));
    let s = text::snippet(&text, &tokens, 20).unwrap();
    assert_eq!(s, "<mark>政府</mark>&lt;b&gt;的&lt;/b&gt;<mark>信息公开</mark>。");
    // At most max_chars characters (the marks aside).
    let long = "政府".repeat(50);
    let s = text::snippet(&long, &tokens, 7).unwrap();
    assert_eq!(s.replace("<mark>", "").replace("</mark>", "").chars().count(), 7, "{s}");
    assert_eq!(text::snippet("没有这些词。", &tokens, 20), None);
    assert_eq!(text::snippet("", &tokens, 20), None);
    assert_eq!(text::snippet("政府", &[String::new()], 20), None);
}

#[test]
fn a_rebuild_whose_source_fails_leaves_the_index_as_it_was() {
    let i = index();
    let before = i.num_docs();
    let docs = vec![Ok(doc(7, "a", "新的", "新的。", "", "通知", 2024)), Err("读取失败".to_owned())];
    let err = i.rebuild_from(docs, Some(9)).unwrap_err();
    assert!(err.to_string().contains("读取失败"), "{err}");
    assert_eq!(i.num_docs(), before);
    assert_eq!(i.search(&q("政府信息公开")).unwrap().total, 2);
    assert_eq!(i.search(&q("新的")).unwrap().total, 0);
    // The writer still works.
    assert_eq!(i.rebuild_from(vec![Ok(doc(7, "a", "新的", "新的。", "", "通知", 2024))], Some(9)).unwrap(), 1);
    assert_eq!(i.search(&q("新的")).unwrap().total, 1);
    assert_eq!(i.position().unwrap(), Some(9));
}
