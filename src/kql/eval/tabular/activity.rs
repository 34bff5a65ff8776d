//! User-activity plugins over a timeline: `activity_counts_metrics`,
//! `sliding_window_counts`, `active_users_count`
//! (activity-counts-metrics-plugin.md, sliding-window-counts-plugin.md,
//! active-users-count-plugin.md). Each reads an id column, a datetime
//! column, constants for the time range and windows, and optional dimension
//! columns that slice the result (one set of rows per dimension values, in
//! ascending order of the dimensions, then of time).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::data::column::value_to_json;
use crate::data::{Column, ColumnBuilder, DataType, PrimColumn, Value};
use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::convert::{to_datetime, to_long, to_timespan};
use super::super::frame::Frame;
use super::super::ops::compare;
use super::super::{Evaluator, Result};

/// One input row: id (as JSON text, for distinct counts) and time in ticks.
struct Event {
    id: String,
    t: i64,
}

/// The events of `frame` grouped by their dimension values, in ascending order.
type Groups = Vec<(Vec<Value>, Vec<Event>)>;

/// What a plugin's output rows carry besides their time and dimensions.
type Metrics = Vec<(i64, Vec<i64>)>;

impl Evaluator {
    /// `evaluate activity_counts_metrics(...)`, `sliding_window_counts(...)` or `active_users_count(...)`.
    pub(crate) fn activity_plugin(&mut self, frame: Frame, plugin: &Ident, args: &[Expr], span: Span) -> Result<Frame> {
        let name = plugin.name.as_str();
        // (constant arguments after the id and time columns, metric column names)
        let (consts, metrics): (usize, &[&str]) = match name {
            "activity_counts_metrics" => (3, &["count", "dcount", "new_dcount", "aggregated_dcount"]),
            // Kusto.Language names them Count and Dcount (the page's table shows dcount).
            "sliding_window_counts" => (4, &["Count", "Dcount"]),
            _ => (6, &["dcount"]),
        };
        if args.len() < 2 + consts {
            return Err(KqlError::arguments(span, format!("{name}() takes at least {} arguments", 2 + consts)));
        }
        let mut c = Vec::with_capacity(consts);
        for a in &args[2..2 + consts] {
            c.push((self.constant(a)?, a.span));
        }
        let time_arg = |i: usize| {
            to_datetime(&c[i].0).ok_or_else(|| KqlError::arguments(c[i].1, format!("{name}(): expected a datetime")))
        };
        let span_arg = |i: usize| {
            to_timespan(&c[i].0)
                .filter(|s| *s > 0)
                .ok_or_else(|| KqlError::arguments(c[i].1, format!("{name}(): expected a positive timespan")))
        };
        let (start, end) = (time_arg(0)?, time_arg(1)?);
        let time_name = match &args[1].kind {
            ExprKind::Name(id) => id.name.clone(),
            _ => "Timestamp".to_string(),
        };
        let (groups, dim_names) = self.activity_events(&frame, &args[0], &args[1], &args[2 + consts..])?;
        let rows: Vec<(Vec<Value>, Metrics)> = match name {
            "activity_counts_metrics" => {
                let window = span_arg(2)?;
                groups.into_iter().map(|(d, ev)| (d, counts_metrics(&ev, start, end, window))).collect()
            }
            "sliding_window_counts" => {
                let (lookback, bin) = (span_arg(2)?, span_arg(3)?);
                groups.into_iter().map(|(d, ev)| (d, sliding_counts(&ev, start, end, lookback, bin))).collect()
            }
            _ => {
                let (lookback, period, bin) = (span_arg(2)?, span_arg(3)?, span_arg(5)?);
                let active = to_long(&c[4].0)
                    .ok_or_else(|| KqlError::arguments(c[4].1, format!("{name}(): expected a count of periods")))?;
                groups
                    .into_iter()
                    .map(|(d, ev)| (d, active_users(&ev, start, end, lookback, period, active, bin)))
                    .collect()
            }
        };
        Ok(output(&time_name, &dim_names, metrics, rows))
    }

