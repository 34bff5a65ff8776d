//! The one grid in every tabular view: device groups and a device's hits on
//! it, a column cursor the horizontal scroll follows, sort by any column
//! (a table result exactly as `| sort by` orders it), the cell inspector.

use crate::tui_common::*;
use kqlhunt::kql::eval::Frame;
use kqlhunt::kql::eval::functions::convert::as_text;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Overlay};
use kqlhunt::tui::draw;
use kqlhunt::tui::grid::SortBy;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The shown groups' (name, id) in display order.
fn groups(app: &App) -> Vec<(String, String)> {
    let (_, run) = app.hunt.get(app.rule().unwrap()).unwrap();
    app.results.order.iter().map(|&g| (run.groups[g].device_name.clone(), run.groups[g].device_id.clone())).collect()
}

fn sorted_by<K: Ord>(v: &[(String, String)], key: impl Fn(&(String, String)) -> K, desc: bool) -> bool {
    v.windows(2).all(|w| if desc { key(&w[0]) >= key(&w[1]) } else { key(&w[0]) <= key(&w[1]) })
}

#[test]
fn device_groups_sort_by_any_column_and_scroll_follows_the_cursor() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (80, 24));
    open_litemanager(&mut app);
    assert_eq!(app.results.grid.sort, Some(SortBy { col: 1, desc: true }), "most hits first");
    assert!(screen(&app).contains("Hits▼"));
    let name = |g: &(String, String)| g.0.to_lowercase();
    send(&mut app, &[Action::Sort]);
    assert!(sorted_by(&groups(&app), name, false) && screen(&app).contains("DeviceName▲"), "{:?}", groups(&app));
    send(&mut app, &[Action::Reverse]);
    assert!(sorted_by(&groups(&app), name, true) && screen(&app).contains("DeviceName▼"), "{:?}", groups(&app));
    // DeviceId is the last column: off screen at 80 wide until the cursor reaches it.
    assert!(!screen(&app).contains("DeviceId"));
    send(&mut app, &[Action::ScrollRight; 9]);
    assert_eq!(app.results.grid.cursor, 6, "clamped at the last column");
    let s = screen(&app);
    assert!(s.contains("DeviceId") && s.contains("srv-app-02.contoso.local"), "scrolled, the name pinned:\n{s}");
    send(&mut app, &[Action::Sort]);
    assert!(sorted_by(&groups(&app), |g| g.1.clone(), false), "{:?}", groups(&app));
    assert!(screen(&app).contains("DeviceId▲"));
    send(&mut app, &[Action::ScrollLeft; 9]);
    assert_eq!((app.results.grid.cursor, app.results.grid.col_offset), (0, 1));
    assert!(!screen(&app).contains("DeviceId"), "scrolled back");
}

#[test]
fn a_devices_hits_list_oldest_first_and_sorts_by_any_column() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::ToggleHidden, Action::Enter]);
    let rows = |app: &App| app.results.drill.as_ref().unwrap().rows.clone();
    let times: Vec<String> = rows(&app).iter().map(|h| h.time.clone()).collect();
    assert!(times.len() > 1 && times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(screen(&app).contains("Time▲"));
    send(&mut app, &[Action::Reverse]);
    let times: Vec<String> = rows(&app).iter().map(|h| h.time.clone()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]) && screen(&app).contains("Time▼"), "{times:?}");
    // ReportIds sort as numbers.
    send(&mut app, &[Action::ScrollRight, Action::ScrollLeft, Action::Reverse, Action::Sort]);
    let ids: Vec<i64> = rows(&app).iter().map(|h| h.report.parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "{ids:?}");
    // Enter still opens the selected hit's raw event.
    let first = rows(&app)[0].hit;
    send(&mut app, &[Action::Enter]);
    assert_eq!(app.results.drill.as_ref().unwrap().event.as_ref().map(|e| e.hit), Some(first));
}

/// Every cell of a frame as text, row by row.
fn cells(f: &Frame) -> Vec<Vec<String>> {
    (0..f.len()).map(|r| (0..f.cols().len()).map(|c| format!("{:?}", f.value(r, c))).collect()).collect()
}

#[test]
fn a_table_result_sorts_exactly_as_sort_by() {
    let base = "DeviceProcessEvents | take 60 \
                | extend Odd = iff(ProcessId % 3 == 0, ProcessId, long(null)) \
                | project FileName, Odd, Timestamp, ProcessId";
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    for (col, name) in [(0, "FileName"), (1, "Odd"), (2, "Timestamp")] {
        for desc in [false, true] {
            let dir = if desc { "desc" } else { "asc" };
            adhoc(&mut app, &format!("{base} | sort by {name} {dir}"));
            let want = cells(app.results.adhoc.as_ref().unwrap().frame.as_ref().unwrap());
            adhoc(&mut app, base);
            send(&mut app, &vec![Action::ScrollRight; col]);
            send(&mut app, &[if desc { Action::Reverse } else { Action::Sort }]);
            let v = app.results.adhoc.as_ref().unwrap();
            assert_eq!(v.grid.sort, Some(SortBy { col, desc }));
            assert_eq!(cells(v.frame.as_ref().unwrap()), want, "{name} {dir}");
            let arrow = if desc { "▼" } else { "▲" };
            assert!(screen(&app).contains(&format!("{name}{arrow}")), "{}", screen(&app));
        }
    }
}

