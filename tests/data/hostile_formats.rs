//! Every export format the sample generator writes loads back to the same
//! tables: the bundled mix (JSON Lines, AH API JSON, streaming records in
//! gzip, JSON Lines in gzip, portal CSV) equals the all-JSON-Lines set of the
//! same seed, column by column. The portal CSV keeps whole seconds only, so
//! its table's datetimes are compared to the second.

use std::collections::BTreeMap;
use std::path::Path;

use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::data::{Database, Value};
use kqlhunt::samples::{Options, generate};
use proptest::prelude::*;

/// Tables as name → column → sorted cell texts (row order differs by file split).
fn columns(db: &Database) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for t in db.tables() {
        let whole_seconds = t.name() == "DeviceFileCertificateInfo";
        let mut cols = BTreeMap::new();
        for (c, f) in t.fields().iter().enumerate() {
            let mut cells: Vec<String> = (0..t.len())
                .map(|r| match t.value(r, c) {
                    Value::DateTime(ticks) if whole_seconds => {
                        format!("{:?}", Value::DateTime(ticks - ticks % 10_000_000))
                    }
                    v => format!("{v:?}"),
                })
                .collect();
            cells.sort();
            cols.insert(f.name.clone(), cells);
        }
        out.insert(t.name().to_string(), cols);
    }
    out
}

fn load(dir: &Path) -> (Database, usize) {
    let r = load_paths(&[dir.to_path_buf()], &LoadOptions::default(), &mut |_| {});
    (r.database, r.report.problems_total)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    #[test]
    fn every_format_loads_to_the_same_tables(seed in 1u64..1_000_000) {
        let mixed = tempfile::tempdir().unwrap();
        let plain = tempfile::tempdir().unwrap();
        let rows = 400;
        generate(&Options { rows, seed, jsonl_only: false, ..Options::default() }, mixed.path()).unwrap();
        generate(&Options { rows, seed, jsonl_only: true, ..Options::default() }, plain.path()).unwrap();
        let (a, problems_a) = load(mixed.path());
        let (b, problems_b) = load(plain.path());
        prop_assert_eq!((problems_a, problems_b), (0, 0));
        prop_assert_eq!(a.tables().len(), 3);
        let (a, b) = (columns(&a), columns(&b));
        for (table, cols) in &b {
            let other = &a[table];
            prop_assert_eq!(other.keys().collect::<Vec<_>>(), cols.keys().collect::<Vec<_>>(), "{}", table);
            for (name, cells) in cols {
                prop_assert!(&other[name] == cells, "{}.{} differs", table, name);
            }
        }
    }
}
