//! Streaming readers of the three documented response shapes. Each reads
//! the body once, row by row (serde visitors over a reader, never the whole
//! body as one `Value`), and writes the rows as one Advanced Hunting API
//! document, `{"Schema":[{"Name","Type"}],"Results":[{..},..]}`, the shape
//! the loader reads and the cache keeps. Memory is one row at a time.

use std::fmt;
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::writer::{Column, Writer};
pub use super::writer::{StreamError, Streamed};

/// The three shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `{"Schema":[..],"Results":[{..}]}`.
    AdvancedHunting,
    /// `{"tables":[{"name","columns","rows"}]}`: the first table is the result.
    LogAnalytics,
    /// v2 frames: the first `DataTable` with `TableKind` `PrimaryResult`.
    AdxV2,
}

/// Reads `body` of `shape`, writing the rows to `out` as an AH API document.
pub fn stream(
    shape: Shape,
    body: impl Read,
    out: &mut dyn Write,
    cancel: &Arc<AtomicBool>,
) -> Result<Streamed, StreamError> {
    let mut w = Writer::new(out, cancel.clone());
    w.raw("{")?;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, body));
    let parsed = match shape {
        Shape::AdvancedHunting => de.deserialize_map(AhDoc { w: &mut w }),
        Shape::LogAnalytics => de.deserialize_map(LaDoc { w: &mut w }),
        Shape::AdxV2 => de.deserialize_seq(AdxFrames { w: &mut w }),
    };
    let parsed = parsed.and_then(|()| de.end());
    if let Some(e) = w.stopped.take() {
        return Err(e);
    }
    parsed.map_err(|e| match e.is_io() {
        true if cancel.load(Ordering::Relaxed) => StreamError::Cancelled,
        true => StreamError::Read(e.to_string()),
        false => StreamError::Shape(e.to_string()),
    })?;
    if !w.schema_written {
        w.schema(&[])?;
    }
    if !w.results_open && !w.results_closed {
        w.raw(",\"Results\":[")?;
        w.results_open = true;
    }
    if w.results_open {
        w.raw("\n]")?;
    }
    w.raw("}\n")?;
    w.out.flush().map_err(StreamError::Write)?;
    Ok(std::mem::take(&mut w.found))
}

/// `{"Name":..,"Type":..}` of the AH API, `{"name","type"}` of Log
/// Analytics, `{"ColumnName","ColumnType"}` of ADX.
#[derive(Deserialize)]
struct AnyColumn {
    #[serde(alias = "Name", alias = "name", alias = "ColumnName")]
    name: String,
    #[serde(alias = "Type", alias = "type", alias = "ColumnType", default)]
    ty: String,
}

fn columns(cols: Vec<AnyColumn>) -> Vec<Column> {
    cols.into_iter().map(|c| Column { name: c.name, ty: c.ty }).collect()
}

// ---- Advanced Hunting API ------------------------------------------------

struct AhDoc<'a, 'w> {
    w: &'a mut Writer<'w>,
}

impl<'de> Visitor<'de> for AhDoc<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with Schema and Results")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "Schema" => {
                    let cols = columns(map.next_value::<Vec<AnyColumn>>()?);
                    self.w.schema(&cols).map_err(|e| self.w.stop(e))?;
                }
                "Results" => {
                    self.w.open_results().map_err(|e| self.w.stop(e))?;
                    map.next_value_seed(Rows { w: self.w, names: None })?;
                    self.w.close_results().map_err(|e| self.w.stop(e))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A `Results`/`rows`/`Rows` array, streamed row by row.
struct Rows<'a, 'w> {
    w: &'a mut Writer<'w>,
    /// Column names for rows given as arrays; `None`: rows are objects.
    names: Option<&'a [String]>,
}

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Box<RawValue>>()? {
            let text = row.get();
            let done = match (self.names, text.as_bytes().first()) {
                (None, Some(b'{')) => self.w.row_object(&row),
                (Some(names), Some(b'[')) => match serde_json::from_str::<Vec<&RawValue>>(text) {
                    Ok(values) => self.w.row_array(names, &values),
                    Err(e) => Err(StreamError::Shape(format!("a row: {e}"))),
                },
                // ADX reports an error met while streaming as an object among the rows.
                (Some(_), Some(b'{')) => {
                    self.w.found.service_error = one_api_error(text);
                    Ok(())
                }
                _ => Err(StreamError::Shape("a row is neither an object nor an array".into())),
            };
            done.map_err(|e| self.w.stop(e))?;
        }
        Ok(())
    }
}

