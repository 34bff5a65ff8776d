//! Writers for the export formats kqlhunt reads: JSON Lines, the Advanced
//! Hunting API response, streaming-API records, and the portal's CSV; any of
//! them optionally gzipped. All stream row by row through a buffer.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::clock::{push_iso, push_portal};
use super::gzip::GzWriter;
use super::row::{Cell, Layout, Row};
use crate::data::time::PORTAL_NULL_DATETIME;
use crate::data::{DataType, TICKS_PER_SECOND};

/// The tenant id streaming records carry (a fixed, fictitious tenant).
pub const TENANT_ID: &str = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// `{"Schema":[{"Name","Type"}],"Results":[…]}`.
    AhApi,
    /// `{"records":[{"time","tenantId","operationName","category","properties"}]}`.
    Streaming,
    /// The Defender portal's CSV: UTF-8 BOM, CRLF, display-form timestamps.
    PortalCsv,
}

impl Format {
    /// The value of `kqlhunt samples --format` that writes this format.
    pub fn flag(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::AhApi => "api",
            Format::Streaming => "streaming",
            Format::PortalCsv => "csv",
        }
    }

    /// A short human description, for the README.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines (one event object per line)",
            Format::AhApi => "Advanced Hunting API response (`Schema` + `Results`)",
            Format::Streaming => "Defender streaming-API records (`records[].properties`)",
            Format::PortalCsv => "Defender portal CSV export (UTF-8 BOM, CRLF, `Nov 20, 2026 2:41:10 PM` times)",
        }
    }
}

/// A file, plain or gzipped.
enum Output {
    Plain(BufWriter<File>),
    Gzip(GzWriter<BufWriter<File>>),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(w) => w.write(buf),
            Output::Gzip(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.flush(),
            Output::Gzip(w) => w.flush(),
        }
    }
}

impl Output {
    fn create(path: &Path, gzip: Option<u8>) -> io::Result<Output> {
        let file = BufWriter::with_capacity(1 << 16, File::create(path)?);
        Ok(match gzip {
            Some(level) => Output::Gzip(GzWriter::new(file, level)?),
            None => Output::Plain(file),
        })
    }

    fn close(self) -> io::Result<()> {
        match self {
            Output::Plain(mut w) => w.flush(),
            Output::Gzip(w) => w.finish()?.flush(),
        }
    }
}

/// One output file being written: the format's header at creation, then
/// rows as bytes [`RowFormat`] made, then the footer.
pub struct Sink {
    format: Format,
    out: Output,
    rows: usize,
}

impl Sink {
    /// Creates the file (gzipped at level `gzip`, 0–9, if any) and writes the format's header.
    pub fn create(path: &Path, format: Format, gzip: Option<u8>, layout: &Layout) -> io::Result<Sink> {
        let mut out = Output::create(path, gzip)?;
        match format {
            Format::Jsonl => {}
            Format::Streaming => out.write_all(b"{\"records\":[")?,
            Format::AhApi => {
                let mut header = b"{\"Schema\":[".to_vec();
                for (i, f) in layout.fields.iter().enumerate() {
                    if i > 0 {
                        header.push(b',');
                    }
                    header.extend_from_slice(b"{\"Name\":");
                    push_json_str(&mut header, &f.name);
                    header.extend_from_slice(b",\"Type\":\"");
                    header.extend_from_slice(api_type(f.dtype).as_bytes());
                    header.extend_from_slice(b"\"}");
                }
                header.extend_from_slice(b"],\"Results\":[");
                out.write_all(&header)?;
            }
            Format::PortalCsv => {
                out.write_all("\u{feff}".as_bytes())?;
                let mut w = csv_writer(Vec::new());
                w.write_record(layout.fields.iter().map(|f| f.name.as_str())).map_err(io::Error::other)?;
                out.write_all(&w.into_inner().map_err(|e| io::Error::other(e.to_string()))?)?;
            }
        }
        Ok(Sink { format, out, rows: 0 })
    }

    /// Writes `rows` rows that a [`RowFormat`] of this file's format made.
    pub fn write_rows(&mut self, bytes: &[u8], rows: usize) -> io::Result<()> {
        // Document formats put ",\n" before every row; the file's first has no comma.
        let bytes = match self.format {
            Format::AhApi | Format::Streaming if self.rows == 0 => bytes.get(1..).unwrap_or_default(),
            _ => bytes,
        };
        self.rows += rows;
        self.out.write_all(bytes)
    }

