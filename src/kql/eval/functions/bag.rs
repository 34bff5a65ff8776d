//! Property-bag functions: `bag_merge`, `bag_remove_keys`, `bag_set_key`,
//! `bag_zip`, `dynamic_to_json` (bag-merge-function.md,
//! bag-remove-keys-function.md, bag-set-key-function.md, bag-zip-function.md,
//! dynamic-to-json-function.md).

use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, sf, text};
use super::convert::as_text;
use super::{FnCtx, ScalarFn};
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("bag_merge", &[], 2, 64, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_merge),
    sf("bag_remove_keys", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_remove_keys),
    sf("bag_set_key", &[], 3, 3, |t| check(t, &[Kind::Dyn, Kind::Text, Kind::Any], DataType::Dynamic), bag_set_key),
    sf("bag_zip", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Dynamic), bag_zip),
    sf(
        "dynamic_to_json",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Any], DataType::String),
        |a, _| {
            Ok(match arg(a, 0) {
                Value::Dynamic(j) if j.is_object() || j.is_array() => Value::str(&canonical(j).to_string()),
                v => Value::str(&as_text(v)),
            })
        },
    ),
];

/// `j` with every bag's keys in ordinal order, so equal bags print alike.
fn canonical(j: &Json) -> Json {
    match j {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Json::Object(keys.into_iter().map(|k| (k.clone(), canonical(&m[k]))).collect())
        }
        Json::Array(xs) => Json::Array(xs.iter().map(canonical).collect()),
        _ => j.clone(),
    }
}

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

/// `bag_set_key(bag, key, value)`: the bag with `key` set to `value`; a
/// JSONPath key (`$.a.b`) sets a nested property, creating the bags on the
/// way and replacing a non-bag in the way. Null when `bag` is not a bag or
/// the key is empty, `$`, or indexes an array (not supported, per the page).
fn bag_set_key(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(m) = bag(arg(a, 0)) else { return Ok(Value::Null) };
    let key = text(a, 1);
    let path: Vec<&str> = match key.strip_prefix("$.") {
        Some(p) => p.split('.').collect(),
        None => vec![&*key],
    };
    if path.iter().any(|p| p.is_empty() || p.contains('[')) || key == "$" {
        return Ok(Value::Null);
    }
    let mut out = Json::Object(m.clone());
    set_path(&mut out, &path, value_to_json(arg(a, 2)));
    Ok(dynamic(out))
}

/// Sets `path` under `j`, turning whatever is in the way into bags.
fn set_path(j: &mut Json, path: &[&str], value: Json) {
    if !j.is_object() {
        *j = Json::Object(Map::new());
    }
    let Some(m) = j.as_object_mut() else { return };
    match path {
        [] => {}
        [last] => {
            m.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => set_path(m.entry((*first).to_owned()).or_insert(Json::Null), rest, value),
    }
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
/// its index (null past the end of the values, or for every key when the
/// values are not an array); non-string keys are skipped.
fn bag_zip(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let arr = |v: &Value| match v {
        Value::Dynamic(j) => j.as_array().cloned(),
        _ => None,
    };
    let Some(keys) = arr(arg(a, 0)) else { return Ok(Value::Null) };
    // Values that are not an array pair every key with null (bag-zip.md: `bag_zip(['a', 8, 'b'], 1)`).
    let values = arr(arg(a, 1)).unwrap_or_default();
    let mut out = Map::new();
    for (i, k) in keys.iter().enumerate() {
        if let Json::String(k) = k {
            out.insert(k.clone(), values.get(i).cloned().unwrap_or(Json::Null));
        }
    }
    Ok(dynamic(Json::Object(out)))
}
