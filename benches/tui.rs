//! The TUI's work scheduling on large data (issue 17's targets):
//!
//! - `first_screen_enterprise_200k`: from start to every rule's counts on
//!   screen ([`kqlhunt::tui::load::start`] until the load has ended), over
//!   200 k enterprise-profile DeviceProcessEvents rows;
//! - `toggle_1m_hits`: one exclusion toggle → the app's new counts
//!   ([`App::update`]: the hunt's recount and the views `derive` rebuilds)
//!   over a rule with 1 M hits (target ≤ 16 ms).
//!
//! The events are generated once into a temporary folder, or read from
//! `KQLHUNT_BENCH_EVENTS` (a folder made by `kqlhunt samples --profile
//! enterprise --rows 200000 --jsonl-only`). The 1 M hits are that
//! folder's DeviceProcessEvents file read five times (hard links).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use kqlhunt::samples::{Options as SampleOptions, Profile, generate};
use kqlhunt::session::{Options, load_hunt};
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Focus};

/// Enterprise rows generated when no folder is given.
const ROWS: usize = 200_000;
/// Copies of the process file read for the toggle (5 × 200 k = 1 M hits).
const COPIES: usize = 5;

fn events(tmp: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("KQLHUNT_BENCH_EVENTS") {
        return PathBuf::from(dir);
    }
    let dir = tmp.join("events");
    let opts = SampleOptions {
        rows: ROWS,
        seed: 1,
        jsonl_only: true,
        profile: Profile::Enterprise,
        ..SampleOptions::default()
    };
    generate(&opts, &dir).expect("sample generation");
    dir
}

fn benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let events = events(tmp.path());
    let rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");

    let mut group = c.benchmark_group("tui");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    let opts =
        Options { rules: vec![rules], events: vec![events.clone()], now: Some("latest".into()), ..Default::default() };
    group.bench_function("first_screen_enterprise_200k", |b| {
        b.iter(|| {
            let mut app = kqlhunt::tui::load::start(opts.clone(), (120, 40)).expect("rules load");
            app.settle_load();
            assert!(app.load_error.is_none() && app.hunt.pending_count() == 0);
            app
        })
    });

    // 1 M hits: the process file five times, under a rule that keeps every row.
    let many = tmp.path().join("many");
    std::fs::create_dir_all(&many).expect("folder");
    for i in 0..COPIES {
        let link = many.join(format!("DeviceProcessEvents-{i}.jsonl"));
        std::fs::hard_link(events.join("DeviceProcessEvents.jsonl"), &link)
            .or_else(|_| std::fs::copy(events.join("DeviceProcessEvents.jsonl"), &link).map(|_| ()))
            .expect("copy of the process file");
    }
    let rule = tmp.path().join("toggle.yaml");
    std::fs::write(&rule, include_str!("../bench/toggle-rule.yaml")).expect("rule");
    let opts = Options { rules: vec![rule], events: vec![many], now: Some("latest".into()), ..Default::default() };
    let mut app = App::new(load_hunt(&opts, &mut |_| {}).expect("load"), (120, 40));
    let hits = app.hunt.get(0).map_or(0, |(_, run)| run.hits_before());
    assert!(hits >= 900_000, "the toggle rule keeps ~1 M hits: {hits}");
    app.focus = Focus::Exclusions;
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function("toggle_1m_hits", |b| b.iter(|| app.update(Action::Toggle)));
    group.finish();
}

criterion_group!(suite, benches);
criterion_main!(suite);
