//! `--source`: a real HTTP server on 127.0.0.1 speaks each documented
//! protocol (Defender Advanced Hunting API, Log Analytics, ADX v2 frames),
//! answering each rule's query by running it locally through the library
//! over the bundled samples. `kqlhunt run --source ...` must then give the
//! same rules, devices and counts as `kqlhunt run` on the files; plus the
//! request bodies and headers, the failures, throttling, a capped result,
//! the saved results reopened offline, and a slow request cancelled.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use kqlhunt::data::column::value_to_json;
use kqlhunt::data::{DataType, latest_timestamp};
use kqlhunt::kql::eval::{Session, Staged};
use serde_json::{Value as J, json};

use super::http::{Reply, Request, Server};

const TOKEN: &str = "tok-3e1f-secret";

/// The bundled samples, with the clock the local run pins to them.
fn samples() -> &'static Session {
    static S: OnceLock<Session> = OnceLock::new();
    S.get_or_init(|| {
        let events =
            kqlhunt::session::load_events(&Default::default(), kqlhunt::session::LoadFor::Query(""), &mut |_| {})
                .expect("samples");
        let now = latest_timestamp(&events.db).expect("timestamps");
        Session::new(events.db.clone(), now)
    })
}

/// A result: column (name, type) and rows of JSON values.
type Answer = (Vec<(String, DataType)>, Vec<Vec<J>>);

/// Runs `q` over the samples.
fn answer(q: &str) -> Result<Answer, String> {
    let mut staged = Staged::prepare(samples(), q).map_err(|e| e.to_string())?;
    let frame = staged.run_to(usize::MAX).map_err(|e| e.to_string())?;
    let cols: Vec<(String, DataType)> = frame.fields().into_iter().map(|f| (f.name, f.dtype)).collect();
    let rows = (0..frame.len()).map(|r| (0..cols.len()).map(|c| value_to_json(&frame.value(r, c))).collect()).collect();
    Ok((cols, rows))
}

fn ah_type(t: DataType) -> &'static str {
    match t {
        DataType::Bool => "Boolean",
        DataType::Int => "Int32",
        DataType::Long => "Int64",
        DataType::Real => "Double",
        DataType::DateTime => "DateTime",
        DataType::Timespan => "TimeSpan",
        DataType::Guid => "Guid",
        DataType::Dynamic => "Object",
        DataType::String => "String",
        DataType::Decimal => "Decimal",
    }
}

/// The body of each protocol for `q`'s result.
fn defender_body(q: &str) -> String {
    let (cols, rows) = answer(q).expect("query runs");
    let schema: Vec<J> = cols.iter().map(|(n, t)| json!({"Name": n, "Type": ah_type(*t)})).collect();
    let results: Vec<J> = rows
        .iter()
        .map(|r| J::Object(cols.iter().zip(r).map(|((n, _), v)| (n.clone(), v.clone())).collect()))
        .collect();
    json!({"Stats": {"ExecutionTime": 0.1}, "Schema": schema, "Results": results}).to_string()
}

fn sentinel_body(q: &str) -> String {
    let (cols, rows) = answer(q).expect("query runs");
    let columns: Vec<J> = cols.iter().map(|(n, t)| json!({"name": n, "type": t.name()})).collect();
    json!({"tables": [{"name": "PrimaryResult", "columns": columns, "rows": rows}]}).to_string()
}

fn adx_body(q: &str) -> String {
    let (cols, rows) = answer(q).expect("query runs");
    let columns: Vec<J> = cols.iter().map(|(n, t)| json!({"ColumnName": n, "ColumnType": t.name()})).collect();
    json!([
        {"FrameType": "DataSetHeader", "IsProgressive": false, "Version": "v2.0"},
        {"FrameType": "DataTable", "TableId": 0, "TableKind": "QueryProperties", "TableName": "@ExtendedProperties",
         "Columns": [{"ColumnName": "TableId", "ColumnType": "int"}], "Rows": [[1]]},
        {"FrameType": "DataTable", "TableId": 1, "TableKind": "PrimaryResult", "TableName": "PrimaryResult",
         "Columns": columns, "Rows": rows},
        {"FrameType": "DataTable", "TableId": 2, "TableKind": "QueryCompletionInformation", "TableName": "QueryCompletionInformation",
         "Columns": [{"ColumnName": "Level", "ColumnType": "int"}], "Rows": [[4]]},
        {"FrameType": "DataSetCompletion", "HasErrors": false, "Cancelled": false}
    ])
    .to_string()
}

/// The query a request carries, by protocol.
fn query_of(req: &Request) -> String {
    let b = req.json();
    ["Query", "query", "csl"].iter().find_map(|k| b.get(*k).and_then(J::as_str)).unwrap_or("").to_string()
}

fn kqlhunt(cache: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("kqlhunt").expect("binary");
    cmd.env("XDG_CACHE_HOME", cache).env("KQLHUNT_TOKEN", TOKEN).env_remove("HOME");
    cmd
}

