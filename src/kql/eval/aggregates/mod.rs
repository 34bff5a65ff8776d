//! Aggregation functions for `summarize` and `make-series`
//! (kql-semantics.md §10). Nulls are ignored by every aggregate except
//! `count()`; `*if` variants take their predicate right after the value.

mod acc;
mod collect;
mod extra;
mod sketch;
#[cfg(test)]
mod tests;

use crate::data::{DataType, Value};
use extra::{BitFold, BitOp, Covariance, MakeListWithNulls, WeightedPercentiles};

use acc::{Avg, Count, Distinct, Extreme, Percentile, Sum, TakeAny, Variance};
use collect::{MakeBag, MakeList, MakeSet};
use sketch::{Hll, HllMerge, TDigest, TDigestMerge};

/// Running state of one aggregate over one group.
pub trait Accumulator {
    /// Adds one row's argument values (already evaluated, in call order).
    fn add(&mut self, args: &[Value]);
    /// The aggregate's value for the rows added so far.
    fn finish(&self) -> Value;
}

/// An aggregation function.
pub struct AggFn {
    /// Canonical name (`make_set`).
    pub name: &'static str,
    /// Other accepted names (`makeset`).
    pub aliases: &'static [&'static str],
    /// Prefix of the default output column name: `count` gives `count_`,
    /// `set` with column `X` gives `set_X`. Empty (`take_any`): the output
    /// keeps the argument column's own name (`take_any(FileName)` → `FileName`,
    /// verified with kql-check). `percentile(X, 50)` also appends `_50`.
    pub prefix: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments.
    pub max_args: usize,
    /// The result type for the argument types.
    pub return_type: fn(&[DataType]) -> Result<DataType, String>,
    /// A fresh accumulator for the argument types. Constant arguments (e.g.
    /// `make_set`'s size limit, `percentile`'s percentage) arrive as values in
    /// every `add` call.
    pub new: fn(&[DataType]) -> Box<dyn Accumulator>,
}

impl std::fmt::Debug for AggFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AggFn").field("name", &self.name).finish()
    }
}

/// Looks up an aggregation function by name or alias.
pub fn lookup(name: &str) -> Option<&'static AggFn> {
    registry().iter().find(|f| f.name == name || f.aliases.contains(&name))
}

/// Every aggregation function (`arg_max`/`arg_min` are handled by `summarize` itself).
pub fn registry() -> &'static [AggFn] {
    REGISTRY
}

const fn agg(
    name: &'static str,
    aliases: &'static [&'static str],
    prefix: &'static str,
    args: (usize, usize),
    return_type: fn(&[DataType]) -> Result<DataType, String>,
    new: fn(&[DataType]) -> Box<dyn Accumulator>,
) -> AggFn {
    AggFn { name, aliases, prefix, min_args: args.0, max_args: args.1, return_type, new }
}

