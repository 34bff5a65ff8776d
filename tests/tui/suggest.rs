//! Marking false positives and the proposal overlay: Space marks hits in the
//! drill views (kept per rule while moving around), `S` proposes filters,
//! Enter adds the picked one as an exclusion and every count follows;
//! snapshots of the overlay at 120×40 and 80×24.

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus, Overlay};
use kqlhunt::tui::dialogs::{FILTER, NAME};
use kqlhunt::tui::draw;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The hits the "Admin Task to Deploy Software" exclusion hides.
const FPS: [(&str, &str); 2] =
    [("srv-app-02.contoso.local", "7645346"), ("ws-it-022.contoso.local", "498646751830501542")];

/// Drills into `device`, puts the cursor on ReportId `report`, presses
/// Space, and goes back to the device list.
fn mark(app: &mut App, device: &str, report: &str) {
    let (_, run) = app.hunt.get(app.rule().unwrap()).unwrap();
    let g = run.groups.iter().position(|g| g.device_name == device).unwrap();
    app.results.selected = app.results.order.iter().position(|&o| o == g).unwrap();
    send(app, &[Action::Enter]);
    let d = app.results.drill.as_ref().unwrap();
    let row = d.rows.iter().position(|r| r.report == report).unwrap();
    app.results.drill.as_mut().unwrap().selected = row;
    send(app, &[Action::Mark]);
    let d = app.results.drill.as_ref().unwrap();
    assert!(d.rows[row].marked, "{report} shows its mark");
    send(app, &[Action::Back]);
}

fn marked_app(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], size);
    open_litemanager(&mut app);
    for (device, report) in FPS {
        mark(&mut app, device, report);
    }
    (rules, app)
}

#[test]
fn mark_two_hits_suggest_accept_and_counts_follow() {
    let (_dir, mut app) = marked_app((120, 40));
    let r = app.rule().unwrap();
    assert_eq!(app.marks.count(r), 2);

    // Marks are per rule and survive moving to another rule and back.
    send(&mut app, &[Action::Back, Action::Back, Action::Down]);
    assert_ne!(app.rule(), Some(r));
    assert_eq!(app.marks.count(app.rule().unwrap()), 0);
    send(&mut app, &[Action::Up]);
    assert_eq!((app.rule(), app.marks.count(r)), (Some(r), 2));
    send(&mut app, &[Action::Enter]);
    assert_eq!(app.focus, Focus::Results);

    send(&mut app, &[Action::Suggest]);
    let Overlay::Suggest(v) = &app.overlay else { panic!("the overlay opens: {:?}", app.status.message) };
    assert_eq!(v.marked, 2);
    assert!((2..=4).contains(&v.proposals.len()), "a proposal and alternatives");
    let best = v.proposals[0].clone();
    assert!(best.hides_unmarked <= 1, "{best:?}");
    assert_eq!(v.collateral[0].len(), best.hides_unmarked);
    // ↑/↓ pick; the last one sticks.
    send(&mut app, &[Action::Down, Action::Down, Action::Down, Action::Down, Action::Down]);
    let Overlay::Suggest(v) = &app.overlay else { panic!() };
    assert_eq!(v.selected, v.proposals.len() - 1);
    send(&mut app, &[Action::Top, Action::Up, Action::Up, Action::Up, Action::Up]);

    let (_, before, after) = counts(&app);
    assert_eq!((before, after), (15, 15));
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.overlay, Overlay::None);
    let (_, _, after) = counts(&app);
    assert_eq!(after, 15 - 2 - best.hides_unmarked, "the marked hits are hidden now");
    let (rule, run) = app.hunt.get(r).unwrap();
    let added = rule.exclusions.last().unwrap();
    assert_eq!(added.filter.as_deref(), Some(best.filter.as_str()));
    assert!(added.enabled && app.hunt.is_dirty(r));
    for (_, report) in FPS {
        let h = run.hits.report_ids.iter().position(|id| id.map(|i| i.to_string()).as_deref() == Some(report));
        assert!(run.hidden.get(h.unwrap()), "{report} is hidden");
    }
    assert_eq!(run.groups.iter().map(|g| g.hits_after).sum::<usize>(), after, "device rows follow");
    assert_eq!(app.marks.count(r), 0, "hidden marks are dealt with");
    assert!(app.status.message.as_deref().unwrap_or("").contains("hides 2 of 2 marked"), "{:?}", app.status.message);
}

#[test]
fn e_edits_the_proposal_first_and_space_on_a_device_marks_its_hits() {
    let (_dir, mut app) = marked_app((120, 40));
    send(&mut app, &[Action::Suggest, Action::Edit]);
    let Overlay::Form(form) = &app.overlay else { panic!("the exclusion form opens with the filter") };
    assert_eq!(form.focus, NAME, "the filter is there; the name comes first");
    let filter = form.fields[FILTER].text.clone();
    send(&mut app, &[Action::NextField, Action::NextField, Action::End]);
    type_text(&mut app, " and AccountName != \"nobody\"");
    send(&mut app, &[Action::Submit]);
    let (rule, _) = app.hunt.get(app.rule().unwrap()).unwrap();
    assert_eq!(
        rule.exclusions.last().unwrap().filter.clone().unwrap(),
        format!("{filter} and AccountName != \"nobody\"")
    );

    // Space on a device row marks every shown hit of it, again unmarks them.
    let r = app.rule().unwrap();
    app.results.selected = 0;
    let g = app.results.order[0];
    let shown = app.hunt.get(r).unwrap().1.groups[g].hits_after;
    send(&mut app, &[Action::Mark]);
    assert_eq!(app.marks.count(r), shown);
    send(&mut app, &[Action::Mark]);
    assert_eq!(app.marks.count(r), 0);
    send(&mut app, &[Action::Suggest]);
    assert_eq!(app.overlay, Overlay::None, "nothing marked: no overlay");
    assert!(app.status.message.as_deref().unwrap_or("").contains("Space"));
}

#[test]
fn overlay_snapshots() {
    for size in [(120, 40), (80, 24)] {
        let (_dir, mut app) = marked_app(size);
        send(&mut app, &[Action::Suggest, Action::Down]);
        let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        t.draw(|f| draw::draw(f, &app)).unwrap();
        assert_snapshot!(format!("suggest_overlay_{}x{}", size.0, size.1), t.backend().to_string());
    }
}
