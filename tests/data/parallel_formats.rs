//! Documents and CSV big enough to be parsed on the parser threads (several
//! 4 MiB batches): rows keep their order and every problem keeps its exact
//! line, as when the file was parsed on one thread.

use kqlhunt::data::Value;
use kqlhunt::data::load::{LoadOptions, LoadResult, load_bytes};

/// Rows: about 7 MiB of CSV or JSON, well past the first 256 KiB parsed on
/// the reading thread and over several batches.
const ROWS: usize = 60_000;

fn problems(r: &LoadResult) -> Vec<String> {
    r.report.problems.iter().map(|p| p.to_string()).collect()
}

pub(crate) fn command(i: usize) -> String {
    format!(r"C:\\Windows\\system32\\cmd.exe /c echo row {i} with some padding to make the row longer")
}

/// Checks every loaded row is in order: ProcessId counts the good rows.
fn assert_in_order(r: &LoadResult, expected: usize) {
    let t = r.database.get("DeviceProcessEvents").unwrap();
    assert_eq!(t.len(), expected);
    let col = t.index_of("ProcessId").unwrap();
    let ids: Vec<i64> = (0..t.len())
        .map(|row| match t.value(row, col) {
            Value::Long(n) => n,
            other => panic!("row {row}: ProcessId {other:?}"),
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "rows out of order");
}

#[test]
fn api_json_elements_keep_their_lines_on_the_parser_threads() {
    // One element per line after the two header lines; element i is on line i + 3.
    let mut doc = String::from(
        "{\"Schema\":[{\"Name\":\"ProcessId\",\"Type\":\"Int64\"},{\"Name\":\"ProcessCommandLine\",\"Type\":\"String\"}],\n\"Results\":[\n",
    );
    let bad = [5, 30_001, 59_998];
    for i in 0..ROWS {
        if i > 0 {
            doc.push_str(",\n");
        }
        if bad.contains(&i) {
            doc.push_str("42");
        } else {
            doc.push_str(&format!(r#"{{"ProcessId":{i},"ProcessCommandLine":"{}"}}"#, command(i)));
        }
    }
    doc.push_str("\n]}\n");
    let r = load_bytes("DeviceProcessEvents.json", doc.as_bytes(), &LoadOptions::default());
    assert_in_order(&r, ROWS - bad.len());
    let lines: Vec<String> = bad.iter().map(|i| format!(":{}: expected a JSON object", i + 3)).collect();
    let found = problems(&r);
    assert_eq!(found.len(), bad.len(), "{found:?}");
    for (line, problem) in lines.iter().zip(&found) {
        assert!(problem.contains(line), "{problem} (expected {line})");
    }
}

#[test]
fn a_broken_document_keeps_the_elements_before_the_break() {
    let mut doc = String::from("{\"records\":[\n");
    let broken = 40_000;
    for i in 0..ROWS {
        if i > 0 {
            doc.push_str(",\n");
        }
        if i == broken {
            doc.push_str("{\"properties\": tru");
            break;
        }
        doc.push_str(&format!(
            r#"{{"category":"AdvancedHunting-DeviceProcessEvents","properties":{{"ProcessId":{i},"ProcessCommandLine":"{}"}}}}"#,
            command(i)
        ));
    }
    let r = load_bytes("events.json", doc.as_bytes(), &LoadOptions::default());
    assert_in_order(&r, broken);
    let found = problems(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(&format!(":{}: invalid JSON", broken + 2)), "{found:?}");
}

#[test]
fn csv_records_keep_their_lines_on_the_parser_threads() {
    // Every 1,000th record has a quoted field over two lines, which shifts the lines after it.
    let mut csv = String::from("\u{feff}ProcessId,ProcessCommandLine,FileName\r\n");
    let mut line = 2;
    let mut expected = Vec::new();
    let mut good = 0;
    for i in 0..ROWS {
        if i % 1_000 == 999 {
            csv.push_str(&format!("{i},\"two\r\nlines, \"\"quoted\"\"\",cmd.exe\r\n"));
            line += 2;
            good += 1;
        } else if i % 7_919 == 7_918 {
            csv.push_str(&format!("{i},too few fields\r\n"));
            expected.push(format!(":{line}: expected 3 fields"));
            line += 1;
        } else {
            csv.push_str(&format!("{i},\"{}\",cmd.exe\r\n", command(i).replace('"', "\"\"")));
            line += 1;
            good += 1;
        }
    }
    let r = load_bytes("DeviceProcessEvents.csv", csv.as_bytes(), &LoadOptions::default());
    assert_in_order(&r, good);
    let found = problems(&r);
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for (want, problem) in expected.iter().zip(&found) {
        assert!(problem.contains(want), "{problem} (expected {want})");
    }
    let t = r.database.get("DeviceProcessEvents").unwrap();
    let col = t.index_of("ProcessCommandLine").unwrap();
    assert_eq!(t.value(999, col).as_str(), Some("two\r\nlines, \"quoted\""));
}

/// Every cell of every table, and the problems with their lines: what a
/// load answers.
pub(crate) fn snapshot(r: &LoadResult) -> (Vec<String>, Vec<String>) {
    let mut cells = Vec::new();
    for t in r.database.tables() {
        for row in 0..t.len() {
            let values: Vec<String> = (0..t.columns().len()).map(|c| format!("{:?}", t.value(row, c))).collect();
            cells.push(format!("{}:{}", t.name(), values.join("|")));
        }
    }
    // Problems without the folder: the mapped load names the file's path.
    let problems = r.report.problems.iter().map(|p| p.to_string().rsplit('/').next().unwrap_or("").to_string());
    (cells, problems.chain([r.report.problems_total.to_string()]).collect())
}

#[test]
fn a_large_json_lines_file_read_through_memory_maps_loads_as_read() {
    // Over 32 MiB (the size from which a plain file is mapped) and past two
    // 16 MiB chunks: a BOM, a first line longer than the 256 KiB first chunk,
    // CRLF lines, blank and broken lines, and a last line without its newline.
    let mut text = String::from("\u{feff}");
    text.push_str(&format!("{{\"ProcessId\":0,\"ProcessCommandLine\":\"{}\"}}\n", "x".repeat(400 << 10)));
    let mut i = 1;
    while text.len() < (34 << 20) {
        match i % 9973 {
            17 => text.push('\n'),
            29 => text.push_str("{\"ProcessId\": broken\n"),
            _ => {}
        }
        let end = if i % 3 == 0 { "\r\n" } else { "\n" };
        text.push_str(&format!("{{\"ProcessId\":{i},\"ProcessCommandLine\":\"{}\"}}{end}", command(i)));
        i += 1;
    }
    text.push_str(&format!("{{\"ProcessId\":{i},\"ProcessCommandLine\":\"last\"}}"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("DeviceProcessEvents.jsonl");
    std::fs::write(&path, &text).unwrap();

    let mapped = kqlhunt::data::load::load_paths(&[path], &LoadOptions::default(), &mut |_| {});
    let read = load_bytes("DeviceProcessEvents.jsonl", text.as_bytes(), &LoadOptions::default());
    assert_in_order(&mapped, i + 1);
    let (mapped, read) = (snapshot(&mapped), snapshot(&read));
    assert_eq!(mapped.1, read.1);
    assert!(mapped.1.len() > 20 && mapped.1[0].starts_with("DeviceProcessEvents.jsonl:31: "), "{:?}", mapped.1);
    assert!(mapped.0 == read.0, "the mapped load's cells differ from the read load's");
}
