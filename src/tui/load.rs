//! The first screen: the rule list shows at once, over a hunt whose rules
//! have not run ([`crate::hunt::Hunt::pending`]), while a worker thread
//! loads the events and runs the rules one by one
//! ([`crate::session::stepwise`]). Each tick applies the steps that came:
//! the progress line moves, and each rule's counts fill in as it finishes.
//! Esc or `q` quits at once (the cancel flag stops the worker between
//! steps and inside a rule's evaluation); keys that need a rule's results
//! say so until they are in.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, TryRecvError};
use std::thread;

use crate::hunt::Hunt;
use crate::session::stepwise::{Step, load_stepwise};
use crate::session::{Options, SessionError, selected_rules};

use super::action::Action;
use super::app::{App, Focus};
use super::load_state::Loading;

/// Loads the rules of `opts` (an error when none loads) and starts loading
/// the events and running the rules on a worker thread: the app shows the
/// rule list at once.
pub fn start(opts: Options, size: (u16, u16)) -> Result<App, SessionError> {
    // A mistyped events path is a plain error before the screen opens.
    crate::session::load::check_paths("--events", &opts.events)?;
    let rules = selected_rules(&opts)?;
    let list = rules.rules.clone();
    let cancel = opts.cancel.clone();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || load_stepwise(&opts, &list, &mut |step| drop(tx.send(step))));
    Ok(App::loading(Hunt::pending(rules), size, Loading::new(rx, cancel)))
}

impl App {
    /// Applies the load's steps that came; true when any did (a tick
    /// re-derives only then).
    pub(crate) fn poll_load(&mut self) -> bool {
        let mut any = false;
        while let Some(load) = &mut self.load {
            let step = match load.rx.try_recv() {
                Ok(step) => step,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    // The worker ended without `Done`: cancelled, or it panicked.
                    if !load.events_in && load.failed.is_none() && !load.cancel.load(Ordering::Relaxed) {
                        load.failed = Some(SessionError::Cancelled);
                    }
                    self.end_load();
                    return true;
                }
            };
            any = true;
            match step {
                Step::Progress { done, total, file, rows } => {
                    (load.bytes, load.file, load.rows) = ((done, total), file, rows)
                }
                Step::Events(ev) => {
                    load.events_in = true;
                    load.bytes.0 = load.bytes.1;
                    self.info.report = ev.report;
                    self.info.elapsed = ev.elapsed;
                    self.info.clock = ev.clock;
                    self.hunt.set_session(ev.session);
                }
                Step::Ran(i, run) => {
                    load.ran += 1;
                    self.hunt.set_run(i, *run);
                }
                Step::Done => self.end_load(),
                Step::Failed(e) => {
                    load.failed = Some(e);
                    self.end_load();
                }
            }
        }
        any
    }

    fn end_load(&mut self) {
        let Some(load) = self.load.take() else { return };
        if let Some(e) = load.failed {
            // Nothing to hunt over: the app ends and the error is printed.
            self.load_error = Some(e);
            self.quit = true;
        } else {
            self.info.elapsed = load.started.elapsed();
        }
    }

    /// Stops the load (quitting while it runs).
    pub fn stop_loading(&mut self) {
        if let Some(load) = &self.load {
            load.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Waits for the load to end (tests).
    pub fn settle_load(&mut self) {
        while self.load.is_some() {
            if !self.poll_load() {
                thread::sleep(std::time::Duration::from_millis(2));
            }
        }
        self.derive();
    }

    /// While loading: why `action` cannot act yet, when it needs results
    /// that are not in (the selected rule has not run, or the events are
    /// still loading). `None` when it can.
    pub(crate) fn not_loaded_yet(&self, action: Action) -> Option<String> {
        let load = self.load.as_ref()?;
        let what = match load.events_in {
            false => "the events are still loading".to_string(),
            true => format!("the rules are running ({} of {})", load.ran, self.hunt.len()),
        };
        let pending = self.rule().is_some_and(|r| self.hunt.is_pending(r));
        let needs_rule = match action {
            Action::Enter if self.focus == Focus::Rules => true,
            Action::Toggle | Action::Stack | Action::Suggest | Action::Mark | Action::Propose | Action::Export => true,
            Action::Click(..) | Action::WheelUp(..) | Action::WheelDown(..) => false,
            _ => matches!(self.focus, Focus::Results | Focus::Exclusions) && !is_navigation(action),
        };
        let needs_events = matches!(action, Action::AdHoc | Action::Pivot | Action::PivotDevice | Action::Report);
        match () {
            _ if needs_events && !load.events_in => Some(format!("{what}; this needs them")),
            _ if needs_rule && pending => Some(format!("{what}; this rule has not run yet")),
            _ => None,
        }
    }
}

/// Keys that only move a cursor or a pane.
fn is_navigation(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::NextPane
            | Action::PrevPane
            | Action::Back
            | Action::Help
            | Action::Messages
            | Action::Zoom
            | Action::Quit
    )
}
