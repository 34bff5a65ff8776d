//! `check`: validates rule files and bare `.kql` queries without events.
//!
//! For each rule file: the YAML loads (strictly, or after a recorded repair,
//! see [`crate::rules::file::repair`]); the query parses and runs against an empty
//! database (so unknown tables, columns and functions are found, with
//! suggestions); every exclusion filter parses and runs over the query's rows
//! at its hit point; exclusion names are unique; rule ids are unique; overlay
//! entries name loaded rules. `.kql` files: parse and schema.
//!
//! Problem codes: `yaml`, `encoding`, `rule` (the file does not load);
//! `duplicate-id`, `duplicate-exclusion`, `overlay`, `orphan-exclusions`;
//! `repair-item-indent`, `repair-tabs`, `repair-block-indent` (loaded after a
//! repair); `syntax`, `missing-where`, `list-without-parens`, `split-list`,
//! `unknown-table`, `unknown-column`, `unknown-function`, `semantic`,
//! `runtime` (the KQL is wrong); `offline`, `unsupported` (valid KQL kqlhunt
//! cannot run locally: warnings that do not fail the check); `io`, `internal`
//! (the check could not run), `fix-failed`.

pub mod lint;
pub mod query;

use std::collections::HashMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use self::query::{Finding, QueryCheck, Severity, Stage};
use crate::kql::Span;
use crate::kql::error::{line_col, render_caret};
use crate::kql::eval::Session;
use crate::rules::error::RulesError;
use crate::rules::exclusion::Origin;
use crate::rules::file::load::{RuleSet, collect_files};
use crate::rules::file::repair;
use crate::rules::layout::FilePos;
use crate::rules::rule::Rule;

/// One problem, at a file position when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: PathBuf,
    /// Line, 1-based, when the problem has a place.
    pub line: Option<usize>,
    /// Column in characters, 1-based, when the problem has a place.
    pub column: Option<usize>,
    /// How serious.
    pub severity: Severity,
    /// Stable short code (see the module doc).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// For KQL problems: the source line with a caret under the problem.
    pub snippet: Option<String>,
}

impl Problem {
    /// True when this problem makes `check` fail (see [`query::counts`]).
    pub fn counts(&self) -> bool {
        query::counts(self.severity, self.code)
    }
}

/// Everything `check` found, with the figures for its summary.
#[derive(Debug, Default)]
pub struct Report {
    /// The problems, by file, line and column.
    pub problems: Vec<Problem>,
    /// Files looked at (rule YAML and `.kql`).
    pub files: usize,
    /// Rules loaded (repaired ones included).
    pub rules: usize,
    /// Rules that loaded only after a repair.
    pub repaired: usize,
    /// Repaired files written back (`--fix`).
    pub fixed: usize,
    /// Files that did not load.
    pub failed: usize,
    /// YAML files that are not rules (e.g. the field map).
    pub skipped: usize,
    /// Queries (of rules and `.kql` files) with no problem that counts.
    pub clean: usize,
    /// Queries with at least one problem that counts.
    pub with_problems: usize,
    /// Files that could not be read, or checks that failed inside kqlhunt.
    pub not_run: usize,
}

impl Report {
    /// True when some problem makes the check fail.
    pub fn failed_check(&self) -> bool {
        self.problems.iter().any(Problem::counts)
    }
}

/// Checks every rule (`*.yaml`, `*.yml`) and query (`*.kql`) under `paths`,
/// with the exclusions of `overlay` merged; with `fix`, writes repaired rule
/// files back.
pub fn check(paths: &[PathBuf], overlay: Option<&Path>, fix: bool) -> Report {
    let (mut files, unreadable) = collect_files(paths);
    files.extend(kql_files(paths));
    files.sort();
    files.dedup();
    let (kql, yaml): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| is_kql(p));
    let set = RuleSet::load(&yaml, overlay);
    check_set(set, yaml.len(), &unreadable, &kql, overlay, fix)
}

/// Checks rules held in memory, `(name, text)` pairs as [`RuleSet::from_texts`]
/// takes them; nothing is written (such rules are read-only).
pub fn check_texts(texts: &[(PathBuf, &str)], overlay: Option<&Path>) -> Report {
    check_set(RuleSet::from_texts(texts, overlay), texts.len(), &[], &[], overlay, false)
}