/// The first error of an ADX `{"OneApiErrors":[{"error":{"code","message"}}]}`.
fn one_api_error(text: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let e = v.get("OneApiErrors")?.get(0)?.get("error")?;
    let s = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let message = e.get("@message").and_then(|x| x.as_str()).map(str::to_string).unwrap_or_else(|| s("message"));
    Some((s("code"), message))
}

// ---- Log Analytics -------------------------------------------------------

struct LaDoc<'a, 'w> {
    w: &'a mut Writer<'w>,
}

impl<'de> Visitor<'de> for LaDoc<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with tables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "tables" => map.next_value_seed(LaTables { w: self.w })?,
                "error" => {
                    let v: serde_json::Value = map.next_value()?;
                    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                    self.w.found.service_error = Some((s("code"), s("message")));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct LaTables<'a, 'w> {
    w: &'a mut Writer<'w>,
}

impl<'de> DeserializeSeed<'de> for LaTables<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for LaTables<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of tables")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // The first table is the primary result; later ones are skipped.
        let mut first = true;
        while seq.next_element_seed(Table { w: &mut *self.w, wanted: first, kind_needed: false })?.is_some() {
            first = false;
        }
        Ok(())
    }
}

/// One table object (Log Analytics) or frame (ADX): columns, then rows.
struct Table<'a, 'w> {
    w: &'a mut Writer<'w>,
    /// Whether this table's rows are the result (a Log Analytics first table).
    wanted: bool,
    /// ADX: the rows are the result only in a `DataTable` of kind `PrimaryResult`.
    kind_needed: bool,
}

impl<'de> DeserializeSeed<'de> for Table<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Table<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names: Option<Vec<String>> = None;
        let mut primary = !self.kind_needed;
        let mut frame_type = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "columns" | "Columns" => {
                    let cols = columns(map.next_value::<Vec<AnyColumn>>()?);
                    if self.wanted && primary && !self.w.results_closed {
                        self.w.schema(&cols).map_err(|e| self.w.stop(e))?;
                    }
                    names = Some(cols.into_iter().map(|c| c.name).collect());
                }
                "FrameType" => frame_type = Some(map.next_value::<String>()?),
                "TableKind" => primary = map.next_value::<String>()? == "PrimaryResult",
                "rows" | "Rows" if self.wanted && primary && !self.w.results_closed => {
                    let Some(names) = names.as_deref() else {
                        return Err(self.w.stop(StreamError::Shape("rows came before columns".into())));
                    };
                    self.w.open_results().map_err(|e| self.w.stop(e))?;
                    map.next_value_seed(Rows { w: &mut *self.w, names: Some(names) })?;
                    self.w.close_results().map_err(|e| self.w.stop(e))?;
                }
                "HasErrors" if frame_type.as_deref() == Some("DataSetCompletion") => {
                    map.next_value::<bool>()?;
                }
                "Cancelled" if frame_type.as_deref() == Some("DataSetCompletion") => {
                    self.w.found.cancelled_by_service |= map.next_value::<bool>()?;
                }
                "OneApiErrors" => {
                    let v: serde_json::Value = map.next_value()?;
                    if self.w.found.service_error.is_none() {
                        self.w.found.service_error =
                            one_api_error(&serde_json::json!({ "OneApiErrors": v }).to_string());
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

// ---- ADX v2 --------------------------------------------------------------

struct AdxFrames<'a, 'w> {
    w: &'a mut Writer<'w>,
}

impl<'de> Visitor<'de> for AdxFrames<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of v2 frames")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Table { w: &mut *self.w, wanted: true, kind_needed: true })?.is_some() {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
        let r = stream(
            Shape::AdvancedHunting,
            &b"{\"Results\":[{\"A\":1},"[..],
            &mut out,
            &Arc::new(AtomicBool::new(false)),
        );
        assert!(matches!(r, Err(StreamError::Shape(_))));
    }
}
