//! Snapshots of every pane, the whole screen and the help overlay, rendered
//! into `TestBackend` at 120×40 and 80×24 from the bundled rules and samples
//! with the clock pinned to the newest sample event.

use crate::tui_common::*;
use insta::assert_snapshot;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::App;
use kqlhunt::tui::grid::{self, Grid, GridSource};
use kqlhunt::tui::{draw, panes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Line;
use ratatui::widgets::Block;
use std::borrow::Cow;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn render(app: &App, size: (u16, u16), what: impl Fn(&mut ratatui::Frame, &App)) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| what(f, app)).unwrap();
    t.backend().to_string()
}

/// The demo state: LiteManager selected, the scheduled-job exclusion on.
fn demo(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], size);
    open_litemanager(&mut app);
    send(&mut app, &[Action::NextPane, Action::Toggle, Action::PrevPane]);
    (rules, app)
}

#[test]
fn screens() {
    for size in SIZES {
        let (dir, mut app) = demo(size);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        assert_snapshot!(name("main"), render(&app, size, draw::draw));
        assert_snapshot!(name("rules"), render(&app, size, |f, a| panes::rules::draw(f, f.area(), a)));
        assert_snapshot!(name("results"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        assert_snapshot!(name("exclusions"), render(&app, size, |f, a| panes::exclusions::draw(f, f.area(), a)));
        assert_snapshot!(name("query"), render(&app, size, |f, a| panes::query::draw(f, f.area(), a)));
        assert_snapshot!(name("timeline"), render(&app, size, |f, a| panes::timeline::draw(f, f.area(), a)));
        assert_snapshot!(name("status"), render(&app, size, |f, a| panes::status::draw(f, f.area(), a)));
        send(&mut app, &[Action::ToggleHidden, Action::Enter]);
        assert_snapshot!(name("drill"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        send(&mut app, &[Action::Enter]);
        assert_snapshot!(name("event"), render(&app, size, |f, a| panes::results::draw(f, f.area(), a)));
        send(&mut app, &[Action::Propose]);
        assert_snapshot!(name("prompt"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Cancel, Action::Help]);
        assert_snapshot!(name("help"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Cancel, Action::Quit]);
        assert_snapshot!(name("confirm_quit"), mask(&render(&app, size, draw::draw), dir.path()));
    }
}

/// `screen` with the temporary folder `dir` replaced by a placeholder of
/// the same width, so the layout is kept and the snapshot is stable.
fn mask(screen: &str, dir: &std::path::Path) -> String {
    let dir = dir.display().to_string();
    screen.replace(&dir, &format!("{:.<1$}", "[tmp]", dir.chars().count()))
}

#[test]
fn tiny_and_resized_terminals_never_panic() {
    let (_dir, mut app) = demo((120, 40));
    for (w, h) in [(0, 0), (1, 1), (9, 2), (20, 5), (40, 12), (69, 19), (70, 20), (200, 60)] {
        app.update(Action::Resize(w, h));
        for a in [Action::Enter, Action::Down, Action::Click(w / 2, h / 2), Action::WheelDown(1, 1), Action::Back] {
            app.update(a);
            render(&app, (w.max(1), h.max(1)), draw::draw);
        }
    }
    app.update(Action::Resize(30, 8));
    let small = render(&app, (30, 8), draw::draw);
    assert!(small.contains("Rules") && !small.contains("Exclusions"), "below 70×20 only the focused pane:\n{small}");
}

#[test]
fn readme_key_table_is_generated_from_the_key_map() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = kqlhunt::tui::keys::markdown_table();
    assert!(readme.contains(&table), "README.md's TUI key table is stale; paste:\n{table}");
}

/// A rule file that fails to load is not dropped unseen: the status bar says
/// so, and `L` opens the load report naming the file and its error.
#[test]
fn failed_rule_files_show_in_the_status_bar_and_the_load_report() {
    let rules = rules_copy();
    std::fs::write(rules.path().join("broken-rule.yaml"), "name: [unclosed\nquery: x\n").unwrap();
    let mut app = app_over(rules.path(), &[], (120, 40));
    let screen = render(&app, (120, 40), draw::draw);
    assert!(screen.contains("1 rule file failed (L)"), "{screen}");
    assert!(screen.contains("1 failed to load"), "the rule list's title counts it:\n{screen}");
    assert!(screen.contains("fail") && screen.contains("broken-rule.yaml"), "listed after the rules:\n{screen}");
    // It is selectable like a rule; the results pane shows its whole error.
    send(&mut app, &[Action::Bottom]);
    assert!(app.failed_rule().is_some());
    let screen = render(&app, (120, 40), draw::draw);
    assert!(screen.contains("failed to load"), "{screen}");
    send(&mut app, &[Action::Top]);
    assert!(app.failed_rule().is_none() && app.rule().is_some());
    app.update(Action::Report);
    let screen = render(&app, (120, 40), draw::draw);
    assert!(screen.contains("Load report"), "{screen}");
    assert!(screen.contains("broken-rule.yaml"), "{screen}");
    assert!(screen.contains("DeviceProcessEvents"), "the events part lists the tables:\n{screen}");
    app.update(Action::Cancel);
    assert_eq!(app.overlay, kqlhunt::tui::app::Overlay::None);
}

/// A 58-column ad-hoc result draws its rows at once (it used to hang the
/// layout solver), and `→` scrolls to the last column with the first pinned.
#[test]
fn wide_adhoc_result_scrolls_by_column() {
    for size in SIZES {
        let rules = rules_copy();
        let mut app = app_over(rules.path(), &[], size);
        editor_with(&mut app, "DeviceProcessEvents | take 3");
        send(&mut app, &[Action::Submit]);
        app.settle_query();
        let ncols = app.results.adhoc.as_ref().and_then(|v| v.frame.as_ref().ok()).map_or(0, |f| f.cols().len());
        assert_eq!(ncols, 58);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        let screen = render(&app, size, draw::draw);
        assert!(screen.contains("row 1/3") && screen.contains("of 58"), "{screen}");
        assert!(!screen.contains("drill down") && !screen.contains("show hidden"), "no idle hints:\n{screen}");
        assert_snapshot!(name("adhoc_wide"), screen);
        let mut presses = 0;
        while !render(&app, size, draw::draw).contains("AdditionalFields") {
            assert!(presses < 58, "→ never reaches AdditionalFields");
            send(&mut app, &[Action::ScrollRight]);
            presses += 1;
        }
        let screen = render(&app, size, draw::draw);
        assert!(screen.contains("Timestamp"), "the first column stays:\n{screen}");
        assert_snapshot!(name("adhoc_wide_end"), screen);
        send(&mut app, &[Action::ScrollRight; 80]);
        let grid = |app: &App| app.results.adhoc.as_ref().map(|v| v.grid.clone()).unwrap();
        assert_eq!(grid(&app).cursor, 57, "the cursor stops at the last column");
        assert!(render(&app, size, draw::draw).contains("AdditionalFields"), "and the columns scrolled to it");
        send(&mut app, &[Action::ScrollLeft; 80]);
        assert_eq!((grid(&app).cursor, grid(&app).col_offset), (0, 1), "back on the pinned column, unscrolled");
        let groups = app.results.grid.clone();
        send(&mut app, &[Action::Reverse]);
        assert_eq!(app.results.grid, groups, "the hidden device list is not re-sorted");
        assert!(grid(&app).sort.is_some_and(|s| s.desc && s.col == 0), "the result is");
    }
}

/// A made-up table for the grid: `rows` × `cols`, every cell `cell(r, c)`.
struct Shape {
    rows: usize,
    cols: usize,
    cell: fn(usize, usize) -> String,
}

impl GridSource for Shape {
    fn rows(&self) -> usize {
        self.rows
    }
    fn cols(&self) -> usize {
        self.cols
    }
    fn header(&self, col: usize) -> Cow<'_, str> {
        Cow::Owned(format!("Col{col}"))
    }
    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        Line::raw(grid::clip(&(self.cell)(row, col)).to_string())
    }
}

fn grid_screen(src: &Shape, size: (u16, u16), selected: usize, col_offset: usize) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| {
        let block = Block::bordered().title(" grid ");
        f.render_widget(
            Grid { source: src, selected, col_offset, cursor: None, sort: None, block, notes: vec![] },
            f.area(),
        )
    })
    .unwrap();
    t.backend().to_string()
}

