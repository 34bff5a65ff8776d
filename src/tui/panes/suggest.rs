//! The proposal overlay: filters proposed from the marked false positives,
//! each with how many unmarked hits it would also hide, the picked one's
//! collateral listed, and the keys to add or edit it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::inert;
use crate::tui::app::SuggestView;
use crate::tui::keys::{self, Context};
use crate::tui::theme;

use super::help::centered;

/// Width of the "▶ 12 others " column before each filter.
const LEAD: usize = 13;

/// Draws the overlay for `v` over `area`.
pub fn draw(f: &mut Frame, area: Rect, v: &SuggestView) {
    let width = area.width.saturating_sub(4).min(110);
    let inner = (width as usize).saturating_sub(2).max(LEAD + 8);
    let mut lines: Vec<Line> = vec![Line::styled(
        format!("Each filter hides all {} marked hits; others = unmarked hits it also hides.", v.marked),
        theme::DIM,
    )];
    for (i, p) in v.proposals.iter().enumerate() {
        let picked = i == v.selected;
        let style = if picked { theme::SELECTED } else { Style::new() };
        let count = if p.hides_unmarked == 0 { theme::OK } else { theme::WARN };
        let lead = format!("{:>3} other{} ", p.hides_unmarked, if p.hides_unmarked == 1 { " " } else { "s" });
        for (k, part) in words(&p.filter, inner - LEAD).into_iter().enumerate() {
            let head = match (k, picked) {
                (0, true) => vec![Span::styled("▶ ", style), Span::styled(lead.clone(), count.patch(style))],
                (0, false) => vec![Span::raw("  "), Span::styled(lead.clone(), count)],
                _ => vec![Span::styled(" ".repeat(LEAD), style)],
            };
            lines.push(Line::from([head, vec![Span::styled(part, style)]].concat()));
        }
    }
    lines.push(Line::raw(""));
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::Suggest]) {
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}  ")));
    }
    let collateral = v.collateral.get(v.selected).map(Vec::as_slice).unwrap_or(&[]);
    // Room for the collateral list: what is left above the hints line.
    let room = (area.height as usize).saturating_sub(2 + 2 + lines.len() + 2);
    if collateral.is_empty() {
        lines.push(Line::styled("It hides no unmarked hit.", theme::OK));
    } else {
        lines.push(Line::styled(format!("It also hides {} unmarked hits:", collateral.len()), theme::HEADER));
        let shown = if collateral.len() > room { room.saturating_sub(1) } else { collateral.len() };
        for c in &collateral[..shown] {
            let row = format!("  {:<20} {}  {}", c.report, c.time, c.device);
            lines.push(Line::raw(inert(&row).into_owned()));
        }
        if shown < collateral.len() {
            lines.push(Line::styled(format!("  … and {} more", collateral.len() - shown), theme::DIM));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(hints));
    let popup = centered(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    let title = format!(" Proposed filters · {} marked hits ", v.marked);
    f.render_widget(Paragraph::new(lines).block(theme::block(title, true)), popup);
}

/// Untrusted text in inert lines of at most `width` characters, broken at
/// spaces where it can be (a filter reads better whole words per line).
fn words(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let safe = inert(text);
    for word in safe.split(' ') {
        let (n, w) = (line.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            out.push(head);
        }
    }
    out.push(line);
    out
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(words("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(words("", 4), [""]);
    }
}
