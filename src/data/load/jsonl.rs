//! JSON Lines: the input is read in large chunks cut at line ends; each
//! chunk's lines are parsed on both cores (two halves, the second into a
//! sibling router merged after the first, so rows keep file order).

use std::io::Read;

use super::detect::UTF8_BOM;
use super::json::{JsonText, describe_error};
use super::router::Router;

/// Bytes read per chunk (a chunk grows when one line is longer).
const CHUNK: usize = 16 << 20;

/// Most bytes one read may add to the buffer.
const FILL_STEP: usize = 1 << 20;

/// Chunks smaller than this are parsed on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// Loads JSON Lines from `reader`, calling `tick` after every chunk.
pub(crate) fn load_json_lines(router: &mut Router, reader: &mut dyn Read, tick: &mut dyn FnMut()) {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
    let mut want = CHUNK;
    let mut next_line: u64 = 1;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    loop {
        let (eof, error) = fill(reader, &mut buf, want);
        let complete =
            if eof && error.is_none() { buf.len() } else { memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1) };
        let chunk = &buf[..complete];
        // The first chunk decides the file's table on one thread, so the
        // parallel halves of later chunks agree on it.
        let lines = if workers > 1 && next_line > 1 && chunk.len() >= PARALLEL_MIN {
            parse_halves(router, chunk, next_line)
        } else {
            parse_lines(router, chunk, next_line)
        };
        next_line += lines;
        buf.drain(..complete);
        tick();
        if let Some(e) = error {
            // Rows decoded before the error are kept; a partial last line is not a row.
            let message = format!("read error: {e}; the rest of the file is lost");
            if buf.trim_ascii().is_empty() {
                router.problem(Some(next_line), message);
            } else {
                router.skip_row(next_line, message);
            }
            return;
        }
        if eof || router.over_budget() {
            return;
        }
        // No line end in a full buffer: one line longer than a chunk.
        want = if complete == 0 { buf.len().saturating_mul(2) } else { CHUNK };
        if want as u64 > router.budget().remaining() {
            router.budget().hold(want as u64);
            return router.skip_row(
                next_line,
                format!("a line longer than {} MiB does not fit the memory budget", buf.len() >> 20),
            );
        }
    }
}

/// Reads until `buf` holds `want` bytes, the input ends, or a read fails.
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> (bool, Option<std::io::Error>) {
    while buf.len() < want {
        let start = buf.len();
        // Grow by at most a read's worth, so a small file does not zero a whole chunk.
        buf.resize(want.min(start + FILL_STEP), 0);
        match reader.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return (true, None);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return (true, Some(e));
            }
        }
    }
    (false, None)
}

/// Parses the chunk as two halves on two threads; returns its line count.
fn parse_halves(router: &mut Router, chunk: &[u8], first_line: u64) -> u64 {
    let middle = memchr::memchr(b'\n', &chunk[chunk.len() / 2..]).map_or(chunk.len(), |i| chunk.len() / 2 + i + 1);
    let (front, back) = chunk.split_at(middle);
    let front_lines = line_count(front);
    let mut sibling = router.sibling();
    let back_lines = std::thread::scope(|scope| {
        let back_worker = scope.spawn(|| parse_lines(&mut sibling, back, first_line + front_lines));
        parse_lines(router, front, first_line);
        back_worker.join()
    });
    match back_lines {
        Ok(n) => {
            router.absorb(sibling);
            front_lines + n
        }
        // A panic in the worker is a bug; parse its half here instead of losing it.
        Err(_) => front_lines + parse_lines(router, back, first_line + front_lines),
    }
}

fn line_count(chunk: &[u8]) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', chunk).count() as u64;
    newlines + u64::from(!chunk.is_empty() && !chunk.ends_with(b"\n"))
}

/// Parses every line of `chunk`, the first being line `first_line`; returns
/// the number of lines.
fn parse_lines(router: &mut Router, chunk: &[u8], first_line: u64) -> u64 {
    let mut line_no = first_line;
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
        parse_line(router, line_no, &chunk[start..end]);
        line_no += 1;
        start = end;
    }
    line_no - first_line
}

/// Parses one line: one JSON value (an event, or a document on one line).
pub(crate) fn parse_line(router: &mut Router, line_no: u64, line: &[u8]) {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = if line_no == 1 { line.strip_prefix(UTF8_BOM).unwrap_or(line) } else { line };
    if line.trim_ascii().is_empty() {
        return;
    }
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => return router.skip_row(line_no, format!("invalid UTF-8 at column {}", e.valid_up_to() + 1)),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = JsonText::new(router, text, line_no, &[]).parse_value(&mut de);
    match parsed.and_then(|row| de.end().map(|()| row)) {
        Ok(Some(row)) => router.route(line_no, row),
        Ok(None) => {}
        Err(e) => router.skip_row(line_no, describe_error(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_with_and_without_final_newline() {
        assert_eq!(line_count(b"a\nb\n"), 2);
        assert_eq!(line_count(b"a\nb"), 2);
        assert_eq!(line_count(b""), 0);
    }
}
