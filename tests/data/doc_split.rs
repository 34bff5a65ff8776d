//! The hand split of API JSON and streaming-records documents loads what
//! serde's reading of the whole document loads, with the same problems at
//! the same lines: each document is loaded as written, and again with its
//! container key escaped (`"\u0052esults"`), which the split leaves to serde
//! from the first byte — the way every document was read before.

use kqlhunt::data::load::{LoadOptions, LoadResult, load_bytes, load_paths};
use proptest::prelude::*;

use super::parallel_formats::{command, snapshot};

/// What a load answers: cells, problems with their lines, and the file's counts.
fn answer(r: &LoadResult) -> (Vec<String>, Vec<String>, String) {
    let (cells, problems) = snapshot(r);
    let file = &r.report.files[0];
    let counts = format!("{:?} {} {} {}", file.format, file.rows_loaded, file.rows_skipped, file.values_nulled);
    (cells, problems, counts)
}

/// The document's shape: its opening (container key written plainly or escaped).
#[derive(Clone, Copy, Debug)]
enum Shape {
    Api,
    Records,
}

impl Shape {
    /// The text before the first element: `{` alone on the first line (so
    /// the escaped key still reads as a document), the key on its own line.
    fn head(self, escaped: bool) -> String {
        let schema = r#""Schema":[{"Name":"ProcessId","Type":"Int64"},{"Name":"ProcessCommandLine","Type":"String"}],"#;
        match (self, escaped) {
            (Shape::Api, false) => format!("{{\n{schema}\n\"Results\":[\n"),
            (Shape::Api, true) => format!("{{\n{schema}\n\"\\u0052esults\":[\n"),
            (Shape::Records, false) => "{\n\"records\":[\n".to_string(),
            (Shape::Records, true) => "{\n\"\\u0072ecords\":[\n".to_string(),
        }
    }
}

