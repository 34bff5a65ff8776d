//! A tiny HTTP/1.1 server on 127.0.0.1 for `externaldata` tests: it serves
//! fixed responses by path on a background thread and counts the requests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One fixed response: the status line's code and reason, extra headers, the body.
#[derive(Clone)]
pub struct Reply {
    /// `200 OK`, `404 Not Found`, ...
    pub status: &'static str,
    /// Extra header lines, without CRLF.
    pub headers: Vec<String>,
    /// The body (its Content-Length is added unless a header sets one).
    pub body: Vec<u8>,
}

impl Reply {
    /// `200 OK` with `body`.
    pub fn ok(body: &str) -> Reply {
        Reply { status: "200 OK", headers: vec![], body: body.as_bytes().to_vec() }
    }
}

/// A running server: its base URL and how many requests it answered.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    hits: Arc<AtomicUsize>,
}

impl Server {
    /// Serves `routes` (path → reply; anything else is 404) until the test ends.
    pub fn start(routes: &[(&str, Reply)]) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let routes: HashMap<String, Reply> = routes.iter().map(|(p, r)| (p.to_string(), r.clone())).collect();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let reply = routes.get(&path).cloned().unwrap_or(Reply {
                    status: "404 Not Found",
                    headers: vec![],
                    body: b"not found".to_vec(),
                });
                let mut head = format!("HTTP/1.1 {}\r\nConnection: close\r\n", reply.status);
                if !reply.headers.iter().any(|h| h.to_ascii_lowercase().starts_with("content-length")) {
                    head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
                }
                for h in &reply.headers {
                    head.push_str(h);
                    head.push_str("\r\n");
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&reply.body);
            }
        });
        Server { base, hits }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
