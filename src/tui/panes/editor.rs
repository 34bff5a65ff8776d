//! The query editor, drawn at the bottom above the status bar: the KQL
//! coloured by the one scanner (keywords, operators, strings, numbers,
//! comments, table names), a caret line under an error at its column, the
//! completion candidates, and the running / error feedback. Its border says
//! how to run and how to break a line.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::inert;
use crate::kql::scan::{self, Kind};
use crate::kql::vocab;
use crate::tui::app::{App, Feedback};
use crate::tui::editor::Editor;
use crate::tui::layout::offset;
use crate::tui::theme;

/// Most text lines shown before the editor scrolls.
pub const MAX_LINES: usize = 8;

/// The border's title: how to run and how to break a line.
pub const TITLE: &str = " KQL · Enter runs · Ctrl-J or Alt-Enter: new line ";

/// Display width of untrusted text as drawn (made inert).
fn width(s: &str) -> usize {
    Span::raw(inert(s)).width()
}

/// The buffer's lines coloured: the whole text is scanned once, so a
/// string spanning lines is coloured throughout; words naming a table stand out.
pub fn highlight(ed: &Editor, tables: &[String]) -> Vec<Line<'static>> {
    let text = ed.buffer.text();
    let toks = scan::join_hyphens(&text, &scan::scan(&text), vocab::is_keyword);
    let mut lines: Vec<Line<'static>> = vec![Line::default()];
    for t in toks {
        let piece = t.text(&text);
        let style = match t.kind {
            Kind::Number | Kind::Raw { .. } => theme::NUM,
            Kind::Word if tables.iter().any(|n| n == piece) => theme::TABLE,
            kind => super::query::style(kind, piece),
        };
        for (i, part) in piece.split('\n').enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            if let Some(l) = lines.last_mut().filter(|_| !part.is_empty()) {
                l.spans.push(Span::styled(inert(part).into_owned(), style));
            }
        }
    }
    lines
}

/// The lines to show: the text, with the caret line under the error's line.
/// Also returns the display row of the cursor.
fn display(app: &App) -> (Vec<Line<'static>>, usize) {
    let ed = &app.editor;
    let tables: Vec<String> = app.hunt.session().db.tables().iter().map(|t| t.name().to_string()).collect();
    let mut lines = highlight(ed, &tables);
    let cursor = ed.buffer.cursor();
    let mut row = cursor.line;
    if let Some(e) = &ed.error {
        let src = ed.buffer.lines().get(e.at.line).map_or("", String::as_str);
        let before: String = src.chars().take(e.at.col).collect();
        let marked: String = src.chars().skip(e.at.col).take(e.width).collect();
        let carets = "^".repeat(width(&marked).max(1));
        let caret = Line::from(vec![
            Span::raw(" ".repeat(width(&before))),
            Span::styled(format!("{carets} {}", e.message), theme::ERROR),
        ]);
        let at = (e.at.line + 1).min(lines.len());
        lines.insert(at, caret);
        if e.at.line < cursor.line {
            row += 1;
        }
    }
    (lines, row)
}

/// The lines under the text: completion candidates, then feedback or a hint.
fn footer_lines(app: &App) -> Vec<Line<'static>> {
    let ed = &app.editor;
    let mut out = Vec::new();
    if let Some(c) = &ed.completion {
        let mut spans =
            vec![Span::styled(format!("{}s ({}): ", c.candidates.what, c.candidates.names.len()), theme::DIM)];
        for (i, n) in c.candidates.names.iter().enumerate() {
            let style = if c.chosen == Some(i) { theme::SELECTED } else { Style::new() };
            spans.push(Span::styled(inert(n).into_owned(), style));
            spans.push(Span::raw("  "));
        }
        out.push(Line::from(spans));
    }
    let line = match &ed.feedback {
        Feedback::Running(m) => Line::styled(m.clone(), theme::WARN),
        Feedback::Error(_) if ed.error.as_ref().is_some_and(|e| e.help.is_some()) => {
            let help = ed.error.as_ref().and_then(|e| e.help.as_deref()).unwrap_or("");
            Line::styled(format!("help: {}", inert(help)), theme::ERROR)
        }
        Feedback::Error(m) if ed.error.is_none() => {
            Line::styled(inert(m.lines().next().unwrap_or("")).into_owned(), theme::ERROR)
        }
        _ => Line::styled(
            format!("Tab completes · ↑↓ history ({}) · Esc closes, keeps the text", ed.history.entries().len()),
            theme::DIM,
        ),
    };
    out.push(line);
    out
}

