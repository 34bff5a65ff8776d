//! Errors of the rules layer. Every one that concerns a file names it, and
//! where the position is known, its line and column (`file:line:col: ...`).

use std::path::{Path, PathBuf};

/// An error while loading, saving or converting rule files.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid YAML, or a value has the wrong shape.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line, 1-based.
        line: usize,
        /// Column, 1-based.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file changed on disk since it was loaded; nothing was written.
    #[error("{}: changed on disk since it was loaded; not overwritten (reload it first)", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The file's layout does not allow a safe, byte-preserving rewrite.
    #[error("{}: cannot rewrite safely: {reason}", path.display())]
    Unsaveable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The rule came from the copies compiled into kqlhunt, not from a file:
    /// it cannot be saved in place (write the tuned rules to a folder instead).
    #[error("{}: the bundled rules are read-only; write the tuned rules to a folder instead", path.display())]
    ReadOnly {
        /// The bundled rule's name (`(bundled) rules/...`).
        path: PathBuf,
    },
    /// A file to be written exists with other content; nothing was written.
    #[error("{}: already exists with different content; not overwritten", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
}

impl RulesError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> RulesError {
        RulesError::Io { path: path.to_path_buf(), source }
    }

    /// A positioned problem in `path`.
    pub fn invalid(path: &Path, line: usize, column: usize, message: impl Into<String>) -> RulesError {
        RulesError::Invalid { path: path.to_path_buf(), line, column, message: message.into() }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            RulesError::Io { path, .. }
            | RulesError::Invalid { path, .. }
            | RulesError::Changed { path }
            | RulesError::Unsaveable { path, .. }
            | RulesError::ReadOnly { path }
            | RulesError::Exists { path } => path,
        }
    }
}
