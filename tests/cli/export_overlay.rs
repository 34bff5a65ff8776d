//! `kqlhunt export --overlay [FILE]` and overlay warnings on the command
//! line: the tuning to stdout or a file (never over one without --force),
//! loading the export back gives the same impact, and an overlay's unknown
//! ids and names are warnings on stderr with file:line while the rest applies.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const LITE_ID: &str = "02481117-1b9e-4afa-8b88-b3b7e9089c91";

fn kqlhunt() -> Command {
    Command::cargo_bin("kqlhunt").expect("binary")
}

/// Per rule and exclusion: enabled and hides-alone, from `impact --format json`.
fn impact(args: &[&str]) -> Vec<(String, String, bool, u64)> {
    let out = kqlhunt().arg("impact").args(args).args(["--format", "json"]).output().expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut rows = Vec::new();
    for r in v["rules"].as_array().expect("rules") {
        for e in r["exclusions"].as_array().expect("exclusions") {
            rows.push((
                r["name"].as_str().unwrap_or("").to_string(),
                e["name"].as_str().unwrap_or("").to_string(),
                e["enabled"].as_bool().unwrap_or(false),
                e["hides_alone"].as_u64().unwrap_or(0),
            ));
        }
    }
    rows.sort();
    rows
}

fn team_overlay(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("team.yaml");
    let text = format!(
        "# team\n{LITE_ID}:\n  - name: Admin Task to Deploy Software via LiteManager\n    enabled: true\n\
         \x20 - name: Automated Patching via LiteMangr\n    enabled: true\n\
         \x20 - name: Build servers\n    filter: DeviceName startswith \"srv-\"\n    enabled: true\n\
         \n99999999-0000-0000-0000-000000000000:\n  - name: Gone\n    filter: x == 1\n"
    );
    std::fs::write(&p, text).expect("write overlay");
    p
}

#[test]
fn overlay_warnings_go_to_stderr_with_file_and_line_and_the_rest_applies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let overlay = team_overlay(dir.path());
    let path = overlay.to_str().expect("utf-8");
    let out = kqlhunt()
        .args(["run", "--exclusions-file", path, "--rule", "LiteManager", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "warnings do not change the exit code");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("kqlhunt: warning: {path}:5:3: rule 'Remote Management and Monitoring tool - LiteManager - Create Process' has no exclusion named 'Automated Patching via LiteMangr'")),
        "{err}"
    );
    assert!(err.contains("did you mean 'Automated Patching via LiteManager'?"), "{err}");
    assert!(err.contains(&format!("kqlhunt: warning: {path}:11:1: exclusions for rule id 99999999-")), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rule = &v["rules"][0];
    let on: Vec<&str> = rule["exclusions"]
        .as_array()
        .expect("exclusions")
        .iter()
        .filter(|e| e["enabled"] == true)
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(
        on,
        ["Admin Task to Deploy Software via LiteManager", "Automated Patching via LiteMangr", "Build servers"]
    );
    assert!(rule["hits_after"].as_u64() < rule["hits_before"].as_u64(), "the good part applies: {rule}");
    let warnings: Vec<(&str, u64, &str)> = v["warnings"]
        .as_array()
        .expect("warnings in the JSON report")
        .iter()
        .map(|w| (w["file"].as_str().unwrap_or(""), w["line"].as_u64().unwrap_or(0), w["code"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(warnings, [(path, 5, "unknown-exclusion"), (path, 11, "orphan-exclusions")]);
}

#[test]
fn export_overlay_round_trips_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let overlay = team_overlay(dir.path());
    let team = overlay.to_str().expect("utf-8");
    // Tuning: the team overlay plus "all" for ConnectWise.
    let args = ["--exclusions-file", team];
    let stdout = kqlhunt().args(["export", "--overlay"]).args(args).output().expect("run");
    assert_eq!(stdout.status.code(), Some(0), "{}", String::from_utf8_lossy(&stdout.stderr));
    let text = String::from_utf8(stdout.stdout).expect("UTF-8");
    assert!(
        text.contains(&format!(
            "{LITE_ID}:\n  - name: Admin Task to Deploy Software via LiteManager\n    enabled: true\n"
        )),
        "{text}"
    );
    assert!(text.contains("99999999-0000-0000-0000-000000000000:\n  - name: Gone\n"), "carried over: {text}");

    let target = dir.path().join("export.yaml");
    let out = target.to_str().expect("utf-8");
    kqlhunt()
        .args(["export", "--overlay", out])
        .args(args)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote 4 exclusion entries for 1 rule(s)"));
    assert_eq!(std::fs::read_to_string(&target).expect("written"), text, "the file holds what stdout shows");
    assert_eq!(impact(&["--exclusions-file", out]), impact(&args), "same effective exclusions after loading it");

    // An existing file is not replaced without --force, and stays as it was.
    std::fs::write(&target, "mine\n").expect("write");
    kqlhunt()
        .args(["export", "--overlay", out])
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists; not overwritten (add --force"));
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), "mine\n");
    kqlhunt().args(["export", "--overlay", out, "--force"]).args(args).assert().code(0);
    assert_eq!(std::fs::read_to_string(&target).expect("replaced"), text);

    // The --exclusions selection is part of the tuning.
    let all =
        kqlhunt().args(["export", "--overlay", "--exclusions", "all", "--rule", "ConnectWise"]).output().expect("run");
    let all = String::from_utf8(all.stdout).expect("UTF-8");
    let all_file = dir.path().join("all.yaml");
    std::fs::write(&all_file, &all).expect("write");
    let all_path = all_file.to_str().expect("utf-8");
    assert_eq!(
        impact(&["--exclusions-file", all_path, "--rule", "ConnectWise"]),
        impact(&["--exclusions", "all", "--rule", "ConnectWise"]),
        "{all}"
    );
}

#[test]
fn export_says_what_to_export() {
    kqlhunt().arg("export").assert().code(2).stderr(predicate::str::contains("--overlay"));
    kqlhunt().args(["export", "--effective", "--overlay"]).assert().code(2);
    kqlhunt().args(["export", "--force"]).assert().code(2);
}
