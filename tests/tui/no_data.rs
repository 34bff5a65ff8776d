//! A rule over a table with no events loaded says so: `n/a` in the rule
//! list and a note in its results, never a quiet "none" that reads as "the
//! data has no hits".

use std::path::PathBuf;

use crate::tui_common::*;
use kqlhunt::tui::action::Action;

#[test]
fn a_rule_whose_table_has_no_events_is_marked_not_none() {
    let rules = rules_copy();
    let only_processes = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/DeviceProcessEvents.jsonl");
    let mut app = app_over(rules.path(), &[only_processes], (120, 40));
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "Level");
    send(&mut app, &[Action::Submit]);
    assert_eq!(counts(&app).1, 0);
    let shown = screen(&app);
    assert!(shown.contains("n/a"), "{shown}");
    assert!(shown.contains("no DeviceFileCertificateInfo events are loaded"), "{shown}");

    // A rule whose table is loaded keeps its plain status.
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "LiteManager");
    send(&mut app, &[Action::Submit]);
    let shown = screen(&app);
    assert!(!shown.contains("n/a") && !shown.contains("events are loaded"), "{shown}");
}
