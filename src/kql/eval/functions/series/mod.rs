//! The `series_*` functions over numeric arrays (make-series output), split
//! by concept: element-wise arithmetic, comparisons and math
//! ([`elementwise`]), whole-series reductions and fits ([`reduce`]),
//! missing-value filling ([`fill`]) and FIR/IIR filters ([`filter`]).
//!
//! A series element is numeric when it is a JSON number; anything else
//! (null, text, bool) is missing, and gives null where the doc page says
//! "any non-numeric element yields null". Non-finite results (`1/0`) are
//! stored as null: dynamic values here are JSON, which has no NaN or
//! infinity.

mod elementwise;
mod fill;
mod filter;
mod reduce;
mod seasonal;
mod similarity;

use serde_json::Value as Json;

use super::ScalarFn;
use crate::data::Value;

/// Registry entries of the series functions.
pub(super) fn fns() -> Vec<ScalarFn> {
    [elementwise::FNS, reduce::FNS, fill::FNS, filter::FNS, similarity::FNS, seasonal::FNS].concat()
}

/// The elements of a dynamic array argument; `None` when it is not an array.
fn array(v: &Value) -> Option<&Vec<Json>> {
    match v {
        Value::Dynamic(j) => j.as_array(),
        _ => None,
    }
}

/// The numeric elements of an array (`None` for a missing element).
fn numbers(v: &Value) -> Option<Vec<Option<f64>>> {
    array(v).map(|a| a.iter().map(Json::as_f64).collect())
}

/// A real as a JSON number; non-finite values become null.
fn real_json(x: f64) -> Json {
    serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number)
}

/// A dynamic array of reals (missing → null).
fn reals_value(xs: impl IntoIterator<Item = Option<f64>>) -> Value {
    super::args::dynamic(Json::Array(xs.into_iter().map(|x| x.map_or(Json::Null, real_json)).collect()))
}