/// Element `kind` for row `i`: events, events with nested values, strings
/// full of brackets, quotes and escapes, values that are not events, bad
/// values, invalid UTF-8, a lone surrogate (JSON to serde's split, an error
/// to its parse).
fn element(shape: Shape, kind: usize, i: usize) -> Vec<u8> {
    let event = match kind % 9 {
        0 => format!(r#"{{"ProcessId":{i},"ProcessCommandLine":"{}"}}"#, command(i)),
        1 => format!(r#"{{"ProcessId":{i},"AdditionalFields":{{"a":[1,{{"b":"]}}"}}]}},"ProcessCommandLine":"x"}}"#),
        2 => return b"42".to_vec(),
        3 => return br#"[1,"}"]"#.to_vec(),
        4 => format!("{{\n  \"ProcessId\": {i},\n  \"ProcessCommandLine\": \"cmd \\\"]}}[{{\\\" \\\\ x\"\n}}"),
        5 => format!(r#"{{"ProcessId":"abc{i}","ProcessCommandLine":"y"}}"#),
        // `~` stands for a byte that is not UTF-8.
        6 => format!(r#"{{"ProcessId":{i},"ProcessCommandLine":"bad ~"}}"#),
        7 => format!(r#"{{"ProcessId":{i},"ProcessCommandLine":"\u00e9\n\ud83d\ude00 \udc00"}}"#),
        _ => format!(r#"{{"ProcessId":{i},"ProcessCommandLine":"\u00e9\t\"quoted\""}}"#),
    };
    let bytes: Vec<u8> = event.into_bytes().into_iter().map(|b| if b == b'~' { 0xff } else { b }).collect();
    match shape {
        Shape::Api => bytes,
        Shape::Records => {
            let mut record =
                br#"{"time":"2026-11-20T10:00:00Z","category":"AdvancedHunting-DeviceProcessEvents","properties":"#
                    .to_vec();
            record.extend(bytes);
            record.push(b'}');
            record
        }
    }
}

/// How a document breaks.
#[derive(Clone, Copy, Debug)]
enum Break {
    /// An element with a bad literal inside its brackets.
    BadLiteral,
    /// Two elements without a comma between them.
    NoComma,
    /// A comma and then the array's end.
    TrailingComma,
    /// A byte that is not UTF-8 between elements.
    Utf8Gap,
    /// A raw tab inside a string.
    RawTab,
    /// The text ends.
    Cut,
}

/// A document of `rows` elements of the given kinds, broken at element
/// `broken` when asked, then a second document after it.
fn document(shape: Shape, escaped: bool, kinds: &[usize], separator: &str, broken: Option<(usize, Break)>) -> Vec<u8> {
    let mut doc = shape.head(escaped).into_bytes();
    for (i, &kind) in kinds.iter().enumerate() {
        if i > 0 {
            doc.extend(separator.as_bytes());
        }
        match broken {
            Some((at, how)) if at == i => {
                match how {
                    Break::BadLiteral => doc.extend(br#"{"ProcessId": tru}"#),
                    Break::NoComma => doc.extend(br#"{"ProcessId":1} {"ProcessId":2}"#),
                    Break::TrailingComma => doc.extend(br#"{"ProcessId":1},"#),
                    Break::Utf8Gap => doc.extend(b"\xff{\"ProcessId\":1}"),
                    Break::RawTab => doc.extend(b"{\"ProcessCommandLine\":\"a\tb\"}"),
                    Break::Cut => return doc,
                }
                continue;
            }
            _ => {}
        }
        doc.extend(element(shape, kind, i));
    }
    doc.extend(b"\n]}\n");
    // A second document: read by the split in both loads (the first one's
    // escaped key only sends the first to serde).
    doc.extend(shape.head(false).as_bytes());
    doc.extend(element(shape, 0, kinds.len()));
    doc.extend(b"]}");
    doc
}

/// Loads a document as written and with its key escaped; both answers.
fn both(
    shape: Shape,
    kinds: &[usize],
    separator: &str,
    broken: Option<(usize, Break)>,
) -> [(Vec<String>, Vec<String>, String); 2] {
    let opts = LoadOptions::default();
    [false, true].map(|escaped| {
        let doc = document(shape, escaped, kinds, separator, broken);
        answer(&load_bytes("DeviceProcessEvents.json", &doc, &opts))
    })
}

#[test]
fn elements_over_many_batches_load_as_serde_reads_them() {
    // About 7 MiB: past the first 256 KiB on the reading thread and over
    // two 4 MiB batches, so elements are split across batch boundaries.
    let kinds: Vec<usize> = (0..60_000).map(|i| if i % 97 == 0 { i / 97 } else { 0 }).collect();
    for shape in [Shape::Api, Shape::Records] {
        let [split, serde] = both(shape, &kinds, ",\n", None);
        assert!(split.1.len() > 20, "{:?}", split.1);
        assert_eq!(split.1, serde.1);
        assert_eq!(split.2, serde.2);
        assert!(split.0 == serde.0, "{shape:?}: the split's cells differ from serde's");
    }
}

#[test]
fn a_document_broken_after_many_batches_reports_serdes_error_at_its_line() {
    let kinds: Vec<usize> = (0..50_000).map(|i| if i % 10_000 == 7 { 2 } else { 0 }).collect();
    for how in [Break::BadLiteral, Break::NoComma, Break::TrailingComma, Break::Utf8Gap, Break::RawTab, Break::Cut] {
        let [split, serde] = both(Shape::Api, &kinds, ",\n", Some((40_000, how)));
        assert_eq!(split, serde, "{how:?}");
        let last = split.1.iter().rev().nth(1).unwrap();
        assert!(last.contains("invalid JSON") && last.contains("the rest of the file is skipped"), "{how:?}: {last}");
    }
}

#[test]
fn a_large_document_read_through_a_memory_map_loads_as_read() {
    // Over 32 MiB, the size from which a plain file is mapped.
    let kinds: Vec<usize> = (0..160_000).map(|i| if i % 4_999 == 3 { i / 4_999 } else { 0 }).collect();
    let doc = document(Shape::Records, false, &kinds, ",\r\n", None);
    assert!(doc.len() > 33 << 20);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("DeviceProcessEvents.json");
    std::fs::write(&path, &doc).unwrap();
    let mapped = answer(&load_paths(&[path], &LoadOptions::default(), &mut |_| {}));
    let serde = document(Shape::Records, true, &kinds, ",\r\n", None);
    let serde = answer(&load_bytes("DeviceProcessEvents.json", &serde, &LoadOptions::default()));
    assert_eq!(mapped.1, serde.1);
    assert_eq!(mapped.2, serde.2);
    assert!(mapped.0 == serde.0, "the mapped split's cells differ from serde's");
}

fn break_kind() -> impl Strategy<Value = Option<Break>> {
    prop_oneof![
        Just(None),
        Just(Some(Break::BadLiteral)),
        Just(Some(Break::NoComma)),
        Just(Some(Break::TrailingComma)),
        Just(Some(Break::Utf8Gap)),
        Just(Some(Break::RawTab)),
        Just(Some(Break::Cut)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn small_documents_load_as_serde_reads_them(
        kinds in prop::collection::vec(0usize..9, 0..30),
        records in any::<bool>(),
        separator in prop_oneof![Just(","), Just(",\n"), Just(" ,\r\n  ")],
        how in break_kind(),
        at in 0usize..30,
    ) {
        let shape = if records { Shape::Records } else { Shape::Api };
        let broken = how.map(|how| (at.min(kinds.len().saturating_sub(1)), how)).filter(|_| !kinds.is_empty());
        let [split, serde] = both(shape, &kinds, separator, broken);
        prop_assert_eq!(split, serde);
    }
}
