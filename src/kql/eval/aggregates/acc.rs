//! The accumulators behind the aggregation functions. Each reads its value
//! from `args[0]` and, for `*if` variants, its predicate from `args[pred]`
//! (only rows where it is `true` count); nulls are skipped (§10).

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::Accumulator;
use crate::data::column::value_to_json;
use crate::data::{DataType, Decimal, Value};
use crate::kql::eval::functions::convert::{to_decimal, to_long, to_real, unwrap_dynamic};
use crate::kql::eval::ops::{compare, key_eq, key_hash, truth};

/// True when the row counts: no predicate, or the predicate is `true`.
fn passes(args: &[Value], pred: Option<usize>) -> bool {
    pred.is_none_or(|i| args.get(i).and_then(truth) == Some(true))
}

/// The value argument, if the row counts and it is not null.
pub(super) fn value(args: &[Value], pred: Option<usize>) -> Option<&Value> {
    args.first().filter(|v| !v.is_null() && passes(args, pred))
}

/// A grouping-equality key for hash sets.
struct Key(Value);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        key_eq(&self.0, &other.0)
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        key_hash(&self.0, state);
    }
}

/// `count()`, `count(x)` (rows, as `count()`) and `countif(p)`.
pub struct Count {
    n: i64,
    pred: Option<usize>,
}

impl Count {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>) -> Count {
        Count { n: 0, pred }
    }
}

impl Accumulator for Count {
    fn add(&mut self, args: &[Value]) {
        self.n += i64::from(passes(args, self.pred));
    }
    fn finish(&self) -> Value {
        Value::Long(self.n)
    }
}

/// `dcount` (computed exactly, where Kusto estimates with HyperLogLog;
/// results can differ from the service on large cardinalities),
/// `count_distinct`, and their `if` forms.
pub struct Distinct {
    seen: FxHashSet<Key>,
    pred: Option<usize>,
}

impl Distinct {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>) -> Distinct {
        Distinct { seen: FxHashSet::default(), pred }
    }
}

impl Accumulator for Distinct {
    fn add(&mut self, args: &[Value]) {
        if let Some(v) = value(args, self.pred) {
            self.seen.insert(Key(v.clone()));
        }
    }
    fn finish(&self) -> Value {
        Value::Long(self.seen.len() as i64)
    }
}

/// How a sum or average accumulates.
#[derive(Clone, Copy, PartialEq)]
enum NumKind {
    Long,
    Real,
    Timespan,
    Dynamic,
    Decimal,
}

fn num_kind(t: &[DataType]) -> NumKind {
    match t.first() {
        Some(DataType::Int | DataType::Long) => NumKind::Long,
        Some(DataType::Timespan) => NumKind::Timespan,
        Some(DataType::Dynamic) => NumKind::Dynamic,
        Some(DataType::Decimal) => NumKind::Decimal,
        _ => NumKind::Real,
    }
}

/// `sum`/`sumif`: integers wrap on overflow (as .NET unchecked sums do);
/// 0 when no value was added (`summarize-operator.md`, default values).
pub struct Sum {
    kind: NumKind,
    int: i64,
    real: f64,
    /// The exact decimal sum; `None` once it overflowed (the sum is then null).
    dec: Option<Decimal>,
    pred: Option<usize>,
}

impl Sum {
    /// A fresh accumulator.
    pub fn new(t: &[DataType], pred: Option<usize>) -> Sum {
        Sum { kind: num_kind(t), int: 0, real: 0.0, dec: Some(Decimal::ZERO), pred }
    }
}

impl Accumulator for Sum {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = value(args, self.pred) else { return };
        match (self.kind, unwrap_dynamic(v)) {
            (NumKind::Long | NumKind::Timespan, Value::Int(_) | Value::Long(_) | Value::Timespan(_)) => {
                self.int = self.int.wrapping_add(to_long(v).unwrap_or(0));
            }
            (NumKind::Decimal, x) => {
                if let Some(d) = to_decimal(&x) {
                    self.dec = self.dec.and_then(|s| s.checked_add(d));
                }
            }
            (_, x) => {
                if let Some(f) = to_real(&x) {
                    self.real += f;
                }
            }
        }
    }
    fn finish(&self) -> Value {
        match self.kind {
            NumKind::Long => Value::Long(self.int),
            NumKind::Timespan => Value::Timespan(self.int),
            NumKind::Real => Value::Real(self.real),
            NumKind::Dynamic => Value::Dynamic(Arc::new(value_to_json(&Value::Real(self.real)))),
            NumKind::Decimal => self.dec.map_or(Value::Null, Value::Decimal),
        }
    }
}

/// `avg`/`avgif`: a real mean (a timespan for timespans, an exact decimal
/// for decimals); NaN when no value was added (null for timespans and
/// decimals, which have no NaN).
pub struct Avg {
    kind: NumKind,
    sum: f64,
    dec: Sum,
    n: u64,
    pred: Option<usize>,
}

