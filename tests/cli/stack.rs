//! `kqlhunt stack`: least-frequency analysis over a rule's hits or a query's
//! result — the counts add up to the rule's hits, the JSON shape and order,
//! null and empty values as rows of their own, exit codes 0 / 1 / 2.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

fn kqlhunt() -> Command {
    let mut c = Command::cargo_bin("kqlhunt").expect("binary");
    c.env_remove("NO_COLOR");
    c
}

fn json_of(args: &[&str], codes: &[i32]) -> Value {
    let out = kqlhunt().args(args).output().expect("run");
    let code = out.status.code().unwrap_or(-1);
    assert!(codes.contains(&code), "{args:?} exit {code}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} prints JSON: {e}"))
}

/// (hits before, hits after) of the LiteManager rule as `kqlhunt run` reports them.
fn run_counts(exclusions: &str) -> (u64, u64) {
    let v = json_of(&["run", "--rule", "LiteManager", "--exclusions", exclusions, "--format", "json"], &[0, 1]);
    let r = &v["rules"][0];
    (r["hits_before"].as_u64().unwrap(), r["hits_after"].as_u64().unwrap())
}

fn sum(rows: &[Value], key: &str) -> u64 {
    rows.iter().map(|r| r[key].as_u64().unwrap()).sum()
}

#[test]
fn stacking_a_rule_column_adds_up_to_its_hits() {
    let (before, _) = run_counts("saved");
    assert_eq!(before, 15, "the issue's LiteManager rule has 15 hits");
    let v = json_of(&["stack", "--rule", "LiteManager", "--by", "InitiatingProcessFileName", "--format", "json"], &[0]);
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 1, "{v}");
    assert_eq!(sum(rows, "hits"), before);
    let hits: Vec<u64> = rows.iter().map(|r| r["hits"].as_u64().unwrap()).collect();
    assert!(hits.windows(2).all(|w| w[0] <= w[1]), "sorted by hits ascending: {hits:?}");
    for r in rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{r}");
        for k in ["value", "hits", "devices", "hidden", "first_seen", "last_seen"] {
            assert!(r.get(k).is_some(), "{k} in {r}");
        }
        let n = r["hits"].as_u64().unwrap();
        assert!(r["devices"].as_u64().unwrap() <= n && r["hidden"].as_u64().unwrap() <= n, "{r}");
        assert!(r["first_seen"].as_str().unwrap() <= r["last_seen"].as_str().unwrap(), "{r}");
    }
    let lite = rows.iter().find(|r| r["value"] == "LiteManager.exe").expect("LiteManager.exe is a value");
    assert_eq!((lite["hits"].as_u64(), lite["devices"].as_u64()), (Some(9), Some(3)));
}

#[test]
fn hidden_counts_what_the_active_exclusions_hide() {
    let (before, after) = run_counts("all");
    assert!(after < before, "the LiteManager exclusions hide some hits");
    let args = ["stack", "--rule", "LiteManager", "--by", "InitiatingProcessFileName", "--exclusions", "all"];
    let v = json_of(&[&args[..], &["--format", "json"]].concat(), &[0]);
    let rows = v.as_array().unwrap();
    assert_eq!((sum(rows, "hits"), sum(rows, "hidden")), (before, before - after));
    let none = json_of(&[&args[..5], &["--exclusions", "none", "--format", "json"]].concat(), &[0]);
    assert_eq!(sum(none.as_array().unwrap(), "hidden"), 0);
}

#[test]
fn an_unknown_column_is_an_error_listing_the_columns() {
    kqlhunt()
        .args(["stack", "--rule", "LiteManager", "--by", "InitiatingProcesFileName"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no column 'InitiatingProcesFileName'"))
        .stderr(predicate::str::contains("InitiatingProcessFileName, "));
    kqlhunt()
        .args(["stack", "--by", "nope", "range x from 1 to 3 step 1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no column 'nope' to stack by; the rows have: x"));
}

#[test]
fn bad_invocations_exit_2() {
    let cases: [&[&str]; 4] = [
        &["stack", "--by", "x"],
        &["stack", "--rule", "LiteManager", "--by", "x", "range x from 1 to 2 step 1"],
        &["stack", "--rule", "NoSuchRuleAnywhere", "--by", "x"],
        &["stack", "--by", "x", "--format", "yaml", "range x from 1 to 2 step 1"],
    ];
    for args in cases {
        kqlhunt().args(args).assert().code(2);
    }
    kqlhunt().args(["stack", "--by", "x", "range x from 1 to 2 step 1 | where"]).assert().code(2);
}

const QUERY: &str = "range x from 1 to 5 step 1 \
    | extend parity = iff(x % 2 == 0, 'even', ''), big = iff(x > 3, x, long(null))";

#[test]
fn query_mode_stacks_the_result_with_null_and_empty_rows() {
    let v = json_of(&["stack", "--by", "parity", "--format", "json", QUERY], &[0]);
    let row = |value: Value, hits: u64| json!({"value": value, "hits": hits, "devices": null, "hidden": 0, "first_seen": null, "last_seen": null});
    assert_eq!(v, json!([row(json!("even"), 2), row(json!(""), 3)]));
    let v = json_of(&["stack", "--by", "big", "--format", "json", QUERY], &[0]);
    assert_eq!(v, json!([row(json!(4), 1), row(json!(5), 1), row(Value::Null, 3)]));
    kqlhunt()
        .args(["stack", "--by", "big", QUERY])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(null)"))
        .stdout(predicate::str::is_match(r"(?m)^\(null\)\s+3\s+0").unwrap());
    kqlhunt().args(["stack", "--by", "parity", QUERY]).assert().stdout(predicate::str::contains("(empty)"));
    kqlhunt()
        .args(["stack", "--by", "parity", "--format", "csv", QUERY])
        .assert()
        .stdout("parity,hits,devices,hidden,first_seen,last_seen\neven,2,,0,,\n,3,,0,,\n");
    kqlhunt()
        .args(["stack", "--by", "parity", "--format", "md", QUERY])
        .assert()
        .stdout(predicate::str::contains("| (empty) | 3 |  | 0 |  |  |"));
}

#[test]
fn query_mode_counts_devices_and_times_and_exits_1_when_empty() {
    let q = "DeviceProcessEvents | where InitiatingProcessFileName =~ 'LiteManager.exe'";
    let v = json_of(&["stack", "--by", "DeviceName", "--format", "json", q], &[0]);
    let rows = v.as_array().unwrap();
    assert!(rows.iter().all(|r| r["devices"] == 1 && r["first_seen"].is_string()), "{v}");
    kqlhunt().args(["stack", "--by", "x", "range x from 1 to 3 step 1 | where x > 9"]).assert().code(1);
}
