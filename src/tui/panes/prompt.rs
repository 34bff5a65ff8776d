//! The input line (search, row filters, ad-hoc KQL, a folder to write the
//! tuned rules to) and its live feedback: a running query, or an error with
//! its caret.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::{inert, inert_multiline};
use crate::tui::app::{Feedback, Prompt, PromptKind};
use crate::tui::theme;

/// Draws the input line in `line` and its feedback in a box just above it.
pub fn draw(f: &mut Frame, line: Rect, p: &Prompt) {
    let label = match p.kind {
        PromptKind::Search => "search rules/",
        PromptKind::Export { .. } => "export view to›",
        PromptKind::Filter => "filter rows/",
        PromptKind::WriteTo { .. } => "write tuned rules to folder›",
    };
    let before: String = p.input.chars().take(p.cursor).collect();
    let shown_before = inert(&before).chars().count();
    let label_w = label.chars().count() as u16 + 1;
    // Scroll the text so the cursor stays on screen.
    let room = line.width.saturating_sub(label_w + 1) as usize;
    let all: Vec<char> = inert(&p.input).chars().collect();
    let skip = shown_before.saturating_sub(room);
    let visible: String = all.iter().skip(skip).take(room).collect();
    f.render_widget(Clear, line);
    f.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(format!("{label} "), theme::KEY), Span::raw(visible)])),
        line,
    );
    let x = line.x + label_w + (shown_before - skip) as u16;
    f.set_cursor_position(Position::new(x.min(line.right().saturating_sub(1)), line.y));
    let (text, style) = match &p.feedback {
        Feedback::None => match p.kind {
            PromptKind::Export { .. } => (
                "a path ending .csv or .json · the shown columns, in order (a device's hits: whole events) \
                 · an existing file needs a second Enter · Esc cancels"
                    .to_string(),
                theme::DIM,
            ),
            PromptKind::Search => ("matches name, description, tactics, techniques and table".into(), theme::DIM),
            PromptKind::Filter => (
                "rows with a cell containing this text (any case, hidden columns too); Enter keeps, Esc restores"
                    .into(),
                theme::DIM,
            ),
            PromptKind::WriteTo { .. } => (
                "the bundled rules are read-only: Enter writes every rule, tuned, into this folder \
                 (no file is overwritten); then kqlhunt saves there. Esc cancels"
                    .into(),
                theme::DIM,
            ),
        },
        Feedback::Hides(n, total) => {
            let pct = if *total == 0 { 0.0 } else { *n as f64 * 100.0 / *total as f64 };
            (format!("valid: would hide {n} of {total} hits ({pct:.0}%)"), theme::OK)
        }
        Feedback::Error(e) => (inert_multiline(e), theme::ERROR),
        Feedback::Running(m) => (m.clone(), theme::WARN),
    };
    let height = (text.lines().count() as u16 + 2).min(line.y);
    if height < 3 {
        return;
    }
    let area = Rect::new(line.x, line.y - height, line.width, height);
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(text).style(style).block(theme::block(" check ".into(), true)), area);
}
