//! Typed columns. Strings are stored as [`super::strings`] decides: a
//! dictionary when values repeat, plain text when they do not.

use std::sync::Arc;

use super::bitmap::Bitmap;
pub use super::str_builder::{StrBuilder, StrHint};
pub use super::strings::{Dictionary, StrColumn};
use super::value::{DataType, Decimal, Value};

/// A column of a fixed-width type with explicit validity (`None` = all valid).
#[derive(Clone, Debug, Default)]
pub struct PrimColumn<T> {
    /// One value per row; the value at a null row is unspecified (zero).
    pub values: Vec<T>,
    /// Bit set = row is valid; `None` when no row is null.
    pub validity: Option<Bitmap>,
}

impl<T: Copy + Default> PrimColumn<T> {
    /// The value at `row`, or `None` when null or out of range.
    #[inline]
    pub fn get(&self, row: usize) -> Option<T> {
        if row >= self.values.len() {
            return None;
        }
        match &self.validity {
            Some(v) if !v.get(row) => None,
            _ => Some(self.values[row]),
        }
    }

    /// Builds a column from optional values.
    pub fn from_options(items: impl IntoIterator<Item = Option<T>>) -> Self {
        let mut values = Vec::new();
        let mut validity = Bitmap::default();
        let mut any_null = false;
        for item in items {
            any_null |= item.is_none();
            validity.push(item.is_some());
            values.push(item.unwrap_or_default());
        }
        PrimColumn { values, validity: any_null.then_some(validity) }
    }

    fn gather(&self, rows: &[u32]) -> Self {
        let values = rows.iter().map(|&r| self.values[r as usize]).collect();
        let validity = self.validity.as_ref().map(|v| Bitmap::from_bools(rows.iter().map(|&r| v.get(r as usize))));
        PrimColumn { values, validity }
    }
}

/// A column of one Kusto type.
#[derive(Clone, Debug)]
pub enum Column {
    /// `bool`
    Bool(PrimColumn<bool>),
    /// `int`
    Int(PrimColumn<i32>),
    /// `long`
    Long(PrimColumn<i64>),
    /// `real`
    Real(PrimColumn<f64>),
    /// `datetime` ticks
    DateTime(PrimColumn<i64>),
    /// `timespan` ticks
    Timespan(PrimColumn<i64>),
    /// `string`
    String(StrColumn),
    /// `guid` (its text)
    Guid(StrColumn),
    /// `dynamic`; a JSON `null` is the null
    Dynamic(Vec<Arc<serde_json::Value>>),
    /// `decimal`
    Decimal(PrimColumn<Decimal>),
}

