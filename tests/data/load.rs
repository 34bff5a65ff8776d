//! Integration tests of the event loaders (`data::load`) over the fixtures in
//! `tests/fixtures/load/` (and gzip/symlink cases built in a temp dir).

use std::io::Write;
use std::path::{Path, PathBuf};

use kqlhunt::data::load::{Format, LoadOptions, LoadResult, TableRule, load_bytes, load_paths};
use kqlhunt::data::{DataType, Table, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load").join(name)
}

fn load_with(paths: &[PathBuf], opts: &LoadOptions) -> LoadResult {
    load_paths(paths, opts, &mut |_| {})
}

fn load(names: &[&str]) -> LoadResult {
    load_with(&names.iter().map(|n| fixture(n)).collect::<Vec<_>>(), &LoadOptions::default())
}

fn table<'a>(r: &'a LoadResult, name: &str) -> &'a Table {
    r.database.get(name).unwrap_or_else(|| panic!("no table {name}: {}", r.report))
}

/// The values of a column, by name.
fn col(t: &Table, name: &str) -> Vec<Value> {
    let i = t.index_of(name).unwrap_or_else(|| panic!("no column {name}"));
    (0..t.len()).map(|r| t.value(r, i)).collect()
}

fn dtype(t: &Table, name: &str) -> DataType {
    t.fields()[t.index_of(name).unwrap()].dtype
}

fn strs(t: &Table, name: &str) -> Vec<String> {
    col(t, name).iter().map(|v| v.as_str().expect("a string").to_string()).collect()
}

fn longs(t: &Table, name: &str) -> Vec<Option<i64>> {
    col(t, name)
        .iter()
        .map(|v| {
            if let Value::Long(x) = v {
                Some(*x)
            } else {
                assert!(v.is_null());
                None
            }
        })
        .collect()
}

fn ticks(t: &Table, name: &str) -> Vec<Option<i64>> {
    col(t, name)
        .iter()
        .map(|v| {
            if let Value::DateTime(x) = v {
                Some(*x)
            } else {
                assert!(v.is_null());
                None
            }
        })
        .collect()
}

/// 2026-11-20T10:01:02Z in ticks.
const T_2026_11_20_100102: i64 = 17_951_688_620_000_000;

fn problems(r: &LoadResult, file: &Path) -> Vec<String> {
    let prefix = format!("{}:", file.display());
    r.report.problem_lines().iter().map(|l| l.strip_prefix(&prefix).expect("problem of the file").to_string()).collect()
}

#[test]
fn json_lines_types_values_and_file_name_table() {
    let r = load(&["DeviceProcessEvents-2026-11-20.jsonl"]);
    let t = table(&r, "DeviceProcessEvents");
    assert_eq!(r.report.files[0].format, Format::JsonLines);
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::FileName);
    assert_eq!(ticks(t, "Timestamp"), vec![Some(T_2026_11_20_100102 + 1_234_567), Some(T_2026_11_20_100102)]);
    assert_eq!(longs(t, "ReportId"), vec![Some(923_456_789_012_345_678), Some(923_456_789_012_345_679)]);
    assert_eq!(longs(t, "FileSize"), vec![Some(12345), None]);
    assert_eq!(longs(t, "ProcessId"), vec![Some(4242), Some(7)], "integer strings are longs");
    assert_eq!(strs(t, "FileName"), vec!["cmd.exe", ""]);
    assert_eq!(strs(t, "ProcessCommandLine"), vec!["cmd.exe /c whoami", ""], "JSON null in a string column is empty");
    assert_eq!(strs(t, "AdditionalFields"), vec![r#"{"k":"v"}"#, ""], "an object in a string column is compact JSON");
    assert_eq!(dtype(t, "Extra"), DataType::Dynamic);
    let extra = col(t, "Extra");
    assert!(matches!(&extra[1], Value::Dynamic(j) if **j == serde_json::json!({"a": 2})), "stringified JSON parsed");
    assert_eq!(dtype(t, "Score"), DataType::Real, "long widened to real");
    // Schema columns first, in schema order; extra columns after.
    let names: Vec<&str> = t.fields().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(&names[..3], ["Timestamp", "DeviceId", "DeviceName"]);
    assert_eq!(&names[names.len() - 2..], ["Extra", "Score"]);
    assert_eq!(r.report.problems_total, 0);
}

#[test]
fn advanced_hunting_api_response_uses_its_schema() {
    let r = load(&["ah-api-response.json"]);
    assert_eq!(r.report.files[0].format, Format::AdvancedHuntingApi);
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::SchemaMatch);
    let t = table(&r, "DeviceNetworkEvents");
    assert_eq!(dtype(t, "RemotePort"), DataType::Int);
    assert!(matches!(col(t, "RemotePort")[1], Value::Int(8080)));
    assert_eq!(dtype(t, "Hits"), DataType::Long, "declared Int64");
    assert_eq!(longs(t, "Hits"), vec![Some(42), Some(7)]);
    assert_eq!(dtype(t, "Context"), DataType::Dynamic, "declared Object");
    let context = col(t, "Context");
    assert!(matches!(&context[0], Value::Dynamic(j) if **j == serde_json::json!({"a": 1})));
    assert!(context[1].is_null());
    assert_eq!(r.report.tables[0].time_span, Some((17_951_691_000_000_000, 17_951_691_600_000_000)));
}

