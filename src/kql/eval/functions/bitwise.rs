//! Bitwise functions on longs: `binary_and`, `binary_or`, `binary_xor`,
//! `binary_not`, `binary_shift_left`, `binary_shift_right`,
//! `bitset_count_ones` (binary-and-function.md, ...). Null in, null out.

use super::ScalarFn;
use super::args::{Kind, check, long, sf};
use crate::data::{DataType, Value};

fn ints(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Integer], DataType::Long)
}

fn two(a: &[Value], f: fn(i64, i64) -> Option<i64>) -> Value {
    long(a, 0).zip(long(a, 1)).and_then(|(x, y)| f(x, y)).map_or(Value::Null, Value::Long)
}

/// A shift by `n` bits; null for a negative count, zero past 63 bits.
fn shift(x: i64, n: i64, left: bool) -> Option<i64> {
    let n = u32::try_from(n).ok()?;
    Some(match (left, n) {
        (_, 64..) => 0,
        (true, n) => x << n,
        (false, n) => x >> n,
    })
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("binary_and", &[], 2, 2, ints, |a, _| Ok(two(a, |x, y| Some(x & y)))),
    sf("binary_not", &[], 1, 1, ints, |a, _| Ok(long(a, 0).map_or(Value::Null, |x| Value::Long(!x)))),
    sf("binary_or", &[], 2, 2, ints, |a, _| Ok(two(a, |x, y| Some(x | y)))),
    sf("binary_shift_left", &[], 2, 2, ints, |a, _| Ok(two(a, |x, n| shift(x, n, true)))),
    sf("binary_shift_right", &[], 2, 2, ints, |a, _| Ok(two(a, |x, n| shift(x, n, false)))),
    sf("binary_xor", &[], 2, 2, ints, |a, _| Ok(two(a, |x, y| Some(x ^ y)))),
    sf("bitset_count_ones", &[], 1, 1, ints, |a, _| {
        Ok(long(a, 0).map_or(Value::Null, |x| Value::Long(i64::from(x.count_ones()))))
    }),
];
