//! One file per pane; each `draw` is a pure read of the app.

pub mod cell;
pub mod drill;
pub mod exclusions;
pub mod help;
pub mod prompt;
pub mod query;
pub mod report;
pub mod results;
pub mod rules;
pub mod status;
pub mod timeline;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::data::text::inert;

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
