//! CSV with a header row: the Defender portal export (UTF-8 BOM, CRLF) and
//! the Log Analytics export (`Timestamp [UTC]` headers, US time forms).
//! Quoted fields may span lines; cells are text typed by their column.
//!
//! The input is read in chunks cut at record ends (found by following the
//! csv crate's own quoting rules), and the chunks after the first are
//! parsed on the parser threads, each with its own csv reader, and merged
//! in order. Line numbers count every line before a chunk, as one reader
//! over the whole file counts them.

use std::borrow::Cow;
use std::io::Read;

use super::budget::Budget;
use super::convert::Raw;
use super::detect::normalize_header;
use super::parallel::route_in_parallel;
use super::router::{Router, StagedRow};

/// Bytes read per chunk (a chunk grows when one record is longer).
const CHUNK: usize = 4 << 20;

/// The first chunk, read on this thread: it holds the header.
const FIRST_CHUNK: usize = 256 << 10;

/// Whole records, and the line of the first.
struct Chunk {
    bytes: Vec<u8>,
    /// Lines before the chunk.
    lines_before: u64,
}

/// Loads CSV from `reader`, calling `tick` after every chunk.
pub(crate) fn load_csv(router: &mut Router, reader: &mut dyn Read, tick: &mut dyn FnMut()) {
    let budget = router.budget().share();
    let mut chunks = Chunks { reader, budget, carry: Vec::new(), lines: 0, end: None };
    let Some(first) = chunks.next(FIRST_CHUNK) else { return chunks.finish(router) };
    let mut csv = csv_reader(&first.bytes);
    let mut record = csv::ByteRecord::new();
    let header: Vec<String> = match csv.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(|h| normalize_header(&String::from_utf8_lossy(h)).to_string()).collect(),
        Ok(false) => return chunks.finish(router),
        Err(e) => return router.problem(Some(1), format!("cannot read the header row: {e}")),
    };
    let after_header = (csv.position().byte() as usize).min(first.bytes.len());
    let rest = Chunk { bytes: first.bytes[after_header..].to_vec(), lines_before: csv.position().line() - 1 };
    route_records(router, &header, &rest);
    tick();
    let route = |router: &mut Router, _: &mut (), chunk: &Chunk| route_records(router, &header, chunk);
    route_in_parallel(router, &|| (), &route, |push| {
        while let Some(chunk) = chunks.next(CHUNK) {
            let bytes = chunk.bytes.len();
            let more = push(chunk, bytes);
            tick();
            if !more {
                break;
            }
        }
    });
    chunks.finish(router);
}

/// A csv reader of the portal's and Log Analytics' dialect over `bytes`.
fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes)
}

/// Routes the records of a chunk.
fn route_records(router: &mut Router, header: &[String], chunk: &Chunk) {
    let mut csv = csv_reader(&chunk.bytes);
    let mut record = csv::ByteRecord::new();
    while !router.over_budget() {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Reading bytes from memory fails only on a bug; say where, and go on.
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) + chunk.lines_before;
                router.problem(Some(line), format!("read error: {e}; the rest of the chunk is lost"));
                break;
            }
        }
        let line = record.position().map_or(0, |p| record_line(&chunk.bytes, p)) + chunk.lines_before;
        match stage(header, &record) {
            Ok(row) => router.route(line, row),
            Err(reason) => router.skip_row(line, reason),
        }
    }
}

/// The line a record starts on. The csv crate's position is where its read
/// began: before the `\n` of the last record's CRLF and any blank lines,
/// which the record's own line does not include.
fn record_line(bytes: &[u8], position: &csv::Position) -> u64 {
    let start = bytes.get(position.byte() as usize..).unwrap_or_default();
    let skipped = start.iter().take_while(|&&b| b == b'\r' || b == b'\n').filter(|&&b| b == b'\n').count();
    position.line() + skipped as u64
}

/// The fields of one record, named by the header.
fn stage<'a>(header: &'a [String], record: &'a csv::ByteRecord) -> Result<StagedRow<'a>, String> {
    if record.len() != header.len() {
        return Err(format!("expected {} fields (as in the header), found {}", header.len(), record.len()));
    }
    let mut fields = Vec::with_capacity(header.len());
    for (name, cell) in header.iter().zip(record.iter()) {
        let text = std::str::from_utf8(cell)
            .map_err(|e| format!("invalid UTF-8 in column {name} at byte {}", e.valid_up_to() + 1))?;
        fields.push((Cow::Borrowed(name.as_str()), Raw::Str(Cow::Borrowed(text))));
    }
    Ok(StagedRow { fields, ..StagedRow::default() })
}

