//! Hide, move and choose the grid's columns (`-`, `<` / `>`, `c`), per view
//! and by column name, so the layout survives re-sorts, exclusion toggles
//! and the same query run again; export and copy-row write the shown
//! columns in display order. Also: a new editor query replaces the ad-hoc
//! result unless views are pushed over it, and the footer's hints are
//! prioritised and never cut.

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Overlay};
use kqlhunt::tui::hints;
use kqlhunt::tui::keys::Context;
use kqlhunt::tui::stack::Pushed;

/// The results pane's header line (the first line with `header`); the
/// results pane is zoomed, so no other pane shares the line.
fn header_line(app: &App, header: &str) -> String {
    assert!(app.zoom);
    let s = screen(app);
    s.lines().find(|l| l.contains(header)).unwrap_or_else(|| panic!("no {header} header:\n{s}")).to_string()
}

/// The footer line, unquoted.
fn footer_line(app: &App) -> String {
    screen(app).lines().last().unwrap_or_default().trim_matches('"').trim_end().to_string()
}

/// The shown column names of the ad-hoc result, in display order.
fn shown(app: &App) -> Vec<String> {
    let v = app.results.adhoc.as_ref().unwrap();
    let f = v.frame.as_ref().unwrap();
    let src = kqlhunt::tui::grid::FrameSource(f);
    v.grid.columns.arrange(&src).into_iter().map(|c| f.cols()[c].name.clone()).collect()
}

/// The name of the ad-hoc result's cursor column.
fn cursor_name(app: &App) -> String {
    let v = app.results.adhoc.as_ref().unwrap();
    v.frame.as_ref().unwrap().cols()[v.grid.cursor].name.clone()
}

fn message(app: &App) -> String {
    app.status.message.clone().unwrap_or_default()
}

/// Standard base64, decoded (the OSC 52 copy).
fn unbase64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut bits, mut n, mut out) = (0u32, 0, Vec::new());
    for b in s.bytes().filter(|&b| b != b'=') {
        bits = (bits << 6) | A.iter().position(|&x| x == b).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn hide_move_and_pin_columns_of_a_wide_result() {
    for size in [(120, 40), (80, 24)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        adhoc(&mut app, "DeviceProcessEvents | take 3");
        send(&mut app, &[Action::Zoom]);
        let all = shown(&app);
        assert_eq!(all.len(), 58);
        assert_eq!((all[0].as_str(), all[1].as_str()), ("Timestamp", "DeviceId"));

        // `-` hides the cursor column; the cursor goes to the next one.
        send(&mut app, &[Action::ScrollRight, Action::HideColumn]);
        assert_eq!(shown(&app).len(), 57);
        assert!(!shown(&app).contains(&"DeviceId".to_string()));
        assert_eq!(cursor_name(&app), "DeviceName");
        assert!(message(&app).contains("hid DeviceId") && message(&app).contains("c shows"), "{}", message(&app));
        let s = screen(&app);
        assert!(!header_line(&app, "Timestamp").contains("DeviceId"), "{s}");
        assert!(s.contains("1 hidden (c)") && s.contains("of 57"), "{s}");

        // `<` moves it left, to the first place: pinned there.
        send(&mut app, &[Action::MoveColumnLeft]);
        assert_eq!(&shown(&app)[..2], ["DeviceName", "Timestamp"]);
        assert!(message(&app).contains("first column, pinned"), "{}", message(&app));
        send(&mut app, &[Action::MoveColumnLeft]);
        assert!(message(&app).contains("already the first"), "{}", message(&app));
        // Scrolled to the far right, the moved column is the pinned one.
        send(&mut app, &[Action::ScrollRight; 60]);
        let head = header_line(&app, "AdditionalFields");
        assert!(head.contains("DeviceName") && !head.contains("Timestamp"), "{head}");
        assert!(head.find("DeviceName") < head.find("AdditionalFields"), "{head}");
        // `>` moves the last column? It is already last.
        send(&mut app, &[Action::MoveColumnRight]);
        assert!(message(&app).contains("already the last"), "{}", message(&app));
        send(&mut app, &[Action::ScrollLeft; 60]);
        assert_eq!(cursor_name(&app), "DeviceName");
        send(&mut app, &[Action::MoveColumnRight]);
        assert_eq!(&shown(&app)[..2], ["Timestamp", "DeviceName"]);

        // A sort and a filter keep the layout (it is kept by name).
        send(&mut app, &[Action::Sort, Action::Search]);
        type_text(&mut app, "e");
        send(&mut app, &[Action::Submit]);
        assert_eq!(shown(&app).len(), 57);
        assert_eq!(&shown(&app)[..2], ["Timestamp", "DeviceName"]);
        let v = app.results.adhoc.as_ref().unwrap();
        assert_eq!(v.grid.sort.map(|s| v.frame.as_ref().unwrap().cols()[s.col].name.clone()).unwrap(), "DeviceName");
        assert!(screen(&app).contains("DeviceName▲"), "the sort mark on the moved column");
    }
}

#[test]
fn the_last_shown_column_cannot_be_hidden() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (80, 24));
    adhoc(&mut app, "print a = 1, b = 2");
    send(&mut app, &[Action::HideColumn]);
    assert_eq!(shown(&app), ["b"]);
    send(&mut app, &[Action::HideColumn]);
    assert_eq!(shown(&app), ["b"], "still shown");
    assert!(message(&app).contains("b is the only column shown: it cannot be hidden"), "{}", message(&app));
    // Nor in the chooser.
    send(&mut app, &[Action::Columns, Action::Down, Action::Toggle]);
    let Overlay::Columns(c) = &app.overlay else { panic!("c opens the chooser") };
    assert_eq!(c.columns, [("a".to_string(), false), ("b".to_string(), true)]);
    assert!(c.problem.as_deref().unwrap_or("").contains("only column shown"), "{:?}", c.problem);
    assert!(screen(&app).contains("b is the only column shown"), "{}", screen(&app));
    send(&mut app, &[Action::Cancel]);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn a_filter_matches_only_the_shown_columns() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    adhoc(&mut app, "datatable(Name: string, Note: string) ['alpha', 'x', 'beta', 'needle', 'gamma', 'y']");
    let rows = |app: &App| app.results.adhoc.as_ref().unwrap().frame.as_ref().unwrap().len();
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "needle");
    send(&mut app, &[Action::Submit]);
    assert_eq!(rows(&app), 1, "the Note column matches");
    // Hiding the matching column re-filters at once: no row keeps a hidden reason.
    send(&mut app, &[Action::ScrollRight, Action::HideColumn]);
    assert_eq!(shown(&app), ["Name"]);
    assert_eq!(rows(&app), 0, "{}", screen(&app));
    // Shown again (the chooser), it matches again.
    send(&mut app, &[Action::Columns, Action::Down, Action::Toggle, Action::Submit]);
    assert_eq!(shown(&app), ["Name", "Note"]);
    assert_eq!(rows(&app), 1, "{}", screen(&app));
}

