//! The state of a load under way (see `load.rs`): where its steps arrive,
//! its cancel flag, and how far it is, for the progress line.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use crate::session::SessionError;
use crate::session::stepwise::Step;

/// The load under way.
#[derive(Debug)]
pub struct Loading {
    pub(super) rx: Receiver<Step>,
    /// Set to stop the worker (quitting while loading).
    pub cancel: Arc<AtomicBool>,
    /// Bytes of the event files read, of their total.
    pub bytes: (u64, u64),
    /// The file being read.
    pub file: String,
    /// Rows read so far.
    pub rows: u64,
    /// True once the events are in (the rules are running).
    pub events_in: bool,
    /// Rules run so far.
    pub ran: usize,
    /// When loading started.
    pub started: Instant,
    /// Why the load failed, when it did (the app quits and reports it).
    pub failed: Option<SessionError>,
}

impl Loading {
    /// A load whose steps arrive on `rx`; `cancel` stops its worker.
    pub fn new(rx: Receiver<Step>, cancel: Arc<AtomicBool>) -> Loading {
        Loading {
            rx,
            cancel,
            bytes: (0, 0),
            file: String::new(),
            rows: 0,
            events_in: false,
            ran: 0,
            started: Instant::now(),
            failed: None,
        }
    }
}