#[test]
fn any_table_shape_draws_without_panicking() {
    let shapes = [
        ("1,000 columns", Shape { rows: 50, cols: 1000, cell: |r, c| format!("r{r}c{c}") }),
        ("1 M rows", Shape { rows: 1_000_000, cols: 12, cell: |r, c| format!("{}", r * 31 + c) }),
        ("100 KB cells", Shape { rows: 5, cols: 4, cell: |r, _| format!("\u{1b}[2J{}", "é".repeat(50_000 + r)) }),
        ("empty", Shape { rows: 0, cols: 58, cell: |_, _| String::new() }),
        ("no columns", Shape { rows: 3, cols: 0, cell: |_, _| String::new() }),
        ("nothing", Shape { rows: 0, cols: 0, cell: |_, _| String::new() }),
    ];
    for (what, src) in &shapes {
        for size in [(120, 40), (80, 24), (1, 1), (3, 2), (10, 3)] {
            for (sel, off) in [(0, 0), (2, 1), (src.rows / 2, 500), (usize::MAX, usize::MAX)] {
                grid_screen(src, size, sel, off);
            }
        }
        let s = grid_screen(src, (80, 24), 0, 1);
        assert!(s.contains(" grid "), "{what}:\n{s}");
    }
    let huge = grid_screen(&shapes[2].1, (80, 24), 0, 1);
    assert!(huge.contains("\\e[2Jééé") && huge.contains('…') && !huge.contains('\u{1b}'), "inert and cut:\n{huge}");
    let wide = grid_screen(&shapes[0].1, (80, 24), 0, 995);
    assert!(wide.contains("Col0") && wide.contains("Col999") && wide.contains("cols 1,996–1000 of 1000"), "{wide}");
    assert!(grid_screen(&shapes[3].1, (80, 24), 0, 1).contains("0 rows"));
    assert!(grid_screen(&shapes[4].1, (80, 24), 0, 1).contains("no columns"));
}

