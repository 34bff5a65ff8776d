//! Hidden measurement entry point for `bench/run` (not part of the CLI):
//! loads events, runs the bundled rules, toggles an exclusion and runs an
//! ad-hoc summarize, printing wall-clock timings as one JSON object.
//!
//! ```text
//! cargo run --release --example measure -- load FILE...
//! cargo run --release --example measure -- hunt DIR [REPEAT]
//! cargo run --release --example measure -- first-screen DIR
//! ```
//!
//! `load` only parses and builds columns (run it under `/usr/bin/time -v` for
//! the peak RSS of a load); `hunt` loads every file of DIR, then times each
//! workload `REPEAT` times (default 5) and prints the medians; its
//! `app_toggle_ms` is the TUI's whole toggle (`App::update`: the recount and
//! the views it rebuilds). `first-screen` is the TUI's start over DIR with
//! the bundled rules, as `kqlhunt --events DIR --now latest` runs it: the
//! rule list, then the background load until every rule's counts are in,
//! then one draw at 120×40.
//!
//! Both decode only the columns the bundled rules (and the toggle rule) read,
//! as a session does; `KQLHUNT_MEASURE_EAGER=1` decodes every column (the
//! load before lazy columns), for a comparison within one binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use kqlhunt::data::latest_timestamp;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::hunt::Hunt;
use kqlhunt::kql::eval::Session;
use kqlhunt::rules::RuleSet;
use kqlhunt::session::eager::eager_columns;
use kqlhunt::session::{Clock, ClockSource, Events, Loaded, Options};
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus};

/// A rule whose hit point keeps every row of the last 30 days, with one
/// exclusion on the most common parent process.
const TOGGLE_RULE: &str = include_str!("../bench/toggle-rule.yaml");

/// The ad-hoc query of workload (4).
const SUMMARIZE: &str = "DeviceProcessEvents | summarize count() by DeviceName, FileName";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("load") if args.len() > 1 => load(&args[1..]),
        Some("hunt") if args.len() > 1 => hunt(Path::new(&args[1]), args.get(2).and_then(|r| r.parse().ok())),
        Some("first-screen") if args.len() > 1 => first_screen(Path::new(&args[1])),
        _ => Err("usage: measure load FILE... | measure hunt DIR [REPEAT] | measure first-screen DIR".to_string()),
    };
    match result {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("measure: {e}");
            std::process::exit(2);
        }
    }
}

/// The load options of a session over the bundled rules and the toggle rule.
fn options() -> LoadOptions {
    if std::env::var_os("KQLHUNT_MEASURE_EAGER").is_some() {
        return LoadOptions::default();
    }
    let bundled = RuleSet::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")], None);
    let toggle = RuleSet::from_texts(&[(PathBuf::from("toggle.yaml"), TOGGLE_RULE)], None);
    let eager_columns = match (eager_columns(&bundled.rules), eager_columns(&toggle.rules)) {
        (Some(mut a), Some(b)) => {
            a.extend(b);
            Some(a)
        }
        _ => None,
    };
    LoadOptions { eager_columns, ..LoadOptions::default() }
}

