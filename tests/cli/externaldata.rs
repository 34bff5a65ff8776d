//! `kqlhunt query` with `externaldata` against a real HTTP server on
//! 127.0.0.1: `--allow-network` downloads and caches under
//! `$XDG_CACHE_HOME` (a temp folder here, never the real home), a later
//! offline run reads the cache, and failures exit 2 naming the URL.

use assert_cmd::Command;
use predicates::prelude::*;

use super::http::{Reply, Server};

fn kqlhunt(cache: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("kqlhunt").expect("binary");
    c.env("XDG_CACHE_HOME", cache).env_remove("NO_COLOR");
    c
}

fn query(url: &str) -> String {
    format!("externaldata(Sha256:string, Note:string) [\"{url}\"] with (format=\"csv\", ignoreFirstRecord=true)")
}

#[test]
fn allow_network_downloads_then_offline_reads_the_cache() {
    let server = Server::start(&[("/feed/iocs.csv", Reply::ok("Sha256,Note\nabc,first\ndef,second\n"))]);
    let cache = tempfile::tempdir().unwrap();
    let q = query(&server.url("/feed/iocs.csv"));
    let online = kqlhunt(cache.path()).args(["query", "--allow-network", "--format", "csv", &q]).output().unwrap();
    assert_eq!(online.status.code(), Some(0), "{}", String::from_utf8_lossy(&online.stderr));
    let rows = String::from_utf8_lossy(&online.stdout).into_owned();
    assert!(rows.contains("abc,first") && rows.contains("def,second"), "{rows}");
    let folder = cache.path().join("kqlhunt").join("externaldata");
    assert!(std::fs::read_dir(&folder).unwrap().count() >= 2, "data and metadata cached in {}", folder.display());

    let offline = kqlhunt(cache.path()).args(["query", "--format", "csv", &q]).output().unwrap();
    assert_eq!(offline.status.code(), Some(0), "{}", String::from_utf8_lossy(&offline.stderr));
    assert_eq!(String::from_utf8_lossy(&offline.stdout), rows, "the same rows, from the cache");
    assert_eq!(server.hits(), 1);
}

#[test]
fn a_404_exits_2_naming_the_url_and_status() {
    let server = Server::start(&[]);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed/missing.csv");
    kqlhunt(cache.path())
        .args(["query", "--allow-network", &query(&url)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("externaldata: {url}: HTTP 404 Not Found")))
        .stderr(predicate::str::contains("^^^^"));
    assert!(!cache.path().join("kqlhunt").join("externaldata").read_dir().is_ok_and(|mut d| d.next().is_some()));
}

#[test]
fn without_flags_or_cache_the_error_names_the_url_and_both_flags() {
    let cache = tempfile::tempdir().unwrap();
    let url = "https://intel.example/feeds/bad-hashes.csv";
    kqlhunt(cache.path())
        .args(["query", &query(url)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("externaldata would download {url}")))
        .stderr(predicate::str::contains("--allow-network"))
        .stderr(predicate::str::contains("--externaldata DIR"))
        .stderr(predicate::str::contains("^^^^"));
}

#[test]
fn a_failed_download_falls_back_to_a_stale_cache_with_a_warning() {
    let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let flag = up.clone();
    let server = Server::handle(move |_| {
        if flag.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::ok("Sha256,Note\nabc,first\n")
        } else {
            Reply::status("503 Service Unavailable", "down")
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let q = query(&server.url("/feed/iocs.csv"));
    kqlhunt(cache.path()).args(["query", "--allow-network", "--format", "csv", &q]).assert().code(0);
    // Make the cached copy older than its freshness, then take the server down.
    let folder = cache.path().join("kqlhunt").join("externaldata");
    for f in std::fs::read_dir(&folder).unwrap().flatten() {
        let ok = std::process::Command::new("touch").args(["-d", "3 hours ago"]).arg(f.path()).status().unwrap();
        assert!(ok.success());
    }
    up.store(false, std::sync::atomic::Ordering::SeqCst);
    let out = kqlhunt(cache.path()).args(["query", "--allow-network", "--format", "csv", &q]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("abc,first"));
    assert!(
        stderr.contains("HTTP 503 Service Unavailable (download failed); using the cached copy from 3 h ago"),
        "{stderr}"
    );
    assert_eq!(server.hits(), 2, "the stale copy was not used without asking the server first");
}
