//! Opening a folder of remote results (fetched now, or saved earlier and
//! reopened offline with `--events DIR`): each rule's AH API document is
//! loaded, the rows of one table are put end to end into one table of the
//! session (so drill-down, pivots and ad-hoc queries see them), and each
//! rule's run resumes from its own rows of it.

use std::path::Path;
use std::sync::Arc;

use crate::data::load::{LoadOptions, LoadReport, Progress, TableReport, load_paths};
use crate::data::time::parse_datetime;
use crate::data::{ColumnBuilder, DataType, Database, Field, Table, Value};
use crate::hunt::{Hunt, RemoteHits, RuleRun};
use crate::kql::eval::{Frame, Session};
use crate::kql::span::Span;
use crate::kql::{ErrorCode, KqlError};
use crate::rules::{Rule, RuleSet};

use super::Options;
use super::error::SessionError;
use super::load::{Clock, ClockSource, Events, Loaded, check_cancelled, eval_session};
use super::results::{MANIFEST, Manifest, RemoteRows, RemoteSet};

/// Opens the results folder `dir`.
pub fn open(inputs: &Options, dir: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Events, SessionError> {
    let start = std::time::Instant::now();
    let manifest_path = dir.join(MANIFEST);
    let bad = |reason: String| SessionError::BadResults { path: manifest_path.clone(), reason };
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| bad(e.to_string()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let max_memory = inputs.max_memory.or_else(super::load::default_max_memory);
    let mut report = LoadReport::default();
    let mut parts: Vec<(String, Vec<Table>)> = Vec::new();
    let mut rules = Vec::new();
    for entry in manifest.rules {
        let mut rows = RemoteRows { entry, start: 0, len: 0, columns: Vec::new() };
        if let Some(file) = rows.entry.file.clone() {
            if file.contains('/') || file.contains('\\') || file.contains("..") {
                return Err(bad(format!("file name {file} leaves the folder")));
            }
            let opts = LoadOptions { table: Some(rows.entry.table.clone()), max_memory, eager_columns: None };
            let loaded = load_paths(&[dir.join(&file)], &opts, progress);
            if let Some(why) = &loaded.report.stopped {
                return Err(SessionError::MemoryBudget(why.clone()));
            }
            let table = match loaded.database.tables().first() {
                Some(t) => t.as_ref().clone(),
                None => empty_of(&dir.join(&file), &rows.entry.table),
            };
            report.files.extend(loaded.report.files);
            report.problems.extend(loaded.report.problems);
            report.problems_total += loaded.report.problems_total;
            rows.columns = table.fields().iter().map(|f| f.name.clone()).collect();
            rows.len = table.len();
            let slot = match parts.iter().position(|(n, _)| *n == rows.entry.table) {
                Some(i) => i,
                None => {
                    parts.push((rows.entry.table.clone(), Vec::new()));
                    parts.len() - 1
                }
            };
            rows.start = parts[slot].1.iter().map(Table::len).sum();
            parts[slot].1.push(table);
        }
        rules.push(rows);
    }
    if inputs.cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(SessionError::Cancelled);
    }
    let mut db = Database::default();
    for (name, tables) in parts {
        let t = concat(&name, &tables);
        report.tables.push(TableReport {
            name: name.clone(),
            rows: t.len(),
            columns: t.fields().len(),
            time_span: None,
        });
        db.insert(t);
    }
    let remote = RemoteSet {
        source: manifest.source,
        dir: dir.to_path_buf(),
        fetched: parse_datetime(&manifest.fetched),
        rules,
    };
    Ok(Events {
        db: Arc::new(db),
        report,
        paths: vec![dir.to_path_buf()],
        elapsed: start.elapsed(),
        remote: Some(remote),
    })
}

/// An empty table with the columns a result file's `Schema` declares (a
/// query with no hits still has its columns, so the rest of the rule runs).
fn empty_of(path: &Path, name: &str) -> Table {
    let schema = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("Schema").cloned());
    let fields: Vec<Field> = schema
        .as_ref()
        .and_then(|s| s.as_array())
        .map(|cols| {
            cols.iter()
                .filter_map(|c| {
                    let name = c.get("Name")?.as_str()?.to_string();
                    let ty = c.get("Type").and_then(|t| t.as_str()).unwrap_or("string");
                    let ty = ty.strip_prefix("System.").unwrap_or(ty);
                    let dtype = match ty.to_ascii_lowercase().as_str() {
                        "object" => DataType::Dynamic,
                        other => DataType::from_name(other).unwrap_or(DataType::String),
                    };
                    Some(Field { name, dtype })
                })
                .collect()
        })
        .unwrap_or_default();
    Table::empty(name, &fields)
}

