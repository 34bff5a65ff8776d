//! Less common aggregates: `covariance`/`covariancep` and their `if` forms,
//! `binary_all_and`/`binary_all_or`/`binary_all_xor`, and
//! `make_list_with_nulls`. Like the others they read their value(s) first and
//! an `if` form's predicate after them (§10).

use serde_json::Value as Json;

use super::Accumulator;
use super::collect::each_element;
use crate::data::Value;
use crate::data::column::value_to_json;
use crate::kql::eval::functions::convert::{to_long, to_real};
use crate::kql::eval::ops::truth;

fn passes(args: &[Value], pred: Option<usize>) -> bool {
    pred.is_none_or(|i| args.get(i).and_then(truth) == Some(true))
}

/// `covariance(x, y)` (sample, divides by n-1) and `covariancep(x, y)`
/// (population, divides by n), with a co-moment updated per pair
/// (covariance-aggregation-function.md). Rows where either value is null are
/// skipped (null-values.md lists the covariance family among the aggregates
/// that ignore nulls). A sample of one gives 0; no pairs give 0 for the sample
/// form and null for the population form, as `variance`/`variancep` do.
pub struct Covariance {
    sample: bool,
    pred: Option<usize>,
    n: u64,
    mean_x: f64,
    mean_y: f64,
    c: f64,
}

impl Covariance {
    /// A fresh accumulator.
    pub fn new(sample: bool, pred: Option<usize>) -> Covariance {
        Covariance { sample, pred, n: 0, mean_x: 0.0, mean_y: 0.0, c: 0.0 }
    }
}

impl Accumulator for Covariance {
    fn add(&mut self, args: &[Value]) {
        if !passes(args, self.pred) {
            return;
        }
        let (Some(x), Some(y)) = (args.first().and_then(to_real), args.get(1).and_then(to_real)) else { return };
        self.n += 1;
        let dx = x - self.mean_x;
        self.mean_x += dx / self.n as f64;
        self.mean_y += (y - self.mean_y) / self.n as f64;
        self.c += dx * (y - self.mean_y);
    }
    fn finish(&self) -> Value {
        if self.n == 0 {
            return if self.sample { Value::Real(0.0) } else { Value::Null };
        }
        let denom = if self.sample { self.n.saturating_sub(1).max(1) } else { self.n };
        Value::Real(self.c / denom as f64)
    }
}

/// Which bitwise operation `binary_all_*` folds with.
#[derive(Clone, Copy)]
pub enum BitOp {
    /// `binary_all_and`
    And,
    /// `binary_all_or`
    Or,
    /// `binary_all_xor`
    Xor,
}

/// `binary_all_and/or/xor(x)`: the values folded with the operation; null
/// when no value was seen (binary-all-and-aggregation-function.md).
pub struct BitFold {
    op: BitOp,
    acc: Option<i64>,
}

impl BitFold {
    /// A fresh accumulator.
    pub fn new(op: BitOp) -> BitFold {
        BitFold { op, acc: None }
    }
}

impl Accumulator for BitFold {
    fn add(&mut self, args: &[Value]) {
        let Some(x) = args.first().and_then(to_long) else { return };
        self.acc = Some(match (self.acc, self.op) {
            (None, _) => x,
            (Some(a), BitOp::And) => a & x,
            (Some(a), BitOp::Or) => a | x,
            (Some(a), BitOp::Xor) => a ^ x,
        });
    }
    fn finish(&self) -> Value {
        self.acc.map_or(Value::Null, Value::Long)
    }
}

/// `make_list_with_nulls(x)`: every value in input order, nulls included as
/// JSON null (make-list-with-nulls-aggregation-function.md); an array adds its
/// elements, as in `make_list` (§10).
#[derive(Default)]
pub struct MakeListWithNulls {
    items: Vec<Json>,
}

impl Accumulator for MakeListWithNulls {
    fn add(&mut self, args: &[Value]) {
        match args.first() {
            Some(v) if !v.is_null() => each_element(v, |e| self.items.push(e.clone())),
            _ => self.items.push(Json::Null),
        }
    }
    fn finish(&self) -> Value {
        Value::Dynamic(std::sync::Arc::new(Json::Array(self.items.clone())))
    }
}

/// `percentilew(x, w, p)`, `percentiles_array(x, p, ...)` and
/// `percentilesw_array(x, w, p, ...)` (percentiles-aggregation-function.md,
/// percentilesw-aggregation-function.md): nearest-rank percentiles, exact, as
/// `percentile` computes them; a weight counts its value that many times
/// (a null or non-positive weight drops the row). The array forms take their
/// percentages as arguments or as one dynamic array, and give a dynamic array.
pub struct WeightedPercentiles {
    weighted: bool,
    array: bool,
    values: Vec<(Value, u64)>,
    ps: Option<Vec<f64>>,
}

impl WeightedPercentiles {
    /// A fresh accumulator: `weighted` reads a weight second; `array` gives
    /// every percentage's value as an array instead of the first one's.
    pub fn new(weighted: bool, array: bool) -> WeightedPercentiles {
        WeightedPercentiles { weighted, array, values: Vec::new(), ps: None }
    }
}

impl Accumulator for WeightedPercentiles {
    fn add(&mut self, args: &[Value]) {
        let first_p = if self.weighted { 2 } else { 1 };
        if self.ps.is_none() {
            let mut ps = Vec::new();
            for a in args.iter().skip(first_p) {
                match a {
                    Value::Dynamic(j) => ps.extend(j.as_array().into_iter().flatten().filter_map(Json::as_f64)),
                    other => ps.extend(to_real(other)),
                }
            }
            self.ps = Some(ps);
        }
        let Some(v) = args.first().filter(|v| !v.is_null()) else { return };
        let w = if self.weighted { args.get(1).and_then(to_long).unwrap_or(0) } else { 1 };
        if w > 0 {
            self.values.push((v.clone(), w as u64));
        }
    }
    fn finish(&self) -> Value {
        let ps = self.ps.clone().unwrap_or_default();
        let mut sorted = self.values.clone();
        sorted.sort_by(|a, b| crate::kql::eval::ops::compare(&a.0, &b.0));
        let total: u64 = sorted.iter().map(|(_, w)| w).sum();
        let at = |p: f64| -> Value {
            if total == 0 {
                return Value::Null;
            }
            let rank = ((p.clamp(0.0, 100.0) / 100.0 * total as f64).ceil() as u64).max(1);
            let mut seen = 0;
            for (v, w) in &sorted {
                seen += w;
                if seen >= rank {
                    return v.clone();
                }
            }
            Value::Null
        };
        if self.array {
            if total == 0 {
                return Value::Null;
            }
            let items = ps.iter().map(|&p| value_to_json(&at(p))).collect();
            return Value::Dynamic(std::sync::Arc::new(Json::Array(items)));
        }
        ps.first().map_or(Value::Null, |&p| at(p))
    }
}
