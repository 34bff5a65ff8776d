//! End to end: the built binary in a detached tmux session on a temporary
//! copy of the rules, driven by the demo flow's keys, checked on
//! `tmux capture-pane -p`. Skipped (with a note) where tmux is missing.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::tui_common::rules_copy;

struct Session(String);

impl Session {
    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.0, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    /// Waits until the screen shows `text`; the screen on timeout is in the panic.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "no {text:?} on screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        Command::new("tmux").args(["has-session", "-t", &self.0]).status().is_ok_and(|s| s.success())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.0]).status();
    }
}

/// True (with a note) when tmux is not installed: the test named `what` is skipped.
fn tmux_missing(what: &str) -> bool {
    let missing = Command::new("tmux").arg("-V").output().is_err();
    if missing {
        println!("note: tmux is not on PATH; skipping the {what}");
    }
    missing
}

#[test]
fn demo_flow_in_tmux() {
    if tmux_missing("end-to-end TUI test") {
        return;
    }
    let rules = rules_copy();
    let name = format!("kqlhunt-e2e-{}", std::process::id());
    // The query history goes to a temporary data folder, never the real home.
    let data = tempfile::tempdir().unwrap();
    let cmd = format!(
        "XDG_DATA_HOME='{}' {} --rules '{}'",
        data.path().display(),
        env!("CARGO_BIN_EXE_kqlhunt"),
        rules.path().display()
    );
    let ok =
        Command::new("tmux").args(["new-session", "-d", "-s", &name, "-x", "120", "-y", "40", &cmd]).status().unwrap();
    assert!(ok.success());
    let s = Session(name);
    // The rule list shows at once, then the load ends (the status bar counts the files).
    s.wait_for("Rules 5/5");
    s.wait_for(" files · ");

    s.keys(&["/", "LiteManager", "Enter"]);
    s.wait_for("Rules 1/5");
    s.keys(&["Enter", "Enter"]);
    // "Key fields" is the hit list's header (the groups' header also reads "ReportIds").
    let screen = s.wait_for("Key fields");
    assert!(screen.contains("ProcessCreated"), "a device's hits:\n{screen}");
    s.keys(&["Enter"]);
    let screen = s.wait_for("raw event");
    assert!(screen.contains("ProcessVersionInfoProductName"), "every column:\n{screen}");
    s.keys(&["Escape"]);
    s.wait_for("Key fields");
    s.keys(&["Escape", "Tab", "Space"]);
    let screen = s.wait_for("[x] Scheduled Job Execution by LiteManager");
    assert!(screen.contains("15 → 0"), "counts follow:\n{screen}");
    assert!(screen.contains("OVER-BROAD"), "over-broad flagged:\n{screen}");
    assert!(screen.contains("toggle:"), "the toggle is timed:\n{screen}");

    s.keys(&["q"]);
    s.wait_for("Unsaved exclusion changes");
    s.keys(&["y"]);
    let start = Instant::now();
    while s.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!s.alive(), "y saves and quits");
    let saved = std::fs::read_to_string(
        rules.path().join("remote-management-and-monitoring-tool-litemanager-create-process.yaml"),
    )
    .unwrap();
    let entry = saved.split("- name: ").find(|e| e.starts_with("Scheduled Job Execution by LiteManager")).unwrap();
    assert!(entry.contains("enabled: true"), "saved:\n{entry}");
}

/// The editor's history survives quitting and starting again, in the data
/// folder XDG_DATA_HOME names; a query typed over two lines with Ctrl-J runs.
#[test]
fn editor_history_survives_a_restart_in_tmux() {
    if tmux_missing("end-to-end editor test") {
        return;
    }
    let rules = rules_copy();
    let data = tempfile::tempdir().unwrap();
    let cmd = format!(
        "XDG_DATA_HOME='{}' {} --rules '{}'",
        data.path().display(),
        env!("CARGO_BIN_EXE_kqlhunt"),
        rules.path().display()
    );
    for run in 0..2 {
        let name = format!("kqlhunt-editor-{}-{run}", std::process::id());
        let ok = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x", "80", "-y", "24", &cmd])
            .status()
            .unwrap();
        assert!(ok.success());
        let s = Session(name);
        s.wait_for("Rules 5/5");
        s.wait_for(" files · ");
        s.keys(&[":"]);
        s.wait_for("Ctrl-J or Alt-Enter");
        if run == 0 {
            s.keys(&["print marker = 'kept'", "C-j", "| extend n = 2", "Enter"]);
            s.wait_for("row 1/1 · cols 1–2 of 2");
        } else {
            s.keys(&["Up"]);
            let screen = s.wait_for("| extend n = 2");
            assert!(screen.contains("print marker = 'kept'"), "both lines come back:\n{screen}");
            s.keys(&["Escape"]);
        }
        s.keys(&["q"]);
        let start = Instant::now();
        while s.alive() && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(!s.alive(), "q quits (run {run}):\n{}", s.screen());
    }
    let saved = std::fs::read_to_string(data.path().join("kqlhunt/history")).unwrap();
    assert_eq!(saved, "\"print marker = 'kept'\\n| extend n = 2\"\n");
}
