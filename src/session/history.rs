//! The query editor's history, kept across runs in the user's data folder
//! (`$XDG_DATA_HOME/kqlhunt/history`, else `~/.local/share/kqlhunt/history`).
//! One JSON string per line, so a multi-line query round-trips whole. The
//! newest [`HISTORY_LEN`] distinct entries are kept, oldest first.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Entries kept.
pub const HISTORY_LEN: usize = 500;

/// A history file that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file exists but cannot be read (permissions, not text).
    #[error("query history {}: cannot read it ({source}); history is not saved this run", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Some lines are not JSON strings; they were skipped.
    #[error("query history {}: {lines} unreadable line(s) skipped", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// How many lines were skipped.
        lines: usize,
    },
    /// The file (or its folder) cannot be written.
    #[error("query history {}: cannot save it ({source})", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Where the history lives for an environment (`var` reads a variable):
/// `$XDG_DATA_HOME/kqlhunt/history` when that is an absolute path (as the
/// XDG spec asks), else `$HOME/.local/share/kqlhunt/history`; `None` when
/// neither is set.
pub fn history_path(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let xdg = var("XDG_DATA_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
    let data = xdg.or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("kqlhunt").join("history"))
}

/// Past queries, oldest first, and the file they are saved to (none in
/// tests and when the file could not be read, so nothing is overwritten).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    path: Option<PathBuf>,
}

impl History {
    /// A history kept in memory only.
    pub fn in_memory() -> History {
        History::default()
    }

    /// The history saved at `path` (empty when the file does not exist yet),
    /// and what went wrong reading it. An unreadable file is never written.
    pub fn load(path: &Path) -> (History, Option<HistoryError>) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return (History::in_memory(), Some(HistoryError::Read { path: path.into(), source })),
        };
        let mut h = History { entries: Vec::new(), path: Some(path.to_path_buf()) };
        let mut bad = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str::<String>(line) {
                Ok(q) => h.remember(&q),
                Err(_) => bad += 1,
            }
        }
        let problem = (bad > 0).then(|| HistoryError::Corrupt { path: path.into(), lines: bad });
        (h, problem)
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The file it is saved to, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Adds `query` as the newest entry (moved there if already present),
    /// keeping the newest [`HISTORY_LEN`]. Blank queries are not kept.
    fn remember(&mut self, query: &str) {
        let q = query.trim_end();
        if q.trim().is_empty() {
            return;
        }
        self.entries.retain(|e| e != q);
        self.entries.push(q.to_string());
        let extra = self.entries.len().saturating_sub(HISTORY_LEN);
        self.entries.drain(..extra);
    }

    /// Adds `query` and saves the file (when there is one).
    pub fn push(&mut self, query: &str) -> Result<(), HistoryError> {
        self.remember(query);
        self.save()
    }

    /// Writes every entry to the file: to a temporary file beside it, then
    /// renamed over it, so a crash never leaves half a history.
    pub fn save(&self) -> Result<(), HistoryError> {
        let Some(path) = &self.path else { return Ok(()) };
        let err = |source| HistoryError::Write { path: path.clone(), source };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut body = String::new();
        for e in &self.entries {
            // A String always serialises.
            body.push_str(&serde_json::to_string(e).unwrap_or_default());
            body.push('\n');
        }
        let tmp = path.with_extension("tmp");
        let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(body.as_bytes()));
        written.and_then(|_| std::fs::rename(&tmp, path)).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            err(e)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn path_follows_xdg_then_home() {
        let p = history_path(env(&[("XDG_DATA_HOME", "/x/data"), ("HOME", "/home/u")]));
        assert_eq!(p, Some(PathBuf::from("/x/data/kqlhunt/history")));
        let p = history_path(env(&[("XDG_DATA_HOME", "relative"), ("HOME", "/home/u")]));
        assert_eq!(p, Some(PathBuf::from("/home/u/.local/share/kqlhunt/history")), "a relative XDG path is ignored");
        assert_eq!(history_path(env(&[])), None);
    }

    #[test]
    fn multi_line_entries_round_trip_deduplicated_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let xdg = dir.path().to_str().unwrap();
        let path = history_path(env(&[("XDG_DATA_HOME", xdg)])).unwrap();
        let (mut h, problem) = History::load(&path);
        assert!(problem.is_none() && h.entries().is_empty());
        let multi = "DeviceProcessEvents\n| where FileName == \"a\\\"b\"\n| take 3";
        h.push(multi).unwrap();
        h.push("T | count").unwrap();
        h.push(multi).unwrap();
        h.push("   ").unwrap();
        let (again, problem) = History::load(&path);
        assert!(problem.is_none());
        assert_eq!(again.entries(), ["T | count", multi], "deduplicated, newest last");
        let mut big = again;
        for i in 0..HISTORY_LEN + 20 {
            big.remember(&format!("q{i}"));
        }
        assert_eq!(big.entries().len(), HISTORY_LEN);
        assert_eq!(big.entries().last().map(String::as_str), Some(format!("q{}", HISTORY_LEN + 19).as_str()));
    }

    #[test]
    fn a_corrupt_file_loses_only_its_bad_lines_and_an_unreadable_one_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history");
        std::fs::write(&path, "\"good\"\nnot json\n{\"a\":1}\n\"also good\\nline 2\"\n").unwrap();
        let (h, problem) = History::load(&path);
        assert_eq!(h.entries(), ["good", "also good\nline 2"]);
        assert!(matches!(problem, Some(HistoryError::Corrupt { lines: 2, .. })), "{problem:?}");

        std::fs::write(&path, [0xff, 0xfe, b'\n']).unwrap();
        let (mut h, problem) = History::load(&path);
        assert!(matches!(problem, Some(HistoryError::Read { .. })), "{problem:?}");
        h.push("x").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), [0xff, 0xfe, b'\n'], "not overwritten");
    }

    #[test]
    fn an_unwritable_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        let (mut h, problem) = History::load(&blocker.join("kqlhunt/history"));
        assert!(problem.is_none(), "no file yet: {problem:?}");
        // The folder cannot be made: a file is in the way.
        std::fs::write(&blocker, "").unwrap();
        let e = h.push("T").unwrap_err();
        assert!(matches!(e, HistoryError::Write { .. }));
        assert!(e.to_string().contains("file/kqlhunt/history"), "{e}");
    }
}
