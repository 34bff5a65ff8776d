//! Printers for result tables: aligned text (`kql::print::table`, shared
//! with the golden tests), JSON, CSV, Markdown. Text and Markdown output make
//! event values inert (`data::text::inert`).

use std::io::{self, Write};

use crate::data::Value;
use crate::data::text::inert;
use crate::kql::eval::Frame;

pub use crate::kql::print::table::{MAX_CELL, cells};

/// A value as text, as Kusto's `tostring` writes it, except datetimes in
/// their display form (ISO-8601 UTC, up to 7 fraction digits); dynamic values
/// as compact JSON, null as empty.
pub fn value_text(v: &Value) -> String {
    crate::kql::eval::functions::convert::display_text(v).into_owned()
}

/// Writes an aligned text table (`kql::print::table::aligned`).
pub fn table(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    out.write_all(crate::kql::print::table::aligned(rows).as_bytes())
}

/// Writes a Markdown table (pipes escaped, values inert).
pub fn markdown(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    let Some(header) = rows.first() else { return Ok(()) };
    let esc = |s: &str| inert(s).replace('|', "\\|");
    writeln!(out, "| {} |", header.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(header.len()))?;
    for row in &rows[1..] {
        writeln!(out, "| {} |", row.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | "))?;
    }
    Ok(())
}

/// Writes CSV (values raw: CSV consumers are programs, not terminals).
pub fn csv(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    for r in rows {
        w.write_record(r).map_err(io::Error::other)?;
    }
    w.flush()
}

pub use crate::hunt::export::json_value;

/// A frame as a JSON array of row objects, columns in result order.
pub fn json_rows(frame: &Frame) -> serde_json::Value {
    let names: Vec<&str> = frame.names().collect();
    let rows = (0..frame.len())
        .map(|r| {
            let mut obj = serde_json::Map::new();
            for (c, n) in names.iter().enumerate() {
                obj.insert((*n).to_string(), json_value(&frame.value(r, c)));
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// The JSON schema of a frame: `[{"name":..,"type":..}]`.
pub fn json_schema(frame: &Frame) -> serde_json::Value {
    serde_json::Value::Array(
        frame.fields().iter().map(|f| serde_json::json!({"name": f.name, "type": f.dtype.name()})).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_aligned_and_inert() {
        let rows = vec![vec!["A".into(), "Long".into()], vec!["x\u{1b}[2J".into(), "1".into()]];
        let mut out = Vec::new();
        table(&mut out, &rows).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "A       Long\n------  ----\nx\\e[2J  1\n");
    }

    #[test]
    fn reals_print_like_kusto() {
        assert_eq!(value_text(&Value::Real(3.0)), "3");
        assert_eq!(value_text(&Value::Real(2.5)), "2.5");
    }
}
