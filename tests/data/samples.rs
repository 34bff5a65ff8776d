//! The sample generator: determinism, the committed `samples/` folder, and
//! the planted scenarios, checked by reading the files back with plain Rust
//! (independent of the generator's own predicates and of the KQL engine).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use kqlhunt::data::schema::table_schema;
use kqlhunt::data::time::parse_datetime;
use kqlhunt::samples::clock::{NOW, WINDOW_START};
use kqlhunt::samples::{Manifest, Options, generate};

/// A row read back: (column, text) in file order.
type Row = Vec<(String, String)>;

fn make(rows: usize, seed: u64, jsonl_only: bool) -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let m = generate(&Options { rows, seed, jsonl_only, ..Options::default() }, dir.path()).unwrap();
    (dir, m)
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn object(v: &serde_json::Value) -> Row {
    v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), text(v))).collect()
}

/// Reads every events file of a folder: table → rows.
fn read_all(dir: &Path) -> BTreeMap<String, Vec<Row>> {
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for (name, bytes) in files(dir) {
        if name.ends_with(".md") {
            continue;
        }
        let table = name.split(['-', '.']).next().unwrap().to_string();
        let data = if name.ends_with(".gz") {
            assert_eq!(&bytes[4..8], &[0, 0, 0, 0], "{name}: gzip mtime must be 0");
            assert_eq!(bytes[3] & 0x08, 0, "{name}: no file name in the gzip header");
            let mut s = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut s).unwrap();
            s
        } else {
            bytes
        };
        let rows = out.entry(table.clone()).or_default();
        if name.contains(".csv") {
            assert!(data.starts_with("\u{feff}".as_bytes()), "{name}: UTF-8 BOM");
            assert!(data.windows(2).any(|w| w == b"\r\n"), "{name}: CRLF");
            let mut r = csv::Reader::from_reader(&data[3..]);
            let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
            for rec in r.records() {
                rows.push(header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect());
            }
        } else if name.contains(".jsonl") {
            for line in data.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                rows.push(object(&serde_json::from_slice(line).unwrap()));
            }
        } else {
            let doc: serde_json::Value = serde_json::from_slice(&data).unwrap();
            if let Some(records) = doc.get("records") {
                for rec in records.as_array().unwrap() {
                    assert_eq!(rec["category"], format!("AdvancedHunting-{table}"));
                    rows.push(object(&rec["properties"]));
                }
            } else {
                let schema: Vec<String> = doc["Schema"].as_array().unwrap().iter().map(|c| text(&c["Name"])).collect();
                let expected: Vec<&str> =
                    table_schema(&table).unwrap().fields.iter().map(|f| f.name.as_str()).collect();
                assert_eq!(schema, expected, "{name}: Schema");
                rows.extend(doc["Results"].as_array().unwrap().iter().map(object));
            }
        }
    }
    out
}

fn get<'r>(row: &'r Row, col: &str) -> &'r str {
    row.iter().find(|(c, _)| c == col).map(|(_, v)| v.as_str()).unwrap()
}

/// Kusto `has` with the phrase model of kql-semantics.md §2.
fn has(lhs: &str, needle: &str) -> bool {
    let (l, n) = (lhs.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let alnum = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let nb = n.as_bytes();
    l.match_indices(&n).any(|(i, _)| {
        let before_ok = !alnum(nb.first().copied()) || !alnum(i.checked_sub(1).map(|j| l.as_bytes()[j]));
        let after_ok = !alnum(nb.last().copied()) || !alnum(l.as_bytes().get(i + n.len()).copied());
        before_ok && after_ok
    })
}

/// What a careless matcher would accept: a substring, or every needle term somewhere.
fn naive(lhs: &str, needle: &str) -> bool {
    let l = lhs.to_ascii_lowercase();
    let terms: BTreeSet<&str> = l.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    l.contains(&needle.to_ascii_lowercase())
        || needle
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .all(|t| terms.contains(t))
}

/// The seed rules' `where` clauses, with a pluggable `has`.
fn rule_matches(id: &str, row: &Row, has: &dyn Fn(&str, &str) -> bool) -> bool {
    match id {
        "02481117-1b9e-4afa-8b88-b3b7e9089c91" => {
            ["LiteManager", "ROMViewer", "ROMServer"].iter().any(|n| has(get(row, "ProcessVersionInfoProductName"), n))
        }
        "3bd4f4fb-20a9-4491-8bc1-51e55da7fdcc" => has(get(row, "Signer"), "Level Software, Inc"),
        "a2d8dde6-007d-4bea-964d-97bb81006849" => has(get(row, "ProcessVersionInfoProductName"), "mRemoteNG"),
        "7da76b41-8c1d-4602-91c6-5d99738d38f4" => {
            has(get(row, "RemoteUrl"), "server.action1.com")
                && has(get(row, "InitiatingProcessVersionInfoCompanyName"), "Action1")
                && has(get(row, "InitiatingProcessVersionInfoProductName"), "Action1")
        }
        "83f7b313-b955-4988-b524-b2da55c67b43" => ["ConnectWise", "Continuum Managed", "ScreenConnect"]
            .iter()
            .any(|n| has(get(row, "ProcessVersionInfoCompanyName"), n)),
        other => panic!("unknown rule {other}"),
    }
}

/// Evaluates the manifest's KQL filters (only `Col op "lit"` joined by one
/// kind of `and`/`or`), independently of the generator's Rust predicates.
fn filter_matches(filter: &str, row: &Row) -> bool {
    let conj = filter.contains(" and ");
    let parts: Vec<&str> = filter.split(if conj { " and " } else { " or " }).collect();
    let eval = |p: &str| {
        let mut it = p.splitn(3, ' ');
        let (col, op, lit) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap().trim_matches('"'));
        let v = get(row, col);
        let (vl, ll) = (v.to_lowercase(), lit.to_lowercase());
        match op {
            "=~" => vl == ll,
            "!~" => vl != ll,
            "!=" => v != lit,
            "contains" => vl.contains(&ll),
            "endswith" => vl.ends_with(&ll),
            other => panic!("operator {other}"),
        }
    };
    if conj { parts.iter().all(|p| eval(p)) } else { parts.iter().any(|p| eval(p)) }
}

