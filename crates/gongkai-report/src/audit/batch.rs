//! Batches: the report files under folders, audited in parallel.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{AuditError, Audited, REPORT_EXTENSIONS, add_cross_year, audit_file};

/// The files to audit: each file as given, and every report file under each folder (recursively, hidden
/// entries skipped, sorted by path). The flag says whether any folder was given.
pub fn collect_files(paths: &[PathBuf]) -> std::io::Result<(Vec<PathBuf>, bool)> {
    let mut files = Vec::new();
    let mut folders = false;
    for path in paths {
        if path.is_dir() {
            folders = true;
            let mut found = Vec::new();
            walk(path, &mut found, 0)?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok((files, folders))
}

/// Folders nested deeper than this are not entered (a link loop cannot run forever).
const MAX_DEPTH: usize = 16;

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, out, depth + 1)?;
            }
        } else if is_report_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

pub(super) fn is_report_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        && path.is_file()
}

/// Audits the files on up to `threads` threads (results in the order of `files`), calling `done` as each
/// file is finished, then adds the cross-year R6 findings.
pub fn audit_paths(
    files: &[PathBuf],
    threads: usize,
    done: &(dyn Fn(&Path) + Sync),
) -> Vec<Result<Audited, AuditError>> {
    let slots: Vec<Mutex<Option<Result<Audited, AuditError>>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, files.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let result = audit_file(file);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                    done(file);
                }
            });
        }
    });
    let mut results: Vec<Result<Audited, AuditError>> = slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(AuditError::Io(std::io::Error::other("审核线程异常退出"))))
        })
        .collect();
    add_cross_year(&mut results);
    results
}
