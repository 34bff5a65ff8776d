//! One column under construction: typed values pushed straight from raw
//! fields (no `Value` per cell), strings interned as they arrive.

use std::sync::Arc;

use crate::data::bitmap::Bitmap;
use crate::data::column::{Column, PrimColumn, StrBuilder, StrHint};
use crate::data::value::{DataType, Decimal, Value};

use super::convert::{
    Mismatch, Raw, to_bool, to_datetime, to_decimal, to_dynamic, to_int, to_long, to_real, to_timespan,
};

/// Values and validity of a fixed-width column. The validity bitmap is
/// built from the first null on: most columns of an export have none.
#[derive(Debug, Default)]
pub(crate) struct PrimSink<T> {
    values: Vec<T>,
    validity: Bitmap,
    nulls: usize,
}

impl<T: Copy + Default> PrimSink<T> {
    #[inline]
    fn push(&mut self, v: Option<T>) {
        match v {
            Some(v) => {
                if self.nulls > 0 {
                    self.validity.push(true);
                }
                self.values.push(v);
            }
            None => {
                if self.nulls == 0 {
                    self.validity = Bitmap::ones(self.values.len());
                }
                self.validity.push(false);
                self.nulls += 1;
                self.values.push(T::default());
            }
        }
    }

    fn finish(self) -> PrimColumn<T> {
        PrimColumn { values: self.values, validity: (self.nulls > 0).then_some(self.validity) }
    }

    fn iter(&self) -> impl Iterator<Item = Option<T>> + '_ {
        self.values.iter().enumerate().map(|(i, v)| (self.nulls == 0 || self.validity.get(i)).then_some(*v))
    }

    /// Appends all of `other`'s values (at once when neither has a null).
    fn append(&mut self, other: PrimSink<T>) {
        if self.nulls == 0 && other.nulls == 0 {
            self.values.extend_from_slice(&other.values);
        } else {
            other.iter().for_each(|v| self.push(v));
        }
    }
}

/// A column being built. `Untyped` holds only nulls of a column whose type is
/// not known yet (an inferred column whose first values were JSON null).
#[derive(Debug)]
pub(crate) enum ColumnSink {
    /// Only nulls so far, type undecided.
    Untyped(usize),
    /// `bool`
    Bool(PrimSink<bool>),
    /// `int`
    Int(PrimSink<i32>),
    /// `long`
    Long(PrimSink<i64>),
    /// `real`
    Real(PrimSink<f64>),
    /// `datetime`
    DateTime(PrimSink<i64>),
    /// `timespan`
    Timespan(PrimSink<i64>),
    /// `string`
    String(StrBuilder),
    /// `guid`
    Guid(StrBuilder),
    /// `dynamic`
    Dynamic(Vec<Arc<serde_json::Value>>),
    /// `decimal`
    Decimal(PrimSink<Decimal>),
}

fn json_null() -> Arc<serde_json::Value> {
    thread_local! {
        static NULL: Arc<serde_json::Value> = Arc::new(serde_json::Value::Null);
    }
    NULL.with(Arc::clone)
}

impl ColumnSink {
    /// An empty sink of `dtype` (`None`: type undecided).
    pub(crate) fn new(dtype: Option<DataType>) -> ColumnSink {
        match dtype {
            None => ColumnSink::Untyped(0),
            Some(DataType::Bool) => ColumnSink::Bool(PrimSink::default()),
            Some(DataType::Int) => ColumnSink::Int(PrimSink::default()),
            Some(DataType::Long) => ColumnSink::Long(PrimSink::default()),
            Some(DataType::Real) => ColumnSink::Real(PrimSink::default()),
            Some(DataType::DateTime) => ColumnSink::DateTime(PrimSink::default()),
            Some(DataType::Timespan) => ColumnSink::Timespan(PrimSink::default()),
            Some(DataType::String) => ColumnSink::String(StrBuilder::default()),
            Some(DataType::Guid) => ColumnSink::Guid(StrBuilder::default()),
            Some(DataType::Dynamic) => ColumnSink::Dynamic(Vec::new()),
            Some(DataType::Decimal) => ColumnSink::Decimal(PrimSink::default()),
        }
    }

    /// A sink of `dtype` holding `rows` nulls.
    pub(crate) fn with_nulls(dtype: Option<DataType>, rows: usize) -> ColumnSink {
        let mut sink = ColumnSink::new(dtype);
        sink.push_nulls(rows);
        sink
    }