/// The exclusion form (empty, then with a name and a filter error), the save
/// preview, and the `x` chooser (alone, then joining the filter being built).
#[test]
fn exclusion_editing_screens() {
    for size in SIZES {
        let (dir, mut app) = demo(size);
        let name = |s: &str| format!("{s}_{}x{}", size.0, size.1);
        // The scheduled-job exclusion off again, so the counts below mean something.
        // The form starts on the name: typed top-down, name, description, filter.
        send(&mut app, &[Action::NextPane, Action::Toggle, Action::Add]);
        type_text(&mut app, "ROMServer by admins");
        send(&mut app, &[Action::NextField]);
        type_text(&mut app, "Admins start the LiteManager server by hand.");
        send(&mut app, &[Action::NextField]);
        type_text(&mut app, "FileName =~ \"ROMServer.exe\" and");
        assert_snapshot!(name("form_error"), render(&app, size, draw::draw));
        type_text(&mut app, " AccountName != \"SYSTEM\"");
        assert_snapshot!(name("form"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Submit, Action::Save]);
        assert_snapshot!(name("save_preview"), mask(&render(&app, size, draw::draw), dir.path()));
        send(&mut app, &[Action::Cancel]);

        // x in a raw event: the operators, each with what it hides.
        send(&mut app, &[Action::PrevPane, Action::ToggleHidden, Action::Enter, Action::Enter]);
        let ev = app.results.drill.as_ref().unwrap().event.as_ref().unwrap();
        let field = ev.fields.iter().position(|(k, _)| k == "FileName").unwrap();
        for _ in 0..field {
            app.update(Action::Down);
        }
        send(&mut app, &[Action::Propose, Action::Down, Action::Down, Action::Down, Action::Down, Action::Down]);
        assert_snapshot!(name("chooser"), render(&app, size, draw::draw));
        send(&mut app, &[Action::Build, Action::Up, Action::Propose]);
        assert_snapshot!(name("chooser_built"), render(&app, size, draw::draw));
    }
}
