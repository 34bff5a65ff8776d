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
                let (x, y) = (&values[a as usize], &values[b as usize]);
                let o = match (x.is_null(), y.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => {
                        if *nulls_first {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        }
                    }
                    (false, true) => {
                        if *nulls_first {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        }
                    }
                    (false, false) => {
                        let o = ops::compare(x, y);
                        if *desc { o.reverse() } else { o }
                    }
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        Ok(frame.take_rows(&perm))
    }
}
