//! The results pane's stack of views and the frequency view (`f`): the
//! numbers equal `kqlhunt stack`'s, Enter pushes a value's rows, Esc pops
//! exactly one view, `r` flips rare-first / common-first, and `x` proposes an
//! exclusion previewed alone and with the active set; snapshots of the
//! frequency view and of a deep breadcrumb at 120×40 and 80×24.

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::data::time::format_datetime;
use kqlhunt::hunt::stack::value_label;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus, Overlay};
use kqlhunt::tui::grid::GridSource;
use kqlhunt::tui::stack::{Pushed, StackSource};
use kqlhunt::tui::{draw, panes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const COLUMN: &str = "InitiatingProcessFileName";

/// Opens LiteManager's first raw event and puts the selection on `field`.
fn event_field(app: &mut App, field: &str) {
    open_litemanager(app);
    send(app, &[Action::Enter, Action::Enter]);
    let ev = app.results.drill.as_ref().unwrap().event.as_ref().unwrap();
    let at = ev.fields.iter().position(|(k, _)| k == field).unwrap();
    for _ in 0..at {
        app.update(Action::Down);
    }
}

fn render(app: &App, size: (u16, u16), full: bool) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| if full { draw::draw(f, app) } else { panes::results::draw(f, f.area(), app) }).unwrap();
    t.backend().to_string()
}

/// `kqlhunt stack --rule LiteManager --by COLUMN --exclusions SEL --format json`.
fn cli_stack(sel: &str) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("kqlhunt")
        .unwrap()
        .args(["stack", "--rule", "LiteManager", "--by", COLUMN, "--exclusions", sel, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn tui_and_cli_stack_the_same_numbers() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    event_field(&mut app, COLUMN);
    // Two exclusions on (through the exclusions pane), so some hits are hidden.
    let r = app.rule().unwrap();
    let names: Vec<String> = app.hunt.get(r).unwrap().0.exclusions.iter().map(|e| e.name.clone()).collect();
    let on = [1, 2];
    app.focus = Focus::Exclusions;
    for i in on {
        app.exclusions.selected = i;
        send(&mut app, &[Action::Toggle]);
    }
    app.focus = Focus::Results;
    send(&mut app, &[Action::Stack]);
    let s = app.top_stack().expect("f opens a frequency view");
    assert_eq!(s.column, COLUMN);
    let sel = on.iter().map(|&i| names[i].as_str()).collect::<Vec<_>>().join(",");
    let cli = cli_stack(&sel);
    let printed = cli.as_array().unwrap();
    assert_eq!(s.rows.len(), printed.len());
    let time = |t: Option<i64>| t.map(format_datetime).map_or(serde_json::Value::Null, serde_json::Value::from);
    let src = StackSource { column: &s.column, rows: &s.rows };
    for (i, (row, p)) in s.rows.iter().zip(printed).enumerate() {
        assert_eq!(p["value"].as_str().unwrap(), value_label(&row.value));
        assert_eq!(p["hits"], row.hits);
        assert_eq!(p["devices"], row.devices.unwrap());
        assert_eq!(p["hidden"], row.hidden);
        assert_eq!(p["first_seen"], time(row.first_seen));
        assert_eq!(p["last_seen"], time(row.last_seen));
        // And as drawn.
        assert_eq!(src.cell(i, 1).to_string(), row.hits.to_string());
    }
    let hidden: usize = s.rows.iter().map(|r| r.hidden).sum();
    let run = app.hunt.get(r).unwrap().1;
    assert_eq!(s.rows.iter().map(|r| r.hits).sum::<usize>(), run.hits_before());
    assert!(hidden > 0 && hidden == run.hits_before() - run.hits_after(), "{hidden}");
}

#[test]
fn views_push_and_pop_one_at_a_time() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    event_field(&mut app, COLUMN);
    let rule = app.crumbs()[0].clone();
    assert_eq!(app.crumbs().len(), 4, "rule › device › ReportId › event: {:?}", app.crumbs());
    assert_eq!(app.crumbs()[3], "event");
    send(&mut app, &[Action::Stack]);
    assert_eq!(app.crumbs().last().unwrap(), &format!("stack by {COLUMN}"));
    // Rare first; r flips to common first and back.
    let hits = |app: &App| app.top_stack().unwrap().rows.iter().map(|r| r.hits).collect::<Vec<_>>();
    let rare = hits(&app);
    assert!(rare.windows(2).all(|w| w[0] <= w[1]), "{rare:?}");
    send(&mut app, &[Action::Reverse]);
    let common = hits(&app);
    assert_eq!(common, rare.iter().rev().copied().collect::<Vec<_>>());
    send(&mut app, &[Action::Reverse, Action::Down]);
    let picked = app.top_stack().unwrap().rows[1].clone();
    // Enter pushes the value's rows; its cursor and sort are its own.
    send(&mut app, &[Action::Enter]);
    assert_eq!(app.crumbs().last().unwrap(), &value_label(&picked.value));
    let Some(Pushed::Rows(rows)) = app.results.views.last() else { panic!("rows pushed") };
    assert_eq!(rows.view.frame.as_ref().unwrap().len(), picked.hits);
    send(&mut app, &[Action::ScrollRight, Action::Sort]);
    // Esc pops exactly one: back on the same value of the frequency view.
    send(&mut app, &[Action::Back]);
    assert_eq!(app.top_stack().unwrap().selected, 1);
    assert_eq!(value_label(&app.top_stack().unwrap().rows[1].value), value_label(&picked.value));
    send(&mut app, &[Action::Back]);
    assert!(app.in_event() && app.crumbs().len() == 4);
    send(&mut app, &[Action::Back, Action::Back]);
    assert_eq!(app.crumbs(), vec![rule]);
    send(&mut app, &[Action::Back]);
    assert_eq!(app.focus, Focus::Rules);
}

