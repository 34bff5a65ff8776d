//! Clicks land on the row drawn there: for every pane with a list (rules,
//! exclusions, results), scroll it down, click every visible row, and check
//! the selection drawn afterwards is the item that was on the clicked line;
//! and a click on a grid's header selects the column drawn there (again: sorts it).

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

/// The header line of the results grid: the first line inside its border.
fn header_row(app: &App) -> Rect {
    let inner = areas(app).results.inner(ratatui::layout::Margin::new(1, 1));
    Rect { height: 1, ..inner }
}

#[test]
fn clicks_on_the_grid_header_select_the_column_drawn_there_and_sort_it() {
    for size in [(120, 40), (80, 24)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        editor_with(&mut app, "DeviceProcessEvents | take 50");
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        // Scrolled sideways, one column hidden and one moved, so display and source columns differ.
        send(&mut app, &[Action::ScrollRight, Action::HideColumn, Action::MoveColumnRight]);
        send(&mut app, &[Action::ScrollRight; 20]);
        if size.0 > 100 {
            // Zoomed, the grid has the width for many columns.
            send(&mut app, &[Action::Zoom]);
        }
        let saved = app.results.adhoc.as_ref().unwrap().grid.clone();
        let mut term = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        let head = header_row(&app);
        let before = render(&mut term, &app);
        let line = text(&before, head, head.y);
        let chars: Vec<char> = line.chars().collect();
        let starts: Vec<usize> =
            (0..chars.len()).filter(|&i| chars[i] != ' ' && (i == 0 || chars[i - 1] == ' ')).collect();
        assert!(starts.len() >= 2, "{size:?}: {line}");
        for &i in &starts {
            app.results.adhoc.as_mut().unwrap().grid = saved.clone();
            let drawn: String = chars[i..].iter().take_while(|c| **c != ' ').collect();
            let drawn = drawn.trim_end_matches(['…', '▲', '▼']).to_string();
            app.update(Action::Click(head.x + i as u16, head.y));
            let v = app.results.adhoc.as_ref().unwrap();
            let name = v.frame.as_ref().unwrap().cols()[v.grid.cursor].name.clone();
            assert!(name.starts_with(&drawn), "{size:?}: clicked {drawn:?} at {i}, the cursor is on {name}");
            // The highlighted header is the clicked column's.
            let after = render(&mut term, &app);
            let x = (head.x..head.right()).find(|&x| after[(x, head.y)].bg == theme::CURSOR.bg.unwrap());
            let at = x.map(|x| text(&after, Rect { x, width: head.right() - x, ..head }, head.y)).unwrap_or_default();
            assert!(
                name.starts_with(at.split(' ').next().unwrap().trim_end_matches(['…', '▲', '▼'])),
                "{name} vs {at}"
            );
            // A click on the cursor's header sorts by it, ascending; the next one flips it.
            let sort = |app: &App| {
                let v = app.results.adhoc.as_ref().unwrap();
                (v.grid.cursor, v.grid.sort.map(|s| (s.col, s.desc)))
            };
            let (col, first) = sort(&app);
            let clicked_cursor = saved.cursor == col;
            assert_eq!(first, clicked_cursor.then_some((col, false)), "{name}: only the cursor's header sorts");
            app.update(Action::Click(x.unwrap(), head.y));
            assert_eq!(sort(&app), (col, Some((col, clicked_cursor))), "{name}");
            app.update(Action::Click(x.unwrap(), head.y));
            assert_eq!(sort(&app), (col, Some((col, !clicked_cursor))), "{name}");
        }
        // A click below the header still selects a row.
        app.results.adhoc.as_mut().unwrap().grid = saved.clone();
        app.update(Action::Click(head.x + 1, head.y + 3));
        assert_eq!(app.results.adhoc.as_ref().unwrap().selected, 2);
    }
}
