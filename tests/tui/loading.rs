//! The first screen: the rule list draws at once while the events load,
//! with a progress line; counts fill in rule by rule; keys that need a
//! rule's results say so until it ran; Esc or q quits during the load.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::hunt::Hunt;
use kqlhunt::session::stepwise::Step;
use kqlhunt::session::{Options, selected_rules};
use kqlhunt::tui::action::Action;
use kqlhunt::tui::action_of;
use kqlhunt::tui::app::{App, Focus};
use kqlhunt::tui::load_state::Loading;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};

/// An app over the bundled rules whose load steps the test sends.
fn loading_app(rules: &std::path::Path, size: (u16, u16)) -> (App, mpsc::Sender<Step>, Arc<AtomicBool>) {
    let opts = Options { rules: vec![rules.to_path_buf()], ..Options::default() };
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let hunt = Hunt::pending(selected_rules(&opts).unwrap());
    let mut app = App::loading(hunt, size, Loading::new(rx, cancel.clone()));
    app.stopwatch = kqlhunt::tui::app::Stopwatch::Fixed(std::time::Duration::from_micros(300));
    (app, tx, cancel)
}

fn progress(done: u64) -> Step {
    // About 3 KB a row, as Defender exports.
    Step::Progress {
        done,
        total: 20_000_000,
        file: "/data/export/DeviceProcessEvents.jsonl".into(),
        rows: done / 3_000,
    }
}

#[test]
fn the_rule_list_draws_at_once_with_the_load_progress() {
    let rules = rules_copy();
    let (mut app, tx, _) = loading_app(rules.path(), (80, 24));
    tx.send(progress(5_000_000)).unwrap();
    app.update(Action::Tick);
    let s = screen(&app);
    assert!(s.contains("loading DeviceProcessEvents.jsonl · 5.0 of 20.0 MB · 1666 rows"), "{s}");
    assert!(s.contains("███░░░░░░░  25%") && s.contains("Esc  quit"), "{s}");
    assert!(s.contains('…'), "pending rules show no count yet: {s}");
    assert_snapshot!("loading_80x24", s);
    // Nor do the exclusion and timeline panes: "…", not zeros (at 120×40, where both show).
    app.update(Action::Resize(120, 40));
    let s = screen(&app);
    assert!(s.contains("0/5 on · not run yet") && s.contains("alone … · unique …"), "{s}");
    assert!(s.contains("Timeline · once the rule has run") && !s.contains("hide 0 of 0"), "{s}");
    // The rows read give way to the bar when both do not fit.
    app.update(Action::Resize(80, 24));
    let file = "/data/export/DeviceProcessEvents.jsonl".into();
    tx.send(Step::Progress { done: 15_000_000, total: 20_000_000, file, rows: 123_456_789 }).unwrap();
    app.update(Action::Tick);
    let s = screen(&app);
    assert!(s.contains("15.0 of 20.0 MB ") && !s.contains("123456789") && s.contains("  75%"), "{s}");
    app.update(Action::Resize(120, 40));
    assert!(screen(&app).contains("15.0 of 20.0 MB · 123456789 rows"));
    // Every size draws.
    for size in [(20, 6), (250, 80)] {
        app.update(Action::Resize(size.0, size.1));
        screen(&app);
    }
}

#[test]
fn keys_that_need_results_wait_and_esc_quits() {
    let rules = rules_copy();
    let (mut app, _tx, _) = loading_app(rules.path(), (120, 40));
    send(&mut app, &[Action::Down, Action::Enter]);
    assert_eq!(app.focus, Focus::Rules, "Enter on a rule that has not run stays");
    assert!(app.status.message.as_deref().unwrap_or("").contains("still loading"), "{:?}", app.status.message);
    let s = screen(&app);
    assert!(s.contains("still loading") && s.contains("loading the events"), "said beside the progress: {s}");
    send(&mut app, &[Action::AdHoc]);
    assert!(!app.editor.open, "no query before the events are in");
    // The search works while loading.
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "LiteManager");
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.rules.order.len(), 1);
    let esc = Event::Key(KeyEvent::from(KeyCode::Esc));
    assert_eq!(action_of(&app, esc), Some(Action::Quit), "Esc quits while loading");
    app.update(Action::Quit);
    assert!(app.quit);
    let q = Event::Key(KeyEvent::from(KeyCode::Char('q')));
    assert_eq!(action_of(&app, q), Some(Action::Quit));
}

#[test]
fn counts_fill_in_rule_by_rule_and_match_a_whole_load() {
    let rules = rules_copy();
    let whole = app_over(rules.path(), &[], (120, 40));
    let opts = Options { rules: vec![rules.path().to_path_buf()], ..Options::default() };
    let mut app = kqlhunt::tui::load::start(opts, (120, 40)).unwrap();
    assert!(app.load.is_some() && app.hunt.pending_count() == app.hunt.len());
    let start = std::time::Instant::now();
    while app.load.is_some() {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "the load ends");
        app.update(Action::Tick);
        screen(&app);
    }
    assert!(!app.quit && app.load_error.is_none());
    for i in 0..whole.hunt.len() {
        let (a, b) = (whole.hunt.get(i).unwrap().1, app.hunt.get(i).unwrap().1);
        assert_eq!((a.hits_before(), a.hits_after()), (b.hits_before(), b.hits_after()), "rule {i}");
    }
    assert_eq!(app.info.report.rows_loaded(), whole.info.report.rows_loaded());
    // Loaded: Enter acts, and the load report is there.
    open_litemanager(&mut app);
    assert_eq!(app.focus, Focus::Results);
    assert!(!app.results.order.is_empty());
}

#[test]
fn quitting_while_loading_stops_the_worker() {
    let rules = rules_copy();
    let opts = Options { rules: vec![rules.path().to_path_buf()], ..Options::default() };
    let cancel = opts.cancel.clone();
    let mut app = kqlhunt::tui::load::start(opts, (80, 24)).unwrap();
    app.update(Action::Quit);
    assert!(app.quit, "nothing unsaved: q quits at once");
    app.stop_loading();
    assert!(cancel.load(std::sync::atomic::Ordering::Relaxed), "the worker's cancel flag is set");
}

#[test]
fn one_rule_in_shows_its_counts_while_the_others_wait() {
    let rules = rules_copy();
    let opts = Options { rules: vec![rules.path().to_path_buf()], ..Options::default() };
    let list = selected_rules(&opts).unwrap().rules;
    let mut steps = Vec::new();
    kqlhunt::session::stepwise::load_stepwise(&opts, &list, &mut |s| steps.push(s));
    let (mut app, tx, _) = loading_app(rules.path(), (120, 40));
    // The events, then only LiteManager's run.
    let lite = list.iter().position(|r| r.name.contains("LiteManager")).unwrap();
    for step in steps {
        match step {
            Step::Events(_) => tx.send(step).unwrap(),
            Step::Ran(i, _) if i == lite => tx.send(step).unwrap(),
            _ => {}
        }
    }
    app.update(Action::Tick);
    assert!(app.load.as_ref().unwrap().events_in);
    assert!(!app.hunt.is_pending(lite) && app.hunt.pending_count() == list.len() - 1);
    let hits = app.hunt.get(lite).unwrap().1.hits_before();
    assert!(hits > 0);
    assert!(screen(&app).contains("running the rules: 1 of"), "{}", screen(&app));
    // The rule that ran opens; another says it has not run.
    open_litemanager(&mut app);
    assert_eq!(app.focus, Focus::Results);
    assert!(!app.results.order.is_empty(), "its device groups show");
    assert!(screen(&app).contains(&format!("{hits}")));
}