#[test]
fn the_column_chooser_shows_hides_reorders_and_finds() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    adhoc(&mut app, "DeviceProcessEvents | take 3");
    send(&mut app, &[Action::Zoom, Action::HideColumn, Action::HideColumn, Action::Columns]);
    let chooser = |app: &App| match &app.overlay {
        Overlay::Columns(c) => (**c).clone(),
        o => panic!("no chooser: {o:?}"),
    };
    let c = chooser(&app);
    assert_eq!(c.columns.len(), 58, "every column, hidden ones too");
    assert_eq!(c.columns[0], ("Timestamp".to_string(), false));
    assert_eq!(c.columns[2].0, "DeviceName");
    assert_eq!(c.selected, 2, "on the cursor column");
    let s = screen(&app);
    assert!(s.contains("[ ] Timestamp") && s.contains("[x] DeviceName") && s.contains("56 of 58 shown"), "{s}");
    assert_snapshot!("columns_chooser_120x40", s);

    // `/` finds a column by name as it is typed; Enter stays there.
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "additional");
    assert_eq!(chooser(&app).columns[chooser(&app).selected].0, "AdditionalFields");
    assert!(screen(&app).contains("find additional"));
    send(&mut app, &[Action::Submit]);
    assert_eq!(chooser(&app).find, None);
    // Esc while finding goes back to where the find started.
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "sha1");
    assert_eq!(chooser(&app).columns[chooser(&app).selected].0, "SHA1");
    send(&mut app, &[Action::Cancel]);
    assert_eq!(chooser(&app).columns[chooser(&app).selected].0, "AdditionalFields");

    // Hide AdditionalFields, move it to the top, show Timestamp, apply.
    send(&mut app, &[Action::Toggle, Action::Top, Action::Toggle]);
    send(&mut app, &[Action::Search]);
    type_text(&mut app, "additional");
    send(&mut app, &[Action::Submit]);
    let before = chooser(&app).selected;
    send(&mut app, &vec![Action::MoveUp; before]);
    let c = chooser(&app);
    assert_eq!((c.selected, c.columns[0].clone()), (0, ("AdditionalFields".to_string(), false)));
    send(&mut app, &[Action::Toggle, Action::Submit]);
    assert_eq!(app.overlay, Overlay::None);
    let cols = shown(&app);
    assert_eq!(&cols[..3], ["AdditionalFields", "Timestamp", "DeviceName"], "applied: {cols:?}");
    assert_eq!(cols.len(), 57);
    assert_eq!(cursor_name(&app), "AdditionalFields", "the cursor on the column chosen");
    assert!(message(&app).contains("57 shown, 1 hidden"), "{}", message(&app));

    // `a` shows every column; Esc cancels without applying.
    send(&mut app, &[Action::Columns, Action::ShowAll]);
    assert_eq!(chooser(&app).shown(), 58);
    send(&mut app, &[Action::Cancel]);
    assert_eq!(shown(&app).len(), 57, "cancelled");
    send(&mut app, &[Action::Columns, Action::ShowAll, Action::Submit]);
    assert_eq!(shown(&app).len(), 58);
    assert_eq!(shown(&app)[0], "AdditionalFields", "the order is kept");

    // Every shape and size draws the chooser.
    for size in [(20, 6), (30, 8), (80, 24), (250, 80)] {
        app.update(Action::Resize(size.0, size.1));
        send(&mut app, &[Action::Columns]);
        screen(&app);
        send(&mut app, &[Action::Bottom]);
        screen(&app);
        send(&mut app, &[Action::Cancel]);
    }
}

