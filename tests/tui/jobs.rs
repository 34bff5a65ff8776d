//! Work scheduling: derived lists are rebuilt only when an action changed
//! their inputs (ticks and resizes rebuild nothing; a toggle rebuilds what
//! shows the toggled rule's counts), and stacking and proposals run as
//! cancellable background jobs whose stale results are not shown.

use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus, Overlay};
use kqlhunt::tui::derived::Rebuilds;

/// LiteManager's device groups with the first device's hit list open.
fn drilled() -> (tempfile::TempDir, App) {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::Enter]);
    assert!(app.results.drill.is_some());
    (rules, app)
}

fn rebuilds(app: &App) -> Rebuilds {
    app.derived.rebuilds
}

#[test]
fn ticks_resizes_and_moves_rebuild_nothing() {
    let (_rules, mut app) = drilled();
    let before = rebuilds(&app);
    for _ in 0..200 {
        app.update(Action::Tick);
    }
    for (w, h) in [(80, 24), (250, 80), (120, 40)] {
        app.update(Action::Resize(w, h));
    }
    assert_eq!(rebuilds(&app), before, "no input changed: nothing is rebuilt");
    // Moving the cursor in the hit list changes none of its inputs either.
    send(&mut app, &[Action::Down, Action::Up, Action::ScrollRight]);
    assert_eq!(rebuilds(&app), before);
    // Sorting the hit list rebuilds it alone.
    send(&mut app, &[Action::Reverse]);
    assert_eq!(rebuilds(&app), Rebuilds { drill: before.drill + 1, ..before });
}

#[test]
fn a_toggle_rebuilds_exactly_the_views_of_its_rule() {
    let (_rules, mut app) = drilled();
    send(&mut app, &[Action::Stack]);
    assert!(app.top_stack().is_some(), "f pushed a frequency view");
    let before = rebuilds(&app);
    let r = app.rule().unwrap();
    let generation = app.hunt.rule_generation(r);
    app.focus = Focus::Exclusions;
    app.exclusions.selected = 1;
    send(&mut app, &[Action::Toggle]);
    assert!(app.hunt.rule_generation(r) > generation, "the toggle moved the rule's generation");
    // The rule list (its counts), the groups, the hit list and the frequency
    // view: each once. The rule has groups, so no output is rebuilt.
    let want = Rebuilds {
        rules: before.rules + 1,
        groups: before.groups + 1,
        drill: before.drill + 1,
        views: before.views + 1,
        output: before.output,
    };
    assert_eq!(rebuilds(&app), want);
    // The frequency view's hidden counts follow the toggle.
    let s = app.top_stack().unwrap();
    let run = app.hunt.get(r).unwrap().1;
    let device_hidden = run.hidden_in(app.results.drill.as_ref().unwrap().group).len();
    assert_eq!(s.all().iter().map(|v| v.hidden).sum::<usize>(), device_hidden);
    // Then ticks: nothing.
    for _ in 0..50 {
        app.update(Action::Tick);
    }
    assert_eq!(rebuilds(&app), want);
}

#[test]
fn stacking_runs_as_a_job_that_esc_cancels() {
    let (_rules, mut app) = drilled();
    app.update(Action::Stack);
    assert!(app.running.is_some(), "stacking runs in the background");
    assert!(app.job_line().unwrap().contains("stacking"), "{:?}", app.job_line());
    // While it runs, Esc is the cancel key.
    let esc = ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Esc);
    let action = kqlhunt::tui::action_of(&app, ratatui::crossterm::event::Event::Key(esc));
    assert_eq!(action, Some(Action::CancelQuery));
    app.update(Action::CancelQuery);
    assert!(app.job_line().unwrap().starts_with("cancelling"));
    app.settle_query();
    assert!(app.results.views.is_empty(), "a cancelled stack pushes nothing");
    assert!(app.status.message.as_deref().unwrap_or("").contains("cancelled"), "{:?}", app.status.message);
    // Once it ran to the end, the view is pushed.
    send(&mut app, &[Action::Stack]);
    assert!(app.top_stack().is_some());
}

#[test]
fn a_proposal_made_before_a_toggle_is_not_shown() {
    let (_rules, mut app) = drilled();
    send(&mut app, &[Action::Mark]);
    app.update(Action::Suggest);
    assert!(app.running.is_some(), "proposing runs in the background");
    // The exclusions change while it runs (a direct update: keys would only cancel).
    let r = app.rule().unwrap();
    app.hunt.toggle(r, 0);
    app.settle_query();
    assert_eq!(app.overlay, Overlay::None, "a stale proposal is dropped");
    assert!(app.status.message.as_deref().unwrap_or("").contains("changed"), "{:?}", app.status.message);
    // Asked again, it opens.
    send(&mut app, &[Action::Suggest]);
    assert!(matches!(app.overlay, Overlay::Suggest(_)), "{:?}", app.status.message);
}