    /// A sink of `dtype` holding `rows` nulls; a string one set up by `hint`.
    pub(crate) fn with_hint(dtype: Option<DataType>, hint: StrHint, rows: usize) -> ColumnSink {
        // A chunk sees a few thousand rows: reserving more distinct values wastes memory.
        let hint = match hint {
            StrHint::Dict(n) => StrHint::Dict(n.min(1 << 14)),
            plain => plain,
        };
        let mut sink = match dtype {
            Some(DataType::String) => ColumnSink::String(StrBuilder::with_hint(hint)),
            Some(DataType::Guid) => ColumnSink::Guid(StrBuilder::with_hint(hint)),
            other => ColumnSink::new(other),
        };
        sink.push_nulls(rows);
        sink
    }

    /// How a string column is stored, for the next chunk's builder.
    pub(crate) fn string_hint(&self) -> Option<StrHint> {
        match self {
            ColumnSink::String(b) | ColumnSink::Guid(b) => Some(b.hint()),
            _ => None,
        }
    }

    /// The type, once decided.
    pub(crate) fn data_type(&self) -> Option<DataType> {
        Some(match self {
            ColumnSink::Untyped(_) => return None,
            ColumnSink::Bool(_) => DataType::Bool,
            ColumnSink::Int(_) => DataType::Int,
            ColumnSink::Long(_) => DataType::Long,
            ColumnSink::Real(_) => DataType::Real,
            ColumnSink::DateTime(_) => DataType::DateTime,
            ColumnSink::Timespan(_) => DataType::Timespan,
            ColumnSink::String(_) => DataType::String,
            ColumnSink::Guid(_) => DataType::Guid,
            ColumnSink::Dynamic(_) => DataType::Dynamic,
            ColumnSink::Decimal(_) => DataType::Decimal,
        })
    }

    /// Rows pushed so far.
    pub(crate) fn len(&self) -> usize {
        match self {
            ColumnSink::Untyped(n) => *n,
            ColumnSink::Bool(s) => s.values.len(),
            ColumnSink::Int(s) => s.values.len(),
            ColumnSink::Real(s) => s.values.len(),
            ColumnSink::Long(s) | ColumnSink::DateTime(s) | ColumnSink::Timespan(s) => s.values.len(),
            ColumnSink::String(b) | ColumnSink::Guid(b) => b.len(),
            ColumnSink::Dynamic(v) => v.len(),
            ColumnSink::Decimal(s) => s.values.len(),
        }
    }

    /// About the bytes held (dynamic values: their pointers only; the router
    /// counts what they point to).
    pub(crate) fn heap_bytes(&self) -> usize {
        fn prim<T>(s: &PrimSink<T>) -> usize {
            s.values.capacity() * std::mem::size_of::<T>() + s.values.len() / 8
        }
        match self {
            ColumnSink::Untyped(_) => 0,
            ColumnSink::Bool(s) => prim(s),
            ColumnSink::Int(s) => prim(s),
            ColumnSink::Real(s) => prim(s),
            ColumnSink::Long(s) | ColumnSink::DateTime(s) | ColumnSink::Timespan(s) => prim(s),
            ColumnSink::String(b) | ColumnSink::Guid(b) => b.heap_bytes(),
            ColumnSink::Dynamic(v) => v.capacity() * std::mem::size_of::<Arc<serde_json::Value>>(),
            ColumnSink::Decimal(s) => prim(s),
        }
    }

    /// Appends one null (`""` in text columns).
    pub(crate) fn push_null(&mut self) {
        self.push_nulls(1);
    }

    /// Appends `n` nulls (`""` in text columns).
    pub(crate) fn push_nulls(&mut self, n: usize) {
        match self {
            ColumnSink::Untyped(count) => *count += n,
            ColumnSink::String(b) | ColumnSink::Guid(b) => b.push_n("", n),
            ColumnSink::Dynamic(v) => v.extend(std::iter::repeat_n(json_null(), n)),
            _ => (0..n).for_each(|_| self.push_value_null()),
        }
    }

    fn push_value_null(&mut self) {
        match self {
            ColumnSink::Bool(s) => s.push(None),
            ColumnSink::Int(s) => s.push(None),
            ColumnSink::Real(s) => s.push(None),
            ColumnSink::Long(s) | ColumnSink::DateTime(s) | ColumnSink::Timespan(s) => s.push(None),
            ColumnSink::Untyped(n) => *n += 1,
            ColumnSink::String(b) | ColumnSink::Guid(b) => b.push(""),
            ColumnSink::Dynamic(v) => v.push(json_null()),
            ColumnSink::Decimal(s) => s.push(None),
        }
    }

