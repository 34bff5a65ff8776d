//! Errors of the rules layer. Every one that concerns a file names it, and
//! where the position is known, its line and column (`file:line:col: ...`).

use std::path::{Path, PathBuf};

use super::yaml::YamlError;

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
    /// The file is not valid YAML, or a value has the wrong shape; `kind`
    /// says which, for callers that classify.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// What kind of problem.
        kind: InvalidKind,
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

/// A rule selection (`--rule`) that names no loaded rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no rule named '{name}'{}", help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
pub struct UnknownRule {
    /// The name or id asked for.
    pub name: String,
    /// A "did you mean" hint, when a rule name is close.
    pub help: Option<String>,
}

/// What kind of positioned problem a [`RulesError::Invalid`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InvalidKind {
    /// Not YAML at all: `tactics: [Execution` (unclosed).
    Yaml,
    /// Not UTF-8 text.
    Encoding,
    /// A rule id another loaded rule file already has.
    DuplicateId,
    /// Two exclusions of one rule with the same name.
    DuplicateExclusion,
    /// YAML, but a value has the wrong shape: `query: 3`.
    Shape,
}

impl InvalidKind {
    /// A stable kebab-case name (`check`'s problem codes).
    pub fn as_str(self) -> &'static str {
        match self {
            InvalidKind::Yaml => "yaml",
            InvalidKind::Encoding => "encoding",
            InvalidKind::DuplicateId => "duplicate-id",
            InvalidKind::DuplicateExclusion => "duplicate-exclusion",
            InvalidKind::Shape => "rule",
        }
    }
}

impl RulesError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> RulesError {
        RulesError::Io { path: path.to_path_buf(), source }
    }

    /// A value of the wrong shape in `path`.
    pub fn invalid(path: &Path, line: usize, column: usize, message: impl Into<String>) -> RulesError {
        RulesError::positioned(InvalidKind::Shape, path, line, column, message)
    }

    /// A positioned problem of `kind` in `path`.
    pub fn positioned(
        kind: InvalidKind,
        path: &Path,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> RulesError {
        RulesError::Invalid { kind, path: path.to_path_buf(), line, column, message: message.into() }
    }

    /// `path` is not valid YAML.
    pub fn yaml(path: &Path, e: &YamlError) -> RulesError {
        RulesError::positioned(InvalidKind::Yaml, path, e.line, e.column, format!("invalid YAML: {}", e.message))
    }

    /// `path` is not UTF-8 text from `line`:`column` on.
    pub fn encoding(path: &Path, line: usize, column: usize) -> RulesError {
        RulesError::positioned(InvalidKind::Encoding, path, line, column, "not valid UTF-8")
    }

    /// A rule id in `path` that another rule file already has.
    pub fn duplicate_id(path: &Path, line: usize, column: usize, message: String) -> RulesError {
        RulesError::positioned(InvalidKind::DuplicateId, path, line, column, message)
    }

    /// What kind of positioned problem this is (`None` for the others).
    pub fn invalid_kind(&self) -> Option<InvalidKind> {
        match self {
            RulesError::Invalid { kind, .. } => Some(*kind),
            _ => None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_rule;

    fn kind_of(text: &str) -> (Option<InvalidKind>, String) {
        match parse_rule(Path::new("r.yaml"), text) {
            Err(e) => (e.invalid_kind(), e.to_string()),
            Ok(_) => (None, String::new()),
        }
    }

    #[test]
    fn kinds_are_set_where_raised() {
        let (kind, text) = kind_of("id: x\nname: Broken\nquery: T\ntactics: [Execution\n");
        assert_eq!(kind, Some(InvalidKind::Yaml));
        assert!(text.starts_with("r.yaml:5:1: invalid YAML"), "{text}");
        let dup = "name: R\nquery: T\nexclusions:\n  - name: a\n    filter: x == 1\n  - name: a\n    filter: x == 2\n";
        let (kind, text) = kind_of(dup);
        assert_eq!(kind, Some(InvalidKind::DuplicateExclusion));
        assert_eq!(text, "r.yaml:6:3: duplicate exclusion name 'a'");
        assert_eq!(kind_of("name: R\nquery: 3\n").0, Some(InvalidKind::Shape));
    }

    #[test]
    fn encoding_and_duplicate_ids_from_the_loader() {
        let dir = tempfile::tempdir().unwrap();
        let rule = "id: same\nname: R\nquery: T\n";
        std::fs::write(dir.path().join("a.yaml"), rule).unwrap();
        std::fs::write(dir.path().join("b.yaml"), rule).unwrap();
        std::fs::write(dir.path().join("c.yaml"), b"name: \xff\n").unwrap();
        let set = crate::rules::RuleSet::load(&[dir.path().to_path_buf()], None);
        let kinds: Vec<_> = set.problems.iter().map(|e| e.invalid_kind().map(InvalidKind::as_str)).collect();
        assert_eq!(kinds, [Some("encoding"), Some("duplicate-id")]);
    }
}
