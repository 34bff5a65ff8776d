//! Window functions over the serialized row set that need the whole column:
//! `row_cumsum(term [, restart])`, `row_rank_min(term [, restart])`,
//! `row_rank_dense(term [, restart])` and `row_window_session(expr,
//! maxDistanceFromFirst, maxDistanceBetweenNeighbors [, restart])`
//! (row-cumsum-function.md, row-rank-min-function.md,
//! row-rank-dense-function.md, row-window-session-function.md). A restart
//! predicate that is true on a row starts a new run there (null is not true).

use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, PrimColumn, Value};
use crate::kql::ast::Expr;
use crate::kql::error::KqlError;

use super::convert::{to_datetime, to_timespan};
use super::frame::Frame;
use super::ops::key_eq;
use super::vals::Vals;
use super::{Evaluator, Result};

impl Evaluator {
    /// Evaluates window function `name` (one of the four above) over `frame`.
    pub(super) fn window_fn(&mut self, name: &str, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let session = name == "row_window_session";
        let (min, max) = if session { (3, 4) } else { (1, 2) };
        if args.len() < min || args.len() > max {
            return Err(KqlError::arguments(e.span, format!("{name}() takes {min} or {max} arguments")));
        }
        let term = self.scalar(&args[0], frame)?;
        let restart = match args.get(max - 1) {
            Some(a) => {
                let v = self.scalar(a, frame)?;
                if !matches!(v.dtype(), DataType::Bool | DataType::Dynamic) {
                    return Err(KqlError::arguments(a.span, format!("{name}'s restart must be a bool")));
                }
                Some(v)
            }
            None => None,
        };
        let restarts =
            |r: usize| r > 0 && restart.as_ref().is_some_and(|p| matches!(p.get(frame, r), Value::Bool(true)));
        let n = frame.len();
        let col = match name {
            "row_cumsum" => cumsum(&term, frame, restarts).map_err(|m| KqlError::arguments(args[0].span, m))?,
            "row_window_session" => {
                let mut spans = [0i64; 2];
                for (i, a) in args[1..3].iter().enumerate() {
                    spans[i] = match self.scalar(a, &Frame::default())? {
                        Vals::Const(v, _) => to_timespan(&v),
                        Vals::Col { .. } => None,
                    }
                    .ok_or_else(|| {
                        KqlError::arguments(a.span, "row_window_session's distances must be timespan constants")
                    })?;
                }
                let mut out = Vec::with_capacity(n);
                let (mut start, mut last) = (None::<i64>, None::<i64>);
                for r in 0..n {
                    let t = to_datetime(&term.get(frame, r));
                    let fresh = match (t, start, last) {
                        (Some(t), Some(s), Some(l)) => restarts(r) || t - s > spans[0] || t - l > spans[1],
                        _ => true,
                    };
                    if fresh {
                        start = t;
                    }
                    last = t.or(last);
                    out.push(start);
                }
                Column::DateTime(PrimColumn::from_options(out))
            }
            _ => {
                // Ranks: equal neighbours share a rank; min counts the rows
                // before (1, 2, 2, 4), dense counts the distinct values (1, 2, 2, 3).
                let dense = name == "row_rank_dense";
                let mut out = Vec::with_capacity(n);
                let (mut rank, mut pos) = (0i64, 0i64);
                let mut prev: Option<Value> = None;
                for r in 0..n {
                    let v = term.get(frame, r);
                    if restarts(r) {
                        (rank, pos, prev) = (0, 0, None);
                    }
                    pos += 1;
                    if !prev.as_ref().is_some_and(|p| key_eq(p, &v)) {
                        rank = if dense { rank + 1 } else { pos };
                    }
                    out.push(Some(rank));
                    prev = Some(v);
                }
                Column::Long(PrimColumn::from_options(out))
            }
        };
        Ok(Vals::Col { col: Arc::new(col), via_sel: false })
    }
}

/// The running sum of an int, long or real column, as the column's type.
fn cumsum(term: &Vals, frame: &Frame, restarts: impl Fn(usize) -> bool) -> std::result::Result<Column, String> {
    let dtype = term.dtype();
    if !matches!(dtype, DataType::Int | DataType::Long | DataType::Real) {
        return Err(format!("row_cumsum's term must be int, long or real, not {dtype}"));
    }
    let mut b = ColumnBuilder::new(dtype);
    let (mut long, mut real) = (0i64, 0f64);
    for r in 0..frame.len() {
        if restarts(r) {
            (long, real) = (0, 0.0);
        }
        match term.get(frame, r) {
            Value::Int(x) => long = long.wrapping_add(i64::from(x)),
            Value::Long(x) => long = long.wrapping_add(x),
            Value::Real(x) => real += x,
            _ => {}
        }
        b.push(&match dtype {
            DataType::Int => Value::Int(long as i32),
            DataType::Long => Value::Long(long),
            _ => Value::Real(real),
        });
    }
    Ok(b.finish())
}
