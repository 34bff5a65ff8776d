//! `kqlhunt check`: tolerant loading of malformed Sentinel YAML (each repair
//! named, with its line), `--fix` rewriting only the repaired lines
//! atomically, files no repair fixes reported and skipped, exit codes and
//! the JSON shape.

use std::path::{Path, PathBuf};

use crate::common::{root, tmp};
use assert_cmd::Command;
use kqlhunt::rules::RuleSet;
use kqlhunt::rules::file::repair::RepairKind;

fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures/check").join(rel)
}

fn kqlhunt() -> Command {
    let mut c = Command::cargo_bin("kqlhunt").unwrap();
    c.current_dir(root());
    c
}

/// Loads one fixture and returns its only rule's repairs as (kind, line, lines).
fn repairs_of(rel: &str) -> Vec<(RepairKind, usize, Vec<usize>)> {
    let set = RuleSet::load(&[fixture(rel)], None);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(set.rules.len(), 1);
    set.rules[0].repairs.iter().map(|r| (r.kind, r.line, r.lines.clone())).collect()
}

#[test]
fn key_at_the_dash_indentation_moves_into_its_item() {
    assert_eq!(repairs_of("repair/item-indent.yaml"), [(RepairKind::ItemKeyIndent, 7, vec![7])]);
    let set = RuleSet::load(&[fixture("repair/item-indent.yaml")], None);
    assert_eq!(set.rules[0].source_tables, ["DeviceProcessEvents"]);
    assert!(set.rules[0].query.starts_with("DeviceProcessEvents\n| where"));
}

#[test]
fn tabs_in_indentation_are_expanded() {
    assert_eq!(repairs_of("repair/tabs.yaml"), [(RepairKind::TabIndent, 5, vec![5, 6, 7, 9, 10, 11])]);
    let set = RuleSet::load(&[fixture("repair/tabs.yaml")], None);
    assert_eq!(set.rules[0].source_tables, ["DeviceNetworkEvents"]);
    assert_eq!(set.rules[0].query.lines().next(), Some("DeviceNetworkEvents"));
}

#[test]
fn short_query_lines_rejoin_their_block() {
    assert_eq!(repairs_of("repair/query-indent.yaml"), [(RepairKind::BlockIndent, 10, vec![10, 11])]);
    let set = RuleSet::load(&[fixture("repair/query-indent.yaml")], None);
    let r = &set.rules[0];
    assert_eq!(
        r.query,
        "DeviceFileCertificateInfo\n| where Signer has_any ('Fixture Software Ltd')\n| summarize Count=count() by DeviceId, DeviceName\n"
    );
    assert_eq!(r.extra["version"], "1.0.0");
    // Positions still map into the file, line for line.
    let p = r.query_pos(r.query.find("| summarize").unwrap());
    assert_eq!((p.line, p.column), (11, 5));
}

#[test]
fn check_names_each_repair_with_file_and_line() {
    let out = kqlhunt().args(["check", "tests/fixtures/check/repair/item-indent.yaml"]).assert().code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "tests/fixtures/check/repair/item-indent.yaml:7:1: warning: loaded after a repair: `dataTypes:` is at the \
             indentation of its list item's `-` (column 5); moved into the item (column 7)\n  = help: `kqlhunt check --fix` \
             writes this repair to the file\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("checked 1 files: 1 rules loaded (1 repaired), 0 failed, 1 queries clean, 0 with problems\n")
    );
}

