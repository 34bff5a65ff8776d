//! `kqlhunt suggest`: the ReportIds that the LiteManager rule's "Admin Task
//! to Deploy Software" exclusion hides, marked as false positives, get a
//! filter that hides both and at most one other hit — checked by applying
//! it as an exclusion through an overlay file. Unknown ReportIds exit 2.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const LITE: &str = "LiteManager";
const ADMIN: &str = "Admin Task to Deploy Software via LiteManager";
const RULE_ID: &str = "02481117-1b9e-4afa-8b88-b3b7e9089c91";

fn kqlhunt() -> Command {
    Command::cargo_bin("kqlhunt").expect("binary")
}

fn json<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S]) -> Value {
    let out = kqlhunt().args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

/// The ReportIds of the rule's hits that the exclusions `exclusions` hide.
fn hidden_reports(exclusions: &str, overlay: Option<&std::path::Path>) -> Vec<i64> {
    let mut base: Vec<String> = Vec::new();
    if let Some(o) = overlay {
        base.extend(["--exclusions-file".to_string(), o.display().to_string()]);
    }
    let arg =
        |extra: &[&str]| -> Vec<String> { base.iter().cloned().chain(extra.iter().map(|s| s.to_string())).collect() };
    let run = json(&arg(&["run", "--rule", LITE, "--format", "json"]));
    let mut hidden = Vec::new();
    for d in run["rules"][0]["devices"].as_array().unwrap() {
        let device = d["device_name"].as_str().unwrap();
        let events =
            json(&arg(&["events", "--rule", LITE, "--device", device, "--exclusions", exclusions, "--format", "json"]));
        for e in events.as_array().unwrap() {
            if e["_hidden_by_exclusion"] == true {
                hidden.push(e["ReportId"].as_i64().unwrap());
            }
        }
    }
    hidden.sort_unstable();
    hidden
}

/// What the admin-task exclusion hides (found once: each call runs the binary per device).
fn admin_fps() -> Vec<i64> {
    static FPS: std::sync::OnceLock<Vec<i64>> = std::sync::OnceLock::new();
    FPS.get_or_init(|| hidden_reports(ADMIN, None)).clone()
}

#[test]
fn the_admin_task_false_positives_get_a_tight_filter() {
    let fps = admin_fps();
    assert_eq!(fps.len(), 2, "the exclusion hides two hits: {fps:?}");
    let list = fps.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let v = json(&["suggest", "--rule", LITE, "--fp", &list, "--format", "json"]);
    assert_eq!(v["hides_marked"], 2);
    assert!(v["hides_unmarked"].as_u64().unwrap() <= 1, "{v}");
    let alternatives = v["alternatives"].as_array().unwrap();
    assert!((1..=3).contains(&alternatives.len()), "{v}");
    for a in alternatives {
        assert_eq!(a["hides_marked"], 2, "{a}");
        assert!(a["filter"].is_string() && a["hides_unmarked"].is_u64(), "{a}");
    }

    // Applied as an exclusion (through an overlay), it hides exactly those.
    let filter = v["filter"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("team.yaml");
    let entry = format!(
        "{RULE_ID}:\n  - name: Proposed\n    filter: {}\n    enabled: true\n",
        serde_json::to_string(filter).unwrap()
    );
    std::fs::write(&overlay, entry).unwrap();
    let now_hidden = hidden_reports("Proposed", Some(&overlay));
    assert!(fps.iter().all(|id| now_hidden.contains(id)), "{filter}: {now_hidden:?}");
    assert_eq!(now_hidden.len(), 2 + v["hides_unmarked"].as_u64().unwrap() as usize, "{filter}");
}

#[test]
fn the_table_shows_the_filter_and_what_else_it_hides() {
    let fps = admin_fps();
    let list = fps.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    kqlhunt()
        .args(["suggest", "--rule", LITE, "--fp", &list])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("proposed filter:"))
        .stdout(predicate::str::contains("hides all 2 marked hits"))
        .stdout(predicate::str::contains("alternatives:"));
}

#[test]
fn unknown_reportids_exit_2_naming_them() {
    let fps = admin_fps();
    let known = fps[0].to_string();
    kqlhunt()
        .args(["suggest", "--rule", LITE, "--fp", &format!("{known},123456789,987")])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("ReportIds 123456789, 987 are not hits of rule"))
        .stderr(predicate::str::contains(&known).not());
}

#[test]
fn bad_arguments_are_usage_errors() {
    kqlhunt().args(["suggest", "--rule", LITE, "--fp", "12", "--format", "csv"]).assert().code(2);
    kqlhunt().args(["suggest", "--rule", LITE, "--fp", "abc"]).assert().code(2);
    kqlhunt().args(["suggest", "--rule", LITE]).assert().code(2).stderr(predicate::str::contains("--fp"));
    kqlhunt().args(["suggest", "--rule", "NoSuchRule", "--fp", "1"]).assert().code(2);
}
