//! A folder of remote results: its manifest (the source, when, and per rule
//! the query sent, its result file, rows, cap and error), and where each
//! rule's rows sit once the folder is opened.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The manifest's file name in a results folder.
pub const MANIFEST: &str = "kqlhunt-remote.json";

/// What a results folder holds: the source, when, and one entry per rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// The format's version (1).
    pub kqlhunt_remote: u32,
    /// `--source` as given.
    pub source: String,
    /// When the results were fetched (ISO-8601 UTC).
    pub fetched: String,
    /// One per rule fetched.
    pub rules: Vec<Entry>,
}

/// One rule's results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// The rule's id.
    pub id: Option<String>,
    /// The rule's name.
    pub name: String,
    /// The table the hits come from (the rule's first source table).
    pub table: String,
    /// The result file (an AH API document), when the query succeeded.
    pub file: Option<String>,
    /// The query sent.
    pub query: String,
    /// Log Analytics' timespan sent, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timespan: Option<String>,
    /// Rows received.
    pub rows: usize,
    /// The service stopped at this many rows.
    pub capped: Option<usize>,
    /// The service's words about the cap, or a note on the window.
    pub note: Option<String>,
    /// Why the query failed, when it did.
    pub error: Option<String>,
}

/// Where one rule's hit rows sit in the session's tables.
#[derive(Clone, Debug)]
pub struct RemoteRows {
    /// The manifest entry.
    pub entry: Entry,
    /// First row in the table `entry.table`.
    pub start: usize,
    /// Rows.
    pub len: usize,
    /// The rule's own columns (the table has every rule's).
    pub columns: Vec<String>,
}

/// The remote side of loaded events.
#[derive(Clone, Debug)]
pub struct RemoteSet {
    /// `--source` as it was.
    pub source: String,
    /// The results folder.
    pub dir: PathBuf,
    /// When the results were fetched (ticks).
    pub fetched: Option<i64>,
    /// Per rule, in manifest order.
    pub rules: Vec<RemoteRows>,
}

/// Whether `paths` is one folder of saved remote results.
pub fn is_results_folder(paths: &[PathBuf]) -> bool {
    matches!(paths, [one] if one.join(MANIFEST).is_file())
}
