//! Loading rule files: the YAML shapes found in the Azure-Sentinel repository,
//! unknown keys kept, broken files reported with file:line:column while the
//! others load, non-rules skipped, deterministic order.

use crate::common::{HUNTING, put, root, tmp};
use kqlhunt::rules::{Parsed, RuleSet, RulesError, parse_rule};
use std::path::Path;

fn rule(text: &str) -> kqlhunt::rules::Rule {
    match parse_rule(Path::new("r.yaml"), text).unwrap() {
        Parsed::Rule(r) => *r,
        Parsed::NotARule(why) => panic!("not a rule: {why}"),
    }
}

#[test]
fn hunting_rule_with_lists_and_unknown_keys() {
    let r = rule(HUNTING);
    assert_eq!(r.id.as_deref(), Some("0b8a8a4f-9c5e-4a4f-8c1d-3f4a1d2e5b6c"));
    assert_eq!(r.tactics, ["Execution", "Persistence"]);
    assert_eq!(r.techniques, ["T1204", "T1547"]);
    assert_eq!(r.source_tables, ["DeviceProcessEvents"]);
    assert!(r.query.starts_with("DeviceProcessEvents\n| where InitiatingProcessFileName"));
    let keys: Vec<&str> = r.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["requiredDataConnectors", "entityMappings", "version", "metadata"]);
    assert_eq!(r.extra["metadata"]["source"]["kind"], "Community");
    assert_eq!(r.severity, None);
    assert!(r.exclusions.is_empty());
}

#[test]
fn query_position_maps_to_the_file() {
    let r = rule(HUNTING);
    let at = r.query_at.unwrap();
    assert_eq!((at.start.line, at.start.column), (16, 3));
    // "FileName" on the query's third line.
    let off = r.query.find("FileName =~").unwrap();
    let p = r.query_pos(off);
    assert_eq!((p.line, p.column), (18, 11));
    assert_eq!(&HUNTING[p.offset..p.offset + 8], "FileName");
}

#[test]
fn string_tactics_and_other_query_styles() {
    let folded = "id: a\nname: Folded\ntactics: InitialAccess, Execution\nrelevantTechniques: T1566\nseverity: Medium\nquery: >\n  SigninLogs\n  | take 1\n";
    let r = rule(folded);
    assert_eq!(r.tactics, ["InitialAccess", "Execution"]);
    assert_eq!(r.techniques, ["T1566"]);
    assert_eq!(r.severity.as_deref(), Some("Medium"));
    assert_eq!(r.query, "SigninLogs | take 1\n");
    assert_eq!(r.query_at.unwrap().start.line, 7);

    let quoted = "id: b\nname: Quoted\nquery: \"DeviceEvents | where ActionType == \\\"x\\\"\"\n";
    let r = rule(quoted);
    assert_eq!(r.query, "DeviceEvents | where ActionType == \"x\"");
    assert_eq!(r.query_at.unwrap().start.column, 9);

    let plain = "name: Plain\nquery: DeviceEvents | take 10\n";
    let r = rule(plain);
    assert_eq!(r.id, None);
    let p = r.query_pos(r.query.find("take").unwrap());
    assert_eq!((p.line, p.column), (2, 23));
}

#[test]
fn exclusions_are_read_with_filter_lines() {
    let text = format!(
        "{HUNTING}exclusions:\n  - name: Build agents\n    description: CI runs Office macros\n    filter: 'DeviceName startswith \"build-\"'\n    enabled: true\n  - name: Prose only\n    source: Exclude the admins.\n"
    );
    let r = rule(&text);
    assert_eq!(r.exclusions.len(), 2);
    let e = &r.exclusions[0];
    assert!(e.enabled && !e.needs_filter());
    assert_eq!(e.filter.as_deref(), Some("DeviceName startswith \"build-\""));
    assert_eq!(e.filter_at.unwrap().start.line, 31);
    let p = &r.exclusions[1];
    assert!(!p.enabled && p.needs_filter());
    assert_eq!(r.needing_filter().count(), 1);
}

#[test]
fn bad_exclusion_entries_are_positioned_errors() {
    let typo = format!("{HUNTING}exclusions:\n  - name: A\n  - name: B\n    filtr: x\n");
    let e = parse_rule(Path::new("r.yaml"), &typo).unwrap_err().to_string();
    assert!(e.starts_with("r.yaml:30:3: unknown key 'filtr'"), "{e}");
    let dup = format!("{HUNTING}exclusions:\n  - name: A\n  - name: A\n");
    let e = parse_rule(Path::new("r.yaml"), &dup).unwrap_err().to_string();
    assert!(e.contains("duplicate exclusion name 'A'"), "{e}");
    let not_list = format!("{HUNTING}exclusions: yes\n");
    let e = parse_rule(Path::new("r.yaml"), &not_list).unwrap_err().to_string();
    assert!(e.starts_with("r.yaml:28:1:"), "{e}");
}

#[test]
fn broken_file_among_good_ones() {
    let dir = tmp();
    put(dir.path(), "a.yaml", HUNTING);
    put(dir.path(), "b/broken.yaml", "id: x\nname: Broken\nquery: |\n  T\ntactics: [Execution\n");
    put(dir.path(), "b/c.yml", &HUNTING.replace("0b8a8a4f", "11111111"));
    put(dir.path(), "notes.txt", "not yaml: [");
    put(dir.path(), "other.yaml", "kind: Parser\nfunctionAlias: x\n");
    let set = RuleSet::load(&[dir.path().to_path_buf()], None);
    let names: Vec<String> =
        set.rules.iter().map(|r| r.path.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
    assert_eq!(names, ["a.yaml", "b/c.yml"]);
    assert_eq!(set.problems.len(), 1);
    match &set.problems[0] {
        RulesError::Invalid { path, line, column, .. } => {
            assert!(path.ends_with("b/broken.yaml"));
            assert_eq!((*line, *column), (6, 1));
        }
        other => panic!("{other}"),
    }
    let msg = set.problems[0].to_string();
    assert!(msg.contains("broken.yaml:6:1: invalid YAML"), "{msg}");
    assert_eq!(set.skipped.len(), 1);
    assert!(set.skipped[0].0.ends_with("other.yaml"));
}

#[test]
fn duplicate_ids_and_missing_paths_are_problems() {
    let dir = tmp();
    put(dir.path(), "a.yaml", HUNTING);
    put(dir.path(), "b.yaml", HUNTING);
    let set = RuleSet::load(&[dir.path().to_path_buf(), dir.path().join("missing")], None);
    assert_eq!(set.rules.len(), 2);
    let msgs: Vec<String> = set.problems.iter().map(|p| p.to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("missing")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("b.yaml:1:1: duplicate rule id")), "{msgs:?}");
}

#[test]
fn bundled_rules_load_and_the_field_map_is_skipped() {
    let set = RuleSet::load(&[root().join("rules")], None);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(set.rules.len(), 5);
    assert_eq!(set.skipped.len(), 1);
    assert!(set.skipped[0].0.ends_with("fieldmap.yaml"));
    assert_eq!(set.skipped[0].1, "a kqlhunt field map");
    for r in &set.rules {
        assert_eq!(r.exclusions.len(), 5, "{}", r.name);
        assert!(r.exclusions.iter().all(|e| !e.enabled), "{}", r.name);
        assert!(r.exclusions.iter().all(|e| e.source.is_some()), "{}", r.name);
        assert_eq!(r.source_tables.len(), 1);
    }
}
