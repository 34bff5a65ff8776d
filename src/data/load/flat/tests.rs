//! The fast path against serde: it declines a line or reads exactly what serde reads.

use super::*;
use proptest::prelude::*;

/// What serde reads: the fields as the serde path would stage them.
fn serde_fields(line: &str) -> Option<Vec<(String, Raw<'static>)>> {
    let serde_json::Value::Object(map) = serde_json::from_str(line).ok()? else { return None };
    let raw = |v: serde_json::Value| match v {
        serde_json::Value::Null => Some(Raw::Null),
        serde_json::Value::Bool(b) => Some(Raw::Bool(b)),
        serde_json::Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Raw::I64(i),
            (None, Some(u)) => Raw::U64(u),
            _ => Raw::F64(n.as_f64()?),
        }),
        serde_json::Value::String(s) => Some(Raw::Str(Cow::Owned(s))),
        _ => None,
    };
    map.into_iter().map(|(k, v)| Some((k, raw(v)?))).collect()
}

/// The fast path's fields, or `None` when it declines the line.
fn flat_fields(line: &str) -> Option<Vec<(String, Raw<'static>)>> {
    let mut scanner = FlatScanner::default();
    if !scanner.scan(line) {
        return None;
    }
    Some(scanner.fields().map(|(k, v)| (k.to_string(), owned(v))).collect())
}

fn owned(raw: Raw) -> Raw<'static> {
    match raw {
        Raw::Str(s) => Raw::Str(Cow::Owned(s.into_owned())),
        Raw::Null => Raw::Null,
        Raw::Bool(b) => Raw::Bool(b),
        Raw::I64(i) => Raw::I64(i),
        Raw::U64(u) => Raw::U64(u),
        Raw::F64(f) => Raw::F64(f),
        Raw::Json(j) => Raw::Json(j),
    }
}

/// The fast path either declines or reads exactly what serde reads.
fn agrees(line: &str) -> bool {
    match flat_fields(line) {
        None => true,
        Some(fast) => Some(fast) == serde_fields(line),
    }
}

/// A Defender row, with escapes, numbers, a null and non-ASCII text.
const ROW: &str = r#"{"Timestamp":"2026-11-13T12:00:00.5103196Z","DeviceId":"a4199825d6aff722","DeviceName":"ws-022.contoso.local","FolderPath":"C:\\Program Files (x86)\\Edge\\msedge.exe","FileSize":3316256,"ProcessCommandLine":"\"msedge.exe\" --type=renderer","AccountName":"j\u00fcrgen","LogonId":-82338096,"Score":0.25,"IsRemote":false,"AdditionalFields":null,"ReportId":380548213158745218}"#;

#[test]
fn reads_a_defender_row() {
    assert_eq!(flat_fields(ROW).map(|f| f.len()), Some(12));
    assert_eq!(flat_fields(ROW), serde_fields(ROW));
}

#[test]
fn reads_a_row_with_every_kind_of_value() {
    let line = r#"{"Timestamp":"2026-11-13T12:00:00Z", "FolderPath":"C:\\Windows\\a.exe","FileSize":3316256,"x":-1.5e3,"ok":true,"n":null,"u":"\u00e9\ud83d\ude00"}"#;
    let fields = flat_fields(line);
    assert!(fields.is_some(), "a flat row");
    assert_eq!(fields, serde_fields(line));
}

