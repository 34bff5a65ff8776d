//! Operator semantics, one test per rule of kql-semantics.md (cited).

use std::sync::Arc;

use super::*;
use crate::data::{TICKS_PER_DAY, TICKS_PER_SECOND};
use crate::kql::ast::{ListOp, StrCmp, StrOp};

fn b(op: BinOp, x: Value, y: Value) -> Value {
    binary(op, &x, &y, &RegexCache::default()).unwrap_or_else(|e| Value::str(&e))
}

fn st(x: &str) -> Value {
    Value::str(x)
}

fn dynj(text: &str) -> Value {
    Value::Dynamic(Arc::new(serde_json::from_str(text).unwrap_or(serde_json::Value::Null)))
}

fn is(v: Value) -> Option<bool> {
    truth(&v)
}

fn sop(op: StrOp, cs: bool, neg: bool) -> BinOp {
    BinOp::Str(StrCmp { op, case_sensitive: cs, negated: neg })
}

/// §5 case table: contains / startswith / endswith with `_cs` and `!` forms.
#[test]
fn substring_operators() {
    let cases = [
        ("FabriKam", StrOp::Contains, false, "BRik", true),
        ("Fabrikam", StrOp::Contains, false, "xyz", false),
        ("FabriKam", StrOp::Contains, true, "Kam", true),
        ("Fabrikam", StrOp::StartsWith, false, "fab", true),
        ("Fabrikam", StrOp::StartsWith, true, "fab", false),
        ("Fabrikam", StrOp::EndsWith, false, "Kam", true),
        ("Fabrikam", StrOp::EndsWith, false, "brik", false),
        ("Fabrikam", StrOp::Contains, false, "", true), // §5 [not in docs]: empty RHS
        ("ÉCOLE", StrOp::StartsWith, false, "éc", true), // §5: simple Unicode lowercase
    ];
    for (hay, op, cs, needle, want) in cases {
        assert_eq!(is(b(sop(op, cs, false), st(hay), st(needle))), Some(want), "{hay} {op:?} {needle}");
        assert_eq!(is(b(sop(op, cs, true), st(hay), st(needle))), Some(!want), "{hay} !{op:?} {needle}");
    }
}

