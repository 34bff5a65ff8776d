//! `x` with the operator chooser and its live preview, building a filter
//! from two values with `and` / `or`; and the explanation of hidden hits:
//! which exclusion hides a row, `X` to show it, hidden counts per device,
//! and `h` with its counter.

use crate::tui_common::*;
use kqlhunt::hunt::{Join, TermOp};
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus, Overlay};
use kqlhunt::tui::dialogs::Chooser;

const SCHEDULED: &str = "Scheduled Job Execution by LiteManager";

fn chooser(app: &App) -> &Chooser {
    match &app.overlay {
        Overlay::Chooser(c) => c,
        other => panic!("the chooser is not open: {other:?}"),
    }
}

/// Selects field `name` of the open raw event.
fn select_field(app: &mut App, name: &str) {
    let ev = app.results.drill.as_ref().unwrap().event.as_ref().unwrap();
    let target = ev.fields.iter().position(|(k, _)| k == name).unwrap();
    let now = ev.selected;
    app.update(Action::Top);
    for _ in 0..target {
        app.update(Action::Down);
    }
    let _ = now;
}

#[test]
fn x_offers_every_operator_with_a_live_preview_and_builds_a_filter_from_two_values() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    let r = app.rule().unwrap();
    send(&mut app, &[Action::Enter, Action::Enter]);
    select_field(&mut app, "FileName");
    send(&mut app, &[Action::Propose]);
    let c = chooser(&app);
    assert_eq!(c.choices.iter().map(|ch| ch.op).collect::<Vec<_>>(), TermOp::ALL);
    assert_eq!(c.join, Join::New, "nothing built yet");
    let file = c.value.clone();
    assert_eq!(c.filter(), Some(format!("FileName == \"{file}\"").as_str()));
    for ch in &c.choices {
        let p = ch.preview.as_ref().unwrap().as_ref().unwrap();
        assert!(p.alone_hits > 0 && p.alone_hits <= p.hits, "{ch:?}");
        assert_eq!(p.with_active_hits, p.alone_hits, "no exclusion is active yet");
    }
    // The selection moves through the operators; the preview follows.
    send(&mut app, &[Action::Down, Action::Down, Action::Down, Action::Down, Action::Down]);
    let c = chooser(&app);
    assert_eq!(c.choices[c.selected].op, TermOp::EndsWith);
    assert_eq!(c.filter(), Some(format!("FileName endswith \"{file}\"").as_str()));
    let ends = c.choices[c.selected].preview.clone().unwrap().unwrap();
    let eq = c.choices[0].preview.clone().unwrap().unwrap();
    assert!(ends.alone_hits >= eq.alone_hits, "a suffix matches at least what equality does");

    // b keeps it; x on a second value joins it with `and`, Tab makes it `or`.
    send(&mut app, &[Action::Build]);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.status.message.as_deref().unwrap_or("").starts_with("building: FileName endswith"));
    select_field(&mut app, "AccountName");
    send(&mut app, &[Action::Propose]);
    let c = chooser(&app);
    assert_eq!(c.join, Join::And);
    let account = c.value.clone();
    let and = format!("FileName endswith \"{file}\" and AccountName == \"{account}\"");
    assert_eq!(c.filter(), Some(and.as_str()));
    let and_hits = c.choices[0].preview.clone().unwrap().unwrap().alone_hits;
    assert!(and_hits <= ends.alone_hits, "and narrows");
    send(&mut app, &[Action::NextField]);
    let c = chooser(&app);
    assert_eq!(c.join, Join::Or);
    let or_hits = c.choices[0].preview.clone().unwrap().unwrap().alone_hits;
    assert!(or_hits >= ends.alone_hits, "or widens");
    send(&mut app, &[Action::NextField, Action::NextField]);
    assert_eq!(chooser(&app).join, Join::And, "Tab cycles new / and / or");

    // Enter opens the form with the filter; the draft is used up.
    send(&mut app, &[Action::Submit]);
    let f = crate::flow::form(&app);
    assert_eq!(f.fields[2].text, and);
    send(&mut app, &[Action::Submit]);
    let (rule, _) = app.hunt.get(r).unwrap();
    assert_eq!(rule.exclusions.last().unwrap().filter.as_deref(), Some(and.as_str()));
    assert!(app.exclusions.draft.is_none());
}

