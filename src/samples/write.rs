//! Writers for the export formats kqlhunt reads: JSON Lines, the Advanced
//! Hunting API response, streaming-API records, and the portal's CSV; any of
//! them optionally gzipped. All stream row by row through a buffer.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use flate2::{Compression, GzBuilder, write::GzEncoder};

use super::clock::{iso, portal};
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
    Gzip(GzEncoder<BufWriter<File>>),
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
    fn create(path: &Path, gzip: bool) -> io::Result<Output> {
        let file = BufWriter::with_capacity(1 << 16, File::create(path)?);
        Ok(if gzip {
            // No file name and mtime 0 in the header, so equal input gives equal bytes.
            Output::Gzip(GzBuilder::new().mtime(0).write(file, Compression::best()))
        } else {
            Output::Plain(file)
        })
    }

    fn close(self) -> io::Result<()> {
        match self {
            Output::Plain(mut w) => w.flush(),
            Output::Gzip(w) => w.finish()?.flush(),
        }
    }
}

/// One output file being written.
pub struct Sink<'l> {
    format: Format,
    layout: &'l Layout,
    out: SinkOut,
    rows: usize,
}

enum SinkOut {
    Json(Output),
    Csv(Box<csv::Writer<Output>>),
}

impl<'l> Sink<'l> {
    /// Creates the file and writes the format's header.
    pub fn create(path: &Path, format: Format, gzip: bool, layout: &'l Layout) -> io::Result<Sink<'l>> {
        let mut output = Output::create(path, gzip)?;
        let out = match format {
            Format::Jsonl | Format::Streaming => {
                if format == Format::Streaming {
                    output.write_all(b"{\"records\":[")?;
                }
                SinkOut::Json(output)
            }
            Format::AhApi => {
                output.write_all(b"{\"Schema\":[")?;
                for (i, f) in layout.fields.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "," };
                    write!(output, "{sep}{{\"Name\":{},\"Type\":\"{}\"}}", json_str(&f.name), api_type(f.dtype))?;
                }
                output.write_all(b"],\"Results\":[")?;
                SinkOut::Json(output)
            }
            Format::PortalCsv => {
                output.write_all("\u{feff}".as_bytes())?;
                let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(output);
                w.write_record(layout.fields.iter().map(|f| f.name.as_str())).map_err(io::Error::other)?;
                SinkOut::Csv(Box::new(w))
            }
        };
        Ok(Sink { format, layout, out, rows: 0 })
    }

    /// Writes one row.
    pub fn write(&mut self, row: &Row) -> io::Result<()> {
        let first = self.rows == 0;
        self.rows += 1;
        match &mut self.out {
            SinkOut::Json(w) => match self.format {
                Format::Jsonl => {
                    write_object(w, self.layout, row)?;
                    w.write_all(b"\n")
                }
                Format::AhApi => {
                    w.write_all(if first { b"\n" } else { b",\n" })?;
                    write_object(w, self.layout, row)
                }
                _ => {
                    w.write_all(if first { b"\n" } else { b",\n" })?;
                    write_record(w, self.layout, row)
                }
            },
            SinkOut::Csv(w) => {
                let layout = self.layout;
                let fields = row.cells.iter().enumerate().map(|(i, c)| csv_text(c, layout.dtype(i)));
                w.write_record(fields).map_err(io::Error::other)
            }
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes the format's footer and flushes everything to disk.
    pub fn finish(self) -> io::Result<()> {
        match self.out {
            SinkOut::Json(mut w) => {
                match self.format {
                    Format::AhApi | Format::Streaming => w.write_all(b"\n]}\n")?,
                    _ => {}
                }
                w.close()
            }
            SinkOut::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string()))?.close(),
        }
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
    }
}

fn json_str(s: &str) -> String {
    // Serialising a &str cannot fail; fall back to an empty string literal anyway.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn write_value(w: &mut impl Write, cell: &Cell) -> io::Result<()> {
    match cell {
        Cell::Null => w.write_all(b"null"),
        Cell::Str(s) => serde_json::to_writer(&mut *w, s.as_ref()).map_err(io::Error::other),
        Cell::Long(n) => write!(w, "{n}"),
        Cell::Int(n) => write!(w, "{n}"),
        Cell::Bool(b) => w.write_all(if *b { b"true" } else { b"false" }),
        Cell::Time(t) => write!(w, "\"{}\"", iso(*t)),
    }
}

/// `{"Column":value,…}` in schema order.
fn write_object(w: &mut impl Write, layout: &Layout, row: &Row) -> io::Result<()> {
    w.write_all(b"{")?;
    for (i, (key, cell)) in layout.json_keys.iter().zip(&row.cells).enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(key)?;
        write_value(w, cell)?;
    }
    w.write_all(b"}")
}

/// One streaming-API record. Its `time` is when Defender published the
/// event, a few seconds after `Timestamp`.
fn write_record(w: &mut impl Write, layout: &Layout, row: &Row) -> io::Result<()> {
    let stamp = layout.position("Timestamp").and_then(|i| row.cells.get(i));
    let report = layout.position("ReportId").and_then(|i| row.cells.get(i));
    let delay = match report {
        Some(Cell::Long(r)) => (r.rem_euclid(90) + 3) * TICKS_PER_SECOND,
        _ => 5 * TICKS_PER_SECOND,
    };
    let time = match stamp {
        Some(Cell::Time(t)) => iso(t + delay),
        _ => String::new(),
    };
    write!(
        w,
        "{{\"time\":\"{time}\",\"tenantId\":\"{TENANT_ID}\",\"operationName\":\"Publish\",\"category\":\"AdvancedHunting-{}\",\"properties\":",
        layout.table
    )?;
    write_object(w, layout, row)?;
    w.write_all(b"}")
}

/// A cell as the portal CSV writes it.
fn csv_text(cell: &Cell, dtype: DataType) -> String {
    match cell {
        Cell::Null if dtype == DataType::DateTime => PORTAL_NULL_DATETIME.to_string(),
        Cell::Null => String::new(),
        Cell::Str(s) => s.to_string(),
        Cell::Long(n) => n.to_string(),
        Cell::Int(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Time(t) => portal(*t),
    }
}