#[test]
fn streaming_records_in_all_three_shapes() {
    for name in ["records-wrapped.json", "records-per-line.json"] {
        let r = load(&[name]);
        let file = &r.report.files[0];
        assert_eq!(file.format, Format::StreamingRecords, "{name}");
        let tables: Vec<(&str, TableRule, usize)> =
            file.tables.iter().map(|t| (t.table.as_str(), t.rule, t.rows)).collect();
        assert_eq!(
            tables,
            vec![("DeviceProcessEvents", TableRule::Category, 2), ("DeviceNetworkEvents", TableRule::Category, 1)]
        );
        let p = table(&r, "DeviceProcessEvents");
        assert_eq!(strs(p, "FileName"), vec!["a.exe", "b.exe"]);
        assert_eq!(longs(p, "ReportId"), vec![Some(1), Some(3)]);
        assert!(p.index_of("category").is_none() && p.index_of("time").is_none(), "envelope fields dropped");
    }
    let r = load(&["record-bare.json"]);
    let n = table(&r, "DeviceNetworkEvents");
    assert!(matches!(col(n, "RemotePort")[0], Value::Int(53)));
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::Category);
}

#[test]
fn json_array_with_type_field() {
    let r = load(&["events-array.json"]);
    assert_eq!(r.report.files[0].format, Format::JsonArray);
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::TypeField);
    let t = table(&r, "DeviceFileEvents");
    assert_eq!(longs(t, "FileSize"), vec![Some(2048), Some(4096)]);
}

#[test]
fn portal_csv_with_bom_crlf_multiline_and_missing_column() {
    let r = load(&["portal-export.csv"]);
    let t = table(&r, "DeviceProcessEvents");
    assert_eq!(r.report.files[0].format, Format::Csv);
    assert_eq!(ticks(t, "Timestamp"), vec![Some(17_284_848_700_000_000), Some(17_284_848_710_000_000)]);
    assert_eq!(ticks(t, "ProcessCreationTime"), vec![None, Some(17_284_848_690_000_000)], "Invalid date is null");
    assert_eq!(longs(t, "ReportId"), vec![Some(923_456_789_012_345_678), Some(5)]);
    assert_eq!(strs(t, "ProcessCommandLine"), vec!["powershell -c \"a\"\r\n-second line", ""]);
    assert_eq!(strs(t, "FileName"), vec!["ps.exe", ""], "an empty cell is an empty string");
    assert_eq!(longs(t, "FileSize"), vec![None, None], "a missing column is null");
    assert_eq!(strs(t, "SHA1"), vec!["", ""], "a missing string column is empty");
    assert_eq!(dtype(t, "IsLocalThing"), DataType::String, "unknown CSV columns are strings");
    assert_eq!(problems(&r, &fixture("portal-export.csv")), vec!["5: expected 9 fields (as in the header), found 3"]);
    assert_eq!(r.report.files[0].rows_skipped, 1);
}

