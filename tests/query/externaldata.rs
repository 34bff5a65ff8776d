//! `externaldata` over a real HTTP server on 127.0.0.1: downloads with
//! `allow_network`, the cache by URL (used offline), `--externaldata DIR`
//! first, and typed errors with the URL's span for HTTP failures.

use std::sync::Arc;

use kqlhunt::data::Database;
use kqlhunt::kql::eval::{Evaluator, Frame, Session};
use kqlhunt::kql::{self, ErrorCode, KqlError};

use super::http::{Reply, Server};

fn session(cache: &std::path::Path, allow_network: bool) -> Session {
    let mut s = Session::new(Arc::new(Database::default()), 0);
    s.allow_network = allow_network;
    s.externaldata_cache = Some(cache.to_path_buf());
    s
}

fn run(s: &Session, src: &str) -> Result<Frame, KqlError> {
    Evaluator::new(s.clone()).run(&kql::parse(src)?)
}

fn column(f: &Frame, col: usize) -> Vec<String> {
    (0..f.len()).map(|r| f.value(r, col).as_str().unwrap_or("<not a string>").to_string()).collect()
}

const CSV: &str = "Sha256,Note\nabc,first\ndef,second\n";

fn query(url: &str) -> String {
    format!("externaldata(Sha256:string, Note:string) [\"{url}\"] with (ignoreFirstRecord=true)")
}

#[test]
fn a_download_is_cached_and_read_back_offline() {
    let server = Server::start(&[("/iocs.csv", Reply::ok(CSV))]);
    let cache = tempfile::tempdir().unwrap();
    let q = query(&server.url("/iocs.csv"));
    let online = run(&session(cache.path(), true), &q).unwrap();
    assert_eq!(column(&online, 0), ["abc", "def"]);
    assert_eq!(column(&online, 1), ["first", "second"]);
    assert_eq!(server.hits(), 1);
    let names: Vec<String> =
        std::fs::read_dir(cache.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(names.iter().any(|n| n.ends_with("-iocs.csv")), "{names:?}");
    let meta = names.iter().find(|n| n.ends_with(".meta.json")).expect("a metadata file");
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(cache.path().join(meta)).unwrap()).unwrap();
    assert_eq!(meta["url"], server.url("/iocs.csv"));
    assert!(meta["fetched"].as_str().is_some_and(|t| t.ends_with('Z')));

    let offline = run(&session(cache.path(), false), &q).unwrap();
    assert_eq!(column(&offline, 0), ["abc", "def"]);
    let fresh = run(&session(cache.path(), true), &q).unwrap();
    assert_eq!(fresh.len(), 2);
    assert_eq!(server.hits(), 1, "a fresh cached copy is not downloaded again");
}

