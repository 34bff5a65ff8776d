//! More IPv4 functions: finding addresses in text (`has_ipv4`,
//! `has_ipv4_prefix`, `has_any_ipv4`, `has_any_ipv4_prefix`), masks
//! (`ipv4_netmask_suffix`, `parse_ipv4_mask`) and formatting (`format_ipv4`,
//! `format_ipv4_mask`) and ranges (`ipv4_range_to_cidr_list`). Addresses parse with `std::net::Ipv4Addr` (four
//! decimal parts, each 0–255).

use std::net::Ipv4Addr;

use super::ScalarFn;
use super::args::{Kind, arg, check, long, sf, text};
use super::convert::to_string;
use super::net::{mask, parse};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "ipv4_range_to_cidr_list",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Text, Kind::Text], DataType::Dynamic),
        |a, _| Ok(range_to_cidrs(&text(a, 0), &text(a, 1))),
    ),
    sf(
        "format_ipv4",
        &[],
        1,
        2,
        |t| check(t, &[Kind::Any, Kind::Integer], DataType::String),
        |a, _| Ok(format(a, false)),
    ),
    sf(
        "format_ipv4_mask",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Any, Kind::Integer], DataType::String),
        |a, _| Ok(format(a, true)),
    ),
    sf(
        "has_any_ipv4",
        &[],
        2,
        64,
        |t| check(t, &[Kind::Text, Kind::Any], DataType::Bool),
        |a, _| Ok(has_any(a, false)),
    ),
    sf(
        "has_any_ipv4_prefix",
        &[],
        2,
        64,
        |t| check(t, &[Kind::Text, Kind::Any], DataType::Bool),
        |a, _| Ok(has_any(a, true)),
    ),
    sf("has_ipv4", &[], 2, 2, |t| check(t, &[Kind::Text], DataType::Bool), |a, _| Ok(has_any(a, false))),
    sf("has_ipv4_prefix", &[], 2, 2, |t| check(t, &[Kind::Text], DataType::Bool), |a, _| Ok(has_any(a, true))),
    sf(
        "ipv4_netmask_suffix",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Long),
        |a, _| Ok(parse(&text(a, 0)).map_or(Value::Null, |(_, bits)| Value::Long(i64::from(bits)))),
    ),
    sf(
        "parse_ipv4_mask",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Text, Kind::Integer], DataType::Long),
        |a, _| {
            let (Some((ip, bits)), Some(p)) = (parse(&text(a, 0)), long(a, 1)) else { return Ok(Value::Null) };
            if !(0..=32).contains(&p) {
                return Ok(Value::Null);
            }
            Ok(Value::Long(i64::from(mask(ip, bits.min(p as u32)))))
        },
    ),
];

/// `format_ipv4(ip[, prefix])` / `format_ipv4_mask`: the address (text or a
/// long) masked to the smaller of its own suffix and `prefix`; `""` when
/// invalid (format-ipv4-function.md, format-ipv4-mask-function.md).
fn format(a: &[Value], with_mask: bool) -> Value {
    let parsed = match arg(a, 0) {
        Value::Int(_) | Value::Long(_) => long(a, 0).and_then(|n| u32::try_from(n).ok()).map(|n| (n, 32)),
        Value::Real(_) | Value::Null => None,
        v => parse(&to_string(v)),
    };
    let prefix = if a.len() > 1 { long(a, 1).filter(|p| (0..=32).contains(p)).map(|p| p as u32) } else { Some(32) };
    let (Some((ip, bits)), Some(prefix)) = (parsed, prefix) else { return Value::str("") };
    let bits = bits.min(prefix);
    let addr = Ipv4Addr::from(mask(ip, bits));
    Value::str(&if with_mask { format!("{addr}/{bits}") } else { addr.to_string() })
}

