//! The aggregates that collect values into one `dynamic`: `make_set`,
//! `make_list` and `make_bag`, their `if` forms and deprecated names (§10).

use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde_json::{Map, Value as Json};

use super::Accumulator;
use super::acc::value;
use crate::data::Value;
use crate::data::column::value_to_json;
use crate::kql::eval::functions::convert::to_long;

/// The size limit argument at `i` (a constant), or `default`; never above [`super::MAX_SET`].
fn limit(args: &[Value], i: usize, default: usize) -> usize {
    args.get(i).and_then(to_long).map_or(default, |n| n.clamp(0, super::MAX_SET as i64) as usize)
}

/// What one value adds to a `make_list` or `make_set`: an array adds its
/// elements, one level deep (make-set-aggregation-function.md "Set from array
/// column", geo-h3cell-rings-function.md "list of cells from all rings");
/// anything else, a bag included, is one element (§10).
pub fn each_element(v: &Value, mut f: impl FnMut(&Json)) {
    match v {
        Value::Dynamic(j) => match j.as_array() {
            Some(items) => items.iter().for_each(f),
            None => f(j),
        },
        other => f(&value_to_json(other)),
    }
}

/// `make_set` / `makeset` / `make_set_if`: distinct values in first-occurrence
/// order; array values are unioned element by element (§10).
pub struct MakeSet {
    items: Vec<Json>,
    seen: FxHashSet<String>,
    pred: Option<usize>,
    limit_arg: usize,
    default_limit: usize,
}

impl MakeSet {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>, limit_arg: usize, default_limit: usize) -> MakeSet {
        MakeSet { items: Vec::new(), seen: FxHashSet::default(), pred, limit_arg, default_limit }
    }

    fn push(&mut self, j: &Json, max: usize) {
        if self.items.len() < max && !j.is_null() && self.seen.insert(j.to_string()) {
            self.items.push(j.clone());
        }
    }
}

impl Accumulator for MakeSet {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = value(args, self.pred) else { return };
        let max = limit(args, self.limit_arg, self.default_limit);
        each_element(v, |e| self.push(e, max));
    }
    fn finish(&self) -> Value {
        Value::Dynamic(Arc::new(Json::Array(self.items.clone())))
    }
}

/// `make_list` / `makelist` / `make_list_if`: every non-null value, in order;
/// an array value adds its elements (§10).
pub struct MakeList {
    items: Vec<Json>,
    pred: Option<usize>,
    limit_arg: usize,
    default_limit: usize,
}

impl MakeList {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>, limit_arg: usize, default_limit: usize) -> MakeList {
        MakeList { items: Vec::new(), pred, limit_arg, default_limit }
    }
}

impl Accumulator for MakeList {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = value(args, self.pred) else { return };
        let max = limit(args, self.limit_arg, self.default_limit);
        each_element(v, |e| {
            if self.items.len() < max {
                self.items.push(e.clone());
            }
        });
    }
    fn finish(&self) -> Value {
        Value::Dynamic(Arc::new(Json::Array(self.items.clone())))
    }
}

/// `make_bag` / `make_bag_if`: the union of property bags; a key seen again
/// keeps its first value; non-bag values are ignored.
pub struct MakeBag {
    bag: Map<String, Json>,
    pred: Option<usize>,
    limit_arg: usize,
    default_limit: usize,
}

impl MakeBag {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>, limit_arg: usize) -> MakeBag {
        MakeBag::with_default(pred, limit_arg, super::MAX_SET)
    }

    /// A fresh accumulator whose size limit without an argument is `default_limit`.
    pub fn with_default(pred: Option<usize>, limit_arg: usize, default_limit: usize) -> MakeBag {
        MakeBag { bag: Map::new(), pred, limit_arg, default_limit }
    }
}

impl Accumulator for MakeBag {
    fn add(&mut self, args: &[Value]) {
        let Some(Value::Dynamic(j)) = value(args, self.pred) else { return };
        let max = limit(args, self.limit_arg, self.default_limit);
        for (k, v) in j.as_object().into_iter().flatten() {
            if self.bag.len() < max && !self.bag.contains_key(k) {
                self.bag.insert(k.clone(), v.clone());
            }
        }
    }
    fn finish(&self) -> Value {
        Value::Dynamic(Arc::new(Json::Object(self.bag.clone())))
    }
}
