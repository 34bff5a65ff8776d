//! Snapshots of every pane, the whole screen and the help overlay, rendered
//! into `TestBackend` at 120×40 and 80×24 from the bundled rules and samples
//! with the clock pinned to the newest sample event.

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::App;
use kqlhunt::tui::{draw, panes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn render(app: &App, size: (u16, u16), what: impl Fn(&mut ratatui::Frame, &App)) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| what(f, app)).unwrap();
    t.backend().to_string()
}

/// The demo state: LiteManager selected, the scheduled-job exclusion on.
fn demo(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], size);
    open_litemanager(&mut app);
    send(&mut app, &[Action::NextPane, Action::Toggle, Action::PrevPane]);
    (rules, app)
}

#[test]
fn screens() {
    for size in SIZES {
        let (_dir, mut app) = demo(size);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        assert_snapshot!(name("main"), render(&app, size, draw::draw));
        assert_snapshot!(name("rules"), render(&app, size, |f, a| panes::rules::draw(f, f.area(), a)));
        assert_snapshot!(name("results"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        assert_snapshot!(name("exclusions"), render(&app, size, |f, a| panes::exclusions::draw(f, f.area(), a)));
        assert_snapshot!(name("query"), render(&app, size, |f, a| panes::query::draw(f, f.area(), a)));
        assert_snapshot!(name("timeline"), render(&app, size, |f, a| panes::timeline::draw(f, f.area(), a)));
        assert_snapshot!(name("status"), render(&app, size, |f, a| panes::status::draw(f, f.area(), a)));
        send(&mut app, &[Action::ToggleHidden, Action::Enter]);
        assert_snapshot!(name("drill"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        send(&mut app, &[Action::Enter]);
        assert_snapshot!(name("event"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        send(&mut app, &[Action::Propose]);
        assert_snapshot!(name("prompt"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Cancel, Action::Help]);
        assert_snapshot!(name("help"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Cancel, Action::Quit]);
        assert_snapshot!(name("confirm_quit"), render(&app, size, draw::draw));
    }
}

#[test]
fn tiny_and_resized_terminals_never_panic() {
    let (_dir, mut app) = demo((120, 40));
    for (w, h) in [(0, 0), (1, 1), (9, 2), (20, 5), (40, 12), (69, 19), (70, 20), (200, 60)] {
        app.update(Action::Resize(w, h));
        for a in [Action::Enter, Action::Down, Action::Click(w / 2, h / 2), Action::WheelDown(1, 1), Action::Back] {
            app.update(a);
            render(&app, (w.max(1), h.max(1)), draw::draw);
        }
    }
    app.update(Action::Resize(30, 8));
    let small = render(&app, (30, 8), draw::draw);
    assert!(small.contains("Rules") && !small.contains("Exclusions"), "below 70×20 only the focused pane:\n{small}");
}

#[test]
fn readme_key_table_is_generated_from_the_key_map() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = kqlhunt::tui::keys::markdown_table();
    assert!(readme.contains(&table), "README.md's TUI key table is stale; paste:\n{table}");
}
