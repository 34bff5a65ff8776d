//! Integration tests of the TUI: the demo flow through `Action`s, untrusted
//! event text drawn inert, insta snapshots of every pane (in `snapshots/`),
//! and the built binary under tmux.

#[path = "../tui_common/mod.rs"]
mod tui_common;

mod flow;
mod geometry;
mod inert;
mod monkey;
mod narrow;
mod snapshots;
mod tmux;
