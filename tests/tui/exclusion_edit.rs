//! Exclusions as an analyst manages them in the TUI, through `Action`s: the
//! form (name, description, filter; checked live), edit, rename, delete and
//! undo, reorder, and saving through the diff preview — after which the rule
//! file differs from the original by exactly the change made.

use crate::flow::form;
use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Feedback, Focus, Overlay};

const LITEMANAGER: &str = "remote-management-and-monitoring-tool-litemanager-create-process.yaml";

/// The selected rule's exclusion names, in order.
fn names(app: &App) -> Vec<String> {
    let r = app.rule().unwrap();
    app.hunt.get(r).unwrap().0.exclusions.iter().map(|e| e.name.clone()).collect()
}

fn type_in(app: &mut App, text: &str) {
    type_text(app, text);
}

/// Opens LiteManager and focuses its exclusions pane.
fn exclusions_of_litemanager(app: &mut App) {
    open_litemanager(app);
    send(app, &[Action::NextPane]);
    assert_eq!(app.focus, Focus::Exclusions);
}

#[test]
fn add_edit_delete_undo_then_save_through_the_preview_changes_exactly_that() {
    let rules = rules_copy();
    let path = rules.path().join(LITEMANAGER);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut app = app_over(rules.path(), &[], (120, 40));
    exclusions_of_litemanager(&mut app);
    let before = names(&app);

    // Add: the form starts on the name, top-down: name, description, filter.
    send(&mut app, &[Action::Add]);
    assert_eq!(form(&app).focus, 0, "a new exclusion starts at its name");
    type_in(&mut app, "ROMServer on jump hosts");
    assert_eq!(form(&app).fields[0].text, "ROMServer on jump hosts", "the name went into the name field");
    send(&mut app, &[Action::NextField]);
    type_in(&mut app, "The jump hosts run the LiteManager server by design.");
    send(&mut app, &[Action::NextField]);
    assert_eq!(form(&app).focus, 2);
    type_in(&mut app, "FileName =~ \"ROMServer.exe\"");
    assert!(matches!(form(&app).feedback, Feedback::Hides(n, 15) if n > 0), "{:?}", form(&app).feedback);
    // The default name (used when the name is left empty) comes from the filter.
    assert_eq!(form(&app).default_name, "FileName =~ ROMServer.exe");
    send(&mut app, &[Action::NextField]);
    assert_eq!(form(&app).focus, 0, "Tab wraps to the name");
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.overlay, Overlay::None);
    let mut want = before.clone();
    want.push("ROMServer on jump hosts".into());
    assert_eq!(names(&app), want);
    let r = app.rule().unwrap();
    let added = app.hunt.get(r).unwrap().0.exclusions.last().unwrap().clone();
    assert_eq!(added.description.as_deref(), Some("The jump hosts run the LiteManager server by design."));
    assert!(added.enabled, "a new exclusion with a filter is on");
    assert_eq!(app.exclusions.selected, want.len() - 1);
    let after_add = counts(&app).2;
    assert!(after_add < 15);

    // A taken name is refused (the form stays, the name field shows why).
    send(&mut app, &[Action::Edit, Action::NextField]);
    assert_eq!(form(&app).focus, 0);
    for _ in 0.."ROMServer on jump hosts".len() {
        app.update(Action::Backspace);
    }
    type_in(&mut app, &before[0]);
    assert!(form(&app).name_problem.as_deref().unwrap_or("").contains("already has"), "{:?}", form(&app));
    send(&mut app, &[Action::Submit]);
    assert!(matches!(app.overlay, Overlay::Form(_)), "not accepted");
    // Edit: a new name, and a filter error first (shown with a caret, not accepted).
    for _ in 0..before[0].len() {
        app.update(Action::Backspace);
    }
    type_in(&mut app, "ROMServer.exe on jump hosts");
    send(&mut app, &[Action::PrevField]);
    assert_eq!(form(&app).focus, 2);
    type_in(&mut app, " and");
    let Feedback::Error(e) = &form(&app).feedback else { panic!("a dangling `and` is an error") };
    assert!(e.contains('^'), "{e}");
    send(&mut app, &[Action::Submit]);
    assert!(matches!(app.overlay, Overlay::Form(_)), "not accepted");
    type_in(&mut app, " DeviceName startswith \"jump\"");
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.overlay, Overlay::None, "{:?}", app.status.message);
    let edited = app.hunt.get(r).unwrap().0.exclusions.last().unwrap().clone();
    assert_eq!(edited.name, "ROMServer.exe on jump hosts");
    assert_eq!(edited.filter.as_deref(), Some("FileName =~ \"ROMServer.exe\" and DeviceName startswith \"jump\""));

    // Delete, then undo: it is back, where it was, as it was.
    send(&mut app, &[Action::DeleteExclusion]);
    assert_eq!(names(&app), before);
    assert!(app.status.message.as_deref().unwrap_or("").contains("u undoes"));
    send(&mut app, &[Action::Undo]);
    assert_eq!(app.hunt.get(r).unwrap().0.exclusions.last().unwrap(), &edited);
    assert_eq!(app.status.message.as_deref(), Some("undone: delete 'ROMServer.exe on jump hosts'"));

    // Save through the preview: the diff shows the new entry.
    send(&mut app, &[Action::Save]);
    let Overlay::SavePreview(p) = &app.overlay else { panic!("w opens the preview") };
    assert_eq!(p.files.len(), 1);
    assert!(p.files[0].path.ends_with(LITEMANAGER));
    let added_lines: Vec<&String> =
        p.files[0].diff.iter().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert_eq!(added_lines.len(), 4, "{:?}", p.files[0].diff);
    assert!(p.files[0].diff.iter().all(|l| !l.starts_with('-') || l.starts_with("---")), "nothing removed");
    assert_eq!(p.this_rule, Some(r));
    send(&mut app, &[Action::SaveRule]);
    assert_eq!(app.overlay, Overlay::None);
    assert!(!app.hunt.is_dirty(r));
    let saved = std::fs::read_to_string(&path).unwrap();
    let expected = format!(
        "{original}  - name: ROMServer.exe on jump hosts\n    description: The jump hosts run the LiteManager server by design.\n    filter: 'FileName =~ \"ROMServer.exe\" and DeviceName startswith \"jump\"'\n    enabled: true\n"
    );
    assert_eq!(saved, expected, "the file changed by exactly the new entry");
}

