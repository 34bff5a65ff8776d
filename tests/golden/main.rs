//! Golden tests for the KQL engine: every `tests/kql/*.kql` is one test,
//! named after its file stem, that runs the query and compares its result
//! (or error) with the `.out` (or `.err`) file beside it. `cargo test
//! between_02` runs the `between_02_datetimes` case alone.
//!
//! A query file may start with directives in comments:
//! `//! events: samples` runs on the bundled samples (default: no events —
//! known MDE tables are empty), `//! now: 2026-11-20T12:00:00Z` sets the clock
//! (that is the default). Set `KQLHUNT_BLESS=1` to write missing or changed
//! expectations — then read every changed file before committing it.
//!
//! The cases are found at run time, so this crate has its own `main`
//! (libtest-mimic; `harness = false` in `Cargo.toml`) and takes the usual
//! test flags (`--list`, `--exact`, `--skip`, `--test-threads`). [`oracle`]
//! adds one more test comparing every case with Microsoft's analyzer.

mod lazy;
mod oracle;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use kqlhunt::data::Database;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::data::time::parse_datetime;
use kqlhunt::kql::eval::{Evaluator, Session};
use libtest_mimic::{Arguments, Failed, Trial};

const DEFAULT_NOW: &str = "2026-11-20T12:00:00Z";

fn main() {
    let args = Arguments::from_args();
    let files = cases();
    let bless = std::env::var_os("KQLHUNT_BLESS").is_some();
    let mut trials: Vec<Trial> = files
        .iter()
        .map(|path| {
            let path = path.clone();
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Trial::test(name, move || check(&path, bless))
        })
        .collect();
    let count = files.len();
    trials.push(Trial::test("golden_cases_are_found", move || {
        assert!(count >= 150, "at least 150 golden cases, found {count}");
        Ok(())
    }));
    trials.push(lazy::trial(files.clone()));
    trials.push(oracle::trial(files));
    libtest_mimic::run(&args, trials).exit();
}

/// The bundled samples, loaded once for every case that asks for them.
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

fn directive<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().take_while(|l| l.starts_with("//")).find_map(|l| {
        l.strip_prefix("//!").map(str::trim).and_then(|l| l.strip_prefix(key)).map(|v| v.trim_start_matches(':').trim())
    })
}

/// Runs one golden query: `Ok(table text)` or `Err(rendered error)`.
fn run_golden(text: &str) -> Result<String, String> {
    let db = match directive(text, "events") {
        Some("samples") => samples(),
        _ => Arc::new(Database::default()),
    };
    let now = parse_datetime(directive(text, "now").unwrap_or(DEFAULT_NOW)).expect("valid now directive");
    let q = kqlhunt::kql::parse(text).map_err(|e| e.render(text))?;
    let mut ev = Evaluator::new(Session::new(db, now));
    let frame = ev.run(&q).map_err(|e| e.render(text))?;
    Ok(kqlhunt::kql::print::table::typed_text(&frame))
}

/// The golden queries, sorted by file name.
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

/// One case: its output must equal the `.out` file (or its error the `.err`
/// file), and the other file must not exist. With `bless`, writes it instead.
fn check(path: &Path, bless: bool) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).expect("read query");
    let (got, ext, other) = match run_golden(&text) {
        Ok(t) => (t, "out", "err"),
        Err(e) => (e + "\n", "err", "out"),
    };
    let expected_path = path.with_extension(ext);
    let expected = std::fs::read_to_string(&expected_path).ok();
    if expected.as_deref() == Some(got.as_str()) && !path.with_extension(other).exists() {
        return Ok(());
    }
    if bless {
        std::fs::write(&expected_path, &got).expect("write expectation");
        let _ = std::fs::remove_file(path.with_extension(other));
        return Ok(());
    }
    Err(format!(
        "{}\n--- expected ({})\n{}\n--- got\n{}",
        path.display(),
        expected_path.display(),
        expected.unwrap_or_else(|| format!("<missing; the .{other} file may exist>")),
        got
    )
    .into())
}
