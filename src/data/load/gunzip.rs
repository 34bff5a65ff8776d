//! gzip input: decompressed inline (input held by the caller) or on a
//! thread of its own a few blocks ahead of the parser (files), with errors
//! that name the byte of the compressed file where the data went bad.

use std::io::{self, BufReader, Read};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use super::counting::{Consumed, Counting};

/// A gzip stream whose errors say what they mean for the user ("incomplete
/// deflate stream" is a truncated download) and where in the compressed
/// file the data went bad.
pub(crate) struct Gunzip<R> {
    pub(crate) decoder: flate2::bufread::MultiGzDecoder<BufReader<Counting<R>>>,
    pub(crate) consumed: Consumed,
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.decoder.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::Interrupted => e,
            kind => {
                // Read from the file, less what is still buffered: what the decoder took.
                let at = self.consumed.get().saturating_sub(self.decoder.get_ref().buffer().len() as u64);
                io::Error::new(
                    kind,
                    format!("truncated or corrupt gzip data at byte {at} of the compressed file ({e})"),
                )
            }
        })
    }
}

/// Decompressed bytes handed over per block.
const INFLATE_BLOCK: usize = 1 << 20;

/// Blocks decompressed ahead of the reader.
const INFLATE_AHEAD: usize = 4;

/// What the decompression thread sends.
enum Inflated {
    /// The first `len` bytes of a buffer.
    Data(Vec<u8>, usize),
    /// The stream went bad after the data before this.
    Failed(io::Error),
    /// The end of the stream.
    End,
}

/// A gzip stream decompressed on its own thread, a few blocks ahead of its
/// reader, so inflating runs beside parsing instead of before it.
pub(crate) struct Inflating {
    blocks: Option<Receiver<Inflated>>,
    spare: Sender<Vec<u8>>,
    block: Vec<u8>,
    len: usize,
    at: usize,
    ended: bool,
    thread: Option<JoinHandle<()>>,
}

impl Inflating {
    pub(crate) fn start<R: Read + Send + 'static>(gunzip: Gunzip<R>) -> io::Result<Inflating> {
        let (block_tx, block_rx) = sync_channel(INFLATE_AHEAD);
        let (spare_tx, spare_rx) = channel();
        let thread = std::thread::Builder::new()
            .name("gunzip".to_string())
            .spawn(move || inflate(gunzip, &block_tx, &spare_rx))?;
        Ok(Inflating {
            blocks: Some(block_rx),
            spare: spare_tx,
            block: Vec::new(),
            len: 0,
            at: 0,
            ended: false,
            thread: Some(thread),
        })
    }
}

/// The decompression thread: fills blocks until the stream ends or fails,
/// or the reader is gone.
fn inflate<R: Read>(mut gunzip: Gunzip<R>, blocks: &SyncSender<Inflated>, spare: &Receiver<Vec<u8>>) {
    loop {
        // A used buffer is full length already: no zeroing, no page faults.
        let mut block = spare.try_recv().unwrap_or_default();
        if block.len() < INFLATE_BLOCK {
            block.resize(INFLATE_BLOCK, 0);
        }
        let mut filled = 0;
        let mut failure = None;
        while filled < INFLATE_BLOCK {
            match gunzip.read(&mut block[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let end = filled < INFLATE_BLOCK;
        if filled > 0 && blocks.send(Inflated::Data(block, filled)).is_err() {
            return;
        }
        if end {
            let _ = blocks.send(failure.map_or(Inflated::End, Inflated::Failed));
            return;
        }
    }
}

impl Read for Inflating {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.len {
            let Some(blocks) = self.blocks.as_ref().filter(|_| !self.ended) else { return Ok(0) };
            match blocks.recv() {
                Ok(Inflated::Data(block, len)) => {
                    let used = std::mem::replace(&mut self.block, block);
                    if !used.is_empty() {
                        // The thread may have finished: then the buffer is just freed.
                        let _ = self.spare.send(used);
                    }
                    (self.len, self.at) = (len, 0);
                }
                Ok(Inflated::Failed(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                Ok(Inflated::End) => self.ended = true,
                Err(_) => {
                    self.ended = true;
                    return Err(io::Error::other("the gzip decompression thread stopped unexpectedly"));
                }
            }
        }
        let n = buf.len().min(self.len - self.at);
        buf[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl Drop for Inflating {
    fn drop(&mut self) {
        // Closing the channel stops the thread at its next block.
        self.blocks = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