#[test]
fn rename_reorder_and_undo_every_step() {
    let rules = rules_copy();
    let path = rules.path().join(LITEMANAGER);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut app = app_over(rules.path(), &[], (80, 24));
    exclusions_of_litemanager(&mut app);
    let before = names(&app);

    // Rename the second exclusion (r: the form, cursor on the name).
    send(&mut app, &[Action::Down, Action::Rename]);
    assert_eq!(form(&app).focus, 0);
    assert_eq!(form(&app).fields[0].text, before[1]);
    send(&mut app, &[Action::End]);
    type_in(&mut app, " (IT)");
    send(&mut app, &[Action::Submit]);
    assert_eq!(names(&app)[1], format!("{} (IT)", before[1]));

    // Reorder: up to the top, then down twice.
    send(&mut app, &[Action::MoveUp]);
    assert_eq!(app.exclusions.selected, 0);
    assert_eq!(names(&app)[0], format!("{} (IT)", before[1]));
    send(&mut app, &[Action::MoveUp]);
    assert_eq!(app.exclusions.selected, 0, "the top stays the top");
    send(&mut app, &[Action::MoveDown, Action::MoveDown]);
    assert_eq!(app.exclusions.selected, 2);
    assert_eq!(names(&app)[2], format!("{} (IT)", before[1]));

    // Undo walks back every edit, the rename last.
    send(&mut app, &[Action::Undo, Action::Undo, Action::Undo]);
    assert_eq!(names(&app)[1], format!("{} (IT)", before[1]));
    send(&mut app, &[Action::Undo]);
    assert_eq!(names(&app), before);
    let r = app.rule().unwrap();
    assert!(!app.hunt.is_dirty(r), "back to the saved state");
    send(&mut app, &[Action::Undo]);
    assert_eq!(app.status.message.as_deref(), Some("nothing to undo"));

    // Rename and move, then save all: the file keeps every byte but the two items' order and name.
    send(&mut app, &[Action::Top, Action::Rename, Action::End]);
    type_in(&mut app, " v2");
    send(&mut app, &[Action::Submit, Action::MoveDown, Action::Save]);
    let Overlay::SavePreview(p) = &app.overlay else { panic!("preview") };
    assert!(
        p.files[0].diff.iter().any(|l| l.starts_with("+  - name: ") && l.ends_with(" v2")),
        "{:?}",
        p.files[0].diff
    );
    send(&mut app, &[Action::SaveAll]);
    let saved = std::fs::read_to_string(&path).unwrap();
    let first = original.find("  - name: Scheduled").unwrap();
    let second = original.find("  - name: Admin Task").unwrap();
    let third = original.find("  - name: Remote System").unwrap();
    let expected = format!(
        "{}{}{}{}",
        &original[..first],
        &original[second..third],
        original[first..second].replacen("by LiteManager\n", "by LiteManager v2\n", 1),
        &original[third..]
    );
    assert_eq!(saved, expected);
}

#[test]
fn quitting_lists_the_files_a_save_would_write() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    exclusions_of_litemanager(&mut app);
    send(&mut app, &[Action::Toggle]);
    let unsaved = app.unsaved();
    assert_eq!(unsaved.len(), 1);
    assert!(unsaved[0].1.ends_with(LITEMANAGER), "{unsaved:?}");
    // Toggled back: the rule is still marked, but nothing would be written.
    send(&mut app, &[Action::Toggle]);
    assert!(app.unsaved()[0].1.contains("nothing to write"), "{:?}", app.unsaved());
    send(&mut app, &[Action::Save]);
    let Overlay::SavePreview(p) = &app.overlay else { panic!("preview") };
    assert!(p.files.is_empty() && p.notes[0].contains("nothing to write"), "{p:?}");
    send(&mut app, &[Action::Cancel]);
    assert_eq!(app.overlay, Overlay::None);
}
