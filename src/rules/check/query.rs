//! The KQL half of `check`: a query is parsed and run against an empty
//! database (every known MDE table exists, with no rows), which finds
//! syntax errors, unknown tables, columns and functions with suggestions,
//! type errors and what cannot run offline — without any events. Exclusion
//! filters are run the way the hunt runs them: as a predicate over the
//! query's rows at its hit point, so they may use the columns the query has
//! there (including ones it adds with `extend`).

use std::sync::Arc;

use crate::data::Database;
use crate::kql::eval::{Frame, Session, Staged};
use crate::kql::{self, ErrorCode, ErrorKind, KqlError, Span};

use super::lint;
use crate::rules::effective::hit_point;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The rule is wrong: it does not load, parse or type-check.
    Error,
    /// Worth knowing; see [`Finding::counts`] for whether it fails `check`.
    Warning,
    /// Information only (e.g. a repair that was written back).
    Note,
}

impl Severity {
    /// The word used in output.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A problem in a piece of KQL, by byte span into that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where, in the checked text.
    pub span: Span,
    /// How serious.
    pub severity: Severity,
    /// Stable short code (see `check`'s module doc).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Finding {
    fn of(e: KqlError) -> Finding {
        let (severity, code) = classify(&e);
        Finding { span: e.span, severity, code, message: e.message, help: e.help }
    }

    fn lint(l: lint::Lint) -> Finding {
        Finding {
            span: l.error.span,
            severity: Severity::Error,
            code: l.code,
            message: l.error.message,
            help: l.error.help,
        }
    }
}

/// Severity and code of an evaluator or parser error, by its code. The four
/// specific codes are reported as such; the rest by their kind.
fn classify(e: &KqlError) -> (Severity, &'static str) {
    match e.code {
        ErrorCode::UnknownColumn | ErrorCode::UnknownTable | ErrorCode::UnknownFunction => {
            (Severity::Error, e.code.as_str())
        }
        // Needs Microsoft's services: fine in Sentinel, just not here.
        ErrorCode::ServiceOnly => (Severity::Warning, e.code.as_str()),
        _ => match e.kind {
            ErrorKind::Syntax => (Severity::Error, "syntax"),
            ErrorKind::Semantic => (Severity::Error, "semantic"),
            ErrorKind::Unsupported => (Severity::Warning, "unsupported"),
            ErrorKind::Runtime => (Severity::Error, "runtime"),
        },
    }
}

/// An empty session: every MDE table known by its schema, no rows. The clock
/// is irrelevant with no rows; a fixed one keeps runs reproducible.
pub fn empty_session() -> Session {
    Session::new(Arc::new(Database::default()), 0)
}

/// A query run as far as its hit point, for checking exclusion filters.
pub struct Stage {
    staged: Staged,
    frame: Frame,
}

impl Stage {
    /// An empty frame of a known table, when the query itself did not run.
    pub fn of_table(table: &str, session: &Session) -> Option<Stage> {
        let mut staged = Staged::of_table(session, table);
        let frame = staged.run_to(0).ok()?;
        Some(Stage { staged, frame })
    }
}

/// The outcome of checking one query.
pub struct QueryCheck {
    /// Problems, in text order (a run stops at its first error, so there is
    /// at most one from the evaluator; lints may add more).
    pub findings: Vec<Finding>,
    /// The table the query reads, when it names one.
    pub table: Option<String>,
    /// The query's rows at its hit point, when it got that far.
    pub stage: Option<Stage>,
}

/// Parses and runs `query` against `session` (an empty database).
pub fn check_query(query: &str, session: &Session) -> QueryCheck {
    let parsed = match kql::parse(query) {
        Ok(q) => q,
        Err(e) => return QueryCheck { findings: explain_syntax(query, e), table: None, stage: None },
    };
    let mut out = QueryCheck { findings: Vec::new(), table: None, stage: None };
    let mut staged = match Staged::of_query(session, &parsed) {
        Ok(s) => s,
        Err(e) => {
            out.findings.push(Finding::of(e));
            return out;
        }
    };
    out.table = staged.table().map(str::to_string);
    let hit = hit_point(&staged);
    let frame = match staged.run_to(hit) {
        Ok(f) => f,
        Err(e) => {
            out.findings.push(Finding::of(e));
            return out;
        }
    };
    if let Err(e) = staged.resume(frame.clone(), hit) {
        out.findings.push(Finding::of(e));
    }
    out.stage = Some(Stage { staged, frame });
    out
}

/// A parse error, explained by the lints when they recognise the mistake
/// (each lint finding is itself a syntax error, so all are reported; the
/// parser's own message is kept only when no lint accounts for it).
fn explain_syntax(query: &str, e: KqlError) -> Vec<Finding> {
    let lints: Vec<Finding> = lint::lint(query).into_iter().map(Finding::lint).collect();
    let explained = lints.iter().any(|l| l.span.start <= e.span.end.max(e.span.start));
    let mut out = lints;
    if !explained {
        out.push(Finding::of(e));
        out.sort_by_key(|f| f.span.start);
    }
    out
}

/// Checks an exclusion filter: it must parse as one boolean expression and
/// run over the query's rows at its hit point (`stage`), or, when the query
/// does not run, over its source table's columns.
pub fn check_filter(filter: &str, stage: Option<&mut Stage>) -> Vec<Finding> {
    // Parsed here first so a syntax error is explained even with no stage.
    if let Err(e) = kql::parse_expr(filter) {
        return explain_syntax(filter, e);
    }
    let Some(st) = stage else { return Vec::new() };
    match st.staged.mask(&st.frame, filter) {
        Ok(_) => Vec::new(),
        Err(e) => vec![Finding::of(e)],
    }
}

/// True when a finding makes `check` fail: errors, and warnings other than
/// "kqlhunt cannot run this offline / does not support it" (the rule is fine
/// in Sentinel; only the local run is limited).
pub fn counts(severity: Severity, code: &str) -> bool {
    match severity {
        Severity::Error => true,
        Severity::Warning => !matches!(code, "offline" | "unsupported"),
        Severity::Note => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(query: &str) -> Vec<(Severity, &'static str)> {
        check_query(query, &empty_session()).findings.into_iter().map(|f| (f.severity, f.code)).collect()
    }

    #[test]
    fn classified_by_code() {
        assert_eq!(codes("DeviceFileEvents | where FileNme == 'x'"), [(Severity::Error, "unknown-column")]);
        assert_eq!(codes("DeviceFileEvnts | take 1"), [(Severity::Error, "unknown-table")]);
        assert_eq!(codes("DeviceFileEvents | extend x = nofunc(1)"), [(Severity::Error, "unknown-function")]);
        assert_eq!(codes("DeviceFileEvents | where 1"), [(Severity::Error, "semantic")]);
        assert_eq!(codes("DeviceFileEvents | where"), [(Severity::Error, "syntax")]);
    }

    #[test]
    fn service_only_is_an_offline_warning() {
        let found = codes("DeviceFileEvents | extend p = geo_info_from_ip_address(FileName)");
        assert_eq!(found, [(Severity::Warning, "offline")]);
        assert!(!counts(found[0].0, found[0].1));
        // The message does not decide: an unsupported error that says "offline" stays unsupported.
        let e = KqlError::unsupported(Span::new(0, 1), "not offline");
        assert_eq!(classify(&e), (Severity::Warning, "unsupported"));
    }
}
