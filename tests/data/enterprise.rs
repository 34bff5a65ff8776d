//! The enterprise sample profile: the cardinalities docs/samples.md
//! promises, read back from the JSONL with plain serde; and the adaptive
//! string storage it exists to exercise: plain columns for near-unique
//! values, dictionaries for repeating ones, the same cells either way.

use std::collections::HashSet;
use std::path::PathBuf;

use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::data::{Column, Value};
use kqlhunt::samples::{Options, Profile, generate};

const ROWS: usize = 6_000;

fn enterprise() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let options = Options { rows: ROWS, seed: 7, jsonl_only: true, profile: Profile::Enterprise, ..Options::default() };
    generate(&options, dir.path()).unwrap();
    dir
}

fn rows(dir: &std::path::Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(dir.join("DeviceProcessEvents.jsonl")).unwrap();
    text.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap().as_object().unwrap().clone()).collect()
}

#[test]
fn enterprise_rows_have_a_real_estates_cardinality() {
    let dir = enterprise();
    let rows = rows(dir.path());
    assert_eq!(rows.len(), ROWS);
    let distinct = |c: &str| rows.iter().map(|r| r[c].to_string()).collect::<HashSet<_>>().len();
    let nulls = |c: &str| rows.iter().filter(|r| r[c].is_null()).count();
    assert!(rows.iter().all(|r| r.len() == 61), "58 schema columns and 3 newer ones");
    for newer in ["InitiatingProcessSessionId", "CreatedProcessSessionId", "InitiatingProcessUniqueId"] {
        assert!(rows[ROWS / 2].contains_key(newer), "{newer}");
    }
    assert!(distinct("DeviceName") > 1_500, "devices: {}", distinct("DeviceName"));
    assert!(distinct("AccountName") > 1_000, "accounts: {}", distinct("AccountName"));
    assert!(distinct("SHA256") > 1_000, "hashes: {}", distinct("SHA256"));
    assert_eq!(distinct("SHA256"), distinct("MD5"), "one MD5 per build");
    assert!(distinct("ProcessCommandLine") * 100 > ROWS * 85, "commands: {}", distinct("ProcessCommandLine"));
    assert_eq!(distinct("ReportId"), ROWS, "unique ReportIds");
    assert_eq!(distinct("ProcessId"), ROWS, "unique ProcessIds");
    assert!(rows.iter().all(|r| r["ProcessId"].as_i64().unwrap() % 4 == 0));
    assert_eq!(nulls("AdditionalFields"), ROWS);
    let parent_nulls = nulls("InitiatingProcessParentFileName");
    assert!(parent_nulls > ROWS / 100 && parent_nulls < ROWS / 10, "{parent_nulls}");
}

#[test]
fn enterprise_generation_is_deterministic_on_any_number_of_threads() {
    // 9,000 rows are three chunks of parallel generation: the bytes depend on
    // the seed and --rows, not on which thread made which chunk.
    const MANY: usize = 9_000;
    let gen_once = |threads| {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            rows: MANY,
            seed: 3,
            jsonl_only: true,
            profile: Profile::Enterprise,
            threads: Some(threads),
            ..Options::default()
        };
        generate(&options, dir.path()).unwrap();
        let bytes = std::fs::read(dir.path().join("DeviceProcessEvents.jsonl")).unwrap();
        (dir, bytes)
    };
    let (dir, one) = gen_once(1);
    assert!(one == gen_once(3).1, "one thread and three wrote different bytes");
    let rows = rows(dir.path());
    assert_eq!(rows.len(), MANY);
    // Chunks are written in order: time order and increasing ReportIds hold across them.
    let times: Vec<&str> = rows.iter().map(|r| r["Timestamp"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "rows are in time order");
    let reports: Vec<i64> = rows.iter().map(|r| r["ReportId"].as_i64().unwrap()).collect();
    assert!(reports.windows(2).all(|w| w[0] < w[1]), "ReportIds increase");
}

#[test]
fn near_unique_strings_load_plain_repeating_ones_as_a_dictionary_and_read_the_same() {
    let dir = enterprise();
    let file: PathBuf = dir.path().join("DeviceProcessEvents.jsonl");
    let loaded = load_paths(&[file], &LoadOptions::default(), &mut |_| {});
    assert_eq!(loaded.report.problems_total, 0);
    let table = loaded.database.get("DeviceProcessEvents").unwrap();
    let shape = |c: &str| match table.column(c).map(|c| &**c) {
        Some(Column::String(s)) => s.dictionary().is_some(),
        other => panic!("{c}: {other:?}"),
    };
    assert!(!shape("ProcessCommandLine"), "near-unique: plain");
    assert!(shape("ActionType") && shape("FileName"), "repeating: dictionary");
    // Every cell reads back as the file has it.
    let json = rows(dir.path());
    for col in ["ProcessCommandLine", "DeviceName", "SHA256", "InitiatingProcessParentFileName", "AdditionalFields"] {
        let c = table.index_of(col).unwrap();
        for (r, row) in json.iter().enumerate() {
            let want = row[col].as_str().unwrap_or("");
            match table.value(r, c) {
                Value::String(s) => assert_eq!(&*s, want, "{col} row {r}"),
                Value::Null => assert!(row[col].is_null(), "{col} row {r}"),
                other => panic!("{col}: {other:?}"),
            }
        }
    }
    assert!(table.index_of("InitiatingProcessUniqueId").is_some(), "columns newer than the schema load");
}
