//! Progress of long jobs (backup, restore, reindex, imports): the use cases report it, the binary draws it.

/// Receives the progress of a long job.
pub trait Progress: Sync {
    /// A new phase with its Chinese label and, when known, the amount of work.
    fn phase(&self, _label: &str, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
}

/// No progress shown.
pub struct Quiet;
impl Progress for Quiet {}