    /// Reads the id, time and dimension columns of every row with a time.
    fn activity_events(
        &mut self,
        frame: &Frame,
        id: &Expr,
        time: &Expr,
        dims: &[Expr],
    ) -> Result<(Groups, Vec<(String, DataType)>)> {
        let idv = self.scalar(id, frame)?;
        let tv = self.scalar(time, frame)?;
        if tv.dtype() != DataType::DateTime {
            return Err(KqlError::arguments(time.span, "the timeline column must be a datetime"));
        }
        let mut dim_vals = Vec::with_capacity(dims.len());
        let mut dim_names = Vec::with_capacity(dims.len());
        for d in dims {
            let ExprKind::Name(n) = &d.kind else {
                return Err(KqlError::arguments(d.span, "a dimension must be a column name"));
            };
            let v = self.scalar(d, frame)?;
            dim_names.push((n.name.clone(), v.dtype()));
            dim_vals.push(v);
        }
        let mut by_dims: BTreeMap<String, (Vec<Value>, Vec<Event>)> = BTreeMap::new();
        for r in 0..frame.len() {
            let Some(t) = to_datetime(&tv.get(frame, r)) else { continue };
            let dims: Vec<Value> = dim_vals.iter().map(|v| v.get(frame, r)).collect();
            let key = serde_json::Value::Array(dims.iter().map(value_to_json).collect()).to_string();
            let id = value_to_json(&idv.get(frame, r)).to_string();
            by_dims.entry(key).or_insert_with(|| (dims, Vec::new())).1.push(Event { id, t });
        }
        let mut groups: Groups = by_dims.into_values().collect();
        groups.sort_by(|a, b| {
            a.0.iter().zip(&b.0).map(|(x, y)| compare(x, y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
        });
        Ok((groups, dim_names))
    }
}

/// The bin starts `start, start + step, ...` up to `end` inclusive.
fn bins(start: i64, end: i64, step: i64) -> impl Iterator<Item = i64> {
    (0..).map(move |i| start + i * step).take_while(move |t| *t <= end)
}

/// Per window from `start`: records, distinct ids, ids not seen in an
/// earlier window, and distinct ids so far. Records outside the range are ignored.
fn counts_metrics(events: &[Event], start: i64, end: i64, window: i64) -> Metrics {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for b in bins(start, end, window) {
        let in_window: Vec<&Event> = events.iter().filter(|e| e.t >= b && e.t < b + window && e.t <= end).collect();
        let ids: HashSet<&str> = in_window.iter().map(|e| e.id.as_str()).collect();
        let new = ids.iter().filter(|id| !seen.contains(**id)).count();
        seen.extend(ids.iter().copied());
        out.push((b, vec![in_window.len() as i64, ids.len() as i64, new as i64, seen.len() as i64]));
    }
    out
}

/// Per bin from `start`: records and distinct ids in the lookback window
/// that ends with the bin (the bin and the ones before it, `lookback` long).
fn sliding_counts(events: &[Event], start: i64, end: i64, lookback: i64, bin: i64) -> Metrics {
    bins(start, end, bin)
        .map(|b| {
            let (lo, hi) = (b + bin - lookback, b + bin);
            let in_window: Vec<&Event> = events.iter().filter(|e| e.t >= lo && e.t < hi).collect();
            let ids: HashSet<&str> = in_window.iter().map(|e| e.id.as_str()).collect();
            (b, vec![in_window.len() as i64, ids.len() as i64])
        })
        .collect()
}

/// Per bin from `start` with any: the ids with an active appearance in the
/// bin. An appearance at `t` is active when the id appears in at least
/// `active` distinct periods in `(t - lookback, t]` (the page's example: B
/// on 7/4 counts 6/29, 6/30 and 7/4; B on 7/8 is not active, so the window
/// excludes its start). Earlier appearances count for the lookback.
fn active_users(events: &[Event], start: i64, end: i64, lookback: i64, period: i64, active: i64, bin: i64) -> Metrics {
    let mut per_bin: BTreeMap<i64, HashSet<&str>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.t >= start && e.t <= end) {
        let periods: HashSet<i64> = events
            .iter()
            .filter(|o| o.id == e.id && o.t > e.t - lookback && o.t <= e.t)
            .map(|o| o.t.div_euclid(period))
            .collect();
        if periods.len() as i64 >= active {
            let b = start + (e.t - start).div_euclid(bin) * bin;
            per_bin.entry(b).or_default().insert(&e.id);
        }
    }
    per_bin.into_iter().map(|(b, ids)| (b, vec![ids.len() as i64])).collect()
}

/// The output table: time, dimensions, metrics.
fn output(time: &str, dims: &[(String, DataType)], metrics: &[&str], rows: Vec<(Vec<Value>, Metrics)>) -> Frame {
    let mut times = Vec::new();
    let mut dim_cols: Vec<ColumnBuilder> = dims.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
    let mut metric_cols: Vec<Vec<Option<i64>>> = vec![Vec::new(); metrics.len()];
    for (d, ms) in &rows {
        for (t, m) in ms {
            times.push(Some(*t));
            for (b, v) in dim_cols.iter_mut().zip(d) {
                b.push(v);
            }
            for (c, v) in metric_cols.iter_mut().zip(m) {
                c.push(Some(*v));
            }
        }
    }
    let mut cols: Vec<(String, Arc<Column>)> =
        vec![(time.to_string(), Arc::new(Column::DateTime(PrimColumn::from_options(times))))];
    for ((n, _), b) in dims.iter().zip(dim_cols) {
        cols.push((n.clone(), Arc::new(b.finish())));
    }
    for (n, c) in metrics.iter().zip(metric_cols) {
        cols.push((n.to_string(), Arc::new(Column::Long(PrimColumn::from_options(c)))));
    }
    Frame::from_columns(cols)
}
