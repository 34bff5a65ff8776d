//! JSON Lines: the input is read in large chunks cut at line ends. The main
//! thread reads chunks (or maps them, for a large plain file: see
//! [`super::mapped`]) and hands them to one parser thread per core, each
//! into a sibling router; finished chunks are merged in file order, so rows
//! keep their order while reading, parsing and merging overlap.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Mutex, mpsc};

use super::detect::UTF8_BOM;
use super::flat::FlatScanner;
use super::json::{JsonText, describe_error};
use super::mapped::MappedFile;
use super::router::Router;

/// Bytes read per chunk (a chunk grows when one line is longer).
const CHUNK: usize = 16 << 20;

/// The first chunk, parsed before the others start: it decides the file's
/// table, so it is kept small to get the parser threads going soon.
const FIRST_CHUNK: usize = 256 << 10;

/// Most bytes one read may add to the buffer.
const FILL_STEP: usize = 1 << 20;

/// Chunks parsed or waiting to be merged, per parser thread.
const IN_FLIGHT_PER_WORKER: usize = 2;

/// Loads JSON Lines from `mapped` when given (the same file as `reader`,
/// from its first byte), else from `reader`; calls `tick` after every chunk
/// with the input's bytes parsed so far.
pub(crate) fn load_json_lines(
    router: &mut Router,
    reader: &mut dyn Read,
    mapped: Option<MappedFile>,
    tick: &mut dyn FnMut(u64),
) {
    let mut chunks = Chunks { reader, mapped, carry: Vec::new(), spare: Vec::new(), end: None, next_start: 0 };
    let mut next_line = 1;
    // The first chunk decides the file's table on this thread, so the
    // parser threads' siblings agree on it.
    if let Some(first) = chunks.next(FIRST_CHUNK, router) {
        next_line += parse_lines(router, first.lines(), first.start, 1, true);
        tick(first.end());
        chunks.recycle(first);
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers > 1 {
        parse_in_parallel(router, &mut chunks, &mut next_line, workers, tick);
    } else {
        while let Some(chunk) = chunks.next(CHUNK, router) {
            next_line += parse_lines(router, chunk.lines(), chunk.start, next_line, false);
            tick(chunk.end());
            chunks.recycle(chunk);
        }
    }
    chunks.finish(router, next_line);
}

/// A run of whole lines: the first `len` bytes of a buffer or a mapped
/// window.
struct Chunk {
    bytes: ChunkBytes,
    len: usize,
    /// Byte offset of its first byte in the input.
    start: u64,
}

/// Where a chunk's bytes are.
enum ChunkBytes {
    /// Read into a buffer (reused once the chunk is merged).
    Read(Vec<u8>),
    /// A window of the file, mapped (unmapped once the chunk is merged).
    Mapped(memmap2::Mmap),
}

impl Chunk {
    fn lines(&self) -> &[u8] {
        let bytes = match &self.bytes {
            ChunkBytes::Read(buf) => buf.as_slice(),
            ChunkBytes::Mapped(map) => map,
        };
        bytes.get(..self.len).unwrap_or_default()
    }

    /// Byte offset in the input just past its last byte.
    fn end(&self) -> u64 {
        self.start + self.len as u64
    }
}

/// Cuts the input into chunks of whole lines.
struct Chunks<'r> {
    reader: &'r mut dyn Read,
    /// The same input mapped, when it is read that way (`reader` is unused).
    mapped: Option<MappedFile>,
    /// The start of a line the last chunk did not finish.
    carry: Vec<u8>,
    /// Buffers of chunks already parsed, for reuse: a fresh buffer costs a
    /// page fault per page, more than reading into it, and a used one needs
    /// no zeroing.
    spare: Vec<Vec<u8>>,
    /// Why reading ended, once it did.
    end: Option<End>,
    /// Byte offset in the input of the next chunk (of `carry`'s first byte).
    next_start: u64,
}

/// Why reading ended.
enum End {
    /// At the end of the input.
    Clean,
    /// A read failed: the rest of the file is lost.
    ReadError(String),
    /// A line did not fit the memory budget.
    TooLong(String),
}