#[test]
fn declines_what_serde_must_read() {
    for line in [
        r#"{"a":{"b":1}}"#,
        r#"{"a":[1]}"#,
        r#"{"records":[]}"#,
        r#"{"properties":1}"#,
        r#"{"a":1,}"#,
        r#"{"a":01}"#,
        r#"{"a":-0}"#,
        r#"{"a":1.}"#,
        r#"{"a":12345678901234567890}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\udc00x"}"#,
        r#"{"a":"\x"}"#,
        "{\"a\":\"tab\there\"}",
        "{\"a\":\t1}",
        r#"{"a":1} x"#,
        r#"[{"a":1}]"#,
        r#"{"a" 1}"#,
        r#"{"a":tru}"#,
    ] {
        assert!(flat_fields(line).is_none(), "{line}");
    }
    assert_eq!(flat_fields("{}"), Some(Vec::new()));
    assert_eq!(flat_fields(r#" { "a" : -12 } "#), Some(vec![("a".into(), Raw::I64(-12))]));
}

#[test]
fn predicted_keys_are_checked_byte_for_byte() {
    let mut scanner = FlatScanner::default();
    assert!(scanner.scan(r#"{"Alpha":1,"Beta":2}"#));
    for line in [r#"{"Alpha":1,"Betb":2}"#, r#"{"Alph":1,"Beta":2}"#, r#"{"Alpha\"":1}"#, r#"{"Alphaa":1}"#] {
        assert!(agrees(line), "{line}");
        if scanner.scan(line) {
            let keys: Vec<String> = scanner.fields().map(|(k, _)| k.to_string()).collect();
            let expected: Option<Vec<String>> = serde_fields(line).map(|f| f.into_iter().map(|(k, _)| k).collect());
            assert_eq!(Some(keys), expected, "{line}");
        }
    }
}

fn scalar() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
        "[a-zA-Z\\\\\"/ é😀]{0,40}".prop_map(serde_json::Value::String),
    ]
}

proptest! {
    #[test]
    fn agrees_with_serde_on_flat_objects(
        fields in proptest::collection::btree_map("[A-Za-z_\"\\\\é]{0,12}", scalar(), 0..12),
        spaced in any::<bool>(),
    ) {
        let sep = if spaced { " , " } else { "," };
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{}", serde_json::Value::String(k.clone()), v))
            .collect();
        let line = format!("{{{}}}", body.join(sep));
        prop_assert!(agrees(&line), "{}", line);
    }

    #[test]
    fn agrees_with_serde_on_mutated_rows(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = ROW.as_bytes().to_vec();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if let Ok(line) = std::str::from_utf8(&bytes) {
            // A second scan with the first row's keys remembered takes the predicted-key path.
            let mut scanner = FlatScanner::default();
            prop_assert!(scanner.scan(ROW));
            if scanner.scan(line) {
                let fast: Vec<_> = scanner.fields().map(|(k, v)| (k.to_string(), owned(v))).collect();
                prop_assert_eq!(Some(fast), serde_fields(line), "{}", line);
            }
            prop_assert!(agrees(line), "{}", line);
        }
    }

    #[test]
    fn agrees_with_serde_on_any_text(line in "\\{[\"a-z0-9:,.eE+\\-\\\\u{} \\[\\]tfnl]{0,40}") {
        prop_assert!(agrees(&line), "{}", line);
    }
}

/// A record's category and properties, as owned values.
type Record = (Option<String>, Vec<(String, Raw<'static>)>);

/// The record scanner's category and properties, or `None` when it declines.
fn record_fields(line: &str) -> Option<Record> {
    let mut scanner = FlatScanner::default();
    if !scanner.scan_record(line) {
        return None;
    }
    let fields = scanner.fields().map(|(k, v)| (k.to_string(), owned(v))).collect();
    Some((scanner.category().map(str::to_string), fields))
}

#[test]
fn records_read_their_flat_properties_and_category() {
    let line = r#"{"time":"2026-11-20T10:00:00Z","tenantId":"t","operationName":"Publish","category":"AdvancedHunting-DeviceProcessEvents","properties":{"DeviceName":"a\"b","ProcessId":4,"Extra":null}}"#;
    let Some((category, fields)) = record_fields(line) else { panic!("the record was declined: {line}") };
    assert_eq!(category.as_deref(), Some("AdvancedHunting-DeviceProcessEvents"));
    let props = r#"{"DeviceName":"a\"b","ProcessId":4,"Extra":null}"#;
    assert_eq!(Some(fields), serde_fields(props));
    // No category: the properties still scan (the table comes from elsewhere).
    assert_eq!(record_fields(r#"{"properties":{}}"#), Some((None, Vec::new())));
}

#[test]
fn records_serde_must_read_are_declined() {
    for line in [
        r#"{"category":"x","properties":{"a":{"nested":1}}}"#,
        r#"{"category":"x","extra":[1],"properties":{"a":1}}"#,
        r#"{"category":"x","properties":{"a":1},"properties":{"b":2}}"#,
        r#"{"category":"x\u0041","properties":{"a":1}}"#,
        r#"{"category":7,"properties":{"a":1}}"#,
        r#"{"category":"x"}"#,
        r#"{"category":"x","properties":{"a":1}} trailing"#,
        r#"{"category":"x","properties":"text"}"#,
        r#"{"records":[{"properties":{"a":1}}]}"#,
    ] {
        assert_eq!(record_fields(line), None, "{line}");
    }
}