#[test]
fn the_preview_counts_the_active_set_and_x_works_on_grid_cells() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (80, 24));
    open_litemanager(&mut app);
    let r = app.rule().unwrap();
    let ex = app.hunt.get(r).unwrap().0.exclusions.iter().position(|e| e.name == SCHEDULED).unwrap();
    app.hunt.toggle(r, ex);
    send(&mut app, &[Action::Top]);
    let hidden_now = 15 - counts(&app).2;
    assert!(hidden_now > 0);

    // x on the device list's DeviceName cell.
    send(&mut app, &[Action::Propose]);
    let c = chooser(&app);
    assert_eq!(c.column, "DeviceName");
    let p = c.choices[0].preview.clone().unwrap().unwrap();
    assert_eq!(p.active_hits, hidden_now);
    assert!(p.with_active_hits >= p.active_hits.max(p.alone_hits));
    assert!(p.alone_devices >= 1, "a device's own name hides the whole device");
    send(&mut app, &[Action::Cancel]);

    // On a cell that is not one value, x says where to go.
    send(&mut app, &[Action::ScrollRight, Action::Propose]);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.status.message.as_deref().unwrap_or("").starts_with("x: put the column cursor"));

    // x on a hit row's ActionType cell.
    send(&mut app, &[Action::ScrollLeft, Action::Enter, Action::ToggleHidden]);
    send(&mut app, &[Action::ScrollRight, Action::ScrollRight, Action::Propose]);
    let c = chooser(&app);
    assert_eq!(c.column, "ActionType");
    assert_eq!(c.value, "ProcessCreated");
}

#[test]
fn hidden_hits_name_their_exclusion_and_x_shows_it() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    let r = app.rule().unwrap();
    let ex = app.hunt.get(r).unwrap().0.exclusions.iter().position(|e| e.name == SCHEDULED).unwrap();
    app.hunt.toggle(r, ex);
    send(&mut app, &[Action::Top]);

    // Device rows carry their hidden count; h is counted in the title.
    let screen = render_results(&app);
    assert!(screen.contains("Hidden"), "{screen}");
    assert!(screen.contains(" · 15 hidden"), "{screen}");
    send(&mut app, &[Action::ToggleHidden]);
    let screen = render_results(&app);
    assert!(screen.contains(&format!("+{} hidden shown", 15 - counts(&app).2)), "{screen}");

    // X on a device with hidden hits shows the exclusion.
    let g = app
        .results
        .order
        .iter()
        .position(|&g| {
            app.hunt.get(r).unwrap().1.groups[g].hits_after < app.hunt.get(r).unwrap().1.groups[g].hits_before()
        })
        .unwrap();
    app.results.selected = g;
    send(&mut app, &[Action::JumpToExclusion]);
    assert_eq!(app.focus, Focus::Exclusions);
    assert_eq!(app.exclusions.selected, ex);
    assert_eq!(app.status.message.as_deref(), Some(format!("hidden by: {SCHEDULED}").as_str()));

    // In the device's hits, a hidden row names it; X from the row and from its raw event.
    send(&mut app, &[Action::PrevPane, Action::Enter]);
    let d = app.results.drill.as_ref().unwrap();
    let row = d.rows.iter().position(|h| h.hidden).unwrap();
    assert_eq!(d.rows[row].hidden_by, SCHEDULED);
    assert!(d.rows.iter().filter(|h| !h.hidden).all(|h| h.hidden_by.is_empty()));
    let screen = render_results(&app);
    assert!(screen.contains("Hidden by") && screen.contains("Scheduled Job"), "{screen}");
    app.results.drill.as_mut().unwrap().selected = row;
    app.exclusions.selected = 0;
    send(&mut app, &[Action::Enter, Action::JumpToExclusion]);
    assert_eq!((app.focus, app.exclusions.selected), (Focus::Exclusions, ex));
    // A shown hit: nothing hides it.
    send(&mut app, &[Action::PrevPane, Action::Back]);
    let d = app.results.drill.as_ref().unwrap();
    let shown = d.rows.iter().position(|h| !h.hidden);
    if let Some(i) = shown {
        app.results.drill.as_mut().unwrap().selected = i;
        send(&mut app, &[Action::JumpToExclusion]);
        assert_eq!(app.focus, Focus::Results);
        assert!(app.status.message.as_deref().unwrap_or("").starts_with("not hidden"));
    }
}

fn render_results(app: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| kqlhunt::tui::panes::results::draw(f, f.area(), app)).unwrap();
    t.backend().to_string()
}
