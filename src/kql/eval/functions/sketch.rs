//! The intermediate values of `hll()` and `tdigest()`, kept exact: an `hll`
//! holds the set of distinct values and a `tdigest` every distinct value
//! with its weight, so `dcount_hll` and `percentile_tdigest` give exactly
//! what `dcount` and `percentile` give (Kusto's are estimates, and their
//! bytes differ from these). Both are dynamic bags:
//! `{"kind":"hll","values":[...]}` and
//! `{"kind":"tdigest","type":"long","values":[...],"weights":[...]}`
//! (values ascending). This module also holds the scalar functions that read
//! them: `dcount_hll`, `hll_merge(h1, h2, ...)`, `merge_tdigest(t1, ...)`,
//! `percentile_tdigest`, `percentiles_array_tdigest`, `percentrank_tdigest`
//! and `rank_tdigest`.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, sf};
use super::convert::{coerce, to_real};
use super::{FnCtx, ScalarFn};
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};
use crate::kql::eval::ops::compare;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "dcount_hll",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Dyn], DataType::Long),
        |a, _| Ok(hll_values(arg(a, 0)).map_or(Value::Null, |v| Value::Long(v.len() as i64))),
    ),
    sf(
        "hll_merge",
        &[],
        2,
        64,
        |t| check(t, &[Kind::Dyn], DataType::Dynamic),
        |a, _| Ok(merge_hlls(a.iter().filter_map(hll_values))),
    ),
    sf(
        "merge_tdigest",
        &[],
        1,
        64,
        |t| check(t, &[Kind::Dyn], DataType::Dynamic),
        |a, _| Ok(Digest::merge(a.iter().filter_map(Digest::read)).map_or(Value::Null, Digest::into_value)),
    ),
    sf(
        "percentile_tdigest",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Dyn, Kind::Num], DataType::Dynamic),
        |a, _| Ok(percentile(arg(a, 0), to_real(arg(a, 1)))),
    ),
    sf("percentiles_array_tdigest", &[], 2, 64, |t| check(t, &[Kind::Dyn, Kind::Any], DataType::Dynamic), percentiles),
    sf(
        "percentrank_tdigest",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Dyn, Kind::Any], DataType::Real),
        |a, _| Ok(rank(a, true)),
    ),
    sf("rank_tdigest", &[], 2, 2, |t| check(t, &[Kind::Dyn, Kind::Any], DataType::Real), |a, _| Ok(rank(a, false))),
];

/// An `hll` value holding `values` (distinct, in first-seen order).
pub(crate) fn hll_value(values: Vec<Json>) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Json::from("hll"));
    m.insert("values".into(), Json::Array(values));
    dynamic(Json::Object(m))
}

/// The distinct values of an `hll` value; `None` when it is not one.
pub(crate) fn hll_values(v: &Value) -> Option<Vec<Json>> {
    let Value::Dynamic(j) = v else { return None };
    let o = j.as_object().filter(|o| o.get("kind").and_then(Json::as_str) == Some("hll"))?;
    o.get("values")?.as_array().cloned()
}

/// The union of several `hll` values' sets.
pub(crate) fn merge_hlls(sets: impl Iterator<Item = Vec<Json>>) -> Value {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut out = Vec::new();
    for x in sets.flatten() {
        if seen.insert(x.to_string()) {
            out.push(x);
        }
    }
    hll_value(out)
}

/// A `tdigest` value: distinct values ascending, each with its total weight.
pub(crate) struct Digest {
    /// The values' type.
    pub dtype: DataType,
    /// `(value, weight)`, ascending by value, values distinct.
    pub items: Vec<(Value, i64)>,
}

impl Digest {
    /// Sorts `items` and adds up the weights of equal values.
    pub(crate) fn build(dtype: DataType, mut items: Vec<(Value, i64)>) -> Digest {
        items.sort_by(|x, y| compare(&x.0, &y.0));
        let mut out: Vec<(Value, i64)> = Vec::with_capacity(items.len());
        for (v, w) in items {
            match out.last_mut() {
                Some(last) if compare(&last.0, &v).is_eq() => last.1 = last.1.saturating_add(w),
                _ => out.push((v, w)),
            }
        }
        Digest { dtype, items: out }
    }

