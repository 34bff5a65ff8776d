//! The demo flow driven through `Action`s, asserting the counts every pane
//! shows: LiteManager → devices → a device → a ReportId → raw event → back
//! → toggle an exclusion → counts change → over-broad flag → save → reload.

use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{Feedback, Focus, Overlay, PromptKind};

const SCHEDULED: &str = "Scheduled Job Execution by LiteManager";

#[test]
fn demo_flow_counts_follow_and_survive_a_save() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    assert_eq!(app.focus, Focus::Results);
    let (_, before, after) = counts(&app);
    assert_eq!((before, after), (15, 15));
    let r = app.rule().unwrap();
    let devices = app.hunt.get(r).unwrap().1.groups.len();
    assert_eq!(app.results.order.len(), devices);
    assert_eq!(devices, 6);

    // Second device → its hits → second hit → raw event.
    send(&mut app, &[Action::Down, Action::Enter]);
    let group = app.results.drill.as_ref().unwrap().group;
    let group_hits = app.hunt.get(r).unwrap().1.groups[group].hits_before();
    assert_eq!(app.results.drill.as_ref().unwrap().rows.len(), group_hits);
    send(&mut app, &[Action::Down, Action::Enter]);
    let drill = app.results.drill.as_ref().unwrap();
    let row = drill.rows[drill.selected].clone();
    let ev = drill.event.as_ref().unwrap();
    let report = ev.fields.iter().find(|(k, _)| k == "ReportId").map(|(_, v)| kqlhunt::cli::print::value_text(v));
    assert_eq!(report.as_deref(), Some(row.report.as_str()), "the raw event is the selected ReportId's");
    assert!(ev.fields.len() > 20, "every column of the event");

    // Back twice keeps the selections.
    send(&mut app, &[Action::Back]);
    assert!(app.results.drill.as_ref().unwrap().event.is_none());
    assert_eq!(app.results.drill.as_ref().unwrap().selected, 1);
    send(&mut app, &[Action::Back]);
    assert!(app.results.drill.is_none());
    assert_eq!(app.results.selected, 1);

    // Toggle the scheduled-job exclusion: every count follows.
    send(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus, Focus::Exclusions);
    let ex = app.hunt.get(r).unwrap().0.exclusions.iter().position(|e| e.name == SCHEDULED).unwrap();
    app.exclusions.selected = ex;
    send(&mut app, &[Action::Toggle]);
    let (_, before, after) = counts(&app);
    assert_eq!(before, 15);
    assert!(after < before, "the exclusion hides hits: {before} → {after}");
    let run = app.hunt.get(r).unwrap().1;
    assert_eq!(run.groups.iter().map(|g| g.hits_after).sum::<usize>(), after, "device rows follow");
    assert_eq!(app.results.order.len(), devices, "groups hidden entirely stay listed");
    assert!(run.impact[ex].over_broad, "the scheduled-job exclusion hides over half the hits");
    let timeline = run.hourly(None);
    assert_eq!(timeline.after.iter().sum::<u64>() as usize, after, "the timeline follows");
    assert_eq!(app.status.timing.map(|t| t.0), Some("toggle"));
    assert!(app.hunt.is_dirty(r));

    // Quitting now asks; cancel, then save.
    send(&mut app, &[Action::Quit]);
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    send(&mut app, &[Action::Cancel]);
    assert!(!app.quit && app.overlay == Overlay::None);
    send(&mut app, &[Action::Save]);
    assert!(!app.hunt.is_dirty(r));
    assert!(app.status.message.as_deref().unwrap_or("").starts_with("saved"));

    // Reload from the saved folder: the state is kept.
    let mut again = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut again);
    let (rule, _) = again.hunt.get(again.rule().unwrap()).unwrap();
    assert!(rule.exclusions.iter().find(|e| e.name == SCHEDULED).unwrap().enabled);
    assert_eq!(counts(&again).2, after);
    send(&mut again, &[Action::Quit]);
    assert!(again.quit, "nothing unsaved: quits at once");
}

