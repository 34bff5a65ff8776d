//! Criterion suite over a small generated sample set, enterprise profile
//! (kept quick; the 1 M-row runs against DuckDB belong to `bench/run`):
//! JSONL load (enterprise, every column and a session's columns, and the demo
//! profile's low-cardinality rows as a second row), every bundled rule
//! after load, an exclusion toggle over a rule that keeps most rows, and an
//! ad-hoc two-key summarize; and one TUI grid draw per table shape (1,000
//! columns, 1 M rows, 100 KB cells, empty, a real 58-column result), each
//! of which must stay well under a 16 ms frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use kqlhunt::data::latest_timestamp;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::hunt::Hunt;
use kqlhunt::kql::eval::Session;
use kqlhunt::rules::RuleSet;
use kqlhunt::samples::{Options, Profile, generate};
use kqlhunt::session::eager::eager_columns;
use kqlhunt::tui::grid::{FrameSource, Grid, GridSource, clip};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Widget};

/// `DeviceProcessEvents` rows generated (other tables scale with it).
const ROWS: usize = 20_000;

/// A rule whose hit point keeps every row of the last 30 days, with one
/// exclusion on the most common parent process.
const TOGGLE_RULE: &str = include_str!("../bench/toggle-rule.yaml");

/// Generated events and the toggle rule, in a temporary folder.
struct Fixture {
    _dir: tempfile::TempDir,
    events: PathBuf,
    toggle_rule: PathBuf,
}

fn fixture(profile: Profile) -> Fixture {
    let dir = tempfile::tempdir().expect("temporary folder");
    let events = dir.path().join("events");
    generate(&Options { rows: ROWS, seed: 1, jsonl_only: true, profile, ..Options::default() }, &events)
        .expect("sample generation");
    // The generator's README is not an event file; the loader skips documentation.
    let toggle_rule = dir.path().join("toggle.yaml");
    std::fs::write(&toggle_rule, TOGGLE_RULE).expect("write rule");
    Fixture { _dir: dir, events, toggle_rule }
}

fn session(events: &Path) -> Session {
    let loaded = load_paths(&[events.to_path_buf()], &LoadOptions::default(), &mut |_| {});
    let db = Arc::new(loaded.database);
    let now = latest_timestamp(&db).unwrap_or(0);
    Session::new(db, now)
}

fn bundled_rules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// The load options of a session over the bundled rules: only the columns
/// they read are decoded at load, the rest stay lazy.
fn session_columns() -> LoadOptions {
    let rules = RuleSet::load(&[bundled_rules()], None);
    LoadOptions { eager_columns: eager_columns(&rules.rules), ..LoadOptions::default() }
}

fn benches(c: &mut Criterion) {
    let fx = fixture(Profile::Enterprise);
    let demo = fixture(Profile::Demo);
    let process = fx.events.join("DeviceProcessEvents.jsonl");
    let demo_process = demo.events.join("DeviceProcessEvents.jsonl");
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);

    let mut load = c.benchmark_group("load");
    load.sample_size(10).throughput(Throughput::Bytes(bytes(&process)));
    load.bench_function("jsonl_process_20k_enterprise_all_columns", |b| {
        b.iter(|| load_paths(std::slice::from_ref(&process), &LoadOptions::default(), &mut |_| {}))
    });
    let lazy = session_columns();
    load.bench_function("jsonl_process_20k_enterprise_session_columns", |b| {
        b.iter(|| load_paths(std::slice::from_ref(&process), &lazy, &mut |_| {}))
    });
    load.throughput(Throughput::Bytes(bytes(&demo_process)));
    load.bench_function("jsonl_process_20k_demo_all_columns", |b| {
        b.iter(|| load_paths(std::slice::from_ref(&demo_process), &LoadOptions::default(), &mut |_| {}))
    });
    load.finish();

    let session = session(&fx.events);
    let mut group = c.benchmark_group("hunt");
    group.sample_size(20);
    group.bench_function("bundled_rules", |b| {
        b.iter_batched(
            || RuleSet::load(&[bundled_rules()], None),
            |rules| Hunt::new(rules, session.clone()),
            BatchSize::LargeInput,
        )
    });

    let mut hunt = Hunt::new(RuleSet::load(std::slice::from_ref(&fx.toggle_rule), None), session.clone());
    assert!(hunt.get(0).is_some_and(|(_, run)| run.hits_before() >= ROWS * 9 / 10), "the toggle rule keeps most rows");
    group.bench_function("toggle_20k_hits", |b| b.iter(|| hunt.toggle(0, 0)));
    group.bench_function("summarize_by_device_file", |b| {
        b.iter(|| hunt.query("DeviceProcessEvents | summarize count() by DeviceName, FileName"))
    });
    group.finish();

    grid_benches(c, &hunt);
}

/// A made-up table: `rows` × `cols`, every cell `big` when set (borrowed, as
/// a frame's strings are) or a short text.
struct Shape {
    rows: usize,
    cols: usize,
    big: Option<String>,
}

impl GridSource for Shape {
    fn rows(&self) -> usize {
        self.rows
    }
    fn cols(&self) -> usize {
        self.cols
    }
    fn header(&self, col: usize) -> std::borrow::Cow<'_, str> {
        format!("Column{col}").into()
    }
    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        match &self.big {
            Some(b) => Line::raw(clip(b)),
            None => Line::raw(format!("r{row}c{col}")),
        }
    }
}

/// One draw of a grid into a 120×40 buffer.
fn draw(buf: &mut Buffer, source: &dyn GridSource, selected: usize, col_offset: usize) {
    buf.reset();
    let block = Block::bordered().title(" grid ");
    Grid { source, selected, col_offset, cursor: None, sort: None, block, notes: Vec::new() }.render(buf.area, buf);
}

fn grid_benches(c: &mut Criterion, hunt: &Hunt) {
    let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
    let mut group = c.benchmark_group("grid_frame");
    let shapes = [
        ("cols_1000", Shape { rows: 100, cols: 1000, big: None }, 50, 500),
        ("rows_1m", Shape { rows: 1_000_000, cols: 58, big: None }, 500_000, 1),
        ("cells_100kb", Shape { rows: 100, cols: 8, big: Some("é\u{1b}".repeat(50_000)) }, 0, 1),
        ("empty", Shape { rows: 0, cols: 58, big: None }, 0, 1),
    ];
    for (name, shape, selected, offset) in &shapes {
        group.bench_function(*name, |b| b.iter(|| draw(&mut buf, shape, *selected, *offset)));
    }
    if let Ok((frame, _)) = hunt.query("DeviceProcessEvents") {
        let src = FrameSource(&frame);
        group.bench_function("process_events_58_cols", |b| b.iter(|| draw(&mut buf, &src, 1000, 20)));
    }
    group.finish();
}

criterion_group!(suite, benches);
criterion_main!(suite);
