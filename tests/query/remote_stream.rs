//! The remote client over a real HTTP server on 127.0.0.1: a 200 MB
//! Advanced Hunting response is streamed row by row with bounded memory,
//! and a slow response is cancelled at once by the cancel flag.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kqlhunt::data::remote::{Client, RemoteError, Request, Service, Token};

use super::http::{Reply, Server};

const BODY_BYTES: u64 = 200 << 20;

fn token() -> Token {
    Token::new("t".into())
}

/// This process's resident memory, in bytes (Linux).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    kib * 1024
}

/// A writer that counts bytes and keeps none.
struct Count(Arc<AtomicU64>);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_200_mb_response_streams_with_bounded_memory() {
    let rows = Arc::new(AtomicU64::new(0));
    let sent = rows.clone();
    let mut reply = Reply::ok("");
    reply.generate = Some(Arc::new(move |w| {
        w.write_all(
            br#"{"Stats":{},"Schema":[{"Name":"DeviceId","Type":"String"},{"Name":"Pad","Type":"String"}],"Results":["#,
        )?;
        let pad = "x".repeat(200);
        let mut written = 0u64;
        let mut i = 0u64;
        while written < BODY_BYTES {
            let row = format!(r#"{}{{"DeviceId":"d{i}","Pad":"{pad}"}}"#, if i == 0 { "" } else { "," });
            w.write_all(row.as_bytes())?;
            written += row.len() as u64;
            i += 1;
        }
        sent.store(i, Ordering::Relaxed);
        w.write_all(b"]}")
    }));
    let server = Server::handle(move |_| reply.clone());
    let cancel = Arc::new(AtomicBool::new(false));
    let client = Client::new(Service::Defender, Some(server.base.clone()), token(), cancel);

    let before = rss();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let (p, d) = (peak.clone(), done.clone());
    let sampler = std::thread::spawn(move || {
        while !d.load(Ordering::Relaxed) {
            p.fetch_max(rss(), Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let out = Arc::new(AtomicU64::new(0));
    let got =
        client.run(&Request { query: "T".into(), ..Default::default() }, Box::new(Count(out.clone())), &mut |_| {});
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let got = got.expect("streamed");
    assert_eq!(got.rows as u64, rows.load(Ordering::Relaxed));
    assert!(out.load(Ordering::Relaxed) >= BODY_BYTES, "the rows were written out");
    let growth = peak.load(Ordering::Relaxed).saturating_sub(before);
    // Held whole, the body alone would be 200 MB; streamed, it is a row and some buffers.
    assert!(growth < 64 << 20, "memory grew by {} MiB while streaming 200 MiB", growth >> 20);
}

#[test]
fn a_slow_response_is_cancelled_at_once() {
    let server = Server::handle(|_| {
        let mut r = Reply::ok(r#"{"Schema":[],"Results":[]}"#);
        r.delay = Some(Duration::from_secs(30));
        r
    });
    let cancel = Arc::new(AtomicBool::new(false));
    let client = Client::new(Service::Defender, Some(server.base.clone()), token(), cancel.clone());
    let flag = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        flag.store(true, Ordering::Relaxed);
    });
    let start = Instant::now();
    let got = client.run(&Request { query: "T".into(), ..Default::default() }, Box::new(std::io::sink()), &mut |_| {});
    assert!(matches!(got, Err(RemoteError::Cancelled)), "{got:?}");
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
}
