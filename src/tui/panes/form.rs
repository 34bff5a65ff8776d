//! The exclusion form: three labelled one-line fields (the focused one with
//! the cursor, scrolled to keep it in view), the filter's check (what it
//! would hide, or its error with the caret) and the name's problem.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::{inert, inert_multiline};
use crate::tui::app::{App, Feedback};
use crate::tui::dialogs::{ExclusionForm, FIELDS, NAME};
use crate::tui::keys::{self, Context};
use crate::tui::panes::help::centered;
use crate::tui::theme;

/// Width of the field labels.
const LABEL: usize = 13;

/// Draws the form over `area`.
pub fn draw(f: &mut Frame, area: Rect, app: &App, form: &ExclusionForm) {
    let rule = app.hunt.get(form.rule).map(|(r, _)| inert(&r.name).into_owned()).unwrap_or_default();
    let what = if form.editing.is_some() { "Edit exclusion" } else { "New exclusion" };
    let width = area.width.saturating_sub(4).clamp(1, 110);
    let inner_w = width.saturating_sub(2) as usize;
    let (check, style) = match &form.feedback {
        Feedback::Hides(n, total) => {
            let pct = if *total == 0 { 0.0 } else { *n as f64 * 100.0 / *total as f64 };
            (format!("filter valid: alone it hides {n} of {total} hits ({pct:.0}%)"), theme::OK)
        }
        Feedback::Error(e) => (inert_multiline(e), theme::ERROR),
        _ if form.fields[2].text.trim().is_empty() => {
            ("no filter: it will be listed as \"needs a filter\" and hide nothing".to_string(), theme::WARN)
        }
        _ => (String::new(), theme::DIM),
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, label) in FIELDS.iter().enumerate() {
        let field = &form.fields[i];
        let focused = i == form.focus;
        let room = inner_w.saturating_sub(LABEL + 1).max(1);
        let shown: Vec<char> = inert(&field.text).chars().collect();
        let before = inert(&field.text.chars().take(field.cursor).collect::<String>()).chars().count();
        let skip = before.saturating_sub(room.saturating_sub(1));
        let visible: String = shown.iter().skip(skip).take(room).collect();
        let label_style = if focused { theme::KEY } else { theme::HEADER };
        let mut spans = vec![Span::styled(format!("{label:<w$}", w = LABEL), label_style), Span::raw(" ")];
        if field.text.is_empty() && i == NAME && form.editing.is_none() {
            let hint: String = format!("(empty: {})", inert(&form.default_name)).chars().take(room).collect();
            spans.push(Span::styled(hint, theme::DIM));
        } else {
            spans.push(Span::raw(visible));
        }
        lines.push(Line::from(spans));
        if focused {
            cursor = Some((lines.len() - 1, LABEL + 1 + before - skip));
        }
    }
    lines.push(Line::raw(""));
    if let Some(p) = &form.name_problem {
        lines.push(Line::styled(inert(p).into_owned(), theme::ERROR));
    }
    for l in check.lines() {
        let cut: String = l.chars().take(inner_w).collect();
        lines.push(Line::styled(cut, style));
    }
    lines.push(Line::raw(""));
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::Form]) {
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}  ")));
    }
    lines.push(Line::from(hints));
    let popup = centered(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    let title: String = format!(" {what} · {rule} ").chars().take(inner_w).collect();
    f.render_widget(Paragraph::new(lines).block(theme::block(title, true)), popup);
    if let Some((row, col)) = cursor {
        let x = (popup.x + 1 + col as u16).min(popup.right().saturating_sub(2));
        let y = popup.y + 1 + row as u16;
        if y < popup.bottom().saturating_sub(1) {
            f.set_cursor_position(Position::new(x, y));
        }
    }
}
