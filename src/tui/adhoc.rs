//! Ad-hoc queries (the editor, `:`, and pivots) run on a worker thread over a copy of the session,
//! so a slow or runaway query never freezes the screen and can be cancelled.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::thread;
use std::time::Instant;

use crate::kql::ast::Query;
use crate::kql::eval::Evaluator;

use super::app::{App, Feedback, Focus, FrameView, RunningQuery};
use super::stack::{Pushed, RowsView};

impl App {
    /// Starts evaluating a parsed ad-hoc query; the editor stays open until it ends.
    pub(crate) fn start_query(&mut self, text: String, q: Query) {
        let mut session = self.hunt.session().clone();
        let cancel = Arc::new(AtomicBool::new(false));
        session.cancel = cancel.clone();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut ev = Evaluator::new(session);
            let result = ev.run(&q).map(|f| (f, ev.notes().to_vec()));
            let _ = tx.send(result);
        });
        self.editor.feedback = Feedback::Running("running the query · Esc or Ctrl-C cancels".into());
        self.running = Some(RunningQuery { text, cancel, rx, started: Instant::now(), pivot: false });
    }

    /// Asks the running query to stop (it ends at its next operator or join step).
    pub(crate) fn cancel_query(&mut self) {
        if let Some(r) = &self.running {
            r.cancel.store(true, Ordering::Relaxed);
            self.editor.feedback = Feedback::Running("cancelling the query…".into());
        }
    }

    /// Picks up the running query's result when it has one.
    pub(crate) fn poll_query(&mut self) {
        let Some(r) = &self.running else { return };
        let result = match r.rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => {
                if !r.cancel.load(Ordering::Relaxed) {
                    let secs = r.started.elapsed().as_secs_f64();
                    self.editor.feedback =
                        Feedback::Running(format!("running the query ({secs:.1} s) · Esc or Ctrl-C cancels"));
                }
                return;
            }
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                self.editor.feedback = Feedback::Error("the query stopped unexpectedly".into());
                return;
            }
        };
        let Some(r) = self.running.take() else { return };
        match result {
            Ok((frame, notes)) => {
                let view = FrameView::new(r.text, Ok(frame), notes);
                self.show_result(view, r.pivot);
                self.focus = Focus::Results;
                self.editor.open = false;
                self.editor.feedback = Feedback::None;
                self.status.message = None;
            }
            Err(e) if e.code == crate::kql::ErrorCode::Cancelled => {
                self.editor.feedback = Feedback::Error(e.to_string())
            }
            // The text may have changed since (a pivot replaced it): mark only on the same text.
            Err(e) if self.editor.buffer.text() == r.text => self.editor.mark_error(&e),
            Err(e) => self.editor.feedback = Feedback::Error(e.render(&r.text)),
        }
    }

    /// Shows a finished query's result. It replaces the query result on
    /// top (the ad-hoc result, or one opened over the stack) when nothing is
    /// pushed over that, keeping its column layout: running the query again,
    /// edited, is a refinement, not a step deeper. Over any other view (a
    /// value's rows, a frequency view), and for a pivot, it is pushed, so Esc
    /// returns to where it came from.
    fn show_result(&mut self, mut view: FrameView, pivot: bool) {
        let r = &mut self.results;
        match r.views.last_mut() {
            // (A pivot from here has moved the result it came from onto the stack.)
            None => {
                if let Some(old) = &r.adhoc {
                    view.keep_layout(old);
                }
                r.adhoc = Some(view);
            }
            Some(Pushed::Rows(top)) if top.is_query() && !pivot => {
                view.keep_layout(&top.view);
                top.view = view;
            }
            _ => r.views.push(Pushed::Rows(RowsView::query(view))),
        }
    }

    /// Waits for the running query (tests, and a quit that must not leave it behind).
    pub fn settle_query(&mut self) {
        while self.running.is_some() {
            self.poll_query();
            if self.running.is_some() {
                thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}
