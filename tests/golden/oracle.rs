//! Differential check against Microsoft's own KQL parser and analyzer
//! (`shared/tools/kql-check`, installed by `.ci/run` into `target/kql-check`;
//! point `KQL_CHECK_JS` at its `check.js` to run this locally).
//!
//! For every golden query: a query kqlhunt accepts must be accepted by the
//! analyzer too; one kqlhunt rejects as a syntax error must be rejected there
//! too; and the result column names and types kqlhunt produces must equal
//! the analyzer's `resultColumns`.
//!
//! One test for all cases, not one per case: the analyzer runs in one node
//! process for every query (see `BATCH_DRIVER`), and `cargo test between_02`
//! then runs only that golden case. A disagreement names its case.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use kqlhunt::data::Database;
use kqlhunt::kql::ErrorKind;
use kqlhunt::kql::eval::{Evaluator, Session};
use libtest_mimic::{Completion, Trial};

fn checker() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KQL_CHECK_JS") {
        return Some(PathBuf::from(p));
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kql-check/check.js");
    let has_modules = local.parent().is_some_and(|d| d.join("node_modules").is_dir());
    (local.is_file() && has_modules).then_some(local)
}

/// Runs every query through Kusto.Language in ONE node process (starting
/// node and loading the analyzer takes seconds; once per file would take
/// tens of minutes). The driver makes exactly the calls `check.js` makes:
/// `KustoCode.ParseAndAnalyze` (full check, `resultColumns`) and
/// `KustoCode.Parse` (syntax only), with the MDE schema as database `MDE`.
const BATCH_DRIVER: &str = r#"
'use strict';
const fs = require('fs');
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
const Kusto = global.Kusto;
const list = l => { const o = []; if (!l) return o; const n = l.Count !== undefined ? l.Count : l.length;
  for (let i = 0; i < n; i++) o.push(l.getItem ? l.getItem(i) : l[i]); return o; };
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const tables = Object.entries(schema).map(([name, cols]) => new Kusto.Language.Symbols.TableSymbol.$ctor7(
  name, '(' + cols.map(c => `['${c.name}']:${c.type}`).join(', ') + ')', null));
const globals = Kusto.Language.GlobalState.Default.WithDatabase(new Kusto.Language.Symbols.DatabaseSymbol.ctor('MDE', tables));
const errors = code => list(code.GetDiagnostics()).filter(d => d.Severity === 'Error').map(d => d.Message);
for (const file of JSON.parse(fs.readFileSync(0, 'utf8'))) {
  const text = fs.readFileSync(file, 'utf8');
  const full = Kusto.Language.KustoCode.ParseAndAnalyze(text, globals);
  const rt = full.ResultType;
  const columns = rt && rt.Columns ? list(rt.Columns).map(c => [c.Name, c.Type && c.Type.Name]) : [];
  const messages = errors(full);
  const syntaxOk = errors(Kusto.Language.KustoCode.Parse(text, globals)).length === 0;
  process.stdout.write(JSON.stringify({ file, ok: messages.length === 0, syntaxOk, columns, messages }) + '\n');
}
"#;

#[derive(Debug, Default)]
struct Oracle {
    ok: bool,
    syntax_ok: bool,
    columns: Vec<(String, String)>,
    messages: Vec<String>,
}