/// `run --format json`, reduced to what must match: rules and totals.
fn report(out: &[u8]) -> J {
    let mut v: J = serde_json::from_slice(out).expect("json");
    if let Some(rules) = v.get_mut("rules").and_then(J::as_array_mut) {
        for r in rules {
            if let Some(o) = r.as_object_mut() {
                o.remove("source");
                o.remove("capped_at");
            }
        }
    }
    json!({"rules": v["rules"], "totals": v["totals"]})
}

fn local_report() -> J {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = kqlhunt(tmp.path()).args(["run", "--format", "json"]).output().expect("run");
    report(&out.stdout)
}

/// Serves `body_of` for every query, checking the request as it goes.
fn service(path_ok: impl Fn(&str) -> bool + Send + Sync + 'static, body_of: fn(&str) -> String) -> Server {
    Server::handle(move |req| {
        let authorized = req.header("authorization") == Some(&format!("Bearer {TOKEN}"));
        let json = req.header("content-type").is_some_and(|c| c.starts_with("application/json"));
        if req.method != "POST" || !path_ok(&req.path) || !authorized || !json {
            return Reply::status("400 Bad Request", r#"{"error":{"code":"BadRequest","message":"bad request"}}"#);
        }
        Reply::ok(&body_of(&query_of(req)))
    })
}

fn same_as_local(source: &str, server: &Server, extra: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let saved = tmp.path().join("saved");
    let out = kqlhunt(tmp.path())
        .args(["run", "--format", "json", "--source", source, "--endpoint", &server.base, "--save-remote"])
        .arg(&saved)
        .args(extra)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let remote = report(&out.stdout);
    assert_eq!(remote, local_report(), "remote and local runs differ");
    assert!(remote["totals"]["hits_before"].as_u64().unwrap_or(0) > 0, "{remote}");
    // One request per rule; none carries the hit point's summarize.
    let reqs = server.requests();
    assert_eq!(reqs.len(), remote["rules"].as_array().map(Vec::len).unwrap_or(0));
    for r in &reqs {
        let q = query_of(r);
        assert!(q.contains("| where") && !q.contains("summarize"), "{q}");
    }
    // The token is in no output and no saved file.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
    for f in std::fs::read_dir(&saved).expect("saved").flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap_or_default();
        assert!(!text.contains(TOKEN), "{}", f.path().display());
    }
    // The saved folder reopens offline with the same answer.
    let offline = kqlhunt(tmp.path()).args(["run", "--format", "json", "--events"]).arg(&saved).output().expect("run");
    assert_eq!(offline.status.code(), Some(0), "{}", String::from_utf8_lossy(&offline.stderr));
    assert_eq!(report(&offline.stdout), remote);
    tmp
}

#[test]
fn defender_gives_the_same_rules_devices_and_counts_as_local_files() {
    let server = service(|p| p == "/api/advancedhunting/run", defender_body);
    same_as_local("defender", &server, &[]);
    let body = server.requests()[0].json();
    assert!(body.get("Query").is_some() && body.as_object().map(|o| o.len()) == Some(1), "{body}");
}

#[test]
fn log_analytics_gives_the_same_answer_and_sends_the_timespan() {
    let server = service(|p| p == "/v1/workspaces/ws-1/query", sentinel_body);
    same_as_local("sentinel:ws-1", &server, &[]);
    assert!(server.requests()[0].json().get("timespan").is_none(), "no queryPeriod, no timespan");

    // A rule with its own queryPeriod sends it as the timespan.
    let tmp = tempfile::tempdir().expect("tmp");
    let rule = std::fs::read_to_string("rules/remote-management-and-monitoring-tool-mremoteng-create-process.yaml")
        .expect("rule");
    std::fs::write(tmp.path().join("r.yaml"), format!("queryPeriod: 5d\n{rule}")).expect("write");
    let server = service(|p| p == "/v1/workspaces/ws-1/query", sentinel_body);
    kqlhunt(tmp.path())
        .args(["run", "--source", "sentinel:ws-1", "--endpoint", &server.base, "--rules"])
        .arg(tmp.path().join("r.yaml"))
        .assert()
        .code(predicates::ord::lt(2));
    assert_eq!(server.requests()[0].json()["timespan"], "P5D");
}

#[test]
fn adx_gives_the_same_answer_with_v2_frames() {
    let server = service(|p| p == "/v2/rest/query", adx_body);
    same_as_local("adx:https://hunt.westeurope.kusto.windows.net/Security", &server, &[]);
    let body = server.requests()[0].json();
    assert_eq!(body["db"], "Security");
    assert!(body["properties"].is_object(), "{body}");
    assert_eq!(server.requests()[0].header("x-ms-app"), Some("kqlhunt"));
}

