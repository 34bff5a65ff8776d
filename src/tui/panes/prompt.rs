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
    // Wrapped here, so the box is as tall as the text: a hint's end (how to
    // overwrite, how to cancel) must not fall off a narrow terminal.
    let lines = word_wrap(&text, line.width.saturating_sub(2) as usize);
    let height = (lines.len() as u16 + 2).min(line.y);
    if height < 3 {
        return;
    }
    let title = match p.kind {
        PromptKind::Search => " search ",
        PromptKind::Export { .. } => " export ",
        PromptKind::Filter => " filter ",
        PromptKind::WriteTo { .. } => " write tuned rules ",
    };
    let area = Rect::new(line.x, line.y - height, line.width, height);
    f.render_widget(Clear, area);
    let lines: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    f.render_widget(Paragraph::new(lines).style(style).block(theme::block(title.into(), true)), area);
}

/// `text` broken into lines of at most `width` characters, between words
/// where it can be (a word longer than a line is cut).
fn word_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.lines() {
        // A line that fits keeps its spacing (a caret under an error).
        if para.chars().count() <= width {
            out.push(para.to_string());
            continue;
        }
        let mut line = String::new();
        for word in para.split(' ') {
            let (len, word_len) = (line.chars().count(), word.chars().count());
            if len > 0 && len + 1 + word_len > width {
                out.push(std::mem::take(&mut line));
            } else if len > 0 {
                line.push(' ');
            }
            line.push_str(word);
            while line.chars().count() > width {
                let rest: String = line.chars().skip(width).collect();
                out.push(line.chars().take(width).collect());
                line = rest;
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::word_wrap;

    #[test]
    fn wraps_between_words_and_cuts_only_a_long_word() {
        assert_eq!(word_wrap("ab cd ef", 5), ["ab cd", "ef"]);
        assert_eq!(word_wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert_eq!(word_wrap("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(word_wrap("  caret", 10), ["  caret"]);
    }
}
