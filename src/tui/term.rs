//! Terminal setup: ratatui's init/restore (which restore the terminal on a
//! panic too) plus mouse capture and bracketed paste (so a pasted multi-line
//! query arrives whole, not as lines each ending in Enter), undone on exit
//! and on panic.

use std::io::Write;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use ratatui::crossterm::execute;

/// Enters the alternate screen in raw mode with mouse capture.
pub fn init() -> DefaultTerminal {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        hook(info);
    }));
    let terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    terminal
}

/// Leaves the alternate screen and raw mode, releasing the mouse.
pub fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}

/// Writes an escape sequence the app prepared (OSC 52) straight to the terminal.
pub fn write_raw(terminal: &mut DefaultTerminal, seq: &str) -> std::io::Result<()> {
    let backend = terminal.backend_mut();
    backend.write_all(seq.as_bytes())?;
    backend.flush()
}
