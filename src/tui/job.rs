//! A job running on a worker thread (see `jobs.rs` for how the app runs
//! them): what it does, its cancel flag, and where its result arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::Instant;

/// A job whose result is a `T`.
pub struct Job<T> {
    /// What it does, for the screen ("stacking DeviceName").
    pub label: String,
    /// Set to stop it.
    pub cancel: Arc<AtomicBool>,
    rx: Receiver<T>,
    /// When it started.
    pub started: Instant,
}

impl<T> std::fmt::Debug for Job<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("label", &self.label).field("cancel", &self.cancel).finish()
    }
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a worker thread; it is handed `cancel`, the job's flag.
    pub fn spawn(
        label: String,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(Arc<AtomicBool>) -> T + Send + 'static,
    ) -> Self {
        let flag = cancel.clone();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(work(flag));
        });
        Job { label, cancel, rx, started: Instant::now() }
    }
}

impl<T> Job<T> {
    /// True once Esc asked it to stop.
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Where it is: still running, done with its result, or lost.
    pub fn state(&self) -> JobState<T> {
        match self.rx.try_recv() {
            Ok(t) => JobState::Done(t),
            Err(TryRecvError::Empty) => JobState::Running,
            Err(TryRecvError::Disconnected) => JobState::Lost,
        }
    }
}

/// Where a job is.
pub enum JobState<T> {
    /// Still running.
    Running,
    /// Ended with this result.
    Done(T),
    /// Its worker ended without a result (it panicked).
    Lost,
}
