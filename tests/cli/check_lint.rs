//! `kqlhunt check` on KQL: each lint case with its exact output (problem
//! line, caret display, suggestion), exclusion filters over the query's rows
//! at its hit point, `.kql` files, offline warnings, overlays, and the
//! bundled rules passing clean.

use crate::common::root;
use assert_cmd::Command;

/// Runs `kqlhunt check ARGS` in the crate folder: (exit code, stdout).
fn check(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("kqlhunt").unwrap().current_dir(root()).arg("check").args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

/// Asserts the output of checking one fixture: its problems, then the summary.
fn golden(path: &str, code: i32, expected: &str) {
    let (got_code, out) = check(&[path]);
    assert!(out.starts_with(expected), "expected:\n{expected}\ngot:\n{out}");
    assert_eq!(out[expected.len()..].lines().count(), 1, "only the summary follows:\n{out}");
    assert_eq!(got_code, code, "{out}");
}

#[test]
fn unknown_column_suggests_the_tables_real_columns() {
    golden(
        "tests/fixtures/check/lint/unknown-column.yaml",
        1,
        "tests/fixtures/check/lint/unknown-column.yaml:10:54: error: unknown column or name 'AccountUpn'
  --> 10:54
   |
10 |   | summarize Count=count() by DeviceId, DeviceName, AccountUpn
   |                                                      ^^^^^^^^^^
   = help: did you mean 'InitiatingProcessAccountUpn'?
",
    );
}

#[test]
fn predicate_where_an_operator_belongs() {
    golden(
        "tests/fixtures/check/lint/missing-where.yaml",
        1,
        "tests/fixtures/check/lint/missing-where.yaml:9:5: error: 'Sha1' is not a query operator: a condition after '|' needs 'where'
 --> 9:5
  |
9 |   | Sha1 in ('0000000000000000000000000000000000000000', '1111111111111111111111111111111111111111')
  |     ^^^^
  = help: write '| where Sha1 in ...'
",
    );
}

#[test]
fn has_any_values_on_the_next_lines_without_parentheses() {
    golden(
        "tests/fixtures/check/lint/list-without-parens.yaml",
        1,
        "tests/fixtures/check/lint/list-without-parens.yaml:9:21: error: 'has_any' takes its values in parentheses
 --> 9:21
  |
9 |   | where RemoteUrl has_any
  |                     ^^^^^^^
  = help: write 'has_any ('fixture.example', 'relay.fixture.example')'
",
    );
}

#[test]
fn has_any_with_values_split_over_several_lists() {
    golden(
        "tests/fixtures/check/lint/split-list.yaml",
        1,
        "tests/fixtures/check/lint/split-list.yaml:9:41: error: 'has_any' takes one parenthesised list; the values after its ')' are outside it
 --> 9:41
  |
9 |   | where ProcessVersionInfoCompanyName has_any ('Fixture Software'),('Example Labs')
  |                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: write 'has_any ('Fixture Software', 'Example Labs')'
",
    );
}

#[test]
fn unknown_table() {
    golden(
        "tests/fixtures/check/lint/unknown-table.yaml",
        1,
        "tests/fixtures/check/lint/unknown-table.yaml:8:3: error: unknown table 'DeviceProcessEvent'
 --> 8:3
  |
8 |   DeviceProcessEvent
  |   ^^^^^^^^^^^^^^^^^^
  = help: did you mean 'DeviceProcessEvents'?
",
    );
}

#[test]
fn query_that_does_not_parse() {
    golden(
        "tests/fixtures/check/lint/syntax.yaml",
        1,
        "tests/fixtures/check/lint/syntax.yaml:10:3: error: expected an expression, found '|'
  --> 10:3
   |
10 |   | take 10
   |   ^
",
    );
}

#[test]
fn exclusion_filters_are_checked_at_the_hit_point() {
    let (code, out) = check(&["tests/fixtures/check/lint/bad-filters.yaml"]);
    assert_eq!(code, 1);
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("tests/")).collect();
    assert_eq!(
        problems,
        [
            "tests/fixtures/check/lint/bad-filters.yaml:14:13: error: exclusion 'Uses a column the table does not have': \
             unknown column or name 'RemoteUrl'",
            "tests/fixtures/check/lint/bad-filters.yaml:16:88: error: exclusion 'Does not parse': expected ')' to close '(' \
             opened at 1:1, found the end of the query",
        ]
    );
    // The caret sits under the filter in the file; `Tool` (added by the query's
    // `extend` before its hit point) is a known column; prose-only entries are fine.
    assert!(
        out.contains("14 |     filter: RemoteUrl has 'updates.fixture.example'\n   |             ^^^^^^^^^\n"),
        "{out}"
    );
    assert!(out.ends_with("1 rules loaded (0 repaired), 0 failed, 0 queries clean, 1 with problems\n"), "{out}");
}

