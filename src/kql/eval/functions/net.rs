//! IPv4 functions: `ipv4_is_private`, `ipv4_is_in_range`, `ipv4_is_match`,
//! `ipv4_is_in_any_range`, `ipv4_compare`, `parse_ipv4` (`ipv4-is-private-function.md`,
//! `ipv4-is-in-range-function.md`, `ipv4-is-match-function.md`).
//! Text that is not an IPv4 address (or prefix) gives null.

use std::net::Ipv4Addr;

use super::args::{Kind, check, long, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("ipv4_is_private", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Bool), |a, _| Ok(is_private(&text(a, 0)))),
    sf(
        "ipv4_is_in_range",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Text], DataType::Bool),
        |a, _| Ok(in_range(&text(a, 0), &text(a, 1))),
    ),
    sf(
        "ipv4_is_match",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Bool),
        |a, c| {
            Ok(match ipv4_compare(a, c)? {
                Value::Long(n) => Value::Bool(n == 0),
                _ => Value::Null,
            })
        },
    ),
    sf("ipv4_is_in_any_range", &[], 2, 64, |t| check(t, &[Kind::Text, Kind::Any], DataType::Bool), in_any_range),
    sf("ipv4_compare", &[], 2, 3, |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Long), ipv4_compare),
    sf(
        "parse_ipv4",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Long),
        |a, _| Ok(parse(&text(a, 0)).map_or(Value::Null, |(ip, bits)| Value::Long(i64::from(mask(ip, bits))))),
    ),
];

/// `a.b.c.d[/bits]` as (address, prefix bits).
pub(crate) fn parse(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, b.trim().parse::<u32>().ok().filter(|b| *b <= 32)?),
        None => (s, 32),
    };
    Some((u32::from(addr.trim().parse::<Ipv4Addr>().ok()?), bits))
}

/// `ip` with all but its first `bits` bits cleared.
pub(crate) fn mask(ip: u32, bits: u32) -> u32 {
    if bits == 0 { 0 } else { ip & (u32::MAX << (32 - bits)) }
}

/// RFC 1918 ranges: 10/8, 172.16/12, 192.168/16.
fn is_private(s: &str) -> Value {
    let Some((ip, bits)) = parse(s) else { return Value::Null };
    let ranges = [(0x0A00_0000u32, 8u32), (0xAC10_0000, 12), (0xC0A8_0000, 16)];
    Value::Bool(ranges.iter().any(|&(net, n)| bits >= n && mask(ip, n) == net))
}

fn in_range(ip: &str, range: &str) -> Value {
    match (parse(ip), parse(range)) {
        (Some((ip, _)), Some((net, bits))) => Value::Bool(mask(ip, bits) == mask(net, bits)),
        _ => Value::Null,
    }
}

/// `ipv4_is_in_any_range(ip, range, ...)` or `(ip, dynamic([ranges]))`
/// (ipv4-is-in-any-range-function.md): null when the address is invalid.
fn in_any_range(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some((ip, _)) = parse(&text(a, 0)) else { return Ok(Value::Null) };
    let mut ranges: Vec<String> = Vec::new();
    for v in &a[1.min(a.len())..] {
        match v {
            Value::Dynamic(j) => match &**j {
                serde_json::Value::Array(items) => {
                    ranges.extend(items.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
                serde_json::Value::String(s) => ranges.push(s.clone()),
                _ => {}
            },
            other => ranges.push(super::convert::to_string(other)),
        }
    }
    Ok(Value::Bool(ranges.iter().any(|r| parse(r).is_some_and(|(net, bits)| mask(ip, bits) == mask(net, bits)))))
}

/// `ipv4_compare(a, b[, prefix])`: -1/0/1 comparing both addresses masked to
/// the smallest prefix given (in either text or the third argument).
fn ipv4_compare(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some((x, bx)), Some((y, by))) = (parse(&text(a, 0)), parse(&text(a, 1))) else { return Ok(Value::Null) };
    let extra = if a.len() > 2 {
        match long(a, 2).filter(|b| (0..=32).contains(b)) {
            Some(b) => b as u32,
            None => return Ok(Value::Null),
        }
    } else {
        32
    };
    let bits = bx.min(by).min(extra);
    Ok(Value::Long(match mask(x, bits).cmp(&mask(y, bits)) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}
