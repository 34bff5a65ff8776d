//! The key hints of the footer and of the dialogs, generated from the key
//! map ([`KEYS`]): which bindings of the active contexts are hinted, and
//! which of them fit a width, whole and most important first.

use super::action::Action;
use super::keys::{Binding, Context, HELP, KEYS, keys_text};

/// The footer's bindings for the active contexts, most specific first, each
/// with its keys as written; a key bound in a more specific context shadows
/// the general one.
fn footer_bindings(contexts: &[Context]) -> Vec<(String, &'static Binding)> {
    let mut out: Vec<(String, &'static Binding)> = Vec::new();
    for bd in contexts.iter().flat_map(|ctx| KEYS.iter().filter(move |bd| bd.context == *ctx && bd.footer)) {
        let keys = keys_text(bd);
        if !out.iter().any(|(k, _)| *k == keys) {
            out.push((keys, bd));
        }
    }
    out
}

/// The footer's (keys, label) pairs for the active contexts, most specific first.
pub fn footer(contexts: &[Context]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> =
        footer_bindings(contexts).into_iter().map(|(k, bd)| (k, bd.label)).collect();
    // The way to every other key comes first, so no width cuts it off.
    if let Some(i) = out.iter().position(|(_, label)| *label == HELP) {
        let help = out.remove(i);
        out.insert(0, help);
    }
    out
}

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
