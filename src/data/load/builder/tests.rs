//! Building tables row by row: schema order, padding, problems, appending.

use super::*;
use crate::data::table::Table;
use crate::data::value::Value;

fn none(_: &str) -> Option<DataType> {
    None
}

fn col(t: &Table, name: &str) -> usize {
    t.index_of(name).unwrap_or_else(|| panic!("no column {name}"))
}

fn row(b: &mut TableBuilder, fields: Vec<(&str, Raw)>) -> Vec<ValueProblem> {
    let problems = fields.into_iter().enumerate().filter_map(|(i, (k, v))| b.push_field(i, k, v, &none).err());
    let problems = problems.collect();
    b.end_row();
    problems
}

#[test]
fn schema_columns_first_and_padding() {
    let mut b = TableBuilder::new("DeviceProcessEvents", Inference::FromValue);
    assert!(row(&mut b, vec![("Extra", Raw::I64(1)), ("FileSize", Raw::Str("abc".into()))]).len() == 1);
    row(&mut b, vec![("FileName", Raw::Str("a.exe".into())), ("Extra", Raw::F64(1.5))]);
    let t = b.finish();
    assert_eq!(t.fields()[0].name, "Timestamp");
    let Some(last) = t.fields().last() else { panic!("no columns") };
    assert_eq!((last.name.as_str(), last.dtype), ("Extra", DataType::Real));
    assert_eq!(t.value(0, col(&t, "FileName")).as_str(), Some(""));
    assert!(t.value(0, col(&t, "FileSize")).is_null());
    assert!(matches!(t.value(1, col(&t, "Extra")), Value::Real(x) if x == 1.5));
}

#[test]
fn mismatch_names_column_and_value() {
    let mut b = TableBuilder::new("DeviceProcessEvents", Inference::FromValue);
    let p = row(&mut b, vec![("FileSize", Raw::Str("abc".into()))]);
    assert_eq!(p[0].to_string(), r#"column FileSize: expected long, got "abc""#);
}

#[test]
fn append_unites_columns() {
    let mut a = TableBuilder::new("X", Inference::FromValue);
    row(&mut a, vec![("A", Raw::I64(1))]);
    let mut b = TableBuilder::new("X", Inference::FromValue);
    row(&mut b, vec![("B", Raw::Str("s".into())), ("A", Raw::F64(0.5))]);
    a.append(b);
    let t = a.finish();
    assert_eq!(t.len(), 2);
    assert_eq!(t.fields()[0].dtype, DataType::Real);
    assert_eq!(t.value(0, 1).as_str(), Some(""));
    assert_eq!(t.value(1, 1).as_str(), Some("s"));
}
