//! What the query editor (`editor`) does with each action: edits, moves, history, Tab
//! completion, running the query (in the background, as every ad-hoc query).

use crate::data::schema;
use crate::session::history::{History, history_path};

use super::action::Action;
use super::app::App;
use super::editor::complete::{self, Catalogue, common_prefix};
use super::editor::{Completion, Editor};
use super::state::Feedback;

impl App {
    /// Opens the editor on the text it had (or `text`, when given).
    pub(crate) fn open_editor(&mut self, text: Option<&str>) {
        let ed = &mut self.editor;
        ed.open = true;
        ed.completion = None;
        ed.browsing = None;
        if let Some(t) = text {
            ed.set_text(t);
            ed.feedback = Feedback::None;
        }
    }

    /// Loads the history from the user's data folder (the real program;
    /// tests keep it in memory). A file that cannot be read is a message.
    pub fn use_history_file(&mut self) {
        let Some(path) = history_path(|k| std::env::var_os(k)) else {
            self.log_message("no HOME or XDG_DATA_HOME: the query history is not saved".into());
            return;
        };
        let (h, problem) = History::load(&path);
        self.editor.history = h;
        if let Some(p) = problem {
            self.log_message(p.to_string());
        }
    }

    /// Shows `m` in the status bar and keeps it in the message log.
    pub(crate) fn log_message(&mut self, m: String) {
        self.status.log.push(m.clone());
        self.status.message = Some(m);
    }

    /// Every table completion knows: the loaded ones, then the other MDE tables.
    pub fn catalogue(&self) -> Catalogue {
        let db = &self.hunt.session().db;
        let mut out: Catalogue = db
            .tables()
            .iter()
            .map(|t| (t.name().to_string(), t.fields().iter().map(|f| f.name.clone()).collect()))
            .collect();
        for t in schema::mde_tables() {
            if !out.iter().any(|(n, _)| *n == t.name) {
                out.push((t.name.clone(), t.fields.iter().map(|f| f.name.clone()).collect()));
            }
        }
        out
    }

    pub(crate) fn editor_action(&mut self, action: Action) {
        if action != Action::Complete {
            self.editor.completion = None;
        }
        let ed = &mut self.editor;
        let b = &mut ed.buffer;
        match action {
            Action::Input(ch) => b.insert(ch),
            Action::Newline => b.newline(),
            Action::Backspace => b.backspace(),
            Action::Delete => b.delete(),
            Action::Left => return b.left(),
            Action::Right => return b.right(),
            Action::Home => return b.home(),
            Action::End => return b.end(),
            Action::Up if b.on_first_line() => {
                ed.browse(-1);
                return;
            }
            Action::Down if b.on_last_line() => {
                ed.browse(1);
                return;
            }
            Action::Up => return b.vertical(-1),
            Action::Down => return b.vertical(1),
            Action::Complete => return self.complete(),
            Action::Submit => return self.run_editor(),
            Action::Cancel => {
                ed.open = false;
                return;
            }
            Action::Quit => {
                ed.open = false;
                return self.quit_asked();
            }
            _ => return,
        }
        ed.edited();
    }

    /// Pasted text (bracketed paste): into the editor whole, line breaks
    /// kept; into the input line as typed, line breaks as spaces.
    pub fn paste(&mut self, text: &str) {
        if self.editor.open && self.running.is_none() {
            self.editor.completion = None;
            self.editor.buffer.insert_str(text);
            self.editor.edited();
        } else if self.prompt.is_some() && self.running.is_none() {
            for ch in text.chars() {
                let ch = if ch.is_control() { ' ' } else { ch };
                self.update(Action::Input(ch));
            }
        }
    }

    /// Runs the editor's text: kept in the history, then parsed and started
    /// in the background; a syntax error is marked at once.
    pub(crate) fn run_editor(&mut self) {
        self.run_editor_as(false);
    }

    /// [`Self::run_editor`]; `pivot` when a pivot wrote the query (its
    /// result is pushed, never replaces the one it came from).
    pub(crate) fn run_editor_as(&mut self, pivot: bool) {
        let text = self.editor.buffer.text();
        if self.editor.buffer.is_blank() {
            self.editor.open = false;
            return;
        }
        self.editor.browsing = None;
        if let Err(e) = self.editor.history.push(&text) {
            self.log_message(e.to_string());
        }
        match crate::kql::parse(&text) {
            Ok(q) => {
                self.editor.error = None;
                self.start_query(text, q, pivot);
            }
            Err(e) => self.editor.mark_error(&e),
        }
    }

    /// Tab: completes the word before the cursor. One candidate goes in;
    /// several put in what they share and list them, and Tab again cycles.
    fn complete(&mut self) {
        if let Some(c) = &mut self.editor.completion {
            let n = c.candidates.names.len();
            let next = c.chosen.map_or(0, |i| (i + 1) % n);
            c.chosen = Some(next);
            let (from, name) = (c.candidates.from, c.candidates.names[next].clone());
            let to = self.editor.buffer.cursor().col;
            self.editor.buffer.replace_in_line(from, to, &name);
            return;
        }
        let catalogue = self.catalogue();
        let ed: &mut Editor = &mut self.editor;
        let cur = ed.buffer.cursor();
        let c = complete::candidates(ed.buffer.lines(), cur.line, cur.col, &catalogue);
        match c.names.len() {
            0 => self.status.message = Some(format!("no {} name starts with '{}'", c.what, c.prefix)),
            1 => {
                ed.buffer.replace_in_line(c.from, cur.col, &c.names[0]);
                ed.edited();
            }
            _ => {
                let shared = common_prefix(&c.names);
                if shared.chars().count() > c.prefix.chars().count() {
                    ed.buffer.replace_in_line(c.from, cur.col, &shared);
                }
                ed.edited();
                ed.completion = Some(Completion { candidates: c, chosen: None });
            }
        }
    }
}