/// `line` without its first `n` cells (a wide character cut in half goes whole).
fn skip_cells(line: Line<'static>, n: usize) -> Line<'static> {
    if n == 0 {
        return line;
    }
    let mut left = n;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            spans.push(span);
            continue;
        }
        let mut kept = String::new();
        for ch in span.content.chars() {
            if left > 0 {
                left = left.saturating_sub(Span::raw(ch.to_string()).width().max(1));
            } else {
                kept.push(ch);
            }
        }
        if !kept.is_empty() {
            spans.push(Span::styled(kept, span.style));
        }
    }
    Line::from(spans)
}

/// Draws the editor over the bottom of `screen`, above the status bar and footer.
pub fn draw(f: &mut Frame, screen: Rect, app: &App) {
    let avail = screen.height.saturating_sub(2);
    if avail == 0 || screen.width < 4 {
        return;
    }
    let (lines, cursor_row) = display(app);
    let mut below = footer_lines(app);
    let want = lines.len().min(MAX_LINES) + below.len() + 2;
    let height = (want as u16).min(avail);
    let area = Rect::new(screen.x, screen.y + avail - height, screen.width, height);
    f.render_widget(Clear, area);
    // Too short for a border: the text line alone.
    let inner = if height >= 3 {
        let block = theme::block(TITLE.into(), true);
        let inner = block.inner(area);
        f.render_widget(block, area);
        inner
    } else {
        area
    };
    // The text keeps at least one line; the lines below give way first.
    let text_h = (inner.height as usize).saturating_sub(below.len()).max(1);
    below.truncate((inner.height as usize).saturating_sub(text_h));
    let text_area = Rect { height: text_h as u16, ..inner };
    // Keep the caret line in view with the cursor's line when they follow each other.
    let caret_below = app.editor.error.as_ref().is_some_and(|e| e.at.line == app.editor.buffer.cursor().line);
    let first = offset(cursor_row + usize::from(caret_below), text_h).min(cursor_row);
    let cursor = app.editor.buffer.cursor();
    let cur_line = app.editor.buffer.lines().get(cursor.line).map_or("", String::as_str);
    let x = width(&cur_line.chars().take(cursor.col).collect::<String>());
    let hscroll = x.saturating_sub((inner.width as usize).saturating_sub(1));
    // Only the cursor's line (and the caret line under it) scrolls sideways,
    // so the other lines keep their starts in view.
    let mut lines = lines;
    for row in [Some(cursor_row), caret_below.then_some(cursor_row + 1)].into_iter().flatten() {
        if let Some(l) = lines.get_mut(row) {
            *l = skip_cells(std::mem::take(l), hscroll);
        }
    }
    let p = Paragraph::new(lines).scroll((first as u16, 0));
    f.render_widget(p, text_area);
    if !below.is_empty() {
        let rest = Rect { y: text_area.y + text_h as u16, height: below.len() as u16, ..inner };
        f.render_widget(Paragraph::new(below), rest);
    }
    let cx = inner.x + (x - hscroll) as u16;
    let cy = text_area.y + (cursor_row - first) as u16;
    if cy < text_area.bottom() {
        f.set_cursor_position(Position::new(cx.min(inner.right().saturating_sub(1)), cy));
    }
}
