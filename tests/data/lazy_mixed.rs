//! Lazy columns in a load of mixed formats: laziness is decided per table
//! (a JSON Lines file stays lazy unless its table also gets another kind of
//! file), and whatever is decided — a wrong guess included — every table and
//! every query answer is exactly an eager load's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kqlhunt::data::Database;
use kqlhunt::kql::eval::{Evaluator, Session};

use super::lazy::{ROWS, assert_same, load, write};

/// The bundled samples folder.
fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Queries over every table of the samples, reading lazy columns whole, at
/// result rows and across a join.
const QUERIES: &[&str] = &[
    "DeviceProcessEvents | summarize n = count() by SHA256 | order by n desc, SHA256 asc | take 5",
    "DeviceProcessEvents | where ProcessCommandLine has 'http' | project Timestamp, MD5, ProcessCommandLine | order by Timestamp asc | take 4",
    "DeviceProcessEvents | take 20 | join kind=inner (DeviceNetworkEvents | take 50) on DeviceId | project DeviceId, SHA256, RemoteUrl | take 5",
    "DeviceNetworkEvents | summarize n = count() by RemotePort | order by n desc, RemotePort asc | take 5",
    "DeviceFileCertificateInfo | summarize dcount(SHA1), max(CertificateExpirationTime) by Signer | order by Signer asc | take 5",
    "DeviceProcessEvents | count",
];

/// Each query's printed answer (or its error) over `db`.
fn answers(db: Database) -> Vec<String> {
    let db = Arc::new(db);
    let now = kqlhunt::data::time::parse_datetime("2026-11-20T12:00:00Z").expect("now");
    QUERIES
        .iter()
        .map(|text| {
            let q = kqlhunt::kql::parse(text).expect("parses");
            match Evaluator::new(Session::new(db.clone(), now)).run(&q) {
                Ok(frame) => kqlhunt::kql::print::table::typed_text(&frame),
                Err(e) => e.render(text),
            }
        })
        .collect()
}

#[test]
fn only_a_table_fed_by_json_lines_alone_stays_lazy() {
    let dir = samples();
    let names = ["DeviceProcessEvents.jsonl", "DeviceNetworkEvents.json", "DeviceFileCertificateInfo.csv"];
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let eager = load(&paths, None);
    let lazy = load(&paths, Some(&["Timestamp", "DeviceId"]));
    let db = &lazy.database;
    let process = db.get("DeviceProcessEvents").expect("process table");
    assert!(process.undecoded().len() >= 40, "the JSON Lines table is lazy: {:?}", process.undecoded());
    assert!(db.get("DeviceNetworkEvents").expect("network table").undecoded().is_empty(), "API JSON: eager");
    assert!(db.get("DeviceFileCertificateInfo").expect("certificates").undecoded().is_empty(), "CSV: eager");
    assert_eq!(answers(eager.database.clone()), answers(lazy.database.clone()));
    for name in ["DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileCertificateInfo"] {
        let (e, l) = (eager.database.get(name).unwrap(), lazy.database.get(name).unwrap());
        assert_same(e, l, &[3, 0, 2]);
    }
    assert!(lazy.database.lazy_failure().is_none());
}

/// A CSV export of `DeviceProcessEvents` rows like [`ROWS`]'s.
const CSV: &str = "Timestamp,DeviceName,FileName,SHA256,ProcessId\n\
    2026-11-20T11:00:00Z,c,csv1.exe,dd,9\n\
    2026-11-20T11:01:00Z,d,\"csv,2.exe\",,10\n";

/// Loads `paths` eagerly and with only `Timestamp` decoded: the table
/// `DeviceProcessEvents` has no lazy column left and reads the same.
fn assert_mixed_table_reads_the_same(paths: &[PathBuf], rows: usize) {
    let eager = load(paths, None);
    let lazy = load(paths, Some(&["Timestamp"]));
    let (e, l) =
        (eager.database.get("DeviceProcessEvents").unwrap(), lazy.database.get("DeviceProcessEvents").unwrap());
    assert_eq!(e.len(), rows);
    assert!(l.undecoded().is_empty(), "the table mixes: its lazy part decoded at load: {:?}", l.undecoded());
    assert_same(e, l, &[0, rows as u32 - 1, 4]);
    assert!(lazy.database.lazy_failure().is_none());
}

#[test]
fn a_table_fed_by_json_lines_and_csv_reads_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "DeviceProcessEvents-1.jsonl", ROWS.as_bytes());
    let csv = write(dir.path(), "DeviceProcessEvents-2.csv", CSV.as_bytes());
    let plain2 = write(dir.path(), "DeviceProcessEvents-3.jsonl", ROWS.as_bytes());
    assert_mixed_table_reads_the_same(&[plain, csv, plain2], 14);
}

/// A streaming-API export whose name tells no table: its records' category does.
fn streaming_export(dir: &Path) -> PathBuf {
    let record = |t: &str, f: &str| {
        format!(
            "{{\"time\":\"{t}\",\"category\":\"AdvancedHunting-DeviceProcessEvents\",\"properties\":{{\"Timestamp\":\"{t}\",\"FileName\":\"{f}\",\"SHA256\":\"ee\"}}}}"
        )
    };
    let doc = format!(
        "{{\"records\":[{},{}]}}",
        record("2026-11-20T12:00:00Z", "rec1.exe"),
        record("2026-11-20T12:01:00Z", "rec2.exe")
    );
    write(dir, "export.json", doc.as_bytes())
}

#[test]
fn a_wrong_guess_is_only_slower() {
    // `export.json` is named for no table, so the JSON Lines file is read
    // lazily; its records turn out to feed the same table.
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "DeviceProcessEvents.jsonl", ROWS.as_bytes());
    let records = streaming_export(dir.path());
    assert_mixed_table_reads_the_same(&[plain.clone(), records.clone()], 8);
    assert_mixed_table_reads_the_same(&[records, plain], 8);
}