/// Every valid IPv4 address written in `text`, delimited by characters that
/// are neither letters, digits nor part of a longer dotted number
/// (has-ipv4-function.md: `05:04:54127.0.0.1` holds no address).
fn addresses(text: &str) -> Vec<Ipv4Addr> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'.') {
            end += 1;
        }
        // A sentence's final dot is a delimiter, not part of the number.
        let mut run = &text[i..end];
        while let Some(r) = run.strip_suffix('.') {
            run = r;
        }
        let bounded = end >= b.len() || !b[end].is_ascii_alphanumeric();
        if bounded && let Ok(ip) = run.parse::<Ipv4Addr>() {
            out.push(ip);
        }
        i = end;
    }
    out
}

/// A valid `has_ipv4_prefix` prefix: a whole address, or 1–3 parts each
/// followed by a dot (`10.`, `10.1.`).
fn valid_prefix(p: &str) -> bool {
    if p.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    let Some(body) = p.strip_suffix('.') else { return false };
    let parts: Vec<&str> = body.split('.').collect();
    parts.len() <= 3 && parts.iter().all(|x| !x.is_empty() && x.len() <= 3 && x.parse::<u8>().is_ok())
}

/// `has_ipv4(text, ip)`, `has_any_ipv4(text, ip, ...)` and their `_prefix`
/// forms; the wanted values may also come as one dynamic array. Invalid
/// wanted values never match.
fn has_any(a: &[Value], prefix: bool) -> Value {
    let found = addresses(&text(a, 0));
    let mut wanted = Vec::new();
    for v in a.iter().skip(1) {
        match v {
            Value::Dynamic(j) => match &**j {
                serde_json::Value::Array(items) => {
                    wanted.extend(items.iter().filter_map(|x| x.as_str()).map(String::from))
                }
                serde_json::Value::String(s) => wanted.push(s.clone()),
                _ => {}
            },
            other => wanted.push(to_string(other)),
        }
    }
    let hit = wanted.iter().any(|w| {
        let w = w.trim();
        if prefix {
            valid_prefix(w) && found.iter().any(|ip| format!("{ip}.").starts_with(w) || ip.to_string() == w)
        } else {
            w.parse::<Ipv4Addr>().is_ok_and(|want| found.contains(&want))
        }
    });
    Value::Bool(hit)
}

/// `ipv4_range_to_cidr_list(start, end)` (ipv4-range-to-cidr-list-function.md):
/// the fewest CIDR blocks that cover `start..=end` exactly, in address
/// order; null when an address does not parse or `start` is after `end`.
fn range_to_cidrs(start: &str, end: &str) -> Value {
    let (Some((start, _)), Some((end, _))) = (parse(start), parse(end)) else { return Value::Null };
    if start > end {
        return Value::Null;
    }
    let (mut lo, hi) = (u64::from(start), u64::from(end));
    let mut out = Vec::new();
    while lo <= hi {
        // The largest block aligned at `lo` that does not pass `hi`.
        let mut size = if lo == 0 { 1u64 << 32 } else { 1u64 << lo.trailing_zeros().min(32) };
        while lo + size - 1 > hi {
            size >>= 1;
        }
        out.push(serde_json::Value::String(format!("{}/{}", Ipv4Addr::from(lo as u32), 32 - size.trailing_zeros())));
        lo += size;
    }
    super::args::dynamic(serde_json::Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_delimiters() {
        assert_eq!(addresses("05:04:54 127.0.0.1 GET").len(), 1);
        assert!(addresses("05:04:54127.0.0.1 GET").is_empty());
        assert!(addresses("x127.0.0.1").is_empty());
        assert_eq!(addresses("from 10.1.1.115.").len(), 1);
        assert!(addresses("1.2.3.4.5").is_empty());
        assert!(addresses("127.0.0.256").is_empty());
    }

    #[test]
    fn prefixes() {
        assert!(valid_prefix("127.0."));
        assert!(valid_prefix("127.0.0.1"));
        assert!(!valid_prefix("127.0"));
        assert!(!valid_prefix("256."));
    }
}
