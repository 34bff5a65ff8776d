//! gzip files decompress on a thread of their own, beside the parsing: the
//! rows, the problems and the error of a truncated or corrupt file are those
//! of decompressing inline (as `load_bytes` does), and the error names the
//! file, the line and the byte of the compressed file where the data went bad.

use std::io::Write;
use std::path::Path;

use kqlhunt::data::load::{LoadOptions, LoadResult, load_bytes, load_paths};

/// Enough rows for several decompressed blocks (1 MiB each) in flight.
const ROWS: usize = 40_000;

fn gzipped() -> (String, Vec<u8>) {
    let text: String = (0..ROWS)
        .map(|i| format!("{{\"Timestamp\":\"2026-11-20T10:00:00Z\",\"DeviceName\":\"host{}\",\"ProcessCommandLine\":\"cmd.exe /c job {i} {}\",\"ReportId\":{i}}}\n", i % 97, "x".repeat(i % 50)))
        .collect();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    (text, enc.finish().unwrap())
}

fn from_file(dir: &Path, name: &str, bytes: &[u8]) -> LoadResult {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    load_paths(&[path], &LoadOptions::default(), &mut |_| {})
}

fn rows(r: &LoadResult) -> usize {
    r.database.get("DeviceProcessEvents").map_or(0, |t| t.len())
}

/// Each problem as `line: message`, without the path (which differs by source).
fn problems(r: &LoadResult) -> Vec<String> {
    r.report.problems.iter().map(|p| format!("{:?}: {}", p.line, p.message)).collect()
}

#[test]
fn a_whole_gzip_file_loads_as_its_plain_text_does() {
    let dir = tempfile::tempdir().unwrap();
    let (text, gz) = gzipped();
    let threaded = from_file(dir.path(), "DeviceProcessEvents.jsonl.gz", &gz);
    let plain = from_file(dir.path(), "DeviceProcessEvents.jsonl", text.as_bytes());
    assert!(threaded.report.files[0].gzip);
    assert_eq!(threaded.report.problems_total, 0, "{}", threaded.report);
    assert_eq!(rows(&threaded), ROWS);
    let (a, b) =
        (threaded.database.get("DeviceProcessEvents").unwrap(), plain.database.get("DeviceProcessEvents").unwrap());
    for col in 0..a.fields().len() {
        for row in [0, 1, ROWS / 2, ROWS - 1] {
            assert_eq!(format!("{:?}", a.value(row, col)), format!("{:?}", b.value(row, col)));
        }
    }
}

#[test]
fn a_truncated_gzip_file_keeps_the_rows_before_the_cut_and_names_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (_, gz) = gzipped();
    let cut = &gz[..gz.len() * 3 / 5];
    let threaded = from_file(dir.path(), "DeviceProcessEvents.jsonl.gz", cut);
    let inline = load_bytes("DeviceProcessEvents.jsonl.gz", cut, &LoadOptions::default());
    let loaded = rows(&threaded);
    assert!(loaded > ROWS / 3 && loaded < ROWS, "rows before the cut: {loaded}");
    assert_eq!(loaded, rows(&inline), "the same rows as decompressing inline");
    assert_eq!(problems(&threaded), problems(&inline));
    let problem = &threaded.report.problems[0];
    assert!(problem.path.ends_with("DeviceProcessEvents.jsonl.gz"), "{}", problem.path);
    assert_eq!(problem.line, Some(loaded as u64 + 1));
    let expected = format!("at byte {} of the compressed file", cut.len());
    assert!(problem.message.starts_with("read error: truncated or corrupt gzip data "), "{}", problem.message);
    assert!(problem.message.contains(&expected), "{} (expected {expected})", problem.message);
}

#[test]
fn a_corrupt_gzip_file_keeps_the_rows_before_the_damage_and_names_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut gz) = gzipped();
    let damage = gz.len() / 2;
    gz[damage..damage + 64].iter_mut().for_each(|b| *b ^= 0x5a);
    let threaded = from_file(dir.path(), "DeviceProcessEvents.jsonl.gz", &gz);
    let inline = load_bytes("DeviceProcessEvents.jsonl.gz", &gz, &LoadOptions::default());
    assert_eq!(rows(&threaded), rows(&inline));
    assert_eq!(problems(&threaded), problems(&inline));
    assert!(rows(&threaded) > ROWS / 4, "rows before the damage: {}", rows(&threaded));
    // Deflate has no check before the stream's end: the damage decodes to
    // garbage lines (skipped as invalid JSON) until the decoder gives up or
    // the data ends; the read error is kept however many came before it.
    let read_error = threaded.report.problems.iter().find(|p| p.message.starts_with("read error"));
    let message = &read_error.expect("the read error is in the report").message;
    let at: usize = message
        .split("at byte ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no byte position in: {message}"));
    // The decoder notices the damage within the block it is reading.
    assert!(at >= damage && at <= gz.len(), "byte {at} for damage at {damage}: {message}");
}