#[test]
fn log_analytics_csv_headers_and_time_form() {
    let r = load(&["la-export.csv"]);
    let t = table(&r, "DeviceNetworkEvents");
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::TypeField);
    let morning = T_2026_11_20_100102 + 1_230_000;
    assert_eq!(ticks(t, "Timestamp"), vec![Some(morning), Some(T_2026_11_20_100102 + 3 * 3600 * 10_000_000)]);
    assert_eq!(ticks(t, "TimeGenerated")[0], Some(morning));
    assert!(col(t, "RemotePort")[1].is_null(), "a missing CSV cell in an int column is null");
}

#[test]
fn gzip_and_truncated_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..200).map(|i| format!("{{\"DeviceName\":\"h{i}\",\"ReportId\":{i}}}\n")).collect();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let whole = dir.path().join("DeviceProcessEvents.jsonl.gz");
    std::fs::write(&whole, &gz).unwrap();
    let r = load_with(std::slice::from_ref(&whole), &LoadOptions::default());
    assert!(r.report.files[0].gzip);
    assert_eq!(table(&r, "DeviceProcessEvents").len(), 200);
    assert_eq!(r.report.problems_total, 0);

    let cut = dir.path().join("cut.jsonl.gz");
    std::fs::write(&cut, &gz[..gz.len() * 2 / 3]).unwrap();
    let opts = LoadOptions { table: Some("DeviceProcessEvents".into()), ..LoadOptions::default() };
    let r = load_with(std::slice::from_ref(&cut), &opts);
    let rows = table(&r, "DeviceProcessEvents").len();
    assert!(rows > 0 && rows < 200, "rows decoded before the cut load: {rows}");
    let lines = problems(&r, &cut);
    assert_eq!(lines.len(), 1);
    let expected = format!(
        "{}: read error: truncated or corrupt gzip data at byte {} of the compressed file (incomplete deflate stream); the rest of the file is lost",
        rows + 1,
        gz.len() * 2 / 3
    );
    assert_eq!(lines[0], expected);
}

#[test]
fn malformed_lines_are_reported_and_good_rows_load() {
    let path = fixture("DeviceFileEvents-bad.jsonl");
    let r = load(&["DeviceFileEvents-bad.jsonl"]);
    let t = table(&r, "DeviceFileEvents");
    assert_eq!(strs(t, "DeviceName"), vec!["ok-1", "ok-2", "ok-3"]);
    assert_eq!(longs(t, "FileSize"), vec![Some(1), None, None]);
    assert_eq!(
        problems(&r, &path),
        vec![
            "2: invalid JSON at column 51: expected value",
            "3: invalid UTF-8 at column 55",
            "5: column FileSize: expected long, got \"abc\"",
            "6: expected a JSON object, got 1",
            "6: expected a JSON object, got 2",
            "7: column Timestamp: expected datetime, got \"not a time\"",
        ]
    );
    let file = &r.report.files[0];
    assert_eq!((file.rows_loaded, file.rows_skipped, file.values_nulled), (3, 4, 2));
    assert_eq!(file.format, Format::JsonLines);
}

#[test]
fn empty_file_loads_nothing_without_error() {
    let r = load(&["empty.jsonl"]);
    assert_eq!(r.report.problems_total, 0);
    assert_eq!(r.report.files[0].rows_loaded, 0);
    assert!(r.database.tables().is_empty());
}

#[test]
fn directory_appends_one_table_and_skips_unknown_files() {
    // README.md is documentation: skipped without a report; notes.dat is reported.
    let r = load(&["dir"]);
    let t = table(&r, "DeviceProcessEvents");
    assert_eq!(strs(t, "DeviceName"), vec!["a", "b"]);
    assert_eq!(longs(t, "OnlyInA"), vec![Some(1), None]);
    assert!(col(t, "OnlyInB")[0].is_null() && matches!(col(t, "OnlyInB")[1], Value::Bool(true)));
    assert_eq!(
        r.report.problem_lines(),
        vec![format!(
            "{}: not a known event format (JSON Lines, JSON, or CSV with a header row); skipped",
            fixture("dir/notes.dat").display()
        )]
    );
    assert_eq!(r.report.files.len(), 3);
    assert_eq!(r.report.tables[0].rows, 2);
}

