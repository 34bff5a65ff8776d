//! Telling a file's format from its first bytes (not its extension), and
//! its table from its name.

use crate::data::schema::{any_column_type, mde_tables};

/// The UTF-8 byte order mark some exports start with.
pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The gzip magic bytes.
pub(crate) const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// How to read a file, judged from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detected {
    /// Nothing but whitespace.
    Empty,
    /// One JSON value per line.
    JsonLines,
    /// One JSON document (possibly pretty-printed) or several in a row.
    JsonDocument,
    /// CSV with a header row.
    Csv,
    /// Not an event format kqlhunt reads.
    Unknown,
}

/// Keys that open a whole-file document rather than one event.
const DOCUMENT_KEYS: &[&str] = &["records", "Schema", "schema", "Results", "results", "Stats", "stats"];

/// Detects the format from the start of the (decompressed) content.
/// `complete` says whether `head` is the whole content.
pub(crate) fn detect_format(head: &[u8], complete: bool, file_name: &str) -> Detected {
    let body = head.strip_prefix(UTF8_BOM).unwrap_or(head);
    let Some(start) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Detected::Empty;
    };
    let body = &body[start..];
    let line_end = memchr::memchr(b'\n', body);
    let first_line = match line_end {
        Some(end) => &body[..end],
        None if complete => body,
        // The first line runs past what was read: one long JSON value per line.
        None if matches!(body.first(), Some(b'{' | b'[')) => return Detected::JsonLines,
        None => body,
    };
    let trimmed = first_line.trim_ascii();
    match trimmed.first() {
        Some(b'{' | b'[') => {
            if serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).is_ok() {
                return Detected::JsonLines;
            }
            if trimmed.first() == Some(&b'[') || trimmed == b"{" || opens_document(trimmed) {
                Detected::JsonDocument
            } else {
                // A broken first event of a JSON Lines file: reported per line.
                Detected::JsonLines
            }
        }
        _ if looks_like_csv_header(trimmed, file_name) => Detected::Csv,
        _ => Detected::Unknown,
    }
}

/// True when an object's first key is one of a whole-file document's.
fn opens_document(line: &[u8]) -> bool {
    let rest = line.strip_prefix(b"{").unwrap_or(line).trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"\"") else { return false };
    let Some(end) = memchr::memchr(b'"', rest) else { return false };
    DOCUMENT_KEYS.iter().any(|k| k.as_bytes() == &rest[..end])
}

/// A CSV header: text, at least two non-empty names, and either a `.csv`
/// name or at least one name that is a known MDE column.
fn looks_like_csv_header(line: &[u8], file_name: &str) -> bool {
    let Ok(text) = std::str::from_utf8(line) else { return false };
    if text.chars().any(|c| c.is_control() && c != '\t' && c != '\r') {
        return false;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let Some(Ok(record)) = reader.records().next() else { return false };
    let names: Vec<&str> = record.iter().map(str::trim).collect();
    if names.len() < 2 || names.iter().any(|n| n.is_empty() || n.len() > 200) {
        return false;
    }
    let csv_name = file_name.to_ascii_lowercase().trim_end_matches(".gz").ends_with(".csv");
    csv_name || names.iter().any(|n| any_column_type(normalize_header(n)).is_some())
}

/// A CSV header as a column name: Log Analytics writes `Timestamp [UTC]`.
pub(crate) fn normalize_header(name: &str) -> &str {
    let name = name.trim().trim_start_matches('\u{feff}');
    match name.rfind(" [") {
        Some(i) if name.ends_with(']') => name[..i].trim_end(),
        _ => name,
    }
}

/// A known table whose name starts the file name, followed by the end or a
/// non-letter (`DeviceNetworkEvents-2026-11-20.jsonl`).
pub(crate) fn table_from_file_name(file_name: &str) -> Option<&'static str> {
    mde_tables()
        .iter()
        .map(|t| t.name.as_str())
        .filter(|name| {
            file_name.starts_with(name)
                && !file_name[name.len()..].chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        })
        .max_by_key(|name| name.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_content() {
        assert_eq!(detect_format(b"  \n", true, "x"), Detected::Empty);
        assert_eq!(detect_format(b"{\"a\":1}\n{\"a\":2}\n", true, "x"), Detected::JsonLines);
        assert_eq!(detect_format(b"{\"a\":1", false, "x"), Detected::JsonLines);
        assert_eq!(detect_format(b"{\"a\": oops}\n{\"a\":2}\n", true, "x"), Detected::JsonLines);
        assert_eq!(detect_format(b"{\n \"Schema\": []}", true, "x"), Detected::JsonDocument);
        assert_eq!(detect_format(b"{\"records\": [\n{}]}", true, "x"), Detected::JsonDocument);
        assert_eq!(detect_format(b"[\n{\"a\":1}\n]", true, "x"), Detected::JsonDocument);
        assert_eq!(detect_format(b"\xEF\xBB\xBFTimestamp,DeviceName\r\n", true, "x"), Detected::Csv);
        assert_eq!(detect_format(b"a,b\n1,2\n", true, "t.csv"), Detected::Csv);
        assert_eq!(detect_format(b"a,b\n1,2\n", true, "t.txt"), Detected::Unknown);
        assert_eq!(detect_format(b"# Notes\nhello", true, "README.md"), Detected::Unknown);
        assert_eq!(detect_format(b"\x89PNG\r\n\x1a\n", true, "a.png"), Detected::Unknown);
    }

    #[test]
    fn headers_and_file_names() {
        assert_eq!(normalize_header("Timestamp [UTC]"), "Timestamp");
        assert_eq!(normalize_header("\u{feff}DeviceName"), "DeviceName");
        assert_eq!(table_from_file_name("DeviceNetworkEvents-2026-11-20.jsonl"), Some("DeviceNetworkEvents"));
        assert_eq!(table_from_file_name("DeviceProcessEvents.csv.gz"), Some("DeviceProcessEvents"));
        assert_eq!(table_from_file_name("DeviceFileCertificateInfo_1.json"), Some("DeviceFileCertificateInfo"));
        assert_eq!(table_from_file_name("DeviceEventsExtra.json"), None);
        assert_eq!(table_from_file_name("events.json"), None);
    }
}
