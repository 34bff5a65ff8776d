//! The `tui` layer: `kqlhunt` with no subcommand. Input → [`action::Action`]
//! (looked up in the one key map, [`keys::KEYS`]) → [`app::App::update`] →
//! redraw with [`draw::draw`], a pure read of the app.

pub mod action;
mod adhoc;
pub mod app;
pub mod clipboard;
mod column_actions;
pub mod columns;
pub mod crumbs;
pub mod derive;
pub mod derived;
pub mod dialogs;
pub mod draw;
pub mod edit;
pub mod editor;
mod editor_actions;
mod explain;
pub mod export;
pub mod fmt;
pub mod form;
pub mod grid;
pub mod hints;
pub mod job;
pub mod jobs;
pub mod keys;
pub mod layout;
pub mod load;
pub mod load_state;
pub mod panes;
pub mod pivot;
pub mod propose;
pub mod saving;
pub mod sources;
pub mod stack;
pub mod state;
pub mod suggest;
pub mod table;
pub mod term;
pub mod theme;
pub mod update;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, MouseButton, MouseEventKind};

use crate::session::{Options, Outcome};

use action::Action;
use app::App;

/// Runs the TUI until the user quits.
pub fn run(opts: Options) -> anyhow::Result<Outcome> {
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    // The rules load before the screen opens: a bad rules path is a plain error.
    let mut app = load::start(opts, size)?;
    let mut terminal = term::init();
    let result = session(&mut terminal, &mut app);
    // Quitting while loading: the worker stops at its next check.
    app.stop_loading();
    term::restore();
    if let Some(e) = app.load_error.take() {
        return Err(e.into());
    }
    result
}

fn session(terminal: &mut DefaultTerminal, app: &mut App) -> anyhow::Result<Outcome> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    app.use_history_file();
    while !app.quit {
        terminal.draw(|f| draw::draw(f, app))?;
        if let Some(seq) = app.clipboard.take() {
            term::write_raw(terminal, &seq)?;
        }
        // While loading or a job runs, wake up to draw progress and pick up results.
        let busy = app.running.is_some() || app.load.is_some();
        if busy && !event::poll(std::time::Duration::from_millis(50))? {
            app.update(Action::Tick);
            continue;
        }
        match event::read()? {
            Event::Paste(text) => app.paste(&text),
            ev => {
                if let Some(action) = action_of(app, ev) {
                    app.update(action);
                }
            }
        }
    }
    Ok(Outcome::Hits)
}

/// The action for a terminal event in the app's current state.
pub fn action_of(app: &App, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => keys::action_for(&app.contexts(), k),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollUp => Some(Action::WheelUp(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::WheelDown(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}