fn fails_with(reply: Reply, wanted: &[&str]) {
    let tmp = tempfile::tempdir().expect("tmp");
    let server = Server::handle(move |_| reply.clone());
    let out = kqlhunt(tmp.path())
        .args(["run", "--source", "defender", "--endpoint", &server.base, "--rule", "mRemoteNG"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for w in wanted {
        assert!(stderr.contains(w), "wanted {w:?} in {stderr}");
    }
    assert!(!stderr.contains(TOKEN));
}

#[test]
fn auth_and_server_failures_say_what_to_do() {
    fails_with(
        Reply::status("401 Unauthorized", ""),
        &["401", "az account get-access-token --resource https://api.security.microsoft.com"],
    );
    fails_with(Reply::status("403 Forbidden", "{}"), &["403", "AdvancedHunting.Read.All"]);
    fails_with(
        Reply::status("500 Internal Server Error", r#"{"error":{"code":"InternalError","message":"boom"}}"#),
        &["HTTP 500", "boom"],
    );
}

#[test]
fn a_bad_query_fails_that_rule_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let server = Server::handle(|req| {
        if query_of(req).contains("mRemoteNG") {
            Reply::status(
                "400 Bad Request",
                r#"{"error":{"code":"BadRequest","message":"Query execution has exceeded the allowed limits"}}"#,
            )
        } else {
            Reply::ok(&defender_body(&query_of(req)))
        }
    });
    let out =
        kqlhunt(tmp.path()).args(["run", "--source", "defender", "--endpoint", &server.base]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("exceeded the allowed limits"), "{stdout}");
    assert!(stdout.contains("ConnectWise") || stdout.contains("hits"), "{stdout}");
}

#[test]
fn throttling_waits_for_retry_after_and_says_so() {
    let tmp = tempfile::tempdir().expect("tmp");
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = calls.clone();
    let server = Server::handle(move |req| {
        if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            let mut r =
                Reply::status("429 Too Many Requests", r#"{"error":{"code":"TooManyRequests","message":"quota"}}"#);
            r.headers.push("Retry-After: 1".into());
            return r;
        }
        Reply::ok(&defender_body(&query_of(req)))
    });
    let start = Instant::now();
    let out = kqlhunt(tmp.path())
        .args(["run", "--source", "defender", "--endpoint", &server.base, "--rule", "mRemoteNG"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c < 2), "{stderr}");
    assert!(stderr.contains("throttled (HTTP 429); waiting 1 s"), "{stderr}");
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn a_capped_result_is_flagged_in_the_table_and_the_json() {
    let tmp = tempfile::tempdir().expect("tmp");
    // The Defender API returns at most 100,000 rows and says nothing: that many is a cap.
    let server = Server::handle(|_| {
        let mut body = String::from(
            r#"{"Schema":[{"Name":"DeviceId","Type":"String"},{"Name":"DeviceName","Type":"String"}],"Results":["#,
        );
        for i in 0..100_000 {
            body.push_str(if i == 0 { "" } else { "," });
            body.push_str(&format!(r#"{{"DeviceId":"d{}","DeviceName":"h{}"}}"#, i % 7, i % 7));
        }
        body.push_str("]}");
        Reply::ok(&body)
    });
    let args = ["run", "--source", "defender", "--endpoint", &server.base, "--rule", "mRemoteNG"];
    let out = kqlhunt(tmp.path()).args(args).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("capped at 100000 rows by defender"), "{stdout}");
    let out = kqlhunt(tmp.path()).args(args).args(["--format", "json"]).output().expect("run");
    let v: J = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["rules"][0]["capped_at"], 100_000);
    assert_eq!(v["rules"][0]["hits_before"], 100_000);
}

#[test]
fn ctrl_c_stops_a_slow_request_promptly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let server = Server::handle(|_| {
        let mut r = Reply::ok("{}");
        r.delay = Some(Duration::from_secs(30));
        r
    });
    let bin = assert_cmd::cargo::cargo_bin("kqlhunt");
    let mut child = std::process::Command::new(bin)
        .args(["run", "--source", "defender", "--endpoint", &server.base, "--rule", "mRemoteNG"])
        .env("XDG_CACHE_HOME", tmp.path())
        .env("KQLHUNT_TOKEN", TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while server.hits() == 0 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = Instant::now();
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(sent.elapsed() < Duration::from_secs(5), "still running 5 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
}

#[test]
fn bad_sources_and_missing_tokens_are_clear() {
    let tmp = tempfile::tempdir().expect("tmp");
    kqlhunt(tmp.path())
        .args(["run", "--source", "adx:cluster-without-scheme/db"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("adx:CLUSTER_URL/DATABASE"));
    kqlhunt(tmp.path())
        .args(["run", "--source", "defender", "--endpoint", "http://127.0.0.1:9"])
        .env_remove("KQLHUNT_TOKEN")
        .env("PATH", tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("KQLHUNT_TOKEN"));
    kqlhunt(tmp.path())
        .args(["run", "--source", "defender", "--events", "samples"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--source runs the rules remotely"));
}