impl Column {
    /// The column's type.
    pub fn data_type(&self) -> DataType {
        match self {
            Column::Bool(_) => DataType::Bool,
            Column::Int(_) => DataType::Int,
            Column::Long(_) => DataType::Long,
            Column::Real(_) => DataType::Real,
            Column::DateTime(_) => DataType::DateTime,
            Column::Timespan(_) => DataType::Timespan,
            Column::String(_) => DataType::String,
            Column::Guid(_) => DataType::Guid,
            Column::Dynamic(_) => DataType::Dynamic,
            Column::Decimal(_) => DataType::Decimal,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Bool(c) => c.values.len(),
            Column::Int(c) => c.values.len(),
            Column::Long(c) => c.values.len(),
            Column::Real(c) => c.values.len(),
            Column::DateTime(c) | Column::Timespan(c) => c.values.len(),
            Column::String(c) | Column::Guid(c) => c.len(),
            Column::Dynamic(c) => c.len(),
            Column::Decimal(c) => c.values.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `row` (`Null` when null or out of range).
    pub fn get(&self, row: usize) -> Value {
        fn opt<T: Copy + Default>(c: &PrimColumn<T>, row: usize, f: impl Fn(T) -> Value) -> Value {
            c.get(row).map(f).unwrap_or(Value::Null)
        }
        match self {
            Column::Bool(c) => opt(c, row, Value::Bool),
            Column::Int(c) => opt(c, row, Value::Int),
            Column::Long(c) => opt(c, row, Value::Long),
            Column::Real(c) => opt(c, row, Value::Real),
            Column::DateTime(c) => opt(c, row, Value::DateTime),
            Column::Timespan(c) => opt(c, row, Value::Timespan),
            Column::String(c) | Column::Guid(c) => match c.get_shared(row) {
                Some(s) => Value::String(s),
                None => Value::str(""),
            },
            Column::Dynamic(c) => match c.get(row) {
                Some(v) if !v.is_null() => Value::Dynamic(v.clone()),
                _ => Value::Null,
            },
            Column::Decimal(c) => opt(c, row, Value::Decimal),
        }
    }

    /// A new column holding the given rows, in the given order.
    /// Row ids must be in range. String columns keep sharing the dictionary.
    pub fn gather(&self, rows: &[u32]) -> Column {
        match self {
            Column::Bool(c) => Column::Bool(c.gather(rows)),
            Column::Int(c) => Column::Int(c.gather(rows)),
            Column::Long(c) => Column::Long(c.gather(rows)),
            Column::Real(c) => Column::Real(c.gather(rows)),
            Column::DateTime(c) => Column::DateTime(c.gather(rows)),
            Column::Timespan(c) => Column::Timespan(c.gather(rows)),
            Column::String(c) => Column::String(c.gather(rows)),
            Column::Guid(c) => Column::Guid(c.gather(rows)),
            Column::Dynamic(c) => Column::Dynamic(rows.iter().map(|&r| c[r as usize].clone()).collect()),
            Column::Decimal(c) => Column::Decimal(c.gather(rows)),
        }
    }

    /// A column of `len` nulls (empty strings for text types).
    pub fn nulls(dtype: DataType, len: usize) -> Column {
        let prim = |_: ()| PrimColumn { values: vec![Default::default(); len], validity: Some(Bitmap::zeros(len)) };
        match dtype {
            DataType::Bool => Column::Bool(PrimColumn { values: vec![false; len], validity: Some(Bitmap::zeros(len)) }),
            DataType::Int => Column::Int(PrimColumn { values: vec![0; len], validity: Some(Bitmap::zeros(len)) }),
            DataType::Long => Column::Long(prim(())),
            DataType::Real => Column::Real(PrimColumn { values: vec![0.0; len], validity: Some(Bitmap::zeros(len)) }),
            DataType::DateTime => Column::DateTime(prim(())),
            DataType::Timespan => Column::Timespan(prim(())),
            DataType::String => Column::String(StrColumn::from_strs(std::iter::repeat_n("", len))),
            DataType::Guid => Column::Guid(StrColumn::from_strs(std::iter::repeat_n("", len))),
            DataType::Dynamic => Column::Dynamic(std::iter::repeat_n(Arc::new(serde_json::Value::Null), len).collect()),
            DataType::Decimal => {
                Column::Decimal(PrimColumn { values: vec![Decimal::ZERO; len], validity: Some(Bitmap::zeros(len)) })
            }
        }
    }

    /// Builds a column of the given type from values; a value of another
    /// type becomes null (callers convert first).
    pub fn from_values(dtype: DataType, values: &[Value]) -> Column {
        let mut b = ColumnBuilder::new(dtype);
        for v in values {
            b.push(v);
        }
        b.finish()
    }
}

/// Builds a column of one type value by value.
#[derive(Debug)]
pub enum ColumnBuilder {
    /// `bool`
    Bool(Vec<Option<bool>>),
    /// `int`
    Int(Vec<Option<i32>>),
    /// `long`
    Long(Vec<Option<i64>>),
    /// `real`
    Real(Vec<Option<f64>>),
    /// `datetime`
    DateTime(Vec<Option<i64>>),
    /// `timespan`
    Timespan(Vec<Option<i64>>),
    /// `string`
    String(StrBuilder),
    /// `guid`
    Guid(StrBuilder),
    /// `dynamic`
    Dynamic(Vec<Arc<serde_json::Value>>),
    /// `decimal`
    Decimal(Vec<Option<Decimal>>),
}

impl ColumnBuilder {
    /// An empty builder for `dtype`.
    pub fn new(dtype: DataType) -> ColumnBuilder {
        match dtype {
            DataType::Bool => ColumnBuilder::Bool(Vec::new()),
            DataType::Int => ColumnBuilder::Int(Vec::new()),
            DataType::Long => ColumnBuilder::Long(Vec::new()),
            DataType::Real => ColumnBuilder::Real(Vec::new()),
            DataType::DateTime => ColumnBuilder::DateTime(Vec::new()),
            DataType::Timespan => ColumnBuilder::Timespan(Vec::new()),
            DataType::String => ColumnBuilder::String(StrBuilder::default()),
            DataType::Guid => ColumnBuilder::Guid(StrBuilder::default()),
            DataType::Dynamic => ColumnBuilder::Dynamic(Vec::new()),
            DataType::Decimal => ColumnBuilder::Decimal(Vec::new()),
        }
    }

    /// Appends a value; a value of the wrong type (or `Null`) appends null.
    pub fn push(&mut self, v: &Value) {
        match (self, v) {
            (ColumnBuilder::Bool(b), Value::Bool(x)) => b.push(Some(*x)),
            (ColumnBuilder::Bool(b), _) => b.push(None),
            (ColumnBuilder::Int(b), Value::Int(x)) => b.push(Some(*x)),
            (ColumnBuilder::Int(b), _) => b.push(None),
            (ColumnBuilder::Long(b), Value::Long(x)) => b.push(Some(*x)),
            (ColumnBuilder::Long(b), Value::Int(x)) => b.push(Some(i64::from(*x))),
            (ColumnBuilder::Long(b), _) => b.push(None),
            (ColumnBuilder::Real(b), Value::Real(x)) => b.push(Some(*x)),
            (ColumnBuilder::Real(b), Value::Long(x)) => b.push(Some(*x as f64)),
            (ColumnBuilder::Real(b), Value::Int(x)) => b.push(Some(f64::from(*x))),
            (ColumnBuilder::Real(b), Value::Decimal(x)) => b.push(Some(x.to_f64())),
            (ColumnBuilder::Real(b), _) => b.push(None),
            (ColumnBuilder::DateTime(b), Value::DateTime(x)) => b.push(Some(*x)),
            (ColumnBuilder::DateTime(b), _) => b.push(None),
            (ColumnBuilder::Timespan(b), Value::Timespan(x)) => b.push(Some(*x)),
            (ColumnBuilder::Timespan(b), _) => b.push(None),
            (ColumnBuilder::String(b) | ColumnBuilder::Guid(b), Value::String(s)) => b.push(s),
            (ColumnBuilder::String(b) | ColumnBuilder::Guid(b), _) => b.push(""),
            (ColumnBuilder::Dynamic(b), Value::Dynamic(j)) => b.push(j.clone()),
            (ColumnBuilder::Dynamic(b), Value::Null) => b.push(Arc::new(serde_json::Value::Null)),
            (ColumnBuilder::Dynamic(b), other) => b.push(Arc::new(value_to_json(other))),
            (ColumnBuilder::Decimal(b), Value::Decimal(x)) => b.push(Some(*x)),
            (ColumnBuilder::Decimal(b), Value::Int(x)) => b.push(Some(Decimal::from_i64(i64::from(*x)))),
            (ColumnBuilder::Decimal(b), Value::Long(x)) => b.push(Some(Decimal::from_i64(*x))),
            (ColumnBuilder::Decimal(b), Value::Real(x)) => b.push(Decimal::from_f64(*x)),
            (ColumnBuilder::Decimal(b), _) => b.push(None),
        }
    }

    /// The finished column.
    pub fn finish(self) -> Column {
        match self {
            ColumnBuilder::Bool(v) => Column::Bool(PrimColumn::from_options(v)),
            ColumnBuilder::Int(v) => Column::Int(PrimColumn::from_options(v)),
            ColumnBuilder::Long(v) => Column::Long(PrimColumn::from_options(v)),
            ColumnBuilder::Real(v) => Column::Real(PrimColumn::from_options(v)),
            ColumnBuilder::DateTime(v) => Column::DateTime(PrimColumn::from_options(v)),
            ColumnBuilder::Timespan(v) => Column::Timespan(PrimColumn::from_options(v)),
            ColumnBuilder::String(b) => Column::String(b.finish()),
            ColumnBuilder::Guid(b) => Column::Guid(b.finish()),
            ColumnBuilder::Dynamic(v) => Column::Dynamic(v),
            ColumnBuilder::Decimal(v) => Column::Decimal(PrimColumn::from_options(v)),
        }
    }
}

/// A scalar as it is held inside a `dynamic` value: datetimes as Kusto's
/// ISO-8601 UTC text with 7 fraction digits, timespans as Kusto text.
pub fn value_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Long(i) => J::from(*i),
        Value::Real(f) => serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
        Value::DateTime(t) => J::String(super::time::format_datetime_kusto(*t)),
        Value::Timespan(t) => J::String(super::time::format_timespan(*t)),
        Value::String(s) => J::String(s.to_string()),
        Value::Dynamic(j) => (**j).clone(),
        // JSON has no decimal: a number, exact when the digits fit a long.
        Value::Decimal(d) => match d.is_integer().then(|| d.trunc_i64()).flatten() {
            Some(i) => J::from(i),
            None => serde_json::Number::from_f64(d.to_f64()).map(J::Number).unwrap_or(J::Null),
        },
    }
}
