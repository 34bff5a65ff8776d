//! The headless commands, as a script would run them: every command and
//! format on the bundled rules and samples, exit codes like grep (0 hits,
//! 1 none, 2 error), and the documented JSON shapes.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn kqlhunt() -> Command {
    let mut c = Command::cargo_bin("kqlhunt").expect("binary");
    c.env_remove("NO_COLOR");
    c
}

fn json(args: &[&str]) -> Value {
    let out = kqlhunt().args(args).output().expect("run");
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 1), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

const LITE: &str = "LiteManager";
const SCHEDULED: &str = "Scheduled Job Execution by LiteManager";

#[test]
fn run_table_shows_devices_and_totals() {
    kqlhunt()
        .args(["run", "--rule", LITE])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("hits 15 → 15"))
        .stdout(predicate::str::contains("ws-fin-015.contoso.local"))
        .stdout(predicate::str::contains("Total: 1 rules, 1 with hits after exclusions, 15 → 15 hits"));
}

#[test]
fn run_json_has_the_documented_shape() {
    let v = json(&["run", "--format", "json"]);
    assert_eq!(v["now"], "2026-11-20T12:00:00Z");
    assert_eq!(v["now_pinned"], true);
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    for r in rules {
        for key in ["id", "name", "path", "table", "status", "hits_before", "hits_after", "exclusions", "devices"] {
            assert!(r.get(key).is_some(), "rule has '{key}'");
        }
        assert_eq!(r["status"], "ok");
        for d in r["devices"].as_array().unwrap() {
            for key in
                ["device_name", "device_id", "hits_before", "hits_after", "first_seen", "last_seen", "report_ids"]
            {
                assert!(d.get(key).is_some(), "device has '{key}'");
            }
            assert!(d["report_ids"].as_array().unwrap().iter().all(Value::is_i64), "ReportIds are exact integers");
        }
    }
    let counts: Vec<u64> = rules.iter().map(|r| r["hits_before"].as_u64().unwrap()).collect();
    assert_eq!(counts.iter().sum::<u64>(), 15 + 9 + 9 + 16 + 16);
    assert_eq!(v["totals"]["hits_before"], 65);
    assert_eq!(v["warnings"], serde_json::json!([]), "no overlay, no warnings");
}