#[test]
fn several_paths_append_and_missing_path_is_reported() {
    let missing = fixture("no-such-file.jsonl");
    let paths = vec![fixture("records-wrapped.json"), missing.clone(), fixture("records-per-line.json")];
    let r = load_with(&paths, &LoadOptions::default());
    assert_eq!(table(&r, "DeviceProcessEvents").len(), 4);
    assert_eq!(r.report.problems_total, 1);
    assert!(r.report.problem_lines()[0].starts_with(&format!("{}: cannot read:", missing.display())));
}

#[test]
fn table_option_and_file_stem() {
    let r = load(&["custom.jsonl"]);
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::FileStem);
    let t = table(&r, "custom");
    assert_eq!(dtype(t, "Gamma"), DataType::Dynamic);
    let opts = LoadOptions { table: Some("MyTable".into()), ..LoadOptions::default() };
    let r = load_with(&[fixture("custom.jsonl")], &opts);
    assert_eq!(r.report.files[0].tables[0].rule, TableRule::Option);
    assert_eq!(table(&r, "MyTable").len(), 2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("DeviceInfo.jsonl"), "{\"DeviceName\":\"x\"}\n").unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    let r = load_with(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(table(&r, "DeviceInfo").len(), 1);
    assert_eq!(r.report.problems_total, 1, "{}", r.report);
    assert!(r.report.problem_lines()[0].ends_with("directory already visited (symlink loop?); skipped"));
}

#[test]
fn progress_reaches_the_total() {
    let mut last = (0, 0, 0);
    let paths = vec![fixture("portal-export.csv"), fixture("la-export.csv")];
    let r = load_paths(&paths, &LoadOptions::default(), &mut |p| last = (p.bytes_done, p.bytes_total, p.rows));
    let total: u64 = paths.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    let rows: usize = r.database.tables().iter().map(|t| t.len()).sum();
    assert!(rows > 0);
    assert_eq!(last, (total, total, rows as u64), "bytes and rows read, at the end");
}

#[test]
fn bytes_and_report_summary() {
    let r = load_bytes(
        "DeviceInfo.jsonl",
        b"{\"DeviceName\":\"x\",\"Timestamp\":\"2026-11-20T10:01:02Z\"}\n",
        &LoadOptions::default(),
    );
    let summary = r.report.to_string();
    assert!(
        summary.starts_with("Loaded 1 row from 1 file into 1 table; 0 rows skipped, 0 values nulled.\n"),
        "{summary}"
    );
    assert!(
        summary.contains("DeviceInfo.jsonl (JSON Lines): 1 row -> DeviceInfo (from file name, 1 row)"),
        "{summary}"
    );
    assert!(summary.contains("2026-11-20T10:01:02Z .. 2026-11-20T10:01:02Z"), "{summary}");
}

#[test]
fn named_sources_load_into_one_database_and_problems_name_them() {
    let a = b"{\"Timestamp\":\"2026-01-01T00:00:00Z\",\"DeviceName\":\"a\"}\nnot json\n";
    let b = b"{\"Timestamp\":\"2026-01-02T00:00:00Z\",\"DeviceName\":\"b\"}\n";
    let sources: [(&str, &[u8]); 2] =
        [("(bundled) samples/DeviceProcessEvents.jsonl", a), ("(bundled) samples/DeviceProcessEvents-2.jsonl", b)];
    let mut ticks = 0;
    let r = kqlhunt::data::load::load_sources(&sources, &LoadOptions::default(), &mut |_| ticks += 1);
    assert_eq!(r.database.get("DeviceProcessEvents").map(|t| t.len()), Some(2), "both named by their file name");
    let problems = r.report.problem_lines();
    assert!(problems.iter().any(|p| p.starts_with("(bundled) samples/DeviceProcessEvents.jsonl:2: ")), "{problems:?}");
    assert!(ticks >= 4, "progress per source");
}
