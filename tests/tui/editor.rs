//! The query editor, pivots, copy and export, driven through keys and
//! `Action`s on `TestBackend`: a multi-line query typed with Ctrl-J and
//! Alt-Enter, Tab completion, the history across a restart, the error caret
//! at its line and column (snapshots with the colours), a pivot from a SHA1
//! cell, and an export read back.

use insta::assert_snapshot;
use kqlhunt::session::history::History;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus};
use kqlhunt::tui::keys::Context;
use kqlhunt::tui::{action_of, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::tui_common::*;

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    if let Some(a) = action_of(app, Event::Key(KeyEvent::new(code, mods))) {
        app.update(a);
    }
}

fn typed(app: &mut App, text: &str) {
    for ch in text.chars() {
        key(app, KeyCode::Char(ch), KeyModifiers::NONE);
    }
}

fn terminal(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    t
}

/// The bottom rows (the editor, status bar and footer), with their colours.
fn editor_rows(app: &App, rows: u16) -> String {
    let t = terminal(app);
    let buf = t.backend().buffer();
    let (w, h) = app.size;
    let area = Rect::new(0, h - rows, w, rows);
    let mut part = Buffer::empty(area);
    for y in area.y..area.bottom() {
        for x in 0..w {
            part[(x, y)] = buf[(x, y)].clone();
        }
    }
    format!("{part:?}")
}

#[test]
fn a_multi_line_query_typed_with_ctrl_j_and_alt_enter_runs() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    typed(&mut app, ":");
    assert_eq!(app.contexts(), vec![Context::Editor]);
    typed(&mut app, "DeviceProcessEvents");
    key(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    typed(&mut app, "| where FileName has 'é'");
    // Backspace at a line's start joins; Ctrl-J splits again.
    key(&mut app, KeyCode::Home, KeyModifiers::NONE);
    key(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
    assert_eq!(app.editor.buffer.lines().len(), 1);
    key(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    key(&mut app, KeyCode::End, KeyModifiers::NONE);
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
    }
    typed(&mut app, "'exe'");
    key(&mut app, KeyCode::Enter, KeyModifiers::ALT);
    typed(&mut app, "| take 2");
    assert_eq!(app.editor.buffer.text(), "DeviceProcessEvents\n| where FileName has 'exe'\n| take 2");
    let screen = terminal(&app).backend().to_string();
    assert!(screen.contains("Enter runs · Ctrl-J or Alt-Enter: new line"), "the convention shows:\n{screen}");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    app.settle_query();
    assert!(!app.editor.open);
    assert_eq!(app.focus, Focus::Results);
    let v = app.results.adhoc.as_ref().unwrap();
    assert_eq!(v.frame.as_ref().unwrap().len(), 2);
    assert_eq!(
        app.editor.history.entries().last().unwrap(),
        "DeviceProcessEvents\n| where FileName has 'exe'\n| take 2"
    );
    // Reopening keeps the text; ↑ on the first line recalls older queries.
    typed(&mut app, ":");
    assert_eq!(app.editor.buffer.lines().len(), 3, "the last query is still there");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!app.editor.open);
}

#[test]
fn tab_completes_tables_then_columns_and_cycles() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    typed(&mut app, ":DeviceProcessE");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.editor.buffer.text(), "DeviceProcessEvents");
    typed(&mut app, " | where InitiatingProcessF");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let c = app.editor.completion.clone().expect("several columns: a list");
    assert_eq!(c.candidates.what, "column");
    assert!(c.candidates.names.iter().all(|n| n.starts_with("InitiatingProcessF")), "{c:?}");
    assert!(c.candidates.names.contains(&"InitiatingProcessFileName".to_string()), "{c:?}");
    let screen = terminal(&app).backend().to_string();
    assert!(screen.contains("columns (") && screen.contains("InitiatingProcessFolderPath"), "{screen}");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let first = c.candidates.names[0].clone();
    assert_eq!(app.editor.buffer.text(), format!("DeviceProcessEvents | where {first}"));
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.editor.buffer.text(), format!("DeviceProcessEvents | where {}", c.candidates.names[1]));
    typed(&mut app, " ");
    assert!(app.editor.completion.is_none(), "typing ends the cycle");
}

