//! Row-window plugins: `rows_near(predicate, before [, after])`
//! (rows-near-plugin.md) and `rolling_percentile(ValueColumn, Percentile,
//! IndexColumn, BinSize, BinsLookback [, dim1, ...])`
//! (rolling-percentile-plugin.md).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::data::column::value_to_json;
use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ExprKind};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::convert::{to_long, to_real, to_timespan};
use super::super::frame::Frame;
use super::super::ops::compare;
use super::super::{Evaluator, Result};

/// Values by bin start.
type Bins = BTreeMap<i64, Vec<Value>>;

impl Evaluator {
    /// The rows where `predicate` is true, with up to `before` rows before
    /// and `after` rows after each (`after` defaults to `before`), in their
    /// order, each row once.
    pub(crate) fn rows_near(&mut self, frame: Frame, args: &[Expr], span: Span) -> Result<Frame> {
        let [pred, rest @ ..] = args else {
            return Err(KqlError::arguments(span, "rows_near() needs a predicate and a row count"));
        };
        let count = |ev: &mut Self, a: Option<&Expr>| -> Result<Option<usize>> {
            let Some(a) = a else { return Ok(None) };
            match to_long(&ev.constant(a)?) {
                Some(n) if n >= 0 => Ok(Some(n as usize)),
                _ => Err(KqlError::arguments(a.span, "rows_near(): the row count must be a non-negative constant")),
            }
        };
        let Some(before) = count(self, rest.first())? else {
            return Err(KqlError::arguments(span, "rows_near() needs the number of rows before"));
        };
        let after = count(self, rest.get(1))?.unwrap_or(before);
        if rest.len() > 2 {
            return Err(KqlError::arguments(span, "rows_near() takes at most 3 arguments"));
        }
        let p = self.scalar(pred, &frame)?;
        let n = frame.len();
        let mut keep = vec![false; n];
        for r in (0..n).filter(|&r| matches!(p.get(&frame, r), Value::Bool(true))) {
            for k in &mut keep[r.saturating_sub(before)..(r + after + 1).min(n)] {
                *k = true;
            }
        }
        let rows: Vec<u32> = (0..n).filter(|&r| keep[r]).map(|r| r as u32).collect();
        Ok(frame.take_rows(&rows))
    }

    /// Per dimension values and bin of the index column: the percentile
    /// (nearest rank, as `percentile()`) of the values in that bin and the
    /// `BinsLookback - 1` bins before it.
    pub(crate) fn rolling_percentile(&mut self, frame: Frame, args: &[Expr], span: Span) -> Result<Frame> {
        let [value, pct, index, bin, lookback, dims @ ..] = args else {
            return Err(KqlError::arguments(
                span,
                "rolling_percentile() needs the value column, percentile, index column, bin size and bins lookback",
            ));
        };
        let name_of = |e: &Expr| match &e.kind {
            ExprKind::Name(id) => Ok(id.name.clone()),
            _ => Err(KqlError::arguments(e.span, "rolling_percentile(): expected a column name")),
        };
        let (value_name, index_name) = (name_of(value)?, name_of(index)?);
        let p = to_real(&self.constant(pct)?)
            .filter(|p| (0.0..=100.0).contains(p))
            .ok_or_else(|| KqlError::arguments(pct.span, "rolling_percentile(): the percentile must be 0 to 100"))?;
        let lookback_n = to_long(&self.constant(lookback)?).filter(|n| *n > 0).ok_or_else(|| {
            KqlError::arguments(lookback.span, "rolling_percentile(): bins lookback must be positive")
        })?;
        let bin_v = self.constant(bin)?;
        let iv = self.scalar(index, &frame)?;
        let itype = iv.dtype();
        // The index as i64 (ticks for datetime/timespan) and the bin size in the same unit.
        let size = match itype {
            DataType::DateTime | DataType::Timespan => to_timespan(&bin_v),
            DataType::Int | DataType::Long => to_long(&bin_v),
            _ => None,
        }
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            KqlError::arguments(bin.span, "rolling_percentile(): the index must be a datetime, timespan or integer column with a matching positive bin size")
        })?;
        let vv = self.scalar(value, &frame)?;
        let mut dim_vals = Vec::new();
        for d in dims {
            dim_vals.push((name_of(d)?, self.scalar(d, &frame)?));
        }
        // dims (as JSON text) → (dims, bin → values)
        let mut groups: BTreeMap<String, (Vec<Value>, Bins)> = BTreeMap::new();
        for r in 0..frame.len() {
            let ix = match iv.get(&frame, r) {
                Value::DateTime(t) | Value::Timespan(t) | Value::Long(t) => t,
                Value::Int(t) => i64::from(t),
                _ => continue,
            };
            let v = vv.get(&frame, r);
            if matches!(v, Value::Null) {
                continue;
            }
            let d: Vec<Value> = dim_vals.iter().map(|(_, x)| x.get(&frame, r)).collect();
            let key = serde_json::Value::Array(d.iter().map(value_to_json).collect()).to_string();
            let g = groups.entry(key).or_insert_with(|| (d, BTreeMap::new()));
            g.1.entry(ix.div_euclid(size) * size).or_default().push(v);
        }
        let mut ordered: Vec<_> = groups.into_values().collect();
        ordered.sort_by(|a, b| {
            a.0.iter().zip(&b.0).map(|(x, y)| compare(x, y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut out_index = ColumnBuilder::new(itype);
        let mut out_dims: Vec<ColumnBuilder> = dim_vals.iter().map(|(_, v)| ColumnBuilder::new(v.dtype())).collect();
        let mut out_value = ColumnBuilder::new(vv.dtype());
        for (d, bins) in &ordered {
            for &b in bins.keys() {
                let mut window: Vec<Value> =
                    bins.range(b - (lookback_n - 1) * size..=b).flat_map(|(_, vs)| vs.iter().cloned()).collect();
                window.sort_by(compare);
                let rank = (p / 100.0 * window.len() as f64).ceil() as usize;
                out_index.push(&match itype {
                    DataType::DateTime => Value::DateTime(b),
                    DataType::Timespan => Value::Timespan(b),
                    DataType::Int => Value::Int(b as i32),
                    _ => Value::Long(b),
                });
                for (c, v) in out_dims.iter_mut().zip(d) {
                    c.push(v);
                }
                out_value.push(&window.get(rank.saturating_sub(1)).cloned().unwrap_or(Value::Null));
            }
        }
        let pct_text = if p.fract() == 0.0 { format!("{p:.0}") } else { p.to_string().replace('.', "_") };
        let mut cols = vec![(index_name, Arc::new(out_index.finish()))];
        for ((n, _), c) in dim_vals.iter().zip(out_dims) {
            cols.push((n.clone(), Arc::new(c.finish())));
        }
        cols.push((format!("rolling_{lookback_n}_percentile_{value_name}_{pct_text}"), Arc::new(out_value.finish())));
        Ok(Frame::from_columns(cols))
    }
}