#[test]
fn enter_on_a_cell_shows_it_whole_and_pretty() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (80, 24));
    adhoc(&mut app, r#"print Id = 1, Doc = dynamic({"name": "a long value", "list": [1, 2, 3]})"#);
    send(&mut app, &[Action::ScrollRight, Action::Enter]);
    let Overlay::Cell(cell) = &app.overlay else { panic!("no inspector: {:?}", app.overlay) };
    assert_eq!(cell.column, "Doc");
    let s = screen(&app);
    assert!(s.contains("Doc · Esc closes") && s.contains(r#""name": "a long value","#), "pretty-printed:\n{s}");
    assert!(s.contains(r#""list": ["#), "{s}");
    send(&mut app, &[Action::Down, Action::Down]);
    assert!(matches!(&app.overlay, Overlay::Cell(c) if c.scroll == 2));
    let s = screen(&app);
    assert!(!s.contains(r#""name": "a long value","#) && s.contains(r#""list": ["#), "scrolled two lines:\n{s}");
    send(&mut app, &[Action::Cancel]);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.results.adhoc.is_some(), "Esc closes only the inspector");
}

#[test]
fn slash_filters_the_rows_of_every_view() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    let all = groups(&app).len();
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "WS-IT");
    let shown = groups(&app);
    assert!(!shown.is_empty() && shown.len() < all, "{shown:?}");
    assert!(shown.iter().all(|g| g.0.contains("ws-it")), "any case, live: {shown:?}");
    send(&mut app, &[Action::Submit]);
    assert!(screen(&app).contains("/WS-IT"), "the bottom line shows the filter");
    send(&mut app, &[Action::Search, Action::Cancel]);
    assert_eq!(groups(&app), shown, "Esc restores the filter as it was");
    send(&mut app, &[Action::Search, Action::Backspace, Action::Backspace, Action::Backspace]);
    send(&mut app, &[Action::Backspace, Action::Backspace, Action::Submit]);
    assert_eq!(groups(&app).len(), all, "an empty filter shows every group");

    // A device's hits.
    send(&mut app, &[Action::Top, Action::Enter, Action::Search]);
    let before = app.results.drill.as_ref().unwrap().rows.len();
    type_text(&mut app, "7645373");
    let rows = &app.results.drill.as_ref().unwrap().rows;
    assert!(before > 1 && rows.len() == 1 && rows[0].report == "7645373", "{rows:?}");
    send(&mut app, &[Action::Submit, Action::Back]);

    // A table result: only rows with a matching cell, and sorting keeps the filter.
    adhoc(&mut app, "DeviceProcessEvents | project FileName, ProcessId | take 200");
    let text = |f: &Frame, r: usize, c: usize| as_text(&f.value(r, c)).to_lowercase();
    let base = app.results.adhoc.as_ref().unwrap().base.clone().unwrap();
    // The file name of some row, and how many rows have it in a cell.
    let name = text(&base, 7, 0);
    let want = (0..base.len()).filter(|&r| text(&base, r, 0).contains(&name) || text(&base, r, 1).contains(&name));
    let want = want.count();
    send(&mut app, &[Action::Search]);
    type_text(&mut app, &name.to_uppercase());
    let f = app.results.adhoc.as_ref().unwrap().frame.clone().unwrap();
    assert!(want > 0 && f.len() == want, "{name}: {} rows, want {want} of {}", f.len(), base.len());
    send(&mut app, &[Action::Submit, Action::ScrollRight, Action::Reverse]);
    let v = app.results.adhoc.as_ref().unwrap();
    let f = v.frame.as_ref().unwrap();
    assert_eq!(v.grid.sort, Some(SortBy { col: 1, desc: true }));
    assert_eq!(f.len(), want, "sorting keeps the filter");
    assert!(screen(&app).contains(&format!("/{}", name.to_uppercase())));
}

#[test]
fn the_cursor_column_header_is_highlighted() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    let header_style = |app: &App, text: &str| {
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| draw::draw(f, app)).unwrap();
        let buf = t.backend().buffer().clone();
        let area = buf.area;
        let pos = (0..area.height).find_map(|y| {
            let line: String = (0..area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.find(text).map(|i| (line[..i].chars().count() as u16, y))
        });
        let (x, y) = pos.unwrap_or_else(|| panic!("{text} not drawn"));
        buf[(x, y)].style()
    };
    let cursor = kqlhunt::tui::theme::CURSOR;
    assert_eq!(header_style(&app, "DeviceName").bg, cursor.bg, "the cursor starts on the pinned column");
    assert_ne!(header_style(&app, "Hits▼").bg, cursor.bg);
    send(&mut app, &[Action::ScrollRight]);
    assert_eq!(header_style(&app, "Hits▼").bg, cursor.bg, "→ moves it");
    assert_ne!(header_style(&app, "DeviceName").bg, cursor.bg);
}