#[test]
fn history_survives_a_restart_and_a_corrupt_file_is_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kqlhunt/history");
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    app.editor.history = History::load(&path).0;
    editor_with(&mut app, "print a = 1");
    send(&mut app, &[Action::Newline]);
    type_text(&mut app, "| extend b = 2");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    editor_with(&mut app, "print c = 3");
    send(&mut app, &[Action::Submit]);
    app.settle_query();

    let mut again = app_over(rules.path(), &[], (120, 40));
    again.editor.history = History::load(&path).0;
    send(&mut again, &[Action::AdHoc, Action::Up]);
    assert_eq!(again.editor.buffer.text(), "print c = 3");
    send(&mut again, &[Action::Up]);
    assert_eq!(again.editor.buffer.text(), "print a = 1\n| extend b = 2", "multi-line entries come back whole");
    send(&mut again, &[Action::Down]);
    assert_eq!(again.editor.buffer.cursor().line, 1, "↓ moves within a multi-line entry first");
    send(&mut again, &[Action::Down]);
    assert_eq!(again.editor.buffer.text(), "print c = 3");
    send(&mut again, &[Action::Down]);
    assert_eq!(again.editor.buffer.text(), "", "past the newest: the draft");

    std::fs::write(&path, "\"ok\"\n{broken\n").unwrap();
    let (h, problem) = History::load(&path);
    assert_eq!(h.entries(), ["ok"]);
    assert!(problem.unwrap().to_string().contains("1 unreadable line"));
}

#[test]
fn errors_show_a_caret_at_their_line_and_column() {
    for size in [(120, 40), (80, 24)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        editor_with(&mut app, "// é: a comment\nDeviceProcessEvents");
        send(&mut app, &[Action::Newline]);
        type_text(&mut app, "| where FileName =~ \"x.exe\" and ProcessId > 100");
        send(&mut app, &[Action::Newline]);
        type_text(&mut app, "| summarize n = count() by DeviceNme");
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        let mark = app.editor.error.clone().expect("marked");
        assert_eq!((mark.at.line, mark.at.col, mark.width), (3, 27, 9));
        let screen = terminal(&app).backend().to_string();
        let caret = screen.lines().find(|l| l.contains("^^^^^^^^^")).expect("a caret line");
        let text = screen.lines().find(|l| l.contains("by DeviceNme")).unwrap();
        assert_eq!(caret.find('^'), text.find("DeviceNme"), "the caret is under the name:\n{screen}");
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        assert_snapshot!(name("editor_error"), screen);
        assert_snapshot!(name("editor_error_colours"), editor_rows(&app, 10));

        // A fresh, valid query: keywords, strings, numbers, tables coloured.
        editor_with(&mut app, "DeviceNetworkEvents // outbound");
        send(&mut app, &[Action::Newline]);
        type_text(&mut app, "| where RemotePort == 443 and RemoteUrl has \"contoso\"");
        assert_snapshot!(name("editor_highlight_colours"), editor_rows(&app, 7));
    }
}

#[test]
fn the_editor_draws_at_every_size() {
    for size in [(20, 6), (30, 8), (40, 10), (80, 24), (250, 80), (10, 3)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        editor_with(&mut app, &"x".repeat(300));
        for _ in 0..20 {
            send(&mut app, &[Action::Newline]);
            type_text(&mut app, "| where a == 'é漢'");
        }
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        let _ = terminal(&app);
        send(&mut app, &[Action::Up, Action::Up, Action::Home, Action::Left, Action::Complete, Action::Complete]);
        let _ = terminal(&app);
    }
}