/// Checks a loaded set (from `yaml` rule files, with `unreadable` ones
/// beside it) and the query files `kql`.
fn check_set(
    set: RuleSet,
    yaml: usize,
    unreadable: &[RulesError],
    kql: &[PathBuf],
    overlay: Option<&Path>,
    fix: bool,
) -> Report {
    let mut report = Report { files: kql.len() + yaml, ..Report::default() };
    let session = query::empty_session();
    for e in unreadable.iter().chain(&set.problems) {
        report.problems.push(load_problem(e, overlay));
    }
    report.rules = set.rules.len();
    report.skipped = set.skipped.len();
    report.failed = yaml.saturating_sub(set.rules.len() + set.skipped.len());
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    for rule in &set.rules {
        if !rule.repairs.is_empty() {
            report.repaired += 1;
            report_repairs(rule, fix, &mut report);
        }
        let problems = guarded(&rule.path, || check_rule(rule, &session, &mut texts));
        tally(&mut report, problems);
    }
    for w in &set.overlay_warnings {
        report.problems.push(Problem {
            file: w.path.clone(),
            line: Some(w.at.line),
            column: Some(w.at.column),
            severity: Severity::Warning,
            code: w.code(),
            message: w.message(),
            help: Some(w.help().into()),
            snippet: None,
        });
    }
    for path in kql {
        let problems = guarded(path, || check_kql_file(path, &session));
        tally(&mut report, problems);
    }
    report.not_run = report.problems.iter().filter(|p| matches!(p.code, "io" | "internal")).count();
    report.problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    report
}

/// Counts a query as clean or not and keeps its problems.
fn tally(report: &mut Report, problems: Vec<Problem>) {
    if problems.iter().any(Problem::counts) {
        report.with_problems += 1;
    } else {
        report.clean += 1;
    }
    report.problems.extend(problems);
}

/// Runs one file's check, turning a panic (a kqlhunt bug) into a problem so
/// one odd file never stops a whole catalogue.
fn guarded(path: &Path, f: impl FnOnce() -> Vec<Problem>) -> Vec<Problem> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        vec![Problem {
            file: path.to_path_buf(),
            line: None,
            column: None,
            severity: Severity::Error,
            code: "internal",
            message: "kqlhunt failed while checking this file (a bug in kqlhunt; please report it)".into(),
            help: None,
            snippet: None,
        }]
    })
}

fn is_kql(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("kql"))
}

/// The `.kql` files in the folders of `paths` (recursively, hidden entries
/// skipped); files named directly are already collected.
fn kql_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => walk(&path, out),
                Ok(_) if is_kql(&path) => out.push(path),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for p in paths.iter().filter(|p| p.is_dir()) {
        walk(p, &mut out);
    }
    out
}

/// A loader error as a problem.
fn load_problem(e: &RulesError, overlay: Option<&Path>) -> Problem {
    let (line, column, message) = match e {
        RulesError::Invalid { line, column, message, .. } => (Some(*line), Some(*column), message.clone()),
        RulesError::Io { source, .. } => (None, None, source.to_string()),
        other => (None, None, other.to_string()),
    };
    let code = match e.invalid_kind() {
        _ if matches!(e, RulesError::Io { .. }) => "io",
        _ if overlay == Some(e.path()) => "overlay",
        Some(kind) => kind.as_str(),
        None => "rule",
    };
    let file = e.path().to_path_buf();
    Problem { file, line, column, severity: Severity::Error, code, message, help: None, snippet: None }
}

/// Whether a repaired rule was written back.
enum Written {
    /// Yes.
    Yes,
    /// No: `--fix` was not given.
    NotAsked,
    /// `--fix` was given, and writing failed.
    Failed(RulesError),
}

/// One problem per repair a rule needed; with `fix`, the file is rewritten.
fn report_repairs(rule: &Rule, fix: bool, report: &mut Report) {
    let written = match fix.then(|| repair::write_fix(rule)) {
        Some(Ok(())) => {
            report.fixed += 1;
            Written::Yes
        }
        Some(Err(e)) => Written::Failed(e),
        None => Written::NotAsked,
    };
    for r in &rule.repairs {
        let (severity, message, help) = match &written {
            Written::Yes => (Severity::Note, format!("repaired and written: {}", r.message), None),
            Written::NotAsked => (
                Severity::Warning,
                format!("loaded after a repair: {}", r.message),
                Some("`kqlhunt check --fix` writes this repair to the file".to_string()),
            ),
            Written::Failed(why) => (
                Severity::Warning,
                format!("loaded after a repair: {}", r.message),
                Some(format!("not written: {why}")),
            ),
        };
        let code = r.kind.code();
        report.problems.push(Problem {
            file: rule.path.clone(),
            line: Some(r.line),
            column: Some(1),
            severity,
            code,
            message,
            help,
            snippet: None,
        });
    }
}

