//! The one HTTP stack (ureq with rustls): the agent every download and
//! remote query uses, failures in words, and running a blocking request on
//! a worker thread so a cancel flag (Esc, Ctrl-C) stops the wait at once
//! rather than at the next timeout.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How often a waiting caller looks at its cancel flag.
const POLL: Duration = Duration::from_millis(50);

/// An agent with a connect timeout, an optional overall timeout and an
/// optional wait for the response head, that reports HTTP error statuses as
/// responses (the caller classifies them).
pub fn agent(connect: Duration, global: Option<Duration>, head: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(connect))
        .timeout_global(global)
        .timeout_recv_response(head)
        .http_status_as_error(false)
        .user_agent(concat!("kqlhunt/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A transport failure in words, for an error message.
pub fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        other => other.to_string(),
    }
}

/// Whether `e` is the error a [`CancelReader`] returns once cancelled.
pub fn is_cancel(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Interrupted && e.get_ref().is_some_and(|inner| inner.is::<Cancelled>())
}

/// The marker inside the I/O error of a cancelled read.
#[derive(Debug, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// A reader that fails with [`Cancelled`] once `cancel` is set, checked
/// before every read, so a long body stops at its next chunk.
pub struct CancelReader<R> {
    inner: R,
    cancel: Arc<AtomicBool>,
}

impl<R: Read> CancelReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, cancel: Arc<AtomicBool>) -> CancelReader<R> {
        CancelReader { inner, cancel }
    }
}

impl<R: Read> Read for CancelReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, Cancelled));
        }
        self.inner.read(buf)
    }
}

/// Runs `work` on a worker thread and waits for it, calling `on_message`
/// with each message the work sends, until it returns or `cancel` is set.
/// `Err(Cancelled)` when cancelled: the worker is left to notice the flag
/// (its reads are [`CancelReader`]s) or its timeout, and its result is dropped.
pub fn run_cancellable<T, M>(
    cancel: &Arc<AtomicBool>,
    on_message: &mut dyn FnMut(M),
    work: impl FnOnce(mpsc::Sender<M>) -> T + Send + 'static,
) -> Result<T, Cancelled>
where
    T: Send + 'static,
    M: Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    let (msg_tx, msg_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(work(msg_tx));
    });
    loop {
        while let Ok(m) = msg_rx.try_recv() {
            on_message(m);
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        match done_rx.recv_timeout(POLL) {
            Ok(result) => {
                while let Ok(m) = msg_rx.try_recv() {
                    on_message(m);
                }
                return Ok(result);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // The worker panicked: report it as cancelled rather than hang.
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(Cancelled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_wait_returns_at_once() {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let start = std::time::Instant::now();
        let r = run_cancellable(&cancel, &mut |()| flag.store(true, Ordering::Relaxed), |tx| {
            let _ = tx.send(());
            std::thread::sleep(Duration::from_secs(5));
        });
        assert!(r.is_err());
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_cancel_reader_stops() {
        let cancel = Arc::new(AtomicBool::new(true));
        let mut r = CancelReader::new(&b"abc"[..], cancel);
        let e = r.read(&mut [0u8; 4]).unwrap_err();
        assert!(is_cancel(&e));
    }
}
