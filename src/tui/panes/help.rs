//! The `?` overlay, generated from the key map, and the quit question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
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
    lines.push(Line::styled("Mouse: click selects, the wheel scrolls; a click on a", theme::DIM));
    lines.push(Line::styled("column header picks the column, a second one sorts by it.", theme::DIM));
    let popup = centered(area, 64, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    let p =
        Paragraph::new(lines).block(theme::block(" Keys (Esc closes, j/k scroll) ".into(), true)).scroll((scroll, 0));
    f.render_widget(p, popup);
}

/// Draws the "unsaved changes" question: each rule with unsaved changes and
/// the files saving it writes (long paths broken at the popup's edge, so the
/// popup's height is exact and the key hints always show).
pub fn confirm(f: &mut Frame, area: Rect, dirty: &[(String, String)]) {
    let mut text = vec![("Unsaved exclusion changes in:".to_string(), theme::WARN)];
    for (rule, files) in dirty {
        text.push((format!("  {rule}"), Style::default()));
        text.push((format!("    → {files}"), theme::DIM));
    }
    let widest = text.iter().map(|(t, _)| t.chars().count()).max().unwrap_or(0);
    let inner = widest.clamp(68, 118).min(area.width.saturating_sub(2).max(1) as usize);
    let mut lines: Vec<Line> = Vec::new();
    for (t, style) in text {
        let chars: Vec<char> = t.chars().collect();
        lines.extend(chars.chunks(inner).map(|c| Line::styled(c.iter().collect::<String>(), style)));
    }
    lines.push(Line::raw(""));
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::Confirm]) {
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}   ")));
    }
    lines.push(Line::from(hints));
    let popup = centered(area, inner as u16 + 2, lines.len() as u16 + 2);
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
