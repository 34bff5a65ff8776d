//! Operators that reshape rows: `mv-expand`, `getschema`.

use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, Ident, NamedExpr};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::project::{AutoNames, output_name};
use super::sources::convert_literal;

impl Evaluator {
    /// `mv-expand a, b = expr to typeof(t) limit n`: arrays expand in parallel
    /// (shorter ones padded with null), a null value gives one row, an empty
    /// array or bag gives none; bags expand to one-entry bags, or with
    /// `bag_arrays` to `[key, value]` arrays (mv-expand-operator.md).
    pub(crate) fn mv_expand(
        &mut self,
        frame: Frame,
        index: Option<&Ident>,
        items: &[(NamedExpr, Option<DataType>)],
        limit: Option<&Expr>,
        bag_arrays: bool,
        span: Span,
    ) -> Result<Frame> {
        let limit = match limit {
            Some(e) => self.const_count(e)?,
            None => usize::MAX,
        };
        let mut names = Vec::new();
        let mut values = Vec::new();
        let mut auto = AutoNames::default();
        for (item, to) in items {
            let v = self.scalar(&item.expr, &frame)?;
            names.push((output_name(item, &mut auto, &frame)?, to.unwrap_or(DataType::Dynamic)));
            values.push((0..frame.len()).map(|r| v.get(&frame, r)).collect::<Vec<_>>());
        }
        let row = super::budget::row_bytes(frame.cols().len() + items.len());
        let mut positions: Vec<u32> = Vec::new();
        let mut expanded: Vec<Vec<Value>> = vec![Vec::new(); items.len()];
        let mut indexes: Vec<i64> = Vec::new();
        for r in 0..frame.len() {
            let elems: Vec<Option<Vec<Value>>> = values.iter().map(|col| elements(&col[r], bag_arrays)).collect();
            let count = elems.iter().map(|e| e.as_ref().map_or(1, Vec::len)).max().unwrap_or(0).min(limit);
            for k in 0..count {
                positions.push(r as u32);
                indexes.push(k as i64);
                for (i, e) in elems.iter().enumerate() {
                    let v = match e {
                        Some(list) => list.get(k).cloned().unwrap_or(Value::Null),
                        None => Value::Null,
                    };
                    expanded[i].push(v);
                }
            }
            if positions.len() > self.session.limits.max_rows {
                return Err(KqlError::too_many_rows(span, "mv-expand produces too many rows"));
            }
            if r % 4096 == 0 {
                self.check_memory(positions.len() as u64 * row, "mv-expand", span)?;
            }
        }
        self.charge(positions.len() as u64 * row, "mv-expand", span)?;
        let mut out = frame.take_rows(&positions);
        for ((name, dtype), vals) in names.iter().zip(expanded) {
            let mut b = ColumnBuilder::new(*dtype);
            for v in vals {
                b.push(&cast_element(v, *dtype));
            }
            out.set_column(name, Arc::new(b.finish()));
        }
        if let Some(i) = index {
            let col = Column::Long(crate::data::PrimColumn::from_options(indexes.into_iter().map(Some)));
            out.set_column(&i.name, Arc::new(col));
        }
        Ok(out)
    }
}

/// `getschema`: one row per column.
pub(crate) fn get_schema(frame: &Frame) -> Frame {
    let fields = frame.fields();
    let str_col = |f: &dyn Fn(&crate::data::Field) -> String| {
        Arc::new(Column::String(crate::data::StrColumn::from_strs(
            fields.iter().map(f).collect::<Vec<_>>().iter().map(String::as_str),
        )))
    };
    let ordinals = Column::Int(crate::data::PrimColumn::from_options((0..fields.len() as i32).map(Some)));
    Frame::from_columns(vec![
        ("ColumnName".into(), str_col(&|f| f.name.clone())),
        ("ColumnOrdinal".into(), Arc::new(ordinals)),
        ("DataType".into(), str_col(&|f| dotnet_type(f.dtype).to_string())),
        ("ColumnType".into(), str_col(&|f| f.dtype.name().to_string())),
    ])
}

fn dotnet_type(t: DataType) -> &'static str {
    match t {
        DataType::Bool => "System.SByte",
        DataType::Int => "System.Int32",
        DataType::Long => "System.Int64",
        DataType::Real => "System.Double",
        DataType::DateTime => "System.DateTime",
        DataType::Timespan => "System.TimeSpan",
        DataType::String => "System.String",
        DataType::Guid => "System.Guid",
        DataType::Dynamic => "System.Object",
        DataType::Decimal => "System.Data.SqlTypes.SqlDecimal",
    }
}

/// The elements a value expands to: `None` for null (one null row).
fn elements(v: &Value, bag_arrays: bool) -> Option<Vec<Value>> {
    match v {
        Value::Dynamic(j) => match &**j {
            serde_json::Value::Array(a) => Some(a.iter().map(json_value).collect()),
            serde_json::Value::Object(m) => Some(
                m.iter()
                    .map(|(k, v)| {
                        if bag_arrays {
                            let pair = serde_json::Value::Array(vec![serde_json::Value::String(k.clone()), v.clone()]);
                            return Value::Dynamic(Arc::new(pair));
                        }
                        let mut one = serde_json::Map::new();
                        one.insert(k.clone(), v.clone());
                        Value::Dynamic(Arc::new(serde_json::Value::Object(one)))
                    })
                    .collect(),
            ),
            serde_json::Value::Null => None,
            other => Some(vec![json_value(other)]),
        },
        Value::Null => None,
        other => Some(vec![other.clone()]),
    }
}

fn json_value(j: &serde_json::Value) -> Value {
    if j.is_null() { Value::Null } else { Value::Dynamic(Arc::new(j.clone())) }
}

/// `to typeof(t)` is a cast, not a conversion: elements of another type become null.
fn cast_element(v: Value, t: DataType) -> Value {
    if t == DataType::Dynamic {
        return v;
    }
    let scalar = match &v {
        Value::Dynamic(j) => match &**j {
            serde_json::Value::String(s) if t.is_text() => Value::str(s),
            serde_json::Value::String(s) if t == DataType::DateTime => {
                crate::data::time::parse_datetime(s).map(Value::DateTime).unwrap_or(Value::Null)
            }
            serde_json::Value::Number(n) if t == DataType::Long || t == DataType::Int => {
                n.as_i64().map(Value::Long).unwrap_or(Value::Null)
            }
            serde_json::Value::Number(n) if t == DataType::Real => n.as_f64().map(Value::Real).unwrap_or(Value::Null),
            serde_json::Value::Bool(b) if t == DataType::Bool => Value::Bool(*b),
            _ => Value::Null,
        },
        _ => v,
    };
    convert_literal(scalar, t)
}

/// Shared by `externaldata`: a cell of text as a typed value.
pub(crate) fn cell_value(s: &str, t: DataType) -> Value {
    if s.is_empty() && !t.is_text() {
        return Value::Null;
    }
    super::parse::typed_from_text(s, t)
}