#[test]
fn x_proposes_the_value_with_a_preview_and_the_counts_follow() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    event_field(&mut app, COLUMN);
    send(&mut app, &[Action::Stack, Action::Propose]);
    let s = app.top_stack().unwrap();
    let first = s.rows[0].clone();
    let Overlay::Chooser(c) = &app.overlay else { panic!("x opens the operator chooser") };
    assert_eq!(c.filter(), Some(format!("{COLUMN} == \"{}\"", value_label(&first.value)).as_str()));
    let Some(Ok(p)) = &c.choices[c.selected].preview else { panic!("{:?}", c.choices[c.selected]) };
    assert_eq!((p.alone_hits, p.active_hits, p.with_active_hits, p.hits), (first.hits, 0, first.hits, 15));
    // Enter opens the form with the term, Enter again adds it.
    send(&mut app, &[Action::Submit, Action::Submit]);
    assert_eq!(app.overlay, Overlay::None);
    // The new exclusion is on: the frequency view restacks with it.
    let s = app.top_stack().unwrap();
    let row = s.rows.iter().find(|r| value_label(&r.value) == value_label(&first.value)).unwrap();
    assert_eq!(row.hidden, row.hits);
    // A query result has no rule to exclude from.
    type_query(&mut app, "range x from 1 to 3 step 1");
    send(&mut app, &[Action::Stack, Action::Propose]);
    assert!(app.prompt.is_none() && app.overlay == Overlay::None);
    assert!(app.status.message.as_deref().unwrap_or("").contains("query result"));
    assert_eq!(app.crumbs().last().unwrap(), "stack by x");
}

fn type_query(app: &mut App, q: &str) {
    send(app, &[Action::AdHoc]);
    type_text(app, q);
    send(app, &[Action::Submit]);
    app.settle_query();
}

#[test]
fn frequency_view_and_breadcrumb_snapshots() {
    for size in [(120, 40), (80, 24)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        event_field(&mut app, COLUMN);
        send(&mut app, &[Action::Stack]);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        assert_snapshot!(name("stack"), render(&app, size, true));
        send(&mut app, &[Action::Enter]);
        assert_snapshot!(name("stack_rows"), render(&app, size, false));
        let screen = render(&app, size, true);
        let footer = screen.lines().last().unwrap();
        assert!(footer.contains("? ") && footer.contains("help"), "the help hint stays: {footer}");
    }
}
