//! Results of evaluating a scalar expression over a frame: a constant, or a
//! column. Operators and functions are applied column-at-a-time; when the
//! only varying input is a dictionary-encoded string column, the operation
//! runs once per distinct value and each row just looks its result up.

use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, Dictionary, PrimColumn, StrBuilder, Value};

use super::frame::Frame;

/// The value of an expression over every row of a frame.
#[derive(Clone, Debug)]
pub enum Vals {
    /// The same value on every row (literals, `let` scalars, `now()`, ...).
    Const(Value, DataType),
    /// One value per row; `via_sel` as in [`super::frame::FrameCol`].
    Col {
        /// The column.
        col: Arc<Column>,
        /// Indexed by source row id through the frame's selection.
        via_sel: bool,
    },
}

impl Vals {
    /// The type of the values.
    pub fn dtype(&self) -> DataType {
        match self {
            Vals::Const(_, t) => *t,
            Vals::Col { col, .. } => col.data_type(),
        }
    }

    /// True for a constant.
    pub fn is_const(&self) -> bool {
        matches!(self, Vals::Const(..))
    }

    /// The value at frame row `row`.
    #[inline]
    pub fn get(&self, frame: &Frame, row: usize) -> Value {
        match self {
            Vals::Const(v, _) => v.clone(),
            Vals::Col { col, via_sel } => col.get(phys(frame, *via_sel, row)),
        }
    }

    /// One value per frame row, as a dense column.
    pub fn to_column(&self, frame: &Frame) -> Arc<Column> {
        match self {
            Vals::Const(v, t) => {
                let mut b = ColumnBuilder::new(*t);
                for _ in 0..frame.len() {
                    b.push(v);
                }
                Arc::new(b.finish())
            }
            Vals::Col { col, via_sel } => match (frame.sel(), via_sel) {
                (Some(s), true) => Arc::new(col.gather(s)),
                _ => col.clone(),
            },
        }
    }

