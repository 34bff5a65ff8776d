//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders};

/// Selected row.
pub const SELECTED: Style = Style::new().bg(Color::Rgb(40, 60, 90)).add_modifier(Modifier::BOLD);
/// Table headers.
pub const HEADER: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
/// The header of a grid's column cursor.
pub const CURSOR: Style = Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD);
/// Fuzzy-search matches.
pub const MATCH: Style = Style::new().fg(Color::LightYellow).add_modifier(Modifier::UNDERLINED);
/// Something wrong (rule errors, filter errors).
pub const ERROR: Style = Style::new().fg(Color::LightRed);
/// Something to look at (over-broad, unsaved).
pub const WARN: Style = Style::new().fg(Color::LightYellow);
/// Good news (ok, hits kept).
pub const OK: Style = Style::new().fg(Color::LightGreen);
/// Hidden / not applicable.
pub const DIM: Style = Style::new().fg(Color::DarkGray);
/// A count changed by the active exclusions.
pub const CHANGED: Style = Style::new().fg(Color::LightMagenta).add_modifier(Modifier::BOLD);
/// Key names in the footer and help.
pub const KEY: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
/// Key names in the help overlay.
pub const KEY_NAME: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
/// KQL keywords.
pub const KW: Style = Style::new().fg(Color::LightBlue).add_modifier(Modifier::BOLD);
/// KQL string literals.
pub const STR: Style = Style::new().fg(Color::LightGreen);
/// KQL operators.
pub const OP: Style = Style::new().fg(Color::LightMagenta);
/// KQL numbers and raw literals (`datetime(...)`).
pub const NUM: Style = Style::new().fg(Color::LightCyan);
/// Table names in KQL.
pub const TABLE: Style = Style::new().fg(Color::LightYellow);
/// KQL comments.
pub const COMMENT: Style = Style::new().fg(Color::DarkGray).add_modifier(Modifier::ITALIC);

/// A pane's frame; the focused one stands out.
pub fn block(title: String, focused: bool) -> Block<'static> {
    let style = if focused { Style::new().fg(Color::Cyan) } else { Style::new().fg(Color::Gray) };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(style)
        .title(title)
}