/// §2: `!has` is the negation of `has`; an empty LHS has no terms.
#[test]
fn has_operators_and_negation() {
    assert_eq!(is(b(sop(StrOp::Has, false, false), st("North America"), st("america"))), Some(true));
    assert_eq!(is(b(sop(StrOp::Has, false, true), st("North America"), st("amer"))), Some(true));
    assert_eq!(is(b(sop(StrOp::Has, false, true), st(""), st("cmd"))), Some(true));
    assert_eq!(is(b(sop(StrOp::HasSuffix, true, false), st("North America"), st("icA"))), Some(false));
    // A missing dynamic property reads as "" for string operators.
    assert_eq!(is(b(sop(StrOp::Has, false, false), dynj("null"), st("x"))), Some(false));
    assert_eq!(is(b(sop(StrOp::Contains, false, false), dynj(r#""evil.ps1""#), st("PS1"))), Some(true));
}

/// `matches regex` (`matches-regex-operator.md`): RE2 syntax, case-sensitive; bad pattern → error.
#[test]
fn matches_regex() {
    let m = sop(StrOp::MatchesRegex, true, false);
    assert_eq!(is(b(m, st("cmd.exe /c whoami"), st(r"(?i)WHOAMI"))), Some(true));
    assert_eq!(is(b(m, st("cmd.exe"), st(r"^\w+\.dll$"))), Some(false));
    assert!(binary(m, &st("x"), &st("(unclosed"), &RegexCache::default()).is_err());
}

/// §6 case table: `==`, `!=`, `=~`, `!~`.
#[test]
fn equality_table() {
    assert_eq!(is(b(BinOp::Eq, st("aBc"), st("aBc"))), Some(true));
    assert_eq!(is(b(BinOp::Ne, st("abc"), st("ABC"))), Some(true));
    assert_eq!(is(b(BinOp::EqCi, st("abc"), st("ABC"))), Some(true));
    assert_eq!(is(b(BinOp::NeCi, st("aBc"), st("xyz"))), Some(true));
    assert_eq!(is(b(BinOp::EqCi, st("abc"), st("abcd"))), Some(false));
    assert_eq!(is(b(BinOp::EqCi, st("STRASSE"), st("strasse"))), Some(true));
    assert_eq!(is(b(BinOp::EqCi, st("Ärger"), st("äRGER"))), Some(true)); // simple Unicode lowercase
}

/// §6 case table for `in`, `in~`, `!in`, `!in~`; flattened arrays; numbers compare numerically.
#[test]
fn in_table() {
    let items = |xs: &[&str]| xs.iter().map(|x| st(x)).collect::<Vec<_>>();
    let op = |ci, neg| ListOp::In { case_insensitive: ci, negated: neg };
    assert_eq!(is(list(op(false, false), &st("abc"), &items(&["123", "345", "abc"]))), Some(true));
    assert_eq!(is(list(op(true, false), &st("Abc"), &items(&["123", "abc"]))), Some(true));
    assert_eq!(is(list(op(false, false), &st("Abc"), &items(&["abc"]))), Some(false));
    assert_eq!(is(list(op(true, true), &st("bCa"), &items(&["ABC"]))), Some(true));
    let nums = [Value::Long(1), Value::Real(2.0), dynj("3")];
    assert_eq!(is(list(op(false, false), &Value::Int(2), &nums)), Some(true));
    assert_eq!(is(list(op(false, false), &Value::Long(3), &nums)), Some(true));
    assert_eq!(is(list(op(false, true), &Value::Long(4), &nums)), Some(true));
    assert_eq!(is(list(op(false, false), &dynj(r#""abc""#), &items(&["abc"]))), Some(true));
    // §7: `in` is an `or` of `==` and `!in` an `and` of `!=`; null is unequal to every value.
    assert_eq!(is(list(op(false, false), &Value::Null, &nums)), Some(false));
    assert_eq!(is(list(op(false, true), &Value::Null, &nums)), Some(true));
}

/// §4 case table: has_any / has_all (elements follow the `has` rules).
#[test]
fn has_any_all_table() {
    let items = |xs: &[&str]| xs.iter().map(|x| st(x)).collect::<Vec<_>>();
    assert_eq!(is(list(ListOp::HasAny, &st("North America"), &items(&["south", "north"]))), Some(true));
    assert_eq!(is(list(ListOp::HasAll, &st("North and South America"), &items(&["south", "north"]))), Some(true));
    assert_eq!(is(list(ListOp::HasAll, &st("North America"), &items(&["south", "north"]))), Some(false));
    assert_eq!(is(list(ListOp::HasAny, &st("North America"), &items(&["nor", "sou"]))), Some(false));
    assert_eq!(is(list(ListOp::HasAny, &st("https://x.action1.com"), &items(&["action1.com", "zzz"]))), Some(true));
}

/// §7: comparisons with null are null, except `==`/`!=` of a null and a
/// non-null value (false/true); arithmetic with null is null; `and`/`or` are
/// three-valued.
#[test]
fn nulls() {
    for op in [BinOp::Lt, BinOp::Ge, BinOp::Add, BinOp::Mul] {
        assert!(b(op, Value::Null, Value::Long(3)).is_null(), "{op:?}");
        assert!(b(op, Value::Long(3), Value::Null).is_null(), "{op:?}");
    }
    for (op, want) in [(BinOp::Eq, false), (BinOp::Ne, true), (BinOp::EqCi, false), (BinOp::NeCi, true)] {
        assert_eq!(is(b(op, Value::Null, Value::Long(3))), Some(want), "{op:?}");
        assert_eq!(is(b(op, st("x"), dynj("null"))), Some(want), "{op:?}");
        assert!(b(op, Value::Null, Value::Null).is_null(), "{op:?}");
    }
    assert_eq!(is(b(BinOp::And, Value::Bool(false), Value::Null)), Some(false));
    assert!(b(BinOp::And, Value::Bool(true), Value::Null).is_null());
    assert_eq!(is(b(BinOp::Or, Value::Null, Value::Bool(true))), Some(true));
    assert!(b(BinOp::Or, Value::Bool(false), Value::Null).is_null());
    // `isnull("")` is false: strings are never null, "" == "" holds.
    assert_eq!(is(b(BinOp::Eq, st(""), st(""))), Some(true));
}

/// §8 case table: inclusive `between`, datetime low with timespan high.
#[test]
fn between_table() {
    let l = Value::Long;
    assert_eq!(is(between(&l(55), &l(50), &l(55))), Some(true));
    assert_eq!(is(between(&l(50), &l(50), &l(55))), Some(true));
    assert_eq!(is(between(&l(56), &l(50), &l(55))), Some(false));
    let d = |s: &str| Value::DateTime(crate::data::time::parse_datetime(s).unwrap_or(i64::MIN));
    assert_eq!(is(between(&d("2007-07-30"), &d("2007-07-27"), &d("2007-07-30"))), Some(true));
    let three_days = Value::Timespan(3 * TICKS_PER_DAY);
    assert_eq!(is(between(&d("2007-07-30 00:00:01"), &d("2007-07-27"), &three_days)), Some(false));
    assert_eq!(is(between(&d("2007-07-29"), &d("2007-07-27"), &three_days)), Some(true));
    assert!(between(&Value::Null, &l(1), &l(2)).is_null());
    assert_eq!(is(between(&Value::Real(50.5), &l(50), &l(55))), Some(true));
}

/// §9 + `numoperators.md`: numeric promotion, integer division, divide by zero → null, no overflow panic.
#[test]
fn arithmetic() {
    assert!(matches!(b(BinOp::Add, Value::Int(1), Value::Int(2)), Value::Long(3)));
    assert!(matches!(b(BinOp::Div, Value::Long(7), Value::Long(2)), Value::Long(3)));
    assert!(matches!(b(BinOp::Div, Value::Long(1), Value::Real(2.0)), Value::Real(f) if f == 0.5));
    assert!(b(BinOp::Div, Value::Long(1), Value::Long(0)).is_null());
    assert!(b(BinOp::Mod, Value::Long(1), Value::Long(0)).is_null());
    assert!(b(BinOp::Div, Value::Long(i64::MIN), Value::Long(-1)).is_null());
    assert!(matches!(b(BinOp::Add, Value::Long(i64::MAX), Value::Long(1)), Value::Long(i64::MIN)));
    // numerical-operators.md: the result is never negative, 0 <= N % D < abs(D).
    assert!(matches!(b(BinOp::Mod, Value::Long(-7), Value::Long(3)), Value::Long(2)));
    assert!(matches!(b(BinOp::Mod, Value::Long(7), Value::Long(-3)), Value::Long(1)));
    assert!(matches!(b(BinOp::Add, dynj("2"), Value::Long(1)), Value::Long(3)));
    // Arrays and bags have no arithmetic: null, not endless recursion.
    assert!(b(BinOp::Sub, dynj("[1,2]"), dynj("[1]")).is_null());
    assert!(b(BinOp::Add, dynj("{\"a\":1}"), st("x")).is_null());
    assert!(b(BinOp::Mul, Value::Long(2), dynj("[3]")).is_null());
}

/// §9: datetime ± timespan, datetime − datetime, timespan scaling and ratio.
#[test]
fn time_arithmetic() {
    let (day, hour) = (TICKS_PER_DAY, 3600 * TICKS_PER_SECOND);
    assert!(matches!(b(BinOp::Sub, Value::DateTime(day), Value::DateTime(0)), Value::Timespan(t) if t == day));
    assert!(matches!(b(BinOp::Add, Value::DateTime(0), Value::Timespan(hour)), Value::DateTime(t) if t == hour));
    assert!(
        matches!(b(BinOp::Sub, Value::DateTime(day), Value::Timespan(hour)), Value::DateTime(t) if t == day - hour)
    );
    assert!(matches!(b(BinOp::Div, Value::Timespan(day), Value::Timespan(hour)), Value::Real(f) if f == 24.0));
    assert!(matches!(b(BinOp::Mul, Value::Timespan(day), Value::Real(1.5)), Value::Timespan(t) if t == 36 * hour));
    assert!(matches!(b(BinOp::Mul, Value::Long(2), Value::Timespan(hour)), Value::Timespan(t) if t == 2 * hour));
    assert!(matches!(b(BinOp::Div, Value::Timespan(day), Value::Long(2)), Value::Timespan(t) if t == 12 * hour));
    assert!(b(BinOp::Add, Value::DateTime(i64::MAX), Value::Timespan(1)).is_null());
    assert!(b(BinOp::Div, Value::Timespan(day), Value::Long(0)).is_null());
}

/// Comparisons across numeric types, dynamic vs typed (the dynamic side is converted).
#[test]
fn comparisons() {
    assert_eq!(is(b(BinOp::Eq, Value::Int(1), Value::Real(1.0))), Some(true));
    assert_eq!(is(b(BinOp::Lt, Value::Long(i64::MAX), Value::Real(9.3e18))), Some(true));
    assert_eq!(is(b(BinOp::Eq, Value::Real(f64::NAN), Value::Real(f64::NAN))), Some(false));
    assert_eq!(is(b(BinOp::Ne, Value::Real(f64::NAN), Value::Real(f64::NAN))), Some(true));
    assert_eq!(is(b(BinOp::Eq, dynj(r#""y""#), st("y"))), Some(true));
    assert_eq!(is(b(BinOp::Gt, dynj("5"), Value::Long(3))), Some(true));
    assert_eq!(is(b(BinOp::Eq, dynj("5"), st("5"))), Some(true));
    assert_eq!(is(b(BinOp::Eq, dynj("null"), st("y"))), Some(false));
    let t = Value::DateTime(crate::data::time::parse_datetime("2024-01-01").unwrap_or(0));
    assert_eq!(is(b(BinOp::Eq, dynj(r#""2024-01-01T00:00:00Z""#), t)), Some(true));
    assert_eq!(is(b(BinOp::Lt, Value::Bool(false), Value::Bool(true))), Some(true));
}

/// Analyzer-verified operator types (kql-check `resultColumns`).
#[test]
fn operator_types() {
    use DataType::*;
    assert_eq!(binary_type(BinOp::Add, Int, Int), Ok(Long));
    assert_eq!(binary_type(BinOp::Div, Long, Real), Ok(Real));
    assert_eq!(binary_type(BinOp::Sub, DateTime, DateTime), Ok(Timespan));
    assert_eq!(binary_type(BinOp::Div, Timespan, Timespan), Ok(Real));
    assert_eq!(binary_type(BinOp::Add, Dynamic, Long), Ok(Long));
    assert_eq!(binary_type(BinOp::Sub, DateTime, Dynamic), Ok(Timespan));
    assert!(binary_type(BinOp::Add, Bool, Long).is_err());
    assert!(binary_type(BinOp::Lt, String, String).is_err());
    assert!(binary_type(BinOp::Gt, DateTime, Timespan).is_err());
    assert!(binary_type(sop(StrOp::Has, false, false), Long, String).is_err());
    assert_eq!(binary_type(sop(StrOp::Has, false, false), Dynamic, String), Ok(Bool));
    assert!(binary_type(BinOp::EqCi, Long, String).is_err());
    assert!(binary_type(BinOp::And, Long, Bool).is_err());
}

/// Total order and grouping keys: nulls group together, numbers across widths.
#[test]
fn order_and_keys() {
    use std::cmp::Ordering::*;
    use std::hash::{BuildHasher, BuildHasherDefault};
    assert_eq!(compare(&Value::Null, &Value::Null), Equal);
    assert_eq!(compare(&Value::Null, &Value::Long(0)), Less);
    assert_eq!(compare(&Value::Int(2), &Value::Real(1.5)), Greater);
    assert_eq!(compare(&Value::Real(f64::NAN), &Value::Real(1e300)), Greater);
    assert_eq!(compare(&st("B"), &st("a")), Less); // ordinal
    assert!(key_eq(&Value::Null, &Value::Null));
    assert!(key_eq(&Value::Long(1), &Value::Real(1.0)));
    assert!(!key_eq(&st("a"), &st("A")));
    assert!(!key_eq(&Value::DateTime(5), &Value::Timespan(5)));
    let h = |v: &Value| {
        let bh = BuildHasherDefault::<rustc_hash::FxHasher>::default();
        let mut s = bh.build_hasher();
        key_hash(v, &mut s);
        std::hash::Hasher::finish(&s)
    };
    assert_eq!(h(&Value::Long(1)), h(&Value::Real(1.0)));
    assert_eq!(h(&Value::Int(1)), h(&dynj("1")));
}
