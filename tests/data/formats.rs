//! Every export format, made by `samples --format`, from the same rows:
//! the same bytes on any number of generator threads, and the same table
//! once loaded (the CSV loses only what the portal's CSV itself loses).

use std::path::Path;

use kqlhunt::data::load::{Format as LoadedFormat, LoadOptions, load_paths};
use kqlhunt::data::table::Table;
use kqlhunt::samples::{Format, Options, Profile, generate};

const ROWS: usize = 600;

fn make(dir: &Path, format: Format, gzip: bool, threads: usize) -> Vec<u8> {
    let options = Options {
        rows: ROWS,
        seed: 5,
        profile: Profile::Enterprise,
        format: Some(format),
        gzip,
        threads: Some(threads),
        ..Options::default()
    };
    let manifest = generate(&options, dir).unwrap();
    let process = manifest.files.iter().find(|f| f.table == "DeviceProcessEvents").unwrap();
    assert_eq!(process.rows, ROWS);
    std::fs::read(dir.join(&process.name)).unwrap()
}

fn load(dir: &Path, name: &str) -> (Table, LoadedFormat) {
    let loaded = load_paths(&[dir.join(name)], &LoadOptions::default(), &mut |_| {});
    assert_eq!(loaded.report.problems_total, 0, "{name}: {}", loaded.report);
    let table = loaded.database.get("DeviceProcessEvents").unwrap();
    ((**table).clone(), loaded.report.files[0].format)
}

#[test]
fn each_format_has_the_same_bytes_on_one_thread_or_four() {
    for (format, gzip) in
        [(Format::Jsonl, false), (Format::AhApi, true), (Format::Streaming, false), (Format::PortalCsv, false)]
    {
        let (one, four) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let a = make(one.path(), format, gzip, 1);
        let b = make(four.path(), format, gzip, 4);
        assert!(a == b, "{format:?}: one thread and four wrote different bytes");
    }
}

#[test]
fn every_format_loads_to_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (Format::Jsonl, false, "DeviceProcessEvents.jsonl", LoadedFormat::JsonLines),
        (Format::Jsonl, true, "DeviceProcessEvents.jsonl.gz", LoadedFormat::JsonLines),
        (Format::AhApi, false, "DeviceProcessEvents.json", LoadedFormat::AdvancedHuntingApi),
        (Format::Streaming, true, "DeviceProcessEvents-streaming.json.gz", LoadedFormat::StreamingRecords),
        (Format::PortalCsv, false, "DeviceProcessEvents.csv", LoadedFormat::Csv),
    ];
    let mut tables = Vec::new();
    for (format, gzip, name, expected) in cases {
        let sub = dir.path().join(name.replace('.', "_"));
        make(&sub, format, gzip, 2);
        let (table, detected) = load(&sub, name);
        assert_eq!(detected, expected, "{name}");
        assert_eq!(table.len(), ROWS, "{name}");
        tables.push((name, table));
    }
    let (_, jsonl) = &tables[0];
    for (name, table) in &tables[1..] {
        // The portal CSV drops sub-second times and types the columns the
        // schema does not know as strings; its text columns still match.
        let columns: Vec<&str> = if name.ends_with(".csv") {
            vec!["DeviceName", "ProcessCommandLine", "SHA256", "AccountName", "InitiatingProcessParentFileName"]
        } else {
            jsonl.fields().iter().map(|f| f.name.as_str()).collect()
        };
        for column in columns {
            let (a, b) = (jsonl.index_of(column).unwrap(), table.index_of(column).unwrap());
            for row in 0..ROWS {
                let (want, got) = (format!("{:?}", jsonl.value(row, a)), format!("{:?}", table.value(row, b)));
                assert_eq!(want, got, "{name}: {column} of row {row}");
            }
        }
    }
}