#[test]
fn export_and_copy_row_write_the_shown_columns_in_display_order() {
    let rules = rules_copy();
    let out = tempfile::tempdir().unwrap();
    let mut app = app_over(rules.path(), &[], (120, 40));
    adhoc(&mut app, "print a = 1, b = 'two', c = 3.5, d = 'four'");
    // Hide b; move d to the front.
    send(&mut app, &[Action::ScrollRight, Action::HideColumn, Action::ScrollRight]);
    send(&mut app, &[Action::MoveColumnLeft, Action::MoveColumnLeft]);
    assert_eq!(shown(&app), ["d", "a", "c"]);
    send(&mut app, &[Action::CopyRow]);
    let seq = app.clipboard.take().unwrap();
    let json = unbase64(seq.trim_start_matches("\u{1b}]52;c;").trim_end_matches('\u{7}'));
    assert_eq!(json, r#"{"d":"four","a":1,"c":3.5}"#);
    let path = out.path().join("view.csv");
    send(&mut app, &[Action::Export]);
    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().collect::<Vec<_>>(), ["d,a,c", "four,1,3.5"], "{csv}");
    // The cell inspector reads the cursor cell.
    send(&mut app, &[Action::Enter]);
    assert!(matches!(&app.overlay, Overlay::Cell(c) if c.column == "d"));
}

#[test]
fn device_groups_keep_their_layout_when_an_exclusion_toggles() {
    let rules = rules_copy();
    let out = tempfile::tempdir().unwrap();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    // Hide Hidden (the third column), move LastSeen before FirstSeen.
    send(&mut app, &[Action::Zoom, Action::ScrollRight, Action::ScrollRight, Action::HideColumn]);
    send(&mut app, &[Action::ScrollRight, Action::MoveColumnLeft]);
    let head = header_line(&app, "DeviceName");
    assert!(!head.contains("Hidden") && head.find("LastSeen") < head.find("FirstSeen"), "{head}");
    // An exclusion toggled re-derives the groups; the layout stays.
    send(&mut app, &[Action::NextPane, Action::Toggle, Action::PrevPane]);
    let head = header_line(&app, "DeviceName");
    assert!(!head.contains("Hidden") && head.find("LastSeen") < head.find("FirstSeen"), "{head}");
    // The export follows the layout (Hits is written as before / after).
    let path = out.path().join("groups.csv");
    send(&mut app, &[Action::Export]);
    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, &[Action::Submit]);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "DeviceName,HitsBefore,HitsAfter,LastSeen,FirstSeen,ReportIds,DeviceId",
        "{csv}"
    );
    // A device's hit list has its own layout, and the next device's hit list opens with it.
    send(&mut app, &[Action::ToggleHidden, Action::Enter, Action::HideColumn]);
    let head = header_line(&app, "ActionType");
    assert!(!head.is_empty() && !head.contains("ReportId"), "{}", screen(&app));
    send(&mut app, &[Action::Back]);
    assert!(header_line(&app, "DeviceName").contains("Hits"));
    send(&mut app, &[Action::Down, Action::Enter]);
    let head = header_line(&app, "ActionType");
    assert!(!head.is_empty() && !head.contains("ReportId"), "{}", screen(&app));
    assert_eq!(app.results.drill.as_ref().unwrap().grid.cursor, 1, "the cursor on the first shown column, Time");
    assert!(screen(&app).contains("1 hidden (c)"), "{}", screen(&app));
}