impl Avg {
    /// A fresh accumulator.
    pub fn new(t: &[DataType], pred: Option<usize>) -> Avg {
        Avg { kind: num_kind(t), sum: 0.0, dec: Sum::new(&[DataType::Decimal], None), n: 0, pred }
    }
}

impl Accumulator for Avg {
    fn add(&mut self, args: &[Value]) {
        if self.kind == NumKind::Decimal {
            if let Some(v) = value(args, self.pred).filter(|v| to_decimal(v).is_some()) {
                self.dec.add(std::slice::from_ref(v));
                self.n += 1;
            }
            return;
        }
        if let Some(f) = value(args, self.pred).and_then(to_real) {
            self.sum += f;
            self.n += 1;
        }
    }
    fn finish(&self) -> Value {
        if self.kind == NumKind::Decimal {
            let n = Decimal::from_i64(i64::try_from(self.n).unwrap_or(i64::MAX));
            return match self.dec.dec {
                Some(s) if self.n > 0 => s.checked_div(n).map_or(Value::Null, Value::Decimal),
                _ => Value::Null,
            };
        }
        // 0/0 is NaN, Kusto's avg of nothing.
        let mean = self.sum / self.n as f64;
        match self.kind {
            NumKind::Timespan if self.n == 0 => Value::Null,
            NumKind::Timespan => Value::Timespan(mean.round() as i64),
            _ => Value::Real(mean),
        }
    }
}

/// `min`/`max` and their `if` forms, by the total order of `ops::compare`.
pub struct Extreme {
    best: Option<Value>,
    want: Ordering,
    pred: Option<usize>,
}

impl Extreme {
    /// A fresh accumulator.
    pub fn new(min: bool, pred: Option<usize>) -> Extreme {
        Extreme { best: None, want: if min { Ordering::Less } else { Ordering::Greater }, pred }
    }
}

impl Accumulator for Extreme {
    fn add(&mut self, args: &[Value]) {
        let Some(v) = value(args, self.pred) else { return };
        if self.best.as_ref().is_none_or(|b| compare(v, b) == self.want) {
            self.best = Some(v.clone());
        }
    }
    fn finish(&self) -> Value {
        self.best.clone().unwrap_or(Value::Null)
    }
}

/// `take_any` / `any` / `take_anyif`: the first non-null value seen
/// (Kusto picks an arbitrary one; first is deterministic).
pub struct TakeAny {
    got: Option<Value>,
    pred: Option<usize>,
}

impl TakeAny {
    /// A fresh accumulator.
    pub fn new(pred: Option<usize>) -> TakeAny {
        TakeAny { got: None, pred }
    }
}

impl Accumulator for TakeAny {
    fn add(&mut self, args: &[Value]) {
        if self.got.is_none() {
            self.got = value(args, self.pred).cloned();
        }
    }
    fn finish(&self) -> Value {
        self.got.clone().unwrap_or(Value::Null)
    }
}

/// `percentile(x, p)`: the nearest-rank value (exact; Kusto estimates with
/// T-Digest, which agrees on small groups). Keeps every value: memory grows
/// with the group.
#[derive(Default)]
pub struct Percentile {
    values: Vec<Value>,
    p: Option<f64>,
}

impl Accumulator for Percentile {
    fn add(&mut self, args: &[Value]) {
        if self.p.is_none() {
            self.p = args.get(1).and_then(to_real);
        }
        if let Some(v) = value(args, None) {
            self.values.push(v.clone());
        }
    }
    fn finish(&self) -> Value {
        let (Some(p), false) = (self.p, self.values.is_empty()) else { return Value::Null };
        let mut sorted = self.values.clone();
        sorted.sort_by(compare);
        let rank = (p.clamp(0.0, 100.0) / 100.0 * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.saturating_sub(1)).cloned().unwrap_or(Value::Null)
    }
}

/// `variance`/`stdev` (sample, n−1) and `variancep`/`stdevp` (population),
/// with Welford's update; a sample of one gives 0. With no value, the sample
/// forms give 0 and the population forms null (`summarize-operator.md`,
/// default values: only `variance`/`stdev` and their `if` forms are listed).
pub struct Variance {
    sqrt: bool,
    sample: bool,
    n: u64,
    mean: f64,
    m2: f64,
    pred: Option<usize>,
}

impl Variance {
    /// A fresh accumulator.
    pub fn new(sqrt: bool, sample: bool, pred: Option<usize>) -> Variance {
        Variance { sqrt, sample, n: 0, mean: 0.0, m2: 0.0, pred }
    }
}

impl Accumulator for Variance {
    fn add(&mut self, args: &[Value]) {
        let Some(x) = value(args, self.pred).and_then(to_real) else { return };
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }
    fn finish(&self) -> Value {
        if self.n == 0 {
            return if self.sample { Value::Real(0.0) } else { Value::Null };
        }
        let denom = if self.sample { self.n.saturating_sub(1).max(1) } else { self.n };
        let var = self.m2 / denom as f64;
        Value::Real(if self.sqrt { var.sqrt() } else { var })
    }
}
