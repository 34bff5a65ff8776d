//! Dynamic (JSON) functions: `parse_json`/`todynamic`, `extract_json`,
//! `array_length`, `set_has_element`, `array_index_of`, `array_concat`,
//! `array_slice`, `bag_keys`, `bag_has_key`, `pack`/`bag_pack`, `pack_array`,
//! `set_union`, `set_intersect`, `set_difference`, `treepath`.

use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, long, sf, text};
use super::convert::{coerce, to_string};
use super::{FnCtx, ScalarFn};
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};
use crate::kql::eval::ops::json_eq;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "parse_json",
        &["todynamic", "parsejson", "toobject"],
        1,
        1,
        |_| Ok(DataType::Dynamic),
        |a, _| Ok(parse_json(arg(a, 0))),
    ),
    sf("extract_json", &["extractjson"], 2, 2, |t| check(t, &[Kind::Text, Kind::Any], DataType::String), extract_json),
    sf("array_length", &["arraylength"], 1, 1, dyn_arg(DataType::Long), |a, _| {
        Ok(array(arg(a, 0)).map_or(Value::Null, |x| Value::Long(x.len() as i64)))
    }),
    sf("set_has_element", &[], 2, 2, dyn_arg(DataType::Bool), set_has_element),
    sf("set_union", &[], 2, 64, dyn_arg(DataType::Dynamic), |a, _| Ok(set_op(a, SetOp::Union))),
    sf("set_intersect", &[], 2, 64, dyn_arg(DataType::Dynamic), |a, _| Ok(set_op(a, SetOp::Intersect))),
    sf("set_difference", &[], 2, 64, dyn_arg(DataType::Dynamic), |a, _| Ok(set_op(a, SetOp::Difference))),
    sf("array_index_of", &[], 2, 5, dyn_arg(DataType::Long), array_index_of),
    sf("array_concat", &[], 1, 64, dyn_arg(DataType::Dynamic), array_concat),
    sf("array_slice", &[], 3, 3, |t| check(t, &[Kind::Dyn, Kind::Integer], DataType::Dynamic), array_slice),
    sf("treepath", &[], 1, 1, dyn_arg(DataType::Dynamic), |a, _| Ok(treepath(arg(a, 0)))),
    sf("bag_keys", &[], 1, 1, dyn_arg(DataType::Dynamic), |a, _| Ok(bag_keys(arg(a, 0)))),
    sf("bag_has_key", &[], 2, 2, |t| check(t, &[Kind::Dyn, Kind::Text], DataType::Bool), bag_has_key),
    sf("pack", &["bag_pack", "pack_dictionary"], 0, 128, |_| Ok(DataType::Dynamic), pack),
    sf(
        "pack_array",
        &[],
        1,
        128,
        |_| Ok(DataType::Dynamic),
        |a, _| Ok(dynamic(Json::Array(a.iter().map(value_to_json).collect()))),
    ),
];

const fn dyn_arg(ret: DataType) -> fn(&[DataType]) -> Result<DataType, String> {
    match ret {
        DataType::Long => |t| check(t.get(..1).unwrap_or_default(), &[Kind::Dyn], DataType::Long),
        DataType::Bool => |t| check(t.get(..1).unwrap_or_default(), &[Kind::Dyn], DataType::Bool),
        _ => |t| check(t, &[Kind::Dyn], DataType::Dynamic),
    }
}

fn json(v: &Value) -> Option<&Json> {
    match v {
        Value::Dynamic(j) => Some(j),
        _ => None,
    }
}

fn array(v: &Value) -> Option<&Vec<Json>> {
    json(v).and_then(Json::as_array)
}

/// `parse_json(s)`: dynamic values as they are; valid JSON text parsed;
/// other text kept as a dynamic string (`parse-json-function.md`). `""` gives
/// null (**[not in docs]**: `""` is MDE's missing value).
pub(super) fn parse_json(v: &Value) -> Value {
    match v {
        Value::Dynamic(_) | Value::Null => v.clone(),
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => dynamic(serde_json::from_str(s).unwrap_or_else(|_| Json::String(s.to_string()))),
        other => coerce(other, DataType::Dynamic),
    }
}

