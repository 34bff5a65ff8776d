//! Fast paths for the time filters every hunting rule starts with
//! (`Timestamp between (a .. b)`, `Timestamp > ago(30d)`): a datetime or
//! timespan column against constant bounds is compared on its raw ticks,
//! without a `Value` per row. Same results as the general path: a null row
//! gives null, bounds of another shape fall back to it.

use std::sync::Arc;

use crate::data::{Bitmap, Column, PrimColumn, Value};

use super::frame::Frame;
use super::vals::Vals;
use crate::kql::ast::BinOp;

/// The tick column of `x` (datetime or timespan), with whether it is read
/// through the frame's selection.
fn tick_column(x: &Vals) -> Option<(&PrimColumn<i64>, bool, bool)> {
    match x {
        Vals::Col { col, via_sel } => match &**col {
            Column::DateTime(c) => Some((c, *via_sel, true)),
            Column::Timespan(c) => Some((c, *via_sel, false)),
            _ => None,
        },
        Vals::Const(..) => None,
    }
}

/// The ticks of a constant of the column's own type.
fn const_ticks(v: &Vals, datetime: bool) -> Option<i64> {
    match (v, datetime) {
        (Vals::Const(Value::DateTime(t), _), true) | (Vals::Const(Value::Timespan(t), _), false) => Some(*t),
        _ => None,
    }
}

/// Applies `keep` to the ticks of every frame row; validity follows the column's.
fn map_ticks(frame: &Frame, col: &PrimColumn<i64>, via_sel: bool, keep: impl Fn(i64) -> bool) -> Vals {
    let values: Vec<bool> = match (frame.sel(), via_sel) {
        (Some(sel), true) => sel.iter().map(|&r| col.values.get(r as usize).is_some_and(|&t| keep(t))).collect(),
        _ => col.values.iter().take(frame.len()).map(|&t| keep(t)).collect(),
    };
    let validity = col.validity.as_ref().map(|v| match (frame.sel(), via_sel) {
        (Some(sel), true) => Bitmap::from_bools(sel.iter().map(|&r| v.get(r as usize))),
        _ => Bitmap::from_bools((0..values.len()).map(|r| v.get(r))),
    });
    Vals::Col { col: Arc::new(Column::Bool(PrimColumn { values, validity })), via_sel: false }
}

/// `x between (lo .. hi)` (negated: `!between`) when `x` is a datetime or
/// timespan column and the bounds are constants of its type (a datetime low
/// may have a timespan high, meaning `lo + hi`); `None` otherwise.
pub fn between(frame: &Frame, x: &Vals, lo: &Vals, hi: &Vals, negated: bool) -> Option<Vals> {
    let (col, via_sel, datetime) = tick_column(x)?;
    if col.values.len() < frame.len() && !(via_sel && frame.sel().is_some()) {
        return None;
    }
    let low = const_ticks(lo, datetime)?;
    let high = match (hi, datetime) {
        (Vals::Const(Value::Timespan(t), _), true) => low.checked_add(*t)?,
        _ => const_ticks(hi, datetime)?,
    };
    Some(map_ticks(frame, col, via_sel, |t| (low <= t && t <= high) != negated))
}

/// `x op c` for an ordering operator, `x` a datetime or timespan column and
/// `c` a constant of its type; `None` otherwise.
pub fn compare(frame: &Frame, op: BinOp, x: &Vals, c: &Vals) -> Option<Vals> {
    let (col, via_sel, datetime) = tick_column(x)?;
    if col.values.len() < frame.len() && !(via_sel && frame.sel().is_some()) {
        return None;
    }
    let c = const_ticks(c, datetime)?;
    Some(match op {
        BinOp::Lt => map_ticks(frame, col, via_sel, |t| t < c),
        BinOp::Le => map_ticks(frame, col, via_sel, |t| t <= c),
        BinOp::Gt => map_ticks(frame, col, via_sel, |t| t > c),
        BinOp::Ge => map_ticks(frame, col, via_sel, |t| t >= c),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataType;
    use crate::kql::eval::ops;

    fn column(values: &[Option<i64>]) -> Vals {
        let col = Column::DateTime(PrimColumn::from_options(values.iter().copied()));
        Vals::Col { col: Arc::new(col), via_sel: true }
    }

    fn dt(t: i64) -> Vals {
        Vals::Const(Value::DateTime(t), DataType::DateTime)
    }

    fn frame_of(x: &Vals) -> Frame {
        let Vals::Col { col, .. } = x else { unreachable!() };
        Frame::from_columns(vec![("T".into(), col.clone())])
    }

    #[test]
    fn agrees_with_the_general_operators() {
        let rows = [Some(5), None, Some(10), Some(15), Some(20)];
        let x = column(&rows);
        let frame = frame_of(&x);
        for neg in [false, true] {
            let got = between(&frame, &x, &dt(10), &dt(15), neg).unwrap();
            let span = Vals::Const(Value::Timespan(5), DataType::Timespan);
            let via_span = between(&frame, &x, &dt(10), &span, neg).unwrap();
            for (r, v) in rows.iter().enumerate() {
                let want = match ops::between(
                    &v.map_or(Value::Null, Value::DateTime),
                    &dt(10).get(&frame, 0),
                    &Value::DateTime(15),
                ) {
                    Value::Bool(b) => Value::Bool(b != neg),
                    other => other,
                };
                assert_eq!(format!("{:?}", got.get(&frame, r)), format!("{want:?}"));
                assert_eq!(format!("{:?}", via_span.get(&frame, r)), format!("{want:?}"));
            }
        }
        for op in [BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge] {
            let got = compare(&frame, op, &x, &dt(15)).unwrap();
            for (r, v) in rows.iter().enumerate() {
                let a = v.map_or(Value::Null, Value::DateTime);
                let want = ops::binary(op, &a, &Value::DateTime(15), &Default::default()).unwrap();
                assert_eq!(format!("{:?}", got.get(&frame, r)), format!("{want:?}"));
            }
        }
        assert!(compare(&frame, BinOp::Eq, &x, &dt(15)).is_none());
        assert!(between(&frame, &x, &Vals::Const(Value::Long(1), DataType::Long), &dt(2), false).is_none());
    }
}