    /// Appends a raw value converted to the column type. A value that does not
    /// convert appends null and is returned as a mismatch for the report.
    #[inline]
    pub(crate) fn push<'a>(&mut self, raw: Raw<'a>) -> Result<(), Raw<'a>> {
        // Most cells of an export: text into a text column.
        if let (ColumnSink::String(b) | ColumnSink::Guid(b), Raw::Str(s)) = (&mut *self, &raw) {
            b.push(s);
            return Ok(());
        }
        self.push_converted(raw)
    }

    fn push_converted<'a>(&mut self, raw: Raw<'a>) -> Result<(), Raw<'a>> {
        let converted: Result<(), Mismatch> = match self {
            ColumnSink::Untyped(_) => {
                if !matches!(raw, Raw::Null) {
                    *self = ColumnSink::with_nulls(raw.inferred_type(), self.len());
                    return self.push(raw);
                }
                self.push_null();
                Ok(())
            }
            ColumnSink::Bool(s) => to_bool(&raw).map(|v| s.push(v)),
            ColumnSink::Int(s) => to_int(&raw).map(|v| s.push(v)),
            ColumnSink::Long(s) => to_long(&raw).map(|v| s.push(v)),
            ColumnSink::Real(s) => to_real(&raw).map(|v| s.push(v)),
            ColumnSink::DateTime(s) => to_datetime(&raw).map(|v| s.push(v)),
            ColumnSink::Timespan(s) => to_timespan(&raw).map(|v| s.push(v)),
            ColumnSink::Decimal(s) => to_decimal(&raw).map(|v| s.push(v)),
            ColumnSink::String(b) | ColumnSink::Guid(b) => {
                b.push(&raw.to_text());
                Ok(())
            }
            ColumnSink::Dynamic(v) => {
                v.push(to_dynamic(raw).map(Arc::new).unwrap_or_else(json_null));
                return Ok(());
            }
        };
        if converted.is_err() {
            self.push_null();
            return Err(raw);
        }
        Ok(())
    }

    /// Turns an inferred `long` column into `real` (a later value had a fraction).
    pub(crate) fn widen_to_real(&mut self) {
        if let ColumnSink::Long(s) = self {
            let values = s.values.iter().map(|&v| v as f64).collect();
            let validity = std::mem::take(&mut s.validity);
            *self = ColumnSink::Real(PrimSink { values, validity, nulls: s.nulls });
        }
    }

    /// Converts the column to another type, value by value (used when two
    /// files disagree on an inferred column); values that do not convert become null.
    pub(crate) fn cast(self, dtype: DataType) -> ColumnSink {
        if self.data_type() == Some(dtype) {
            return self;
        }
        if let ColumnSink::Untyped(n) = self {
            return ColumnSink::with_nulls(Some(dtype), n);
        }
        let column = self.finish();
        let mut out = ColumnSink::new(Some(dtype));
        for row in 0..column.len() {
            let raw = match column.get(row) {
                Value::Null => Raw::Null,
                Value::Dynamic(j) => Raw::Json((*j).clone()),
                other => Raw::Str(value_text(&other).into()),
            };
            // Mismatches are already nulled by push; a cast reports nothing.
            let _ = out.push(raw);
        }
        out
    }

    /// Appends all rows of `other`, which has the same type (plain strings
    /// are concatenated, a dictionary remapped once per distinct value).
    pub(crate) fn append(&mut self, other: ColumnSink) {
        match (self, other) {
            (ColumnSink::Untyped(a), ColumnSink::Untyped(b)) => *a += b,
            (ColumnSink::Bool(a), ColumnSink::Bool(b)) => a.append(b),
            (ColumnSink::Int(a), ColumnSink::Int(b)) => a.append(b),
            (ColumnSink::Real(a), ColumnSink::Real(b)) => a.append(b),
            (ColumnSink::Long(a), ColumnSink::Long(b))
            | (ColumnSink::DateTime(a), ColumnSink::DateTime(b))
            | (ColumnSink::Timespan(a), ColumnSink::Timespan(b)) => a.append(b),
            (ColumnSink::String(a), ColumnSink::String(b)) | (ColumnSink::Guid(a), ColumnSink::Guid(b)) => a.append(b),
            (ColumnSink::Dynamic(a), ColumnSink::Dynamic(b)) => a.extend(b),
            (ColumnSink::Decimal(a), ColumnSink::Decimal(b)) => a.append(b),
            (this, other) => {
                // Callers cast first; reaching here is a logic error, kept safe.
                let dtype = this.data_type().unwrap_or(DataType::String);
                this.append(other.cast(dtype));
            }
        }
    }

    /// The finished column (an undecided column becomes strings, all `""`).
    pub(crate) fn finish(self) -> Column {
        match self {
            ColumnSink::Untyped(n) => Column::nulls(DataType::String, n),
            ColumnSink::Bool(s) => Column::Bool(s.finish()),
            ColumnSink::Int(s) => Column::Int(s.finish()),
            ColumnSink::Long(s) => Column::Long(s.finish()),
            ColumnSink::Real(s) => Column::Real(s.finish()),
            ColumnSink::DateTime(s) => Column::DateTime(s.finish()),
            ColumnSink::Timespan(s) => Column::Timespan(s.finish()),
            ColumnSink::String(b) => Column::String(b.finish()),
            ColumnSink::Guid(b) => Column::Guid(b.finish()),
            ColumnSink::Dynamic(v) => Column::Dynamic(v),
            ColumnSink::Decimal(s) => Column::Decimal(s.finish()),
        }
    }
}

