//! Helpers shared by the TUI tests: an app over the bundled samples (clock
//! pinned to the newest event) and a temporary copy of the bundled rules.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use kqlhunt::session::{Options, load_hunt};
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Stopwatch};

/// A temporary copy of the bundled rules folder.
pub fn rules_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(bundled).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// The app over `rules` and the bundled samples, `size` big, timings fixed.
pub fn app_over(rules: &Path, events: &[PathBuf], size: (u16, u16)) -> App {
    let opts = Options { rules: vec![rules.to_path_buf()], events: events.to_vec(), ..Options::default() };
    let loaded = load_hunt(&opts, &mut |_| {}).unwrap();
    let mut app = App::new(loaded, size);
    app.stopwatch = Stopwatch::Fixed(Duration::from_micros(300));
    app
}

/// Sends actions in order. The background job stacking (`f`) or proposing
/// (`S`) starts is waited for, as a user would before the next key; an
/// ad-hoc query is not (tests settle it themselves).
pub fn send(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(*a);
        if matches!(a, Action::Stack | Action::Suggest) {
            app.settle_query();
        }
    }
}

/// Types text into the input line.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Input(c));
    }
}

/// The selected rule's (name, hits before, hits after).
pub fn counts(app: &App) -> (String, usize, usize) {
    let (rule, run) = app.hunt.get(app.rule().unwrap()).unwrap();
    (rule.name.clone(), run.hits_before(), run.hits_after())
}

/// Opens the LiteManager rule by fuzzy search and focuses its results.
pub fn open_litemanager(app: &mut App) {
    send(app, &[Action::Search]);
    type_text(app, "LiteManager");
    send(app, &[Action::Submit]);
    assert_eq!(app.rules.order.len(), 1, "the search finds one rule");
    assert!(counts(app).0.contains("LiteManager"));
    send(app, &[Action::Enter]);
}

/// Opens the query editor emptied (it keeps its last text when reopened) and types `text`.
pub fn editor_with(app: &mut App, text: &str) {
    send(app, &[Action::AdHoc]);
    app.editor.set_text("");
    type_text(app, text);
}

/// The screen `app` draws at its size, as text.
pub fn screen(app: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| kqlhunt::tui::draw::draw(f, app)).unwrap();
    t.backend().to_string()
}

/// Runs `query` from the editor and waits for its result.
pub fn adhoc(app: &mut App, query: &str) {
    editor_with(app, query);
    send(app, &[Action::Submit]);
    app.settle_query();
    assert!(!app.editor.open && app.prompt.is_none(), "{query} runs");
}
