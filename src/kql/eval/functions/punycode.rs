//! Punycode (RFC 3492): `punycode_from_string`/`punycode_to_string` on one
//! label, and `punycode_domain_to_string` (encodes: `xn--` labels) /
//! `punycode_domain_from_string` (decodes) on a dotted name. Failure gives
//! `""`, as the pages say.
//!
//! Hand-written because Kusto applies raw RFC 3492 to each label with no IDNA
//! mapping: case and spaces survive (`Lê Lợi` → `xn--L Li-gpa4517b`), which
//! the `idna` crate's UTS 46 processing would change; the algorithm itself
//! is forty lines.

use super::args::{Kind, check, s, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("punycode_from_string", &[], 1, 1, text1, |a, _| s(encode(&text(a, 0)).unwrap_or_default())),
    sf("punycode_to_string", &[], 1, 1, text1, |a, _| s(decode(&text(a, 0)).unwrap_or_default())),
    sf("punycode_domain_to_string", &[], 1, 1, text1, domain_encode),
    sf("punycode_domain_from_string", &[], 1, 1, text1, domain_decode),
];

fn text1(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Text], DataType::String)
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { DAMP } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> char {
    char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 })
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

/// RFC 3492 encoding of one label; `None` on overflow.
fn encode(input: &str) -> Option<String> {
    let cps: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while (handled as usize) < cps.len() {
        let m = cps.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// RFC 3492 decoding of one label; `None` for invalid input.
fn decode(input: &str) -> Option<String> {
    let (basic, rest) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = rest.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let d = match digits.next()? {
                c @ b'a'..=b'z' => u32::from(c - b'a'),
                c @ b'A'..=b'Z' => u32::from(c - b'A'),
                c @ b'0'..=b'9' => u32::from(c - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

/// The labels of a domain name: split on `.` and on the ideographic and
/// full-width full stops IDNA treats as dots (the pages' examples use `。`, `｡`).
fn labels(domain: &str) -> impl Iterator<Item = &str> {
    domain.split(['.', '\u{3002}', '\u{ff0e}', '\u{ff61}'])
}

fn domain_encode(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let mut parts = Vec::new();
    for label in labels(&text(a, 0)) {
        if label.is_ascii() {
            parts.push(label.to_string());
        } else {
            let Some(e) = encode(label) else { return s("") };
            parts.push(format!("xn--{e}"));
        }
    }
    s(parts.join("."))
}

fn domain_decode(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let mut parts = Vec::new();
    for label in labels(&text(a, 0)) {
        match label.get(..4).filter(|p| p.eq_ignore_ascii_case("xn--")) {
            Some(_) => {
                let Some(d) = decode(&label[4..]) else { return s("") };
                parts.push(d);
            }
            None => parts.push(label.to_string()),
        }
    }
    s(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_rfc_and_page_samples() {
        assert_eq!(encode("académie-française").as_deref(), Some("acadmie-franaise-npb1a"));
        assert_eq!(encode("艺术").as_deref(), Some("cqv902d"));
        assert_eq!(encode("Lê Lợi").as_deref(), Some("L Li-gpa4517b"));
        assert_eq!(decode("Ry-lja8c").as_deref(), Some("Rúyì"));
        assert_eq!(decode("acadmie-franaise-npb1a").as_deref(), Some("académie-française"));
        assert_eq!(decode("a-!"), None);
    }
}
