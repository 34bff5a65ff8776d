//! Lazy columns (`LoadOptions::eager_columns`): a table loaded with only
//! some columns decoded must read exactly as one loaded whole — by row, by
//! gathered rows and as a whole column — over every shape a JSON Lines file
//! can take; a file changed since the load is an error, never wrong values.

use std::io::Write;
use std::path::{Path, PathBuf};

use kqlhunt::data::load::{LoadOptions, LoadResult, load_paths};
use kqlhunt::data::{Column, Table, Value};
use proptest::prelude::*;

pub(crate) fn load(paths: &[PathBuf], eager: Option<&[&str]>) -> LoadResult {
    let opts = LoadOptions {
        eager_columns: eager.map(|e| e.iter().map(|s| s.to_string()).collect()),
        ..LoadOptions::default()
    };
    load_paths(paths, &opts, &mut |_| {})
}

pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).and_then(|mut f| f.write_all(bytes)).expect("write");
    path
}

/// A row's cells as comparable text (the type and the value).
fn cell(v: &Value) -> String {
    format!("{v:?}")
}

fn column_cells(c: &Column) -> Vec<String> {
    (0..c.len()).map(|r| cell(&c.get(r))).collect()
}

/// Every way of reading `lazy` gives `eager`'s cells, in every column.
pub(crate) fn assert_same(eager: &Table, lazy: &Table, gather: &[u32]) {
    assert_eq!(eager.len(), lazy.len(), "rows of {}", eager.name());
    assert_eq!(eager.fields(), lazy.fields(), "schema of {}", eager.name());
    for (i, f) in eager.fields().iter().enumerate() {
        let want: Vec<String> = (0..eager.len()).map(|r| cell(&eager.value(r, i))).collect();
        let by_row: Vec<String> = (0..lazy.len()).map(|r| cell(&lazy.value(r, i))).collect();
        assert_eq!(want, by_row, "{}.{} row by row", eager.name(), f.name);
        let picked: Vec<String> = gather.iter().map(|&r| want[r as usize].clone()).collect();
        assert_eq!(picked, column_cells(&lazy.columns()[i].gather(gather)), "{}.{} gathered", eager.name(), f.name);
        assert_eq!(want, column_cells(lazy.column(&f.name).expect("column")), "{}.{} whole", eager.name(), f.name);
        assert_eq!(
            picked,
            column_cells(&lazy.columns()[i].gather(gather)),
            "{}.{} gathered after",
            eager.name(),
            f.name
        );
    }
}

pub(crate) const ROWS: &str = concat!(
    "\u{feff}{\"Timestamp\":\"2026-11-20T10:00:00Z\",\"DeviceName\":\"a\",\"FileName\":\"x.exe\",\"FileSize\":12,\"SHA256\":\"aa\",\"ProcessId\":7}\r\n",
    "\n",
    "{\"Timestamp\":\"2026-11-20T10:01:00Z\",\"DeviceName\":\"b\",\"FileName\":\"y.exe\",\"FileSize\":\"big\",\"AdditionalFields\":{\"k\":[1,2]}}\n",
    "not json at all\n",
    "[{\"Timestamp\":\"2026-11-20T10:02:00Z\",\"FileName\":\"arr1\",\"SHA256\":\"b1\"},{\"Timestamp\":\"2026-11-20T10:03:00Z\",\"FileName\":\"arr2\",\"SHA256\":\"b2\"}]\n",
    "{\"Type\":\"DeviceNetworkEvents\",\"Timestamp\":\"2026-11-20T10:04:00Z\",\"RemoteUrl\":\"u\",\"RemotePort\":443}\n",
    "{\"Timestamp\":\"2026-11-20T10:05:00Z\",\"FileName\":\"dup\",\"FileName\":\"second\",\"SHA256\":\"c\\u0041\\n\",\"NewColumn\":5}\n",
    "{\"Timestamp\":\"2026-11-20T10:06:00Z\",\"DeviceName\":null,\"FileName\":\"\u{e9}t\u{e9}\",\"ProcessCommandLine\":\"cmd /c \\\"x\\\"\"}\n",
);

#[test]
fn every_row_shape_reads_the_same_lazily() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "DeviceProcessEvents.jsonl", ROWS.as_bytes());
    let eager = load(std::slice::from_ref(&path), None);
    let lazy = load(&[path], Some(&["Timestamp"]));
    let (e, l) =
        (eager.database.get("DeviceProcessEvents").unwrap(), lazy.database.get("DeviceProcessEvents").unwrap());
    assert!(l.undecoded().contains(&"SHA256"), "SHA256 is lazy: {:?}", l.undecoded());
    assert!(!l.undecoded().contains(&"NewColumn"), "a column the schema does not know is decoded at load");
    assert_eq!(e.len(), 6);
    assert_same(e, l, &[5, 0, 3, 3, 2]);
    let (e, l) =
        (eager.database.get("DeviceNetworkEvents").unwrap(), lazy.database.get("DeviceNetworkEvents").unwrap());
    assert_same(e, l, &[0]);
    assert!(lazy.database.lazy_failure().is_none());
}