#[test]
fn duplicate_exclusion_names_fail_the_file() {
    golden(
        "tests/fixtures/check/lint/duplicate-exclusions.yaml",
        1,
        "tests/fixtures/check/lint/duplicate-exclusions.yaml:13:3: error: duplicate exclusion name 'Same name'\n",
    );
}

#[test]
fn kql_files_are_checked_and_offline_is_a_warning() {
    let (code, out) = check(&["tests/fixtures/check/kql"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(
        "tests/fixtures/check/kql/unknown-column.kql:3:34: error: unknown column or name 'AccountUpn'
 --> 3:34
  |
3 | | project Timestamp, DeviceName, AccountUpn
  |                                  ^^^^^^^^^^
  = help: did you mean 'InitiatingProcessAccountUpn'?
"
    ));
    assert!(out.contains(
        "tests/fixtures/check/kql/offline.kql:2:16: warning: geo_info_from_ip_address() is not available offline"
    ));
    assert!(out.contains("tests/fixtures/check/kql/externaldata.kql:1:45: warning: externaldata would download"));
    assert!(
        out.ends_with("checked 4 files: 0 rules loaded (0 repaired), 0 failed, 3 queries clean, 1 with problems\n"),
        "{out}"
    );
    // Warnings about what cannot run offline alone do not fail the check.
    let (code, out) = check(&[
        "tests/fixtures/check/kql/clean.kql",
        "tests/fixtures/check/kql/offline.kql",
        "tests/fixtures/check/kql/externaldata.kql",
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn orphaned_overlay_entries_are_listed() {
    let (code, out) =
        check(&["--exclusions-file", "tests/fixtures/check/overlay/overlay.yaml", "tests/fixtures/check/clean"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "tests/fixtures/check/overlay/overlay.yaml:4:1: warning: exclusions for rule id \
         6a0f6c1e-2f0e-4c55-9d59-2b1f1f0effff (Left over from a removed rule) match no loaded rule
  = help: fix the id, or remove the entry if the rule is gone
checked 1 files: 1 rules loaded (0 repaired), 0 failed, 1 queries clean, 0 with problems\n"
    );
}

#[test]
fn clean_rules_exit_zero() {
    assert_eq!(
        check(&["tests/fixtures/check/clean"]),
        (0, "checked 1 files: 1 rules loaded (0 repaired), 0 failed, 1 queries clean, 0 with problems\n".into())
    );
}

#[test]
fn bundled_rules_pass_clean() {
    let (code, out) = check(&["rules/"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("checked 6 files: 5 rules loaded (0 repaired), 0 failed, 5 queries clean, 0 with problems"),
        "{out}"
    );
    // With no paths, check takes the bundled rules too.
    assert_eq!(check(&[]).0, 0);
}

#[test]
fn json_codes_for_lints() {
    let (code, out) = check(&["--format", "json", "tests/fixtures/check/lint"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "unknown-column",
            "syntax",
            "duplicate-exclusion",
            "list-without-parens",
            "missing-where",
            "split-list",
            "syntax",
            "unknown-column",
            "unknown-table"
        ]
    );
    let first = &v[0];
    assert_eq!(first["help"], serde_json::Value::Null);
    assert_eq!(v[7]["help"], "did you mean 'InitiatingProcessAccountUpn'?");
}
