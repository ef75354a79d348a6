//! Giving freed heap back to the operating system (issue 14, P6).
//!
//! glibc's allocator keeps memory a program has freed inside its arenas and returns it only from the top of the
//! main heap, and only past a threshold. After a burst of large allocations — a search index rebuilt from a
//! million entries (the index writer's 30 MB arena, merges on their own threads), a report rendered to PDF — a
//! server at rest kept some 120 MB of free heap (`bench/results/memory.json`). `malloc_trim(0)` returns the
//! free pages of every arena (madvise), wherever they are. The server calls it every ten seconds ([`every`]),
//! on the blocking pool, rather than after each piece of work that may have left free heap behind.

/// Returns the free pages of every glibc arena to the operating system; a no-op elsewhere (musl, other systems).
pub fn release_free_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only takes the allocator's own locks and touches its own free chunks; it has no
    // preconditions on the caller.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Calls [`release_free_heap`] every `period`, forever (a background task of `gongkai serve`).
pub async fn every(period: std::time::Duration) {
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if tokio::task::spawn_blocking(release_free_heap).await.is_err() {
            tracing::warn!("heap: malloc_trim did not return");
        }
    }
}