fn load(files: &[String]) -> Result<String, String> {
    let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let bytes: u64 = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let opts = options();
    let start = Instant::now();
    let loaded = load_paths(&paths, &opts, &mut |_| {});
    let secs = start.elapsed().as_secs_f64();
    let rows: usize = loaded.database.tables().iter().map(|t| t.len()).sum();
    if loaded.report.problems_total > 0 {
        return Err(format!("{} load problems", loaded.report.problems_total));
    }
    Ok(format!(r#"{{"bytes":{bytes},"rows":{rows},"load_s":{secs:.4}}}"#))
}

fn hunt(dir: &Path, repeat: Option<usize>) -> Result<String, String> {
    let repeat = repeat.unwrap_or(5).max(1);
    let opts = options();
    let start = Instant::now();
    let loaded = load_paths(&[dir.to_path_buf()], &opts, &mut |_| {});
    let load_s = start.elapsed().as_secs_f64();
    let db = Arc::new(loaded.database);
    let now = latest_timestamp(&db).ok_or("no event with a Timestamp")?;
    let session = Session::new(db, now);
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");

    let mut rules_hits = 0;
    let rules_s = median(repeat, || {
        let rules = RuleSet::load(std::slice::from_ref(&bundled), None);
        let t = Instant::now();
        let h = Hunt::new(rules, session.clone());
        let s = t.elapsed().as_secs_f64();
        rules_hits = (0..h.len()).filter_map(|i| h.get(i)).map(|(_, run)| run.hits_before()).sum();
        s
    });

    let scratch = std::env::temp_dir().join(format!("kqlhunt-measure-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let rule_file = scratch.join("toggle.yaml");
    std::fs::write(&rule_file, TOGGLE_RULE).map_err(|e| e.to_string())?;
    let rules = RuleSet::load(&[rule_file], None);
    let _ = std::fs::remove_dir_all(&scratch);
    let t = Instant::now();
    let mut toggle_hunt = Hunt::new(rules, session.clone());
    let toggle_setup_s = t.elapsed().as_secs_f64();
    let (toggle_hits, toggle_hidden) = match toggle_hunt.get(0) {
        Some((_, run)) => {
            (run.hits_before(), run.exclusions.first().and_then(|e| e.mask.as_ref()).map(|m| m.count_ones()))
        }
        None => return Err("the toggle rule did not load".into()),
    };
    let toggle_ms = 1e3
        * median(repeat.max(9), || {
            let t = Instant::now();
            toggle_hunt.toggle(0, 0);
            t.elapsed().as_secs_f64()
        });

    // The same toggle as the TUI makes it: the hunt's recount, then every
    // view the action invalidated, rebuilt.
    let loaded = Loaded {
        hunt: toggle_hunt,
        events: Events {
            db: session.db.clone(),
            report: loaded.report,
            paths: vec![dir.to_path_buf()],
            elapsed: std::time::Duration::from_secs_f64(load_s),
            remote: None,
        },
        clock: Clock { now, source: ClockSource::LatestEvent },
    };
    let mut app = App::new(loaded, (120, 40));
    app.focus = Focus::Exclusions;
    let app_toggle_ms = 1e3
        * median(repeat.max(9), || {
            let t = Instant::now();
            app.update(Action::Toggle);
            t.elapsed().as_secs_f64()
        });
    let toggle_hunt = &mut app.hunt;

    let mut summarize_rows = 0;
    let summarize_s = median(repeat, || {
        let t = Instant::now();
        let out = toggle_hunt.query(SUMMARIZE).map(|(f, _)| f.len());
        let s = t.elapsed().as_secs_f64();
        summarize_rows = out.unwrap_or(0);
        s
    });
    Ok(format!(
        concat!(
            r#"{{"load_s":{:.4},"rules_s":{:.5},"rules_hits":{},"toggle_setup_s":{:.4},"toggle_ms":{:.4},"#,
            r#""app_toggle_ms":{:.4},"toggle_hits":{},"toggle_hidden":{},"summarize_s":{:.5},"summarize_rows":{}}}"#
        ),
        load_s,
        rules_s,
        rules_hits,
        toggle_setup_s,
        toggle_ms,
        app_toggle_ms,
        toggle_hits,
        toggle_hidden.unwrap_or(0),
        summarize_s,
        summarize_rows
    ))
}

/// The TUI's first screen over `dir`: seconds to the rule list, and to every
/// rule's counts drawn.
fn first_screen(dir: &Path) -> Result<String, String> {
    let start = Instant::now();
    let opts = Options { events: vec![dir.to_path_buf()], now: Some("latest".into()), ..Options::default() };
    let mut app = kqlhunt::tui::load::start(opts, (120, 40)).map_err(|e| e.to_string())?;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).map_err(|e| e.to_string())?;
    terminal.draw(|f| kqlhunt::tui::draw::draw(f, &app)).map_err(|e| e.to_string())?;
    let rule_list_s = start.elapsed().as_secs_f64();
    app.settle_load();
    terminal.draw(|f| kqlhunt::tui::draw::draw(f, &app)).map_err(|e| e.to_string())?;
    let counts_s = start.elapsed().as_secs_f64();
    if let Some(e) = &app.load_error {
        return Err(e.to_string());
    }
    let hits: usize = (0..app.hunt.len()).filter_map(|i| app.hunt.get(i)).map(|(_, run)| run.hits_before()).sum();
    Ok(format!(
        r#"{{"rule_list_s":{rule_list_s:.4},"counts_s":{counts_s:.4},"rules":{},"hits":{hits}}}"#,
        app.hunt.len()
    ))
}

/// Runs `f` `n` times and returns the median of what it returns.
fn median(n: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut v: Vec<f64> = (0..n).map(|_| f()).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