    /// The file's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes the format's footer and flushes everything to disk.
    pub fn finish(mut self) -> io::Result<()> {
        if matches!(self.format, Format::AhApi | Format::Streaming) {
            self.out.write_all(b"\n]}\n")?;
        }
        self.out.close()
    }
}

/// Turns rows into one format's bytes, into a buffer reused between
/// batches: numbers, times and strings are written in place, with no
/// allocation per field, so threads can format batches while another writes.
pub struct RowFormat<'l> {
    format: Format,
    layout: &'l Layout,
    /// Positions of the columns a streaming record's envelope needs.
    timestamp: Option<usize>,
    report_id: Option<usize>,
    out: Vec<u8>,
    csv: Option<csv::Writer<Vec<u8>>>,
    field: Vec<u8>,
}

impl<'l> RowFormat<'l> {
    /// A formatter of `format` rows of `layout`.
    pub fn new(format: Format, layout: &'l Layout) -> RowFormat<'l> {
        let csv = (format == Format::PortalCsv).then(|| csv_writer(Vec::new()));
        RowFormat {
            format,
            layout,
            timestamp: layout.position("Timestamp"),
            report_id: layout.position("ReportId"),
            out: Vec::new(),
            csv,
            field: Vec::new(),
        }
    }

    /// Appends one row. The document formats' rows each start with ",\n"
    /// (see [`Sink::write_rows`]).
    pub fn push(&mut self, row: &Row) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                write_object(&mut self.out, self.layout, row);
                self.out.push(b'\n');
            }
            Format::AhApi => {
                self.out.extend_from_slice(b",\n");
                write_object(&mut self.out, self.layout, row);
            }
            Format::Streaming => {
                self.out.extend_from_slice(b",\n");
                self.write_record(row);
            }
            Format::PortalCsv => {
                if let Some(w) = &mut self.csv {
                    for (i, cell) in row.cells.iter().enumerate() {
                        self.field.clear();
                        csv_text(&mut self.field, cell, self.layout.dtype(i));
                        w.write_field(&self.field).map_err(io::Error::other)?;
                    }
                    w.write_record(None::<&[u8]>).map_err(io::Error::other)?;
                }
            }
        }
        Ok(())
    }

    /// The bytes of the rows pushed since the last call; the buffer is
    /// handed back with [`RowFormat::recycle`].
    pub fn take(&mut self) -> io::Result<Vec<u8>> {
        let spare = std::mem::take(&mut self.out);
        match self.csv.take() {
            Some(w) => {
                let bytes = w.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
                self.csv = Some(csv_writer(spare));
                Ok(bytes)
            }
            None => Ok(spare),
        }
    }

    /// Reuses a buffer [`RowFormat::take`] returned (its capacity, not its bytes).
    pub fn recycle(&mut self, mut buffer: Vec<u8>) {
        // A CSV formatter's next buffer waits in `out` until the next take.
        if self.out.is_empty() && self.out.capacity() < buffer.capacity() {
            buffer.clear();
            self.out = buffer;
        }
    }

    /// One streaming-API record. Its `time` is when Defender published the
    /// event, a few seconds after `Timestamp`.
    fn write_record(&mut self, row: &Row) {
        let stamp = self.timestamp.and_then(|i| row.cells.get(i));
        let report = self.report_id.and_then(|i| row.cells.get(i));
        let delay = match report {
            Some(Cell::Long(r)) => (r.rem_euclid(90) + 3) * TICKS_PER_SECOND,
            _ => 5 * TICKS_PER_SECOND,
        };
        let w = &mut self.out;
        w.extend_from_slice(b"{\"time\":\"");
        if let Some(Cell::Time(t)) = stamp {
            push_iso(w, t + delay);
        }
        w.extend_from_slice(b"\",\"tenantId\":\"");
        w.extend_from_slice(TENANT_ID.as_bytes());
        w.extend_from_slice(b"\",\"operationName\":\"Publish\",\"category\":\"AdvancedHunting-");
        w.extend_from_slice(self.layout.table.as_bytes());
        w.extend_from_slice(b"\",\"properties\":");
        write_object(w, self.layout, row);
        w.push(b'}');
    }
}