static REGISTRY: &[AggFn] = &[
    // count(expr) counts rows as count() does, whatever expr's value or type:
    // "the standard count function includes null values in its count"
    // (summarize-operator.md, `count(y)` over a real column with a null → 2).
    agg("count", &[], "count", (0, 1), long, |_| Box::new(Count::new(None))),
    agg("countif", &[], "countif", (1, 1), pred_long(0), |_| Box::new(Count::new(Some(0)))),
    agg("dcount", &[], "dcount", (1, 2), long, |_| Box::new(Distinct::new(None))),
    agg("dcountif", &[], "dcountif", (2, 3), pred_long(1), |_| Box::new(Distinct::new(Some(1)))),
    agg("count_distinct", &[], "count_distinct", (1, 1), long, |_| Box::new(Distinct::new(None))),
    agg("count_distinctif", &[], "count_distinctif", (2, 2), pred_long(1), |_| Box::new(Distinct::new(Some(1)))),
    agg("sum", &[], "sum", (1, 1), sum_type, |t| Box::new(Sum::new(t, None))),
    agg("sumif", &[], "sumif", (2, 2), sum_type, |t| Box::new(Sum::new(t, Some(1)))),
    agg("avg", &[], "avg", (1, 1), avg_type, |t| Box::new(Avg::new(t, None))),
    agg("avgif", &[], "avgif", (2, 2), avg_type, |t| Box::new(Avg::new(t, Some(1)))),
    agg("min", &[], "min", (1, 1), same_orderable, |_| Box::new(Extreme::new(true, None))),
    agg("max", &[], "max", (1, 1), same_orderable, |_| Box::new(Extreme::new(false, None))),
    agg("minif", &[], "minif", (2, 2), same_orderable, |_| Box::new(Extreme::new(true, Some(1)))),
    agg("maxif", &[], "maxif", (2, 2), same_orderable, |_| Box::new(Extreme::new(false, Some(1)))),
    agg("make_set", &[], "set", (1, 2), dynamic, |_| Box::new(MakeSet::new(None, 1, MAX_SET))),
    agg("makeset", &[], "set", (1, 2), dynamic, |_| Box::new(MakeSet::new(None, 1, LEGACY_MAX))),
    agg("make_set_if", &[], "set", (2, 3), dynamic, |_| Box::new(MakeSet::new(Some(1), 2, MAX_SET))),
    agg("make_list", &[], "list", (1, 2), dynamic, |_| Box::new(MakeList::new(None, 1, MAX_SET))),
    agg("makelist", &[], "list", (1, 2), dynamic, |_| Box::new(MakeList::new(None, 1, LEGACY_MAX))),
    agg("make_list_if", &[], "list", (2, 3), dynamic, |_| Box::new(MakeList::new(Some(1), 2, MAX_SET))),
    agg("make_bag", &[], "bag", (1, 2), dynamic, |_| Box::new(MakeBag::new(None, 1))),
    agg("make_bag_if", &[], "bag", (2, 3), dynamic, |_| Box::new(MakeBag::new(Some(1), 2))),
    // The deprecated name of make_bag, with the legacy size limit (make-bag-aggregation-function.md).
    agg("make_dictionary", &[], "dictionary", (1, 2), dynamic, |_| {
        Box::new(MakeBag::with_default(None, 1, LEGACY_MAX))
    }),
    agg("take_any", &[], "", (1, 1), same, |_| Box::new(TakeAny::new(None))),
    agg("take_anyif", &[], "", (2, 2), same, |_| Box::new(TakeAny::new(Some(1)))),
    agg("any", &[], "any", (1, 1), same, |_| Box::new(TakeAny::new(None))),
    agg("percentile", &[], "percentile", (2, 2), percentile_type, |_| Box::new(Percentile::default())),
    agg("stdev", &[], "stdev", (1, 1), real, |_| Box::new(Variance::new(true, true, None))),
    agg("stdevif", &[], "stdevif", (2, 2), real, |_| Box::new(Variance::new(true, true, Some(1)))),
    agg("stdevp", &[], "stdevp", (1, 1), real, |_| Box::new(Variance::new(true, false, None))),
    agg("variance", &[], "variance", (1, 1), real, |_| Box::new(Variance::new(false, true, None))),
    agg("varianceif", &[], "varianceif", (2, 2), real, |_| Box::new(Variance::new(false, true, Some(1)))),
    agg("variancep", &[], "variancep", (1, 1), real, |_| Box::new(Variance::new(false, false, None))),
    agg("variancepif", &[], "variancepif", (2, 2), real, |_| Box::new(Variance::new(false, false, Some(1)))),
    agg("stdevpif", &[], "stdevpif", (2, 2), real, |_| Box::new(Variance::new(true, false, Some(1)))),
    agg("covariance", &[], "covariance", (2, 2), real2, |_| Box::new(Covariance::new(true, None))),
    agg("covarianceif", &[], "covarianceif", (3, 3), real2, |_| Box::new(Covariance::new(true, Some(2)))),
    agg("covariancep", &[], "covariancep", (2, 2), real2, |_| Box::new(Covariance::new(false, None))),
    agg("covariancepif", &[], "covariancepif", (3, 3), real2, |_| Box::new(Covariance::new(false, Some(2)))),
    agg("binary_all_and", &[], "binary_all_and", (1, 1), integer, |_| Box::new(BitFold::new(BitOp::And))),
    agg("binary_all_or", &[], "binary_all_or", (1, 1), integer, |_| Box::new(BitFold::new(BitOp::Or))),
    agg("binary_all_xor", &[], "binary_all_xor", (1, 1), integer, |_| Box::new(BitFold::new(BitOp::Xor))),
    agg("make_list_with_nulls", &[], "list", (1, 1), dynamic, |_| Box::<MakeListWithNulls>::default()),
    // Exact sketches (functions/sketch.rs): the accuracy argument has no effect.
    agg("hll", &[], "hll", (1, 2), dynamic, |_| Box::new(Hll::new(None))),
    agg("hll_if", &[], "hll_if", (2, 3), dynamic, |_| Box::new(Hll::new(Some(1)))),
    agg("hll_merge", &[], "hll_merge", (1, 1), dynamic, |_| Box::new(HllMerge::default())),
    agg("tdigest", &[], "tdigest", (1, 2), dynamic, |t| Box::new(TDigest::new(t))),
    agg("tdigest_merge", &["merge_tdigest"], "merge_tdigests", (1, 1), dynamic, |_| Box::new(TDigestMerge::default())),
    agg("percentilew", &[], "percentile", (3, 3), same_orderable, |_| Box::new(WeightedPercentiles::new(true, false))),
    agg("percentiles_array", &[], "percentile", (2, 64), dynamic, |_| Box::new(WeightedPercentiles::new(false, true))),
    agg("percentilesw_array", &[], "percentile", (3, 64), dynamic, |_| Box::new(WeightedPercentiles::new(true, true))),
];