    /// Reads a `tdigest` value; `None` when it is not one.
    pub(crate) fn read(v: &Value) -> Option<Digest> {
        let Value::Dynamic(j) = v else { return None };
        let o = j.as_object().filter(|o| o.get("kind").and_then(Json::as_str) == Some("tdigest"))?;
        let dtype = DataType::from_name(o.get("type")?.as_str()?)?;
        let values = o.get("values")?.as_array()?;
        let weights = o.get("weights")?.as_array()?;
        let items = values
            .iter()
            .zip(weights)
            .map(|(x, w)| (coerce(&Value::Dynamic(Arc::new(x.clone())), dtype), w.as_i64().unwrap_or(0)))
            .collect();
        Some(Digest { dtype, items })
    }

    /// The dynamic value.
    pub(crate) fn into_value(self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), Json::from("tdigest"));
        m.insert("type".into(), Json::from(self.dtype.name()));
        m.insert("values".into(), Json::Array(self.items.iter().map(|(v, _)| value_to_json(v)).collect()));
        m.insert("weights".into(), Json::Array(self.items.iter().map(|(_, w)| Json::from(*w)).collect()));
        dynamic(Json::Object(m))
    }

    /// Merges digests of one type; `None` when there are none or their types differ.
    pub(crate) fn merge(digests: impl Iterator<Item = Digest>) -> Option<Digest> {
        let mut dtype = None;
        let mut items = Vec::new();
        for d in digests {
            if dtype.is_some_and(|t| t != d.dtype) {
                return None;
            }
            dtype = Some(d.dtype);
            items.extend(d.items);
        }
        Some(Digest::build(dtype?, items))
    }

    /// The nearest-rank percentile `p` (0..100) by weight, as `percentile()`
    /// computes it: the first value whose running weight reaches ⌈p·W/100⌉.
    fn percentile(&self, p: f64) -> Option<&Value> {
        let total: i64 = self.items.iter().map(|(_, w)| w).sum();
        if total <= 0 {
            return None;
        }
        let rank = ((p.clamp(0.0, 100.0) / 100.0 * total as f64).ceil() as i64).max(1);
        let mut run = 0;
        self.items
            .iter()
            .find(|(_, w)| {
                run += w;
                run >= rank
            })
            .map(|(v, _)| v)
    }
}

/// `percentile_tdigest(t, p)`: the value as a dynamic (typed by the caller
/// when a `typeof(T)` argument is given).
fn percentile(t: &Value, p: Option<f64>) -> Value {
    let (Some(d), Some(p)) = (Digest::read(t), p) else { return Value::Null };
    d.percentile(p).map_or(Value::Null, |v| dynamic(value_to_json(v)))
}

/// `percentiles_array_tdigest(t, p1, p2, ...)` or `(t, dynamic([p1, ...]))`.
fn percentiles(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(d) = Digest::read(arg(a, 0)) else { return Ok(Value::Null) };
    let ps: Vec<Option<f64>> = match arg(a, 1) {
        Value::Dynamic(j) if j.is_array() => j.as_array().into_iter().flatten().map(Json::as_f64).collect(),
        _ => a[1..].iter().map(to_real).collect(),
    };
    Ok(dynamic(Json::Array(
        ps.into_iter().map(|p| p.and_then(|p| d.percentile(p)).map_or(Json::Null, value_to_json)).collect(),
    )))
}

/// `rank_tdigest(t, v)`: the weight of the values ≤ v; `percentrank_tdigest`:
/// that as a percentage of the whole weight.
fn rank(a: &[Value], percent: bool) -> Value {
    let Some(d) = Digest::read(arg(a, 0)) else { return Value::Null };
    let v = coerce(arg(a, 1), d.dtype);
    if v.is_null() {
        return Value::Null;
    }
    let below: i64 = d.items.iter().filter(|(x, _)| compare(x, &v).is_le()).map(|(_, w)| w).sum();
    let total: i64 = d.items.iter().map(|(_, w)| w).sum();
    match percent {
        false => Value::Real(below as f64),
        true if total > 0 => Value::Real(below as f64 * 100.0 / total as f64),
        true => Value::Null,
    }
}
