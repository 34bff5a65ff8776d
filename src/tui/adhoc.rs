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
    pub(crate) fn start_query(&mut self, text: String, q: Query) {
        let mut session = self.hunt.session().clone();
        let source = text.clone();
        self.start_job("running the query".into(), move |cancel| {
            // The evaluator checks the flag per operator and inside joins.
            session.cancel = cancel;
            let mut ev = Evaluator::new(session);
            let result = ev.run(&q).map(|f| (f, ev.notes().to_vec()));
            Box::new(move |app: &mut App, _| app.query_done(source, result))
        });
        if self.running.is_some() {
            self.editor.feedback = Feedback::Running("running the query · Esc or Ctrl-C cancels".into());
        }
    }

    /// A finished ad-hoc query: its result shows, or its error under the editor.
    pub(crate) fn query_done(&mut self, text: String, result: Result<(Frame, Vec<String>), KqlError>) {
        match result {
            Ok((frame, notes)) => {
                let view = FrameView::new(text, Ok(frame), notes);
                // Over a stack of views it is pushed, so Esc returns to them.
                match self.results.views.is_empty() {
                    true => self.results.adhoc = Some(view),
                    false => self.results.views.push(Pushed::Rows(RowsView::query(view))),
                }
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
}
