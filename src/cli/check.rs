//! `kqlhunt check [PATHS] [--fix] [--format table|json]`: validates rule files
//! and `.kql` queries without events (what is checked: `rules::check`).
//!
//! Table output: one line per problem, `file:line:col: severity: message`
//! (positions in the YAML file), then for KQL problems the source line with a
//! caret under the problem and a `= help:` line; last, a summary line.
//!
//! JSON output (`--format json`): an array of problem objects on stdout,
//! ordered by file, line and column; the summary line goes to stderr:
//!
//! ```json
//! [{"file": "rules/x.yaml", "line": 14, "column": 9, "severity": "error",
//!   "code": "unknown-column", "message": "unknown column or name 'AccountUpn'",
//!   "help": "did you mean 'InitiatingProcessAccountUpn'?"}]
//! ```
//!
//! `line`/`column` are 1-based (`null` when the problem has no place, e.g. an
//! unreadable file); `severity` is `error`, `warning` or `note`; `help` is a
//! string or `null`; `code` is one of the codes listed in `rules::check`.
//!
//! Exit status: 0 clean; 1 problems found (any error, and any warning except
//! `offline`/`unsupported`, which only say kqlhunt cannot run valid KQL
//! locally; a repair not yet written with `--fix` is a problem); 2 the check
//! could not run (bad arguments, unreadable files, an internal failure).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use super::Outcome;
use super::args::{CheckArgs, Format, Inputs};
use crate::rules::check::{Problem, Report, check, check_texts};
use crate::session::bundled::{self, Source};

/// Runs `kqlhunt check`.
pub fn run(inputs: &Inputs, args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if !matches!(args.format, Format::Table | Format::Json) {
        anyhow::bail!("check writes --format table or json");
    }
    let overlay = inputs.exclusions_file.as_deref();
    let paths: Vec<PathBuf> = match (&args.paths, &inputs.rules, bundled::source()) {
        (p, _, _) if !p.is_empty() => p.clone(),
        (_, r, _) if !r.is_empty() => r.clone(),
        (_, _, Source::Folders { rules, .. }) => vec![rules],
        (_, _, Source::Embedded) => Vec::new(),
    };
    let report = if paths.is_empty() {
        if args.fix {
            anyhow::bail!("check --fix: the bundled rules are read-only; `kqlhunt init DIR` writes them out to fix");
        }
        check_texts(&bundled::rule_texts(), overlay)
    } else {
        check(&paths, overlay, args.fix)
    };
    match args.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = report.problems.iter().map(problem_json).collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)?;
            out.flush()?;
            eprintln!("{}", summary(&report));
        }
        _ => {
            for p in &report.problems {
                write_problem(out, p)?;
            }
            writeln!(out, "{}", summary(&report))?;
        }
    }
    if report.not_run > 0 {
        out.flush()?;
        anyhow::bail!("check: {} file(s) could not be checked", report.not_run);
    }
    Ok(if report.failed_check() { Outcome::NoHits } else { Outcome::Hits })
}

/// `file:line:col: severity: message`, then the caret display or the help.
fn write_problem(out: &mut dyn Write, p: &Problem) -> std::io::Result<()> {
    let place = match (p.line, p.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", p.file.display()),
        _ => p.file.display().to_string(),
    };
    writeln!(out, "{place}: {}: {}", p.severity.label(), p.message)?;
    match (&p.snippet, &p.help) {
        (Some(s), _) => writeln!(out, "{s}"),
        (None, Some(h)) => writeln!(out, "  = help: {h}"),
        (None, None) => Ok(()),
    }
}

fn problem_json(p: &Problem) -> serde_json::Value {
    json!({
        "file": p.file.display().to_string(),
        "line": p.line,
        "column": p.column,
        "severity": p.severity.label(),
        "code": p.code,
        "message": p.message,
        "help": p.help,
    })
}

/// The summary line, e.g. `checked 171 files: 168 rules loaded (168 repaired),
/// 3 failed, 150 queries clean, 18 with problems`.
fn summary(r: &Report) -> String {
    let mut s = format!(
        "checked {} files: {} rules loaded ({} repaired), {} failed, {} queries clean, {} with problems",
        r.files, r.rules, r.repaired, r.failed, r.clean, r.with_problems
    );
    if r.fixed > 0 {
        s.push_str(&format!(", {} repaired files written", r.fixed));
    }
    if r.skipped > 0 {
        s.push_str(&format!(", {} not rules (skipped)", r.skipped));
    }
    s
}