#[test]
fn the_same_query_run_again_replaces_its_result_and_keeps_the_layout() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    adhoc(&mut app, "DeviceProcessEvents | take 3");
    send(&mut app, &[Action::ScrollRight, Action::HideColumn]);
    adhoc(&mut app, "DeviceProcessEvents | take 5");
    assert!(app.results.views.is_empty(), "replaced, not stacked");
    assert_eq!(app.results.adhoc.as_ref().unwrap().frame.as_ref().unwrap().len(), 5);
    assert!(!shown(&app).contains(&"DeviceId".to_string()), "the hidden column stays hidden");
    // One Esc leaves the result: nothing was stacked under it.
    send(&mut app, &[Action::Back]);
    assert!(app.results.adhoc.is_none() && app.results.views.is_empty());

    // With a view pushed over the result (a frequency view), the new result is pushed.
    adhoc(&mut app, "DeviceProcessEvents | take 5");
    send(&mut app, &[Action::Stack]);
    assert!(app.top_stack().is_some());
    adhoc(&mut app, "DeviceProcessEvents | take 2");
    assert_eq!(app.results.views.len(), 2, "pushed over the frequency view");
    // On top now, a query result: the next query replaces it.
    adhoc(&mut app, "DeviceProcessEvents | take 1");
    assert_eq!(app.results.views.len(), 2, "replaced");
    let Some(Pushed::Rows(top)) = app.results.views.last() else { panic!("rows on top") };
    assert_eq!(top.view.frame.as_ref().unwrap().len(), 1);
    send(&mut app, &[Action::Back]);
    assert!(app.top_stack().is_some(), "Esc returns to the frequency view");

    // A pivot pushes over the result it came from; running again replaces the pivot's result.
    send(&mut app, &[Action::Back, Action::Back]);
    adhoc(&mut app, "DeviceProcessEvents | take 3 | project FileName, SHA1");
    send(&mut app, &[Action::Pivot]);
    app.settle_query();
    assert_eq!(app.results.views.len(), 2, "the result below, the pivot's on top");
    adhoc(&mut app, "DeviceProcessEvents | take 1");
    assert_eq!(app.results.views.len(), 2, "the pivot's result replaced");
    send(&mut app, &[Action::Back]);
    let Some(Pushed::Rows(below)) = app.results.views.last() else { panic!("rows below") };
    assert!(below.view.title.contains("project FileName"), "{}", below.view.title);
}

#[test]
fn the_footer_puts_help_first_keeps_tab_and_never_cuts_a_hint() {
    for size in [(80, 24), (120, 40)] {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        adhoc(&mut app, "DeviceProcessEvents | take 3");
        let footer = footer_line(&app);
        assert!(footer.starts_with(" ? ") && footer.contains("help"), "{footer}");
        assert!(footer.contains("Tab") && footer.contains("next pane"), "{size:?}: {footer}");
        assert!(footer.contains("inspect cell") && footer.contains("back"), "{footer}");
        // Every hint drawn is whole: the footer is exactly the hints that fit, joined.
        let hints = hints::footer_fit(&app.contexts(), size.0 as usize);
        let joined: Vec<String> = hints.iter().map(|(k, l)| format!(" {k}  {l}")).collect();
        assert_eq!(footer, joined.join("  "));
        assert_snapshot!(format!("footer_result_{}x{}", size.0, size.1), footer);
        // The rule's own view below it, and the rule list, keep them too.
        send(&mut app, &[Action::Back]);
        assert!(app.results.adhoc.is_none());
        let footer = footer_line(&app);
        assert!(footer.starts_with(" ? ") && footer.contains("next pane"), "{footer}");
        send(&mut app, &[Action::Back]);
        let footer = footer_line(&app);
        assert!(footer.starts_with(" ? ") && footer.contains("next pane"), "{footer}");
    }
    // Narrow: what does not fit is dropped whole.
    for width in [10, 20, 33, 47, 61] {
        let hints = hints::footer_fit(&[Context::Table, Context::Global], width);
        assert_eq!(hints.first().map(|h| h.1), Some("help"), "{width}");
        let w: usize = hints.iter().map(|(k, l)| hints::hint_width(k, l)).sum::<usize>() + 2 * (hints.len() - 1);
        assert!(w <= width, "{width}: {hints:?}");
    }
}
