//! Which key hints fit the footer's width: the hinted bindings of the
//! active contexts ([`footer_bindings`], from the key map), whole and most
//! important first.

use super::action::Action;
use super::keys::{Binding, Context, footer_bindings};

/// How much a footer hint matters, lower first: the help (the way to every
/// other key), then what Enter / Esc do in the pane, then Tab (the way to
/// the other panes), then the pane's other keys in the key map's order,
/// then the global ones. (A dialog's Esc-cancels is known; it keeps its place.)
fn footer_rank(bd: &Binding) -> u8 {
    match bd.action {
        Action::Help => 0,
        Action::NextPane => 2,
        _ if bd.context == Context::Global => 4,
        Action::Enter | Action::Back | Action::Submit | Action::CancelQuery => 1,
        _ => 3,
    }
}

/// Cells a footer hint takes: ` keys ` then ` label`.
pub fn hint_width(keys: &str, label: &str) -> usize {
    use ratatui::text::Span;
    Span::raw(keys).width() + Span::raw(label).width() + 3
}

/// Cells between two footer hints.
pub const HINT_GAP: usize = 2;

/// The footer hints that fit in `width` cells, whole, most important first
/// (see [`footer_rank`]); a hint that does not fit is dropped, never cut,
/// and a less important one that still fits takes its place. The help
/// hint is always first.
pub fn footer_fit(contexts: &[Context], width: usize) -> Vec<(String, &'static str)> {
    let mut all = footer_bindings(contexts);
    all.sort_by_key(|(_, bd)| footer_rank(bd));
    let mut used = 0;
    let mut out = Vec::new();
    for (keys, bd) in all {
        let w = hint_width(&keys, bd.label) + if out.is_empty() { 0 } else { HINT_GAP };
        if used + w <= width {
            used += w;
            out.push((keys, bd.label));
        }
    }
    out
}
