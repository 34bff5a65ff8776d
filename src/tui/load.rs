//! Loading the events and running the rules on a background thread,
//! reporting progress over a channel, so the UI shows a gauge for long loads
//! and stays responsive (q quits) until the first screen is ready.

use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::widgets::{Block, Borders, Gauge};

use crate::data::text::inert;
use crate::session::{Loaded, Options, SessionError, hunt_over, load_events};

use super::action::Action;
use super::keys::{self, Context};

/// Loads shorter than this show no gauge.
const QUIET: Duration = Duration::from_millis(500);

/// A message from the loading thread.
pub enum Msg {
    /// Bytes read of the total, and the file being read.
    Progress(u64, u64, String),
    /// The events are in; the rules are running.
    Running,
    /// Everything is loaded and every rule has run.
    Done(Box<Result<Loaded, SessionError>>),
}

/// Starts loading `inputs` on a thread.
pub fn start(inputs: Options) -> Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut last = Instant::now();
        let events = load_events(&inputs, &mut |p| {
            if last.elapsed() >= Duration::from_millis(50) {
                last = Instant::now();
                let _ = tx.send(Msg::Progress(p.bytes_done, p.bytes_total, p.file.to_string()));
            }
        });
        let _ = tx.send(Msg::Running);
        let _ = tx.send(Msg::Done(Box::new(events.and_then(|e| hunt_over(&inputs, e)))));
    });
    rx
}

/// Waits for the load, drawing a gauge once it takes longer than [`QUIET`].
/// `Ok(None)` when the user quit (q) or cancelled (Esc: a slow remote
/// source, a large load) while waiting.
pub fn wait(terminal: &mut DefaultTerminal, rx: &Receiver<Msg>) -> anyhow::Result<Option<Loaded>> {
    let start = Instant::now();
    let (mut ratio, mut label) = (0.0, String::from("loading events"));
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Msg::Progress(done, total, file)) => {
                ratio = if total == 0 { 1.0 } else { (done as f64 / total as f64).clamp(0.0, 1.0) };
                label = format!("loading {}", inert(&file));
            }
            Ok(Msg::Running) => {
                ratio = 1.0;
                label = "running the rules".to_string();
            }
            Ok(Msg::Done(loaded)) => return Ok(Some((*loaded)?)),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => anyhow::bail!("the loading thread stopped"),
        }
        if start.elapsed() >= QUIET {
            gauge(terminal, ratio, &label)?;
        }
        while event::poll(Duration::ZERO)? {
            if let Event::Key(k) = event::read()?
                && matches!(keys::action_for(&[Context::Global], k), Some(Action::Quit | Action::Back))
            {
                return Ok(None);
            }
        }
    }
}

fn gauge(terminal: &mut DefaultTerminal, ratio: f64, label: &str) -> std::io::Result<()> {
    terminal.draw(|f| {
        let [row] = Layout::vertical([Constraint::Length(3)]).flex(Flex::Center).areas(f.area());
        let gauge = Gauge::default()
            .block(Block::default().borders(Borders::ALL).title(" kqlhunt · q quits "))
            .ratio(ratio)
            .label(label.to_string());
        f.render_widget(gauge, row);
    })?;
    Ok(())
}
