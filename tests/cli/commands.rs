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
