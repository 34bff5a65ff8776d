//! The cell inspector: one value of a table result in full (wrapped, JSON
//! pretty-printed, inert), over everything else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::inert;
use crate::tui::app::CellView;
use crate::tui::theme;

use super::drill::wrap;
use super::help::centered;

/// Draws the inspector for `cell` over `area`.
pub fn draw(f: &mut Frame, area: Rect, cell: &CellView) {
    let popup = centered(area, area.width.saturating_sub(4).max(1), area.height.saturating_sub(2).max(1));
    let width = popup.width.saturating_sub(2).max(1) as usize;
    let lines: Vec<Line> = wrap(&cell.text, width).into_iter().map(Line::raw).collect();
    let title = format!(" {} · Esc closes, j/k scroll ", inert(&cell.column));
    // Never scrolled past the last line, so the value cannot vanish.
    let scroll = cell.scroll.min(lines.len().saturating_sub(1).min(u16::MAX as usize) as u16);
    f.render_widget(Clear, popup);
    f.render_widget(Paragraph::new(lines).block(theme::block(title, true)).scroll((scroll, 0)), popup);
}
