//! Background jobs: long work (an ad-hoc query, stacking a column,
//! proposing a filter) runs on a worker thread so the UI keeps drawing. One
//! job runs at a time; while it does, only Esc / Ctrl-C act (they set its
//! cancel flag, which the work checks in its loops), and each tick picks up
//! its result when it arrives. A result made from exclusions that changed
//! meanwhile is recounted (stacking) or dropped (proposals) by its handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use super::app::{App, Feedback, Finish, Stopwatch};
use super::job::{Job, JobState};

/// Spinner frames, one per 100 ms.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

impl App {
    /// Runs `work` as the background job (one at a time: a second waits for
    /// no one, it is refused with a message).
    pub(crate) fn start_job(&mut self, label: String, work: impl FnOnce(Arc<AtomicBool>) -> Finish + Send + 'static) {
        self.start_job_with(label, Arc::default(), work);
    }

    /// [`App::start_job`] with a cancel flag the work was already given (a hunt job made with it).
    pub(crate) fn start_job_with(
        &mut self,
        label: String,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(Arc<AtomicBool>) -> Finish + Send + 'static,
    ) {
        if self.running.is_some() {
            self.status.message = Some("another job is running; Esc cancels it".into());
            return;
        }
        self.running = Some(Job::spawn(label, cancel, work));
    }

    /// Esc / Ctrl-C while a job runs: asks it to stop (it ends at its next check).
    pub(crate) fn cancel_job(&mut self) {
        let Some(job) = &self.running else { return };
        job.cancel.store(true, Ordering::Relaxed);
        if self.editor.open {
            self.editor.feedback = Feedback::Running("cancelling the query…".into());
        }
    }

    /// Picks up the job's result when it has one; true when something
    /// changed (the job ended), so the tick re-derives only then.
    pub(crate) fn poll_job(&mut self) -> bool {
        let Some(job) = &self.running else { return false };
        let finish = match job.state() {
            JobState::Done(finish) => finish,
            JobState::Running => {
                if self.editor.open && !job.cancelling() {
                    self.editor.feedback = Feedback::Running(self.job_line().unwrap_or_default());
                }
                return false;
            }
            JobState::Lost => {
                self.running = None;
                self.status.message = Some("the background job stopped unexpectedly".into());
                self.editor.feedback = Feedback::None;
                return true;
            }
        };
        let cancelled = self.running.take().is_some_and(|j| j.cancelling());
        finish(self, cancelled);
        true
    }

    /// What the running job is doing, how long it has run, and how to stop
    /// it ("⠹ stacking DeviceName (2.1 s) · Esc cancels").
    pub fn job_line(&self) -> Option<String> {
        let job = self.running.as_ref()?;
        if job.cancelling() {
            return Some(format!("cancelling: {}…", job.label));
        }
        let took = match self.stopwatch {
            Stopwatch::Real => job.started.elapsed(),
            Stopwatch::Fixed(d) => d,
        };
        let spin = SPINNER[(took.as_millis() / 100) as usize % SPINNER.len()];
        Some(format!("{spin} {} ({:.1} s) · Esc or Ctrl-C cancels", job.label, took.as_secs_f64()))
    }

    /// Waits for the running job and handles its result (tests, and a quit
    /// that must not leave it behind).
    pub fn settle_query(&mut self) {
        while self.running.is_some() {
            if !self.poll_job() {
                thread::sleep(Duration::from_millis(2));
            }
        }
        self.derive();
    }
}
