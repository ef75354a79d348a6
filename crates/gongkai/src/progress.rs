//! Progress of long CLI jobs (reindex, imports, backup, restore) on standard error — only when it is a terminal,
//! so that scripts, logs and tests see nothing of it.

use gongkai_app::backup::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

const SPINNER: &str = "{spinner} {msg} {elapsed}";
const COUNTING_SPINNER: &str = "{spinner} {msg} {human_pos} {elapsed}";

/// A bar per phase (a spinner when the amount of work is unknown); hidden when stderr is not a terminal.
pub struct Bar {
    shown: bool,
    current: Mutex<Option<ProgressBar>>,
}

impl Bar {
    pub fn new() -> Bar {
        Bar { shown: std::io::stderr().is_terminal(), current: Mutex::new(None) }
    }

    /// Shows a spinner with `label` until the next phase or [`Bar::done`]: for steps whose size is unknown.
    pub fn busy(&self, label: &str) {
        self.phase(label, None);
    }

    pub fn done(&self) {
        if let Ok(mut cur) = self.current.lock()
            && let Some(b) = cur.take()
        {
            b.finish_and_clear();
        }
    }
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl Progress for Bar {
    fn phase(&self, label: &str, total: Option<u64>) {
        self.done();
        if !self.shown {
            return;
        }
        let bar = match total {
            Some(n) => {
                let b = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} {elapsed}") {
                    b.set_style(style);
                }
                b
            }
            None => {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(SPINNER) {
                    b.set_style(style);
                }
                b.enable_steady_tick(Duration::from_millis(120));
                b
            }
        };
        bar.set_message(label.to_owned());
        if let Ok(mut cur) = self.current.lock() {
            *cur = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(cur) = self.current.lock()
            && let Some(b) = cur.as_ref()
        {
            // A spinner shows a count once there is one.
            if b.length().is_none()
                && b.position() == 0
                && let Ok(style) = ProgressStyle::with_template(COUNTING_SPINNER)
            {
                b.set_style(style);
            }
            b.inc(n);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.done();
    }
}
