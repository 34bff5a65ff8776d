//! The CLI over hostile events: terminal controls in event values come out
//! inert in `--format table` (and md); event files are never written; the
//! memory budget and Ctrl-C stop with a clear message.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::Command;

/// ESC/OSC 52 (clipboard), OSC 8 (link), CSI cursor moves, BEL, backspaces,
/// bidi override, zero-width space, C1 CSI, DEL.
const HOSTILE: &[&str] = &[
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
    "\u{1b}[2J\u{1b}[1;1H\u{1b}[31m",
    "\u{7}\u{8}\u{8}\u{8}",
    "evil\u{202e}fdp.exe",
    "zero\u{200b}width\u{feff}",
    "c1\u{9b}2Jdel\u{7f}",
    "cr\rlf\nnul\0",
];

/// Bytes that must never reach the terminal raw.
fn raw_controls(out: &str) -> Vec<char> {
    out.chars().filter(|&c| c != '\n' && kqlhunt::data::text::is_unsafe_char(c)).collect()
}

const RULE: &str = r#"id: 6f1f7a4e-0000-4000-8000-000000000001
name: Hostile names
severity: Low
query: |
  DeviceProcessEvents
  | where FileName has "evil"
  | summarize Count=count() by DeviceId, DeviceName
exclusions:
  - name: noop
    filter: FileName == "nothing"
    enabled: true
"#;

/// A folder with hostile events and a rule matching them.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("DeviceProcessEvents.jsonl");
    let mut text = String::new();
    for (i, h) in HOSTILE.iter().enumerate() {
        let row = serde_json::json!({
            "Timestamp": "2026-11-20T10:00:00Z", "DeviceId": format!("dev{h}"), "DeviceName": format!("ws{i}{h}"),
            "FileName": "evil.exe", "ProcessCommandLine": format!("cmd {h}"), "ReportId": i,
            "AdditionalFields": {"x": h},
        });
        text.push_str(&row.to_string());
        text.push('\n');
    }
    std::fs::write(&events, text).unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("hostile.yaml"), RULE).unwrap();
    (dir, events, rules)
}

fn kqlhunt(events: &Path, rules: &Path) -> Command {
    let mut c = Command::cargo_bin("kqlhunt").unwrap();
    c.arg("--events").arg(events).arg("--rules").arg(rules).args(["--now", "2026-11-21T00:00:00Z"]);
    c
}

fn stdout_of(mut c: Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn hostile_values_render_inert_in_table_and_markdown_output() {
    let (_dir, events, rules) = setup();
    let cases: Vec<Vec<&str>> = vec![
        vec!["query", "DeviceProcessEvents", "--format", "table"],
        vec!["query", "DeviceProcessEvents | project AdditionalFields, DeviceName", "--format", "md"],
        vec!["run", "--format", "table"],
        vec!["run", "--format", "md"],
        vec!["impact", "--format", "table"],
    ];
    for args in cases {
        let mut c = kqlhunt(&events, &rules);
        c.args(&args);
        let out = stdout_of(c);
        assert_eq!(raw_controls(&out), Vec::<char>::new(), "{args:?}:\n{out}");
        if args[0] != "impact" {
            assert!(out.contains("\\e]52;c;ZXZpbA==\\x07") && out.contains("\\u{202e}"), "{args:?}:\n{out}");
        }
    }
    // A NUL cannot be passed as an argument; the others are looked up by their raw name.
    for (i, h) in HOSTILE.iter().enumerate().filter(|(_, h)| !h.contains('\0')) {
        let mut c = kqlhunt(&events, &rules);
        c.args(["events", "--rule", "Hostile names", "--device", &format!("ws{i}{h}"), "--format", "table"]);
        let out = stdout_of(c);
        assert_eq!(raw_controls(&out), Vec::<char>::new(), "events for device {i}:\n{out}");
        assert!(out.contains("evil.exe"), "events for device {i} found nothing:\n{out}");
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut all: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).unwrap();
            (p.clone(), std::fs::read(&p).unwrap(), meta.modified().unwrap())
        })
        .collect();
    all.sort();
    all
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}

#[test]
fn no_command_writes_to_event_files() {
    let dir = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for e in std::fs::read_dir(&samples).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let before = snapshot(dir.path());
    let device = "LM-SRV-01";
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["run"],
        vec!["run", "--format", "json"],
        vec!["impact", "--exclusions", "all"],
        vec!["query", "DeviceProcessEvents | take 3", "--format", "csv"],
        vec!["events", "--rule", "LiteManager", "--device", device],
        vec!["export", "--effective"],
    ];
    for args in commands {
        let mut c = kqlhunt(dir.path(), &rules);
        c.args(&args);
        let out = c.output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?}");
    }
    assert!(snapshot(dir.path()) == before, "an event file changed");
}

#[test]
fn a_memory_budget_too_small_is_a_clear_error() {
    let (_dir, events, rules) = setup();
    let mut c = kqlhunt(&events, &rules);
    c.args(["--max-memory", "1K", "query", "DeviceProcessEvents"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loading stopped") && err.contains("--max-memory"), "{err}");
    let mut c = kqlhunt(&events, &rules);
    c.args(["--max-memory", "lots", "query", "T"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("size"));
}

#[test]
fn ctrl_c_cancels_a_running_query() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join("DeviceProcessEvents.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("kqlhunt");
    // ~13 M joined rows: under the join limit (a query that hits it ends
    // early with an error on a fast machine), and seconds of work.
    let join = "DeviceProcessEvents | project k = 1, a = ProcessCommandLine \
                | join kind=inner (DeviceProcessEvents | project k = 1, b = ProcessCommandLine) on k \
                | join kind=inner (DeviceProcessEvents | take 40 | project k = 1) on k \
                | summarize dcount(strcat(a, b))";
    let child = std::process::Command::new(bin)
        .arg("--events")
        .arg(&samples)
        .args(["query", join])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The handler is installed before the load, so the signal may come at any
    // point; the query runs far longer.
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    let kill = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cancelled (Ctrl-C)"), "{err}");
    assert!(sent.elapsed() < Duration::from_secs(30), "took {:?} to stop", sent.elapsed());
}
