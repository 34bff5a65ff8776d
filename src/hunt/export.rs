//! Writing a table to a file as CSV or JSON, shared by the faces: the same
//! value formatting as `kqlhunt query --format csv|json`, and never over an
//! existing file unless the caller says so.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::data::Value;
use crate::data::column::value_to_json;
use crate::data::time::format_datetime;
use crate::kql::eval::Frame;
use crate::kql::eval::functions::convert::format_real;

/// A file format, from the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, a header row first.
    Csv,
    /// A JSON array of row objects.
    Json,
}

impl Format {
    /// The format a path's extension names (`.csv`, `.json`, any case).
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Why an export failed; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file is there and overwriting was not confirmed.
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    /// The extension names no format.
    #[error("{}: name a .csv or .json file to choose the format", .0.display())]
    UnknownFormat(PathBuf),
    /// Creating or writing the file failed (missing folder, permissions).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A table to export: a query result with its typed values, or text cells
/// (a header row first) for views that are not query results.
pub enum Table<'a> {
    /// A query result.
    Frame(&'a Frame),
    /// Events: each a list of (column, value), the first one's columns as the header.
    Records(&'a [Vec<(String, Value)>]),
    /// Header row, then rows of text.
    Text(&'a [Vec<String>]),
}

/// One event's fields as a JSON object.
pub fn json_record(fields: &[(String, Value)]) -> serde_json::Value {
    serde_json::Value::Object(fields.iter().map(|(k, v)| (k.clone(), json_value(v))).collect())
}

/// Events as text cells, the first one's column names as the header.
fn record_cells(records: &[Vec<(String, Value)>]) -> Vec<Vec<String>> {
    let text = |v: &Value| crate::kql::eval::functions::convert::display_text(v).into_owned();
    let header: Vec<String> = records.first().map(|r| r.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default();
    let rows = records.iter().map(|r| {
        header.iter().map(|h| r.iter().find(|(k, _)| k == h).map(|(_, v)| text(v)).unwrap_or_default()).collect()
    });
    std::iter::once(header.clone()).chain(rows).collect()
}

/// A value as `--format json` writes it: datetimes in the display form
/// (ISO-8601 UTC, up to 7 fraction digits), NaN and infinities as Kusto's
/// JSON writes them (the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; JSON
/// has no such numbers), decimals as the string of their exact digits (as
/// Kusto's JSON results carry them: a JSON number would go through a
/// double), everything else as in `dynamic`.
pub fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::DateTime(t) => serde_json::Value::String(format_datetime(*t)),
        Value::Decimal(d) => serde_json::Value::String(d.to_string()),
        Value::Real(f) if !f.is_finite() => serde_json::Value::String(format_real(*f)),
        other => value_to_json(other),
    }
}

/// Row `r` of a frame as a JSON object, columns in result order.
pub fn json_row(frame: &Frame, r: usize) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    for (c, n) in frame.names().enumerate() {
        obj.insert(n.to_string(), json_value(&frame.value(r, c)));
    }
    serde_json::Value::Object(obj)
}

/// Text cells (header first) as a JSON array of objects of strings.
fn json_text(rows: &[Vec<String>]) -> serde_json::Value {
    let Some((header, body)) = rows.split_first() else { return serde_json::Value::Array(Vec::new()) };
    let objects = body
        .iter()
        .map(|row| {
            let pairs = header.iter().zip(row).map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())));
            serde_json::Value::Object(pairs.collect())
        })
        .collect();
    serde_json::Value::Array(objects)
}

/// The file's bytes for `table` in `format`.
pub fn render(table: &Table<'_>, format: Format) -> Vec<u8> {
    match format {
        Format::Json => {
            let json = match table {
                Table::Frame(f) => serde_json::Value::Array((0..f.len()).map(|r| json_row(f, r)).collect()),
                Table::Records(rs) => serde_json::Value::Array(rs.iter().map(|r| json_record(r)).collect()),
                Table::Text(rows) => json_text(rows),
            };
            let mut out = serde_json::to_vec_pretty(&json).unwrap_or_default();
            out.push(b'\n');
            out
        }
        Format::Csv => {
            let owned;
            let rows = match table {
                Table::Frame(f) => {
                    owned = crate::kql::print::table::cells(f);
                    &owned[..]
                }
                Table::Records(rs) => {
                    owned = record_cells(rs);
                    &owned[..]
                }
                Table::Text(rows) => rows,
            };
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in rows {
                // Writing to memory cannot fail.
                let _ = w.write_record(r);
            }
            w.into_inner().unwrap_or_default()
        }
    }
}

/// Writes `table` to `path` in the format its extension names; an existing
/// file only when `overwrite`. Returns the bytes written.
pub fn write(path: &Path, table: &Table<'_>, overwrite: bool) -> Result<usize, ExportError> {
    let format = Format::of(path).ok_or_else(|| ExportError::UnknownFormat(path.to_path_buf()))?;
    let bytes = render(table, format);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if overwrite {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    let err = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::AlreadyExists => ExportError::Exists(path.to_path_buf()),
        _ => ExportError::Write { path: path.to_path_buf(), source },
    };
    let mut file = opts.open(path).map_err(err)?;
    file.write_all(&bytes).map_err(err)?;
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_csv_and_json_and_never_overwrites_unasked() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![vec!["A".to_string(), "B".into()], vec!["x,y".into(), "line\nbreak".into()]];
        let csv_path = dir.path().join("out.CSV");
        let n = write(&csv_path, &Table::Text(&rows), false).unwrap();
        let back: Vec<csv::StringRecord> =
            csv::Reader::from_path(&csv_path).unwrap().records().collect::<Result<_, _>>().unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(&back[0][0], "x,y");
        assert_eq!(&back[0][1], "line\nbreak");
        assert_eq!(n, std::fs::metadata(&csv_path).unwrap().len() as usize);
        assert!(matches!(write(&csv_path, &Table::Text(&rows), false), Err(ExportError::Exists(_))));
        write(&csv_path, &Table::Text(&rows[..1]), true).unwrap();
        assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), "A,B\n");

        let json_path = dir.path().join("out.json");
        write(&json_path, &Table::Text(&rows), false).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        assert_eq!(v, serde_json::json!([{"A": "x,y", "B": "line\nbreak"}]));

        let e = write(&dir.path().join("no/such/dir/x.csv"), &Table::Text(&rows), false).unwrap_err();
        assert!(matches!(e, ExportError::Write { .. }) && e.to_string().contains("no/such/dir/x.csv"), "{e}");
        assert!(matches!(
            write(&dir.path().join("x.txt"), &Table::Text(&rows), false),
            Err(ExportError::UnknownFormat(_))
        ));
    }
}