#[test]
fn a_sha1_cell_pivots_to_every_table() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    editor_with(&mut app, "DeviceProcessEvents | where isnotempty(SHA1) | project DeviceName, SHA1 | take 1");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    send(&mut app, &[Action::ScrollRight]);
    let sha1 = {
        let v = app.results.adhoc.as_ref().unwrap();
        kqlhunt::cli::print::value_text(&v.frame.as_ref().unwrap().value(0, 1))
    };
    typed(&mut app, "p");
    let text = app.editor.buffer.text();
    assert!(text.starts_with("union withsource=SourceTable "), "{text}");
    assert!(text.contains(&format!("SHA1 =~ \"{sha1}\"")), "{text}");
    assert!(text.contains("InitiatingProcessSHA1 =~"), "{text}");
    app.settle_query();
    assert!(app.editor.error.is_none(), "{:?}", app.editor.feedback);
    // The pivot's result is pushed over the result it came from: Esc returns there.
    assert!(app.results.adhoc.is_none() && app.results.views.len() == 2, "{:?}", app.crumbs());
    assert_eq!(app.crumbs().last().map(String::as_str), Some("query"));
    let v = app.frame_view().expect("the pivot's result opens in the grid");
    let frame = v.frame.as_ref().unwrap();
    assert!(!frame.is_empty());
    let names: Vec<&str> = frame.names().collect();
    assert_eq!(names[0], "SourceTable");
    let sha_cols: Vec<usize> = names.iter().enumerate().filter(|(_, n)| n.ends_with("SHA1")).map(|(i, _)| i).collect();
    for r in 0..frame.len() {
        let hit =
            sha_cols.iter().any(|&c| kqlhunt::cli::print::value_text(&frame.value(r, c)).eq_ignore_ascii_case(&sha1));
        assert!(hit, "row {r} has the SHA1");
    }
    // The query stays in the editor, editable.
    typed(&mut app, ":");
    assert!(app.editor.buffer.text().starts_with("union withsource=SourceTable"));
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);

    // P: the device, every table, an hour either side.
    editor_with(&mut app, "DeviceProcessEvents | project Timestamp, DeviceId, DeviceName | take 1");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    typed(&mut app, "P");
    let text = app.editor.buffer.text();
    assert!(text.contains("| where Timestamp between (datetime(") && text.contains("| where DeviceId == \""), "{text}");
    app.settle_query();
    let frame = app.frame_view().unwrap().frame.as_ref().unwrap();
    assert!(!frame.is_empty() && frame.names().next() == Some("SourceTable"));
    // Esc pops one view at a time, back to the first query's result.
    let depth = app.results.views.len();
    send(&mut app, &[Action::Back]);
    assert_eq!(app.results.views.len(), depth - 1);
    let frame = app.frame_view().unwrap().frame.as_ref().unwrap();
    assert_eq!(frame.names().collect::<Vec<_>>(), ["Timestamp", "DeviceId", "DeviceName"]);
}

#[test]
fn a_raw_events_sha1_pivots_too() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::Enter]);
    // In a device's hit list, Y copies the whole event and E exports the full events.
    typed(&mut app, "Y");
    let m = app.status.message.clone().unwrap();
    assert!(m.starts_with("copied the row as JSON (") && m.contains(" KB)"), "the whole event: {m}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hits.json");
    typed(&mut app, "E");
    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    let hits: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let rows = app.results.drill.as_ref().unwrap().rows.len();
    assert_eq!(hits.as_array().unwrap().len(), rows);
    assert!(hits[0]["SHA1"].is_string() && hits[0]["Timestamp"].is_string(), "{}", hits[0]);
    send(&mut app, &[Action::Enter]);
    let sha = app.results.drill.as_ref().unwrap().event.as_ref().unwrap().fields.iter().position(|(k, _)| k == "SHA1");
    app.results.drill.as_mut().unwrap().event.as_mut().unwrap().selected = sha.expect("a SHA1 field");
    typed(&mut app, "p");
    assert!(app.editor.buffer.text().contains("SHA1 =~ \""));
    app.settle_query();
    let frame = app.results.adhoc.as_ref().expect("a result").frame.as_ref().unwrap();
    assert!(!frame.is_empty());
}

#[test]
fn copy_and_export_the_current_view() {
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    editor_with(&mut app, "DeviceProcessEvents | project FileName, ProcessCommandLine | take 5 | sort by FileName asc");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    typed(&mut app, "y");
    assert!(app.clipboard.as_deref().is_some_and(|c| c.starts_with("\u{1b}]52;c;")));
    assert!(app.status.message.as_deref().unwrap().starts_with("copied FileName ("), "{:?}", app.status.message);
    typed(&mut app, "Y");
    assert!(app.status.message.as_deref().unwrap().starts_with("copied the row as JSON ("));

    let path = dir.path().join("view.csv");
    typed(&mut app, "E");
    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    assert!(app.prompt.is_none(), "{:?}", app.prompt);
    let mut rd = csv::Reader::from_path(&path).unwrap();
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), ["FileName", "ProcessCommandLine"]);
    let rows: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().unwrap();
    let frame = app.results.adhoc.as_ref().unwrap().frame.as_ref().unwrap();
    assert_eq!(rows.len(), frame.len());
    assert_eq!(&rows[0][0], kqlhunt::cli::print::value_text(&frame.value(0, 0)));

    // An existing file: Enter once warns, twice overwrites.
    send(&mut app, &[Action::Reverse]);
    typed(&mut app, "E");
    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    assert!(app.prompt.is_some(), "not overwritten unasked");
    send(&mut app, &[Action::Submit]);
    assert!(app.prompt.is_none());
    assert!(app.status.message.as_deref().unwrap().starts_with("exported 5 row(s)"));

    // A missing folder: the error names the path.
    typed(&mut app, "E");
    let bad = dir.path().join("missing/out.json");
    type_text(&mut app, bad.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    assert!(app.status.log.last().unwrap().contains("missing/out.json"), "{:?}", app.status.log);
    assert!(!bad.exists());
}