/// The tables' rows end to end, under the union of their columns (a
/// column one part lacks, or has with another type, is null there).
fn concat(name: &str, parts: &[Table]) -> Table {
    if let [one] = parts {
        let mut t = one.clone();
        t.set_name(name);
        return t;
    }
    let mut fields: Vec<Field> = Vec::new();
    for p in parts {
        for f in p.fields() {
            if !fields.iter().any(|g| g.name == f.name) {
                fields.push(f.clone());
            }
        }
    }
    let cols = fields
        .iter()
        .map(|f| {
            let mut b = ColumnBuilder::new(f.dtype);
            for p in parts {
                match p.index_of(&f.name).filter(|&i| p.fields()[i].dtype == f.dtype) {
                    Some(i) => (0..p.len()).for_each(|r| b.push(&p.value(r, i))),
                    None => (0..p.len()).for_each(|_| b.push(&Value::Null)),
                }
            }
            (f.name.clone(), Arc::new(b.finish()))
        })
        .collect();
    Table::new(name, cols).unwrap_or_else(|_| Table::empty(name, &fields))
}

/// The clock of a session over saved remote results: the fetch time
/// unless `--now` names another.
pub fn remote_clock(inputs: &Options, db: &Database, set: &RemoteSet) -> Result<Clock, SessionError> {
    match (inputs.now.as_deref(), set.fetched) {
        (None | Some("latest"), Some(t)) => Ok(Clock { now: t, source: ClockSource::Fetched }),
        _ => super::load::clock(inputs, db),
    }
}

/// Runs every rule of `rules` (the selected ones) over its own remote hit rows in `events`.
pub fn hunt_remote(inputs: &Options, events: Events, set: &RemoteSet, rules: RuleSet) -> Result<Loaded, SessionError> {
    let clock = remote_clock(inputs, &events.db, set)?;
    let session = eval_session(inputs, &events.db, &clock);
    let runs = rules.rules.iter().map(|rule| remote_run(rule, &session, &events.db, set)).collect();
    let hunt = Hunt::from_runs(rules, session.clone(), runs);
    check_cancelled(&session)?;
    Ok(Loaded { hunt, events, clock })
}

/// One rule's run resumed from its own hit rows of the saved results `set`
/// (an error run when the results hold none for it, or the service failed it).
pub fn remote_run(rule: &Rule, session: &Session, db: &Database, set: &RemoteSet) -> RuleRun {
    let found = set.rules.iter().find(|r| match (&rule.id, &r.entry.id) {
        (Some(a), Some(b)) => a == b,
        _ => r.entry.name == rule.name,
    });
    let remote = RemoteHits {
        source: set.source.clone(),
        query: found.map(|r| r.entry.query.clone()).unwrap_or_default(),
        capped: found.and_then(|r| r.entry.capped),
        note: found.and_then(|r| r.entry.note.clone()),
    };
    let failed = |m: String| Err(KqlError::new(ErrorCode::Remote, Span::default(), m));
    let hits = match found {
        None => failed(format!(
            "{}: this rule is not in the results at {}; fetch again with --source",
            set.source,
            set.dir.display()
        )),
        Some(r) => match (&r.entry.error, db.get(&r.entry.table)) {
            (Some(e), _) => failed(e.clone()),
            (None, Some(table)) => Ok(rows_of(table, r)),
            (None, None) => Ok(Frame::from_table(&Table::empty(&r.entry.table, &[]))),
        },
    };
    RuleRun::from_hits(rule, session, hits, remote)
}

/// One rule's rows of the shared table, with only its own columns.
fn rows_of(table: &Table, r: &RemoteRows) -> Frame {
    let all = Frame::from_table(table);
    let rows: Vec<u32> = (r.start..r.start + r.len).map(|i| i as u32).collect();
    let cols: Vec<usize> = r.columns.iter().filter_map(|c| all.index_of(c)).collect();
    all.take_rows(&rows).select(&cols, None)
}