    /// Rows where the value is `true` (for `where`); null and false drop the row.
    pub fn true_positions(&self, frame: &Frame) -> Vec<u32> {
        match self {
            Vals::Const(Value::Bool(true), _) => (0..frame.len() as u32).collect(),
            Vals::Const(..) => Vec::new(),
            Vals::Col { col, via_sel } => match &**col {
                Column::Bool(b) => (0..frame.len())
                    .filter(|&r| b.get(phys(frame, *via_sel, r)) == Some(true))
                    .map(|r| r as u32)
                    .collect(),
                Column::Dynamic(_) => (0..frame.len())
                    .filter(|&r| {
                        matches!(col.get(phys(frame, *via_sel, r)), Value::Dynamic(j) if j.as_bool() == Some(true))
                    })
                    .map(|r| r as u32)
                    .collect(),
                _ => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
#[path = "vals_tests.rs"]
mod tests;

#[inline]
fn phys(frame: &Frame, via_sel: bool, row: usize) -> usize {
    match (frame.sel(), via_sel) {
        (Some(s), true) => s[row] as usize,
        _ => row,
    }
}

/// Applies `f` to the argument values of every row, producing a column of
/// `out` type — once when all arguments are constant, once per distinct
/// value when the only varying argument is a string column with fewer
/// distinct values than rows, else once per row.
pub fn map_rows<E>(
    frame: &Frame,
    args: &[Vals],
    out: DataType,
    mut f: impl FnMut(&[Value]) -> Result<Value, E>,
) -> Result<Vals, E> {
    if args.iter().all(Vals::is_const) {
        let vals: Vec<Value> = args.iter().map(|a| a.get(frame, 0)).collect();
        return Ok(Vals::Const(coerce(f(&vals)?, out), out));
    }
    if frame.is_empty() {
        // Nothing to evaluate (and no row 0 to seed the argument buffer from).
        return Ok(Vals::Col { col: Arc::new(Column::nulls(out, 0)), via_sel: false });
    }
    let varying: Vec<usize> = (0..args.len()).filter(|&i| !args[i].is_const()).collect();
    if let [only] = varying[..]
        && let Vals::Col { col, via_sel } = &args[only]
        && let Column::String(sc) | Column::Guid(sc) = &**col
        && let Some((codes, dict)) = sc.dictionary()
        && dict.len() < frame.len()
    {
        return by_dictionary(frame, args, only, (codes, dict), *via_sel, out, f);
    }
    let mut buf: Vec<Value> = args.iter().map(|a| a.get(frame, 0)).collect();
    let mut b = ColumnBuilder::new(out);
    for row in 0..frame.len() {
        for &i in &varying {
            buf[i] = args[i].get(frame, row);
        }
        b.push(&coerce(f(&buf)?, out));
    }
    Ok(Vals::Col { col: Arc::new(b.finish()), via_sel: false })
}

fn by_dictionary<E>(
    frame: &Frame,
    args: &[Vals],
    only: usize,
    (codes, dict): (&[u32], &Dictionary),
    via_sel: bool,
    out: DataType,
    mut f: impl FnMut(&[Value]) -> Result<Value, E>,
) -> Result<Vals, E> {
    let mut buf: Vec<Value> = args.iter().map(|a| a.get(frame, 0)).collect();
    let mut per_code = Vec::with_capacity(dict.len());
    for s in dict.values() {
        buf[only] = Value::String(s.clone());
        per_code.push(coerce(f(&buf)?, out));
    }
    let code_at = |row: usize| codes[phys(frame, via_sel, row)] as usize;
    let n = frame.len();
    let col = match out {
        DataType::Bool => {
            let lut: Vec<Option<bool>> =
                per_code.iter().map(|v| if let Value::Bool(b) = v { Some(*b) } else { None }).collect();
            Column::Bool(PrimColumn::from_options((0..n).map(|r| lut[code_at(r)])))
        }
        DataType::String | DataType::Guid => {
            // Re-encode through a small code → code map; strings are not copied per row.
            let mut sb = StrBuilder::dictionary_only();
            let remap: Vec<u32> = per_code.iter().map(|v| sb.intern(v.as_str().unwrap_or(""))).collect();
            for r in 0..n {
                sb.push_code(remap[code_at(r)]);
            }
            let c = sb.finish();
            if out == DataType::Guid { Column::Guid(c) } else { Column::String(c) }
        }
        _ => {
            let mut b = ColumnBuilder::new(out);
            for r in 0..n {
                b.push(&per_code[code_at(r)]);
            }
            b.finish()
        }
    };
    Ok(Vals::Col { col: Arc::new(col), via_sel: false })
}

/// Converts a function result to the declared output type (an int result in
/// a long column, a long in a real column, a `long` branch of an `iff`
/// declared `real`), with Kusto's conversion rules.
pub fn coerce(v: Value, out: DataType) -> Value {
    match (&v, out) {
        (Value::Null, _) => Value::Null,
        (Value::Int(i), DataType::Long) => Value::Long(i64::from(*i)),
        (Value::Int(i), DataType::Real) => Value::Real(f64::from(*i)),
        (Value::Long(i), DataType::Real) => Value::Real(*i as f64),
        (Value::Decimal(d), DataType::Real) => Value::Real(d.to_f64()),
        (Value::String(_), DataType::String | DataType::Guid) => v,
        (_, DataType::Dynamic) => v,
        _ if v.data_type() == Some(out) => v,
        _ => super::functions::convert::coerce(&v, out),
    }
}

#[cfg(test)]
mod empty_frame_tests {
    use super::*;
    use crate::data::{StrColumn, Table};

    #[test]
    fn a_filtered_out_frame_evaluates_to_an_empty_column() {
        let t =
            Table::new("T", vec![("S".into(), Arc::new(Column::String(StrColumn::from_strs(["a", "b"]))))]).unwrap();
        let empty = Frame::from_table(&t).take_rows(&[]);
        let col = Vals::Col { col: t.columns()[0].column().clone(), via_sel: true };
        let v = map_rows::<()>(&empty, &[col], DataType::Long, |_| Ok(Value::Long(1))).unwrap();
        assert!(matches!(v, Vals::Col { ref col, .. } if col.is_empty() && col.data_type() == DataType::Long));
    }
}