/// One step of a JSONPath.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Parses the JSONPath subset Kusto documents: `$`, `.name`, `['name']`,
/// `["name"]`, `[index]`.
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("unsupported JSONPath {path:?} (use $.a.b, $['a'] or $.a[0])");
    let rest = path.trim().strip_prefix('$').ok_or_else(bad)?;
    let (mut steps, mut chars) = (Vec::new(), rest.char_indices().peekable());
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    name.push(c);
                    chars.next();
                }
                if name.is_empty() {
                    return Err(bad());
                }
                steps.push(Step::Key(name));
            }
            '[' => {
                let close = rest.get(i..).and_then(|r| r.find(']')).ok_or_else(bad)? + i;
                let inner = rest.get(i + 1..close).ok_or_else(bad)?.trim();
                let quoted = inner.len() >= 2
                    && (inner.starts_with('\'') || inner.starts_with('"'))
                    && inner.ends_with(&inner[..1]);
                if quoted {
                    steps.push(Step::Key(inner.get(1..inner.len() - 1).ok_or_else(bad)?.to_string()));
                } else {
                    steps.push(Step::Index(inner.parse().map_err(|_| bad())?));
                }
                while chars.peek().is_some_and(|&(j, _)| j <= close) {
                    chars.next();
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(steps)
}

/// `extract_json(path, json)`: the value at the JSONPath as text (`""` when absent).
fn extract_json(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let steps = parse_path(&text(a, 0))?;
    let doc = parse_json(arg(a, 1));
    let mut cur = json(&doc);
    for step in &steps {
        cur = match step {
            Step::Key(k) => cur.and_then(|j| j.get(k.as_str())),
            Step::Index(i) => cur.and_then(|j| j.get(*i)),
        };
    }
    Ok(Value::str(&cur.map_or_else(String::new, |j| to_string(&dynamic(j.clone())))))
}

fn set_has_element(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(items) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let needle = value_to_json(arg(a, 1));
    Ok(Value::Bool(items.iter().any(|x| json_eq(x, &needle))))
}

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Intersect,
    Difference,
}

/// `set_union`/`set_intersect`/`set_difference` (set-union-function.md, ...):
/// the distinct values of all arrays / in every array / of the first array
/// in none of the others; null when an argument is not an array.
fn set_op(a: &[Value], op: SetOp) -> Value {
    let Some(arrays) = a.iter().map(array).collect::<Option<Vec<_>>>() else { return Value::Null };
    let Some((first, rest)) = arrays.split_first() else { return Value::Null };
    let mut out: Vec<Json> = Vec::new();
    let candidates: Box<dyn Iterator<Item = &Json>> = match op {
        SetOp::Union => Box::new(arrays.iter().flat_map(|x| x.iter())),
        SetOp::Intersect | SetOp::Difference => Box::new(first.iter()),
    };
    for v in candidates {
        let in_rest = |want_all: bool| {
            let mut hits = rest.iter().map(|r| r.iter().any(|x| json_eq(x, v)));
            if want_all { hits.all(|h| h) } else { hits.any(|h| h) }
        };
        let keep = match op {
            SetOp::Union => true,
            SetOp::Intersect => in_rest(true),
            SetOp::Difference => !in_rest(false),
        };
        if keep && !out.iter().any(|x| json_eq(x, v)) {
            out.push(v.clone());
        }
    }
    dynamic(Json::Array(out))
}

/// `array_index_of(array, value[, start[, length[, occurrence]]])`: index or -1.
fn array_index_of(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(items) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let needle = value_to_json(arg(a, 1));
    let n = items.len() as i64;
    let opt = |i: usize, d: i64| if a.len() > i { long(a, i) } else { Some(d) };
    let (Some(start), Some(len), Some(occ)) = (opt(2, 0), opt(3, -1), opt(4, 1)) else { return Ok(Value::Null) };
    let start = if start < 0 { (n + start).max(0) } else { start };
    if start >= n || occ < 1 {
        return Ok(Value::Long(-1));
    }
    let end = if len < 0 { n } else { start.saturating_add(len).min(n) };
    let found =
        (start..end).filter(|&i| items.get(i as usize).is_some_and(|x| json_eq(x, &needle))).nth(occ as usize - 1);
    Ok(Value::Long(found.unwrap_or(-1)))
}

