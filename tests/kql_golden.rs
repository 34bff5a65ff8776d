//! Golden tests for the KQL engine: every `tests/kql/*.kql` runs and its
//! result (or error) is compared with the `.out` (or `.err`) file beside it.
//!
//! A query file may start with directives in comments:
//! `//! events: samples` runs on the bundled samples (default: no events —
//! known MDE tables are empty), `//! now: 2026-11-20T12:00:00Z` sets the clock
//! (that is the default). Set `KQLHUNT_BLESS=1` to write missing or changed
//! expectations — then read every changed file before committing it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use kqlhunt::data::Database;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::data::time::parse_datetime;
use kqlhunt::kql::eval::{Evaluator, Frame, Session};

const DEFAULT_NOW: &str = "2026-11-20T12:00:00Z";

fn samples() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
        let r = load_paths(&[dir], &LoadOptions::default(), &mut |_| {});
        assert!(r.report.problems.is_empty(), "bundled samples load cleanly: {:?}", r.report.problems);
        Arc::new(r.database)
    })
    .clone()
}

/// The result of a query as golden text: a header of `name:type` cells,
/// then one line per row.
pub fn render(frame: &Frame) -> String {
    let mut rows = kqlhunt::cli::print::cells(frame);
    if let Some(h) = rows.first_mut() {
        *h = frame.fields().iter().map(|f| format!("{}:{}", f.name, f.dtype)).collect();
    }
    let mut out = Vec::new();
    kqlhunt::cli::print::table(&mut out, &rows).expect("write to memory");
    String::from_utf8(out).expect("utf-8")
}

fn directive<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().take_while(|l| l.starts_with("//")).find_map(|l| {
        l.strip_prefix("//!").map(str::trim).and_then(|l| l.strip_prefix(key)).map(|v| v.trim_start_matches(':').trim())
    })
}

/// Runs one golden query: `Ok(table text)` or `Err(rendered error)`.
pub fn run_golden(text: &str) -> Result<String, String> {
    let db = match directive(text, "events") {
        Some("samples") => samples(),
        _ => Arc::new(Database::default()),
    };
    let now = parse_datetime(directive(text, "now").unwrap_or(DEFAULT_NOW)).expect("valid now directive");
    let q = kqlhunt::kql::parse(text).map_err(|e| e.render(text))?;
    let mut ev = Evaluator::new(Session::new(db, now));
    let frame = ev.run(&q).map_err(|e| e.render(text))?;
    Ok(render(&frame))
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kql");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/kql exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kql"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_queries() {
    let bless = std::env::var_os("KQLHUNT_BLESS").is_some();
    let mut failures = Vec::new();
    let files = cases();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read query");
        let (got, ext, other) = match run_golden(&text) {
            Ok(t) => (t, "out", "err"),
            Err(e) => (e + "\n", "err", "out"),
        };
        let expected_path = path.with_extension(ext);
        let expected = std::fs::read_to_string(&expected_path).ok();
        if expected.as_deref() == Some(got.as_str()) && !path.with_extension(other).exists() {
            continue;
        }
        if bless {
            std::fs::write(&expected_path, &got).expect("write expectation");
            let _ = std::fs::remove_file(path.with_extension(other));
            continue;
        }
        failures.push(format!(
            "{}\n--- expected ({})\n{}\n--- got\n{}",
            path.display(),
            expected_path.display(),
            expected.unwrap_or_else(|| format!("<missing; the .{other} file may exist>")),
            got
        ));
    }
    assert!(files.len() >= 150, "at least 150 golden cases, found {}", files.len());
    assert!(failures.is_empty(), "{} golden case(s) differ:\n\n{}", failures.len(), failures.join("\n\n"));
}
