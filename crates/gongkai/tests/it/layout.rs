//! The shape of the repository that docs/ARCHITECTURE.md promises: small source files, no file-level import
//! cycles in the web and app crates, the web crate kept off the store, and no reference to material outside the
//! repository. These read the source tree as text; they build nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 800;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let root = repo_root();
    let mut long = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).expect("crates/") {
        let src = krate.expect("entry").path().join("src");
        if !src.is_dir() {
            continue;
        }
        for f in rust_files(&src) {
            let n = std::fs::read_to_string(&f).expect("read source").lines().count();
            if n > MAX_LINES {
                long.push(format!("{} ({n} lines)", f.strip_prefix(&root).unwrap_or(&f).display()));
            }
        }
    }
    assert!(long.is_empty(), "source files over {MAX_LINES} lines: {long:#?}");
}

// ---- file-level import cycles ----

/// The source with comments, string and char literals blanked out, so that only code is scanned.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r' && (b[i + 1..].starts_with(b"\"") || b[i + 1..].starts_with(b"#")) && {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            b.get(i + 1 + hashes) == Some(&b'"')
        } {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            i += 2 + hashes;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3; // 'x'
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            i += 2;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
        } else {
            let c = src[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads `a::b::{c, d::e}` at `s`: every full path it names (as segments, appended to `prefix`).
fn read_paths(s: &str, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix.to_vec();
    let mut i = 0;
    let chars: Vec<char> = s.chars().collect();
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '{' {
            i += 1;
            loop {
                let rest: String = chars[i..].iter().collect();
                i += read_paths(&rest, &path, out);
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                match chars.get(i) {
                    Some(',') => i += 1,
                    Some('}') => return i + 1,
                    _ => return i,
                }
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                if chars.get(i) == Some(&'}') {
                    return i + 1;
                }
            }
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if i == start {
            out.push(path);
            return i;
        }
        path.push(chars[start..i].iter().collect());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            out.push(path);
            return i;
        }
    }
}

/// Module path of a source file below `src` (`lib.rs` → [], `a/mod.rs` and `a.rs` → [a], `a/b.rs` → [a, b]).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("below src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    match last.as_str() {
        "lib.rs" | "main.rs" | "mod.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_owned()),
    }
    parts
}

/// File-level dependency edges of one crate: file → files whose items it names (`crate::…`, `super::…`,
/// `self::…`). The crate root is left out: every module may use what the root defines.
fn file_edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = rust_files(src);
    let modules: BTreeMap<Vec<String>, String> =
        files.iter().map(|f| (module_path(src, f), f.strip_prefix(src).unwrap().display().to_string())).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let me = module_path(src, f);
        let my_file = modules[&me].clone();
        let code = code_only(&std::fs::read_to_string(f).expect("read source"));
        let mut paths = Vec::new();
        for (kw, base) in
            [("crate::", Vec::new()), ("super::", me[..me.len().saturating_sub(1)].to_vec()), ("self::", me.clone())]
        {
            for (at, _) in code.match_indices(kw) {
                if at > 0 && code[..at].chars().next_back().is_some_and(is_ident) {
                    continue;
                }
                read_paths(&code[at + kw.len()..], &base, &mut paths);
            }
        }
        // A child module named without a prefix (`part::go()` in `feature/mod.rs`).
        for child in modules.keys().filter(|m| m.len() == me.len() + 1 && m.starts_with(&me)) {
            let name = format!("{}::", child[me.len()]);
            for (at, _) in code.match_indices(&name) {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| is_ident(c) || c == ':') {
                    continue;
                }
                read_paths(&code[at..], &me, &mut paths);
            }
        }
        for raw in paths {
            let mut p: Vec<String> = Vec::new();
            for seg in raw {
                match seg.as_str() {
                    "super" => {
                        p.pop();
                    }
                    "self" => {}
                    _ => p.push(seg),
                }
            }
            let target = (0..=p.len()).rev().find_map(|n| modules.get(&p[..n]).filter(|_| n > 0));
            if let Some(t) = target
                && *t != my_file
            {
                edges.entry(my_file.clone()).or_default().insert(t.clone());
            }
        }
        edges.entry(my_file).or_default();
    }
    edges
}

/// The groups of files that reach each other (strongly connected components larger than one file).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = edges.keys().map(|k| (k, reach(k))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for a in edges.keys() {
        if done.contains(a) || !reaches[a].contains(a) {
            continue;
        }
        let group: Vec<String> =
            edges.keys().filter(|b| reaches[a].contains(*b) && reaches[*b].contains(a)).cloned().collect();
        done.extend(group.iter().cloned());
        out.push(group);
    }
    out
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let dir = std::env::temp_dir().join(format!("gk_layout_{}", std::process::id()));
    std::fs::create_dir_all(dir.join("feature")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a; mod b; mod feature;").unwrap();
    std::fs::write(dir.join("a.rs"), "use crate::{b::{self, Thing}, x};\n// crate::c is a comment\n").unwrap();
    std::fs::write(dir.join("b.rs"), "fn f() { crate::feature::run(\"crate::a\"); }").unwrap();
    std::fs::write(dir.join("feature/mod.rs"), "mod part; pub fn run() { part::go() }").unwrap();
    std::fs::write(dir.join("feature/part.rs"), "use super::super::a::Y;").unwrap();
    let edges = file_edges(&dir);
    let found = cycles(&edges);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, vec![vec!["a.rs".to_owned(), "b.rs".into(), "feature/mod.rs".into(), "feature/part.rs".into()]]);
    assert_eq!(edges["a.rs"], BTreeSet::from(["b.rs".to_owned()]));
}

#[test]
fn web_and_app_have_no_file_level_import_cycles() {
    let root = repo_root();
    let mut found = Vec::new();
    for krate in ["gongkai-web", "gongkai-app"] {
        for c in cycles(&file_edges(&root.join("crates").join(krate).join("src"))) {
            found.push(format!("{krate}: {}", c.join(" ↔ ")));
        }
    }
    assert!(found.is_empty(), "files that import each other (directly or through others): {found:#?}");
}

// ---- boundaries ----

#[test]
fn the_web_crate_uses_the_store_only_in_tests() {
    let manifest = std::fs::read_to_string(repo_root().join("crates/gongkai-web/Cargo.toml")).expect("manifest");
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_owned();
        } else if line.starts_with("gongkai-store") {
            assert_eq!(section, "[dev-dependencies]", "gongkai-web names gongkai-store in {section}");
        }
    }
}

#[test]
fn nothing_refers_to_material_outside_the_repository() {
    let root = repo_root();
    let needle = ["..", "/shared"].concat();
    let mut hits = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if p.is_dir() {
                if !matches!(name.as_str(), ".git" | "target" | "node_modules") {
                    stack.push(p);
                }
            } else if let Ok(text) = std::fs::read_to_string(&p)
                && text.contains(&needle)
            {
                hits.push(p.strip_prefix(&root).unwrap_or(&p).display().to_string());
            }
        }
    }
    assert!(hits.is_empty(), "files that point outside the repository: {hits:?}");
}
