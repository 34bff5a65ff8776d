//! `--max-memory` bounds a query's evaluation too: a self-join of a few
//! thousand rows fails with a clear error and exit 2 under a tiny budget,
//! and runs under the default one.

use assert_cmd::Command;
use predicates::prelude::*;

const SELF_JOIN: &str = "range x from 1 to 3000 step 1 | extend k = x % 50 \
    | join kind=inner (range y from 1 to 3000 step 1 | extend k = y % 50) on k | count";

fn kqlhunt(events: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("kqlhunt").expect("binary");
    c.env_remove("NO_COLOR").arg("--events").arg(events);
    c
}

fn tiny_events() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let line = r#"{"Timestamp":"2026-11-20T00:00:00Z","DeviceName":"ws-1","FileName":"a.exe"}"#;
    std::fs::write(dir.path().join("DeviceProcessEvents.jsonl"), format!("{line}\n")).unwrap();
    dir
}

#[test]
fn a_self_join_past_a_tiny_budget_exits_2_with_a_clear_error() {
    let events = tiny_events();
    kqlhunt(events.path())
        .args(["query", "--max-memory", "1M", SELF_JOIN])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("join: query needs more than 1 MiB of memory (--max-memory)"))
        .stderr(predicate::str::contains("^^^^"));
}

#[test]
fn the_same_self_join_runs_with_the_default_budget() {
    let events = tiny_events();
    kqlhunt(events.path())
        .args(["query", "--format", "csv", SELF_JOIN])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("180000"));
}