/// The problems of one loaded rule's query and exclusion filters.
fn check_rule(rule: &Rule, session: &Session, texts: &mut HashMap<PathBuf, String>) -> Vec<Problem> {
    let QueryCheck { findings, table, mut stage } = query::check_query(&rule.query, session);
    let mut out: Vec<Problem> = findings
        .into_iter()
        .map(|f| located(&rule.path, &rule.text, &rule.query, f, None, &|o| rule.query_pos(o)))
        .collect();
    if stage.is_none() {
        // The query did not run: check filters against its source table.
        let name = rule.source_tables.first().cloned().or(table);
        stage = name.and_then(|t| Stage::of_table(&t, session));
    }
    for e in &rule.exclusions {
        let Some(filter) = e.filter.as_deref().filter(|f| !f.trim().is_empty()) else { continue };
        let findings = query::check_filter(filter, stage.as_mut());
        if findings.is_empty() {
            continue;
        }
        let file = e.origin.as_ref().map(Origin::path).unwrap_or(&rule.path).to_path_buf();
        let text = if file == rule.path {
            rule.text.clone()
        } else {
            texts.entry(file.clone()).or_insert_with(|| fs::read_to_string(&file).unwrap_or_default()).clone()
        };
        let at = e.filter_at;
        for f in findings {
            let label = format!("exclusion '{}'", e.name);
            let map = |o: usize| match at {
                Some(at) if text.get(at.start.offset..).is_some() => at.map(&text, filter, o),
                _ => FilePos::default(),
            };
            out.push(located(&file, &text, filter, f, Some(&label), &map));
        }
    }
    out
}

/// A bare query file: parse and schema.
fn check_kql_file(path: &Path, session: &Session) -> Vec<Problem> {
    let text = match fs::read(path).map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            let (line, column) = line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
            let message = "not valid UTF-8".to_string();
            let (file, severity) = (path.to_path_buf(), Severity::Error);
            return vec![Problem {
                file,
                line: Some(line),
                column: Some(column),
                severity,
                code: "encoding",
                message,
                help: None,
                snippet: None,
            }];
        }
        Err(e) => {
            let p = load_problem(&RulesError::io(path, e), None);
            return vec![p];
        }
    };
    // A byte-order mark is not part of the query; offsets stay file offsets.
    let base = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let query = &text[base..];
    let findings = query::check_query(query, session).findings;
    findings.into_iter().map(|f| located(path, &text, query, f, None, &|o| FilePos::at(&text, base + o))).collect()
}

/// A finding in `src` (a query or filter inside `file_text`) as a problem at
/// its file position, with the caret display. The caret is drawn under the
/// file's own line when the span maps exactly (a `|` block or a one-line
/// value), else under the text of `src` itself.
fn located(
    file: &Path,
    file_text: &str,
    src: &str,
    f: Finding,
    label: Option<&str>,
    map: &dyn Fn(usize) -> FilePos,
) -> Problem {
    // The caret is drawn under one line, so only the span's first line must map.
    let first = f.span.text(src).find('\n').map(|i| f.span.start + i).unwrap_or(f.span.end);
    let line_span = Span::new(f.span.start, first.max(f.span.start));
    let want = line_span.text(src);
    // An empty span (e.g. "the end of the query") is checked by the character before it.
    let before = src.get(..f.span.start).and_then(|b| b.chars().next_back());
    let maps_to = |s: FilePos| {
        if want.is_empty() {
            before.is_some() && file_text.get(..s.offset).and_then(|b| b.chars().next_back()) == before
        } else {
            file_text.get(s.offset..s.offset + want.len()) == Some(want)
        }
    };
    let mut start = map(f.span.start);
    // A quoted value maps only its start; when nothing before the span was
    // escaped, the value's start plus the offset is exact, as the text shows.
    if !maps_to(start) {
        let shifted = map(0).offset + f.span.start;
        if start.line > 0 && shifted <= file_text.len() && maps_to(FilePos::at(file_text, shifted)) {
            start = FilePos::at(file_text, shifted);
        }
    }
    let rendered = if start.line > 0 && maps_to(start) {
        render_caret(file_text, Span::new(start.offset, start.offset + want.len()), "", f.help.as_deref())
    } else {
        render_caret(src, f.span, "", f.help.as_deref())
    };
    // The renderer's first line repeats the message, which the problem line already says.
    let snippet = rendered.split_once('\n').map(|(_, rest)| rest.to_string());
    let message = match label {
        Some(l) => format!("{l}: {}", f.message),
        None => f.message,
    };
    let known = start.line > 0;
    Problem {
        file: file.to_path_buf(),
        line: known.then_some(start.line),
        column: known.then_some(start.column),
        severity: f.severity,
        code: f.code,
        message,
        help: f.help,
        snippet,
    }
}
