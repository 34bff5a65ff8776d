//! IPv6 functions: `parse_ipv6`, `parse_ipv6_mask`, `ipv6_compare`,
//! `ipv6_is_match`, `ipv6_is_in_range`, `ipv6_is_in_any_range`. An IPv4
//! address (also written `::a.b.c.d`) is read as its IPv4-mapped IPv6 form
//! (`::ffff:a.b.c.d`), and its
//! `/n` suffix counts as `/96+n`, as the functions' pages show. Text that is
//! not an address gives null (`""` for the string results).

use std::cmp::Ordering;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::args::{Kind, check, long, sf, text};
use super::convert::to_string;
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "ipv6_compare",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Long),
        |a, _| Ok(compare(a).map_or(Value::Null, |o| Value::Long(o as i64))),
    ),
    sf("ipv6_is_in_any_range", &[], 2, 64, |t| check(t, &[Kind::Text, Kind::Any], DataType::Bool), in_any_range),
    sf("ipv6_is_in_range", &[], 2, 2, |t| check(t, &[Kind::Text], DataType::Bool), in_any_range),
    sf(
        "ipv6_is_match",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Bool),
        |a, _| Ok(compare(a).map_or(Value::Null, |o| Value::Bool(o == Ordering::Equal))),
    ),
    sf(
        "parse_ipv6",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::String),
        |a, _| Ok(Value::str(&parse(&text(a, 0)).map_or_else(String::new, |(ip, bits)| canonical(mask(ip, bits))))),
    ),
    sf(
        "parse_ipv6_mask",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Text, Kind::Integer], DataType::String),
        |a, _| {
            let masked = match (parse(&text(a, 0)), long(a, 1)) {
                (Some((ip, bits)), Some(p)) if (0..=128).contains(&p) => canonical(mask(ip, bits.min(p as u32))),
                _ => String::new(),
            };
            Ok(Value::str(&masked))
        },
    ),
];

/// An IPv6 or IPv4 address with an optional `/bits` suffix, as a 128-bit
/// number and prefix length.
pub(crate) fn parse(s: &str) -> Option<(u128, u32)> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a.trim(), Some(b.trim().parse::<u32>().ok()?)),
        None => (s, None),
    };
    // `::a.b.c.d` is the IPv4 address too (parse-ipv6-mask-function.md maps it to ::ffff:a.b.c.d).
    let v4_text = addr.strip_prefix("::").filter(|t| t.contains('.')).unwrap_or(addr);
    if let Ok(v4) = v4_text.parse::<Ipv4Addr>() {
        let bits = bits.unwrap_or(32);
        if bits > 32 {
            return None;
        }
        return Some((u128::from(v4.to_ipv6_mapped()), 96 + bits));
    }
    let bits = bits.unwrap_or(128);
    if bits > 128 {
        return None;
    }
    Some((u128::from(addr.parse::<Ipv6Addr>().ok()?), bits))
}

pub(crate) fn mask(ip: u128, bits: u32) -> u128 {
    if bits == 0 { 0 } else { ip & (u128::MAX << (128 - bits)) }
}

/// Eight groups of four lowercase hex digits (parse-ipv6-function.md).
fn canonical(ip: u128) -> String {
    Ipv6Addr::from(ip).segments().iter().map(|g| format!("{g:04x}")).collect::<Vec<_>>().join(":")
}

/// Both addresses masked to the smallest prefix given in either text or
/// the third argument (0–128), then compared.
fn compare(a: &[Value]) -> Option<Ordering> {
    let (x, bx) = parse(&text(a, 0))?;
    let (y, by) = parse(&text(a, 1))?;
    let extra = if a.len() > 2 { long(a, 2).filter(|b| (0..=128).contains(b))? as u32 } else { 128 };
    let bits = bx.min(by).min(extra);
    Some(mask(x, bits).cmp(&mask(y, bits)))
}

/// `ipv6_is_in_range(ip, range)` / `ipv6_is_in_any_range(ip, range, ... | [ranges])`.
fn in_any_range(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some((ip, _)) = parse(&text(a, 0)) else { return Ok(Value::Null) };
    let mut ranges = Vec::new();
    for v in a.iter().skip(1) {
        match v {
            Value::Dynamic(j) => match &**j {
                serde_json::Value::Array(items) => {
                    ranges.extend(items.iter().filter_map(|x| x.as_str()).map(String::from))
                }
                serde_json::Value::String(s) => ranges.push(s.clone()),
                _ => {}
            },
            other => ranges.push(to_string(other)),
        }
    }
    let parsed: Vec<(u128, u32)> = ranges.iter().filter_map(|r| parse(r)).collect();
    if parsed.is_empty() {
        return Ok(Value::Null);
    }
    Ok(Value::Bool(parsed.iter().any(|&(net, bits)| mask(ip, bits) == mask(net, bits))))
}