fn oracle_all(js: &Path, files: &[PathBuf]) -> std::collections::HashMap<PathBuf, Oracle> {
    use std::io::Write;
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data/mde-tables.json");
    // The driver lives beside check.js so that `require` finds the same node_modules.
    let driver = js.with_file_name("kqlhunt-batch.js");
    std::fs::write(&driver, BATCH_DRIVER).expect("write the batch driver beside check.js");
    let mut child = Command::new("node")
        .arg(&driver)
        .arg(&schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run node");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let input = serde_json::to_vec(&names).expect("file list as JSON");
    child.stdin.take().expect("stdin").write_all(&input).expect("send file list");
    let out = child.wait_with_output().expect("node output");
    assert!(out.status.success(), "kql-check driver failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut all = std::collections::HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("driver output is JSON lines");
        let strs = |a: &serde_json::Value| a.as_str().unwrap_or("").to_string();
        let o = Oracle {
            ok: v["ok"].as_bool().unwrap_or(false),
            syntax_ok: v["syntaxOk"].as_bool().unwrap_or(false),
            columns: v["columns"]
                .as_array()
                .map(|cols| cols.iter().map(|c| (strs(&c[0]), strs(&c[1]))).collect())
                .unwrap_or_default(),
            messages: v["messages"].as_array().map(|m| m.iter().map(strs).collect()).unwrap_or_default(),
        };
        all.insert(PathBuf::from(strs(&v["file"])), o);
    }
    all
}

/// Queries whose directives or constructs the analyzer cannot judge the same way.
/// A case opts out with `//! oracle: skip (reason)`.
fn skipped(text: &str) -> bool {
    text.lines().any(|l| l.trim().starts_with("//! oracle: skip"))
}

/// The database a case runs on: the bundled samples for `//! events: samples`
/// (so `union Device*` sees the same tables as the golden run), else none.
fn database(text: &str) -> Arc<Database> {
    if !text.lines().any(|l| l.trim() == "//! events: samples") {
        return Arc::new(Database::default());
    }
    crate::samples()
}

/// The test `oracle::golden_queries_agree_with_kusto_language` over `files`
/// (the golden queries). Where kql-check is not installed it is reported as
/// ignored, except under `CI`, where it fails.
pub fn trial(files: Vec<PathBuf>) -> Trial {
    Trial::ignorable_test("oracle::golden_queries_agree_with_kusto_language", move || {
        let Some(js) = checker() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install kql-check (see .ci/run): the differential test cannot be skipped there"
            );
            return Ok(Completion::ignored_with("kql-check is not installed (run .ci/run once, or set KQL_CHECK_JS)"));
        };
        golden_queries_agree_with_kusto_language(&js, &files);
        Ok(Completion::Completed)
    })
}

fn golden_queries_agree_with_kusto_language(js: &Path, files: &[PathBuf]) {
    let now = kqlhunt::data::time::parse_datetime("2026-11-20T12:00:00Z").expect("time");
    let (mut agreed, mut compared) = (0, 0);
    let mut problems = Vec::new();
    let judged: Vec<PathBuf> =
        files.iter().filter(|f| !skipped(&std::fs::read_to_string(f).unwrap_or_default())).cloned().collect();
    let verdicts = oracle_all(js, &judged);
    for f in &judged {
        let text = std::fs::read_to_string(f).expect("read");
        compared += 1;
        let Some(o) = verdicts.get(f) else {
            problems.push(format!("{}: no verdict from kql-check", f.display()));
            continue;
        };
        let ours = kqlhunt::kql::parse(&text);
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match ours {
            Err(e) if e.kind == ErrorKind::Syntax => {
                if !o.syntax_ok {
                    agreed += 1;
                } else {
                    problems.push(format!("{name}: kqlhunt says syntax error ({}), Kusto accepts", e.message));
                }
            }
            Err(_) => agreed += 1,
            Ok(q) => {
                let mut ev = Evaluator::new(Session::new(database(&text), now));
                match ev.run(&q) {
                    Ok(frame) => {
                        if !o.ok {
                            problems.push(format!("{name}: kqlhunt runs it, Kusto rejects: {:?}", o.messages));
                            continue;
                        }
                        let ours: Vec<(String, String)> =
                            frame.fields().iter().map(|f| (f.name.clone(), f.dtype.name().to_string())).collect();
                        if ours == o.columns {
                            agreed += 1;
                        } else {
                            problems.push(format!(
                                "{name}: columns differ\n  kqlhunt: {ours:?}\n  Kusto:   {:?}",
                                o.columns
                            ));
                        }
                    }
                    Err(e) if e.kind == ErrorKind::Semantic && o.ok => {
                        problems.push(format!("{name}: kqlhunt semantic error ({}), Kusto accepts", e.message));
                    }
                    Err(_) => agreed += 1,
                }
            }
        }
    }
    eprintln!("kql-check agreement: {agreed} of {compared} golden queries");
    assert!(problems.is_empty(), "{} disagreement(s):\n{}", problems.len(), problems.join("\n"));
}