/// Cuts the input into chunks of whole records.
struct Chunks<'r> {
    reader: &'r mut dyn Read,
    budget: Budget,
    /// The start of a record the last chunk did not finish.
    carry: Vec<u8>,
    /// Lines (`\n`) in the chunks so far.
    lines: u64,
    /// Why reading ended, once it did: `None` inside when at the end of the input.
    end: Option<Option<String>>,
}

impl Chunks<'_> {
    /// The next chunk of about `size` bytes, or `None` at the end (or when
    /// the load is over its memory budget).
    fn next(&mut self, size: usize) -> Option<Chunk> {
        if self.end.is_some() || self.budget.exceeded() {
            return None;
        }
        let mut buf = std::mem::take(&mut self.carry);
        let mut want = size.max(buf.len() + FILL_STEP);
        loop {
            let error = fill(self.reader, &mut buf, want);
            let eof = error.is_some() || buf.len() < want;
            let complete = match &error {
                None if eof => buf.len(),
                _ => last_record_end(&buf).unwrap_or(0),
            };
            if eof {
                self.end = Some(error.map(|e| format!("read error: {e}; the rest of the file is lost")));
            }
            if complete == 0 && !eof {
                // No record end in a full buffer: one record longer than a chunk.
                want = buf.len().saturating_mul(2);
                if want as u64 > self.budget.remaining() {
                    self.budget.hold(want as u64);
                    self.end = Some(Some(format!(
                        "a record longer than {} MiB does not fit the memory budget",
                        buf.len() >> 20
                    )));
                    return None;
                }
                continue;
            }
            self.carry = buf.split_off(complete);
            if buf.is_empty() {
                return None;
            }
            let lines_before = self.lines;
            self.lines += memchr::memchr_iter(b'\n', &buf).count() as u64;
            return Some(Chunk { bytes: buf, lines_before });
        }
    }

    /// Reports why reading ended early, after every chunk before it.
    fn finish(self, router: &mut Router) {
        if let Some(Some(message)) = self.end {
            router.final_problem(Some(self.lines + 1), message, !self.carry.trim_ascii().is_empty());
        }
    }
}

/// Most bytes one read may add to a buffer.
const FILL_STEP: usize = 1 << 20;

/// Reads until `buf` holds `want` bytes or the input ends, or a read fails (returned).
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> Option<std::io::Error> {
    while buf.len() < want {
        let filled = buf.len();
        buf.resize(want.min(filled + FILL_STEP), 0);
        match reader.read(&mut buf[filled..]) {
            Ok(0) => {
                buf.truncate(filled);
                return None;
            }
            Ok(n) => buf.truncate(filled + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(filled),
            Err(e) => {
                buf.truncate(filled);
                return Some(e);
            }
        }
    }
    None
}

/// The end of the last whole record of `b`, which starts at a record's
/// start: the csv crate's quoting rules (a quote opens a quoted field only
/// at a field's start; `""` inside is a quote; after the closing quote the
/// field goes on unquoted) decide which line ends end a record.
fn last_record_end(b: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut last = None;
    loop {
        if b.get(at) == Some(&b'"') {
            at += 1;
            loop {
                let Some(quote) = memchr::memchr(b'"', b.get(at..)?).map(|i| at + i) else { return last };
                match b.get(quote + 1) {
                    Some(b'"') => at = quote + 2,
                    Some(_) => {
                        at = quote + 1;
                        break;
                    }
                    // The next byte decides: wait for it.
                    None => return last,
                }
            }
        }
        let Some(end) = b.get(at..).and_then(|rest| memchr::memchr3(b',', b'\r', b'\n', rest)) else { return last };
        let end = at + end;
        if b[end] == b'\n' {
            last = Some(end + 1);
        }
        at = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_on_the_line_of_its_first_byte() {
        let bytes = b"h\r\na\r\n\r\n\nb\n";
        let mut csv = csv_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            lines.push(record_line(bytes, record.position().unwrap()));
        }
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn records_end_only_at_line_ends_outside_quotes() {
        assert_eq!(last_record_end(b"a,b\r\nc,d\r\ne"), Some(10));
        assert_eq!(last_record_end(b"a,\"x\ny\",b\nc"), Some(10));
        // `""` is a quote inside a quoted field; a quote inside an unquoted field is text.
        assert_eq!(last_record_end(b"\"a\"\"\n\",b\nc"), Some(9));
        assert_eq!(last_record_end(b"a\"b,\"m\nn\",c\nd"), Some(12));
        assert_eq!(last_record_end(b"\"open\nquote"), None);
        assert_eq!(last_record_end(b"\"ends\""), None);
        assert_eq!(last_record_end(b"no end"), None);
    }
}