fn time(row: &Row) -> i64 {
    parse_datetime(get(row, "Timestamp")).unwrap()
}

#[test]
fn same_seed_same_bytes_and_other_seed_other_bytes() {
    let (a, _) = make(600, 7, false);
    let (b, _) = make(600, 7, false);
    let (c, _) = make(600, 8, false);
    let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fc.keys().collect::<Vec<_>>());
    assert!(fa == fb, "same seed must give the same bytes");
    for (name, bytes) in &fa {
        if !name.ends_with(".md") {
            assert_ne!(bytes, &fc[name], "{name}: another seed must give other bytes");
        }
    }
}

#[test]
fn committed_samples_are_the_default_generation() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let (fresh, _) = make(Options::default().rows, Options::default().seed, false);
    let (want, have) = (files(fresh.path()), files(&committed));
    assert_eq!(have.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "file set of samples/");
    for (name, bytes) in &want {
        assert!(&have[name] == bytes, "samples/{name} differs: run `cargo run -- samples` and commit");
    }
    let total: usize = have.values().map(Vec::len).sum();
    assert!(total <= 4_200_000, "samples/ is {total} bytes");
}

#[test]
fn rows_are_complete_and_scenarios_match_the_manifest() {
    for jsonl_only in [false, true] {
        let (dir, m) = make(900, 3, jsonl_only);
        let tables = read_all(dir.path());
        assert_eq!(tables.len(), 3);
        for f in &m.files {
            assert!(f.name.starts_with(f.table), "{} names its table", f.name);
        }
        let mut newest = i64::MIN;
        for (table, rows) in &tables {
            let schema: Vec<&str> = table_schema(table).unwrap().fields.iter().map(|f| f.name.as_str()).collect();
            let expected = m.files.iter().filter(|f| f.table == table).map(|f| f.rows).sum::<usize>();
            assert_eq!(rows.len(), expected, "{table} rows");
            let mut reports = BTreeSet::new();
            for row in rows {
                let cols: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
                assert_eq!(cols, schema, "{table}: every column, in schema order");
                assert_eq!(get(row, "DeviceId").len(), 40);
                assert!(
                    reports.insert((get(row, "DeviceId").to_string(), get(row, "ReportId").to_string())),
                    "unique ReportId"
                );
                let t = time(row);
                assert!((NOW - 7 * 864_000_000_000..=NOW).contains(&t), "{table}: time in the 7 days");
                newest = newest.max(t);
            }
        }
        assert_eq!(newest, NOW, "the newest event pins now()");
        assert_eq!(tables["DeviceProcessEvents"].len(), 900);
        for rule in &m.rules {
            let rows = &tables[rule.table];
            let inside = |r: &&Row| (WINDOW_START..=NOW).contains(&time(r));
            let hits: Vec<&Row> = rows.iter().filter(inside).filter(|r| rule_matches(rule.id, r, &has)).collect();
            let devices: BTreeSet<&str> = hits.iter().map(|r| get(r, "DeviceId")).collect();
            let outside = rows.iter().filter(|r| !inside(r) && rule_matches(rule.id, r, &has)).count();
            let near = rows
                .iter()
                .filter(inside)
                .filter(|r| rule_matches(rule.id, r, &naive) && !rule_matches(rule.id, r, &has))
                .count();
            assert_eq!(hits.len(), rule.hits, "{}: hits", rule.name);
            assert_eq!(devices.len(), rule.hit_devices, "{}: devices", rule.name);
            assert_eq!(outside, rule.outside_window, "{}: outside the window", rule.name);
            assert_eq!(near, rule.near_misses, "{}: near misses", rule.name);
            assert!(rule.true_positives > 0 && rule.outside_window > 0 && rule.near_misses > 0, "{}", rule.name);
            for ex in &rule.exclusions {
                assert!(ex.look_alikes > 0, "{}: {} has look-alikes", rule.name, ex.scenario);
                if let Some(filter) = ex.filter {
                    let hidden = hits.iter().filter(|r| filter_matches(filter, r)).count();
                    assert_eq!(Some(hidden), ex.hidden, "{}: {}", rule.name, ex.scenario);
                    assert!(hidden > 0, "{}: toggling {} changes the count", rule.name, ex.scenario);
                }
            }
        }
    }
}

#[test]
fn too_few_rows_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let err = generate(&Options { rows: 10, seed: 1, jsonl_only: true, ..Options::default() }, dir.path()).unwrap_err();
    assert!(err.to_string().contains("too small"), "{err}");
}

#[test]
fn has_model_follows_the_semantics_notes() {
    assert!(has(r"C:\Windows\System32\cmd.exe", "cmd.exe"));
    assert!(!has(r"C:\Windows\System32\xcmd.exe", "cmd.exe"));
    assert!(has("https://server.action1.com/agent", "server.action1.com"));
    assert!(!has("agent.server.action1.community", "server.action1.com"));
    assert!(has("Level Software, Inc.", "Level Software, Inc"));
    assert!(!has("Level Software Inc", "Level Software, Inc") && naive("Level Software Inc", "Level Software, Inc"));
}