#[test]
fn filters_are_validated_and_previewed_live() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::NextPane, Action::Add]);
    type_text(&mut app, "FileName == \"ROMServer.exe");
    let Feedback::Error(e) = &app.prompt.as_ref().unwrap().feedback else {
        panic!("an unterminated string is an error")
    };
    assert!(e.contains('^'), "the error has a caret: {e}");
    send(&mut app, &[Action::Submit]);
    assert!(app.prompt.is_some(), "an invalid filter is not added");
    type_text(&mut app, "\"");
    let Feedback::Hides(n, total) = app.prompt.as_ref().unwrap().feedback else { panic!("valid now") };
    assert!(n > 0 && n < total, "{n} of {total}");
    let r = app.rule().unwrap();
    let count = app.hunt.get(r).unwrap().0.exclusions.len();
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.hunt.get(r).unwrap().0.exclusions.len(), count + 1);
    assert_eq!(counts(&app).2, 15 - n, "the new exclusion is on");
    assert_eq!(app.exclusions.selected, count);
    send(&mut app, &[Action::Quit]);
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    send(&mut app, &[Action::No]);
    assert!(app.quit);
}

#[test]
fn raw_event_proposes_an_exclusion_and_copies_via_osc52() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::Enter, Action::Enter]);
    assert!(app.in_event());
    let ev = app.results.drill.as_ref().unwrap().event.as_ref().unwrap();
    let field = ev.fields.iter().position(|(k, _)| k == "FileName").unwrap();
    for _ in 0..field {
        app.update(Action::Down);
    }
    send(&mut app, &[Action::Copy]);
    let seq = app.clipboard.take().unwrap();
    assert!(seq.starts_with("\u{1b}]52;c;") && seq.ends_with('\u{7}'));
    send(&mut app, &[Action::Propose]);
    let p = app.prompt.as_ref().unwrap();
    assert!(matches!(p.kind, PromptKind::Add { .. }));
    assert!(p.input.starts_with("FileName == \""), "{}", p.input);
    assert!(matches!(p.feedback, Feedback::Hides(n, 15) if n > 0), "{:?}", p.feedback);
    send(&mut app, &[Action::Cancel]);
    assert!(app.prompt.is_none() && app.in_event());

    // h shows the hits an active exclusion hides, marked.
    send(&mut app, &[Action::Back]);
    let hits = app.results.drill.as_ref().unwrap().rows.len();
    let r = app.rule().unwrap();
    app.hunt.toggle(r, 0);
    send(&mut app, &[Action::Top]);
    assert!(app.results.drill.as_ref().unwrap().rows.len() < hits);
    send(&mut app, &[Action::ToggleHidden]);
    let rows = &app.results.drill.as_ref().unwrap().rows;
    assert_eq!(rows.len(), hits);
    assert!(rows.iter().any(|h| h.hidden));
}

#[test]
fn adhoc_query_shows_in_results_and_errors_keep_the_prompt() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    send(&mut app, &[Action::AdHoc]);
    type_text(&mut app, "DeviceProcessEvents | summarize n=count() by DeviceNme");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    let Some(Feedback::Error(e)) = app.prompt.as_ref().map(|p| p.feedback.clone()) else { panic!("an error") };
    assert!(e.contains('^'), "{e}");
    for _ in 0..3 {
        app.update(Action::Backspace);
    }
    type_text(&mut app, "Name");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    assert!(app.prompt.is_none());
    let v = app.results.adhoc.as_ref().unwrap();
    assert!(v.frame.as_ref().unwrap().len() > 1);
    send(&mut app, &[Action::Back]);
    assert!(app.results.adhoc.is_none());
}

#[test]
fn a_runaway_adhoc_query_is_cancelled_and_the_app_stays_usable() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    send(&mut app, &[Action::AdHoc]);
    // Hundreds of millions of pairs: it would run for minutes.
    type_text(
        &mut app,
        "DeviceProcessEvents | extend k = 1 | join kind=inner (DeviceProcessEvents | extend k = 1) on k \
         | join kind=inner (DeviceProcessEvents | extend k = 1) on k | count",
    );
    send(&mut app, &[Action::Submit]);
    assert!(app.running.is_some(), "the query runs in the background");
    assert_eq!(app.contexts(), vec![kqlhunt::tui::keys::Context::Running]);
    app.update(Action::Tick);
    let Some(Feedback::Running(m)) = app.prompt.as_ref().map(|p| p.feedback.clone()) else { panic!("running") };
    assert!(m.contains("Esc or Ctrl-C cancels"), "{m}");
    send(&mut app, &[Action::CancelQuery]);
    app.settle_query();
    let Some(Feedback::Error(e)) = app.prompt.as_ref().map(|p| p.feedback.clone()) else { panic!("cancelled") };
    assert!(e.contains("cancelled"), "{e}");
    // Still usable: close the prompt and toggle an exclusion.
    send(&mut app, &[Action::Cancel]);
    assert!(app.prompt.is_none() && app.running.is_none());
}
