//! One file per pane; each `draw` is a pure read of the app.

pub mod cell;
pub mod chooser;
pub mod columns;
pub mod drill;
pub mod editor;
pub mod exclusions;
pub mod form;
pub mod help;
pub mod prompt;
pub mod query;
pub mod report;
pub mod results;
pub mod rules;
pub mod save_preview;
pub mod status;
pub mod suggest;
pub mod timeline;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::data::text::inert;
use crate::tui::grid::{Grid, SortBy};
use crate::tui::table::GridView;

/// A line of untrusted text with the characters at `hits` (char positions) styled.
pub fn highlighted(text: &str, hits: &[usize], base: Style, hit: Style) -> Line<'static> {
    if hits.is_empty() {
        return Line::from(Span::styled(inert(text).into_owned(), base));
    }
    let spans: Vec<Span<'static>> = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let s = inert(c.encode_utf8(&mut [0; 4])).into_owned();
            Span::styled(s, if hits.contains(&i) { base.patch(hit) } else { base })
        })
        .collect();
    Line::from(spans)
}

/// "before → after" with the after styled as changed when they differ.
pub fn before_after(before: usize, after: usize) -> Line<'static> {
    if before == after {
        Line::from(format!("{before}"))
    } else {
        Line::from(vec![Span::raw(format!("{before} → ")), Span::styled(format!("{after}"), super::theme::CHANGED)])
    }
}

/// " · 2 marked (S suggests)" for the selected rule's false-positive
/// marks, empty when none.
pub fn marked_note(app: &crate::tui::app::App) -> String {
    match app.rule().map_or(0, |r| app.marks.count(r)) {
        0 => String::new(),
        n => format!(" · {n} marked (S suggests)"),
    }
}

/// The bottom-line note of a row filter (`/text`), if one is set.
pub fn filter_note(filter: &str) -> Vec<String> {
    if filter.is_empty() { Vec::new() } else { vec![format!("/{}", inert(filter))] }
}

/// Draws the results pane's grid view in `block`, notes on its bottom line.
/// The source is drawn as its column layout arranges it; the cursor and
/// the sort (source columns) are placed among the shown columns.
pub fn grid(f: &mut Frame, area: Rect, view: &GridView, block: Block, mut notes: Vec<String>) {
    let st = view.state;
    let shown = view.arranged();
    let hidden = st.columns.hidden_count(view.source.as_ref());
    if hidden > 0 {
        notes.push(format!("{hidden} hidden (c)"));
    }
    let sort = st.sort.and_then(|s| Some(SortBy { col: shown.position(s.col)?, desc: s.desc }));
    let g = Grid {
        source: &shown,
        selected: view.selected,
        col_offset: st.col_offset,
        cursor: Some(shown.position(st.cursor).unwrap_or(0)),
        sort,
        block,
        notes,
    };
    f.render_widget(g, area);
}
