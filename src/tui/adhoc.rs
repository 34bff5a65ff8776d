//! Ad-hoc queries (the editor, `:`, and pivots) run as the background job
//! ([`super::jobs`]) over a copy of the session, so a slow or runaway query
//! never freezes the screen and can be cancelled.

use crate::kql::KqlError;
use crate::kql::ast::Query;
use crate::kql::eval::{Evaluator, Frame};

use super::app::{App, Feedback, Focus, FrameView};
use super::stack::{Pushed, RowsView};

impl App {
    /// Starts evaluating a parsed ad-hoc query as the background job; the
    /// editor stays open until it ends.
    pub(crate) fn start_query(&mut self, text: String, q: Query, pivot: bool) {
        let mut session = self.hunt.session().clone();
        let source = text.clone();
        self.start_job("running the query".into(), move |cancel| {
            // The evaluator checks the flag per operator and inside joins.
            session.cancel = cancel;
            let mut ev = Evaluator::new(session);
            let result = ev.run(&q).map(|f| (f, ev.notes().to_vec()));
            Box::new(move |app: &mut App, _| app.query_done(source, result, pivot))
        });
        if self.running.is_some() {
            self.editor.feedback = Feedback::Running("running the query · Esc or Ctrl-C cancels".into());
        }
    }

    /// A finished ad-hoc query: its result shows (a pivot's pushed over the
    /// view it came from), or its error under the editor.
    pub(crate) fn query_done(&mut self, text: String, result: Result<(Frame, Vec<String>), KqlError>, pivot: bool) {
        match result {
            Ok((frame, notes)) => {
                let view = FrameView::new(text, Ok(frame), notes);
                self.show_result(view, pivot);
                self.focus = Focus::Results;
                self.editor.open = false;
                self.editor.feedback = Feedback::None;
                self.status.message = None;
            }
            Err(e) if e.code == crate::kql::ErrorCode::Cancelled => {
                self.editor.feedback = Feedback::Error(e.to_string())
            }
            // The text may have changed since (a pivot replaced it): mark only on the same text.
            Err(e) if self.editor.buffer.text() == text => self.editor.mark_error(&e),
            Err(e) => self.editor.feedback = Feedback::Error(e.render(&text)),
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
}
