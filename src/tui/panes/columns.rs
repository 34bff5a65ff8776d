//! The column chooser: every column of the grid in display order, each
//! marked shown `[x]` or hidden `[ ]`, the list scrolled to the selection,
//! then the find line or a refusal, then the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::inert;
use crate::tui::columns::ColumnChooser;
use crate::tui::hints;
use crate::tui::keys::Context;
use crate::tui::layout::offset;
use crate::tui::panes::help::centered;
use crate::tui::theme;

/// Lines around the list: the border (2), the status line and the hints.
const CHROME: u16 = 4;

/// Draws the chooser over `area`.
pub fn draw(f: &mut Frame, area: Rect, c: &ColumnChooser) {
    let width = area.width.saturating_sub(4).clamp(1, 72);
    let w = width.saturating_sub(2) as usize;
    let height = (c.columns.len() as u16).saturating_add(CHROME).min(area.height.saturating_sub(2)).max(3);
    let list_h = height.saturating_sub(CHROME).max(1) as usize;
    let first = offset(c.selected, list_h);
    let mut lines: Vec<Line> = Vec::new();
    for (i, (name, shown)) in c.columns.iter().enumerate().skip(first).take(list_h) {
        let mark = if *shown { "[x] " } else { "[ ] " };
        let text: String = format!("{mark}{}", inert(name)).chars().take(w).collect();
        let style = match (i == c.selected, shown) {
            (true, _) => theme::SELECTED,
            (false, false) => theme::DIM,
            _ => Default::default(),
        };
        lines.push(Line::styled(text, style));
    }
    let status = match (&c.find, &c.problem) {
        (Some(find), _) => Line::from(vec![
            Span::styled("find ", theme::KEY),
            Span::raw(inert(find).into_owned()),
            Span::styled("  Enter stays · Esc goes back", theme::DIM),
        ]),
        (None, Some(problem)) => Line::styled(inert(problem).into_owned(), theme::ERROR),
        (None, None) => Line::styled(format!("{} of {} shown", c.shown(), c.columns.len()), theme::DIM),
    };
    lines.push(status);
    // The hints that fit, whole (the dialog's own, not the panes').
    let mut keys = Vec::new();
    for (i, (k, label)) in hints::footer_fit(&[Context::Columns], w).into_iter().enumerate() {
        if i > 0 {
            keys.push(Span::raw(" ".repeat(hints::HINT_GAP)));
        }
        keys.push(Span::styled(format!(" {k} "), theme::KEY));
        keys.push(Span::raw(format!(" {label}")));
    }
    lines.push(Line::from(keys));
    let popup = centered(area, width, height);
    f.render_widget(Clear, popup);
    let title: String = format!(" Columns · {} ", c.columns.len()).chars().take(w).collect();
    f.render_widget(Paragraph::new(lines).block(theme::block(title, true)), popup);
}
