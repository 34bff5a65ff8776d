//! `hll`, `hll_if`, `hll_merge`, `tdigest` and `tdigest_merge` as exact
//! sketches (see `functions::sketch` for their values).

use rustc_hash::FxHashSet;
use serde_json::Value as Json;

use super::Accumulator;
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};
use crate::kql::eval::functions::convert::to_long;
use crate::kql::eval::functions::sketch::{Digest, hll_value, hll_values, merge_hlls};
use crate::kql::eval::ops::truth;

/// `hll(x)` / `hll_if(x, p)`: the distinct non-null values.
pub struct Hll {
    seen: FxHashSet<String>,
    values: Vec<Json>,
    pred: Option<usize>,
}

impl Hll {
    /// A fresh accumulator; `pred` is the index of `hll_if`'s predicate.
    pub fn new(pred: Option<usize>) -> Hll {
        Hll { seen: FxHashSet::default(), values: Vec::new(), pred }
    }
}

impl Accumulator for Hll {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = args.first().filter(|v| !v.is_null()) else { return };
        if self.pred.is_some_and(|i| args.get(i).and_then(truth) != Some(true)) {
            return;
        }
        let j = value_to_json(v);
        if self.seen.insert(j.to_string()) {
            self.values.push(j);
        }
    }
    fn finish(&self) -> Value {
        hll_value(self.values.clone())
    }
}

/// `hll_merge(h)`: the union of the group's `hll` values.
#[derive(Default)]
pub struct HllMerge {
    sets: Vec<Vec<Json>>,
}

impl Accumulator for HllMerge {
    fn add(&mut self, args: &[Value]) {
        if let Some(s) = args.first().and_then(hll_values) {
            self.sets.push(s);
        }
    }
    fn finish(&self) -> Value {
        merge_hlls(self.sets.iter().cloned())
    }
}

/// `tdigest(x[, weight])`: every value with its weight (1 by default).
pub struct TDigest {
    dtype: DataType,
    items: Vec<(Value, i64)>,
}

impl TDigest {
    /// A fresh accumulator for values of the first argument's type.
    pub fn new(types: &[DataType]) -> TDigest {
        TDigest { dtype: types.first().copied().unwrap_or(DataType::Dynamic), items: Vec::new() }
    }
}

impl Accumulator for TDigest {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = args.first().filter(|v| !v.is_null()) else { return };
        let w = match args.get(1) {
            None => 1,
            Some(w) => match to_long(w) {
                Some(w) if w > 0 => w,
                _ => return,
            },
        };
        self.items.push((v.clone(), w));
    }
    fn finish(&self) -> Value {
        Digest::build(self.dtype, self.items.clone()).into_value()
    }
}

/// `tdigest_merge(t)` / `merge_tdigest(t)`: the group's digests as one;
/// null when they hold different types.
#[derive(Default)]
pub struct TDigestMerge {
    digests: Vec<Value>,
}

impl Accumulator for TDigestMerge {
    fn add(&mut self, args: &[Value]) {
        if let Some(v) = args.first().filter(|v| !v.is_null()) {
            self.digests.push(v.clone());
        }
    }
    fn finish(&self) -> Value {
        Digest::merge(self.digests.iter().filter_map(Digest::read)).map_or(Value::Null, Digest::into_value)
    }
}