/// Aggregates whose default column name joins their first two arguments'
/// names (`covariance(x, y)` → `covariance_x_y`, covariance-aggregation-function.md).
pub fn names_two_args(name: &str) -> bool {
    name.starts_with("covariance")
}

/// `make_set`/`make_list` default and largest size (`make-set-aggregation-function.md`).
pub const MAX_SET: usize = 1_048_576;
/// Default size limit of the deprecated `makeset`/`makelist` (kql-semantics.md §10).
pub const LEGACY_MAX: usize = 128;

fn long(_: &[DataType]) -> Result<DataType, String> {
    Ok(DataType::Long)
}

fn dynamic(_: &[DataType]) -> Result<DataType, String> {
    Ok(DataType::Dynamic)
}

fn real(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(x) if x.is_numeric() || *x == DataType::Dynamic => Ok(DataType::Real),
        _ => Err("the argument must be a number".into()),
    }
}

/// Two numbers (`covariance`): `real`.
fn real2(t: &[DataType]) -> Result<DataType, String> {
    match t {
        [x, y, ..] if [x, y].iter().all(|t| t.is_numeric() || **t == DataType::Dynamic) => Ok(DataType::Real),
        _ => Err("the first two arguments must be numbers".into()),
    }
}

/// An integer (`binary_all_*`): `long`.
fn integer(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Int | DataType::Long | DataType::Dynamic) => Ok(DataType::Long),
        _ => Err("the argument must be an integer".into()),
    }
}

fn same(t: &[DataType]) -> Result<DataType, String> {
    t.first().copied().ok_or_else(|| "missing argument".into())
}

/// `countif(p)`-style: the argument at `i` must be a predicate.
const fn pred_long(i: usize) -> fn(&[DataType]) -> Result<DataType, String> {
    match i {
        0 => |t| pred_at(t, 0).map(|()| DataType::Long),
        _ => |t| pred_at(t, 1).map(|()| DataType::Long),
    }
}

fn pred_at(t: &[DataType], i: usize) -> Result<(), String> {
    match t.get(i) {
        Some(DataType::Bool | DataType::Dynamic) | None => Ok(()),
        Some(other) => Err(format!("argument {} must be a bool predicate, not {other}", i + 1)),
    }
}

/// `sum`: `int`/`long` → `long`, `real` → `real`, `timespan` → `timespan`,
/// `dynamic` → `dynamic`, `decimal` → `decimal` (as the Kusto analyzer types them).
fn sum_type(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Int | DataType::Long) => Ok(DataType::Long),
        Some(x @ (DataType::Real | DataType::Timespan | DataType::Dynamic | DataType::Decimal)) => Ok(*x),
        _ => Err("the argument value must be summable: a number or timespan".into()),
    }
}

/// `avg`: numbers → `real`, `timespan` → `timespan`, `decimal` → `decimal`.
fn avg_type(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Decimal) => Ok(DataType::Decimal),
        Some(x) if x.is_numeric() => Ok(DataType::Real),
        Some(DataType::Timespan) => Ok(DataType::Timespan),
        _ => Err("the argument value must be a number or timespan".into()),
    }
}

/// `percentile`: as [`same_orderable`], but a `decimal` gives a `real`
/// (as the Kusto analyzer types it).
fn percentile_type(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Decimal) => Ok(DataType::Real),
        _ => same_orderable(t),
    }
}

/// `min`/`max`/`percentile`: the argument's own type, if orderable.
fn same_orderable(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Guid) | None => Err("the argument value must be orderable".into()),
        Some(x) => Ok(*x),
    }
}
