//! Why a session could not be built: each a variant, so a face can tell a
//! missing input from a cancelled load without reading message text.

use std::path::PathBuf;

/// A session that could not be built; every variant exits 2.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A path the user named does not exist or cannot be read.
    #[error("{what} {}: {reason}", path.display())]
    Input {
        /// Which option named it (`--events`, `--rules`, `--exclusions-file`).
        what: &'static str,
        /// The path as given.
        path: PathBuf,
        /// Why it cannot be read (kept as text beside the path, not as an
        /// error source, so `{:#}` does not print it twice).
        reason: std::io::Error,
    },
    /// The event inputs exist but not one row could be read from them.
    #[error("no events could be loaded from {paths}{}", first.as_ref().map(|p| format!("; first problem: {p}")).unwrap_or_default())]
    NoEvents {
        /// The paths, joined.
        paths: String,
        /// The first load problem, if any.
        first: Option<String>,
    },
    /// The load stopped at the memory budget.
    #[error("{0}; raise --max-memory or load fewer files")]
    MemoryBudget(String),
    /// Not one rule could be loaded.
    #[error("no rule could be loaded; first problem: {0}")]
    NoRules(String),
    /// `--rule` named no loaded rule (the message suggests one).
    #[error(transparent)]
    UnknownRule(#[from] crate::rules::UnknownRule),
    /// `--now` is neither a date/time nor `latest`, or `latest` found no event.
    #[error("{0}")]
    Clock(String),
    /// A remote source (`--source`) failed as a whole (auth, network, throttling).
    #[error(transparent)]
    Remote(#[from] crate::data::remote::RemoteError),
    /// Options that cannot go together, or a missing folder for results.
    #[error("{0}")]
    Conflict(String),
    /// Remote results could not be written.
    #[error("{}: {reason}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        reason: std::io::Error,
    },
    /// A results folder whose manifest cannot be read.
    #[error("{}: not a readable kqlhunt results manifest: {reason}", path.display())]
    BadResults {
        /// The manifest.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Ctrl-C, Esc or `q` stopped the load or a query.
    #[error("cancelled (Ctrl-C)")]
    Cancelled,
}
