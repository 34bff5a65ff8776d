//! The save preview: per file, the rule and path, then the unified diff
//! (added lines green, removed red, hunk headers cyan); then the rules that
//! cannot be saved or have nothing to write; the keys at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::dialogs::{LineKind, SavePreview};
use crate::tui::keys::{self, Context};
use crate::tui::theme;

/// Draws the preview over `area` (a margin of one cell around it).
pub fn draw(f: &mut Frame, area: Rect, p: &SavePreview) {
    let popup = Rect::new(
        area.x + 1.min(area.width),
        area.y + 1.min(area.height),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    if popup.height < 3 || popup.width < 3 {
        return;
    }
    f.render_widget(Clear, popup);
    let n = p.files.len();
    let title = format!(" Save preview · {n} file(s) would change ");
    let block = theme::block(title, true);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let [body, keys_line] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let lines: Vec<Line> = p
        .lines()
        .into_iter()
        .map(|(kind, text)| {
            let style = match kind {
                LineKind::File => theme::HEADER,
                LineKind::Header => theme::DIM,
                LineKind::Hunk => Style::new().fg(Color::Cyan),
                LineKind::Added => theme::OK,
                LineKind::Removed => theme::ERROR,
                LineKind::Context => Style::new(),
                LineKind::Note => theme::WARN,
            };
            Line::styled(text, style)
        })
        .collect();
    let max = (lines.len() as u16).saturating_sub(body.height);
    f.render_widget(Paragraph::new(lines).scroll((p.scroll.min(max), 0)), body);
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::SavePreview]) {
        if label == "save this rule" && p.this_rule.is_none() {
            continue;
        }
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(hints)), keys_line);
}