#[test]
fn unrepairable_file_is_reported_and_skipped() {
    let out = kqlhunt()
        .args(["check", "tests/fixtures/check/broken/unrepairable.yaml", "tests/fixtures/check/repair/tabs.yaml"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with(
            "tests/fixtures/check/broken/unrepairable.yaml:4:6: error: invalid YAML: did not find expected ','"
        ),
        "{first}"
    );
    assert!(stdout.contains("2 files: 1 rules loaded (1 repaired), 1 failed"), "{stdout}");
}

/// Copies the repair fixtures into a fresh folder.
fn copy_repairs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["item-indent.yaml", "tabs.yaml", "query-indent.yaml"]
        .iter()
        .map(|name| {
            let bytes = std::fs::read(fixture(&format!("repair/{name}"))).unwrap();
            let p = dir.join(name);
            std::fs::write(&p, &bytes).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Lines of a byte buffer, each with its ending.
fn raw_lines(b: &[u8]) -> Vec<&[u8]> {
    b.split_inclusive(|&c| c == b'\n').collect()
}

#[test]
fn fix_rewrites_only_the_repaired_lines_atomically() {
    let dir = tmp();
    let files = copy_repairs(dir.path());
    #[cfg(unix)]
    let inodes: Vec<u64> =
        files.iter().map(|(p, _)| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())).collect();
    let expected_repairs: [&[usize]; 3] = [&[7], &[5, 6, 7, 9, 10, 11], &[10, 11]];
    let out = kqlhunt().arg("check").arg("--fix").arg(dir.path()).assert().code(0);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains(", 3 repaired files written"), "{stdout}");
    assert!(stdout.contains(": note: repaired and written: "), "{stdout}");
    for (i, (path, before)) in files.iter().enumerate() {
        let after = std::fs::read(path).unwrap();
        let (old, new) = (raw_lines(before), raw_lines(&after));
        assert_eq!(old.len(), new.len(), "{}", path.display());
        for (n, (a, b)) in old.iter().zip(&new).enumerate() {
            let repaired = expected_repairs[i].contains(&(n + 1));
            assert_eq!(a != b, repaired, "{} line {}: {:?} -> {:?}", path.display(), n + 1, a, b);
            // Line endings are kept on repaired lines too (CRLF stays CRLF).
            assert_eq!(a.ends_with(b"\r\n"), b.ends_with(b"\r\n"));
        }
        #[cfg(unix)]
        assert_ne!(
            std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap()),
            inodes[i],
            "replaced by rename"
        );
    }
    // No temporary files left behind; the fixed files load strictly now.
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let set = RuleSet::load(&[dir.path().to_path_buf()], None);
    assert_eq!(set.rules.len(), 3);
    assert!(set.rules.iter().all(|r| r.repairs.is_empty()));
    kqlhunt().arg("check").arg(dir.path()).assert().code(0);
}

#[test]
fn exit_code_two_when_check_cannot_run() {
    kqlhunt().args(["check", "tests/fixtures/check/no-such-folder"]).assert().code(2);
    kqlhunt().args(["check", "--format", "csv", "tests/fixtures/check/repair"]).assert().code(2);
}

#[test]
fn json_is_an_array_of_problem_objects() {
    let out = kqlhunt()
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/check/broken",
            "tests/fixtures/check/repair/item-indent.yaml",
        ])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let items = v.as_array().unwrap();
    let keys = ["file", "line", "column", "severity", "code", "message", "help"];
    for item in items {
        let obj = item.as_object().unwrap();
        assert_eq!(obj.keys().map(String::as_str).collect::<Vec<_>>(), keys);
    }
    assert_eq!(items[0]["file"], "tests/fixtures/check/broken/unrepairable.yaml");
    assert_eq!((items[0]["line"].as_u64(), items[0]["column"].as_u64()), (Some(4), Some(6)));
    assert_eq!((items[0]["severity"].as_str(), items[0]["code"].as_str()), (Some("error"), Some("yaml")));
    assert!(items[0]["help"].is_null());
    let repair = items.iter().find(|i| i["code"] == "repair-item-indent").unwrap();
    assert_eq!((repair["line"].as_u64(), repair["severity"].as_str()), (Some(7), Some("warning")));
    // The summary goes to stderr so stdout stays one JSON document.
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.starts_with("checked 2 files: 1 rules loaded (1 repaired), 1 failed"), "{stderr}");
}
