//! Integration tests of the TUI: the demo flow through `Action`s, untrusted
//! event text drawn inert, the grid's cursor, sort and cell inspector, insta snapshots of every pane (in `snapshots/`),
//! and the built binary under tmux.

#[path = "../tui_common/mod.rs"]
mod tui_common;

mod columns;
mod editor;
mod exclusion_edit;
mod flow;
mod geometry;
mod grid;
mod inert;
mod jobs;
mod loading;
mod monkey;
mod narrow;
mod no_data;
mod propose_explain;
mod snapshots;
mod stack;
mod suggest;
mod tmux;