#[test]
fn a_table_fed_by_plain_and_gzip_files_decodes_the_plain_part_at_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "DeviceProcessEvents-1.jsonl", ROWS.as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(ROWS.as_bytes()).expect("gzip");
    // Named like JSON Lines (so the load is lazy) but gzip inside: read whole.
    let zipped = write(dir.path(), "DeviceProcessEvents-2.jsonl", &gz.finish().expect("gzip"));
    let plain2 = write(dir.path(), "DeviceProcessEvents-3.jsonl", ROWS.as_bytes());
    let paths = [plain, zipped, plain2];
    let eager = load(&paths, None);
    let lazy = load(&paths, Some(&["Timestamp"]));
    let (e, l) =
        (eager.database.get("DeviceProcessEvents").unwrap(), lazy.database.get("DeviceProcessEvents").unwrap());
    assert!(l.undecoded().is_empty(), "the lazy part decoded at load");
    assert_eq!(e.len(), 18);
    assert_same(e, l, &[17, 0, 8]);
}

#[test]
fn two_plain_files_of_one_table_stay_lazy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "DeviceProcessEvents-1.jsonl", ROWS.as_bytes());
    let b = write(dir.path(), "DeviceProcessEvents-2.jsonl", ROWS.replace("x.exe", "z.exe").as_bytes());
    let eager = load(&[a.clone(), b.clone()], None);
    let lazy = load(&[a, b], Some(&["DeviceName"]));
    let (e, l) =
        (eager.database.get("DeviceProcessEvents").unwrap(), lazy.database.get("DeviceProcessEvents").unwrap());
    assert!(l.undecoded().contains(&"FileName"));
    assert_same(e, l, &[11, 0, 6, 5, 6]);
}

#[test]
fn a_changed_file_is_an_error_naming_it_not_wrong_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "DeviceProcessEvents.jsonl", ROWS.as_bytes());
    let lazy = load(std::slice::from_ref(&path), Some(&["Timestamp"]));
    let t = lazy.database.get("DeviceProcessEvents").unwrap();
    write(dir.path(), "DeviceProcessEvents.jsonl", ROWS.replace("x.exe", "xx.exe").as_bytes());
    let i = t.index_of("FileName").unwrap();
    assert!(t.value(0, i).is_null(), "no value is read from a changed file");
    let failure = lazy.database.lazy_failure().expect("a recorded failure");
    assert!(failure.to_string().contains("DeviceProcessEvents.jsonl"), "{failure}");
    assert_eq!(failure.code(), "events-changed");
    // A query over it fails with that error.
    let session = kqlhunt::kql::eval::Session::new(std::sync::Arc::new(lazy.database.clone()), 0);
    let q = kqlhunt::kql::parse("DeviceProcessEvents | project FileName").unwrap();
    let err = kqlhunt::kql::eval::Evaluator::new(session).run(&q).expect_err("the query fails");
    assert_eq!(err.code, kqlhunt::kql::ErrorCode::Runtime);
    assert!(err.message.contains("changed since the events were loaded"), "{}", err.message);
}

fn json_text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z\\\\\"é\n ]{0,6}".prop_map(|s| s), Just("x".repeat(40))]
}

fn row() -> impl Strategy<Value = String> {
    (json_text(), json_text(), prop::option::of(any::<i64>()), any::<bool>(), 0u8..4).prop_map(
        |(name, sha, size, nested, shape)| {
            let size = size.map_or("null".to_string(), |s| s.to_string());
            let extra = if nested { ",\"AdditionalFields\":{\"a\":1}" } else { "" };
            let obj = format!(
                "{{\"Timestamp\":\"2026-11-20T10:00:00Z\",\"FileName\":{},\"SHA256\":{},\"FileSize\":{size}{extra}}}",
                serde_json::to_string(&name).unwrap(),
                serde_json::to_string(&sha).unwrap()
            );
            match shape {
                0 => format!("[{obj},{obj}]"),
                1 => format!("{obj}\r"),
                _ => obj,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_rows_read_the_same_lazily(rows in prop::collection::vec(row(), 1..40), picks in prop::collection::vec(any::<u16>(), 0..12)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "DeviceProcessEvents.jsonl", (rows.join("\n") + "\n").as_bytes());
        let eager = load(std::slice::from_ref(&path), None);
        let lazy = load(&[path], Some(&["Timestamp"]));
        let (e, l) = (eager.database.get("DeviceProcessEvents").unwrap(), lazy.database.get("DeviceProcessEvents").unwrap());
        let picks: Vec<u32> = picks.iter().map(|&p| u32::from(p) % e.len() as u32).collect();
        assert_same(e, l, &picks);
    }
}