fn array_concat(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let mut out = Vec::new();
    for v in a {
        match array(v) {
            Some(items) => out.extend(items.iter().cloned()),
            None => return Ok(Value::Null),
        }
    }
    Ok(dynamic(Json::Array(out)))
}

/// `array_slice(array, start, end)`: elements `start..=end`, negative indexes count from the end.
fn array_slice(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(items) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let (Some(s), Some(e)) = (long(a, 1), long(a, 2)) else { return Ok(Value::Null) };
    let n = items.len() as i64;
    let fix = |i: i64| if i < 0 { n.saturating_add(i) } else { i };
    let (s, e) = (fix(s).max(0), fix(e).min(n - 1));
    let out =
        if s > e { Vec::new() } else { items.get(s as usize..=e as usize).map(<[Json]>::to_vec).unwrap_or_default() };
    Ok(dynamic(Json::Array(out)))
}

fn bag_keys(v: &Value) -> Value {
    match json(v).and_then(Json::as_object) {
        Some(m) => dynamic(Json::Array(m.keys().map(|k| Json::String(k.clone())).collect())),
        None => Value::Null,
    }
}

/// `bag_has_key(bag, key)`; a key starting with `$` is a JSONPath to a nested
/// key (`$.a.b`, `$['a']`), without array indexing (bag-has-key-function.md).
fn bag_has_key(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let key = text(a, 1);
    let Some(m) = json(arg(a, 0)).and_then(Json::as_object) else { return Ok(Value::Null) };
    if !key.starts_with('$') {
        return Ok(Value::Bool(m.contains_key(&*key)));
    }
    let mut cur = m;
    let steps = parse_path(&key)?;
    let Some((last, inner)) = steps.split_last() else { return Ok(Value::Bool(false)) };
    for step in inner {
        let next = match step {
            Step::Key(k) => cur.get(k.as_str()).and_then(Json::as_object),
            Step::Index(_) => return Err("array indexing is not supported in bag_has_key's path".into()),
        };
        match next {
            Some(n) => cur = n,
            None => return Ok(Value::Bool(false)),
        }
    }
    match last {
        Step::Key(k) => Ok(Value::Bool(cur.contains_key(k.as_str()))),
        Step::Index(_) => Err("array indexing is not supported in bag_has_key's path".into()),
    }
}

/// `pack(k1, v1, ...)` / `bag_pack`: a property bag (odd arity is an error).
fn pack(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    if !a.len().is_multiple_of(2) {
        return Err("pack() needs key/value pairs".into());
    }
    let mut m = Map::new();
    for kv in a.chunks(2) {
        m.insert(to_string(arg(kv, 0)), value_to_json(arg(kv, 1)));
    }
    Ok(dynamic(Json::Object(m)))
}

/// `treepath(object)` (treepath-function.md): the path of every property
/// (`['a']`) and, for an array, one `[0]` standing for all its elements,
/// whose object members continue the path (`['list'][0]['x']`), each path
/// once, in the order first met. Anything but a bag or array gives null.
fn treepath(v: &Value) -> Value {
    fn walk(prefix: &str, j: &Json, out: &mut Vec<String>) {
        match j {
            Json::Object(m) => {
                for (k, child) in m {
                    let path = format!("{prefix}['{}']", k.replace('\\', "\\\\").replace('\'', "\\'"));
                    push_once(out, &path);
                    walk(&path, child, out);
                }
            }
            Json::Array(items) => {
                let path = format!("{prefix}[0]");
                push_once(out, &path);
                for item in items {
                    walk(&path, item, out);
                }
            }
            _ => {}
        }
    }
    fn push_once(out: &mut Vec<String>, path: &str) {
        if !out.iter().any(|p| p == path) {
            out.push(path.to_string());
        }
    }
    let Value::Dynamic(j) = v else { return Value::Null };
    if !(j.is_object() || j.is_array()) {
        return Value::Null;
    }
    let mut out = Vec::new();
    walk("", j, &mut out);
    dynamic(Json::Array(out.into_iter().map(Json::String).collect()))
}
