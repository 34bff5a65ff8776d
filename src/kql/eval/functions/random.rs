//! Functions that draw a new value on every call: `rand` and `new_guid`.
//! The evaluator calls them once per row even with constant arguments
//! (see `calls.rs`), so every row gets its own value.

use super::ScalarFn;
use super::args::{Kind, check, long, sf};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("new_guid", &[], 0, 0, |_| Ok(DataType::Guid), |_, _| Ok(new_guid())),
    sf("rand", &[], 0, 1, rand_type, |a, _| Ok(rand(a))),
];

/// True for a function whose every call draws a new value.
pub fn is_volatile(name: &str) -> bool {
    matches!(name, "new_guid" | "rand")
}

fn rand_type(t: &[DataType]) -> Result<DataType, String> {
    if t.is_empty() { Ok(DataType::Real) } else { check(t, &[Kind::Integer], DataType::Long) }
}

/// `rand()`: a real in [0, 1); `rand(n)`: a long in [0, n-1] (rand-function.md).
pub(super) fn rand(a: &[Value]) -> Value {
    if a.is_empty() {
        return Value::Real(fastrand::f64());
    }
    match long(a, 0) {
        Some(n) if n > 0 => Value::Long(fastrand::i64(0..n)),
        _ => Value::Null,
    }
}

/// `new_guid()`: a random (version 4) GUID (new-guid-function.md).
fn new_guid() -> Value {
    let mut b: [u8; 16] = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Value::str(&format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}