impl Chunks<'_> {
    /// The next chunk of about `size` bytes, or `None` at the end (or when
    /// the load is over its memory budget).
    fn next(&mut self, size: usize, router: &Router) -> Option<Chunk> {
        if self.end.is_some() || router.over_budget() {
            return None;
        }
        if self.mapped.is_some() {
            return self.next_mapped(size, router);
        }
        // A buffer's length is the part ever written: reused, it is not zeroed again.
        let mut buf = self.spare.pop().unwrap_or_default();
        let mut filled = self.carry.len();
        if buf.len() < filled {
            buf.resize(filled, 0);
        }
        buf[..filled].copy_from_slice(&self.carry);
        let mut want = size.max(filled + FILL_STEP);
        loop {
            let (eof, error) = fill(self.reader, &mut buf, &mut filled, want);
            let complete = if eof && error.is_none() {
                filled
            } else {
                memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1)
            };
            if eof {
                self.end = Some(match error {
                    Some(e) => End::ReadError(format!("read error: {e}; the rest of the file is lost")),
                    None => End::Clean,
                });
            }
            if complete == 0 && !eof {
                // No line end in a full buffer: one line longer than a chunk.
                match longer_chunk(filled, router) {
                    Ok(more) => want = more,
                    Err(end) => {
                        self.end = Some(end);
                        return None;
                    }
                }
                continue;
            }
            self.carry.clear();
            self.carry.extend_from_slice(&buf[complete..filled]);
            if complete == 0 {
                self.spare.push(buf);
                return None;
            }
            let start = self.next_start;
            self.next_start += complete as u64;
            return Some(Chunk { bytes: ChunkBytes::Read(buf), len: complete, start });
        }
    }

    /// [`Chunks::next`] of a mapped input: a window from the next line's
    /// start to the last line end within `size` bytes (or the file's end).
    fn next_mapped(&mut self, size: usize, router: &Router) -> Option<Chunk> {
        let mapped = self.mapped.as_ref()?;
        let start = self.next_start;
        let mut want = size;
        loop {
            let map = match mapped.window(start, want) {
                Ok(Some(map)) => map,
                Ok(None) => {
                    self.end = Some(End::Clean);
                    return None;
                }
                Err(e) => {
                    self.end = Some(End::ReadError(format!("read error: {e}; the rest of the file is lost")));
                    return None;
                }
            };
            let at_end = start + map.len() as u64 >= mapped.len();
            let complete = if at_end { map.len() } else { memchr::memrchr(b'\n', &map).map_or(0, |i| i + 1) };
            if complete == 0 {
                // One line longer than the window.
                match longer_chunk(map.len(), router) {
                    Ok(more) => want = more,
                    Err(end) => {
                        self.end = Some(end);
                        return None;
                    }
                }
                continue;
            }
            self.next_start += complete as u64;
            if at_end {
                self.end = Some(End::Clean);
            }
            return Some(Chunk { bytes: ChunkBytes::Mapped(map), len: complete, start });
        }
    }

    /// Takes back the buffer of a parsed chunk (a mapped one is unmapped).
    fn recycle(&mut self, chunk: Chunk) {
        if let ChunkBytes::Read(buf) = chunk.bytes {
            self.spare.push(buf);
        }
    }

    /// Reports a read error, after every chunk before it was merged
    /// (`next_line`: the line after the last one parsed). Rows decoded
    /// before the error are kept; a partial last line is not a row.
    fn finish(self, router: &mut Router, next_line: u64) {
        match self.end {
            Some(End::ReadError(message)) if self.carry.trim_ascii().is_empty() => {
                router.final_problem(Some(next_line), message, false);
            }
            Some(End::ReadError(message) | End::TooLong(message)) => {
                router.final_problem(Some(next_line), message, true)
            }
            Some(End::Clean) | None => {}
        }
    }
}

/// The size to try next when `len` bytes hold no line end (one line longer
/// than a chunk): twice as much, when the memory budget allows it; else why
/// reading ends (the budget then holds what was asked, so the load stops).
fn longer_chunk(len: usize, router: &Router) -> Result<usize, End> {
    let want = len.saturating_mul(2);
    if want as u64 > router.budget().remaining() {
        router.budget().hold(want as u64);
        let mib = len >> 20;
        return Err(End::TooLong(format!("a line longer than {mib} MiB does not fit the memory budget")));
    }
    Ok(want)
}

/// A chunk parsed by a parser thread, its lines numbered from 1
/// (`router`: `None` when the thread panicked).
struct Parsed {
    index: usize,
    router: Option<Router>,
    lines: u64,
    chunk: Chunk,
}

