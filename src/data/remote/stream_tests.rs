//! Tests of the streaming readers.

use super::*;

fn run(shape: Shape, body: &str) -> (String, Streamed) {
    let mut out = Vec::new();
    let got = stream(shape, body.as_bytes(), &mut out, &Arc::new(AtomicBool::new(false))).unwrap();
    (String::from_utf8(out).unwrap(), got)
}

#[test]
fn advanced_hunting_rows_pass_through() {
    let (out, got) = run(
        Shape::AdvancedHunting,
        r#"{"Stats":{},"Schema":[{"Name":"A","Type":"Int64"}],"Results":[{"A":1},{"A":2}]}"#,
    );
    assert_eq!(got.rows, 2);
    assert_eq!(out, "{\"Schema\":[{\"Name\":\"A\",\"Type\":\"Int64\"}],\"Results\":[\n{\"A\":1},\n{\"A\":2}\n]}\n");
}

#[test]
fn log_analytics_rows_become_objects() {
    let body = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"A","type":"long"},{"name":"B","type":"string"}],"rows":[[1,"x"],[2,null]]}]}"#;
    let (out, got) = run(Shape::LogAnalytics, body);
    assert_eq!(got.rows, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["Results"][1], serde_json::json!({"A": 2, "B": null}));
    assert_eq!(v["Schema"][1]["Type"], "string");
}

#[test]
fn adx_reads_only_the_primary_result_and_its_errors() {
    let body = r#"[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},
        {"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":[{"ColumnName":"V","ColumnType":"dynamic"}],"Rows":[[{}]]},
        {"FrameType":"DataTable","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"A","ColumnType":"long"}],"Rows":[[1],[2],
          {"OneApiErrors":[{"error":{"code":"LimitsExceeded","message":"Request is invalid"}}]}]},
        {"FrameType":"DataSetCompletion","HasErrors":true,"Cancelled":false}]"#;
    let (out, got) = run(Shape::AdxV2, body);
    assert_eq!(got.rows, 2);
    assert_eq!(got.service_error.as_ref().map(|e| e.0.as_str()), Some("LimitsExceeded"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["Results"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["Schema"][0]["Name"], "A");
}

#[test]
fn a_broken_body_is_a_shape_error() {
    let mut out = Vec::new();
    let r =
        stream(Shape::AdvancedHunting, &b"{\"Results\":[{\"A\":1},"[..], &mut out, &Arc::new(AtomicBool::new(false)));
    assert!(matches!(r, Err(StreamError::Shape(_))));
}
