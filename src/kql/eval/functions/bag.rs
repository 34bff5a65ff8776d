//! Property-bag functions: `bag_merge`, `bag_remove_keys`, `bag_zip`
//! (bag-merge-function.md, bag-remove-keys-function.md, bag-zip-function.md).

use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, sf};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("bag_merge", &[], 2, 64, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_merge),
    sf("bag_remove_keys", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_remove_keys),
    sf("bag_zip", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_zip),
];

fn bag(v: &Value) -> Option<&Map<String, Json>> {
    match v {
        Value::Dynamic(j) => j.as_object(),
        _ => None,
    }
}

/// `bag_merge(bag1, bag2, ...)`: every key of every bag; a key in several
/// bags keeps the first bag's value. Arguments that are not bags are skipped.
fn bag_merge(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let mut out = Map::new();
    for m in a.iter().filter_map(bag) {
        for (k, v) in m {
            if !out.contains_key(k) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(dynamic(Json::Object(out)))
}

/// `bag_remove_keys(bag, keys)`: the bag without the keys; a key may be a
/// JSONPath (`$.a.b`) that removes a nested property.
fn bag_remove_keys(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Value::Dynamic(keys)) = (bag(arg(a, 0)), arg(a, 1)) else { return Ok(Value::Null) };
    let Some(keys) = keys.as_array() else { return Ok(Value::Null) };
    let mut out = Json::Object(m.clone());
    for k in keys.iter().filter_map(Json::as_str) {
        let path: Vec<&str> = match k.strip_prefix("$.") {
            Some(p) => p.split('.').collect(),
            None => vec![k],
        };
        remove_path(&mut out, &path);
    }
    Ok(dynamic(out))
}

fn remove_path(j: &mut Json, path: &[&str]) {
    let Some(m) = j.as_object_mut() else { return };
    match path {
        [] => {}
        [last] => {
            m.shift_remove(*last);
        }
        [first, rest @ ..] => {
            if let Some(inner) = m.get_mut(*first) {
                remove_path(inner, rest);
            }
        }
    }
}

/// `bag_zip(keys, values)`: a bag pairing each string key with the value at
/// its index (null past the end of the values); non-string keys are skipped.
fn bag_zip(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let arr = |v: &Value| match v {
        Value::Dynamic(j) => j.as_array().cloned(),
        _ => None,
    };
    let (Some(keys), Some(values)) = (arr(arg(a, 0)), arr(arg(a, 1))) else { return Ok(Value::Null) };
    let mut out = Map::new();
    for (i, k) in keys.iter().enumerate() {
        if let Json::String(k) = k {
            out.insert(k.clone(), values.get(i).cloned().unwrap_or(Json::Null));
        }
    }
    Ok(dynamic(Json::Object(out)))
}
