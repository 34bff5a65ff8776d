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
pub mod keys;
pub mod layout;
pub mod load;
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
    let rx = load::start(opts);
    let mut terminal = term::init();
    let result = session(&mut terminal, &rx);
    term::restore();
    result
}

fn session(terminal: &mut DefaultTerminal, rx: &std::sync::mpsc::Receiver<load::Msg>) -> anyhow::Result<Outcome> {
    let Some(loaded) = load::wait(terminal, rx)? else { return Ok(Outcome::Hits) };
    let size = terminal.size()?;
    let mut app = App::new(loaded, (size.width, size.height));
    app.use_history_file();
    while !app.quit {
        terminal.draw(|f| draw::draw(f, &app))?;
        if let Some(seq) = app.clipboard.take() {
            term::write_raw(terminal, &seq)?;
        }
        // While a query runs in the background, wake up to pick up its result.
        if app.running.is_some() && !event::poll(std::time::Duration::from_millis(50))? {
            app.update(Action::Tick);
            continue;
        }
        match event::read()? {
            Event::Paste(text) => app.paste(&text),
            ev => {
                if let Some(action) = action_of(&app, ev) {
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