#[test]
fn run_csv_and_markdown() {
    kqlhunt()
        .args(["run", "--rule", LITE, "--format", "csv"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("rule_id,rule_name,device_name,device_id,hits_before,hits_after"));
    kqlhunt()
        .args(["run", "--rule", LITE, "--format", "md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("| DeviceName | DeviceId | Hits |"));
}

#[test]
fn exclusions_change_counts_and_exit_code() {
    kqlhunt()
        .args(["run", "--rule", LITE, "--exclusions", "Admin Task to Deploy Software via LiteManager"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("hits 15 → 13"));
    // The over-broad `!=` exclusion hides every hit: no hits left → exit 1.
    kqlhunt().args(["run", "--rule", LITE, "--exclusions", SCHEDULED]).assert().code(1);
    kqlhunt()
        .args(["run", "--rule", LITE, "--exclusions", "No Such Exclusion"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exclusion named 'No Such Exclusion'"));
}

#[test]
fn unknown_rule_is_an_error_with_a_suggestion() {
    kqlhunt()
        .args(["run", "--rule", "LiteManagr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule named 'LiteManagr'"));
}

#[test]
fn impact_flags_over_broad_exclusions() {
    let v = json(&["impact", "--rule", LITE, "--format", "json"]);
    let ex = v["rules"][0]["exclusions"].as_array().unwrap();
    let sched = ex.iter().find(|e| e["name"] == SCHEDULED).unwrap();
    assert_eq!(sched["hides_alone"], 15);
    assert_eq!(sched["over_broad"], true);
    let admin = ex.iter().find(|e| e["name"] == "Admin Task to Deploy Software via LiteManager").unwrap();
    assert_eq!(admin["over_broad"], false);
    assert_eq!(admin["hides_alone"], 2);
    kqlhunt()
        .args(["impact", "--format", "md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# Exclusion impact"))
        .stdout(predicate::str::contains("⚠ over-broad"))
        .stdout(predicate::str::contains("needs a filter"));
    kqlhunt().args(["impact", "--format", "csv"]).assert().code(0).stdout(predicate::str::contains("OVER-BROAD"));
    kqlhunt().args(["impact"]).assert().code(0).stdout(predicate::str::contains("Hides alone"));
}

#[test]
fn export_effective_kql_and_yaml() {
    let out = kqlhunt()
        .args(["export", "--effective", "--rule", LITE, "--exclusions", "User-Initiated Remote Support Session"])
        .output()
        .unwrap();
    let kql = String::from_utf8(out.stdout).unwrap();
    assert!(kql.contains(
        "| where not(AccountName contains \"support_user\" or ProcessCommandLine contains \"remote support\")\n| summarize"
    ));
    let yaml = kqlhunt()
        .args(["export", "--effective", "--rule", LITE, "--format", "yaml", "--exclusions", "all"])
        .output()
        .unwrap();
    let yaml = String::from_utf8(yaml.stdout).unwrap();
    assert!(yaml.contains("query: |\n  let Time_start = now(-5d);"));
    assert!(yaml.contains("| where not("), "active exclusions are in the exported query");
    assert!(!yaml.contains("\nexclusions:"), "our extension key is not exported to Sentinel");
    assert!(yaml.contains("id: 02481117-1b9e-4afa-8b88-b3b7e9089c91"));
    kqlhunt().args(["export", "--rule", LITE]).assert().code(2).stderr(predicate::str::contains("--effective"));
}

#[test]
fn query_formats() {
    let v =
        json(&["query", "--format", "json", "DeviceProcessEvents | summarize n = count() by DeviceName | top 2 by n"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["DeviceName", "n"], "columns in result order");
    kqlhunt().args(["query", "--format", "csv", "print a = 1, b = 'x'"]).assert().code(0).stdout("a,b\n1,x\n");
    kqlhunt().args(["query", "DeviceProcessEvents | where FileName == 'no-such-file.exe'"]).assert().code(1);
    kqlhunt()
        .args(["query", "DeviceProcessEvents | where FileNme == 'x'"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown column or name 'FileNme'"))
        .stderr(predicate::str::contains("^^^^^^^"))
        .stderr(predicate::str::contains("did you mean 'FileName'"));
}

#[test]
fn query_json_datetimes_are_iso_utc() {
    let v = json(&["query", "--format", "json", "print t = datetime(2026-11-20 10:01:02.5), d = dynamic({\"a\":[1]})"]);
    assert_eq!(v[0]["t"], "2026-11-20T10:01:02.5Z");
    assert_eq!(v[0]["d"]["a"][0], 1);
}

#[test]
fn query_json_writes_nan_and_infinities_as_kusto_strings() {
    let v = json(&["query", "--format", "json", "print n = real(nan), p = real(+inf), m = real(-inf), z = 1.5"]);
    assert_eq!(v[0]["n"], "NaN");
    assert_eq!(v[0]["p"], "Infinity");
    assert_eq!(v[0]["m"], "-Infinity");
    assert_eq!(v[0]["z"], 1.5);
}

#[test]
fn events_behind_a_device_and_a_report_id() {
    let v = json(&["events", "--rule", LITE, "--device", "ws-it-022.contoso.local", "--format", "json"]);
    let evs = v.as_array().unwrap();
    assert_eq!(evs.len(), 2);
    assert!(evs.iter().all(|e| e["DeviceName"] == "ws-it-022.contoso.local"));
    let rep = evs[0]["ReportId"].as_i64().unwrap().to_string();
    let one =
        json(&["events", "--rule", LITE, "--device", "ws-it-022.contoso.local", "--report", &rep, "--format", "json"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    kqlhunt()
        .args(["events", "--rule", LITE, "--device", "nobody"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("device 'nobody' has no hits"));
}

/// A hidden event names the exclusions that hide it (JSON and table).
#[test]
fn a_hidden_event_names_its_exclusion() {
    let dev = "ws-it-022.contoso.local";
    let v = json(&["events", "--rule", LITE, "--device", dev, "--exclusions", SCHEDULED, "--format", "json"]);
    for e in v.as_array().unwrap() {
        assert_eq!(e["_hidden_by_exclusion"], true);
        assert_eq!(e["_hidden_by"], serde_json::json!([SCHEDULED]), "{e}");
    }
    let v = json(&["events", "--rule", LITE, "--device", dev, "--exclusions", "none", "--format", "json"]);
    assert!(v.as_array().unwrap().iter().all(|e| e["_hidden_by"] == serde_json::json!([])));
    kqlhunt()
        .args(["events", "--rule", LITE, "--device", dev, "--exclusions", SCHEDULED])
        .assert()
        .stdout(predicate::str::contains(format!("(hidden by {SCHEDULED})")));
}

#[test]
fn no_subcommand_without_a_terminal_summarises_the_load() {
    kqlhunt()
        .assert()
        .stdout(predicate::str::contains("DeviceProcessEvents"))
        .stdout(predicate::str::contains("4000 rows"))
        .stdout(predicate::str::contains("now: 2026-11-20T12:00:00Z (pinned to the newest event)"));
}

#[test]
fn bad_now_is_an_error() {
    kqlhunt().args(["run", "--now", "yesterday"]).assert().code(2).stderr(predicate::str::contains("--now yesterday"));
}

/// Exit codes are grep's for every input mistake a script can make: a typo
/// must never read as "no hits" (1).
#[test]
fn input_mistakes_exit_2_and_name_the_path() {
    let empty = tempfile::tempdir().expect("temp dir");
    let empty_path = empty.path().to_str().expect("utf-8 temp path");
    let cases: &[(&[&str], &str)] = &[
        (&["run", "--events", "/nonexistent/x.jsonl"], "/nonexistent/x.jsonl"),
        (&["run", "--events", "/bin/ls"], "/bin/ls"),
        (&["run", "--events", empty_path], empty_path),
        (&["run", "--exclusions-file", "/nonexistent/overlay.yaml"], "/nonexistent/overlay.yaml"),
        (&["run", "--rules", "/nonexistent/rules"], "/nonexistent/rules"),
        (&["impact", "--events", "/nonexistent/x.jsonl"], "/nonexistent/x.jsonl"),
        (&["query", "--events", "/nonexistent/x.jsonl", "DeviceProcessEvents"], "/nonexistent/x.jsonl"),
        (&["run", "--format", "yaml"], "possible values: table, json, csv, md"),
        (&["query", "--format", "yaml", "DeviceProcessEvents | take 1"], "possible values"),
        (&["events", "--rule", LITE, "--device", "x", "--format", "csv"], "possible values: table, json"),
        (&["export", "--effective", "--format", "json"], "possible values: table, yaml"),
        (&["run", "--rule", "no such rule at all"], "no rule named"),
    ];
    for (args, names) in cases {
        kqlhunt().args(*args).assert().code(2).stderr(predicate::str::contains(*names));
    }
}

/// A folder with the bundled ConnectWise rule and a LiteManager rule whose
/// query names a column that does not exist.
fn good_and_bad_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = std::fs::read_to_string("rules/remote-management-and-monitoring-tool-connectwise-create-process.yaml")
        .expect("bundled rule");
    let bad = std::fs::read_to_string("rules/remote-management-and-monitoring-tool-litemanager-create-process.yaml")
        .expect("bundled rule")
        .replace("ProcessVersionInfoProductName", "ProcessVersionInfoProductNam");
    std::fs::write(dir.path().join("good.yaml"), good).expect("write");
    std::fs::write(dir.path().join("bad.yaml"), bad).expect("write");
    dir
}

/// A rule that fails to run is printed with its error, the other rules still
/// print, and the exit is 2 (a CI job expecting 1 must not pass on a typo).
#[test]
fn a_failing_rule_prints_with_the_rest_and_exits_2() {
    let dir = good_and_bad_rules();
    let rules = dir.path().to_str().expect("utf-8 temp path");
    kqlhunt()
        .args(["run", "--rules", rules])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("unknown column or name 'ProcessVersionInfoProductNam'"))
        .stdout(predicate::str::contains("hits 16 → 16"))
        .stdout(predicate::str::contains("Total: 2 rules, 1 with hits after exclusions, 16 → 16 hits, 1 failed"))
        .stderr(predicate::str::contains("1 rule failed to parse or run"));
    let json = kqlhunt().args(["run", "--rules", rules, "--format", "json"]).output().expect("run");
    assert_eq!(json.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON despite the failure");
    let statuses: Vec<&str> =
        v["rules"].as_array().expect("rules").iter().filter_map(|r| r["status"].as_str()).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"error") && statuses.contains(&"ok"), "{statuses:?}");
    // A rule file that does not load at all fails the run the same way.
    std::fs::write(dir.path().join("broken.yaml"), "name: [unclosed\nquery: x\n").expect("write");
    std::fs::remove_file(dir.path().join("bad.yaml")).expect("remove");
    kqlhunt()
        .args(["run", "--rules", rules])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("hits 16 → 16"))
        .stderr(predicate::str::contains("broken.yaml"))
        .stderr(predicate::str::contains("1 rule file failed to load"));
}

/// `--rule` is applied before any rule runs: a rule that is not selected
/// cannot fail the run.
#[test]
fn rule_selection_happens_before_the_rules_run() {
    let dir = good_and_bad_rules();
    let rules = dir.path().to_str().expect("utf-8 temp path");
    kqlhunt().args(["run", "--rules", rules, "--rule", "ConnectWise"]).assert().code(0);
    kqlhunt().args(["run", "--rules", rules, "--rule", LITE]).assert().code(2);
}

/// kqlhunt run in `dir` (not the source tree), with no --rules or --events.
fn in_dir(dir: &std::path::Path) -> Command {
    let mut c = kqlhunt();
    c.current_dir(dir);
    c
}

#[test]
fn an_empty_folder_runs_on_the_embedded_rules_and_samples() {
    let empty = tempfile::tempdir().unwrap();
    let out = in_dir(empty.path()).args(["run", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["now"], "2026-11-20T12:00:00Z", "the clock pins to the newest bundled event");
    let mut counts: Vec<u64> =
        v["rules"].as_array().unwrap().iter().map(|r| r["hits_before"].as_u64().unwrap()).collect();
    counts.sort();
    assert_eq!(counts, [9, 9, 15, 16, 16]);
    assert!(v["rules"][0]["path"].as_str().unwrap().starts_with("(bundled) rules/"));
    in_dir(empty.path()).arg("check").assert().code(0).stdout(predicate::str::contains("5 rules loaded"));
    in_dir(empty.path()).args(["check", "--fix"]).assert().code(2).stderr(predicate::str::contains("read-only"));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0, "nothing was written");
}

#[test]
fn init_writes_the_bundled_files_once_and_run_uses_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hunt");
    let lite = "rules/remote-management-and-monitoring-tool-litemanager-create-process.yaml";
    in_dir(tmp.path())
        .args(["init", "hunt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("wrote hunt/{lite}")))
        .stdout(predicate::str::contains("wrote hunt/samples/DeviceProcessEvents.jsonl"));
    for f in ["rules/fieldmap.yaml", lite, "samples/README.md", "samples/DeviceNetworkEvents-older.jsonl.gz"] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    // A second time: refused, naming the file, nothing changed.
    std::fs::write(dir.join(lite), "edited").unwrap();
    in_dir(tmp.path())
        .args(["init", "hunt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules/fieldmap.yaml already exists"));
    assert_eq!(std::fs::read_to_string(dir.join(lite)).unwrap(), "edited");

    // From DIR, run uses DIR's rules: enable an exclusion there (it hides every
    // LiteManager hit, so exit 1) and see the counts change.
    in_dir(tmp.path()).args(["init", "again"]).assert().code(0);
    let again = tmp.path().join("again");
    let text = std::fs::read_to_string(again.join(lite)).unwrap();
    let edited = text.replacen("    enabled: false", "    enabled: true", 1);
    assert_ne!(edited, text);
    std::fs::write(again.join(lite), edited).unwrap();
    in_dir(&again)
        .args(["run", "--rule", LITE])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("hits 15 → 0  (exclusions active: 1 of 5)"));
}

/// A rule over a table with no events loaded says so (table and JSON), so
/// its 0 hits are not read as "the data has none".
#[test]
fn run_says_when_a_rules_table_has_no_events_loaded() {
    let processes = "samples/DeviceProcessEvents.jsonl";
    kqlhunt()
        .args(["run", "--rule", "Level", "--events", processes, "--now", "latest"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("hits 0 → 0"))
        .stdout(predicate::str::contains("note: no DeviceFileCertificateInfo events are loaded"));
    let v = json(&["run", "--rule", "Level", "--events", processes, "--now", "latest", "--format", "json"]);
    assert_eq!(v["rules"][0]["unloaded_tables"], serde_json::json!(["DeviceFileCertificateInfo"]));
    let v = json(&["run", "--rule", LITE, "--events", processes, "--now", "latest", "--format", "json"]);
    assert!(v["rules"][0].get("unloaded_tables").is_none(), "only when there is one");
}
