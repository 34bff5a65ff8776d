//! Snapshots of every pane, the whole screen and the help overlay, rendered
//! into `TestBackend` at 120×40 and 80×24 from the bundled rules and samples
//! with the clock pinned to the newest sample event.

mod tui_common;

use insta::assert_snapshot;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::App;
use kqlhunt::tui::{draw, panes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_common::*;

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

/// A 58-column ad-hoc result draws its rows at once (it used to hang the
/// layout solver), and `→` scrolls to the last column with the first pinned.
#[test]
fn wide_adhoc_result_scrolls_by_column() {
    for size in SIZES {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        send(&mut app, &[Action::AdHoc]);
        type_text(&mut app, "DeviceProcessEvents | take 3");
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        let ncols = app.results.adhoc.as_ref().and_then(|v| v.frame.as_ref().ok()).map_or(0, |f| f.cols().len());
        assert_eq!(ncols, 58);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        let screen = render(&app, size, draw::draw);
        assert!(screen.contains("row 1/3") && screen.contains("of 58"), "{screen}");
        assert!(!screen.contains("drill down") && !screen.contains("show hidden"), "no idle hints:\n{screen}");
        assert_snapshot!(name("adhoc_wide"), screen);
        let mut presses = 0;
        while !render(&app, size, draw::draw).contains("AdditionalFields") {
            assert!(presses < 58, "→ never reaches AdditionalFields");
            send(&mut app, &[Action::ScrollRight]);
            presses += 1;
        }
        let screen = render(&app, size, draw::draw);
        assert!(screen.contains("Timestamp"), "the first column stays:\n{screen}");
        assert_snapshot!(name("adhoc_wide_end"), screen);
        send(&mut app, &[Action::ScrollRight; 80]);
        assert_eq!(app.results.adhoc.as_ref().map(|v| v.col_offset), Some(57), "clamped at the last column");
        send(&mut app, &[Action::ScrollLeft; 80]);
        assert_eq!(app.results.adhoc.as_ref().map(|v| v.col_offset), Some(1), "clamped at the first scrolled column");
        let (sort, desc) = (app.results.sort, app.results.desc);
        send(&mut app, &[Action::Reverse]);
        assert_eq!((app.results.sort, app.results.desc), (sort, desc), "the hidden device list is not re-sorted");
        assert!(app.status.message.as_deref().is_some_and(|m| m.contains("sort by")), "{:?}", app.status.message);
    }
}

