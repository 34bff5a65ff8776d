//! Clicks land on the row drawn there: for every pane with a list (rules,
//! exclusions, results), scroll it down, click every visible row, and check
//! the selection drawn afterwards is the item that was on the clicked line.

use std::path::Path;

use crate::tui_common::*;
use kqlhunt::rules::Exclusion;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus};
use kqlhunt::tui::layout::{areas, list_body, list_capacity};
use kqlhunt::tui::{draw, theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Copies of the bundled rules with distinct ids and names: `copies` of each.
fn many_rules(dir: &Path, copies: usize) {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(bundled).unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if !text.lines().any(|l| l.starts_with("id: ")) {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
            continue;
        }
        for i in 0..copies {
            let out: Vec<String> = text
                .lines()
                .map(|l| match l {
                    l if l.starts_with("id: ") => format!("id: 00000000-0000-4000-8000-{:06}{:06}", i, stem.len()),
                    l if l.starts_with("name: ") => format!("{l} copy {i}"),
                    l => l.to_string(),
                })
                .collect();
            std::fs::write(dir.join(format!("{stem}-{i}.yaml")), out.join("\n")).unwrap();
        }
    }
}

/// Events no rule finds anything in, so a thousand rules load in seconds.
fn few_events(dir: &Path) -> std::path::PathBuf {
    let csv =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/DeviceFileCertificateInfo.csv"))
            .unwrap();
    let file = dir.join("DeviceFileCertificateInfo.csv");
    std::fs::write(&file, csv.lines().take(2).collect::<Vec<_>>().join("\n")).unwrap();
    file
}

fn render(term: &mut Terminal<TestBackend>, app: &App) -> Buffer {
    term.draw(|f| draw::draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// The text of line `y` between the columns of `r`.
fn text(buf: &Buffer, r: Rect, y: u16) -> String {
    (r.x..r.right()).map(|x| buf[(x, y)].symbol()).collect()
}

/// The first line of `body` drawn with the selection's background.
fn selected_line(buf: &Buffer, body: Rect) -> Option<u16> {
    (body.y..body.bottom()).find(|&y| buf[(body.x, y)].bg == theme::SELECTED.bg.unwrap())
}

/// Scrolls `pane` to its last item, then clicks every line of every visible
/// item and checks the selection drawn is the item that was there.
fn click_every_row(app: &mut App, pane: Focus, size: (u16, u16)) {
    let mut term = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    app.focus = pane;
    send(app, &[Action::Bottom]);
    let (body, per) = list_body(pane, areas(app).of(pane));
    let shown = list_capacity(body, per);
    assert!(shown >= 3, "{pane:?} shows {shown} items at {size:?}");
    for line in body.y..body.y + shown as u16 * per {
        // Scrolled down again each time, so every click is on a scrolled list.
        send(app, &[Action::Bottom]);
        let before = render(&mut term, app);
        let item_top = line - (line - body.y) % per;
        let wanted = text(&before, body, item_top);
        app.update(Action::Click(body.x + 1, line));
        let after = render(&mut term, app);
        let sel = selected_line(&after, body).unwrap_or_else(|| panic!("{pane:?}: no selection drawn after a click"));
        assert_eq!(
            text(&after, body, sel),
            wanted,
            "{pane:?} at {size:?}: clicking line {line} selected another item than the one drawn there"
        );
    }
}

#[test]
fn clicks_select_the_row_drawn_in_the_rule_list_of_a_thousand_rules() {
    let (rules, events) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    many_rules(rules.path(), 210);
    let size = (250, 60);
    let mut app = app_over(rules.path(), &[few_events(events.path())], size);
    assert!(app.rules.order.len() >= 1000, "{} rules", app.rules.order.len());
    click_every_row(&mut app, Focus::Rules, size);
}

#[test]
fn clicks_select_the_row_drawn_in_the_exclusions_and_results() {
    for size in [(120, 40), (250, 80)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        open_litemanager(&mut app);
        let r = app.rule().unwrap();
        for i in 0..40 {
            app.hunt.add_exclusion(r, Exclusion::new(format!("extra exclusion {i:02}")));
        }
        click_every_row(&mut app, Focus::Exclusions, size);

        editor_with(&mut app, "range x from 1 to 300 step 1 | extend y = strcat('row ', x)");
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        assert!(app.results.adhoc.is_some());
        click_every_row(&mut app, Focus::Results, size);
    }
}
