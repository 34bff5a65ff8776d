//! The `?` overlay, generated from the key map, and the quit question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::keys::{self, Context};
use crate::tui::theme;

/// Draws the help overlay scrolled by `scroll` lines.
pub fn draw(f: &mut Frame, area: Rect, scroll: u16) {
    let mut lines = Vec::new();
    for (ctx, binds) in keys::grouped() {
        lines.push(Line::styled(ctx.title(), theme::HEADER));
        for bd in binds {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys::keys_text(bd)), theme::KEY_NAME),
                Span::raw(bd.label),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mouse: click selects, the wheel scrolls.", theme::DIM));
    let popup = centered(area, 64, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    let p =
        Paragraph::new(lines).block(theme::block(" Keys (Esc closes, j/k scroll) ".into(), true)).scroll((scroll, 0));
    f.render_widget(p, popup);
}

/// Draws the "unsaved changes" question.
pub fn confirm(f: &mut Frame, area: Rect, dirty: &[String]) {
    let mut lines = vec![Line::styled("Unsaved exclusion changes in:", theme::WARN)];
    lines.extend(dirty.iter().map(|d| Line::raw(format!("  {d}"))));
    lines.push(Line::raw(""));
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::Confirm]) {
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}   ")));
    }
    lines.push(Line::from(hints));
    let popup = centered(area, 70, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(theme::block(" Quit? ".into(), true)),
        popup,
    );
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center).areas(area);
    let [c] = Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center).areas(v);
    c
}
