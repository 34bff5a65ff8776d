//! Event text is untrusted: an event carrying ESC, OSC 52, CSI, BEL,
//! backspace, U+202E and zero-width characters is drawn escaped, in the
//! device table, the hit list, the raw event and the cell inspector.

use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::draw;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const RULE: &str = "id: 11111111-2222-3333-4444-555555555555
name: Hostile text
description: An event whose fields try to drive the terminal.
query: |
  DeviceProcessEvents
  | where FileName startswith \"evil\"
";

fn screen(app: &kqlhunt::tui::app::App) -> String {
    let mut t = Terminal::new(TestBackend::new(160, 50)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    buf.content().iter().map(|c| c.symbol()).collect()
}

fn assert_inert(s: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{8}', '\u{202e}', '\u{200b}', '\u{200d}', '\u{feff}'] {
        assert!(!s.contains(bad), "{bad:?} reached the screen");
    }
}

#[test]
fn hostile_event_text_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("hostile.yaml"), RULE).unwrap();
    let event = serde_json::json!({
        "Timestamp": "2026-11-20T10:00:00Z",
        "DeviceId": "dev\u{200b}1",
        "DeviceName": "host\u{202e}exe.txt",
        "ActionType": "ProcessCreated",
        "FileName": "evil\u{1b}[2J.exe",
        "ProcessCommandLine": "cmd \u{1b}]52;c;ZXZpbA==\u{7} back\u{8}\u{8}space",
        "AccountName": "\u{feff}zw\u{200d}j",
        "ReportId": 42
    });
    let events = dir.path().join("DeviceProcessEvents.jsonl");
    std::fs::write(&events, format!("{event}\n")).unwrap();
    let mut app = app_over(&rules, &[events], (160, 50));
    assert_eq!(counts(&app).1, 1, "the hostile event is a hit");

    send(&mut app, &[Action::Enter]);
    let s = screen(&app);
    assert_inert(&s);
    assert!(s.contains("host\\u{202e}exe.txt"), "device name escaped");

    send(&mut app, &[Action::Enter]);
    let s = screen(&app);
    assert_inert(&s);
    assert!(s.contains("evil\\e[2J.exe"), "CSI escaped in the hit list");

    send(&mut app, &[Action::Enter]);
    let s = screen(&app);
    assert_inert(&s);
    assert!(s.contains("\\e]52;c;ZXZpbA==\\x07"), "OSC 52 and BEL escaped in the raw event");
    assert!(s.contains("back\\x08\\x08space"), "backspaces escaped");
    assert!(s.contains("\\u{feff}zw\\u{200d}j"), "zero-width characters escaped");
    assert!(s.contains("dev\\u{200b}1"), "zero-width space escaped");

    // The cell inspector shows a whole value, inert too.
    send(&mut app, &[Action::Back, Action::Back]);
    editor_with(&mut app, "DeviceProcessEvents | project ProcessCommandLine, FileName");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    send(&mut app, &[Action::Enter]);
    let s = screen(&app);
    assert_inert(&s);
    assert!(s.contains("ProcessCommandLine · Esc closes"), "{s}");
    assert!(s.contains("\\e]52;c;ZXZpbA==\\x07"), "OSC 52 and BEL escaped in the inspector");
}

#[test]
fn a_repaired_rule_is_marked_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/repair/tabs.yaml");
    std::fs::copy(&fixture, dir.path().join("tabs.yaml")).unwrap();
    let app = app_over(dir.path(), &[], (160, 50));
    let (rule, _) = app.hunt.get(0).unwrap();
    assert!(!rule.repairs.is_empty(), "the fixture needs a repair");
    let s = screen(&app);
    assert!(s.contains("(repaired) "), "{s}");
}
