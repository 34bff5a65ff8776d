//! Helpers shared by the function modules: building [`ScalarFn`] entries,
//! checking argument types, and reading argument values.

use std::borrow::Cow;

use super::convert::{as_text, to_long, to_real};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// A return-type function.
pub type RetFn = fn(&[DataType]) -> Result<DataType, String>;
/// An eval function.
pub type EvalFn = fn(&[Value], &FnCtx) -> Result<Value, String>;

/// A registry entry.
pub const fn sf(
    name: &'static str,
    aliases: &'static [&'static str],
    min_args: usize,
    max_args: usize,
    return_type: RetFn,
    eval: EvalFn,
) -> ScalarFn {
    ScalarFn { name, aliases, min_args, max_args, return_type, eval }
}

/// What an argument may be.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `string` (or `guid`, or `dynamic` holding one)
    Text,
    /// `int`, `long`, `real` (or `dynamic`)
    Num,
    /// `int`, `long` (or `dynamic`)
    Integer,
    /// `datetime` (or `dynamic`)
    Time,
    /// `timespan` (or `dynamic`)
    Span,
    /// `bool` (or `dynamic`)
    Bool,
    /// `dynamic`
    Dyn,
    /// anything scalar
    Any,
}

impl Kind {
    fn accepts(self, t: DataType) -> bool {
        t == DataType::Dynamic
            || match self {
                Kind::Text => t.is_text(),
                Kind::Num => t.is_numeric(),
                Kind::Integer => matches!(t, DataType::Int | DataType::Long),
                Kind::Time => t == DataType::DateTime,
                Kind::Span => t == DataType::Timespan,
                Kind::Bool => t == DataType::Bool,
                Kind::Dyn => false,
                Kind::Any => true,
            }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Num => "number",
            Kind::Integer => "int or long",
            Kind::Time => "datetime",
            Kind::Span => "timespan",
            Kind::Bool => "bool",
            Kind::Dyn => "dynamic",
            Kind::Any => "scalar",
        }
    }
}

/// Checks argument types against `kinds` (the last kind repeats for extra
/// arguments) and returns `ret`.
pub fn check(args: &[DataType], kinds: &[Kind], ret: DataType) -> Result<DataType, String> {
    for (i, t) in args.iter().enumerate() {
        let Some(k) = kinds.get(i).or(kinds.last()) else { break };
        if !k.accepts(*t) {
            return Err(format!("argument {} must be {}, not {t}", i + 1, k.name()));
        }
    }
    Ok(ret)
}

/// Argument `i` (null when absent).
pub fn arg(args: &[Value], i: usize) -> &Value {
    const NULL: Value = Value::Null;
    args.get(i).unwrap_or(&NULL)
}

/// Argument `i` as text (`tostring` rules: null → `""`).
pub fn text(args: &[Value], i: usize) -> Cow<'_, str> {
    as_text(arg(args, i))
}

/// Argument `i` as a long (`tolong` rules).
pub fn long(args: &[Value], i: usize) -> Option<i64> {
    to_long(arg(args, i))
}

/// Argument `i` as a real (`todouble` rules).
pub fn real(args: &[Value], i: usize) -> Option<f64> {
    to_real(arg(args, i))
}

/// A string result.
pub fn s(text: impl AsRef<str>) -> Result<Value, String> {
    Ok(Value::str(text.as_ref()))
}

/// A dynamic result.
pub fn dynamic(j: serde_json::Value) -> Value {
    Value::Dynamic(std::sync::Arc::new(j))
}

/// Char-index range `[start, start+len)` intersected with `[0, n)`, as
/// `substring` takes it (`substring("ABCD", -1, 2)` = `"A"`).
pub fn clamp_range(n: i64, start: i64, len: Option<i64>) -> (usize, usize) {
    let end = len.map_or(n, |l| start.saturating_add(l.max(0)));
    let (s, e) = (start.clamp(0, n), end.clamp(0, n));
    (s as usize, e.max(s) as usize)
}
