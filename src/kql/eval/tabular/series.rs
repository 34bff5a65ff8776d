//! `make-series`: per group, one array per aggregate over fixed time (or
//! number) bins, plus the array of bin starts.

use std::sync::Arc;

use serde_json::Value as J;

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ExprKind, NamedExpr, SeriesAgg};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::aggregates::{self, Accumulator};
use super::super::column_json;
use super::super::frame::Frame;
use super::super::vals::Vals;
use super::super::{Evaluator, Result};
use super::grouping::group_rows;
use super::project::{AutoNames, implicit_name};

/// Most bins one series may have.
const MAX_BINS: i64 = 1_000_000;

impl Evaluator {
    /// `make-series aggs on axis from a to b step s by keys`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn make_series(
        &mut self,
        frame: Frame,
        aggs: &[SeriesAgg],
        on: &Expr,
        from: Option<&Expr>,
        to: Option<&Expr>,
        step: &Expr,
        by: &[NamedExpr],
        span: Span,
    ) -> Result<Frame> {
        let axis = self.scalar(on, &frame)?;
        let axis_t = axis.dtype();
        let num = |v: &Value| match v {
            Value::DateTime(t) | Value::Timespan(t) | Value::Long(t) => Some(*t),
            Value::Int(i) => Some(i64::from(*i)),
            _ => None,
        };
        let step_v = self.constant(step)?;
        let Some(step_n) = num(&step_v).filter(|s| *s > 0) else {
            return Err(KqlError::arguments(step.span, "make-series step must be a positive timespan or number"));
        };
        let axis_vals: Vec<Option<i64>> = (0..frame.len()).map(|r| num(&axis.get(&frame, r))).collect();
        let lo = match from {
            Some(e) => num(&self.constant(e)?),
            None => axis_vals.iter().flatten().min().map(|m| m - m.rem_euclid(step_n)),
        };
        let hi = match to {
            Some(e) => num(&self.constant(e)?),
            None => axis_vals.iter().flatten().max().map(|m| m + 1),
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Frame::default());
        };
        let bins = (hi.saturating_sub(lo) + step_n - 1).div_euclid(step_n).max(0);
        if bins > MAX_BINS {
            return Err(KqlError::too_many_rows(
                span,
                format!("make-series would create {bins} bins, over {MAX_BINS}"),
            ));
        }
        let bins = bins as usize;
        let mut keys = Vec::new();
        let mut key_names = Vec::new();
        let mut auto = AutoNames::default();
        for k in by {
            keys.push(self.scalar(&k.expr, &frame)?);
            key_names.push(match k.names.first() {
                Some(n) => n.name.clone(),
                None => implicit_name(&k.expr).unwrap_or_else(|| auto.next(&|_| false)),
            });
        }
        let groups = group_rows(&frame, &keys);
        let cells = groups.len() as u64 * bins as u64 * (aggs.len() as u64 + 1);
        self.charge(cells * super::budget::ACC_BYTES + frame.len() as u64 * 4, "make-series", span)?;
        let mut cols: Vec<(String, Arc<crate::data::Column>)> = Vec::new();
        for (name, k) in key_names.iter().zip(&keys) {
            cols.push((name.clone(), Arc::new(k.to_column(&frame).gather(&groups.first_row))));
        }
        for a in aggs {
            let ExprKind::Call { name, args } = &a.agg.expr.kind else {
                return Err(KqlError::misplaced(a.agg.expr.span, "make-series expects an aggregation call"));
            };
            let Some(f) = aggregates::lookup(&name.name) else {
                return Err(KqlError::misplaced(name.span, format!("'{}' is not an aggregation function", name.name)));
            };
            let mut vals = Vec::new();
            for e in args {
                vals.push(self.scalar(e, &frame)?);
            }
            let types: Vec<DataType> = vals.iter().map(Vals::dtype).collect();
            let default = match &a.default {
                Some(d) => self.constant(d)?,
                None => Value::Long(0),
            };
            let mut accs: Vec<Vec<Option<Box<dyn Accumulator>>>> =
                (0..groups.len()).map(|_| (0..bins).map(|_| None).collect()).collect();
            let mut buf = vec![Value::Null; vals.len()];
            for (r, &g) in groups.of_row.iter().enumerate() {
                let Some(x) = axis_vals[r] else { continue };
                if x < lo || x >= hi {
                    continue;
                }
                let b = ((x - lo) / step_n) as usize;
                for (i, v) in vals.iter().enumerate() {
                    buf[i] = v.get(&frame, r);
                }
                accs[g as usize][b].get_or_insert_with(|| (f.new)(&types)).add(&buf);
            }
            let mut col = ColumnBuilder::new(DataType::Dynamic);
            for per_bin in &accs {
                let arr: Vec<J> = per_bin
                    .iter()
                    .map(|acc| column_json(&acc.as_ref().map(|a| a.finish()).unwrap_or_else(|| default.clone())))
                    .collect();
                col.push(&Value::Dynamic(Arc::new(J::Array(arr))));
            }
            let out_name = match a.agg.names.first() {
                Some(n) => n.name.clone(),
                None => match args.first().and_then(implicit_name) {
                    Some(c) => format!("{}_{c}", f.prefix),
                    None => format!("{}_", f.prefix),
                },
            };
            cols.push((out_name, Arc::new(col.finish())));
        }
        let axis_name = implicit_name(on).unwrap_or_else(|| "Column1".into());
        let starts: Vec<J> = (0..bins as i64)
            .map(|i| {
                let t = lo + i * step_n;
                column_json(&match axis_t {
                    DataType::DateTime => Value::DateTime(t),
                    DataType::Timespan => Value::Timespan(t),
                    _ => Value::Long(t),
                })
            })
            .collect();
        let mut axis_col = ColumnBuilder::new(DataType::Dynamic);
        for _ in 0..groups.len() {
            axis_col.push(&Value::Dynamic(Arc::new(J::Array(starts.clone()))));
        }
        cols.push((axis_name, Arc::new(axis_col.finish())));
        Ok(Frame::from_columns(cols))
    }

    /// A constant expression's value.
    pub(crate) fn constant(&mut self, e: &Expr) -> Result<Value> {
        match self.scalar(e, &Frame::default())? {
            Vals::Const(v, _) => Ok(v),
            Vals::Col { .. } => Err(KqlError::arguments(e.span, "expected a constant")),
        }
    }
}
