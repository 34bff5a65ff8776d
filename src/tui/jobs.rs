//! Background jobs: long work (an ad-hoc query, stacking a column,
//! proposing a filter) runs on a worker thread so the UI keeps drawing. One
//! job runs at a time; while it does, only Esc / Ctrl-C act (they set its
//! cancel flag, which the work checks in its loops), and each tick picks up
//! its result when it arrives. A result made from exclusions that changed
//! meanwhile is recounted (stacking) or dropped (proposals) by its handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use crate::hunt::stack::Stacked;
use crate::hunt::{HuntError, Suggestion};
use crate::kql::KqlError;
use crate::kql::eval::Frame;

use super::app::{App, Feedback, Stopwatch};
use super::stack::StackView;

/// What a finished job hands back, with what its handler needs.
pub enum Done {
    /// An ad-hoc query's table and notes, or its error; and its text.
    Query(String, Result<(Frame, Vec<String>), KqlError>),
    /// A frequency view to push, and its column stacked.
    Stack(Box<StackView>, Result<Stacked, HuntError>),
    /// Filters proposed for `rule`'s marked hits, made at its `generation`.
    Suggest {
        /// The rule.
        rule: usize,
        /// The hits that were marked.
        marked: Vec<u32>,
        /// The rule's generation when the job started.
        generation: u64,
        /// The proposals.
        result: Result<Suggestion, HuntError>,
    },
}

/// A job running on a worker thread.
#[derive(Debug)]
pub struct Job {
    /// What it does, for the screen ("stacking DeviceName").
    pub label: String,
    /// Set to stop it.
    pub cancel: Arc<AtomicBool>,
    rx: Receiver<Done>,
    /// When it started.
    pub started: Instant,
}

impl std::fmt::Debug for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Done::Query(..) => "Done::Query",
            Done::Stack(..) => "Done::Stack",
            Done::Suggest { .. } => "Done::Suggest",
        })
    }
}

/// Spinner frames, one per 100 ms.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

impl Job {
    /// Starts `work` on a worker thread; it gets the job's cancel flag, `cancel`.
    pub fn spawn(
        label: String,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(Arc<AtomicBool>) -> Done + Send + 'static,
    ) -> Job {
        let flag = cancel.clone();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(work(flag));
        });
        Job { label, cancel, rx, started: Instant::now() }
    }

    /// True once Esc asked it to stop.
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl App {
    /// Runs `work` as the background job (one at a time: a second waits for
    /// no one, it is refused with a message).
    pub(crate) fn start_job(&mut self, label: String, work: impl FnOnce(Arc<AtomicBool>) -> Done + Send + 'static) {
        self.start_job_with(label, Arc::default(), work);
    }

    /// [`App::start_job`] with a cancel flag the work was already given (a hunt job made with it).
    pub(crate) fn start_job_with(
        &mut self,
        label: String,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(Arc<AtomicBool>) -> Done + Send + 'static,
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
        let done = match job.rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => {
                if self.editor.open && !job.cancelling() {
                    self.editor.feedback = Feedback::Running(self.job_line().unwrap_or_default());
                }
                return false;
            }
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                self.status.message = Some("the background job stopped unexpectedly".into());
                self.editor.feedback = Feedback::None;
                return true;
            }
        };
        let cancelled = self.running.take().is_some_and(|j| j.cancelling());
        match done {
            Done::Query(text, result) => self.query_done(text, result),
            Done::Stack(view, result) => self.stack_done(*view, result, cancelled),
            Done::Suggest { rule, marked, generation, result } => {
                self.suggest_done(rule, &marked, generation, result, cancelled)
            }
        }
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
