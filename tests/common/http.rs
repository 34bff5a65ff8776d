//! A tiny HTTP/1.1 server on 127.0.0.1 for tests of `externaldata` and the
//! remote sources: fixed responses by path, or a handler that sees each
//! request (method, path, headers, body) and answers it — after a delay, or
//! with a body generated while it is sent. It records every request.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Writes a generated body to the connection.
pub type Generate = Arc<dyn Fn(&mut dyn Write) -> std::io::Result<()> + Send + Sync>;

/// One response: the status line's code and reason, extra headers, the body.
#[derive(Clone)]
pub struct Reply {
    /// `200 OK`, `404 Not Found`, ...
    pub status: &'static str,
    /// Extra header lines, without CRLF.
    pub headers: Vec<String>,
    /// The body (its Content-Length is added unless a header sets one).
    pub body: Vec<u8>,
    /// A body written while it is sent, instead of `body` (sent until the
    /// connection closes, with no Content-Length).
    pub generate: Option<Generate>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
}

impl Reply {
    /// `200 OK` with `body`.
    pub fn ok(body: &str) -> Reply {
        Reply::status("200 OK", body)
    }

    /// `status` with `body`.
    pub fn status(status: &'static str, body: &str) -> Reply {
        Reply { status, headers: vec![], body: body.as_bytes().to_vec(), generate: None, delay: None }
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`.
    pub method: String,
    /// The path (with its query string).
    pub path: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A header's value by name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A running server: its base URL and what it was asked.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Serves `routes` (path → reply; anything else is 404) until the test ends.
    pub fn start(routes: &[(&str, Reply)]) -> Server {
        let routes: HashMap<String, Reply> = routes.iter().map(|(p, r)| (p.to_string(), r.clone())).collect();
        Server::handle(move |req| {
            routes.get(&req.path).cloned().unwrap_or_else(|| Reply::status("404 Not Found", "not found"))
        })
    }

    /// Answers every request with `handler`, each connection on its own thread.
    pub fn handle(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let hits = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (counter, log, handler) = (hits.clone(), requests.clone(), Arc::new(handler));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (counter, log, handler) = (counter.clone(), log.clone(), handler.clone());
                std::thread::spawn(move || {
                    let Some(req) = read_request(&stream) else { return };
                    counter.fetch_add(1, Ordering::SeqCst);
                    log.lock().expect("log").push(req.clone());
                    let reply = handler(&req);
                    if let Some(d) = reply.delay {
                        std::thread::sleep(d);
                    }
                    write_reply(stream, &reply);
                });
            }
        });
        Server { base, hits, requests }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("log").clone()
    }
}

fn read_request(stream: &std::net::TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? <= 2 {
            break;
        }
        if let Some((n, v)) = line.trim_end().split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = vec![0; len.unwrap_or(0)];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers, body })
}

fn write_reply(mut stream: std::net::TcpStream, reply: &Reply) {
    let mut head = format!("HTTP/1.1 {}\r\nConnection: close\r\n", reply.status);
    let sets_length = reply.headers.iter().any(|h| h.to_ascii_lowercase().starts_with("content-length"));
    if reply.generate.is_none() && !sets_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    for h in &reply.headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    match &reply.generate {
        Some(g) => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut stream);
            let _ = g(&mut w);
            let _ = w.flush();
        }
        None => {
            let _ = stream.write_all(&reply.body);
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
}
