//! `kqlhunt check` never crashes on odd input: every file is reported with
//! a position or loaded, and the run finishes with exit status 1.

use crate::common::{put, tmp};
use assert_cmd::Command;

#[test]
fn odd_files_are_reported_not_fatal() {
    let dir = tmp();
    let d = dir.path();
    put(d, "empty.yaml", "");
    put(d, "list.yaml", "- a\n- b\n");
    put(d, "query-list.yaml", "query:\n  - T\n");
    put(d, "deep.yaml", &format!("query: {}\n", "[".repeat(5000)));
    put(d, "tab-only.yaml", "\t\n\t\t\n");
    put(d, "crlf-block.yaml", "query: |\r\n    T\r\n  | take 1\r\n\r\n");
    put(d, "deep.kql", &format!("print {}1{}", "(".repeat(3000), ")".repeat(3000)));
    put(d, "bom.kql", "\u{feff}DeviceProcessEvents | take 1\n");
    put(d, "bad-string.kql", "DeviceProcessEvents | where FileName == 'unterminated\n");
    put(d, "unicode.kql", "DeviceProcessEvents | where FileName == \"é\" | Sha1 in (1)\n");
    std::fs::write(d.join("binary.yaml"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = Command::cargo_bin("kqlhunt").unwrap().arg("check").arg(d).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("binary.yaml:1:1: error: not valid UTF-8"), "{stdout}");
    assert!(stdout.contains("unicode.kql:1:47: error: 'Sha1' is not a query operator"), "{stdout}");
    assert!(!stdout.contains("bom.kql"), "a byte-order mark is not part of the query:\n{stdout}");
    assert!(stdout.contains("crlf-block.yaml:3:1: warning: loaded after a repair"), "{stdout}");
    assert!(stdout.trim_end().ends_with("with problems, 2 not rules (skipped)"), "{stdout}");
}