#[test]
fn the_format_follows_the_extension_and_gz_is_decompressed() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"{\"Sha256\":\"abc\",\"Note\":\"x\"}\n{\"Sha256\":\"def\"}\n").unwrap();
    let gz = gz.finish().unwrap();
    let server = Server::start(&[
        ("/list.txt", Reply::ok("one,1\ntwo,2\n")),
        ("/iocs.json.gz", Reply { status: "200 OK", headers: vec![], body: gz, generate: None, delay: None }),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let s = session(cache.path(), true);
    let txt = run(&s, &format!("externaldata(Line:string) [\"{}\"]", server.url("/list.txt"))).unwrap();
    assert_eq!(column(&txt, 0), ["one,1", "two,2"], "a .txt file is one row per line");
    let json =
        run(&s, &format!("externaldata(Sha256:string, Note:string) [\"{}\"]", server.url("/iocs.json.gz"))).unwrap();
    assert_eq!(column(&json, 0), ["abc", "def"]);
    assert_eq!(column(&json, 1), ["x", ""], "a missing key is an empty cell");
}

#[test]
fn http_failures_are_typed_errors_naming_the_url_and_nothing_is_cached() {
    let big = Reply {
        status: "200 OK",
        headers: vec!["Content-Length: 999999999999".into()],
        body: vec![],
        generate: None,
        delay: None,
    };
    let server = Server::start(&[("/big.csv", big)]);
    let cache = tempfile::tempdir().unwrap();
    let s = session(cache.path(), true);
    for (path, expect) in [("/missing.csv", "HTTP 404 Not Found"), ("/big.csv", "larger than 512 MiB")] {
        let url = server.url(path);
        let q = query(&url);
        let e = run(&s, &q).unwrap_err();
        assert_eq!(e.code, ErrorCode::ExternalData, "{e}");
        assert!(e.message.contains(&url) && e.message.contains(expect), "{e}");
        assert_eq!(&q[e.span.start..e.span.end], format!("\"{url}\""), "the span is the URL literal");
    }
    assert_eq!(std::fs::read_dir(cache.path()).map(|d| d.count()).unwrap_or(0), 0, "nothing cached");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gone.csv", closed.local_addr().unwrap());
    drop(closed);
    let e = run(&s, &query(&url)).unwrap_err();
    assert_eq!(e.code, ErrorCode::ExternalData);
    assert!(e.message.contains(&url), "{e}");
}

#[test]
fn offline_without_a_copy_the_error_names_the_url_and_both_flags() {
    let cache = tempfile::tempdir().unwrap();
    let url = "https://intel.example/feeds/bad-hashes.csv";
    let q = query(url);
    let e = run(&session(cache.path(), false), &q).unwrap_err();
    assert_eq!(e.code, ErrorCode::ServiceOnly);
    for part in [url, "--allow-network", "--externaldata DIR", "bad-hashes.csv"] {
        assert!(e.message.contains(part), "{part}: {e}");
    }
    assert_eq!(&q[e.span.start..e.span.end], format!("\"{url}\""));
}

#[test]
fn a_copy_in_the_externaldata_folder_comes_first() {
    let server = Server::start(&[("/iocs.csv", Reply::ok(CSV))]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("iocs.csv"), "Sha256,Note\nlocal,copy\n").unwrap();
    let mut s = session(dir.path(), true);
    s.externaldata_dir = Some(dir.path().to_path_buf());
    let f = run(&s, &query(&server.url("/iocs.csv"))).unwrap();
    assert_eq!(column(&f, 0), ["local"]);
    assert_eq!(server.hits(), 0);
}

#[test]
fn a_slow_download_is_cancelled_by_the_cancel_flag() {
    let server = Server::handle(|_| {
        let mut r = Reply::ok(CSV);
        r.delay = Some(std::time::Duration::from_secs(30));
        r
    });
    let cache = tempfile::tempdir().unwrap();
    let s = session(cache.path(), true);
    let flag = s.cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let start = std::time::Instant::now();
    let err = run(&s, &query(&server.url("/iocs.csv"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled, "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(3), "took {:?}", start.elapsed());
}

/// `with (format=multijson)`: the bare word names the format, and a
/// document that is one JSON array spanning lines gives a row per element
/// (threat-intel APIs answer so).
#[test]
fn multijson_named_by_a_bare_word_reads_an_array_document() {
    let doc = "[\n  {\"Category\": \"driver\", \"Verified\": \"TRUE\"},\n  {\"Category\": \"tool\",\n   \"Verified\": \"FALSE\"}\n]\n";
    let server = Server::start(&[("/api/drivers.json", Reply::ok(doc))]);
    let cache = tempfile::tempdir().unwrap();
    let q = format!(
        "externaldata(Category:string, Verified:string) [h@\"{}\"] with (format=multijson, ingestionMapping='[]')",
        server.url("/api/drivers.json")
    );
    let f = run(&session(cache.path(), true), &q).unwrap();
    assert_eq!(column(&f, 0), ["driver", "tool"]);
    assert_eq!(column(&f, 1), ["TRUE", "FALSE"]);
}
