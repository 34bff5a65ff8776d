//! `sort by` / `order by` (and the ordering of `top`).

use std::cmp::Ordering;

use crate::data::Value;
use crate::kql::ast::SortKey;

use super::super::frame::Frame;
use super::super::ops;
use super::super::{Evaluator, Result};

impl Evaluator {
    /// Sorts the frame's rows; stable, so equal keys keep their order.
    /// Defaults follow Kusto: descending; nulls first when ascending and
    /// last when descending.
    pub(crate) fn sort(&mut self, frame: Frame, keys: &[SortKey]) -> Result<Frame> {
        let mut cols = Vec::with_capacity(keys.len());
        for k in keys {
            let v = self.scalar(&k.expr, &frame)?;
            let values: Vec<Value> = (0..frame.len()).map(|r| v.get(&frame, r)).collect();
            let nulls_first = k.nulls_first.unwrap_or(!k.descending);
            cols.push((values, k.descending, nulls_first));
        }
        let mut perm: Vec<u32> = (0..frame.len() as u32).collect();
        perm.sort_by(|&a, &b| {
            for (values, desc, nulls_first) in &cols {
                let o = order(&values[a as usize], &values[b as usize], *desc, *nulls_first);
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        Ok(frame.take_rows(&perm))
    }
}

/// How `sort by` orders two values of one key: nulls first or last as
/// `nulls_first` says (whatever the direction), the rest by [`ops::compare`],
/// reversed when `desc`.
pub fn order(x: &Value, y: &Value, desc: bool, nulls_first: bool) -> Ordering {
    match (x.is_null(), y.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) if nulls_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if nulls_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if desc => ops::compare(x, y).reverse(),
        (false, false) => ops::compare(x, y),
    }
}

/// The frame's rows in the order `| sort by <column col> asc` (or `desc`)
/// gives: stable, nulls first ascending and last descending (Kusto's
/// defaults). The TUI's grid sorts with this so it agrees with the query.
pub fn sort_by_column(frame: &Frame, col: usize, desc: bool) -> Frame {
    if col >= frame.cols().len() {
        return frame.clone();
    }
    let values: Vec<Value> = (0..frame.len()).map(|r| frame.value(r, col)).collect();
    let mut perm: Vec<u32> = (0..frame.len() as u32).collect();
    perm.sort_by(|&a, &b| order(&values[a as usize], &values[b as usize], desc, !desc));
    frame.take_rows(&perm)
}
