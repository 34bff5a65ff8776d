//! The query editor (`:`): multi-line KQL with highlighting from the one
//! scanner, history kept across runs, Tab completion of tables, operators
//! and columns, and the error caret at its line and column. Enter runs;
//! Ctrl-J or Alt-Enter breaks the line (terminals send Shift-Enter as Enter).
//! Closing it keeps the text for the next `:`. What each key does to it is
//! in `editor_actions` (the app's side).

pub mod buffer;
pub mod complete;

use crate::kql::KqlError;
use crate::session::history::History;

pub use buffer::{Pos, TextBuffer};
pub use complete::{Candidates, Catalogue};

use super::state::Feedback;

/// Where a query error points: the line and column of its first character,
/// how many characters it covers on that line, and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMark {
    /// The first character.
    pub at: Pos,
    /// Characters marked (at least one).
    pub width: usize,
    /// The message.
    pub message: String,
    /// The hint ("did you mean ..."), if any.
    pub help: Option<String>,
}

/// Tab completion in progress: the candidates and the one put in (cycling).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What can go in place of the word.
    pub candidates: Candidates,
    /// The candidate in the text now, once Tab cycles.
    pub chosen: Option<usize>,
}

/// The editor's state.
#[derive(Clone, Debug, Default)]
pub struct Editor {
    /// Shown and taking the keys.
    pub open: bool,
    /// The text and cursor.
    pub buffer: TextBuffer,
    /// Past queries.
    pub history: History,
    /// The history entry shown while browsing with ↑/↓.
    pub browsing: Option<usize>,
    /// The text typed before browsing started (↓ past the newest restores it).
    pub draft: String,
    /// Running / error feedback.
    pub feedback: Feedback,
    /// The last error's place in the text (cleared on any edit).
    pub error: Option<ErrorMark>,
    /// Tab completion in progress.
    pub completion: Option<Completion>,
}

impl Editor {
    /// Replaces the text (a pivot, a history entry); the cursor goes to its end.
    pub fn set_text(&mut self, text: &str) {
        self.buffer = TextBuffer::from_text(text);
        self.error = None;
        self.completion = None;
    }

    /// Marks `e`, raised on the editor's current text, and moves the cursor to it.
    pub fn mark_error(&mut self, e: &KqlError) {
        let at = self.buffer.pos_of(e.span.start);
        let end = self.buffer.pos_of(e.span.end);
        let width = if end.line == at.line { end.col.saturating_sub(at.col).max(1) } else { 1 };
        let message = e.to_string();
        self.buffer.set_cursor(at);
        self.feedback = Feedback::Error(message.clone());
        self.error = Some(ErrorMark { at, width, message, help: e.help.clone() });
    }

    /// One step through the history: older (`-1`) or newer (`1`). Older
    /// puts the cursor on the entry's first line, newer on its last, so the
    /// next ↑/↓ keeps browsing. Past the newest, the draft comes back.
    pub fn browse(&mut self, dir: isize) -> bool {
        let n = self.history.entries().len();
        let next = match (self.browsing, dir < 0) {
            (None, true) if n > 0 => Some(n - 1),
            (None, _) => return false,
            (Some(0), true) => return false,
            (Some(i), true) => Some(i - 1),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
        };
        if self.browsing.is_none() {
            self.draft = self.buffer.text();
        }
        let text = match next {
            Some(i) => self.history.entries()[i].clone(),
            None => self.draft.clone(),
        };
        self.set_text(&text);
        if dir < 0 {
            self.buffer.set_cursor(Pos { line: 0, col: usize::MAX });
        }
        self.browsing = next;
        true
    }

    /// The text changed by the user: errors and browsing no longer apply.
    pub fn edited(&mut self) {
        self.error = None;
        self.browsing = None;
        if let Feedback::Error(_) = self.feedback {
            self.feedback = Feedback::None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_browsing_keeps_the_draft() {
        let mut e = Editor::default();
        for q in ["A | take 1", "B\n| count"] {
            e.history.push(q).unwrap();
        }
        e.buffer.insert_str("draft");
        assert!(e.browse(-1));
        assert_eq!(e.buffer.text(), "B\n| count");
        assert!(e.buffer.on_first_line(), "↑ lands on the first line so ↑ again browses on");
        assert!(e.browse(-1));
        assert_eq!(e.buffer.text(), "A | take 1");
        assert!(!e.browse(-1), "nothing older");
        assert!(e.browse(1));
        assert!(e.buffer.on_last_line());
        assert!(e.browse(1));
        assert_eq!(e.buffer.text(), "draft");
        assert!(!e.browse(1), "the draft is the newest");
    }

    #[test]
    fn an_error_marks_its_line_and_column() {
        let mut e = Editor::default();
        let text = "DeviceProcessEvents\n| where Fé == 1 and Nope > 2";
        e.set_text(text);
        let at = text.find("Nope").unwrap();
        let err = crate::kql::KqlError::unknown_column(crate::kql::Span::new(at, at + 4), "unknown column 'Nope'");
        e.mark_error(&err);
        let mark = e.error.clone().unwrap();
        assert_eq!((mark.at, mark.width), (Pos { line: 1, col: 20 }, 4));
        assert_eq!(e.buffer.cursor(), mark.at);
        e.edited();
        assert!(e.error.is_none() && e.feedback == Feedback::None);
    }
}
