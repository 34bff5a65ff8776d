//! The importer on each seed catalogue file: the result is the bundled rule,
//! byte for byte, and its query and exclusions are what the catalogue says.

use crate::common::root;
use kqlhunt::rules::import::{import, split};
use kqlhunt::rules::{FieldMap, Parsed, parse_rule};

const SEEDS: [(&str, &str, usize); 5] = [
    ("000_8975113acdbe4f36.txt", "DeviceProcessEvents", 5),
    ("001_71b7e2d8fc5ebdc3.txt", "DeviceFileCertificateInfo", 0),
    ("002_b3c84f79797a2a48.txt", "DeviceProcessEvents", 0),
    ("003_e8f25b29ae5321a5.txt", "DeviceNetworkEvents", 5),
    ("004_38068ac18dcf2c33.txt", "DeviceProcessEvents", 5),
];

fn seed(name: &str) -> (std::path::PathBuf, String) {
    let path = root().join("tests/fixtures/seeds").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

#[test]
fn each_seed_imports_to_the_bundled_rule() {
    let map = FieldMap::bundled().unwrap();
    for (file, table, translated) in SEEDS {
        let (path, text) = seed(file);
        let imported = import(&path, &text, &map).unwrap();
        let bundled_path = root().join("rules").join(&imported.file_name);
        let bundled = std::fs::read_to_string(&bundled_path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(imported.yaml, bundled, "{file}: bundled rule differs from a fresh import");

        let Parsed::Rule(rule) = parse_rule(&bundled_path, &bundled).unwrap() else { panic!("{file}") };
        let cat = split(&path, &text).unwrap();
        assert_eq!(rule.query, format!("{}\n", cat.query.join("\n")), "{file}: query not verbatim");
        assert_eq!(rule.source_tables, [table]);
        assert_eq!(rule.tactics, ["CommandAndControl"]);
        assert_eq!(rule.techniques, ["T1219"]);
        assert!(rule.description.starts_with("Remote Monitoring and Management (RMM)"));
        assert_eq!(rule.exclusions.len(), cat.scenarios.len(), "{file}");
        assert_eq!(rule.exclusions.iter().filter(|e| !e.needs_filter()).count(), translated, "{file}");
        for (e, s) in rule.exclusions.iter().zip(&cat.scenarios) {
            assert!(!e.enabled);
            assert_eq!(e.source, s.filter, "{file}");
            assert!(e.name.chars().count() <= 60 && s.title.starts_with(e.name.trim_end_matches("...")), "{}", e.name);
            if e.needs_filter() {
                assert!(e.note.as_deref().is_some_and(|n| n.starts_with("needs a filter: prose")), "{:?}", e.note);
            }
            let expected = s.description.clone().or_else(|| (e.name != s.title).then(|| s.title.clone()));
            assert_eq!(e.description, expected, "{file}");
        }
    }
}

#[test]
fn seed_filters_translate_faithfully() {
    let map = FieldMap::bundled().unwrap();
    let (path, text) = seed("000_8975113acdbe4f36.txt");
    let rule = import(&path, &text, &map).unwrap().rule;
    assert_eq!(
        rule.exclusions[0].filter.as_deref(),
        Some(r#"InitiatingProcessFileName !~ "LiteManager" or ProcessCommandLine contains "scheduled_task""#)
    );
    let (path, text) = seed("004_38068ac18dcf2c33.txt");
    let rule = import(&path, &text, &map).unwrap().rule;
    assert_eq!(
        rule.exclusions[2].filter.as_deref(),
        Some(r#"InitiatingProcessFileName =~ "connectwise_agent" or FolderPath endswith "connectwise_agent.exe""#)
    );
}

#[test]
fn catalogue_without_a_query_section_is_an_error_with_its_line() {
    let e = import(std::path::Path::new("x.txt"), "just prose\n", &FieldMap::bundled().unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "x.txt:1:1: no `KQL Query` line");
    let bad = "d\nKQL Query\nT\nid: x\nname: n\nquery: |\nT\ntactics:\n- A\nweird: 1\n";
    let e = import(std::path::Path::new("x.txt"), bad, &FieldMap::bundled().unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "x.txt:10:1: cannot place 'weird: 1' in the rule YAML");
}

#[test]
fn cli_prints_yaml_or_writes_files() {
    let (path, _) = seed("003_e8f25b29ae5321a5.txt");
    let bundled = "remote-management-and-montioring-tool-action1-network-connection.yaml";
    let want = std::fs::read_to_string(root().join("rules").join(bundled)).unwrap();
    let out = assert_cmd::Command::cargo_bin("kqlhunt").unwrap().arg("import").arg(&path).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);

    let dir = tempfile::tempdir().unwrap();
    let (prose, _) = seed("001_71b7e2d8fc5ebdc3.txt");
    let out = assert_cmd::Command::cargo_bin("kqlhunt")
        .unwrap()
        .args(["import", "--out"])
        .arg(dir.path())
        .arg(&path)
        .arg(&prose)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(dir.path().join(bundled)).unwrap(), want);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("needs a filter: prose").count(), 5, "{stderr}");

    let out = assert_cmd::Command::cargo_bin("kqlhunt").unwrap().args(["import", "missing.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