/// The .NET type name the Advanced Hunting API reports for a column.
pub fn api_type(dtype: DataType) -> &'static str {
    match dtype {
        DataType::Bool => "Boolean",
        DataType::Int => "Int32",
        DataType::Long => "Int64",
        DataType::Real => "Double",
        DataType::DateTime => "DateTime",
        DataType::Timespan => "TimeSpan",
        DataType::String | DataType::Guid => "String",
        DataType::Dynamic => "Object",
        DataType::Decimal => "Decimal",
    }
}

/// Appends `s` as a JSON string literal, escaped exactly as serde_json
/// escapes it (`\"`, `\\`, `\b\t\n\f\r`, other control bytes as `\u00xx`).
fn push_json_str(w: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    w.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        let b = bytes[i];
        let mut unicode = *b"\\u0000";
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0C => b"\\f",
            b'\r' => b"\\r",
            _ => {
                unicode[4] = HEX[usize::from(b >> 4)];
                unicode[5] = HEX[usize::from(b & 0xF)];
                &unicode
            }
        };
        w.extend_from_slice(&bytes[start..i]);
        w.extend_from_slice(escape);
        start = i + 1;
    }
    w.extend_from_slice(&bytes[start..]);
    w.push(b'"');
}

/// The offset of the first byte at or after `from` that JSON escapes (`"`,
/// `\`, a control byte), testing 8 bytes at a time: a zero byte of
/// `x ^ splat(c)` is a `c`, a byte below 0x20 borrows in `x - splat(0x20)`,
/// and the lowest flagged byte is exact.
fn next_escape(b: &[u8], from: usize) -> Option<usize> {
    const fn splat(c: u8) -> u64 {
        u64::from_ne_bytes([c; 8])
    }
    const HIGH: u64 = splat(0x80);
    let below = |x: u64, n: u8| x.wrapping_sub(splat(n)) & !x & HIGH;
    let mut at = from;
    while let Some(word) = b.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*word);
        let hits = below(x ^ splat(b'"'), 1) | below(x ^ splat(b'\\'), 1) | below(x, 0x20);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = b.get(at..)?;
    rest.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\').map(|i| at + i)
}

fn write_value(w: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Null => w.extend_from_slice(b"null"),
        Cell::Str(s) => push_json_str(w, s),
        Cell::Shared(s) => push_json_str(w, s),
        Cell::Long(n) => w.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Cell::Int(n) => w.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Cell::Bool(b) => w.extend_from_slice(if *b { b"true" } else { b"false" }),
        Cell::Time(t) => {
            w.push(b'"');
            push_iso(w, *t);
            w.push(b'"');
        }
    }
}

/// `{"Column":value,…}` in schema order.
fn write_object(w: &mut Vec<u8>, layout: &Layout, row: &Row) {
    w.push(b'{');
    for (i, (key, cell)) in layout.json_keys.iter().zip(&row.cells).enumerate() {
        if i > 0 {
            w.push(b',');
        }
        w.extend_from_slice(key);
        write_value(w, cell);
    }
    w.push(b'}');
}

/// The portal's CSV dialect (CRLF line ends, quotes only where needed), into `buffer`.
fn csv_writer(buffer: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(buffer)
}

/// A cell as the portal CSV writes it.
fn csv_text(w: &mut Vec<u8>, cell: &Cell, dtype: DataType) {
    match cell {
        Cell::Null if dtype == DataType::DateTime => w.extend_from_slice(PORTAL_NULL_DATETIME.as_bytes()),
        Cell::Null => {}
        Cell::Str(s) => w.extend_from_slice(s.as_bytes()),
        Cell::Shared(s) => w.extend_from_slice(s.as_bytes()),
        Cell::Long(n) => w.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Cell::Int(n) => w.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Cell::Bool(b) => w.extend_from_slice(if *b { b"true" } else { b"false" }),
        Cell::Time(t) => push_portal(w, *t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é\u{2028}\u{fffd}😀 \\\"");
        for s in [all.as_str(), "", "plain", "\"", "a\\b", "\u{7f}\u{0}"] {
            let mut ours = Vec::new();
            push_json_str(&mut ours, s);
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn escapes_are_found_at_every_offset_of_a_word() {
        for special in ["\"", "\\", "\n", "\u{1f}", "\u{0}"] {
            for len in 0..20 {
                for at in 0..=len {
                    let s = format!("{}{special}{}", "é".repeat(at / 2) + &"a".repeat(at % 2), "z".repeat(len - at));
                    let mut ours = Vec::new();
                    push_json_str(&mut ours, &s);
                    assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&s).unwrap());
                }
            }
        }
    }
}