/// Reads chunks here while `workers` threads parse them; merges each into
/// `router` in file order as soon as all before it are merged. Line numbers
/// are known only then, so a chunk's problems are renumbered as it is merged.
fn parse_in_parallel(
    router: &mut Router,
    chunks: &mut Chunks,
    next_line: &mut u64,
    workers: usize,
    tick: &mut dyn FnMut(u64),
) {
    let (job_tx, job_rx) = mpsc::channel::<(usize, Router, Chunk)>();
    let (done_tx, done_rx) = mpsc::channel::<Parsed>();
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            scope.spawn(move || parser_thread(job_rx, done_tx));
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let (mut sent, mut merged) = (0, 0);
        loop {
            while sent - merged < workers * IN_FLIGHT_PER_WORKER {
                let Some(chunk) = chunks.next(CHUNK, router) else { break };
                if job_tx.send((sent, router.sibling(), chunk)).is_err() {
                    break;
                }
                sent += 1;
            }
            if sent == merged {
                break;
            }
            let Ok(parsed) = done_rx.recv() else { break };
            pending.insert(parsed.index, parsed);
            while let Some(Parsed { router: sibling, lines, chunk, .. }) = pending.remove(&merged) {
                *next_line += match sibling {
                    Some(sibling) => {
                        router.absorb(sibling, *next_line - 1);
                        lines
                    }
                    // A panic in a parser thread is a bug; parse its chunk here instead of losing it.
                    None => parse_lines(router, chunk.lines(), chunk.start, *next_line, false),
                };
                tick(chunk.end());
                chunks.recycle(chunk);
                merged += 1;
            }
        }
        // Closing the queue ends the parser threads.
        drop(job_tx);
    });
}

fn parser_thread(jobs: &Mutex<mpsc::Receiver<(usize, Router, Chunk)>>, done: mpsc::Sender<Parsed>) {
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((index, mut sibling, chunk)) = job else { return };
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let lines = parse_lines(&mut sibling, chunk.lines(), chunk.start, 1, false);
            (sibling, lines)
        }));
        let (router, lines) = match parsed {
            Ok((sibling, lines)) => (Some(sibling), lines),
            Err(_) => (None, 0),
        };
        if done.send(Parsed { index, router, lines, chunk }).is_err() {
            return;
        }
    }
}

/// Reads until `buf` holds `want` bytes (`filled` of them are already
/// there), the input ends, or a read fails.
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, filled: &mut usize, want: usize) -> (bool, Option<std::io::Error>) {
    while *filled < want {
        // Grow by at most a read's worth, so a small file does not zero a whole chunk.
        let end = want.min(*filled + FILL_STEP);
        if buf.len() < end {
            buf.resize(end, 0);
        }
        match reader.read(&mut buf[*filled..end]) {
            Ok(0) => return (true, None),
            Ok(n) => *filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (true, Some(e)),
        }
    }
    (false, None)
}

/// Parses every line of `chunk`, the first being line `first_line` (the
/// file's first line when `file_start`: it may start with a BOM) at byte
/// `chunk_start` of the input; returns the number of lines.
fn parse_lines(router: &mut Router, chunk: &[u8], chunk_start: u64, first_line: u64, file_start: bool) -> u64 {
    let places = router.places_rows();
    let mut line_no = first_line;
    let mut flat = FlatScanner::default();
    // memchr finds line ends several times faster than a byte-wise split.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', chunk).map(|e| e + 1).chain((!chunk.is_empty()).then_some(chunk.len()));
    for end in ends {
        if end <= start {
            continue;
        }
        if router.over_budget() {
            break;
        }
        let line = &chunk[start..end];
        if places {
            router.place_line(chunk_start + start as u64, end - start);
        }
        let line = if file_start && line_no == first_line { line.strip_prefix(UTF8_BOM).unwrap_or(line) } else { line };
        parse_line(router, &mut flat, line_no, line);
        line_no += 1;
        start = end;
    }
    line_no - first_line
}

/// Parses one line: one JSON value (an event, or a document on one line).
pub(crate) fn parse_line<'a>(router: &mut Router, flat: &mut FlatScanner<'a>, line_no: u64, line: &'a [u8]) {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.trim_ascii().is_empty() {
        return;
    }
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => return router.skip_row(line_no, format!("invalid UTF-8 at column {}", e.valid_up_to() + 1)),
    };
    if flat.scan(text) {
        return router.route_flat(line_no, flat.may_name_table(), flat.fields());
    }
    if flat.scan_record(text) {
        return router.route_record(line_no, flat.category(), flat.may_name_table(), flat.fields());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = JsonText::new(router, text, line_no, &[]).parse_value(&mut de);
    match parsed.and_then(|row| de.end().map(|()| row)) {
        Ok(Some(row)) => router.route(line_no, row),
        Ok(None) => {}
        Err(e) => router.skip_row(line_no, describe_error(&e)),
    }
}
