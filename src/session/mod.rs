//! The `session` layer: turns plain options (paths, clock, overlay, memory
//! budget, cancel flag, rule selection) into a loaded [`crate::hunt::Hunt`].
//! Both faces call it; it knows neither (no terminal, no printing).

pub mod bundled;
pub mod eager;
pub mod error;
pub mod history;
pub mod load;
pub mod remote;
pub mod remote_open;
pub mod results;
pub mod start;
pub mod stepwise;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use eager::LoadFor;
pub use error::SessionError;
pub use load::{Clock, ClockSource, Events, Loaded, check_cancelled, clock, eval_session, selected_rules};
pub use start::{hunt_over, load_events, load_events_noting, load_hunt, rules_for_hunt};

/// Everything a session is built from, independent of how a face got it.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Rule files or folders; empty means the bundled rules.
    pub rules: Vec<PathBuf>,
    /// Event files or folders; empty means the bundled samples.
    pub events: Vec<PathBuf>,
    /// Table name for files whose table cannot be told otherwise.
    pub table: Option<String>,
    /// `--now`: an ISO-8601 time or `latest`.
    pub now: Option<String>,
    /// An exclusion overlay file keyed by rule id.
    pub exclusions_file: Option<PathBuf>,
    /// Where `externaldata` finds its files.
    pub externaldata: Option<PathBuf>,
    /// Whether `externaldata` may download its URLs (cached in [`load::externaldata_cache_dir`]).
    pub allow_network: bool,
    /// Most memory the loaded events may take; `None` is half the physical memory.
    pub max_memory: Option<u64>,
    /// Only these rules (name, id or a unique part of a name); empty is all.
    /// Applied before any rule runs.
    pub select_rules: Vec<String>,
    /// Set to stop loading and the running query.
    pub cancel: Arc<AtomicBool>,
    /// `--source`: run each rule's query on a remote service instead of
    /// over local events.
    pub remote: Option<remote::RemoteSource>,
}

/// How a run ended, grep-style: the faces map it to an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Hits found (or `check` clean).
    Hits,
    /// No hits (or `check` found problems).
    NoHits,
    /// The output was written, but a rule failed to load, parse or run: its
    /// error was printed with the rest, and the exit is 2.
    Failed,
}

impl From<Outcome> for std::process::ExitCode {
    fn from(o: Outcome) -> std::process::ExitCode {
        match o {
            Outcome::Hits => std::process::ExitCode::SUCCESS,
            Outcome::NoHits => std::process::ExitCode::from(1),
            Outcome::Failed => std::process::ExitCode::from(2),
        }
    }
}