/// A scalar as the text a string column would hold.
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.to_string(),
        Value::DateTime(t) => crate::data::time::format_datetime(*t),
        Value::Timespan(t) => crate::data::time::format_timespan(*t),
        Value::Decimal(d) => d.to_string(),
        other => crate::data::column::value_to_json(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn untyped_takes_the_type_of_the_first_value() {
        let mut s = ColumnSink::new(None);
        s.push(Raw::Null).unwrap();
        s.push(Raw::I64(5)).unwrap();
        assert_eq!(s.data_type(), Some(DataType::Long));
        let c = s.finish();
        assert!(c.get(0).is_null());
        assert!(matches!(c.get(1), Value::Long(5)));
    }

    #[test]
    fn mismatch_nulls_and_widening_keeps_values() {
        let mut s = ColumnSink::new(Some(DataType::Long));
        s.push(Raw::I64(2)).unwrap();
        assert!(s.push(Raw::Str(Cow::Borrowed("abc"))).is_err());
        s.widen_to_real();
        s.push(Raw::F64(2.5)).unwrap();
        let c = s.finish();
        assert!(matches!(c.get(0), Value::Real(x) if x == 2.0));
        assert!(c.get(1).is_null());
        assert!(matches!(c.get(2), Value::Real(x) if x == 2.5));
    }

    #[test]
    fn validity_appears_with_the_first_null_and_survives_appends() {
        let long = |values: &[Option<i64>]| {
            let mut s = ColumnSink::new(Some(DataType::Long));
            values.iter().for_each(|v| s.push(v.map_or(Raw::Null, Raw::I64)).unwrap());
            s
        };
        for (a, b) in [
            (vec![Some(1), Some(2)], vec![Some(3)]),
            (vec![Some(1), None], vec![Some(3)]),
            (vec![Some(1)], vec![None, Some(4)]),
            (vec![None], vec![None]),
        ] {
            let mut sink = long(&a);
            sink.append(long(&b));
            let column = sink.finish();
            let got: Vec<Option<i64>> = (0..column.len())
                .map(|row| match column.get(row) {
                    Value::Long(v) => Some(v),
                    _ => None,
                })
                .collect();
            assert_eq!(got, [a, b].concat());
        }
    }

    #[test]
    fn append_reinterns_strings_and_cast_converts() {
        let mut a = ColumnSink::new(Some(DataType::String));
        a.push(Raw::Str("x".into())).unwrap();
        let mut b = ColumnSink::new(Some(DataType::String));
        b.push(Raw::Str("y".into())).unwrap();
        b.push(Raw::Str("x".into())).unwrap();
        a.append(b);
        let Column::String(c) = a.finish() else { panic!("string column") };
        assert_eq!((c.get(0), c.get(1), c.get(2)), ("x", "y", "x"));
        assert_eq!(c.dictionary().map(|(_, d)| d.len()), Some(2));
        let mut l = ColumnSink::new(Some(DataType::Long));
        l.push(Raw::I64(7)).unwrap();
        let s = l.cast(DataType::String).finish();
        assert_eq!(s.get(0).as_str(), Some("7"));
    }
}
